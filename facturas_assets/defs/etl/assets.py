"""The per-batch ETL assets: text, classification, tables, MySQL rows and the Drive archive."""

import time
from datetime import timedelta

import dagster as dg
import pandas as pd
from pydantic import Field

from facturas_assets.db import load as db_load
from facturas_assets.db.errors import is_transient
from facturas_assets.db.queries import find_invoice_numbers
from facturas_assets.defs.batches import OWNER, batch_partitions
from facturas_assets.defs.etl import checks
from facturas_assets.defs.etl.summary import batch_summary, preview
from facturas_assets.defs.etl.ui import (
    category_table,
    counts_table,
    quarantine_table,
    stage_table,
)
from facturas_assets.defs.etl.versions import VERSION_KEY, reading_memory, recorded_metadata
from facturas_assets.defs.termination import stops_when_terminated
from facturas_assets.documents.cache import READER_VERSION
from facturas_assets.pipeline.archive import archive_batch
from facturas_assets.pipeline.classify import classify_batch
from facturas_assets.pipeline.load import BatchRows, load_stage, set_apart
from facturas_assets.pipeline.manifest import BatchManifest, load_manifest
from facturas_assets.pipeline.quarantine import quarantine_documents
from facturas_assets.pipeline.reading import batch_outcomes, read_batch
from facturas_assets.pipeline.reading_memory import load_rows
from facturas_assets.pipeline.schemas import BATCH_TABLES
from facturas_assets.pipeline.tabulate import labels_from_frame, tabulate_batch
from facturas_assets.resources import BATCH_IO_MANAGER
from facturas_assets.resources.batch_tables import BatchTableStore, definition_metadata
from facturas_assets.resources.database import DatabaseResource
from facturas_assets.resources.drive import DriveResource
from facturas_assets.resources.metrics import MetricsResource
from facturas_assets.resources.notifications import NotifierResource
from facturas_assets.resources.object_store import ObjectStore
from facturas_assets.settings import METRIC_ETL_PROCESSING_TIME
from facturas_assets.training.champion import load_champion, load_version

CHAMPION_VERSION_KEY = "champion_version"
ETL = {"partitions_def": batch_partitions, "group_name": "etl", "owners": [OWNER]}
STORE_RETRY = dg.RetryPolicy(max_retries=3, delay=2, backoff=dg.Backoff.EXPONENTIAL)
LOAD_MAX_RETRIES = 4
LOAD_RETRY_BASE_S = 2.0
# The stages of a batch before drive_archive, in order, as its stage table lists them.
STAGES = ("raw_invoices", "invoice_text", "classified_invoices", "invoice_tables", "invoice_rows")
# A batch's rows are expected in MySQL within the hour: the landing sensor opens a batch a minute
# after files land, and the hourly schedule takes whatever it left.
ROWS_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=1))


def _keep(store: ObjectStore, lote: str, rows: BatchRows) -> None:
    """Store the batch's tables again after documents were set apart, so re-runs and later
    steps see them (the same typed tables invoice_tables' output went through)."""
    BatchTableStore(store).write_all(lote, BATCH_TABLES["invoice_tables"], rows.tables())


def _manifest(context: dg.AssetExecutionContext, store: ObjectStore) -> BatchManifest:
    manifest = load_manifest(store, context.partition_key)
    if manifest is None:
        raise dg.Failure(f"batch {context.partition_key} has no manifest: materialize raw_invoices")
    return manifest


@dg.asset(deps=["raw_invoices"], kinds={"tesseract", "s3"}, retry_policy=STORE_RETRY, **ETL)
@stops_when_terminated
def invoice_text(
    context: dg.AssetExecutionContext, landing_store: ObjectStore
) -> dg.MaterializeResult:
    """Text of every document: e-invoice XML, else the PDF text layer, else Tesseract OCR."""
    manifest = _manifest(context, landing_store)

    def progress(n: int, total: int) -> None:
        if n == total or n % 25 == 0:
            context.log.info(f"read {n}/{total} documents")

    summary = read_batch(landing_store, manifest, progress=progress)
    return dg.MaterializeResult(
        metadata={
            "reader_version": READER_VERSION,
            "documents": len(manifest.new_items),
            "read_now": summary.read,
            "already_read": summary.cached,
            "pages": summary.pages,
            "by_method": dict(summary.methods),
            "unreadable": dict(summary.rejected),
            "seconds": round(summary.seconds, 3),
            "pages_per_second": round(summary.pages / summary.seconds, 2) if summary.seconds else 0,
        }
    )


class ClassifyConfig(dg.Config):
    """Pin a batch to a registered classifier version (a re-run with its recorded version)."""

    champion_version: str = Field(
        default="", description="A model version in the models store; empty uses the champion."
    )


