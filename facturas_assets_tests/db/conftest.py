"""Database fixtures: a migrated `textil` schema on SQLite and on the real MariaDB server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from facturas_assets.db import migrate
from facturas_assets.db.engine import create_engine
from facturas_assets_tests import services


@pytest.fixture(params=["sqlite", "mariadb"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh MariaDB database dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'textil.db'}"
        return
    with services.mysql_database() as name:
        yield services.mysql_url(name)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a database migrated to head."""
    eng = create_engine(db_url)
    migrate.upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def mysql_engine(mysql_url: str) -> Iterator[Engine]:
    """An engine on a fresh MariaDB database migrated to head."""
    eng = create_engine(mysql_url)
    migrate.upgrade(eng)
    yield eng
    eng.dispose()
