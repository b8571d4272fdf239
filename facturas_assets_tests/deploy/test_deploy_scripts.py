"""The image's helper scripts: health check, MLflow launcher, MySQL bootstrap (MariaDB + moto)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import pymysql
import pytest
from sqlalchemy.engine import make_url

from facturas_assets.settings import ConfigError
from facturas_assets_tests import services
from facturas_assets_tests.deploy.scripts import load

healthcheck = load("healthcheck")
mlflow_server = load("mlflow_server")
bootstrap_mysql = load("bootstrap_mysql")


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(self.status if self.path == "/health" else 404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


@pytest.fixture
def health_server() -> Iterator[tuple[ThreadingHTTPServer, type[_Health]]]:
    handler = type("Handler", (_Health,), {"status": 200})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server, handler
    finally:
        server.shutdown()
        server.server_close()


def test_http_health_check_follows_the_server(health_server, monkeypatch) -> None:
    server, handler = health_server
    url = f"http://127.0.0.1:{server.server_address[1]}/health"
    monkeypatch.setitem(healthcheck.HTTP_CHECKS, "api", url)
    monkeypatch.setenv("FACTURAS_ROLE", "api")
    assert healthcheck.main() == 0
    handler.status = 503
    assert healthcheck.main() == 1
    server.shutdown()
    server.server_close()
    assert healthcheck.main() == 1


def test_health_check_roles() -> None:
    assert healthcheck.check("run") is True
    with pytest.raises(SystemExit, match="not a known role"):
        healthcheck.check("scheduler")


def test_mlflow_backend_uri_survives_hostile_passwords() -> None:
    password = "p@ss:/w%rd#?&"
    uri = mlflow_server.backend_store_uri(
        {"username": "textil_app", "password": password, "host": "db.internal", "port": 3306},
        "mlflow",
    )
    parsed = make_url(uri)
    assert (parsed.drivername, parsed.username, parsed.password) == (
        "mysql+pymysql",
        "textil_app",
        password,
    )
    assert (parsed.host, parsed.port, parsed.database) == ("db.internal", 3306, "mlflow")
    with pytest.raises(ConfigError, match="password"):
        mlflow_server.backend_store_uri({"username": "u", "host": "h"}, "mlflow")


def test_mlflow_command_uses_s3_artifacts_and_allowed_hosts() -> None:
    env = {
        "MLFLOW_DB_CREDENTIALS": json.dumps(
            {"username": "u", "password": "p", "host": "h", "port": 3306, "database": "textil"}
        ),
        "MLFLOW_ARTIFACTS_BUCKET": "textil-mlflow-artifacts",
        "MLFLOW_ALLOWED_HOSTS": "mlflow.example.com",
    }
    command = mlflow_server.server_command(env)
    assert command[:2] == ["mlflow", "server"]
    assert command[command.index("--artifacts-destination") + 1] == (
        "s3://textil-mlflow-artifacts/artifacts"
    )
    assert make_url(command[command.index("--backend-store-uri") + 1]).database == "mlflow"
    assert command[command.index("--allowed-hosts") + 1] == "mlflow.example.com"


@pytest.fixture
def bootstrap_target(aws_env: str) -> Iterator[tuple[str, list[str], str]]:
    """A secret in moto and three database names on MariaDB; all removed afterwards."""
    suffix = uuid.uuid4().hex[:8]
    secret = f"textil/mysql/credentials-{suffix}"
    boto3.client("secretsmanager").create_secret(Name=secret)
    databases = [f"boot_{name}_{suffix}" for name in ("textil", "dagster", "mlflow")]
    user = f"app_{suffix}"
    yield secret, databases, user
    conn = pymysql.connect(
        host=services.MYSQL_HOST,
        port=services.MYSQL_PORT,
        user=services.MYSQL_USER,
        password=services.MYSQL_PASSWORD,
    )
    with conn.cursor() as cur:
        for database in databases:
            cur.execute(f"DROP DATABASE IF EXISTS `{database}`")
        cur.execute("DROP USER IF EXISTS %s@'%%'", (user,))
    conn.close()


def test_bootstrap_creates_databases_user_and_secret(bootstrap_target) -> None:
    secret, databases, user = bootstrap_target
    services.ensure_mariadb()
    server = bootstrap_mysql.Server(
        services.MYSQL_HOST, services.MYSQL_PORT, services.MYSQL_USER, services.MYSQL_PASSWORD
    )
    login = bootstrap_mysql.bootstrap(
        server, secret_id=secret, app_user=user, databases=databases, default_database=databases[0]
    )
    published = json.loads(
        boto3.client("secretsmanager").get_secret_value(SecretId=secret)["SecretString"]
    )
    assert published == login
    assert published["username"] == user and published["database"] == databases[0]
    assert len(published["password"]) >= 32

    # The published login works, on each database and no other.
    for database in databases:
        conn = pymysql.connect(
            host=published["host"],
            port=published["port"],
            user=published["username"],
            password=published["password"],
            database=database,
        )
        with conn.cursor() as cur:
            cur.execute("CREATE TABLE probe (id INT)")
        conn.close()
    with pytest.raises(pymysql.err.OperationalError):
        pymysql.connect(
            host=published["host"],
            port=published["port"],
            user=published["username"],
            password=published["password"],
            database="mysql",
        )

    # Re-running keeps the password (services already hold it) and the data.
    again = bootstrap_mysql.bootstrap(
        server, secret_id=secret, app_user=user, databases=databases, default_database=databases[0]
    )
    assert again["password"] == published["password"]


def test_bootstrap_refuses_odd_identifiers(aws_env: str) -> None:
    server = bootstrap_mysql.Server("127.0.0.1", 3306, "root", "")
    with pytest.raises(ConfigError, match="identifier"):
        bootstrap_mysql.bootstrap(server, secret_id="x", databases=["textil`; DROP"])
