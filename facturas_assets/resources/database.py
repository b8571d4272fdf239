"""The `textil` database: SQLite locally, MySQL (PyMySQL) in prod, as a SQLAlchemy engine."""

from __future__ import annotations

from abc import abstractmethod
from pathlib import Path
from typing import Any

import dagster as dg
import sqlalchemy as sa
from pydantic import Field, PrivateAttr
from sqlalchemy.engine import URL, Engine, make_url

from facturas_assets import settings
from facturas_assets.resources._config import resolved
from facturas_assets.resources.secrets import read_json_secret, require_keys
from facturas_assets.settings import ConfigError

# Below RDS/MariaDB's default wait_timeout (8 h) and typical NAT idle timeouts, so the pool never
# hands out a connection the server already dropped.
POOL_RECYCLE_SECONDS = 1800


class DatabaseResource(dg.ConfigurableResource):
    """A SQLAlchemy engine on the platform's database, created once per resource instance."""

    _engine: Engine | None = PrivateAttr(default=None)

    @abstractmethod
    def url(self) -> str:
        """The full SQLAlchemy URL, password included (never log it: use display_url)."""

    @abstractmethod
    def _create_engine(self) -> Engine:
        """Build a new engine for url()."""

    def display_url(self) -> str:
        """The URL with its password masked, safe for logs and metadata."""
        return make_url(self.url()).render_as_string(hide_password=True)

    def engine(self) -> Engine:
        """The engine of this resource instance (created and checked on first use)."""
        if self._engine is None:
            engine = self._create_engine()
            _check_reachable(engine, self.display_url())
            self._engine = engine
        return self._engine

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """Connect at run start so a bad configuration fails before any work is done."""
        self.engine()

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        """Close pooled connections at run end."""
        self.dispose()

    def dispose(self) -> None:
        """Close the engine's pooled connections (a later engine() call makes a new engine)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def _check_reachable(engine: Engine, display_url: str) -> None:
    """One round trip to the server; a failure becomes a ConfigError naming the database."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        reason = str(exc.orig) if exc.orig is not None else str(exc)
        raise ConfigError(f"database {display_url} is not reachable: {reason}") from None


class SQLiteDatabase(DatabaseResource):
    """A SQLite file (foreign keys enforced, WAL journal so readers never block the writer)."""

    path: str | None = Field(
        default=None, description="SQLite file; FACTURAS_HOME/textil.sqlite when unset."
    )
    busy_timeout_ms: int = Field(
        default=30_000, description="How long a writer waits for a lock before failing."
    )

    def file(self) -> Path:
        """The database file."""
        return Path(self.path) if self.path else settings.home() / "textil.sqlite"

    def url(self) -> str:
        """sqlite:///<absolute path>."""
        return URL.create("sqlite", database=str(self.file().resolve())).render_as_string(
            hide_password=False
        )

    def _create_engine(self) -> Engine:
        self.file().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            self.url(),
            pool_pre_ping=True,
            connect_args={"timeout": self.busy_timeout_ms / 1000},
        )
        busy_timeout_ms = self.busy_timeout_ms

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.close()

        return engine


class MySQLDatabase(DatabaseResource):
    """MySQL/MariaDB via PyMySQL: an explicit URL, else the Secrets Manager credentials secret."""

    url_: str | None = Field(
        default=None,
        alias="url",
        description="SQLAlchemy URL (env FACTURAS_DATABASE_URL); wins over the secret.",
    )
    secret_name: str = Field(
        default=settings.MYSQL_SECRET,
        description="Secret JSON {username|user, password, host, port?, database|dbname}.",
    )
    region_name: str = Field(default="us-east-1", description="Region of the secret.")
    connect_timeout: int = Field(default=10, description="Seconds to wait for a connection.")

    _resolved_url: str | None = PrivateAttr(default=None)

    def url(self) -> str:
        """The explicit URL, or one built from the credentials secret (charset utf8mb4)."""
        if self._resolved_url is None:
            self._resolved_url = self._url_from_config()
        return self._resolved_url

    def _url_from_config(self) -> str:
        explicit = resolved(self.url_)
        if explicit:
            try:
                parsed = make_url(explicit)
            except sa.exc.ArgumentError:
                raise ConfigError("FACTURAS_DATABASE_URL is not a valid SQLAlchemy URL") from None
            if not parsed.drivername.startswith("mysql"):
                raise ConfigError(
                    f"database URL must be mysql+pymysql://..., got driver {parsed.drivername!r}"
                )
            return parsed.render_as_string(hide_password=False)
        secret = read_json_secret(self.secret_name, self.region_name)
        user, password, host, database = require_keys(
            secret,
            self.secret_name,
            ("username", "user"),
            ("password",),
            ("host",),
            ("database", "dbname"),
        )
        try:
            port = int(secret.get("port") or 3306)
        except (TypeError, ValueError):
            raise ConfigError(f"secret {self.secret_name!r} has a non-numeric port") from None
        return URL.create(
            "mysql+pymysql",
            username=str(user),
            password=str(password),
            host=str(host),
            port=port,
            database=str(database),
            query={"charset": "utf8mb4"},
        ).render_as_string(hide_password=False)

    def _create_engine(self) -> Engine:
        return sa.create_engine(
            self.url(),
            pool_pre_ping=True,
            pool_recycle=POOL_RECYCLE_SECONDS,
            connect_args={"connect_timeout": self.connect_timeout},
        )
