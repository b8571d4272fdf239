"""Browser sessions of the review pages: the API token in an HttpOnly, SameSite=Strict cookie.

A browser cannot send an Authorization header from a plain HTML form, so the login form stores
the token in a cookie the TokenGate accepts on the review pages only (the JSON API keeps its
header). Forms also carry a CSRF token derived from the session's token: a page of another site
can neither read it nor (SameSite=Strict) make the browser send the cookie.
"""

from __future__ import annotations

import hashlib
import hmac

from starlette.datastructures import Headers
from starlette.requests import cookie_parser

REVIEW_PREFIX = "/review"
LOGIN_PATH = f"{REVIEW_PREFIX}/login"
TOKEN_COOKIE = "facturas_session"
REVIEWER_COOKIE = "facturas_reviewer"
SESSION_SECONDS = 8 * 3600


def is_review_path(path: str) -> bool:
    """Whether a path belongs to the review pages (where the session cookie is accepted)."""
    return path == REVIEW_PREFIX or path.startswith(f"{REVIEW_PREFIX}/")


def cookie_authorization(headers: Headers) -> str | None:
    """`Bearer <token>` from the session cookie, or None without one."""
    token = cookie_parser(headers.get("cookie", "")).get(TOKEN_COOKIE, "").strip()
    return f"Bearer {token}" if token else None


def csrf_token(session_token: str) -> str:
    """The forms' CSRF token: bound to the session's token, unguessable without it."""
    return hmac.new(session_token.encode(), b"facturas-review-csrf", hashlib.sha256).hexdigest()


def csrf_ok(session_token: str, given: str | None) -> bool:
    """Whether a posted CSRF token belongs to this session."""
    return bool(given) and hmac.compare_digest(csrf_token(session_token), given or "")
