"""reading_memory[lote] and the versions a batch is read with, as recorded in its materializations.

A batch's rows depend on the code that read it (READER_VERSION), the champion classifier and the
reading memory (what earlier exact readings teach the extraction). Each is recorded in the batch's
materialization metadata; a re-run given those versions as config reads the batch the same way.
"""

import dagster as dg
from pydantic import Field

from facturas_assets.defs.batches import OWNER, batch_partitions
from facturas_assets.pipeline.reading_memory import (
    load_rows,
    memory_key,
    rows_from_database,
    save_rows,
)
from facturas_assets.resources.database import DatabaseResource
from facturas_assets.resources.object_store import ObjectStore

VERSION_KEY = "version"


class ReadingMemoryConfig(dg.Config):
    """Pin a batch to a reading memory already stored (a re-run with its recorded version)."""

    version: str = Field(
        default="", description="A stored reading memory version; empty builds it from MySQL."
    )


def recorded_metadata(
    context: dg.AssetExecutionContext, asset: dg.AssetKey, name: str
) -> str | None:
    """A metadata value of the latest materialization of asset for this batch, if any."""
    result = context.instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=asset, asset_partitions=[context.partition_key]),
        limit=1,
    )
    if not result.records:
        return None
    materialization = result.records[0].asset_materialization
    value = materialization.metadata.get(name) if materialization else None
    return None if value is None else str(value.value)


@dg.asset(
    partitions_def=batch_partitions,
    group_name="etl",
    owners=[OWNER],
    kinds={"mysql", "json", "s3"},
    # Reviewed invoices teach it too (read from MySQL with the rest): a correction is new input.
    deps=[dg.AssetKey("reviewed_corrections")],
)
def reading_memory(
    context: dg.AssetExecutionContext,
    config: ReadingMemoryConfig,
    database: DatabaseResource,
    models_store: ObjectStore,
) -> dg.MaterializeResult:
    """What extraction learns from invoices read exactly, stored by content hash for this batch."""
    # Built from every invoice loaded so far (MySQL), not from an asset: a dependency on
    # invoice_rows would be a cycle. The content hash makes what the batch read with explicit.
    if config.version:
        try:
            rows = load_rows(models_store, config.version)
        except (LookupError, ValueError) as exc:
            raise dg.Failure(f"cannot pin the reading memory: {exc}") from None
        version = config.version
    else:
        rows = rows_from_database(database.engine())
        version = save_rows(models_store, rows)
    context.log.info(f"reading memory {version[:12]}: {len(rows.descriptions)} descriptions")
    return dg.MaterializeResult(
        metadata={
            VERSION_KEY: version,
            "pinned": bool(config.version),
            "descriptions": len(rows.descriptions),
            "parties": len(rows.parties),
            "invoice_numbers": len(rows.numbers),
            "key": dg.MetadataValue.url(models_store.uri(memory_key(version))),
        },
        data_version=dg.DataVersion(version),
    )
