"""What the API refuses before doing any work, on a real uvicorn server: requests without the token
(before their body is read), bodies over the limit (declared or streamed in chunks) and JSON with
NaN or Infinity. Raw sockets send the head of a request without its body: a server that waited for
the body would never answer."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import httpx
import pytest

from facturas_assets.api.app import MAX_BODY_BYTES
from facturas_assets_tests.compat import servers

ANSWER_WITHIN_S = 10.0


def _exchange(api: servers.ApiServer, head: list[str], body: bytes = b"") -> tuple[int, bytes]:
    """Send a request head (and the given body bytes, maybe incomplete); the answer's status and
    raw bytes. Fails if the server does not answer, i.e. waits for the rest of the body."""
    url = urlsplit(api.url)
    request = "\r\n".join([*head, f"Host: {url.netloc}", "", ""]).encode() + body
    with socket.create_connection((url.hostname, url.port), timeout=ANSWER_WITHIN_S) as sock:
        sock.sendall(request)
        answer = b""
        try:
            while not _complete(answer):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except TimeoutError:
            pytest.fail(f"no answer within {ANSWER_WITHIN_S:.0f} s: the server waits for the body")
    assert answer.startswith(b"HTTP/1.1 "), answer[:200]
    return int(answer.split(b" ", 2)[1]), answer


def _complete(answer: bytes) -> bool:
    """Whether the answer's head and its Content-Length bytes of body have arrived."""
    head, found, body = answer.partition(b"\r\n\r\n")
    if not found:
        return False
    for line in head.lower().split(b"\r\n"):
        if line.startswith(b"content-length:"):
            return len(body) >= int(line.split(b":", 1)[1])
    return True


def _auth(api: servers.ApiServer) -> str:
    return f"Authorization: Bearer {api.token}"


@pytest.mark.parametrize(
    "framing",
    ["Content-Length: 60000", "Transfer-Encoding: chunked"],
)
def test_a_request_without_the_token_is_refused_before_its_body_is_read(
    api_without_dagster: servers.ApiServer, framing: str
) -> None:
    status, answer = _exchange(
        api_without_dagster,
        ["POST /train_model HTTP/1.1", "Content-Type: application/json", framing],
    )
    assert status == 401
    assert b"missing bearer token" in answer
    assert b"www-authenticate: bearer" in answer.lower()


def test_a_declared_body_over_the_limit_is_refused_unread(
    api_without_dagster: servers.ApiServer,
) -> None:
    api = api_without_dagster
    head = ["POST /train_model HTTP/1.1", "Content-Type: application/json", _auth(api)]
    status, _ = _exchange(api, [*head, "Content-Length: 50000000"])
    assert status == 413
    status, _ = _exchange(api, [*head, f"Content-Length: {MAX_BODY_BYTES + 1}"])
    assert status == 413


def test_a_chunked_body_is_cut_off_at_the_limit(api_without_dagster: servers.ApiServer) -> None:
    api = api_without_dagster
    head = ["POST /train_model HTTP/1.1", "Content-Type: application/json", _auth(api)]
    piece = b" " * 8192
    # Past the limit, and never finished (no last chunk): only a limit makes the server answer.
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(9))
    status, answer = _exchange(api, [*head, "Transfer-Encoding: chunked"], chunks)
    assert status == 413, answer[:300]
    assert b"Content Too Large" in answer


def test_a_body_within_the_limit_is_read(api_without_dagster: servers.ApiServer) -> None:
    api = api_without_dagster
    body = b'{"epochs": 3}'.ljust(MAX_BODY_BYTES, b" ")
    answer = httpx.post(
        f"{api.url}/train_model",
        content=body,
        headers={**api.headers, "Content-Type": "application/json"},
        timeout=30,
    )
    # Parsed and validated: it got as far as asking Dagster, which is not there.
    assert answer.status_code == 503, answer.text
    assert "is not reachable" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("path", "body", "constant"),
    [
        ("/process_invoices", '{"max_files": NaN}', "NaN"),
        ("/train_model", '{"epochs": Infinity}', "Infinity"),
        ("/detect_drift", '{"days": -Infinity}', "-Infinity"),
        ("/train_model", '{"unknown": [1, NaN]}', "NaN"),
        ("/train_model", "NaN", "NaN"),
    ],
)
def test_nan_and_infinity_are_not_json_numbers(
    api_without_dagster: servers.ApiServer, path: str, body: str, constant: str
) -> None:
    api = api_without_dagster
    answer = httpx.post(
        f"{api.url}{path}",
        content=body,
        headers={**api.headers, "Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["detail"]
    assert error["type"] == "json_invalid"
    assert error["loc"] == ["body", body.index(constant)]
    assert error["ctx"]["error"] == f"{constant} is not valid JSON (numbers must be finite)"
