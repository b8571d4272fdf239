"""Choosing which landing files open a batch: shared by the landing sensor and hourly schedule."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from facturas_assets.pipeline import keys
from facturas_assets.resources.object_store import ObjectStore, StoredObject


@dataclass(slots=True)
class PlannedBatch:
    """A batch to open: its lote id and the landing keys it takes."""

    lote: str
    landing_keys: list[str]


@dataclass(slots=True)
class Plan:
    batches: list[PlannedBatch] = field(default_factory=list)
    next_after: str | None = None  # where the next listing resumes (None: from the start)
    listed: int = 0
    skipped_young: int = 0
    seconds: float = 0.0


def lote_id(objects: list[StoredObject], now: datetime) -> str:
    """A batch id that sorts by time and names its content: `YYYYMMDD-HHMMSS-<hash>`."""
    digest = hashlib.sha256()
    for obj in objects:
        # surrogateescape: a local file name that is not UTF-8 hashes as its own bytes.
        digest.update(f"{obj.key}\0{obj.etag}\0{obj.size}\n".encode("utf-8", "surrogateescape"))
    return f"{now:%Y%m%d-%H%M%S}-{digest.hexdigest()[:10]}"


def plan_batches(
    store: ObjectStore,
    *,
    landing_prefix: str = "",
    start_after: str | None = None,
    max_files_per_batch: int = 500,
    max_batches: int = 4,
    min_age: timedelta = timedelta(0),
    time_budget_s: float = 20.0,
    now: datetime | None = None,
) -> Plan:
    """List landing from `start_after` on and cut the new files into batches.

    Work per call is bounded (by file count and a time budget, far under the 60 s sensor limit),
    so a bucket with many thousand objects is walked across ticks instead of listed from scratch.
    """
    now = now or datetime.now(UTC)
    started = time.monotonic()
    plan = Plan()
    current: list[StoredObject] = []
    limit = max_files_per_batch * max_batches
    taken = 0
    exhausted = True
    for obj in store.list_objects(landing_prefix, start_after=start_after, recursive=False):
        # Checked before taking an object, and whatever it skips (young files too), so a slow
        # listing ends the tick on time; the cursor resumes at the first object not looked at.
        if plan.listed and time.monotonic() - started > time_budget_s:
            exhausted = False
            break
        plan.listed += 1
        plan.next_after = obj.key
        if not keys.is_landing_key(obj.key, landing_prefix):
            continue
        if now - obj.last_modified < min_age:
            plan.skipped_young += 1
            continue
        current.append(obj)
        taken += 1
        if len(current) == max_files_per_batch:
            plan.batches.append(PlannedBatch(lote_id(current, now), [o.key for o in current]))
            current = []
        if taken >= limit:
            exhausted = False
            break
    if current:
        plan.batches.append(PlannedBatch(lote_id(current, now), [o.key for o in current]))
    if exhausted:
        plan.next_after = None  # reached the end: the next pass starts over from the beginning
    plan.seconds = time.monotonic() - started
    return plan
