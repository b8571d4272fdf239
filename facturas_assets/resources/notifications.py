"""Notifications to people: the log locally, a Slack incoming webhook in prod."""

from __future__ import annotations

import logging
import time
from abc import abstractmethod
from typing import Any

import dagster as dg
import requests
from pydantic import Field, PrivateAttr

from facturas_assets import settings
from facturas_assets.resources._config import resolved
from facturas_assets.resources.secrets import read_json_secret
from facturas_assets.settings import ConfigError

# Slack limits: section text 3000 chars, header 150 chars, 10 fields per section.
_TEXT_LIMIT = 3000
_HEADER_LIMIT = 150
_FIELDS_PER_SECTION = 10
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_MAX_RETRY_AFTER = 30.0


def _logger() -> logging.Logger:
    return dg.get_dagster_logger("facturas.notifications")


class NotifierResource(dg.ConfigurableResource):
    """Sends a short message to the people who run the platform."""

    @abstractmethod
    def notify(
        self, text: str, *, title: str | None = None, fields: dict[str, str] | None = None
    ) -> bool:
        """Send a message; True when delivered. Never raises for a delivery failure."""


class LogNotifier(NotifierResource):
    """Writes notifications to the Dagster/standard log."""

    def notify(
        self, text: str, *, title: str | None = None, fields: dict[str, str] | None = None
    ) -> bool:
        """Log the message (title, text and fields on one line) and report it delivered."""
        parts = [f"[{title}]"] if title else []
        parts.append(text)
        parts.extend(f"{k}={v}" for k, v in (fields or {}).items())
        _logger().info("notification: %s", " ".join(parts))
        return True


def slack_payload(
    text: str, title: str | None = None, fields: dict[str, str] | None = None
) -> dict[str, Any]:
    """Slack Block Kit payload: header, text section, field sections; `text` as the fallback."""
    blocks: list[dict[str, Any]] = []
    if title:
        blocks.append(
            {"type": "header", "text": {"type": "plain_text", "text": title[:_HEADER_LIMIT]}}
        )
    blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text[:_TEXT_LIMIT]}})
    items = [
        {"type": "mrkdwn", "text": f"*{k}*\n{v}"[: _TEXT_LIMIT // 2]}
        for k, v in (fields or {}).items()
    ]
    for start in range(0, len(items), _FIELDS_PER_SECTION):
        blocks.append({"type": "section", "fields": items[start : start + _FIELDS_PER_SECTION]})
    fallback = f"{title}: {text}" if title else text
    return {"text": fallback[:_TEXT_LIMIT], "blocks": blocks}


class SlackNotifier(NotifierResource):
    """Posts to a Slack incoming webhook; a failing Slack logs a warning and never fails a run.

    The webhook URL comes from ``webhook_url`` (env FACTURAS_SLACK_WEBHOOK_URL) or else the
    secret ``textil/slack/webhook`` ({"webhook_url": ...}).
    """

    webhook_url: str | None = Field(
        default=None, description="Incoming webhook URL (env FACTURAS_SLACK_WEBHOOK_URL)."
    )
    secret_name: str = Field(default=settings.SLACK_SECRET, description="Webhook URL secret.")
    region_name: str = Field(default="us-east-1", description="Region of the secret.")
    timeout_seconds: float = Field(default=10.0, description="Timeout of each POST.")
    max_retries: int = Field(default=2, description="Retries of 429/5xx/connection failures.")
    backoff_seconds: float = Field(default=1.0, description="Base of the exponential backoff.")

    _url: str | None = PrivateAttr(default=None)
    _session: requests.Session | None = PrivateAttr(default=None)

    def resolved_url(self) -> str:
        """The webhook URL (explicit, else from the secret); ConfigError naming what is missing."""
        if self._url is None:
            explicit = resolved(self.webhook_url)
            if explicit:
                self._url = explicit
            else:
                secret = read_json_secret(self.secret_name, self.region_name)
                url = secret.get("webhook_url")
                if not url:
                    raise ConfigError(f"secret {self.secret_name!r} lacks key 'webhook_url'")
                self._url = str(url)
        return self._url

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """Resolve the webhook at run start, so a missing secret is reported up front."""
        self.resolved_url()

    def notify(
        self, text: str, *, title: str | None = None, fields: dict[str, str] | None = None
    ) -> bool:
        """Post the message, retrying 429/5xx with backoff; on failure warn and return False."""
        try:
            url = self.resolved_url()
        except ConfigError as exc:
            _logger().warning("Slack notification not sent: %s", exc)
            return False
        payload = slack_payload(text, title, fields)
        problem, retry_after = "", None
        for attempt in range(self.max_retries + 1):
            if attempt:
                time.sleep(self._delay(attempt, retry_after))
            retry_after = None
            try:
                answer = self._http().post(url, json=payload, timeout=self.timeout_seconds)
            except requests.RequestException as exc:
                # Messages of connection errors embed the URL, which is a credential.
                problem = _redact(f"{type(exc).__name__}: {exc}", url)
                continue
            if answer.status_code == 200:
                return True
            problem = f"HTTP {answer.status_code} {answer.text[:200]}"
            if answer.status_code not in _RETRY_STATUSES:
                break
            retry_after = answer.headers.get("Retry-After")
        _logger().warning("Slack notification not sent: %s", problem)
        return False

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        """Slack's Retry-After when given (capped), else exponential backoff."""
        if retry_after is not None:
            try:
                return min(float(retry_after), _MAX_RETRY_AFTER)
            except ValueError:
                pass
        return self.backoff_seconds * 2 ** (attempt - 1)

    def _http(self) -> requests.Session:
        if self._session is None:
            self._session = requests.Session()
        return self._session


def _redact(message: str, url: str | None) -> str:
    """Remove the webhook URL (a credential) from an error message."""
    if url:
        message = message.replace(url, "<webhook>")
        path = url.split("://", 1)[-1].split("/", 1)[-1]
        if path:
            message = message.replace("/" + path, "/<webhook>")
    return message
