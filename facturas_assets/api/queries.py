"""The GraphQL documents sent to the Dagster webserver (a small, stable subset of its API),
the shapes of their answers and the errors both clients raise.

One file for both doors: the HTTP API imports it here, and mwaa/dags/facturas_dagster/queries.py
is a link to it (uploading the DAGs with `aws s3 sync` copies the file itself). Standard library
only: MWAA has no Dagster and no facturas_assets.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

VERSION = "query FacturasVersion { version }"

REPOSITORIES = """
query FacturasRepositories {
  repositoriesOrError {
    __typename
    ... on RepositoryConnection { nodes { name location { name } jobs { name } } }
    ... on PythonError { message }
    ... on RepositoryNotFoundError { message }
  }
}
"""

ADD_DYNAMIC_PARTITION = """
mutation FacturasAddPartition($selector: RepositorySelector!, $name: String!, $key: String!) {
  addDynamicPartition(repositorySelector: $selector, partitionsDefName: $name, partitionKey: $key) {
    __typename
    ... on AddDynamicPartitionSuccess { partitionKey }
    ... on DuplicateDynamicPartitionError { message }
    ... on UnauthorizedError { message }
    ... on PythonError { message }
  }
}
"""

LAUNCH_RUN = """
mutation FacturasLaunchRun($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId status } }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on PipelineNotFoundError { message }
    ... on InvalidSubsetError { message }
    ... on RunConflict { message }
    ... on UnauthorizedError { message }
    ... on PythonError { message }
  }
}
"""

RUN = """
query FacturasRun($runId: ID!) {
  runOrError(runId: $runId) {
    __typename
    ... on Run {
      runId status jobName creationTime startTime endTime
      tags { key value }
    }
    ... on RunNotFoundError { message }
    ... on PythonError { message }
  }
}
"""

RUNS_BY_TAGS = """
query FacturasRunsByTags($filter: RunsFilter!) {
  runsOrError(filter: $filter, limit: 5) {
    __typename
    ... on Runs { results { runId status jobName creationTime startTime endTime tags { key value } } }
    ... on InvalidPipelineRunsFilterError { message }
    ... on PythonError { message }
  }
}
"""

RUN_FAILURES = """
query FacturasRunFailures($runId: ID!, $after: String) {
  logsForRun(runId: $runId, afterCursor: $after, limit: 1000) {
    __typename
    ... on EventConnection {
      cursor hasMore
      events {
        __typename
        ... on ExecutionStepFailureEvent { stepKey message error { message } }
        ... on RunFailureEvent { message error { message } }
      }
    }
    ... on RunNotFoundError { message }
    ... on PythonError { message }
  }
}
"""

TERMINATE_RUN = """
mutation FacturasTerminateRun($runId: String!) {
  terminateRun(runId: $runId) {
    __typename
    ... on TerminateRunFailure { message }
    ... on RunNotFoundError { message }
    ... on UnauthorizedError { message }
    ... on PythonError { message }
  }
}
"""


# The answers' shapes and the errors, shared by both clients.

SUCCESS = "SUCCESS"
FAILURE = "FAILURE"
CANCELED = "CANCELED"
TERMINAL_STATUSES = frozenset({SUCCESS, FAILURE, CANCELED})
PARTITION_TAG = "dagster/partition"
BATCH_PARTITIONS = "lote"


class DagsterError(RuntimeError):
    """Dagster answered, but refused or could not do what was asked."""


class DagsterUnavailable(DagsterError):
    """The Dagster webserver could not be reached or answered with an HTTP error."""


class RunNotFound(DagsterError):
    """No Dagster run has the given id."""


@dataclass(frozen=True)
class RunState:
    """What a Dagster run is doing now."""

    run_id: str
    status: str
    job_name: str
    tags: dict[str, str] = field(default_factory=dict)
    creation_time: float | None = None
    start_time: float | None = None
    end_time: float | None = None

    @property
    def finished(self) -> bool:
        """True once the run can no longer change status."""
        return self.status in TERMINAL_STATUSES

    @property
    def partition(self) -> str | None:
        """The batch (lote) of a partitioned run."""
        return self.tags.get(PARTITION_TAG)


def new_lote_id(now: datetime | None = None) -> str:
    """A new batch id, `YYYYMMDD-HHMMSS-<10 hex>` like the landing sensor's, sorting by time."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(5)}"


def run_state(node: Mapping[str, Any]) -> RunState:
    return RunState(
        run_id=node["runId"],
        status=node["status"],
        job_name=node["jobName"],
        tags={t["key"]: t["value"] for t in node.get("tags") or []},
        creation_time=node.get("creationTime"),
        start_time=node.get("startTime"),
        end_time=node.get("endTime"),
    )


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """base with override laid over it, nested mappings merged key by key."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def launch_params(
    location: str,
    repository: str,
    job_name: str,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    partition: str | None = None,
) -> dict[str, Any]:
    """The `params` of LAUNCH_RUN: the job's selector, its run config and tags."""
    all_tags = dict(tags or {})
    if partition is not None:
        all_tags[PARTITION_TAG] = partition
    return {
        "selector": {
            "repositoryLocationName": location,
            "repositoryName": repository,
            "jobName": job_name,
        },
        "runConfigData": dict(run_config or {}),
        "executionMetadata": {"tags": [{"key": k, "value": v} for k, v in all_tags.items()]},
    }
