"""A small synchronous client of the Dagster webserver's GraphQL API, built on `requests`."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from facturas_dagster import queries
from facturas_dagster.queries import (  # noqa: F401 - re-exported for the DAGs
    BATCH_PARTITIONS,
    CANCELED,
    FAILURE,
    PARTITION_TAG,
    SUCCESS,
    TERMINAL_STATUSES,
    DagsterError,
    DagsterUnavailable,
    RunNotFound,
    RunState,
    deep_merge,
    new_lote_id,
    run_state,
)


def base_url_of(
    host: str, port: int | None = None, scheme: str | None = None, path: str = ""
) -> str:
    """The webserver's root URL from an Airflow http connection: host may carry its own scheme,
    else `scheme` (the connection's schema field, as HttpHook reads it) or http."""
    host = host.strip()
    if not host:
        raise ValueError("the Dagster connection has no host")
    parts = urlsplit(host if "://" in host else f"{scheme or 'http'}://{host}")
    netloc = parts.netloc
    if port and parts.port is None:
        netloc = f"{netloc}:{port}"
    full_path = "/".join(p.strip("/") for p in (parts.path, path) if p.strip("/"))
    return urlunsplit((parts.scheme, netloc, f"/{full_path}" if full_path else "", "", ""))


class DagsterClient:
    """Launches, follows and stops runs of one Dagster deployment."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        ui_url: str | None = None,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.graphql_url = f"{self.base_url}/graphql"
        self.ui_url = (ui_url or self.base_url).rstrip("/")
        self._timeout = (connect_timeout, read_timeout)
        self._session = requests.Session()
        if token:
            # For an authenticating proxy in front of the webserver.
            self._session.headers["Authorization"] = f"Bearer {token}"
        self._job_locations: dict[str, tuple[str, str]] = {}

    def run_url(self, run_id: str) -> str:
        """The run's page in the Dagster UI."""
        return f"{self.ui_url}/runs/{run_id}"

    def execute(self, document: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of one GraphQL request; transport and GraphQL errors raise DagsterError."""
        try:
            response = self._session.post(
                self.graphql_url,
                json={"query": document, "variables": dict(variables or {})},
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            raise DagsterUnavailable(
                f"Dagster at {self.graphql_url} is not reachable: {exc}"
            ) from exc
        if response.status_code >= 500 or response.status_code in (401, 403, 404):
            raise DagsterUnavailable(
                f"Dagster at {self.graphql_url} answered HTTP {response.status_code}: "
                f"{response.text[:300]}"
            )
        try:
            body = response.json()
        except ValueError:
            raise DagsterUnavailable(
                f"Dagster at {self.graphql_url} answered HTTP {response.status_code} "
                f"with no JSON: {response.text[:300]}"
            ) from None
        if body.get("errors"):
            messages = "; ".join(str(e.get("message", e)) for e in body["errors"])
            raise DagsterError(f"Dagster GraphQL error: {messages}")
        return body["data"]

    def version(self) -> str:
        """The Dagster version the webserver runs (a cheap reachability check)."""
        return self.execute(queries.VERSION)["version"]

    def locate_job(self, job_name: str) -> tuple[str, str]:
        """(code location, repository) holding the job, found in the webserver's workspace."""
        if job_name not in self._job_locations:
            result = self.execute(queries.REPOSITORIES)["repositoriesOrError"]
            if result["__typename"] != "RepositoryConnection":
                raise DagsterError(
                    f"Dagster could not list its repositories: {result.get('message')}"
                )
            for repo in result["nodes"]:
                for job in repo["jobs"]:
                    self._job_locations.setdefault(
                        job["name"], (repo["location"]["name"], repo["name"])
                    )
            if job_name not in self._job_locations:
                raise DagsterError(
                    f"no code location of this Dagster deployment has job {job_name!r}"
                )
        return self._job_locations[job_name]

    def add_partition(self, job_name: str, partitions_def: str, key: str) -> None:
        """Create a dynamic partition in the job's repository (an existing one is fine)."""
        location, repository = self.locate_job(job_name)
        result = self.execute(
            queries.ADD_DYNAMIC_PARTITION,
            {
                "selector": {"repositoryLocationName": location, "repositoryName": repository},
                "name": partitions_def,
                "key": key,
            },
        )["addDynamicPartition"]
        if result["__typename"] not in (
            "AddDynamicPartitionSuccess",
            "DuplicateDynamicPartitionError",
        ):
            raise DagsterError(f"Dagster did not add partition {key!r}: {result.get('message')}")

    def launch_run(
        self,
        job_name: str,
        run_config: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
        partition: str | None = None,
    ) -> str:
        """Launch (queue) a run of the job; returns its run id."""
        location, repository = self.locate_job(job_name)
        params = queries.launch_params(location, repository, job_name, run_config, tags, partition)
        result = self.execute(queries.LAUNCH_RUN, {"params": params})["launchRun"]
        kind = result["__typename"]
        if kind == "LaunchRunSuccess":
            return result["run"]["runId"]
        if kind == "RunConfigValidationInvalid":
            detail = "; ".join(e["message"] for e in result["errors"])
        else:
            detail = result.get("message") or kind
        raise DagsterError(f"Dagster did not launch {job_name}: {detail}")

    def launch_batch(
        self,
        job_name: str,
        run_config: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> tuple[str, str]:
        """Open a new batch (dynamic `lote` partition) and launch the job for it: (lote, run id)."""
        lote = new_lote_id()
        self.add_partition(job_name, BATCH_PARTITIONS, lote)
        return lote, self.launch_run(job_name, run_config, tags, partition=lote)

    def run_state(self, run_id: str) -> RunState:
        """The run's current status; RunNotFound when Dagster has no such run."""
        result = self.execute(queries.RUN, {"runId": run_id})["runOrError"]
        if result["__typename"] == "RunNotFoundError":
            raise RunNotFound(f"Dagster has no run {run_id}")
        if result["__typename"] != "Run":
            raise DagsterError(f"Dagster could not read run {run_id}: {result.get('message')}")
        return run_state(result)

    def runs_with_tags(self, tags: Mapping[str, str]) -> list[RunState]:
        """The latest runs (newest first, at most 5) carrying all the given tags."""
        run_filter = {"tags": [{"key": k, "value": v} for k, v in tags.items()]}
        result = self.execute(queries.RUNS_BY_TAGS, {"filter": run_filter})["runsOrError"]
        if result["__typename"] != "Runs":
            raise DagsterError(f"Dagster could not list runs: {result.get('message')}")
        return [run_state(node) for node in result["results"]]

    def failure_messages(self, run_id: str, limit: int = 20) -> list[str]:
        """Why a run failed: the messages of its failed steps and of the run failure."""
        messages: list[str] = []
        cursor = None
        for _page in range(50):  # bounded: a run's event log can be long
            result = self.execute(queries.RUN_FAILURES, {"runId": run_id, "after": cursor})
            events = result["logsForRun"]
            if events["__typename"] != "EventConnection":
                break
            for event in events["events"]:
                if event["__typename"] not in ("ExecutionStepFailureEvent", "RunFailureEvent"):
                    continue
                error = (event.get("error") or {}).get("message", "").strip()
                step = event.get("stepKey")
                text = f"{step}: {error or event['message']}" if step else event["message"]
                messages.append(text)
            cursor = events["cursor"]
            if not events["hasMore"]:
                break
        return messages[:limit]

    def terminate(self, run_id: str) -> str:
        """Ask Dagster to stop a run; returns the answer's type name."""
        return self.execute(queries.TERMINATE_RUN, {"runId": run_id})["terminateRun"]["__typename"]

    def wait(
        self,
        run_id: str,
        timeout_s: float,
        poll_s: float = 15.0,
        on_change: Callable[[RunState], None] | None = None,
        max_unreachable_s: float = 300.0,
    ) -> RunState:
        """Poll until the run finishes; TimeoutError past timeout_s. A webserver that stays
        unreachable for max_unreachable_s raises DagsterUnavailable (a restart is tolerated)."""
        deadline = time.monotonic() + timeout_s
        unreachable_since: float | None = None
        last_status = None
        while True:
            try:
                state = self.run_state(run_id)
                unreachable_since = None
            except DagsterUnavailable:
                unreachable_since = unreachable_since or time.monotonic()
                if time.monotonic() - unreachable_since > max_unreachable_s:
                    raise
                state = None
            if state is not None:
                if state.status != last_status and on_change is not None:
                    on_change(state)
                last_status = state.status
                if state.finished:
                    return state
            if time.monotonic() >= deadline:
                raise TimeoutError(
                    f"Dagster run {run_id} still {last_status} after {timeout_s:.0f} s: "
                    f"{self.run_url(run_id)}"
                )
            time.sleep(min(poll_s, max(0.1, deadline - time.monotonic())))
