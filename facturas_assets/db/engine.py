"""Engines for the `textil` database with the per-engine settings the tables rely on."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url


def create_engine(url: str | URL, *, sqlite_busy_timeout_s: float = 30.0, **kwargs: Any) -> Engine:
    """A SQLAlchemy engine: SQLite with foreign keys on, MySQL/MariaDB with utf8mb4 and pre-ping."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = sa.create_engine(parsed, **kwargs)
        busy_ms = int(sqlite_busy_timeout_s * 1000)

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            # SQLite leaves foreign keys (so ON DELETE CASCADE) off unless asked, per connection;
            # a writer waits this long for another one before "database is locked".
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
            cursor.close()

        return engine
    if backend in ("mysql", "mariadb"):
        if "charset" not in parsed.query:
            parsed = parsed.update_query_dict({"charset": "utf8mb4"})
        kwargs.setdefault("pool_pre_ping", True)
        kwargs.setdefault("pool_recycle", 1800)  # under RDS/ProxySQL idle timeouts
        return sa.create_engine(parsed, **kwargs)
    return sa.create_engine(parsed, **kwargs)
