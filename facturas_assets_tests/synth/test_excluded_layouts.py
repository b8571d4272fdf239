"""The layouts excluded from development: drawn only when named, truthful text layers and sums."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from facturas_assets_tests.synth.test_external import CII
from facturas_dev.synth import EXCLUDED_LAYOUTS, LAYOUTS, make_invoice, render
from facturas_dev.synth.excluded_content import ExcludedInvoice
from facturas_dev.synth.external import choose_layouts, read_content, render_external
from facturas_dev.synth.generator import build, plan
from facturas_dev.synth.layouts import resolve_layouts

SEEDS = range(1, 9)


def text_layer(pdf: bytes) -> str:
    """The PDF's text with runs of whitespace made single spaces."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return " ".join(
            " ".join(doc[i].get_textpage().get_text_range().split()) for i in range(len(doc))
        )
    finally:
        doc.close()


def test_default_generation_never_draws_an_excluded_layout() -> None:
    assert len(EXCLUDED_LAYOUTS) >= 8 and not set(EXCLUDED_LAYOUTS) & set(LAYOUTS)
    assert not set(resolve_layouts(None)) & set(EXCLUDED_LAYOUTS)
    assert not {j.layout for j in plan(400, seed=5)} & set(EXCLUDED_LAYOUTS)
    assert not {layout for i in range(50) for layout in choose_layouts(f"c{i}", 4)} & set(
        EXCLUDED_LAYOUTS
    )
    named = plan(12, seed=5, layouts=list(EXCLUDED_LAYOUTS)[:3])
    assert {j.layout for j in named} == set(list(EXCLUDED_LAYOUTS)[:3])


@pytest.mark.parametrize("name", sorted(EXCLUDED_LAYOUTS))
def test_text_layer_prints_the_number_and_the_total(name: str) -> None:
    layout = EXCLUDED_LAYOUTS[name]
    for seed in SEEDS[:3]:
        inv, pdf, _ = build(seed, name)
        text = text_layer(pdf)
        assert inv.number in text
        total = " ".join(layout.numbers.amount(inv.total).split())
        assert total in text, (name, seed, total)


@pytest.mark.parametrize("name", sorted(EXCLUDED_LAYOUTS))
def test_truth_adds_up(name: str) -> None:
    for seed in SEEDS:
        truth = make_invoice(seed, name)
        net, tax, total = (Decimal(truth[k]) for k in ("net_total", "tax_total", "total"))
        withheld = Decimal(truth.get("withholding_total") or "0")
        assert net + tax - withheld == total
        assert sum(Decimal(ln["amount"]) for ln in truth["lines"]) == net
        assert truth["layout"] == name


def test_the_schemes_reach_the_truth() -> None:
    """Withholding, several rates, surcharge and corrective invoices each change the truth."""
    seen = {"withheld": 0, "rates": 0, "credit": 0, "surcharge": 0}
    for name, layout in EXCLUDED_LAYOUTS.items():
        for seed in SEEDS:
            inv, _, _ = build(seed, name)
            assert isinstance(inv, ExcludedInvoice)
            seen["withheld"] += inv.withheld > 0
            seen["rates"] += len({r.rate for r in inv.rate_rows()}) > 1
            seen["credit"] += bool(inv.corrects) and inv.total < 0
            seen["surcharge"] += any(r.surcharge for r in inv.rate_rows())
            if layout.scheme == "reverse":
                assert inv.tax == 0
    assert all(seen.values()), seen


def test_an_excluded_invoice_is_redrawn_from_its_truth() -> None:
    for name in ("x_gl_retencion", "x_it_nota_credito"):
        truth = make_invoice(7, name, category="correctiva")
        assert render(truth)[:5] == b"%PDF-"  # render() rebuilds the invoice and compares truths


@pytest.mark.parametrize("name", sorted(EXCLUDED_LAYOUTS))
def test_imported_content_is_drawn_as_stated(name: str, tmp_path: Path) -> None:
    content = read_content(CII.encode(), "made-up")
    data, inv, _ = render_external(content, name)
    text = text_layer(data)
    assert inv.number == "QX-7781" and inv.number in text
    assert "CHF" in text and (str(inv.total).replace(".", ",") in text or str(inv.total) in text)
