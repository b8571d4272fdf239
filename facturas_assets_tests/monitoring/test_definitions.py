"""The monitoring definitions load with the platform's and keep the old schedule."""

from __future__ import annotations

import dagster as dg

from facturas_assets import definitions
from facturas_assets.defs import monitoring
from facturas_assets.defs.monitoring import drift_job, drift_schedule, retraining_sensor


def test_the_platform_definitions_load_with_monitoring() -> None:
    dg.Definitions.validate_loadable(definitions.defs)
    job = definitions.defs.resolve_job_def("drift_job")
    assert job.asset_layer.executable_asset_keys == {dg.AssetKey("drift_report")}
    assert job.tags["ecs/cpu"] == "2048"
    sensor = definitions.defs.resolve_sensor_def("retraining_sensor")
    assert sensor.job_name == "training_job"
    assert definitions.defs.resolve_job_def("training_job") is not None


def test_the_drift_schedule_is_the_old_one_and_on_by_default() -> None:
    assert drift_schedule.cron_schedule == "0 3 * * 0"  # Sundays 03:00
    assert drift_schedule.execution_timezone == "Europe/Madrid"
    assert drift_schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert drift_schedule.job_name == drift_job.name == "drift_job"


def test_the_retraining_sensor_is_on_by_default() -> None:
    assert retraining_sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert retraining_sensor.job_name == "training_job"


def test_the_drift_report_asset_is_documented_and_owned() -> None:
    [assets_def] = monitoring.defs.assets
    key = dg.AssetKey("drift_report")
    spec = next(s for s in assets_def.specs if s.key == key)
    assert spec.group_name == "monitoring"
    assert spec.owners == ["team:data-platform"]
    assert spec.description and "\n" not in spec.description.strip()
    # The baseline it compares with, and the loaded invoices (MySQL) it reads.
    assert {d.asset_key for d in spec.deps} == {
        dg.AssetKey("feature_baseline"),
        dg.AssetKey("invoice_rows"),
    }
    assert {
        "database",
        "models_store",
        "drift_store",
        "notifier",
        "metrics",
    } <= assets_def.required_resource_keys


def test_drift_report_is_due_weekly_and_follows_a_new_baseline() -> None:
    spec = next(
        s
        for s in definitions.defs.resolve_all_asset_specs()
        if s.key.to_user_string() == "drift_report"
    )
    policy = spec.freshness_policy
    assert (policy.deadline_cron, policy.timezone) == ("0 5 * * 0", "Europe/Madrid")
    assert spec.automation_condition is not None
    assert {"mysql", "s3"} <= spec.kinds


def test_the_automation_sensors_size_their_runs_like_the_jobs() -> None:
    repo = definitions.defs.get_repository_def()
    sensors = {s.name: s for s in repo.sensor_defs}
    assert "default_automation_condition_sensor" not in sensors  # every condition has its sensor
    drift = sensors["drift_automation_sensor"]
    training = sensors["training_automation_sensor"]
    assert drift.run_tags == dict(definitions.defs.resolve_job_def("drift_job").tags)
    assert training.run_tags["ecs/memory"] == "32768"
    for sensor in (drift, training):
        assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
