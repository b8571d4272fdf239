"""load_batch on SQLite and MariaDB: idempotent, updates, line replacement, views, precision."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from facturas_assets.db.load import LoadResult, load_batch, set_drive_file_ids
from facturas_assets.db.rows import RowError
from facturas_assets.db.tables import (
    invoice_lines,
    invoices,
    ventas_correctivas,
    ventas_preventivas,
)
from facturas_assets_tests.db.factories import batch, invoice, sha

VOLATILE = {"loaded_at"}


def snapshot(engine: Engine) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every invoice (minus load time) and line, in key order."""
    with engine.connect() as conn:
        heads = [
            {k: v for k, v in r._mapping.items() if k not in VOLATILE}
            for r in conn.execute(sa.select(invoices).order_by(invoices.c.sha256))
        ]
        lines = [
            dict(r._mapping)
            for r in conn.execute(
                sa.select(invoice_lines).order_by(
                    invoice_lines.c.invoice_sha256, invoice_lines.c.line_no
                )
            )
        ]
    return heads, lines


def test_running_a_batch_twice_leaves_the_same_rows(engine: Engine) -> None:
    heads, lines = batch("lote1", 7, n_lines=4)
    first = load_batch(engine, "lote-1", heads, lines, chunk_size=3)
    assert first == LoadResult(inserted=7, updated=0, lines_written=28, removed=0)
    before = snapshot(engine)
    assert len(before[0]) == 7 and len(before[1]) == 28

    again = load_batch(engine, "lote-1", heads, lines, chunk_size=3)
    assert again == LoadResult(inserted=0, updated=7, lines_written=28, removed=0)
    assert snapshot(engine) == before


def test_a_changed_invoice_is_updated_and_its_lines_replaced(engine: Engine) -> None:
    heads, lines = batch("upd", 3, n_lines=5)
    load_batch(engine, "lote-a", heads, lines)
    target = heads[1]["sha256"]

    changed_head, changed_lines = invoice("upd-1", "preventiva", n_lines=2)
    changed_head.update(total=Decimal("999.99"), seller_name="Otra Empresa, S.L.")
    changed_lines[0]["description"] = "Sustitución de rodamiento averiado"
    new_heads = [heads[0], changed_head, heads[2]]
    new_lines = [ln for ln in lines if ln["invoice_sha256"] != target] + changed_lines
    result = load_batch(engine, "lote-a", new_heads, new_lines)
    assert result == LoadResult(inserted=0, updated=3, lines_written=12, removed=0)

    stored_heads, stored_lines = snapshot(engine)
    row = next(h for h in stored_heads if h["sha256"] == target)
    assert row["total"] == Decimal("999.99")
    assert row["seller_name"] == "Otra Empresa, S.L."
    assert row["category"] == "preventiva"
    its_lines = [ln for ln in stored_lines if ln["invoice_sha256"] == target]
    assert [ln["line_no"] for ln in its_lines] == [1, 2]
    assert its_lines[0]["description"] == "Sustitución de rodamiento averiado"
    assert len(stored_lines) == 12


def test_rerun_drops_invoices_the_batch_no_longer_has(engine: Engine) -> None:
    heads, lines = batch("drop", 4)
    load_batch(engine, "lote-x", heads, lines)
    other_head, other_lines = invoice("other-batch")
    load_batch(engine, "lote-y", [other_head], other_lines)

    gone = heads[3]["sha256"]
    result = load_batch(
        engine, "lote-x", heads[:3], [ln for ln in lines if ln["invoice_sha256"] != gone]
    )
    assert result.removed == 1
    stored_heads, stored_lines = snapshot(engine)
    assert {h["sha256"] for h in stored_heads} == {h["sha256"] for h in heads[:3]} | {
        other_head["sha256"]
    }
    assert all(ln["invoice_sha256"] != gone for ln in stored_lines)


def test_views_split_the_lines_by_category(engine: Engine) -> None:
    heads, lines = batch("views", 5, n_lines=2)  # 3 preventivas, 2 correctivas
    no_lines_head, _ = invoice("views-sin-lineas", "correctiva", n_lines=0)
    load_batch(engine, "lote-v", [*heads, no_lines_head], lines)
    with engine.connect() as conn:
        prev = conn.execute(
            sa.select(ventas_preventivas).order_by(
                ventas_preventivas.c.invoice_number, ventas_preventivas.c.line_no
            )
        ).all()
        corr = conn.execute(sa.select(ventas_correctivas)).all()
    expected_prev = {h["sha256"] for h in heads if h["category"] == "preventiva"}
    expected_corr = {h["sha256"] for h in heads if h["category"] == "correctiva"}
    assert {r.invoice_sha256 for r in prev} == expected_prev
    assert len(prev) == 6
    assert {r.invoice_sha256 for r in corr} == expected_corr | {no_lines_head["sha256"]}
    assert len(corr) == 5  # 2 invoices x 2 lines + the invoice without readable lines
    first = prev[0]
    source = next(h for h in heads if h["sha256"] == first.invoice_sha256)
    assert first.customer_name == "Hilaturas Núñez, S.A."
    assert first.total == source["total"]
    assert first.quantity == Decimal("1.2500")
    assert first.unit_price == Decimal("123.4567")

    # Re-classifying an invoice moves its rows from one view to the other.
    moved = dict(heads[0], category="correctiva")
    load_batch(engine, "lote-v", [moved, *heads[1:], no_lines_head], lines)
    with engine.connect() as conn:
        prev_shas = set(conn.execute(sa.select(ventas_preventivas.c.invoice_sha256)).scalars())
        corr_shas = set(conn.execute(sa.select(ventas_correctivas.c.invoice_sha256)).scalars())
    assert heads[0]["sha256"] in corr_shas and heads[0]["sha256"] not in prev_shas