@dg.asset(
    deps=["invoice_text", "invoice_classifier"],
    kinds={"tensorflow", "parquet", "s3"},
    io_manager_key=BATCH_IO_MANAGER,
    metadata=definition_metadata("classified_invoices"),
    retry_policy=STORE_RETRY,
    **ETL,
)
@stops_when_terminated
def classified_invoices(
    context: dg.AssetExecutionContext,
    config: ClassifyConfig,
    landing_store: ObjectStore,
    models_store: ObjectStore,
) -> dg.MaterializeResult:
    """Each readable document labelled preventiva or correctiva by the champion Keras model."""
    started = time.monotonic()
    manifest = _manifest(context, landing_store)
    if config.champion_version:
        try:
            model = load_version(models_store, config.champion_version)
        except LookupError as exc:
            raise dg.Failure(f"cannot pin the classifier: {exc}") from None
    else:
        model = load_champion(models_store)
    if model is None:
        raise dg.Failure(
            "no champion classifier in the models store: run training_job "
            "(or `facturas train`) first; the batch stays in the raw zone untouched"
        )
    frame = classify_batch(batch_outcomes(landing_store, manifest), model)
    labelled = frame[frame["category"].notna()]
    return dg.MaterializeResult(
        value=frame,
        metadata={
            CHAMPION_VERSION_KEY: str(model.metadata.get("version")),
            "classified": len(labelled),
            "failed": len(frame) - len(labelled),  # quarantined by invoice_tables with the error
            "by_category": counts_table(labelled["category"].value_counts().to_dict(), "category"),
            "mean_confidence": round(float(labelled["confidence"].mean()), 4)
            if len(labelled)
            else 0.0,
            "low_confidence": int((labelled["confidence"] < 0.8).sum()),
            "seconds": round(time.monotonic() - started, 3),
        },
    )


@dg.asset(
    deps=[reading_memory],
    ins={"classified": dg.AssetIn("classified_invoices")},
    kinds={"parquet", "s3"},
    io_manager_key=BATCH_IO_MANAGER,
    metadata=definition_metadata("invoice_tables"),
    # With check specs, a bare MaterializeResult annotation makes the output Nothing: declare it.
    dagster_type=dict,
    check_specs=checks.TABLE_CHECKS,
    retry_policy=STORE_RETRY,
    **ETL,
)
@stops_when_terminated
def invoice_tables(
    context: dg.AssetExecutionContext,
    classified: pd.DataFrame,
    landing_store: ObjectStore,
    models_store: ObjectStore,
    database: DatabaseResource,
) -> dg.MaterializeResult:
    """Validated header and line-item tables of the batch (Parquet); bad documents quarantined."""
    started = time.monotonic()
    lote = context.partition_key
    manifest = _manifest(context, landing_store)
    labels = labels_from_frame(classified)
    engine = database.engine()
    # The memory this batch's reading_memory partition recorded, not today's database: a re-run
    # of an old batch reads it as it was read then.
    memory_version = recorded_metadata(context, reading_memory.key, VERSION_KEY)
    if memory_version is None:
        raise dg.Failure(f"batch {lote} has no reading memory: materialize reading_memory first")
    memory = load_rows(models_store, memory_version).memory()
    context.log.info(
        f"from exact readings: {len(memory.vocabulary)} description words, "
        f"{len(memory.parties)} parties"
    )
    tables = tabulate_batch(
        lote,
        batch_outcomes(landing_store, manifest),
        labels,
        lambda pairs: find_invoice_numbers(engine, pairs),
        memory,
    )
    items = {i.sha256: i for i in manifest.new_items}
    quarantine_rows = quarantine_documents(landing_store, lote, items, tables.rejections)
    rows = BatchRows(tables.invoices, tables.lines, quarantine_rows)
    reasons = pd.Series([r.reason for r in tables.rejections], dtype=object).value_counts()
    return dg.MaterializeResult(
        value=rows.tables(),
        metadata={
            "versions": dg.MetadataValue.json(
                {
                    "reading_memory": memory_version,
                    CHAMPION_VERSION_KEY: recorded_metadata(
                        context, classified_invoices.key, CHAMPION_VERSION_KEY
                    ),
                    "reader_version": READER_VERSION,
                }
            ),
            "invoices": len(tables.invoices),
            "lines": len(tables.lines),
            "vocabulary_words": len(memory.vocabulary),
            "known_parties": len(memory.parties),
            "quarantined": len(tables.rejections),
            "quarantine_reasons": counts_table(reasons.to_dict(), "reason"),
            "quarantine_detail": quarantine_table(
                (r.landing_key, r.reason, r.detail) for r in tables.rejections
            ),
            "preview": dg.MetadataValue.md(preview(tables.invoices)),
            "seconds": round(time.monotonic() - started, 3),
        },
        check_results=checks.table_checks(tables, len(manifest.new_items)),
    )


