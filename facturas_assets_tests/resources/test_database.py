"""DatabaseResource: SQLite and MariaDB engines, credentials from an URL or a secret, ConfigErrors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pymysql
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from facturas_assets.resources.database import DatabaseResource, MySQLDatabase, SQLiteDatabase
from facturas_assets.settings import ConfigError
from facturas_assets_tests.resources.conftest import put_secret, unique
from facturas_assets_tests.services import free_port


@pytest.fixture(params=["sqlite", "mysql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> DatabaseResource:
    """The same engine contract, once per implementation."""
    if request.param == "sqlite":
        return SQLiteDatabase(path=str(tmp_path / "db" / "textil.sqlite"))
    return MySQLDatabase(url=request.getfixturevalue("mysql_url"))


def test_engine_round_trips_utf8mb4_and_enforces_foreign_keys(database: DatabaseResource) -> None:
    meta = sa.MetaData()
    parent = sa.Table("parent", meta, sa.Column("id", sa.Integer, primary_key=True))
    child = sa.Table(
        "child",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id"), nullable=False),
        sa.Column("text", sa.String(100)),
    )
    engine = database.engine()
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(parent.insert().values(id=1))
        conn.execute(child.insert().values(id=1, parent_id=1, text="histórico ñ 😀"))
    with engine.connect() as conn:
        assert conn.execute(sa.select(child.c.text)).scalar_one() == "histórico ñ 😀"
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(child.insert().values(id=2, parent_id=99, text="orphan"))
    database.dispose()


def test_engine_is_created_once_per_instance(database: DatabaseResource) -> None:
    assert database.engine() is database.engine()
    assert database.engine().pool._pre_ping  # stale connections are replaced, not handed out
    database.dispose()


def test_display_url_masks_the_password() -> None:
    db = MySQLDatabase(url="mysql+pymysql://etl:s3cr3t@db.internal:3306/textil?charset=utf8mb4")
    assert db.url() == "mysql+pymysql://etl:s3cr3t@db.internal:3306/textil?charset=utf8mb4"
    assert "s3cr3t" not in db.display_url()
    assert db.display_url() == "mysql+pymysql://etl:***@db.internal:3306/textil?charset=utf8mb4"


def test_sqlite_uses_wal_and_facturas_home(facturas_home: Path) -> None:
    db = SQLiteDatabase()
    with db.engine().connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert db.file() == facturas_home / "textil.sqlite"
    assert db.file().exists()
    db.dispose()


@pytest.fixture
def mysql_user(mysql_url: str) -> Iterator[tuple[str, str]]:
    """A MariaDB user with a password (as RDS has), allowed on the test database only."""
    parsed = make_url(mysql_url)
    user, password = unique("etl").replace("-", "_"), "p@ss:w/rd?"
    conn = pymysql.connect(
        host=parsed.host, port=parsed.port, user=parsed.username, password=parsed.password or ""
    )
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'")
            cur.execute(f"GRANT ALL ON `{parsed.database}`.* TO '{user}'@'%'")
        yield user, password
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP USER IF EXISTS '{user}'@'%'")
        conn.close()


def test_mysql_credentials_from_secret(
    aws_env: str, mysql_url: str, mysql_user: tuple[str, str]
) -> None:
    parsed = make_url(mysql_url)
    user, password = mysql_user
    secret = unique("textil/mysql/credentials")
    put_secret(
        secret,
        {
            "username": user,
            "password": password,
            "host": parsed.host,
            "port": str(parsed.port),
            "dbname": parsed.database,
            "engine": "mysql",
        },
    )
    db = MySQLDatabase(secret_name=secret)
    assert make_url(db.url()).query == {"charset": "utf8mb4"}
    assert password not in db.display_url()
    with db.engine().connect() as conn:
        assert conn.exec_driver_sql("SELECT CURRENT_USER()").scalar().startswith(user + "@")
        assert conn.exec_driver_sql("SELECT DATABASE()").scalar() == parsed.database
    db.dispose()


def test_secret_without_password_names_the_missing_key(aws_env: str) -> None:
    secret = unique("textil/mysql/credentials")
    put_secret(secret, {"username": "etl", "host": "db", "database": "textil"})
    with pytest.raises(ConfigError, match=f"secret '{secret}' lacks required key.*: password"):
        MySQLDatabase(secret_name=secret).url()


def test_mysql_secret_with_special_characters_builds_a_valid_url(aws_env: str) -> None:
    secret = unique("textil/mysql/credentials")
    put_secret(
        secret,
        {"user": "etl", "password": "p@ss:w/rd?", "host": "db.internal", "database": "textil"},
    )
    url = make_url(MySQLDatabase(secret_name=secret).url())
    assert (url.username, url.password, url.host, url.port, url.database) == (
        "etl",
        "p@ss:w/rd?",
        "db.internal",
        3306,
        "textil",
    )
    assert url.drivername == "mysql+pymysql"


def test_mysql_url_from_env_var_wins_over_the_secret(
    aws_env: str, mysql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACTURAS_DATABASE_URL", mysql_url)
    db = MySQLDatabase(url=dg.EnvVar("FACTURAS_DATABASE_URL"), secret_name=unique("absent"))

    @dg.asset
    def probe(database: DatabaseResource) -> str:
        with database.engine().connect() as conn:
            return str(conn.exec_driver_sql("SELECT DATABASE()").scalar())

    result = dg.materialize([probe], resources={"database": db})
    assert result.output_for_node("probe") == make_url(mysql_url).database


def test_missing_secret_is_a_config_error_naming_it(aws_env: str) -> None:
    name = unique("textil/mysql/credentials")
    with pytest.raises(ConfigError, match=f"secret '{name}' does not exist"):
        MySQLDatabase(secret_name=name).engine()


def test_unreachable_mysql_is_a_config_error(mysql_url: str) -> None:
    port = free_port()  # nothing listens there
    url = make_url(mysql_url).set(port=port, password="s3cr3t")
    db = MySQLDatabase(url=url.render_as_string(hide_password=False), connect_timeout=3)
    with pytest.raises(ConfigError, match=f"127.0.0.1:{port}.* is not reachable") as info:
        db.engine()
    assert "s3cr3t" not in str(info.value)


def test_unreachable_database_fails_a_run_at_startup(mysql_url: str) -> None:
    port = free_port()
    db = MySQLDatabase(url=str(make_url(mysql_url).set(port=port)), connect_timeout=3)
    ran = []

    @dg.asset
    def needs_db(database: DatabaseResource) -> None:
        ran.append(True)

    with pytest.raises(dg.DagsterResourceFunctionError) as info:
        dg.materialize([needs_db], resources={"database": db})
    assert not ran
    assert isinstance(info.value.__cause__, ConfigError)
    assert f"127.0.0.1:{port}" in str(info.value.__cause__)


def test_non_mysql_url_is_refused() -> None:
    with pytest.raises(ConfigError, match="driver 'sqlite'"):
        MySQLDatabase(url="sqlite:///x.db").url()
