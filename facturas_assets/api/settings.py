"""The API's configuration, read from the environment with clear errors."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from facturas_assets.settings import ConfigError

DEFAULT_GRAPHQL_URL = "http://127.0.0.1:3000/graphql"


@dataclass(frozen=True)
class ApiSettings:
    """Where Dagster is and how the API talks to it.

    DAGSTER_GRAPHQL_URL   the webserver's GraphQL endpoint (default http://127.0.0.1:3000/graphql)
    DAGSTER_UI_URL        the UI address users open, when it differs from the endpoint's host
    DAGSTER_API_TOKEN     optional bearer token for an authenticating proxy in front of Dagster
    DAGSTER_TIMEOUT_S     per-request timeout towards Dagster (default 15)
    DAGSTER_RUN_CONFIG    optional JSON object merged under every launched run's config
    """

    dagster_graphql_url: str = DEFAULT_GRAPHQL_URL
    dagster_ui_url: str | None = None
    dagster_token: str | None = None
    dagster_timeout_s: float = 15.0
    run_config: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> ApiSettings:
        """Settings from the environment; ConfigError names the bad variable."""
        url = os.environ.get("DAGSTER_GRAPHQL_URL") or DEFAULT_GRAPHQL_URL
        _require_http_url("DAGSTER_GRAPHQL_URL", url)
        ui_url = os.environ.get("DAGSTER_UI_URL") or None
        if ui_url:
            _require_http_url("DAGSTER_UI_URL", ui_url)
        raw_timeout = os.environ.get("DAGSTER_TIMEOUT_S") or "15"
        try:
            timeout = float(raw_timeout)
        except ValueError:
            raise ConfigError(f"DAGSTER_TIMEOUT_S={raw_timeout!r} is not a number") from None
        if not 0 < timeout <= 300:
            raise ConfigError(f"DAGSTER_TIMEOUT_S={raw_timeout!r} must be in (0, 300] seconds")
        return cls(
            dagster_graphql_url=url,
            dagster_ui_url=ui_url,
            dagster_token=os.environ.get("DAGSTER_API_TOKEN") or None,
            dagster_timeout_s=timeout,
            run_config=_json_object("DAGSTER_RUN_CONFIG"),
        )


def _require_http_url(name: str, value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{name}={value!r} is not an http(s) URL")


def _json_object(name: str) -> dict[str, Any]:
    raw = os.environ.get(name)
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{name} is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ConfigError(f"{name} must be a JSON object")
    return value
