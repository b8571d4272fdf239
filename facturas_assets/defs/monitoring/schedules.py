"""The drift job and its weekly schedule (the old `detect_data_drift_aws`: Sundays 03:00)."""

from __future__ import annotations

import dagster as dg

from facturas_assets.defs.monitoring.assets import DRIFT_CRON, DRIFT_TIMEZONE, drift_report

DRIFT_JOB_NAME = "drift_job"
# Fargate size of a drift run (see dagster.yaml); the report needs ~1 GB for 100,000 invoices.
DRIFT_TASK_TAGS = {"ecs/cpu": "2048", "ecs/memory": "8192"}

drift_job = dg.define_asset_job(
    DRIFT_JOB_NAME,
    selection=dg.AssetSelection.assets(drift_report),
    description="The drift report of the invoices loaded since the last one.",
    tags=DRIFT_TASK_TAGS,
)

drift_schedule = dg.ScheduleDefinition(
    name="drift_schedule",
    job=drift_job,
    cron_schedule=DRIFT_CRON,
    execution_timezone=DRIFT_TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Sundays 03:00 Europe/Madrid (local time, DST-aware): the weekly drift report.",
)
