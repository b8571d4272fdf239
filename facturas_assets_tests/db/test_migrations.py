"""Migrations: upgrade/downgrade on MariaDB and SQLite, and the migrated schema equals tables.py."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymysql
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection, Engine

from facturas_assets.db import migrate
from facturas_assets.db.engine import create_engine
from facturas_assets.db.tables import metadata, views_metadata
from facturas_assets_tests import services

REPO = Path(__file__).resolve().parents[2]
VIEW_NAMES = set(views_metadata.tables)


def _not_a_view(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    return not (type_ == "table" and name in VIEW_NAMES)


def schema_diff(conn: Connection, target: sa.MetaData = metadata) -> list[Any]:
    """What `alembic check` would report: differences between the database and `target`."""
    ctx = MigrationContext.configure(
        conn, opts={"compare_type": True, "include_object": _not_a_view}
    )
    return compare_metadata(ctx, target)


def test_upgrade_head_matches_tables_then_downgrade_base_empties(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            assert set(inspector.get_table_names()) == set(metadata.tables) | {"alembic_version"}
            assert set(inspector.get_view_names()) == VIEW_NAMES
            assert schema_diff(conn) == []
            for name, view in views_metadata.tables.items():
                reflected = [c["name"] for c in inspector.get_columns(name)]
                assert reflected == [c.name for c in view.c], name

        migrate.upgrade(engine)  # already at head: nothing to do, nothing breaks
        migrate.downgrade(engine)
        assert migrate.current_revision(engine) is None
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            assert set(inspector.get_table_names()) == {"alembic_version"}
            assert inspector.get_view_names() == []

        migrate.upgrade(engine, "head")  # and it comes back after a full downgrade
        with engine.connect() as conn:
            assert schema_diff(conn) == []
    finally:
        engine.dispose()


def test_schema_check_reports_a_table_that_drifted(engine: Engine) -> None:
    drifted = sa.MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.tables.values():
        table.to_metadata(drifted)
    drifted.tables["invoices"].append_column(sa.Column("po_number", sa.String(32)))
    drifted.tables["tracking"].c.model_version.type = sa.String(64)
    with engine.connect() as conn:
        diff = schema_diff(conn, drifted)
    kinds = {entry[0] if isinstance(entry, tuple) else entry[0][0] for entry in diff}
    assert "add_column" in kinds
    assert "modify_type" in kinds


@contextlib.contextmanager
def latin1_database() -> Iterator[str]:
    """A MariaDB database whose default character set is latin1 (as an old server might have)."""
    services.ensure_mariadb()
    name = f"facturas_test_latin1_{uuid.uuid4().hex[:8]}"
    conn = pymysql.connect(
        host=services.MYSQL_HOST,
        port=services.MYSQL_PORT,
        user=services.MYSQL_USER,
        password=services.MYSQL_PASSWORD,
    )
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET latin1")
        yield name
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        conn.close()


def test_tables_are_utf8mb4_whatever_the_database_default() -> None:
    with latin1_database() as name:
        engine = create_engine(services.mysql_url(name))
        try:
            migrate.upgrade(engine)
            with engine.connect() as conn:
                collations = dict(
                    conn.execute(
                        sa.text(
                            "SELECT table_name, table_collation FROM information_schema.tables"
                            " WHERE table_schema = :db AND table_type = 'BASE TABLE'"
                            " AND table_name != 'alembic_version'"
                        ),
                        {"db": name},
                    ).all()
                )
        finally:
            engine.dispose()
    assert set(collations) == set(metadata.tables)
    assert set(collations.values()) == {"utf8mb4_unicode_ci"}


def _alembic(*args: str, url: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FACTURAS_DATABASE_URL"}
    if url:
        env["FACTURAS_DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "-m", "alembic", "-c", "facturas_assets/db/alembic.ini", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_alembic_command_line_upgrades_checks_and_needs_a_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgraded = _alembic("upgrade", "head", url=url)
    assert upgraded.returncode == 0, upgraded.stderr
    checked = _alembic("check", url=url)
    assert checked.returncode == 0, checked.stderr
    assert migrate.current_revision(url) == migrate.head_revision()

    missing = _alembic("current", url=None)
    assert missing.returncode != 0
    assert "FACTURAS_DATABASE_URL" in missing.stderr


@pytest.mark.parametrize("revision", ["head", "0001"])
def test_upgrade_to_a_revision_given_a_url_string(tmp_path: Path, revision: str) -> None:
    url = f"sqlite:///{tmp_path / 'by-url.db'}"
    migrate.upgrade(url, revision)
    expected = migrate.head_revision() if revision == "head" else revision
    assert migrate.current_revision(url) == expected
    migrate.downgrade(url)
    assert migrate.current_revision(url) is None
