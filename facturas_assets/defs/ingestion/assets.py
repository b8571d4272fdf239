"""raw_invoices: each batch's landing files, copied into the content-addressed raw zone."""

import time

import dagster as dg
from pydantic import Field

from facturas_assets.db import load as db_load
from facturas_assets.defs.batches import OWNER, batch_partitions
from facturas_assets.defs.etl.ui import quarantine_table
from facturas_assets.defs.termination import stops_when_terminated
from facturas_assets.pipeline import claims, keys
from facturas_assets.pipeline.intake import intake_batch
from facturas_assets.pipeline.planning import plan_batches
from facturas_assets.resources.database import DatabaseResource
from facturas_assets.resources.object_store import ObjectStore


class IntakeConfig(dg.Config):
    """Which landing files the batch takes (set by the sensor and schedule)."""

    landing_keys: list[str] = Field(
        default_factory=list,
        description="Landing keys of the batch. Empty: take what sits in landing now (capped).",
    )
    landing_prefix: str = ""
    max_files: int = Field(default=500, description="Cap when the batch lists landing itself.")


@dg.asset(
    partitions_def=batch_partitions,
    group_name="ingestion",
    owners=[OWNER],
    kinds={"s3", "mysql"},  # the raw zone, and claims / quarantine rows in MySQL
    retry_policy=dg.RetryPolicy(max_retries=3, delay=2, backoff=dg.Backoff.EXPONENTIAL),
)
@stops_when_terminated
def raw_invoices(
    context: dg.AssetExecutionContext,
    config: IntakeConfig,
    landing_store: ObjectStore,
    database: DatabaseResource,
) -> dg.MaterializeResult:
    """The batch's original files, copied by sha256 into the raw zone, with the batch manifest."""
    lote = context.partition_key
    started = time.monotonic()
    landing_keys = config.landing_keys
    if not landing_keys:
        plan = plan_batches(
            landing_store,
            landing_prefix=config.landing_prefix,
            max_files_per_batch=config.max_files,
            max_batches=1,
        )
        landing_keys = plan.batches[0].landing_keys if plan.batches else []
    engine = database.engine()

    def claim_many(owner: str, items: list[tuple[str, str]]) -> dict[str, str]:
        return claims.claim_many(engine, owner, items)

    def progress(n: int) -> None:
        if n % 100 == 0:
            context.log.info(f"intake: {n}/{len(landing_keys)} files copied")

    result = intake_batch(
        landing_store, lote, landing_keys, progress=progress, claim_many=claim_many
    )
    manifest = result.manifest
    # Files quarantined by intake itself (unusable names, symlinks) get their rows now; a
    # replay records them again (an upsert), so a failure after the manifest loses none.
    db_load.record_quarantine(engine, result.quarantine_rows)
    if result.replayed:
        context.log.info(f"batch {lote} already has a manifest: replayed from the raw zone")
    if result.missing:
        context.log.warning(f"{len(result.missing)} landing files were gone before intake")
    if result.left_in_landing:
        context.log.warning(
            f"{len(result.left_in_landing)} landing files changed during intake: what was read is "
            "processed in this batch, the new content stays in landing for the next one"
        )
    duplicates = manifest.duplicates
    quarantined = manifest.quarantined
    return dg.MaterializeResult(
        metadata={
            "documents_in": len(manifest.items),
            "new": len(manifest.new_items),
            "duplicates": len(duplicates),
            "missing_from_landing": len(result.missing),
            "changed_during_intake": len(result.left_in_landing),
            "quarantined_at_intake": len(quarantined),
            "quarantine_detail": quarantine_table(
                (q.landing_key, q.quarantine_reason or "", q.quarantine_detail or "")
                for q in quarantined
            ),
            "replayed": result.replayed,
            "bytes": sum(i.size for i in manifest.items),
            "manifest": dg.MetadataValue.url(landing_store.uri(keys.manifest_key(lote))),
            "duplicates_detail": dg.MetadataValue.md(
                "\n".join(f"- `{d.landing_key}` = lote `{d.duplicate_of}`" for d in duplicates[:50])
                or "none"
            ),
            "seconds": round(time.monotonic() - started, 3),
        }
    )
