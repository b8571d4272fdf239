"""Shared fixtures: real MariaDB databases, a moto server for AWS, an isolated FACTURAS_HOME."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from facturas_assets_tests import services

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.fixture
def facturas_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty local environment rooted in the test's tmp folder."""
    home = tmp_path / "facturas-home"
    home.mkdir()
    monkeypatch.setenv("FACTURAS_HOME", str(home))
    monkeypatch.setenv("FACTURAS_ENV", "local")
    return home


@pytest.fixture
def mysql_url() -> Iterator[str]:
    """SQLAlchemy URL of a fresh MariaDB database, dropped after the test."""
    with services.mysql_database() as name:
        yield services.mysql_url(name)


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """Endpoint URL of a moto server shared by the session (tests use their own bucket names)."""
    with services.moto_server() as url:
        yield url


@pytest.fixture
def aws_env(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point boto3 at the moto server with fake credentials; returns the endpoint URL."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return moto_endpoint
