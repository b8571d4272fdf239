"""Runs queued on the prod instance are launched as ECS tasks (moto server) and can be stopped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import dagster as dg
import pytest
from dagster._core.remote_origin import InProcessCodeLocationOrigin
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._core.workspace.context import WorkspaceProcessContext
from dagster._core.workspace.load_target import InProcessWorkspaceLoadTarget
from dagster._daemon.run_coordinator.queued_run_coordinator_daemon import (
    QueuedRunCoordinatorDaemon,
)

from facturas_assets_tests.deploy import launch_defs
from facturas_assets_tests.deploy.conftest import EcsWorld


@pytest.fixture
def workspace(prod_dagster_home: Path) -> Iterator[WorkspaceProcessContext]:
    """The prod instance with a code location holding jobs tagged like the real ones."""
    origin = LoadableTargetOrigin(
        python_file=launch_defs.__file__, attribute="defs", working_directory=str(Path.cwd())
    )
    with (
        dg.DagsterInstance.get() as instance,
        WorkspaceProcessContext(
            instance, InProcessWorkspaceLoadTarget(InProcessCodeLocationOrigin(origin))
        ) as context,
    ):
        yield context


def _submit(context: WorkspaceProcessContext, job_name: str) -> str:
    """Create a run of `job_name` as the webserver would and hand it to the run coordinator."""
    request = context.create_request_context()
    location = next(iter(request.get_code_location_entries().values())).code_location
    assert location is not None
    repo = next(iter(location.get_repositories().values()))
    remote_job = repo.get_full_job(job_name)
    job_def = launch_defs.defs.resolve_job_def(job_name)
    run = context.instance.create_run_for_job(
        job_def=job_def,
        remote_job_origin=remote_job.get_remote_origin(),
        job_code_origin=remote_job.get_python_origin(),
        tags=remote_job.run_tags,
    )
    context.instance.submit_run(run.run_id, request)
    return run.run_id


def _dequeue(context: WorkspaceProcessContext) -> None:
    """One pass of the daemon's run queue (what dagster-daemon does every few seconds)."""
    daemon = QueuedRunCoordinatorDaemon(interval_seconds=1)
    try:
        list(daemon.run_iteration(context))
    finally:
        daemon._exit_stack.close()  # noqa: SLF001


def _task(arn: str, cluster: str) -> dict:
    return boto3.client("ecs").describe_tasks(cluster=cluster, tasks=[arn], include=["TAGS"])[
        "tasks"
    ][0]


def test_runs_become_ecs_tasks_with_per_job_resources(
    workspace: WorkspaceProcessContext, ecs_world: EcsWorld
) -> None:
    instance = workspace.instance
    training = _submit(workspace, "training_job")
    second_training = _submit(workspace, "training_job")
    etl = _submit(workspace, "invoice_etl_job")
    drift = _submit(workspace, "drift_job")
    _dequeue(workspace)

    # training is limited to one at a time: the second one waits in the queue.
    statuses = {run_id: instance.get_run_by_id(run_id).status for run_id in (training, etl, drift)}
    assert set(statuses.values()) == {dg.DagsterRunStatus.STARTING}
    assert instance.get_run_by_id(second_training).status == dg.DagsterRunStatus.QUEUED

    expected = {training: (8192, 32768), etl: (2048, 8192), drift: (1024, 4096)}
    for run_id, (cpu, memory) in expected.items():
        run = instance.get_run_by_id(run_id)
        assert run.tags["ecs/cluster"] == ecs_world.cluster_arn
        task = _task(run.tags["ecs/task_arn"], ecs_world.cluster_arn)
        assert task["taskDefinitionArn"] == ecs_world.run_task_definition_arn
        overrides = task["overrides"]
        assert (int(overrides["cpu"]), int(overrides["memory"])) == (cpu, memory)
        (container,) = overrides["containerOverrides"]
        assert container["name"] == "run"
        assert (container["cpu"], container["memory"]) == (cpu, memory)
        assert container["command"][:3] == ["dagster", "api", "execute_run"]
        assert run_id in container["command"][3]
        tags = {tag["key"]: tag["value"] for tag in task["tags"]}
        assert tags["dagster/run_id"] == run_id
        assert tags["dagster/job_name"] == run.job_name
        assert tags["project"] == "facturas"
        assert ("facturas/ocr" in tags) == (run_id == etl)
        # Networking is the daemon's own: its private subnet and security group.
        (attachment,) = task["attachments"]
        details = {d["name"]: d["value"] for d in attachment["details"]}
        assert details["subnetId"] == ecs_world.subnet_id
        assert task["launchType"] == "FARGATE"


def test_terminating_a_run_stops_its_task(
    workspace: WorkspaceProcessContext, ecs_world: EcsWorld
) -> None:
    instance = workspace.instance
    run_id = _submit(workspace, "invoice_etl_job")
    _dequeue(workspace)
    arn = instance.get_run_by_id(run_id).tags["ecs/task_arn"]
    assert _task(arn, ecs_world.cluster_arn)["desiredStatus"] == "RUNNING"

    assert instance.run_launcher.terminate(run_id)

    assert _task(arn, ecs_world.cluster_arn)["desiredStatus"] == "STOPPED"
    assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.CANCELING
