"""TokenGate: the bearer token is checked on the request's headers, before any body byte is read.

FastAPI reads and parses a request's body before it solves the route's dependencies, so a
dependency alone would let anyone make the server read (up to the body limit) without a token.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from fastapi import HTTPException
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from facturas_assets.api.auth import verify_token
from facturas_assets.api.session import LOGIN_PATH, cookie_authorization, is_review_path
from facturas_assets.settings import ConfigError

log = logging.getLogger(__name__)


def misconfigured_response(exc: ConfigError) -> JSONResponse:
    """503 for a token store (Secrets Manager) that failed while no earlier token is known."""
    return JSONResponse(status_code=503, content={"detail": f"service misconfigured: {exc}"})


class TokenGate:
    """ASGI middleware: every path but the public ones needs the bearer token (else 401/503)."""

    def __init__(self, app: ASGIApp, public_paths: Iterable[str]) -> None:
        self.app = app
        self.public_paths = frozenset(public_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 401 without calling the app (nor reading the body) when the token is wrong."""
        if scope["type"] != "http" or scope["path"] in self.public_paths:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        authorization = headers.get("authorization")
        if authorization is None and is_review_path(scope["path"]):
            # The review pages are opened in a browser: their session cookie holds the token.
            authorization = cookie_authorization(headers)
        try:
            await verify_token(authorization, scope["app"].state.tokens)
        except HTTPException as exc:
            if is_review_path(scope["path"]) and scope["method"] == "GET":
                await RedirectResponse(LOGIN_PATH, status_code=303)(scope, receive, send)
                return
            response = JSONResponse(
                status_code=exc.status_code, content={"detail": exc.detail}, headers=exc.headers
            )
            await response(scope, receive, send)
            return
        except ConfigError as exc:
            log.error("%s %s: %s", scope["method"], scope["path"], exc)
            await misconfigured_response(exc)(scope, receive, send)
            return
        await self.app(scope, receive, send)
