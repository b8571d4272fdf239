"""The batch summary counts every quarantined file, those intake set apart itself included."""

from __future__ import annotations

import pandas as pd

from facturas_assets.defs.etl.summary import batch_summary
from facturas_assets.pipeline.manifest import BatchManifest, ManifestItem


def _item(name: str, status: str = "new", reason: str | None = None) -> ManifestItem:
    return ManifestItem(
        landing_key=name,
        sha256=name.ljust(64, "0"),
        raw_key=f"raw/{name}",
        size=1,
        status=status,
        quarantine_reason=reason,
    )


def test_files_quarantined_at_intake_are_counted_with_their_reason() -> None:
    manifest = BatchManifest(
        lote="b1",
        created_at="2026-01-01T00:00:00",
        items=[
            _item("a.pdf"),
            _item("b.pdf"),
            _item("c\\d.pdf", status="quarantined", reason="unsafe_name"),
            _item("link.pdf", status="quarantined", reason="symlink"),
        ],
    )
    invoices = pd.DataFrame({"category": ["preventiva"]})
    quarantined = pd.DataFrame({"reason": ["empty_file"]})
    summary = batch_summary("b1", manifest, invoices, quarantined, 1.0)
    assert summary.fields["documents in"] == "4"
    assert summary.fields["quarantined"] == "3"  # 1 by the tables + 2 by intake
    assert "unsafe_name (1)" in summary.text and "symlink (1)" in summary.text
    assert "empty_file (1)" in summary.text


def test_invoices_waiting_for_review_are_counted_apart() -> None:
    manifest = BatchManifest(
        lote="b2", created_at="2026-01-01T00:00:00", items=[_item("a.pdf"), _item("b.pdf")]
    )
    invoices = pd.DataFrame(
        {"category": ["preventiva", "correctiva"], "status": ["loaded", "pending_review"]}
    )
    summary = batch_summary("b2", manifest, invoices, pd.DataFrame({"reason": []}), 1.0)
    assert summary.fields["pending review"] == "1"
    assert summary.fields["quarantined"] == "0"
    assert "pending review: 1" in summary.text
