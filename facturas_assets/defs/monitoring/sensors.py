"""Retraining on drift (a drift verdict becomes one run of the training job), and the sensor that
carries out drift_report's automation condition.

retraining_sensor stays hand-written: it acts on the verdict in the report's metadata, which no
automation condition reads, and training_job sits upstream of drift_report (a condition on it
would need a cycle in the graph).
"""

import dagster as dg

from facturas_assets.defs.monitoring.assets import DRIFT_REPORT_KEY
from facturas_assets.defs.monitoring.schedules import DRIFT_TASK_TAGS

TRAINING_JOB_NAME = "training_job"
_PAGE = 100


def _text(record: dg.EventLogRecord, key: str) -> str | None:
    """A metadata value of the record's materialization as text (None when absent)."""
    materialization = record.asset_materialization
    if materialization is None or key not in materialization.metadata:
        return None
    return str(materialization.metadata[key].value)


def _new_reports(instance: dg.DagsterInstance, cursor: int | None) -> list[dg.EventLogRecord]:
    """drift_report materializations after the cursor, oldest first.

    Without a cursor (first tick ever) only the latest report counts: the sensor acts on what
    it sees from now on, never on the whole history.
    """
    if cursor is None:
        latest = instance.fetch_materializations(DRIFT_REPORT_KEY, limit=1, ascending=False)
        return list(latest.records)
    records: list[dg.EventLogRecord] = []
    page_cursor: str | None = None
    records_filter = dg.AssetRecordsFilter(asset_key=DRIFT_REPORT_KEY, after_storage_id=cursor)
    while True:
        page = instance.fetch_materializations(
            records_filter, limit=_PAGE, cursor=page_cursor, ascending=True
        )
        records.extend(page.records)
        if not page.has_more:
            return records
        page_cursor = page.cursor


@dg.sensor(
    job_name=TRAINING_JOB_NAME,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts training_job once for each drift_report whose verdict is drift.",
)
def retraining_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    """Turns a drift verdict of drift_report into exactly one run of training_job."""
    cursor = int(context.cursor) if context.cursor else None
    records = _new_reports(context.instance, cursor)
    if not records:
        # "0": every report from now on is new, even on the tick after the very first.
        return dg.SensorResult(skip_reason="no new drift report", cursor=context.cursor or "0")
    new_cursor = str(max(r.storage_id for r in records))
    drifted = [r for r in records if _text(r, "verdict") == "drift"]
    if not drifted:
        return dg.SensorResult(
            skip_reason=f"{len(records)} new drift report(s), none with verdict drift",
            cursor=new_cursor,
        )
    # Several drift reports between two ticks need one retraining, on the latest data.
    latest = drifted[-1]
    report_id = _text(latest, "report_id") or ""
    context.log.info(
        f"drift report {report_id} (materialization {latest.storage_id}) requests retraining"
    )
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=f"drift-report-{latest.storage_id}",
                tags={
                    "facturas/trigger": "drift_report",
                    "facturas/drift_report": report_id,
                    "facturas/drift_report_storage_id": str(latest.storage_id),
                },
            )
        ],
        cursor=new_cursor,
    )


# A named sensor rather than the default one: its runs carry the drift job's Fargate size, and
# it is on by default like the rest of the platform's automation.
drift_automation_sensor = dg.AutomationConditionSensorDefinition(
    "drift_automation_sensor",
    target=dg.AssetSelection.keys(DRIFT_REPORT_KEY),
    run_tags=DRIFT_TASK_TAGS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Runs drift_report when its automation condition holds (a new feature baseline).",
)
