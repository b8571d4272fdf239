"""Reads for checks and summaries, the cascade, and loads inside the caller's transaction."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from facturas_assets.db import migrate
from facturas_assets.db.engine import create_engine
from facturas_assets.db.errors import is_transient
from facturas_assets.db.load import load_batch
from facturas_assets.db.queries import (
    exact_descriptions,
    exact_invoice_numbers,
    exact_parties,
    find_invoice_numbers,
    row_counts,
)
from facturas_assets.db.tables import invoices
from facturas_assets_tests.db.factories import batch, invoice, sha
from facturas_assets_tests.db.test_load import snapshot


def test_row_counts_cover_tables_and_views(engine: Engine) -> None:
    heads, lines = batch("counts", 3, n_lines=2)  # 2 preventivas, 1 correctiva
    load_batch(engine, "lote-c", heads, lines)
    counts = row_counts(engine)
    assert counts["invoices"] == 3
    assert counts["invoice_lines"] == 6
    assert counts["ventas_preventivas"] == 4
    assert counts["ventas_correctivas"] == 2
    assert counts["quarantine"] == counts["batches"] == counts["tracking"] == 0


def test_find_invoice_numbers_spots_a_number_already_used_by_the_seller(engine: Engine) -> None:
    heads, lines = batch("nums", 3)
    load_batch(engine, "lote-n", heads, lines)
    incoming, _ = invoice("otro-documento", invoice_number=heads[0]["invoice_number"])
    found = find_invoice_numbers(
        engine,
        [
            (incoming["seller_tax_id"], incoming["invoice_number"]),
            ("B00000000", heads[1]["invoice_number"]),  # same number, other seller
            ("B12345674", "F-no-existe"),
        ],
    )
    assert found == {("B12345674", heads[0]["invoice_number"]): {heads[0]["sha256"]}}
    assert incoming["sha256"] not in found[("B12345674", heads[0]["invoice_number"])]


def test_deleting_an_invoice_cascades_to_its_lines(engine: Engine) -> None:
    heads, lines = batch("cascade", 2)
    load_batch(engine, "lote-k", heads, lines)
    with engine.begin() as conn:
        conn.execute(sa.delete(invoices).where(invoices.c.sha256 == heads[0]["sha256"]))
    _, stored_lines = snapshot(engine)
    assert {ln["invoice_sha256"] for ln in stored_lines} == {heads[1]["sha256"]}


def test_load_joins_the_callers_transaction(engine: Engine) -> None:
    heads, lines = batch("tx", 2)
    with engine.connect() as conn:
        outer = conn.begin()
        load_batch(conn, "lote-t", heads, lines)
        inside = conn.execute(sa.select(sa.func.count()).select_from(invoices)).scalar_one()
        outer.rollback()
    assert inside == 2
    assert snapshot(engine) == ([], [])


def test_sqlite_locked_by_another_writer_is_transient(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    migrate.upgrade(url)
    engine = create_engine(url, sqlite_busy_timeout_s=0.2)
    holder = create_engine(url)
    try:
        with holder.connect() as blocker:
            blocker.exec_driver_sql("BEGIN IMMEDIATE")
            heads, lines = batch("locked", 1)
            with pytest.raises(sa.exc.OperationalError) as failure:
                load_batch(engine, "lote-l", heads, lines)
            blocker.rollback()
        assert is_transient(failure.value)
        assert load_batch(engine, "lote-l", heads, lines).inserted == 1
        assert [h["sha256"] for h in snapshot(engine)[0]] == [sha("locked-0")]
    finally:
        engine.dispose()
        holder.dispose()


def test_exact_descriptions_come_only_from_invoices_read_exactly(engine: Engine) -> None:
    text_head, text_lines = invoice("leido-texto")
    ocr_head, ocr_lines = invoice("leido-ocr", read_method="ocr", seller_tax_id="A58818501")
    xml_head, xml_lines = invoice("leido-xml", n_lines=1, read_method="einvoice")
    load_batch(
        engine, "lote-v", [text_head, ocr_head, xml_head], [*text_lines, *ocr_lines, *xml_lines]
    )
    found = exact_descriptions(engine)
    assert sorted(found) == sorted(ln["description"] for ln in [*text_lines, *xml_lines])
    assert len(exact_descriptions(engine, limit=2)) == 2


def test_exact_parties_are_sellers_and_buyers_of_exact_readings_once_each(engine: Engine) -> None:
    text_head, text_lines = invoice("partes-texto")
    again, again_lines = invoice("partes-texto-2", seller_tax_id="B12345674")
    ocr_head, ocr_lines = invoice("partes-ocr", read_method="ocr", seller_name="Otro, S.L.")
    load_batch(
        engine, "lote-p", [text_head, again, ocr_head], [*text_lines, *again_lines, *ocr_lines]
    )
    assert exact_parties(engine) == sorted(
        [
            (text_head["seller_name"], text_head["seller_tax_id"]),
            (text_head["buyer_name"], text_head["buyer_tax_id"]),
        ]
    )


def test_exact_invoice_numbers_are_those_of_invoices_read_exactly(engine: Engine) -> None:
    text_head, text_lines = invoice("numeros-texto")
    ocr_head, ocr_lines = invoice("numeros-ocr", read_method="ocr", seller_tax_id="A58818501")
    load_batch(engine, "lote-s", [text_head, ocr_head], [*text_lines, *ocr_lines])
    assert exact_invoice_numbers(engine) == [("B12345674", text_head["invoice_number"])]
