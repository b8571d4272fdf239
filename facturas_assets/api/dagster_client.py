"""An asynchronous client of the Dagster webserver's GraphQL API (httpx, with timeouts)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from facturas_assets.api import queries
from facturas_assets.api.queries import (  # noqa: F401 - re-exported for the API
    BATCH_PARTITIONS,
    PARTITION_TAG,
    TERMINAL_STATUSES,
    DagsterError,
    DagsterUnavailable,
    RunNotFound,
    RunState,
    new_lote_id,
    run_state,
)


class DagsterClient:
    """Launches and reads runs of one Dagster deployment over GraphQL."""

    def __init__(
        self,
        graphql_url: str,
        ui_url: str | None = None,
        token: str | None = None,
        timeout: httpx.Timeout | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.graphql_url = graphql_url
        self.ui_url = (ui_url or graphql_url.removesuffix("/graphql")).rstrip("/")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.AsyncClient(
            headers=headers,
            timeout=timeout or httpx.Timeout(30.0, connect=5.0),
            transport=transport,
        )
        self._job_locations: dict[str, tuple[str, str]] = {}

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    def run_url(self, run_id: str) -> str:
        """The run's page in the Dagster UI."""
        return f"{self.ui_url}/runs/{run_id}"

    async def execute(self, document: str, variables: Mapping[str, Any] | None = None) -> dict:
        """The `data` of one GraphQL request; transport and GraphQL errors raise DagsterError."""
        try:
            response = await self._http.post(
                self.graphql_url, json={"query": document, "variables": dict(variables or {})}
            )
        except httpx.HTTPError as exc:
            reason = str(exc) or type(exc).__name__
            raise DagsterUnavailable(
                f"Dagster at {self.graphql_url} is not reachable: {reason}"
            ) from exc
        if response.status_code >= 500 or response.status_code in (401, 403, 404):
            raise DagsterUnavailable(
                f"Dagster at {self.graphql_url} answered HTTP {response.status_code}"
            )
        try:
            body = response.json()
        except ValueError:
            raise DagsterUnavailable(
                f"Dagster at {self.graphql_url} answered HTTP {response.status_code} without JSON"
            ) from None
        if body.get("errors"):
            messages = "; ".join(str(e.get("message", e)) for e in body["errors"])
            raise DagsterError(f"Dagster GraphQL error: {messages}")
        return body["data"]

    async def version(self) -> str:
        """The Dagster version the webserver runs (a cheap reachability check)."""
        return (await self.execute(queries.VERSION))["version"]

    async def locate_job(self, job_name: str) -> tuple[str, str]:
        """(code location, repository) holding the job, found in the webserver's workspace."""
        if job_name not in self._job_locations:
            result = (await self.execute(queries.REPOSITORIES))["repositoriesOrError"]
            if result["__typename"] != "RepositoryConnection":
                raise DagsterError(
                    f"Dagster could not list its repositories: {result.get('message')}"
                )
            for repo in result["nodes"]:
                for job in repo["jobs"]:
                    where = (repo["location"]["name"], repo["name"])
                    self._job_locations.setdefault(job["name"], where)
            if job_name not in self._job_locations:
                raise DagsterError(
                    f"no code location of the Dagster deployment has job {job_name!r}"
                )
        return self._job_locations[job_name]

    async def add_partition(self, job_name: str, partitions_def: str, key: str) -> None:
        """Create a dynamic partition in the job's repository (an existing one is fine)."""
        location, repository = await self.locate_job(job_name)
        variables = {
            "selector": {"repositoryLocationName": location, "repositoryName": repository},
            "name": partitions_def,
            "key": key,
        }
        data = await self.execute(queries.ADD_DYNAMIC_PARTITION, variables)
        result = data["addDynamicPartition"]
        if result["__typename"] not in (
            "AddDynamicPartitionSuccess",
            "DuplicateDynamicPartitionError",
        ):
            raise DagsterError(f"Dagster did not add partition {key!r}: {result.get('message')}")

    async def launch_run(
        self,
        job_name: str,
        run_config: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
        partition: str | None = None,
    ) -> RunState:
        """Launch (queue) a run of the job."""
        location, repository = await self.locate_job(job_name)
        params = queries.launch_params(location, repository, job_name, run_config, tags, partition)
        result = (await self.execute(queries.LAUNCH_RUN, {"params": params}))["launchRun"]
        kind = result["__typename"]
        if kind == "LaunchRunSuccess":
            run = result["run"]
            launched_tags = {t["key"]: t["value"] for t in params["executionMetadata"]["tags"]}
            return RunState(run["runId"], run["status"], job_name, launched_tags)
        if kind == "RunConfigValidationInvalid":
            detail = "; ".join(e["message"] for e in result["errors"])
        else:
            detail = result.get("message") or kind
        raise DagsterError(f"Dagster did not launch {job_name}: {detail}")

    async def launch_batch(
        self,
        job_name: str,
        run_config: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> RunState:
        """Open a new batch (dynamic `lote` partition) and launch the job for it."""
        lote = new_lote_id()
        await self.add_partition(job_name, BATCH_PARTITIONS, lote)
        return await self.launch_run(job_name, run_config, tags, partition=lote)

    async def run_state(self, run_id: str) -> RunState:
        """The run's current status; RunNotFound when Dagster has no such run."""
        result = (await self.execute(queries.RUN, {"runId": run_id}))["runOrError"]
        if result["__typename"] == "RunNotFoundError":
            raise RunNotFound(f"Dagster has no run {run_id}")
        if result["__typename"] != "Run":
            raise DagsterError(f"Dagster could not read run {run_id}: {result.get('message')}")
        return run_state(result)

    async def failure_messages(self, run_id: str, limit: int = 20) -> list[str]:
        """Why a run failed: the messages of its failed steps and of the run failure."""
        messages: list[str] = []
        cursor = None
        for _page in range(50):  # bounded: a run's event log can be long
            data = await self.execute(queries.RUN_FAILURES, {"runId": run_id, "after": cursor})
            events = data["logsForRun"]
            if events["__typename"] != "EventConnection":
                break
            for event in events["events"]:
                if event["__typename"] not in ("ExecutionStepFailureEvent", "RunFailureEvent"):
                    continue
                error = (event.get("error") or {}).get("message", "").strip()
                step = event.get("stepKey")
                messages.append(
                    f"{step}: {error or event['message']}" if step else event["message"]
                )
            cursor = events["cursor"]
            if not events["hasMore"]:
                break
        return messages[:limit]
