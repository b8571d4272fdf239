"""Request bodies parsed as strict JSON: NaN, Infinity and -Infinity are not JSON numbers.

Python's json module accepts them by default; they then reach validation errors that cannot be
serialised back to JSON (HTTP 500). Here they are a JSON decode error, which FastAPI answers 422.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute


class _NonFiniteNumber(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _reject_constant(name: str) -> Any:
    raise _NonFiniteNumber(name)


def strict_json_loads(body: bytes | str) -> Any:
    """json.loads without NaN/Infinity; json.JSONDecodeError names the first one found."""
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except _NonFiniteNumber as exc:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        message = f"{exc.name} is not valid JSON (numbers must be finite)"
        raise json.JSONDecodeError(message, text, max(text.find(exc.name), 0)) from None


class StrictJsonRequest(Request):
    """A request whose .json() is strict_json_loads of its body."""

    async def json(self) -> Any:
        """The body as strict JSON (parsed once)."""
        if not hasattr(self, "_json"):
            self._json = strict_json_loads(await self.body())
        return self._json


class StrictJsonRoute(APIRoute):
    """An API route whose handler sees a StrictJsonRequest."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The usual handler, given the strict request."""
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJsonRequest(request.scope, request.receive))

        return strict_handler
