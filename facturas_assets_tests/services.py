"""Start and reach the real services tests talk to: MariaDB on 127.0.0.1:3306 and moto server."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pymysql

MYSQL_HOST = os.environ.get("FACTURAS_TEST_MYSQL_HOST", "127.0.0.1")
MYSQL_PORT = int(os.environ.get("FACTURAS_TEST_MYSQL_PORT", "3306"))
MYSQL_USER = os.environ.get("FACTURAS_TEST_MYSQL_USER", "root")
MYSQL_PASSWORD = os.environ.get("FACTURAS_TEST_MYSQL_PASSWORD", "")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(host: str, port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing answered on {host}:{port} within {timeout:.0f} s")


def _mysql_answers() -> bool:
    try:
        pymysql.connect(
            host=MYSQL_HOST, port=MYSQL_PORT, user=MYSQL_USER, password=MYSQL_PASSWORD
        ).close()
        return True
    except pymysql.err.OperationalError:
        return False


def ensure_mariadb() -> None:
    """Start this machine's MariaDB server when it is not answering (as CI's machine does)."""
    if _mysql_answers():
        return
    daemon = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
    if not Path(daemon).exists():
        raise RuntimeError("MariaDB is not installed: run `make setup` first")
    Path("/run/mysqld").mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(Exception):
        shutil.chown("/run/mysqld", "mysql", "mysql")
    subprocess.run(
        ["start-stop-daemon", "--start", "--oknodo", "--background", "--exec", daemon],
        check=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if _mysql_answers():
            return
        time.sleep(0.5)
    raise RuntimeError(f"MariaDB did not start on {MYSQL_HOST}:{MYSQL_PORT}")


def mysql_url(database: str, driver: str = "mysql+pymysql") -> str:
    auth = MYSQL_USER + (f":{MYSQL_PASSWORD}" if MYSQL_PASSWORD else "")
    return f"{driver}://{auth}@{MYSQL_HOST}:{MYSQL_PORT}/{database}?charset=utf8mb4"


@contextlib.contextmanager
def mysql_database(prefix: str = "facturas_test") -> Iterator[str]:
    """A fresh, empty database for one test; dropped afterwards. Yields its name."""
    ensure_mariadb()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    conn = pymysql.connect(
        host=MYSQL_HOST, port=MYSQL_PORT, user=MYSQL_USER, password=MYSQL_PASSWORD
    )
    try:
        with conn.cursor() as cur:
            cur.execute(
                f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
        yield name
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        conn.close()


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """A moto server on a free loopback port; yields its endpoint URL."""
    port = free_port()
    exe = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen(
        [str(exe), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port("127.0.0.1", port)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":  # `python -m facturas_assets_tests.services ensure`, used by `make test`
    if sys.argv[1:] == ["ensure"]:
        ensure_mariadb()
        print(f"MariaDB answers on {MYSQL_HOST}:{MYSQL_PORT}")
    else:
        raise SystemExit("usage: python -m facturas_assets_tests.services ensure")


def dagster_graphql(base: str, query: str, timeout: float = 60) -> dict:
    """One query against a running dagster-webserver's GraphQL endpoint."""
    request = urllib.request.Request(
        f"{base}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return json.load(answer)
