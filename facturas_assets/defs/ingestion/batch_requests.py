"""Turning planned batches into run requests, and knowing which batches still hold landing files."""

from __future__ import annotations

import dagster as dg

from facturas_assets.defs.batches import ETL_JOB_NAME, ETL_RUN_TAGS
from facturas_assets.pipeline import keys
from facturas_assets.pipeline.planning import PlannedBatch
from facturas_assets.resources.object_store import ObjectStore

_NOT_FINISHED = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def run_request(batch: PlannedBatch, source: str) -> dg.RunRequest:
    """One run of the ETL job for a batch; run_key = lote, so a batch is never requested twice."""
    return dg.RunRequest(
        run_key=batch.lote,
        partition_key=batch.lote,
        run_config={"ops": {"raw_invoices": {"config": {"landing_keys": batch.landing_keys}}}},
        tags={
            **ETL_RUN_TAGS,
            "facturas/opened_by": source,
            "facturas/files": str(len(batch.landing_keys)),
        },
    )


def batches_awaiting_intake(instance: dg.DagsterInstance, store: ObjectStore) -> list[str]:
    """Lotes of unfinished ETL runs whose files may still sit in landing (no manifest yet)."""
    runs = instance.get_runs(
        filters=dg.RunsFilter(job_name=ETL_JOB_NAME, statuses=_NOT_FINISHED), limit=200
    )
    lotes = [run.tags.get("dagster/partition") for run in runs]
    return [lote for lote in lotes if lote and not store.exists(keys.manifest_key(lote))]
