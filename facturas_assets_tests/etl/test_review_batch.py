"""A real batch with review thresholds that doubt everything: every invoice is loaded (not
quarantined) as pending_review, queued with its reasons, and the check reports them."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from facturas_assets.db.tables import invoices, quarantine, review_queue
from facturas_assets_tests.etl.conftest import land_generated, run_batch

LOTE = "20260105-000000-review"


def test_unsure_invoices_are_loaded_pending_review_and_counted(
    local_resources, instance, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACTURAS_REVIEW_CATEGORY_BAND", "0,1")  # every category is unsure
    store, engine = local_resources["landing_store"], local_resources["database"].engine()
    landing = land_generated(store, tmp_path, 3, seed=31, renderings=["text-pdf"])

    result = run_batch(local_resources, LOTE, landing, instance)
    assert result.success

    with engine.connect() as conn:
        statuses = conn.execute(sa.select(invoices.c.status)).scalars().all()
        queued = conn.execute(sa.select(review_queue)).all()
        quarantined = conn.execute(sa.select(sa.func.count()).select_from(quarantine)).scalar()
    assert len(statuses) + quarantined == len(landing)  # nothing lost by going to review
    assert statuses and set(statuses) == {"pending_review"}
    assert len(queued) == len(statuses)
    assert all(any(r.startswith("unsure_category") for r in q.reasons) for q in queued)
    [check] = [e for e in result.get_asset_check_evaluations() if e.check_name == "sent_to_review"]
    assert not check.passed
    assert check.metadata["pending_review"].value == len(statuses)
    assert check.metadata["reasons"].value["unsure_category"] == len(statuses)