@dg.asset(
    kinds={"mysql"},
    check_specs=[checks.COUNTS_BALANCE],
    freshness_policy=ROWS_FRESHNESS,
    **ETL,
)
def invoice_rows(
    context: dg.AssetExecutionContext,
    invoice_tables: dict[str, pd.DataFrame],
    landing_store: ObjectStore,
    database: DatabaseResource,
) -> dg.MaterializeResult:
    """The batch's invoices and lines upserted into MySQL in one transaction (idempotent)."""
    started = time.monotonic()
    lote = context.partition_key
    manifest = _manifest(context, landing_store)
    engine = database.engine()
    try:
        db_load.record_batch(engine, lote, status="processing", count_in=len(manifest.items))
        loaded = load_stage(landing_store, engine, manifest, BatchRows.from_tables(invoice_tables))
    except Exception as exc:
        if not is_transient(exc):
            raise  # a schema problem or a bug: retrying cannot help
        # The connection died or a lock timed out: the transaction rolled back, so the step
        # simply runs again after a growing pause.
        wait = LOAD_RETRY_BASE_S * 2**context.retry_number
        context.log.warning(f"database error during load, retrying in {wait:.0f} s: {exc}")
        raise dg.RetryRequested(max_retries=LOAD_MAX_RETRIES, seconds_to_wait=wait) from exc
    if loaded.refused:
        _keep(landing_store, lote, loaded.rows)
    result, invoices, quarantined = loaded.result, loaded.rows.invoices, loaded.rows.quarantine
    seconds = time.monotonic() - started
    db_load.update_batch(
        engine,
        lote,
        count_loaded=len(invoices),
        # intake quarantined some files itself (names it cannot store, symlinks): count them too
        count_quarantined=len(quarantined) + len(manifest.quarantined),
        timings={"invoice_rows": seconds},
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(invoices),
            "inserted": result.inserted,
            "updated": result.updated,
            "lines_written": result.lines_written,
            "removed_stale": result.removed,
            "quarantine_rows": len(quarantined),
            "refused_by_database": loaded.refused,  # set apart into quarantine, the rest loaded
            # the transaction alone (reading the batch's Parquet files is not the database's cost)
            "lines_per_second": round(result.lines_written / loaded.seconds, 1)
            if loaded.seconds
            else 0.0,
            "database": database.display_url(),
            "seconds": round(seconds, 3),
        },
        check_results=[
            checks.counts_balance(
                documents_new=len(manifest.new_items),
                loaded=len(invoices),
                quarantined=len(quarantined),
                duplicates=len(manifest.duplicates),
            )
        ],
    )


@dg.asset(deps=["invoice_rows"], kinds={"googledrive"}, retry_policy=STORE_RETRY, **ETL)
@stops_when_terminated
def drive_archive(
    context: dg.AssetExecutionContext,
    invoice_tables: dict[str, pd.DataFrame],
    landing_store: ObjectStore,
    database: DatabaseResource,
    drive: DriveResource,
    notifier: NotifierResource,
    metrics: MetricsResource,
) -> dg.MaterializeResult:
    """Every original in Drive histórico, and each loaded invoice in preventivos/correctivos."""
    started = time.monotonic()
    lote = context.partition_key
    manifest = _manifest(context, landing_store)
    rows = BatchRows.from_tables(invoice_tables)
    categories = dict(zip(rows.invoices["sha256"], rows.invoices["category"], strict=True))

    def progress(n: int, total: int) -> None:
        if n == total or n % 100 == 0:
            context.log.info(f"archived {n}/{total} originals")

    result = archive_batch(drive, landing_store, manifest.new_items, categories, progress)
    engine = database.engine()
    rows = set_apart(landing_store, engine, manifest, rows, result.failures)
    names = {i.sha256: i.landing_key for i in manifest.new_items}
    if result.failures:
        _keep(landing_store, lote, rows)
    db_load.set_drive_file_ids(engine, result.file_ids)
    invoices = rows.invoices
    quarantined = pd.DataFrame(rows.quarantine)
    seconds = time.monotonic() - started
    db_load.update_batch(
        engine,
        lote,
        status="done",
        count_loaded=len(invoices),
        count_quarantined=len(rows.quarantine) + len(manifest.quarantined),
        timings={"drive_archive": seconds},
    )

    stats = context.instance.get_run_stats(context.run_id)
    elapsed = time.time() - stats.start_time if stats.start_time else seconds
    metrics.put_metric(METRIC_ETL_PROCESSING_TIME, elapsed, "Seconds", {"Pipeline": "invoices"})
    summary = batch_summary(lote, manifest, invoices, quarantined, elapsed)
    notifier.notify(summary.text, title=summary.title, fields=summary.fields)
    return dg.MaterializeResult(
        metadata={
            "archived": len(result.file_ids),
            "archive_failures": quarantine_table(
                (names.get(sha, sha[:12]), f.reason, f.detail) for sha, f in result.failures.items()
            ),
            "history_folder": "histórico",
            "processing_seconds": round(elapsed, 2),
            "summary": dg.MetadataValue.md(summary.markdown),
            "by_category": category_table(invoices, "category_confidence"),
            "stage_seconds": stage_table({**_stage_seconds(context), "drive_archive": seconds}),
            "seconds": round(seconds, 3),
        }
    )


def _stage_seconds(context: dg.AssetExecutionContext) -> dict[str, float]:
    """Seconds each earlier stage of this batch took, as its latest materialization recorded."""
    recorded = {s: recorded_metadata(context, dg.AssetKey(s), "seconds") for s in STAGES}
    return {stage: float(value) for stage, value in recorded.items() if value is not None}


etl_assets = [
    invoice_text,
    classified_invoices,
    reading_memory,
    invoice_tables,
    invoice_rows,
    drive_archive,
]
