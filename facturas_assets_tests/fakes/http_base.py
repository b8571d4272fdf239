"""Base of the fake HTTP servers: a threaded loopback server with a request log and fault injection."""

from __future__ import annotations

import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from facturas_assets_tests.fakes.tls import loopback_certificate


@dataclass
class Recorded:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    target: str = ""  # path and query exactly as sent
    status: int = 0


@dataclass
class Fault:
    """An answer to give instead of the real one."""

    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    path_prefix: str | None = None


class FakeServer:
    """A ThreadingHTTPServer on 127.0.0.1:<free port>, run in a daemon thread (HTTPS if tls).

    Subclasses implement `handle(request) -> (status, headers, body)`. `fail_next(n, status)`
    makes the next n matching requests answer `status` instead (to prove clients retry).
    """

    def __init__(self, tls: bool = False) -> None:
        self.requests: list[Recorded] = []
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return  # keep test output quiet

            def _serve(self) -> None:
                server._dispatch(self)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.ca_file: str | None = None
        if tls:
            cert, key = loopback_certificate()
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
            self.ca_file = str(cert)
        self._scheme = "https" if tls else "http"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Base URL, without a trailing slash."""
        host, port = self._httpd.server_address[:2]
        return f"{self._scheme}://{host}:{port}"

    def start(self) -> FakeServer:
        """Start serving in the background."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def fail_next(
        self,
        count: int,
        status: int = 500,
        body: bytes = b"",
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
        path_prefix: str | None = None,
    ) -> None:
        """Answer the next `count` requests (under path_prefix, if given) with `status`."""
        with self._lock:
            for _ in range(count):
                self._faults.append(
                    Fault(
                        status,
                        body or self.fault_body(status),
                        content_type,
                        headers or {},
                        path_prefix,
                    )
                )

    def fault_body(self, status: int) -> bytes:
        """Body of an injected error answer (subclasses speak their API's error format)."""
        return b'{"error": "injected"}'

    def requests_to(self, path_prefix: str) -> list[Recorded]:
        """Recorded requests whose path starts with path_prefix."""
        return [r for r in self.requests if r.path.startswith(path_prefix)]

    def handle(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        """Answer one request (status, headers, body)."""
        raise NotImplementedError

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for i, fault in enumerate(self._faults):
                if fault.path_prefix is None or path.startswith(fault.path_prefix):
                    return self._faults.pop(i)
        return None

    def _dispatch(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        body = _read_body(handler)
        request = Recorded(
            method=handler.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in handler.headers.items()},
            body=body,
            target=handler.path,
        )
        with self._lock:
            self.requests.append(request)
        fault = self._take_fault(parts.path)
        if fault is not None:
            status, headers, payload = (
                fault.status,
                {"Content-Type": fault.content_type, **fault.headers},
                fault.body,
            )
        else:
            try:
                status, headers, payload = self.handle(request)
            except Exception as exc:  # a bug in the fake must show up as a failing answer
                status, headers, payload = 418, {"Content-Type": "text/plain"}, repr(exc).encode()
        request.status = status
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(payload)


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    """The request body, whether sent with Content-Length or chunked."""
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int(handler.rfile.readline().split(b";")[0].strip(), 16)
            if size == 0:
                while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline()
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length else b""
