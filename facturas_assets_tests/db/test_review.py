"""The review queue in the database: queued on load, saved with an audit, never undone by a re-run."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from facturas_assets.db import review
from facturas_assets.db.load import load_batch
from facturas_assets.db.rows import RowError
from facturas_assets.db.tables import invoice_lines, invoices, review_corrections, review_queue
from facturas_assets_tests.db.factories import invoice

LOTE = "20261206-review"
REASONS = ["unsure_category: probability 0.55 within 0.35..0.65"]


def _one(engine: Engine, table: sa.Table, **where: str) -> sa.Row:
    query = sa.select(table).where(*(table.c[k] == v for k, v in where.items()))
    with engine.connect() as conn:
        return conn.execute(query).one()


def _all(engine: Engine, table: sa.Table) -> list[sa.Row]:
    with engine.connect() as conn:
        return conn.execute(sa.select(table)).all()


def _load_pending(engine: Engine, label: str = "a") -> tuple[dict, list[dict]]:
    head, lines = invoice(label, status="pending_review", review_reasons=REASONS)
    result = load_batch(engine, LOTE, [head], lines)
    assert result.pending_review == 1
    return head, lines


def test_a_pending_invoice_is_loaded_and_queued_with_its_reasons(engine: Engine) -> None:
    head, _ = _load_pending(engine)
    sure, sure_lines = invoice("sure")
    load_batch(engine, "other-lote", [sure], sure_lines)
    assert _one(engine, invoices, sha256=head["sha256"]).status == "pending_review"
    assert _one(engine, invoices, sha256=sure["sha256"]).status == "loaded"
    queued = _all(engine, review_queue)
    assert [(q.sha256, q.reasons, q.reviewed_at) for q in queued] == [
        (head["sha256"], REASONS, None)
    ]
    assert [p["sha256"] for p in review.pending_reviews(engine)] == [head["sha256"]]


def test_pending_review_needs_a_reason(engine: Engine) -> None:
    head, lines = invoice("a", status="pending_review")
    with pytest.raises(RowError, match="pending_review without a reason"):
        load_batch(engine, LOTE, [head], lines)


def test_a_rerun_that_is_now_sure_leaves_no_open_review(engine: Engine) -> None:
    head, lines = _load_pending(engine)
    head.update(status="loaded", review_reasons=[])
    load_batch(engine, LOTE, [head], lines)
    assert _all(engine, review_queue) == []
    assert _one(engine, invoices, sha256=head["sha256"]).status == "loaded"


def test_saving_corrects_rows_keeps_the_originals_in_the_audit_and_clears_the_review(
    engine: Engine,
) -> None:
    head, lines = _load_pending(engine)
    sha = head["sha256"]
    edited = [{k: str(v) for k, v in line.items() if k in review.LINE_FIELDS} for line in lines]
    edited[1]["description"] = "Cambio de lanzadera"
    edited.pop()  # the machine read a line that is not there
    saved = review.save_review(
        engine,
        sha,
        reviewer="ana",
        fields={"total": "999.99", "invoice_number": head["invoice_number"]},
        lines=edited,
        category="correctiva",
    )
    assert (saved.category_before, saved.category_after) == ("preventiva", "correctiva")
    row = _one(engine, invoices, sha256=sha)
    assert (row.total, row.category, row.status) == (Decimal("999.99"), "correctiva", "loaded")
    kept = _all(engine, invoice_lines)
    assert [ln.description for ln in kept][1] == "Cambio de lanzadera" and len(kept) == 2
    audit = {
        a.field: (a.original_value, a.corrected_value) for a in _all(engine, review_corrections)
    }
    assert audit["total"] == (str(head["total"]), "999.99")
    assert audit["category"] == ("preventiva", "correctiva")
    assert audit["lines.2.description"] == (lines[1]["description"], "Cambio de lanzadera")
    assert audit["lines.3.amount"] == (str(lines[2]["amount"]), None)
    assert "invoice_number" not in audit  # unchanged values leave no audit row
    assert saved.corrections == len(audit)
    assert {a.corrected_by for a in _all(engine, review_corrections)} == {"ana"}
    assert _one(engine, review_queue, sha256=sha).reviewed_by == "ana"
    assert review.pending_reviews(engine) == []
    with pytest.raises(review.ReviewNotFound):  # cleared: a second save finds nothing open
        review.save_review(engine, sha, reviewer="luis", fields={"total": "1.00"})


def test_a_bad_value_is_refused_and_changes_nothing(engine: Engine) -> None:
    head, _ = _load_pending(engine)
    with pytest.raises(RowError):
        review.save_review(engine, head["sha256"], reviewer="ana", fields={"issue_date": "ayer"})
    with pytest.raises(RowError, match="total cannot be left empty"):
        review.save_review(engine, head["sha256"], reviewer="ana", fields={"total": None})
    with pytest.raises(RowError, match="category"):
        review.save_review(engine, head["sha256"], reviewer="ana", category="otra")
    assert _all(engine, review_corrections) == []
    assert _one(engine, review_queue, sha256=head["sha256"]).reviewed_at is None


def test_a_rerun_of_the_batch_keeps_what_the_reviewer_corrected(engine: Engine) -> None:
    head, lines = _load_pending(engine)
    review.save_review(engine, head["sha256"], reviewer="ana", fields={"total": "999.99"})
    result = load_batch(engine, LOTE, [head], lines)  # the machine's values again
    assert result.kept_reviewed == 1
    row = _one(engine, invoices, sha256=head["sha256"])
    assert (row.total, row.status) == (Decimal("999.99"), "loaded")
    assert _one(engine, review_queue, sha256=head["sha256"]).reviewed_by == "ana"
    assert len(_all(engine, invoice_lines)) == len(lines)
