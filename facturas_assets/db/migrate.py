"""Run the `textil` migrations from code (works from an installed package, no alembic.ini).

From a checkout, the `alembic` command works too, with the URL in FACTURAS_DATABASE_URL:
    alembic -c facturas_assets/db/alembic.ini upgrade head
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Connection, Engine

from facturas_assets.db.engine import create_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

Target = str | URL | Engine | Connection


def alembic_config() -> Config:
    """An Alembic Config whose script location is this package's migrations folder."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@contextmanager
def _connection(target: Target) -> Iterator[Connection]:
    if isinstance(target, Connection):
        yield target
        return
    engine = target if isinstance(target, Engine) else create_engine(target)
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        if engine is not target:
            engine.dispose()


def upgrade(url_or_engine: Target, revision: str = "head") -> None:
    """Migrate the database up to `revision` (the newest by default)."""
    config = alembic_config()
    with _connection(url_or_engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def downgrade(url_or_engine: Target, revision: str = "base") -> None:
    """Migrate the database down to `revision` (empty by default)."""
    config = alembic_config()
    with _connection(url_or_engine) as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def current_revision(url_or_engine: Target) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    with _connection(url_or_engine) as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest revision shipped with the package."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head
