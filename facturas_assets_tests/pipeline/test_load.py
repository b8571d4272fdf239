"""The load stage sets apart a document the database refuses and loads the rest of the batch."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from facturas_assets.db.tables import invoice_lines, invoices, quarantine
from facturas_assets.pipeline.isolation import Failed
from facturas_assets.pipeline.load import BatchRows, load_rows, load_stage, set_apart
from facturas_assets.pipeline.manifest import ManifestItem, new_manifest, save_manifest
from facturas_assets.resources.object_store import LocalObjectStore
from facturas_assets_tests.db.factories import batch, invoice

LOTE = "20260301-000000-load"


def _rows(bad_fields: dict) -> tuple[BatchRows, str]:
    """Three good invoices and one whose header holds `bad_fields`; (rows, the bad one's sha)."""
    heads, lines = batch("ok", 3)
    bad, bad_lines = invoice("malo", **bad_fields)
    frame = pd.DataFrame([*heads, bad]).assign(lote=LOTE)
    return BatchRows(frame, pd.DataFrame([*lines, *bad_lines])), bad["sha256"]


def _count(engine, table, **where) -> int:
    query = sa.select(sa.func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


def test_a_row_the_database_cannot_take_is_set_apart(engine) -> None:
    # A lone surrogate neither MySQL's driver nor SQLite can encode (reading no longer lets one
    # through, but a bad value of any kind must cost its own document only).
    rows, bad = _rows({"seller_name": "Hilaturas \ud800"})
    result, failures = load_rows(engine, LOTE, rows)
    assert set(failures) == {bad}
    assert failures[bad].reason == "reader_error"
    assert "load: UnicodeEncodeError" in failures[bad].detail
    assert result.inserted == 3
    assert _count(engine, invoices) == 3 and _count(engine, invoices, sha256=bad) == 0
    assert _count(engine, invoice_lines) == 9  # the refused trial left nothing behind


def test_moved_documents_leave_the_database_and_the_batch_tables(engine, tmp_path) -> None:
    store = LocalObjectStore(bucket="mes-en-curso", root=str(tmp_path / "buckets"))
    rows, bad = _rows({})
    manifest = new_manifest(LOTE)
    for sha in rows.invoices["sha256"]:
        raw = f"raw/{sha}.pdf"
        store.write_bytes(raw, b"%PDF-1.4 " + sha.encode())
        manifest.items.append(ManifestItem(f"{sha[:8]}.pdf", sha, raw, 10))
    save_manifest(store, manifest)
    loaded = load_stage(store, engine, manifest, rows)
    assert loaded.refused == 0 and _count(engine, invoices) == 4

    # After its load, the archive of one document fails: it moves to quarantine.
    moved = set_apart(store, engine, manifest, loaded.rows, {bad: Failed("reader_error", "x")})
    assert bad not in set(moved.invoices["sha256"]) and len(moved.invoices) == 3
    assert [r["sha256"] for r in moved.quarantine] == [bad]
    assert _count(engine, invoices, sha256=bad) == 0
    assert _count(engine, invoice_lines, invoice_sha256=bad) == 0
    assert _count(engine, quarantine, sha256=bad, reason="reader_error") == 1
    # later steps see it: the tables as stored hold it in quarantine
    assert BatchRows.from_tables(moved.tables()).quarantine[0]["sha256"] == bad

    # A re-run that loads it again leaves no quarantine row of it behind.
    again = load_stage(store, engine, manifest, rows)
    assert len(again.rows.invoices) == 4
    assert _count(engine, invoices) == 4 and _count(engine, quarantine) == 0
