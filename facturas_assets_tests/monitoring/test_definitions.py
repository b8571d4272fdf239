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
