"""labelled_data_sensor: a run of training_job when the labelled-data folders change.

The cursor keeps a digest of the listing of invoices_train / invoices_test (path and content hash
of every file). A changed listing is first only noted; the run is requested once the listing is
the same on the next tick, so a bulk upload in progress does not start one run per file. The run
is the whole training_job: a model always names the data it was trained on, and the gate keeps a
worse model from replacing the champion.
"""

import hashlib
import json

import dagster as dg

from facturas_assets.defs.training.jobs import training_job
from facturas_assets.resources.drive import DriveResource
from facturas_assets.training.labelled_files import SPLIT_FOLDERS

MIN_INTERVAL_SECONDS = 300


def listing_digest(drive: DriveResource) -> tuple[str, int]:
    """Digest of the labelled-data folders' listing and its number of files."""
    entries = []
    for folder in SPLIT_FOLDERS.values():
        for f in drive.list_files(folder, True):
            entries.append((f.path, f.sha256 or f.md5 or str(f.size)))
    payload = json.dumps(sorted(entries), separators=(",", ":")).encode()
    return hashlib.sha256(payload).hexdigest(), len(entries)


@dg.sensor(
    job=training_job,
    minimum_interval_seconds=MIN_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Runs training_job when labelled invoices are added, changed or removed in Drive.",
)
def labelled_data_sensor(
    context: dg.SensorEvaluationContext, drive: DriveResource
) -> dg.SensorResult:
    """Watch invoices_train / invoices_test and request training once a change has settled."""
    cursor = json.loads(context.cursor) if context.cursor else {}
    digest, count = listing_digest(drive)
    if count == 0:
        return dg.SensorResult(
            skip_reason="the labelled-data folders are empty", cursor=context.cursor
        )
    if digest == cursor.get("trained"):
        return dg.SensorResult(skip_reason="no change in the labelled data", cursor=context.cursor)
    if digest != cursor.get("pending"):
        new_cursor = json.dumps({**cursor, "pending": digest})
        return dg.SensorResult(
            skip_reason=f"labelled data changed ({count} files); waiting one tick for it to settle",
            cursor=new_cursor,
        )
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=digest, tags={"facturas/labelled_files": str(count)})],
        cursor=json.dumps({"trained": digest, "pending": None}),
    )
