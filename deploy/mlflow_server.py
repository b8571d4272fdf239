"""Start the MLflow tracking server on RDS MySQL (backend) and S3 (artifacts) from ECS env."""

from __future__ import annotations

import json
import os
import sys
from urllib.parse import quote

from facturas_assets.settings import ConfigError, require_env


def backend_store_uri(credentials: dict[str, object], database: str) -> str:
    """mysql+pymysql URI for the `mlflow` database, user and password percent-encoded."""
    try:
        user = str(credentials.get("username") or credentials["user"])
        password = str(credentials["password"])
        host = str(credentials["host"])
    except KeyError as missing:
        raise ConfigError(f"MySQL credentials lack the key {missing}") from None
    port = int(credentials.get("port") or 3306)
    return (
        f"mysql+pymysql://{quote(user, safe='')}:{quote(password, safe='')}"
        f"@{host}:{port}/{database}?charset=utf8mb4"
    )


def server_command(environ: dict[str, str]) -> list[str]:
    """The `mlflow server` argv for this environment (MLFLOW_DB_CREDENTIALS holds the JSON)."""
    credentials = json.loads(environ["MLFLOW_DB_CREDENTIALS"])
    bucket = environ["MLFLOW_ARTIFACTS_BUCKET"]
    command = [
        "mlflow",
        "server",
        "--host",
        "0.0.0.0",  # noqa: S104 (inside the task; the security group limits who reaches it)
        "--port",
        environ.get("MLFLOW_PORT", "5000"),
        "--backend-store-uri",
        backend_store_uri(credentials, environ.get("MLFLOW_DB_NAME", "mlflow")),
        "--artifacts-destination",
        f"s3://{bucket}/artifacts",
        "--serve-artifacts",
        "--workers",
        environ.get("MLFLOW_WORKERS", "2"),
    ]
    if environ.get("MLFLOW_ALLOWED_HOSTS"):
        command += ["--allowed-hosts", environ["MLFLOW_ALLOWED_HOSTS"]]
    return command


def main() -> None:
    """Replace this process with the MLflow server."""
    require_env("MLFLOW_DB_CREDENTIALS", "JSON of textil/mysql/credentials, injected by ECS")
    require_env("MLFLOW_ARTIFACTS_BUCKET", "S3 bucket for MLflow artifacts")
    command = server_command(dict(os.environ))
    sys.stdout.flush()
    os.execvp(command[0], command)  # noqa: S606


if __name__ == "__main__":
    main()
