"""Load stage: the batch's rows in one transaction; a document the database refuses, or one that
fails a later step, is moved to quarantine and the rest of the batch goes on."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.engine import Engine

from facturas_assets.db import load as db_load
from facturas_assets.pipeline.isolation import Failed, is_service_failure, isolate
from facturas_assets.pipeline.manifest import BatchManifest
from facturas_assets.pipeline.quarantine import quarantine_documents, rejection
from facturas_assets.pipeline.schemas import INVOICES, LINES, QUARANTINE
from facturas_assets.resources.object_store import ObjectStore


@dataclass(slots=True)
class BatchRows:
    """The batch's tables as the later steps see them (invoice_tables' output)."""

    invoices: pd.DataFrame
    lines: pd.DataFrame
    quarantine: list[dict] = field(default_factory=list)

    @classmethod
    def from_tables(cls, tables: Mapping[str, pd.DataFrame]) -> BatchRows:
        """The rows of the tables invoice_tables stored (or the last step that set some apart)."""
        return cls(
            tables[INVOICES.name],
            tables[LINES.name],
            tables[QUARANTINE.name].to_dict("records"),
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        """The rows as the batch's named tables (what the batch IO manager stores)."""
        return {
            INVOICES.name: self.invoices,
            LINES.name: self.lines,
            QUARANTINE.name: pd.DataFrame(self.quarantine, columns=QUARANTINE.columns),
        }


def _trial(engine: Engine, lote: str, invoices: pd.DataFrame, lines: pd.DataFrame) -> None:
    """Load rows in a transaction that is always rolled back: does the database take them?"""
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            db_load.load_batch(conn, lote, invoices, lines)
        finally:
            transaction.rollback()


def load_rows(
    engine: Engine, lote: str, rows: BatchRows
) -> tuple[db_load.LoadResult, dict[str, Failed]]:
    """Load the batch in one transaction. If the database refuses it, each document is tried
    alone (rolled back) to find the ones it refuses, and the others are loaded without them."""
    try:
        return db_load.load_batch(engine, lote, rows.invoices, rows.lines), {}
    except Exception as exc:
        if is_service_failure(exc):
            raise  # a lost connection or lock: the caller retries the whole step
        refused = exc
    failures: dict[str, Failed] = {}
    for invoice in rows.invoices.itertuples():
        sha = invoice.sha256
        one = isolate(
            "load",
            lambda sha=sha: _trial(
                engine,
                lote,
                rows.invoices[rows.invoices["sha256"] == sha],
                rows.lines[rows.lines["invoice_sha256"] == sha],
            ),
            source=invoice.source_key,
        )
        if isinstance(one, Failed):
            failures[sha] = one
    if not failures:
        raise refused  # no single document is at fault: the batch's load itself is
    kept = rows.invoices[~rows.invoices["sha256"].isin(failures)]
    kept_lines = rows.lines[~rows.lines["invoice_sha256"].isin(failures)]
    return db_load.load_batch(engine, lote, kept, kept_lines), failures


def set_apart(
    store: ObjectStore,
    engine: Engine,
    manifest: BatchManifest,
    rows: BatchRows,
    failures: dict[str, Failed],
) -> BatchRows:
    """Move documents whose step failed into quarantine: out of the database and the batch's
    tables, original and reason into quarantine. A document already quarantined keeps its
    reason; the new failure is added to its detail. The caller stores the returned tables, so
    re-runs and later steps see the documents set apart."""
    if not failures:
        return rows
    lote = manifest.lote
    items = {i.sha256: i for i in manifest.new_items}
    held = {row["sha256"]: row for row in rows.quarantine}
    quarantine = list(rows.quarantine)
    for sha, failed in failures.items():
        if sha in held:
            held[sha]["detail"] = f"{held[sha]['detail']}; then {failed.detail}"[:2000]
    fresh = [rejection(items[sha], f) for sha, f in failures.items() if sha not in held]
    quarantine += quarantine_documents(store, lote, items, fresh)
    db_load.remove_invoices(engine, failures)
    db_load.record_quarantine(engine, [r for r in quarantine if r["sha256"] in failures])
    return BatchRows(
        rows.invoices[~rows.invoices["sha256"].isin(failures)].reset_index(drop=True),
        rows.lines[~rows.lines["invoice_sha256"].isin(failures)].reset_index(drop=True),
        quarantine,
    )


@dataclass(slots=True)
class LoadOutcome:
    """What the load stage did."""

    result: db_load.LoadResult
    rows: BatchRows  # the batch's tables as loaded
    refused: int  # documents the database refused, moved to quarantine
    seconds: float  # the database's part (transactions), not reading the tables


def load_stage(
    store: ObjectStore, engine: Engine, manifest: BatchManifest, rows: BatchRows
) -> LoadOutcome:
    """Load the batch's tables and record its quarantine (its rows from earlier runs of the
    batch that no longer hold are removed)."""
    lote = manifest.lote
    started = time.monotonic()
    result, failures = load_rows(engine, lote, rows)
    seconds = time.monotonic() - started
    rows = set_apart(store, engine, manifest, rows, failures)
    db_load.record_quarantine(engine, rows.quarantine)
    db_load.forget_quarantine(engine, lote, [r["sha256"] for r in rows.quarantine])
    return LoadOutcome(result, rows, len(failures), seconds)
