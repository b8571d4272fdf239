"""A reverse proxy that forwards to a real server (moto) but can answer errors for N requests.

moto cannot inject faults, so tests put this in front of it to prove botocore retries 5xx/429
answers with backoff against the real API behind.
"""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

from facturas_assets_tests.fakes.http_base import FakeServer, Recorded

# Hop-by-hop headers are not forwarded (RFC 9110 7.6.1).
_HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "content-length",
}  # fmt: skip


class FaultProxy(FakeServer):
    """Forwards every request to `upstream` unless a fault is queued with fail_next."""

    def __init__(self, upstream: str) -> None:
        super().__init__()
        parts = urlsplit(upstream)
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or 80

    def fault_body(self, status: int) -> bytes:
        """An AWS-style XML error (S3 names throttling SlowDown)."""
        code = {429: "SlowDown", 503: "SlowDown", 500: "InternalError"}.get(
            status, "ServiceUnavailable"
        )
        return (
            f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code>"
            f"<Message>injected by the fault proxy</Message></Error>"
        ).encode()

    def fail_next(self, count: int, status: int = 503, **kwargs: object) -> None:  # type: ignore[override]
        """Answer the next `count` requests with an AWS XML error of `status`."""
        kwargs.setdefault("content_type", "application/xml")
        super().fail_next(count, status, **kwargs)  # type: ignore[arg-type]

    def handle(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        """Replay the request upstream and return its answer unchanged."""
        headers = {k: v for k, v in request.headers.items() if k not in _HOP_BY_HOP}
        conn = http.client.HTTPConnection(self._host, self._port, timeout=60)
        try:
            conn.request(request.method, request.target, body=request.body or None, headers=headers)
            answer = conn.getresponse()
            body = answer.read()
            out = {k: v for k, v in answer.getheaders() if k.lower() not in _HOP_BY_HOP}
            return answer.status, out, body
        finally:
            conn.close()
