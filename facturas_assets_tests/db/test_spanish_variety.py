"""Generated Spanish invoices (IRPF, recargo, several rates, a credit note) read and loaded."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from facturas_assets.db import migrate
from facturas_assets.db.engine import create_engine
from facturas_assets.db.load import load_batch
from facturas_assets.db.tables import invoices
from facturas_assets.documents.extraction import extract_invoice
from facturas_assets.documents.model import InvoiceData, invoice_to_json
from facturas_assets.documents.reader import read_documents
from facturas_assets.documents.validation import validate
from facturas_assets.pipeline.tabulate import invoice_fields
from facturas_assets_tests.db.factories import invoice
from facturas_dev.accuracy import compare
from facturas_dev.synth.generator import make_invoice, render

Truth = dict[str, Any]

CASES: dict[str, tuple[str, Callable[[Truth], bool]]] = {
    "irpf": ("hernandez_matricial", lambda t: t["withholding_total"] is not None),
    "recargo": ("valles_banner", lambda t: t["recargo_total"] is not None),
    "rates": ("bejar_clasico", lambda t: len(t["tax_breakdown"]) >= 2),
    "credit": ("levante_moderno", lambda t: t["total"].startswith("-")),
}


def _first(layout: str, wanted: Callable[[Truth], bool], rendering: str) -> Truth:
    """The first seed's invoice of `layout` that has the case (the draw is deterministic)."""
    for seed in range(1, 400):
        truth = make_invoice(seed, layout, "correctiva", rendering=rendering)
        if wanted(truth):
            return truth
    raise AssertionError(f"no such invoice of {layout} in 400 seeds")


def _read(truth: Truth, folder: Path) -> InvoiceData:
    path = folder / truth["file"]
    path.write_bytes(render(truth))
    (doc,) = list(read_documents([(str(path), path)]))
    return validate(extract_invoice(doc))


def _header(label: str, data: InvoiceData) -> dict[str, Any]:
    """The factory's header with what was read, as the pipeline tabulates it."""
    head, _ = invoice(label, n_lines=1)
    head.update(invoice_fields(data))
    return head


def _exact(truth: Truth, data: InvoiceData) -> None:
    scores = compare(truth, data)
    for name in ("invoice_number", "net_total", "tax_total", "total", "withholding", "recargo"):
        assert scores.get(name, 1.0) == 1.0, (name, truth["file"], invoice_to_json(data))
    assert scores.get("breakdown", 1.0) == 1.0, (truth["tax_breakdown"], data.tax_breakdown)
    assert not any(w.startswith("totals_mismatch") for w in data.warnings), data.warnings


def test_generated_spanish_invoices_read_validated_and_loaded(db_url: str, tmp_path: Path) -> None:
    """Text PDFs of each case and one scan are read exactly, pass validation and load."""
    truths = {name: _first(layout, wanted, "text-pdf") for name, (layout, wanted) in CASES.items()}
    truths["irpf-scan"] = _first("petrov_minimal", CASES["irpf"][1], "scan-image")
    heads = []
    for name, truth in truths.items():
        data = _read(truth, tmp_path)
        _exact(truth, data)
        heads.append(_header(name, data))
    engine = create_engine(db_url)
    try:
        migrate.upgrade(engine)
        load_batch(engine, "variety", heads, [])
        with engine.connect() as conn:
            rows = {r.invoice_number: r for r in conn.execute(sa.select(invoices))}
    finally:
        engine.dispose()
    for name, truth in truths.items():
        row = rows[truth["invoice_number"]]
        assert str(row.total) == truth["total"], name
        if truth["withholding_total"] is not None:
            assert row.withholding_total == Decimal(truth["withholding_total"])
        if truth["recargo_total"] is not None:
            assert row.recargo_total == Decimal(truth["recargo_total"])
        if truth["tax_breakdown"]:
            assert len(row.tax_breakdown) == len(truth["tax_breakdown"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases_are_deterministic(name: str) -> None:
    """The same seed draws the same case and the same truth."""
    layout, wanted = CASES[name]
    assert _first(layout, wanted, "text-pdf") == _first(layout, wanted, "text-pdf")
