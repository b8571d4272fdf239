"""Real servers the compatibility tests talk to: dagster-webserver, dagster-daemon, uvicorn."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from facturas_assets_tests.services import free_port

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CODE_MODULE = "facturas_assets.definitions"

# Queued runs (the daemon starts them), at most two at once on this small machine; no telemetry.
INSTANCE_YAML = """\
run_coordinator:
  module: dagster._core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 2
telemetry:
  enabled: false
"""


@dataclass(frozen=True)
class Process:
    """A started server and the file its output goes to."""

    proc: subprocess.Popen
    log: Path

    def tail(self, n: int = 60) -> str:
        """The last lines of its output (for failure messages)."""
        lines = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        return "\n".join(lines[-n:])


@contextlib.contextmanager
def started(args: list[str], env: Mapping[str, str], log: Path) -> Iterator[Process]:
    """Run a server in its own process group; stop the whole group afterwards."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            args,
            cwd=REPO,
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield Process(proc, log)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def wait_until(
    probe, what: str, process: Process, timeout: float = 180.0, interval: float = 0.5
) -> None:
    """Call probe() until it returns true; fail with the server's output on timeout or exit."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.proc.poll() is not None:
            raise RuntimeError(f"{what} exited ({process.proc.returncode}):\n{process.tail()}")
        with contextlib.suppress(httpx.HTTPError):
            if probe():
                return
        time.sleep(interval)
    raise TimeoutError(f"{what} not ready after {timeout:.0f} s:\n{process.tail()}")


def dagster_env(facturas_home: Path, dagster_home: Path) -> dict[str, str]:
    """Environment of the Dagster processes: the local environment under facturas_home."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    (dagster_home / "dagster.yaml").write_text(INSTANCE_YAML)
    env = {
        **os.environ,
        "FACTURAS_ENV": "local",
        "FACTURAS_HOME": str(facturas_home),
        "DAGSTER_HOME": str(dagster_home),
        "OMP_THREAD_LIMIT": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    for name in ("AWS_ENDPOINT_URL", "MLFLOW_TRACKING_URI"):
        env.pop(name, None)
    return env


def graphql(url: str, query: str, variables: dict | None = None) -> dict:
    """One GraphQL request from the tests; GraphQL errors fail loudly."""
    answer = httpx.post(url, json={"query": query, "variables": variables or {}}, timeout=60)
    answer.raise_for_status()
    body = answer.json()
    if body.get("errors"):
        raise AssertionError(f"GraphQL errors: {body['errors']}")
    return body["data"]


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


_JOBS = "{ repositoriesOrError { ... on RepositoryConnection { nodes { jobs { name } } } } }"


def _location_loaded(graphql_url: str) -> bool:
    data = graphql(graphql_url, _JOBS)["repositoriesOrError"]
    jobs = {j["name"] for repo in data.get("nodes", []) for j in repo["jobs"]}
    return "invoice_etl_job" in jobs


@dataclass(frozen=True)
class DagsterServer:
    """A dagster-webserver on loopback (with or without a daemon starting its queued runs)."""

    url: str
    facturas_home: Path
    dagster_home: Path
    webserver: Process

    @property
    def graphql_url(self) -> str:
        """The GraphQL endpoint."""
        return f"{self.url}/graphql"


@contextlib.contextmanager
def dagster_webserver(
    facturas_home: Path,
    dagster_home: Path,
    logs: Path,
    while_starting: Callable[[], object] | None = None,
) -> Iterator[DagsterServer]:
    """A gRPC code server over the project's definitions and a dagster-webserver on it, ready
    once the code location loaded; while_starting runs meanwhile.

    One code server serves the webserver, the daemon and the runs (as in the deployment): each
    process loading the definitions itself would cost as much again, and on a busy machine its
    heartbeat-watched code server can time out."""
    env = dagster_env(facturas_home, dagster_home)
    grpc_port, web_port = free_port(), free_port()
    workspace = dagster_home / "workspace.yaml"
    workspace.write_text(
        "load_from:\n  - grpc_server:\n      host: 127.0.0.1\n"
        f"      port: {grpc_port}\n      location_name: facturas\n"
    )
    code_args = [str(BIN / "dagster"), "api", "grpc", "-m", CODE_MODULE, "-h", "127.0.0.1"]
    code_args += ["-p", str(grpc_port), "--location-name", "facturas"]
    web_args = [str(BIN / "dagster-webserver"), "-w", str(workspace), "-h", "127.0.0.1"]
    web_args += ["-p", str(web_port)]
    with started(code_args, env, logs / f"code-server-{grpc_port}.log") as code:
        if while_starting is not None:
            while_starting()
        # The server binds its port once the definitions are loaded.
        wait_until(lambda: _port_open(grpc_port), "dagster code server", code)
        with started(web_args, env, logs / f"webserver-{web_port}.log") as web:
            url = f"http://127.0.0.1:{web_port}"
            wait_until(lambda: _location_loaded(f"{url}/graphql"), "dagster-webserver", web)
            yield DagsterServer(url, facturas_home, dagster_home, web)


@contextlib.contextmanager
def dagster_daemon(server: DagsterServer, logs: Path) -> Iterator[Process]:
    """dagster-daemon on the webserver's instance and code server (it starts the queued runs)."""
    env = dagster_env(server.facturas_home, server.dagster_home)
    args = [str(BIN / "dagster-daemon"), "run", "-w", str(server.dagster_home / "workspace.yaml")]
    with started(args, env, logs / "daemon.log") as daemon:
        yield daemon


_SENSOR_STATE = """
query ($selector: SensorSelector!) {
  sensorOrError(sensorSelector: $selector) {
    ... on Sensor { id sensorState { id selectorId status } }
  }
}
"""
_STOP_SENSOR = """
mutation ($id: String!) {
  stopSensor(id: $id) { __typename ... on StopSensorMutationResult { instigationState { status } } }
}
"""
_REPO = (
    "{ repositoriesOrError { ... on RepositoryConnection { nodes { name location { name } } } } }"
)


def stop_sensor(server: DagsterServer, name: str) -> None:
    """Switch a sensor off in the instance (before the daemon starts ticking it)."""
    repo = graphql(server.graphql_url, _REPO)["repositoriesOrError"]["nodes"][0]
    selector = {
        "repositoryName": repo["name"],
        "repositoryLocationName": repo["location"]["name"],
        "sensorName": name,
    }
    sensor = graphql(server.graphql_url, _SENSOR_STATE, {"selector": selector})["sensorOrError"]
    answer = graphql(server.graphql_url, _STOP_SENSOR, {"id": sensor["id"]})
    state = answer["stopSensor"]["instigationState"]
    assert state and state["status"] == "STOPPED", answer


@dataclass(frozen=True)
class ApiServer:
    """The HTTP API served by uvicorn on loopback."""

    url: str
    token: str
    process: Process

    @property
    def headers(self) -> dict[str, str]:
        """Headers of an authenticated request."""
        return {"Authorization": f"Bearer {self.token}"}


@contextlib.contextmanager
def api_server(env: Mapping[str, str], token: str, logs: Path, name: str) -> Iterator[ApiServer]:
    """uvicorn serving facturas_assets.api.app:app with the given environment."""
    port = free_port()
    args = [
        str(BIN / "uvicorn"),
        "facturas_assets.api.app:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
    ]
    with started(args, {**env, "FACTURAS_API_TOKEN": token}, logs / f"api-{name}.log") as proc:
        url = f"http://127.0.0.1:{port}"
        wait_until(
            lambda: httpx.get(f"{url}/openapi.json", timeout=5).status_code == 200, "uvicorn", proc
        )
        yield ApiServer(url, token, proc)
