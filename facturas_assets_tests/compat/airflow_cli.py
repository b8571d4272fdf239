"""Running the Airflow CLI of .venv-airflow on a throw-away home and SQLite metadata database."""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from facturas_assets_tests.compat.servers import REPO

AIRFLOW_VENV = REPO / ".venv-airflow"
DAGS_FOLDER = REPO / "mwaa" / "dags"
# What MWAA is configured with (secrets.backend / secrets.backend_kwargs), see mwaa/README.md.
SECRETS_BACKEND = "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend"
SECRETS_BACKEND_KWARGS = {
    "connections_prefix": "airflow/connections",
    "variables_prefix": None,
    "config_prefix": None,
}


@dataclass(frozen=True)
class AirflowCli:
    """`airflow ...` commands against one AIRFLOW_HOME."""

    home: Path
    env: dict[str, str]

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run an airflow command; returns it with output captured (stderr folded into stdout)."""
        return subprocess.run(
            [str(AIRFLOW_VENV / "bin" / "airflow"), *args],
            cwd=REPO,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )

    def python(self, code: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run Python code with the Airflow virtualenv's interpreter and this home."""
        return subprocess.run(
            [str(AIRFLOW_VENV / "bin" / "python"), "-c", code],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def airflow_cli(home: Path, aws_endpoint: str) -> AirflowCli:
    """An Airflow home with a migrated SQLite database, DAGs from mwaa/dags and connections
    from Secrets Manager at aws_endpoint."""
    home.mkdir(parents=True, exist_ok=True)
    keep = ("HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update(
        {
            "PATH": f"{AIRFLOW_VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
            "AIRFLOW__LOGGING__COLORED_CONSOLE_LOG": "False",
            "AIRFLOW__SECRETS__BACKEND": SECRETS_BACKEND,
            "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps(SECRETS_BACKEND_KWARGS),
            "AWS_ENDPOINT_URL": aws_endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "PYTHONWARNINGS": "ignore",
        }
    )
    cli = AirflowCli(home, env)
    started = time.monotonic()
    migrated = cli.run("db", "migrate", timeout=600)
    if migrated.returncode != 0:
        raise RuntimeError(f"airflow db migrate failed:\n{migrated.stdout[-4000:]}")
    (home / "timings.json").write_text(json.dumps({"db_migrate_s": time.monotonic() - started}))
    return cli
