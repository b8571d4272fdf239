"""Bearer-token authentication: the token from Secrets Manager in prod, from the env locally."""

from __future__ import annotations

import hmac
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Annotated

from fastapi import HTTPException, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from facturas_assets.resources.secrets import read_secret
from facturas_assets.settings import ConfigError, Environment, current_environment

API_TOKEN_SECRET = "textil/api/token"
API_TOKEN_ENV = "FACTURAS_API_TOKEN"
MIN_TOKEN_LENGTH = 16
# A rotated secret is picked up within this many seconds.
REFRESH_SECONDS = 300.0

log = logging.getLogger(__name__)

bearer = HTTPBearer(
    auto_error=False,
    description=f"The API token (Secrets Manager `{API_TOKEN_SECRET}`; `{API_TOKEN_ENV}` locally).",
)


def _token_from_secret(raw: str) -> str:
    """The secret is the token itself, or a JSON object with a `token` key."""
    text = raw.strip()
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            raise ConfigError(f"secret {API_TOKEN_SECRET!r} is not valid JSON") from None
        token = value.get("token") if isinstance(value, dict) else None
        if not isinstance(token, str):
            raise ConfigError(f"secret {API_TOKEN_SECRET!r} has no string `token` key")
        return token.strip()
    return text


class TokenSource:
    """The token requests must present; the prod secret is re-read every REFRESH_SECONDS."""

    def __init__(
        self,
        environment: Environment | None = None,
        read: Callable[[str], str] = read_secret,
        refresh_seconds: float = REFRESH_SECONDS,
    ) -> None:
        self._environment = environment or current_environment()
        self._read = read
        self._refresh_seconds = refresh_seconds
        self._token: str | None = None
        self._fetched = 0.0
        self._lock = threading.Lock()

    def _load(self) -> str:
        if self._environment is Environment.PROD:
            token = _token_from_secret(self._read(API_TOKEN_SECRET))
            where = f"secret {API_TOKEN_SECRET!r}"
        else:
            token = os.environ.get(API_TOKEN_ENV, "").strip()
            if not token:
                raise ConfigError(
                    f"environment variable {API_TOKEN_ENV} is not set (the API token)"
                )
            where = API_TOKEN_ENV
        if len(token) < MIN_TOKEN_LENGTH:
            raise ConfigError(
                f"the API token in {where} is shorter than {MIN_TOKEN_LENGTH} characters"
            )
        return token

    def current(self) -> str:
        """The token now; a failed refresh keeps the previous token (and logs why)."""
        with self._lock:
            if self._token is None or time.monotonic() - self._fetched > self._refresh_seconds:
                try:
                    self._token = self._load()
                except ConfigError:
                    if self._token is None:
                        raise
                    log.warning(
                        "API token refresh failed; keeping the previous token", exc_info=True
                    )
                self._fetched = time.monotonic()
            return self._token


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def bearer_credentials(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header (scheme case-insensitive)."""
    scheme, _, credentials = (authorization or "").partition(" ")
    credentials = credentials.strip()
    if scheme.lower() != "bearer" or not credentials:
        return None
    return credentials


async def verify_token(authorization: str | None, tokens: TokenSource) -> None:
    """401 (HTTPException) unless the header carries the current token; ConfigError if unknown."""
    credentials = bearer_credentials(authorization)
    if credentials is None:
        raise _unauthorized("missing bearer token (Authorization: Bearer <token>)")
    expected = await run_in_threadpool(tokens.current)
    if not hmac.compare_digest(credentials.encode(), expected.encode()):
        raise _unauthorized("invalid bearer token")


async def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> None:
    """Dependency: declares the bearer scheme in OpenAPI and checks the token again.

    TokenGate has already turned away requests without the token before their body was read;
    this check keeps a route safe should it ever be served without the gate."""
    authorization = None if credentials is None else f"Bearer {credentials.credentials}"
    await verify_token(authorization, request.app.state.tokens)
