"""Quarantine keeps the original with its reason; re-queue puts it back to be processed anew."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from facturas_assets.db.load import record_quarantine
from facturas_assets.db.tables import quarantine
from facturas_assets.pipeline import claims, keys
from facturas_assets.pipeline.intake import intake_batch
from facturas_assets.pipeline.quarantine import Rejection, quarantine_documents, requeue


def _claimer(engine):
    return lambda sha, lote, key: claims.claim(engine, sha, lote, key)


def test_requeue_after_a_fix_processes_the_file_again(store, engine):
    store.write_bytes("escaneo-torcido.pdf", b"%PDF-1.4 unreadable")
    manifest = intake_batch(store, "L1", ["escaneo-torcido.pdf"], _claimer(engine)).manifest
    item = manifest.new_items[0]

    rows = quarantine_documents(
        store, "L1", {item.sha256: item}, [Rejection(item.sha256, item.landing_key, "no_text_found", "OCR found nothing")]
    )  # fmt: skip
    record_quarantine(engine, rows)
    stored = keys.quarantine_key("L1", item.sha256, item.landing_key)
    assert store.read_bytes(stored) == b"%PDF-1.4 unreadable"  # the original is kept
    reason = json.loads(store.read_bytes(keys.quarantine_reason_key("L1", item.sha256)))
    assert reason["reason"] == "no_text_found"

    assert requeue(store, engine, lote="L1") == ["escaneo-torcido.pdf"]
    assert store.read_bytes("escaneo-torcido.pdf") == b"%PDF-1.4 unreadable"
    with engine.connect() as conn:
        assert conn.execute(sa.select(quarantine.c.requeued_at)).scalar_one() is not None
    assert requeue(store, engine, lote="L1") == []  # already re-queued: nothing twice

    # The claim was released: the next batch processes the file instead of calling it a duplicate.
    again = intake_batch(store, "L2", ["escaneo-torcido.pdf"], _claimer(engine)).manifest
    assert [i.status for i in again.items] == ["new"]


def test_requeue_needs_a_selection(store, engine):
    with pytest.raises(ValueError, match="name the documents"):
        requeue(store, engine)