def test_decimals_and_spanish_text_survive_the_round_trip(engine: Engine) -> None:
    head, lines = invoice(
        "precision",
        n_lines=1,
        net_total=Decimal("999999999999.99"),
        tax_total=Decimal("0.01"),
        total=Decimal("-123456789012.34"),
        seller_name="Niñería Textil Añón, S.L. — 100 € ¿ü?",
        buyer_name="Cañamares & Peñíscola 𝔗extil",
    )
    lines[0].update(
        quantity=Decimal("9999999999.9999"),
        unit_price=Decimal("0.0001"),
        amount=Decimal("1234567890.12"),
        description="Reparación urgente: rodamiento nº 6204-2RS, 45,50 €\nsegunda línea",
    )
    load_batch(engine, "lote-p", [head], lines)
    (stored,), (line,) = snapshot(engine)
    for field in ("net_total", "tax_total", "total", "seller_name", "buyer_name", "issue_date"):
        assert stored[field] == head[field], field
        assert type(stored[field]) is type(head[field]), field
    for field in ("quantity", "unit_price", "amount", "description"):
        assert line[field] == lines[0][field], field
    assert stored["field_confidence"] == {"total": 0.99, "issue_date": 0.9}
    assert stored["warnings"] == ["importe en € redondeado"]


def test_accepts_a_dataframe_read_back_from_parquet(engine: Engine, tmp_path: Path) -> None:
    heads, lines = batch("pq", 4)
    heads[1].update(category_confidence=None, issue_date=None, net_total=None)
    heads[2]["field_confidence"] = {"total": 0.5}  # struct column: other rows' keys come back null
    pd.DataFrame(heads).to_parquet(tmp_path / "heads.parquet")
    pd.DataFrame(lines).drop(columns=["line_no"]).to_parquet(tmp_path / "lines.parquet")
    frame_heads = pd.read_parquet(tmp_path / "heads.parquet")
    frame_lines = pd.read_parquet(tmp_path / "lines.parquet")

    result = load_batch(engine, "lote-pq", frame_heads, frame_lines)
    assert result == LoadResult(inserted=4, updated=0, lines_written=12, removed=0)
    stored_heads, stored_lines = snapshot(engine)
    by_sha = {h["sha256"]: h for h in stored_heads}
    missing = by_sha[heads[1]["sha256"]]
    assert (missing["category_confidence"], missing["issue_date"], missing["net_total"]) == (
        None,
        None,
        None,
    )
    assert by_sha[heads[2]["sha256"]]["field_confidence"] == {"total": 0.5}
    assert by_sha[heads[0]["sha256"]]["warnings"] == ["importe en € redondeado"]
    assert by_sha[heads[0]["sha256"]]["total"] == heads[0]["total"]
    # lines without line_no are numbered in the order given
    first = [ln for ln in stored_lines if ln["invoice_sha256"] == heads[0]["sha256"]]
    assert [(ln["line_no"], ln["amount"]) for ln in first] == [
        (ln["line_no"], ln["amount"]) for ln in lines if ln["invoice_sha256"] == heads[0]["sha256"]
    ]


def test_drive_ids_set_later_survive_a_rerun(engine: Engine) -> None:
    heads, lines = batch("drive", 2)
    load_batch(engine, "lote-d", heads, lines)
    assert set_drive_file_ids(engine, {heads[0]["sha256"]: ("hist-1", "prev-1")}) == 1
    load_batch(engine, "lote-d", heads, lines)
    stored = {h["sha256"]: h for h in snapshot(engine)[0]}
    first = stored[heads[0]["sha256"]]
    assert (first["drive_history_file_id"], first["drive_category_file_id"]) == ("hist-1", "prev-1")
    assert stored[heads[1]["sha256"]]["drive_history_file_id"] is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"category": "urgente"}, "category"),
        ({"read_method": "magic"}, "read_method"),
        ({"sha256": "not-a-digest"}, "sha256"),
        ({"total": Decimal("1.234")}, "decimal places"),
        ({"total": Decimal("1e13")}, "DECIMAL(14,2)"),
        ({"currency": "EURO"}, "at most 3"),
        ({"category_confidence": 1.5}, "0..1"),
        ({"sellr_name": "typo"}, "unknown field"),
        ({"source_key": None}, "source_key"),
    ],
)
def test_bad_rows_are_refused_before_anything_is_written(
    engine: Engine, change: dict[str, Any], message: str
) -> None:
    heads, lines = batch("bad", 3)
    heads[2] = {**heads[2], **change}
    with pytest.raises(RowError, match=re.escape(message)):
        load_batch(engine, "lote-bad", heads, lines)
    assert snapshot(engine) == ([], [])


def test_bad_lines_are_refused(engine: Engine) -> None:
    heads, lines = batch("badl", 2)
    with pytest.raises(RowError, match="not among the batch's invoices"):
        load_batch(engine, "l", heads, [*lines, dict(lines[0], invoice_sha256=sha("stranger"))])
    with pytest.raises(RowError, match="appears twice"):
        load_batch(engine, "l", heads, [*lines, lines[0]])
    with pytest.raises(RowError, match="appears twice"):
        load_batch(engine, "l", [*heads, heads[0]], lines)
    with pytest.raises(RowError, match="bytes"):
        load_batch(engine, "l", heads, [dict(lines[0], description="ñ" * 40_000)])
    assert snapshot(engine) == ([], [])
