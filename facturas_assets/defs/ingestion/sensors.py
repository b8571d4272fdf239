"""The landing sensor and the hourly safety-net schedule: both open batches of landing files."""

import json
from datetime import timedelta

import dagster as dg

from facturas_assets.defs.batches import ETL_JOB_NAME, batch_partitions
from facturas_assets.defs.ingestion.batch_requests import batches_awaiting_intake, run_request
from facturas_assets.pipeline.planning import plan_batches
from facturas_assets.resources.object_store import ObjectStore

MAX_FILES_PER_BATCH = 500
MAX_BATCHES_PER_TICK = 4
SCHEDULE_MIN_AGE = timedelta(hours=1)
# Listing time per tick: a slow listing opens fewer batches rather than a slow tick (a tick
# then ends within this plus one listing page, far under Dagster's 60 s evaluation limit).
TICK_LISTING_BUDGET_S = 5.0


@dg.sensor(
    job_name=ETL_JOB_NAME,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Opens a batch (one run) for new files in landing, at most 500 files a batch.",
)
def landing_sensor(
    context: dg.SensorEvaluationContext, landing_store: ObjectStore
) -> dg.SensorResult:
    """Walk landing from the cursor on; each tick lists a bounded slice, never the whole bucket."""
    cursor = json.loads(context.cursor) if context.cursor else {}
    start_after = cursor.get("after")
    if start_after is None:
        # A new pass starts at the top of landing: wait until earlier batches took their files,
        # so a file is not requested again while its batch is still queued.
        pending = batches_awaiting_intake(context.instance, landing_store)
        if pending:
            return dg.SensorResult(skip_reason=f"waiting for intake of {len(pending)} batches")
    plan = plan_batches(
        landing_store,
        start_after=start_after,
        max_files_per_batch=MAX_FILES_PER_BATCH,
        max_batches=MAX_BATCHES_PER_TICK,
        time_budget_s=TICK_LISTING_BUDGET_S,
    )
    new_cursor = json.dumps({"after": plan.next_after})
    if not plan.batches:
        return dg.SensorResult(
            skip_reason=f"no new files ({plan.listed} listed)", cursor=new_cursor
        )
    context.log.info(
        f"{sum(len(b.landing_keys) for b in plan.batches)} files -> {len(plan.batches)} batches "
        f"({plan.listed} listed in {plan.seconds:.2f} s)"
    )
    return dg.SensorResult(
        run_requests=[run_request(b, "landing_sensor") for b in plan.batches],
        dynamic_partitions_requests=[
            batch_partitions.build_add_request([b.lote for b in plan.batches])
        ],
        cursor=new_cursor,
    )


@dg.schedule(
    job_name=ETL_JOB_NAME,
    cron_schedule="0 * * * *",
    execution_timezone="Europe/Madrid",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Hourly safety net: batches files that sat in landing over an hour (sensor off?).",
)
def landing_schedule(context: dg.ScheduleEvaluationContext, landing_store: ObjectStore):
    """The old hourly ETL: opens batches only for files the landing sensor left behind."""
    if batches_awaiting_intake(context.instance, landing_store):
        return dg.SkipReason("earlier batches have not taken their files yet")
    plan = plan_batches(
        landing_store,
        max_files_per_batch=MAX_FILES_PER_BATCH,
        max_batches=MAX_BATCHES_PER_TICK,
        min_age=SCHEDULE_MIN_AGE,
    )
    if not plan.batches:
        return dg.SkipReason(f"no file older than {SCHEDULE_MIN_AGE} in landing")
    context.instance.add_dynamic_partitions(batch_partitions.name, [b.lote for b in plan.batches])
    return [run_request(b, "landing_schedule") for b in plan.batches]
