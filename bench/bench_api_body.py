"""HTTP API under large request bodies: how soon it answers and how much memory the server takes.

Starts uvicorn on the API (local environment, no Dagster needed: every request here is refused
before Dagster is asked) and sends POST /train_model bodies of --mb megabytes, with and without
the token, with a Content-Length and chunked. The body is streamed until the server answers; the
server's resident memory is read from /proc before and at its peak (VmHWM).
Targets: 401/413 within 0.5 s, bytes sent before the answer bounded by socket buffers, server
peak memory + < 10 MB.

    python bench/bench_api_body.py [--mb 50]
"""

from __future__ import annotations

import argparse
import os
import select
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from common import REPO, table, write_results

TOKEN = "bench-token-0123456789abcdef"
PIECE = 64 * 1024


def _kib(field: str, pid: int) -> int:
    """A memory field of /proc/<pid>/status, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def _reset_peak(pid: int) -> None:
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0).
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def _post(port: int, total: int, token: bool, chunked: bool) -> tuple[int, float, int]:
    """(status, seconds to the answer, body bytes sent before it) of one streamed request."""
    head = ["POST /train_model HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    head += ["Content-Type: application/json"]
    head += [f"Authorization: Bearer {TOKEN}"] if token else []
    head += ["Transfer-Encoding: chunked"] if chunked else [f"Content-Length: {total}"]
    sent, answer = 0, b""
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall("\r\n".join([*head, "", ""]).encode())
        piece = b" " * PIECE
        frame = b"%x\r\n%s\r\n" % (PIECE, piece) if chunked else piece
        try:
            while sent < total and not select.select([sock], [], [], 0)[0]:
                sock.sendall(frame)
                sent += PIECE
            if sent >= total and chunked:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed the connection
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    seconds = time.perf_counter() - started
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, seconds, sent


def main() -> None:
    """Run the four cases and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=50, help="body size in MB")
    args = parser.parse_args()
    total = args.mb * 1024 * 1024
    port = int(os.environ.get("BENCH_PORT", "18791"))
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "FACTURAS_ENV": "local",
            "FACTURAS_HOME": home,
            "FACTURAS_API_TOKEN": TOKEN,
            "DAGSTER_GRAPHQL_URL": "http://127.0.0.1:9/graphql",
            "PYTHONPATH": str(REPO),
        }
        uvicorn = Path(sys.executable).parent / "uvicorn"
        command = [str(uvicorn), "facturas_assets.api.app:app", "--port", str(port)]
        server = subprocess.Popen(
            [*command, "--no-access-log"], env=env, cwd=REPO, stderr=subprocess.DEVNULL
        )
        try:
            for _ in range(120):
                try:
                    httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2)
                    break
                except httpx.HTTPError:
                    time.sleep(0.5)
            rows = []
            for token in (False, True):
                for chunked in (False, True):
                    _reset_peak(server.pid)
                    before = _kib("VmRSS", server.pid)
                    status, seconds, sent = _post(port, total, token, chunked)
                    peak = _kib("VmHWM", server.pid)
                    rows.append(
                        [
                            "yes" if token else "no",
                            "chunked" if chunked else "Content-Length",
                            status,
                            seconds,
                            sent / 1024,
                            (peak - before) / 1024,
                        ]
                    )
        finally:
            server.terminate()
            server.wait(timeout=20)
    headers = ["token", "framing", "status", "seconds", "KiB sent", "server peak +MB"]
    print(f"POST /train_model with a {args.mb} MB body")
    print(table(rows, headers))
    write_results("api_body", {"mb": args.mb, "headers": headers, "rows": rows})


if __name__ == "__main__":
    main()
