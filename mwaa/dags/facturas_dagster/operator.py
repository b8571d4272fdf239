"""DagsterJobOperator: an Airflow task that runs a Dagster job and succeeds or fails with it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from airflow.exceptions import AirflowException, AirflowFailException
from airflow.hooks.base import BaseHook
from airflow.models import BaseOperator

from facturas_dagster.client import (
    SUCCESS,
    DagsterClient,
    DagsterError,
    base_url_of,
    deep_merge,
)

DEFAULT_CONN_ID = "dagster_default"
DEFAULT_POLL_SECONDS = 15.0
# Ties a Dagster run to the Airflow task instance that asked for it, so a retry of the task
# follows the run already started instead of starting a second one.
REQUEST_TAG = "facturas/airflow_request"


@dataclass(frozen=True)
class DagsterConnection:
    """What an Airflow connection says about the Dagster deployment."""

    client: DagsterClient
    poll_seconds: float = DEFAULT_POLL_SECONDS
    run_config: dict[str, Any] = field(default_factory=dict)


def dagster_connection(conn_id: str) -> DagsterConnection:
    """The Dagster deployment described by an Airflow http connection.

    host/port/schema locate the webserver, password is an optional bearer token for an
    authenticating proxy; extra may hold `path_prefix`, `ui_url` (the UI address users open,
    when it differs), `poll_seconds` and `run_config` (merged under every run's own config,
    e.g. to choose the executor of the deployment).
    """
    conn = BaseHook.get_connection(conn_id)
    extra = conn.extra_dejson
    try:
        base_url = base_url_of(
            conn.host or "", conn.port, conn.schema, extra.get("path_prefix", "")
        )
    except ValueError as exc:
        raise AirflowFailException(f"Airflow connection {conn_id!r}: {exc}") from None
    client = DagsterClient(base_url, token=conn.password or None, ui_url=extra.get("ui_url"))
    return DagsterConnection(
        client=client,
        poll_seconds=float(extra.get("poll_seconds", DEFAULT_POLL_SECONDS)),
        run_config=dict(extra.get("run_config") or {}),
    )


def merge_params(
    run_config: Mapping[str, Any],
    params: Mapping[str, Any],
    config_from_params: Mapping[str, Sequence[str]],
) -> dict[str, Any]:
    """run_config with each named DAG param (when set) copied into its op's config."""
    merged: dict[str, Any] = {**run_config, "ops": {**run_config.get("ops", {})}}
    for op_name, names in config_from_params.items():
        values = {name: params[name] for name in names if params.get(name) is not None}
        if values:
            op = merged["ops"].get(op_name, {})
            merged["ops"][op_name] = {**op, "config": {**op.get("config", {}), **values}}
    return merged


class DagsterJobOperator(BaseOperator):
    """Launch a Dagster job through the webserver's GraphQL API, wait for it, mirror its outcome.

    new_batch=True opens a new `lote` partition first (the ETL job). The Dagster run's URL is
    logged; a failed or canceled Dagster run fails the task without Airflow retries (Dagster
    retries steps itself), while an unreachable webserver or a wait timeout can be retried and
    the retry follows the same Dagster run.
    """

    ui_color = "#cfd8ff"

    def __init__(
        self,
        *,
        job_name: str,
        run_config: Mapping[str, Any] | None = None,
        config_from_params: Mapping[str, Sequence[str]] | None = None,
        new_batch: bool = False,
        dagster_conn_id: str = DEFAULT_CONN_ID,
        wait_timeout: timedelta = timedelta(hours=2),
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.job_name = job_name
        self.run_config = dict(run_config or {})
        self.config_from_params = dict(config_from_params or {})
        self.new_batch = new_batch
        self.dagster_conn_id = dagster_conn_id
        self.wait_timeout = wait_timeout
        self._client: DagsterClient | None = None
        self._run_id: str | None = None

    def execute(self, context: Any) -> dict[str, Any]:
        """Start (or follow) the Dagster run and return its id, URL and batch."""
        connection = dagster_connection(self.dagster_conn_id)
        client = self._client = connection.client
        request = f"{self.dag_id}/{self.task_id}/{context['run_id']}"
        try:
            run_id = self._previous_run(client, request) or self._launch(
                connection, request, context
            )
            self._run_id = run_id
            self.log.info("Dagster run %s: %s", run_id, client.run_url(run_id))
            state = client.wait(
                run_id,
                timeout_s=self.wait_timeout.total_seconds(),
                poll_s=connection.poll_seconds,
                on_change=lambda s: self.log.info("Dagster run %s is %s", s.run_id, s.status),
            )
        except (DagsterError, TimeoutError) as exc:
            raise AirflowException(str(exc)) from None
        url = client.run_url(run_id)
        if state.status != SUCCESS:
            reasons = _failure_reasons(client, run_id)
            raise AirflowFailException(
                f"Dagster run {run_id} of {self.job_name} ended {state.status}: {url}" + reasons
            )
        self.log.info("Dagster run %s succeeded: %s", run_id, url)
        return {"run_id": run_id, "run_url": url, "partition": state.partition}

    def _previous_run(self, client: DagsterClient, request: str) -> str | None:
        """The run an earlier try of this task instance started and that is still going."""
        for run in client.runs_with_tags({REQUEST_TAG: request}):
            if not run.finished:
                self.log.info("following Dagster run %s started by an earlier try", run.run_id)
                return run.run_id
        return None

    def _launch(self, connection: DagsterConnection, request: str, context: Any) -> str:
        client = connection.client
        params = context.get("params") or {}
        own = merge_params(self.run_config, params, self.config_from_params)
        run_config = deep_merge(connection.run_config, own)
        tags = {
            REQUEST_TAG: request,
            "facturas/opened_by": "airflow",
            "airflow/dag_id": self.dag_id,
            "airflow/task_id": self.task_id,
        }
        if self.new_batch:
            lote, run_id = client.launch_batch(self.job_name, run_config, tags)
            self.log.info("opened batch %s", lote)
        else:
            run_id = client.launch_run(self.job_name, run_config, tags)
        return run_id

    def on_kill(self) -> None:
        """A killed task stops its Dagster run too."""
        if self._client is not None and self._run_id is not None:
            answer = self._client.terminate(self._run_id)
            self.log.info("asked Dagster to terminate run %s: %s", self._run_id, answer)


def _failure_reasons(client: DagsterClient, run_id: str) -> str:
    try:
        reasons = client.failure_messages(run_id)
    except DagsterError as exc:
        return f"\n(could not read the failure from Dagster: {exc})"
    return "".join(f"\n  - {reason}" for reason in reasons)


__all__ = [
    "DEFAULT_CONN_ID",
    "REQUEST_TAG",
    "DagsterJobOperator",
    "DagsterConnection",
    "dagster_connection",
]
