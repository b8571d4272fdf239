"""A fake Slack incoming-webhook endpoint that records the JSON posted to it."""

from __future__ import annotations

import json
from typing import Any

from facturas_assets_tests.fakes.http_base import FakeServer, Recorded

WEBHOOK_PATH = "/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"


class SlackServer(FakeServer):
    """Answers like hooks.slack.com: 200 "ok" for a valid payload, 400 "invalid_payload" else."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[dict[str, Any]] = []

    @property
    def webhook_url(self) -> str:
        """The webhook URL to configure in SlackNotifier."""
        return self.url + WEBHOOK_PATH

    def fault_body(self, status: int) -> bytes:
        """Slack answers errors as plain text codes."""
        return b"rate_limited" if status == 429 else b"internal_error"

    def fail_next(self, count: int, status: int = 500, **kwargs: Any) -> None:
        """Answer the next `count` posts with `status` (429 carries Retry-After: 0)."""
        if status == 429:
            kwargs.setdefault("headers", {"Retry-After": "0"})
        kwargs.setdefault("content_type", "text/plain")
        super().fail_next(count, status, **kwargs)

    def handle(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        """Record a valid webhook post; reject anything else as Slack does."""
        plain = {"Content-Type": "text/plain"}
        if request.method != "POST":
            return 405, plain, b"invalid_method"
        if request.path != WEBHOOK_PATH:
            return 404, plain, b"no_service"
        try:
            payload = json.loads(request.body)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return 400, plain, b"invalid_payload"
        if not isinstance(payload, dict) or not (payload.get("text") or payload.get("blocks")):
            return 400, plain, b"no_text"
        self.messages.append(payload)
        return 200, plain, b"ok"
