"""First-deploy database setup on RDS: the databases, the application user and its secret.

Runs once as a one-off ECS task (`facturas-db-bootstrap`) with the RDS-managed master login;
re-running it is safe: databases and grants are idempotent and the existing password is kept.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import boto3
import pymysql
from botocore.exceptions import ClientError

from facturas_assets import settings
from facturas_assets.settings import ConfigError, require_env

DATABASES = ("textil", "dagster", "mlflow")
APP_USER = "textil_app"
_IDENTIFIER = re.compile(r"^[A-Za-z0-9_]{1,64}$")


@dataclass(frozen=True)
class Server:
    """Where the MySQL server is and the administrator login to use on it."""

    host: str
    port: int
    admin_user: str
    admin_password: str


def _identifier(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ConfigError(f"{name!r} is not a plain MySQL identifier")
    return name


def existing_password(secret_id: str, client: Any) -> str | None:
    """The password already published in `secret_id`, or None when it has no value yet."""
    try:
        value = client.get_secret_value(SecretId=secret_id)["SecretString"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ResourceNotFoundException":
            return None
        raise
    return json.loads(value).get("password")


def bootstrap(
    server: Server,
    secret_id: str = settings.MYSQL_SECRET,
    app_user: str = APP_USER,
    databases: Sequence[str] = DATABASES,
    default_database: str = "textil",
) -> dict[str, object]:
    """Create `databases` and `app_user` (all privileges on them) and publish its login."""
    user = _identifier(app_user)
    names = [_identifier(database) for database in databases]
    client = boto3.client("secretsmanager")
    password = existing_password(secret_id, client) or secrets.token_urlsafe(32)
    conn = pymysql.connect(
        host=server.host,
        port=server.port,
        user=server.admin_user,
        password=server.admin_password,
        autocommit=True,
    )
    try:
        with conn.cursor() as cur:
            for database in names:
                cur.execute(
                    f"CREATE DATABASE IF NOT EXISTS `{database}` "
                    "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
                )
            cur.execute("CREATE USER IF NOT EXISTS %s@'%%' IDENTIFIED BY %s", (user, password))
            cur.execute("ALTER USER %s@'%%' IDENTIFIED BY %s", (user, password))
            for database in names:
                cur.execute(f"GRANT ALL PRIVILEGES ON `{database}`.* TO %s@'%%'", (user,))
    finally:
        conn.close()
    login: dict[str, object] = {
        "engine": "mysql",
        "username": user,
        "password": password,
        "host": server.host,
        "port": server.port,
        "database": default_database,
    }
    client.put_secret_value(SecretId=secret_id, SecretString=json.dumps(login))
    return login


def main() -> None:
    """Entry point of the one-off ECS task; reads the admin login from its environment."""
    admin = json.loads(require_env("MYSQL_ADMIN_CREDENTIALS", "RDS-managed master secret JSON"))
    server = Server(
        host=require_env("MYSQL_HOST", "RDS endpoint address"),
        port=int(os.environ.get("MYSQL_PORT", "3306")),
        admin_user=admin["username"],
        admin_password=admin["password"],
    )
    login = bootstrap(server)
    print(f"databases {', '.join(DATABASES)} ready; login of {login['username']} published")


if __name__ == "__main__":
    main()
