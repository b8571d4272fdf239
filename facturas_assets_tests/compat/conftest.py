"""Session fixtures of the compatibility tests: a local environment with a champion model, a real
dagster-webserver + dagster-daemon over it, a second webserver whose runs stay queued, and the
Airflow virtualenv with its metadata database."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from facturas_assets_tests.compat import servers
from facturas_assets_tests.compat.airflow_cli import AirflowCli, airflow_cli


def _small_champion(home: Path, work: Path) -> None:
    """A small Keras classifier trained on generated invoices, promoted to champion in the
    local models bucket (the ETL's classified_invoices loads it)."""
    from facturas_assets.resources.object_store import LocalObjectStore
    from facturas_dev.sample import publish_sample_champion

    store = LocalObjectStore(bucket="textil-modelos", root=str(home / "buckets"))
    publish_sample_champion(store, work / "train", n=60, seed=5, epochs=4)


@pytest.fixture(scope="session")
def compat_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Root folder of the session's environments and server logs."""
    return tmp_path_factory.mktemp("compat")


@pytest.fixture(scope="session")
def local_home(compat_root: Path) -> Path:
    """FACTURAS_HOME of the session: migrated SQLite database and a champion classifier."""
    from facturas_assets.db import migrate
    from facturas_assets.resources import SQLiteDatabase

    home = compat_root / "facturas-home"
    (home / "buckets" / "mes-en-curso").mkdir(parents=True)
    database = SQLiteDatabase(path=str(home / "textil.sqlite"))
    migrate.upgrade(database.engine())
    database.dispose()
    return home


@pytest.fixture(scope="session")
def dagster(compat_root: Path, local_home: Path) -> Iterator[servers.DagsterServer]:
    """dagster-webserver and dagster-daemon over the local environment (runs really execute),
    with a champion classifier (trained while the webserver starts).

    The landing sensor is switched off first so batches take landing files only when a test
    opens them."""
    logs = compat_root / "logs"
    logs.mkdir(exist_ok=True)
    with servers.dagster_webserver(
        local_home,
        compat_root / "dagster-home",
        logs,
        while_starting=lambda: _small_champion(local_home, compat_root / "champion-work"),
    ) as server:
        servers.stop_sensor(server, "landing_sensor")
        with servers.dagster_daemon(server, logs):
            yield server


@pytest.fixture(scope="session")
def queue_only_dagster(compat_root: Path, local_home: Path) -> Iterator[servers.DagsterServer]:
    """A second dagster-webserver on its own instance with no daemon: launched runs stay QUEUED
    (real launches that cost no CPU, for the fuzzing of the launch endpoints)."""
    logs = compat_root / "logs"
    logs.mkdir(exist_ok=True)
    with servers.dagster_webserver(local_home, compat_root / "dagster-queue-home", logs) as server:
        yield server


@pytest.fixture(scope="session")
def airflow_connection_secret(moto_endpoint: str, dagster: servers.DagsterServer) -> str:
    """The Airflow connection `dagster_default`, stored where MWAA reads it: the Secrets Manager
    secret airflow/connections/dagster_default (here in the moto server)."""
    import boto3

    host, port = dagster.url.removeprefix("http://").split(":")
    value = json.dumps(
        {
            "conn_type": "http",
            "host": host,
            "port": int(port),
            "schema": "http",
            "extra": {"poll_seconds": 1},
        }
    )
    client = boto3.client(
        "secretsmanager",
        endpoint_url=moto_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    name = "airflow/connections/dagster_default"
    try:
        client.create_secret(Name=name, SecretString=value)
    except client.exceptions.ResourceExistsException:
        client.put_secret_value(SecretId=name, SecretString=value)
    return name


@pytest.fixture(scope="session")
def airflow(compat_root: Path, moto_endpoint: str) -> AirflowCli:
    """The Airflow CLI of .venv-airflow (synced to requirements-airflow.lock first) on a
    migrated SQLite metadata database, reading connections from Secrets Manager."""
    subprocess.run(
        ["bash", "scripts/venv.sh", ".venv-airflow", "requirements-airflow.lock"],
        cwd=servers.REPO,
        check=True,
    )
    return airflow_cli(compat_root / "airflow-home", moto_endpoint)


def _landing_files(path: Path) -> list[Path]:
    return [p for p in path.iterdir() if p.is_file()]


@pytest.fixture
def landing(local_home: Path) -> Iterator[Path]:
    """The local landing bucket of the session's environment, empty before and after the test.

    A test that failed before its batch took the files leaves them behind: they are removed at
    teardown, so one failure does not turn into errors of the tests after it.
    """
    path = local_home / "buckets" / "mes-en-curso"
    left = [p.name for p in _landing_files(path)]
    assert not left, f"landing files left by an earlier test: {left}"
    yield path
    for leftover in _landing_files(path):
        leftover.unlink()


API_TOKEN = "compat-test-token-0123456789"


def _api_env(home: Path, graphql_url: str) -> dict[str, str]:
    env = servers.dagster_env(home, home / "unused-dagster-home")
    env.pop("DAGSTER_HOME")
    env.update({"DAGSTER_GRAPHQL_URL": graphql_url})
    return env


@pytest.fixture(scope="session")
def api(
    compat_root: Path, local_home: Path, dagster: servers.DagsterServer
) -> Iterator[servers.ApiServer]:
    """The HTTP API in front of the Dagster whose runs really execute."""
    env = _api_env(local_home, dagster.graphql_url)
    with servers.api_server(env, API_TOKEN, compat_root / "logs", "live") as server:
        yield server


@pytest.fixture(scope="session")
def api_queue_only(
    compat_root: Path, local_home: Path, queue_only_dagster: servers.DagsterServer
) -> Iterator[servers.ApiServer]:
    """The HTTP API in front of the Dagster whose runs stay queued (for fuzzing)."""
    env = _api_env(local_home, queue_only_dagster.graphql_url)
    with servers.api_server(env, API_TOKEN, compat_root / "logs", "queue-only") as server:
        yield server


@pytest.fixture(scope="session")
def api_without_dagster(compat_root: Path, local_home: Path) -> Iterator[servers.ApiServer]:
    """The HTTP API configured with a Dagster address where nothing listens."""
    env = _api_env(local_home, f"http://127.0.0.1:{servers.free_port()}/graphql")
    logs = compat_root / "logs"
    logs.mkdir(exist_ok=True)  # this fixture may be the session's first server
    with servers.api_server(env, API_TOKEN, logs, "no-dagster") as server:
        yield server
