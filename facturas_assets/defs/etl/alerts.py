"""One alert per failure: a failed batch is reported once, and a repeating error once an hour."""

import hashlib
import re
import time

import dagster as dg

from facturas_assets.defs.batches import ETL_JOB_NAME
from facturas_assets.resources.notifications import NotifierResource

QUIET_SECONDS = 3600
_KEY_PREFIX = "facturas/alerts/"


def error_signature(job_name: str, message: str) -> str:
    """The same error across batches (ids and numbers aside) gives the same signature."""
    generic = re.sub(r"[0-9a-f]{8,}|\d+", "#", message.lower())[:500]
    return hashlib.sha256(f"{job_name}\0{generic}".encode()).hexdigest()[:16]


def should_alert(instance: dg.DagsterInstance, signature: str, now: float) -> bool:
    """True unless the same signature was alerted within the quiet period; records this alert."""
    key = _KEY_PREFIX + signature
    storage = instance.run_storage
    last = storage.get_cursor_values({key}).get(key)
    if last is not None and now - float(last) < QUIET_SECONDS:
        return False
    storage.set_cursor_values({key: str(now)})
    return True


@dg.run_failure_sensor(
    monitored_jobs=None,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Alerts once per failed run, and at most hourly for an error that keeps repeating.",
)
def failure_alert_sensor(context: dg.RunFailureSensorContext, notifier: NotifierResource) -> None:
    """Posts a failed run to the notifier, without flooding it when many batches fail alike."""
    run = context.dagster_run
    message = context.failure_event.message or "run failed"
    if not should_alert(context.instance, error_signature(run.job_name, message), time.time()):
        context.log.info(f"run {run.run_id} failed like an earlier one: alert not repeated")
        return
    lote = run.tags.get("dagster/partition", "-")
    notifier.notify(
        message[:1500],
        title=f"{run.job_name} failed"
        + (f" for batch {lote}" if run.job_name == ETL_JOB_NAME else ""),
        fields={"run_id": run.run_id, "job": run.job_name, "lote": lote},
    )
