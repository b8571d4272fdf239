"""Alembic environment: migrates the connection handed over by facturas_assets.db.migrate,
or the database at FACTURAS_DATABASE_URL when run from the `alembic` command."""

from __future__ import annotations

import os
from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

from facturas_assets.db.engine import create_engine
from facturas_assets.db.tables import metadata
from facturas_assets.settings import ConfigError

VIEWS = {"ventas_preventivas", "ventas_correctivas"}

config = context.config
if config.config_file_name is not None:  # the `alembic` command: log as its ini says
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Leave the views (created by hand-written SQL) out of autogenerate."""
    return not (type_ == "table" and name in VIEWS)


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=include_object,
        compare_type=True,
        # SQLite cannot ALTER most things: later migrations use batch mode (copy and swap).
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("FACTURAS_DATABASE_URL")
    if not url:
        raise ConfigError(
            "no database to migrate: set FACTURAS_DATABASE_URL "
            "(e.g. mysql+pymysql://user:pass@host/textil or sqlite:///textil.db)"
        )
    return url


def run_offline() -> None:
    """Emit the SQL instead of running it (`alembic upgrade head --sql`)."""
    context.configure(
        url=_url(),
        target_metadata=metadata,
        include_object=include_object,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Migrate the given connection, or one opened from the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    engine = create_engine(_url())
    try:
        with engine.begin() as conn:
            _configure_and_run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
