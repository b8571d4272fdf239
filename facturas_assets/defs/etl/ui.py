"""Batch metadata as the Dagster UI draws it: tables instead of dicts and run-on markdown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import dagster as dg
import pandas as pd

MAX_ROWS = 100  # rows of a metadata table; the rest stay in the database and the object store

QUARANTINE_SCHEMA = dg.TableSchema(
    columns=[
        dg.TableColumn("document", "string", description="the name it landed with"),
        dg.TableColumn("reason", "string", description="short stable reason code"),
        dg.TableColumn("detail", "string"),
    ]
)
STAGE_SCHEMA = dg.TableSchema(
    columns=[dg.TableColumn("stage", "string"), dg.TableColumn("seconds", "float")]
)
CATEGORY_SCHEMA = dg.TableSchema(
    columns=[
        dg.TableColumn("category", "string"),
        dg.TableColumn("invoices", "int"),
        dg.TableColumn("pending_review", "int"),
        dg.TableColumn("mean_confidence", "float"),
    ]
)


def quarantine_table(rows: Iterable[tuple[str, str, str]]) -> dg.TableMetadataValue:
    """(document, reason, detail) rows as a table: shown as text, never parsed as markdown."""
    records = [
        dg.TableRecord({"document": doc, "reason": reason, "detail": detail})
        for doc, reason, detail in list(rows)[:MAX_ROWS]
    ]
    return dg.MetadataValue.table(records, schema=QUARANTINE_SCHEMA)


def counts_table(counts: Mapping[str, int], label: str) -> dg.TableMetadataValue:
    """A label -> count mapping as a two-column table, largest first."""
    schema = dg.TableSchema(
        columns=[dg.TableColumn(label, "string"), dg.TableColumn("count", "int")]
    )
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    records = [dg.TableRecord({label: str(k), "count": int(v)}) for k, v in ordered]
    return dg.MetadataValue.table(records, schema=schema)


def stage_table(seconds: Mapping[str, float]) -> dg.TableMetadataValue:
    """Seconds per stage of the batch, in the order the stages ran."""
    records = [dg.TableRecord({"stage": k, "seconds": round(v, 3)}) for k, v in seconds.items()]
    return dg.MetadataValue.table(records, schema=STAGE_SCHEMA)


def category_table(invoices: pd.DataFrame, confidence: str) -> dg.TableMetadataValue:
    """Invoices per category: how many, how many wait for review, the mean category confidence."""
    records = []
    if len(invoices):
        pending = invoices["status"] == "pending_review" if "status" in invoices else False
        frame = invoices.assign(pending=pending)
        for category, group in frame.groupby("category", sort=True):
            records.append(
                dg.TableRecord(
                    {
                        "category": str(category),
                        "invoices": len(group),
                        "pending_review": int(group["pending"].sum()),
                        "mean_confidence": round(float(group[confidence].mean()), 4),
                    }
                )
            )
    return dg.MetadataValue.table(records, schema=CATEGORY_SCHEMA)
