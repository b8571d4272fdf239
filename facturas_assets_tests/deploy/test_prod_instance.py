"""The prod dagster.yaml loads against MariaDB: storage migrations, runs and events, settings."""

from __future__ import annotations

from pathlib import Path

import boto3
import dagster as dg
import pymysql
import pytest
import yaml
from dagster._core.run_coordinator import QueuedRunCoordinator
from dagster_aws.ecs import EcsRunLauncher
from dagster_aws.s3.compute_log_manager import S3ComputeLogManager
from dagster_mysql import MySQLEventLogStorage, MySQLRunStorage, MySQLScheduleStorage

from facturas_assets_tests import services
from facturas_assets_tests.deploy.conftest import PROD_INSTANCE_YAML, REPO, EcsWorld


@dg.op
def count_invoices() -> int:
    """A one-step job whose run and events land in the instance's storage."""
    return 3


@dg.job
def tiny_job() -> None:
    """The smallest job that produces a run and step events."""
    count_invoices()


def _tables(database: str, user: str, password: str) -> set[str]:
    conn = pymysql.connect(
        host=services.MYSQL_HOST,
        port=services.MYSQL_PORT,
        user=user,
        password=password,
        database=database,
    )
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW TABLES")
            return {row[0] for row in cur.fetchall()}
    finally:
        conn.close()


def test_prod_instance_stores_runs_and_events_in_mysql(
    prod_dagster_home: Path, mysql_login: tuple[str, str, str], ecs_world: EcsWorld
) -> None:
    database, user, password = mysql_login
    assert _tables(database, user, password) == set()

    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.run_storage, MySQLRunStorage)
        assert isinstance(instance.event_log_storage, MySQLEventLogStorage)
        assert isinstance(instance.schedule_storage, MySQLScheduleStorage)
        result = tiny_job.execute_in_process(instance=instance)
        assert result.success
        run_id = result.run_id

    # The storage migrations created Dagster's schema in the (previously empty) database.
    tables = _tables(database, user, password)
    assert {"runs", "event_logs", "jobs", "job_ticks", "alembic_version"} <= tables

    # A second instance, i.e. a new process's view, reads the run and its events back.
    with dg.DagsterInstance.get() as instance:
        run = instance.get_run_by_id(run_id)
        assert run is not None
        assert run.job_name == "tiny_job"
        assert run.status == dg.DagsterRunStatus.SUCCESS
        event_types = {
            entry.dagster_event.event_type
            for entry in instance.all_logs(run_id)
            if entry.dagster_event is not None
        }
        assert {
            dg.DagsterEventType.RUN_START,
            dg.DagsterEventType.STEP_SUCCESS,
            dg.DagsterEventType.RUN_SUCCESS,
        } <= event_types

    # The step's stdout/stderr went to the compute-log bucket under the yaml's prefix.
    listed = boto3.client("s3").list_objects_v2(
        Bucket=ecs_world.compute_log_bucket, Prefix="compute-logs/"
    )
    assert any(run_id in obj["Key"] for obj in listed.get("Contents", []))


def test_prod_instance_settings_are_those_of_the_yaml(
    prod_dagster_home: Path, ecs_world: EcsWorld
) -> None:
    config = yaml.safe_load(PROD_INSTANCE_YAML.read_text())
    with dg.DagsterInstance.get() as instance:
        coordinator = instance.run_coordinator
        assert isinstance(coordinator, QueuedRunCoordinator)
        limits = {
            (limit["key"], limit["value"]): limit["limit"]
            for limit in coordinator.get_run_queue_config().tag_concurrency_limits
        }
        assert limits == {("facturas/ocr", "heavy"): 4, ("ecs/cpu", "8192"): 1}
        assert coordinator.get_run_queue_config().max_concurrent_runs == 10

        launcher = instance.run_launcher
        assert isinstance(launcher, EcsRunLauncher)
        # The short family name in the env var resolves to the registered task definition.
        assert launcher.task_definition == ecs_world.run_task_definition_arn
        assert launcher.container_name == "run"
        assert launcher.use_current_ecs_task_config is True
        assert launcher.include_sidecars is False
        assert launcher.secrets_tags == []
        assert dict(launcher.run_resources) == config["run_launcher"]["config"]["run_resources"]

        assert instance.run_monitoring_enabled
        assert instance.run_monitoring_start_timeout_seconds == 600
        assert instance.run_retries_enabled and instance.run_retries_max_retries == 1

        logs = instance.compute_log_manager
        assert isinstance(logs, S3ComputeLogManager)
        assert logs._s3_bucket == ecs_world.compute_log_bucket  # noqa: SLF001
        assert instance.telemetry_enabled is False


def test_prod_workspace_targets_the_grpc_code_server(monkeypatch: pytest.MonkeyPatch) -> None:
    from dagster._core.workspace.config_schema import ensure_workspace_config
    from dagster._core.workspace.load import location_origins_from_config

    path = REPO / "deploy" / "workspace.prod.yaml"
    config = yaml.safe_load(path.read_text())
    monkeypatch.setenv("DAGSTER_CODE_SERVER_HOST", "code-server.facturas.internal")
    ensure_workspace_config(config, str(path))
    (origin,) = location_origins_from_config(config, str(path)).values()
    assert (origin.host, origin.port, origin.location_name) == (
        "code-server.facturas.internal",
        4000,
        "facturas",
    )
