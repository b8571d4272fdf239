"""The drift job and its weekly schedule (the old `detect_data_drift_aws`: Sundays 03:00)."""

from __future__ import annotations

import dagster as dg

from facturas_assets.defs.monitoring.assets import drift_report

DRIFT_JOB_NAME = "drift_job"
DRIFT_CRON = "0 3 * * 0"
DRIFT_TIMEZONE = "Europe/Madrid"

drift_job = dg.define_asset_job(
    DRIFT_JOB_NAME,
    selection=dg.AssetSelection.assets(drift_report),
    description="The drift report of the invoices loaded since the last one.",
    # Fargate size of the run (see dagster.yaml); the report needs ~1 GB for 100,000 invoices.
    tags={"ecs/cpu": "2048", "ecs/memory": "8192"},
)

drift_schedule = dg.ScheduleDefinition(
    name="drift_schedule",
    job=drift_job,
    cron_schedule=DRIFT_CRON,
    execution_timezone=DRIFT_TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Sundays 03:00 Europe/Madrid (local time, DST-aware): the weekly drift report.",
)
