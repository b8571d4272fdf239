"""The office-software invoice templates: a reproducible draw whose printed text holds the truth."""

from __future__ import annotations

from decimal import Decimal
from html import unescape
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from facturas_dev.cdp import CHROMIUM
from facturas_dev.synth.office_generator import generate_office, office_invoice
from facturas_dev.synth.office_layouts import (
    META_STYLES,
    PARTIES,
    TITLE_STYLES,
    TOTALS_STYLES,
    office_layout,
    office_layout_names,
)
from facturas_dev.synth.office_template import invoice_html

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


def text_of(path: Path) -> str:
    """The whole text layer of a PDF, whitespace collapsed."""
    doc = pdfium.PdfDocument(path)
    try:
        pages = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()
    return " ".join(" ".join(pages).split())


def digits(text: str) -> str:
    """The digits of a text, in order."""
    return "".join(c for c in text if c.isdigit())


def test_the_same_seed_draws_the_same_template_and_html() -> None:
    """A template and the HTML of an invoice in it are functions of their seeds."""
    names = office_layout_names(5, seed=3)
    assert names == office_layout_names(5, seed=3)
    assert len(set(names)) == 5 and all(n.startswith("office:") for n in names)
    layout = office_layout(int(names[0].partition(":")[2]))
    first = invoice_html(office_invoice(42, layout), layout)
    assert first == invoice_html(office_invoice(42, layout), layout)


def test_templates_vary_in_structure() -> None:
    """Over a hundred seeds every party, title, meta and totals arrangement is drawn."""
    drawn = [office_layout(s) for s in range(100)]
    assert {lay.parties for lay in drawn} == set(PARTIES)
    assert {lay.title_style for lay in drawn} == set(TITLE_STYLES)
    assert {lay.meta_style for lay in drawn} == set(META_STYLES)
    assert {lay.totals_style for lay in drawn} == set(TOTALS_STYLES)
    assert any(lay.groups for lay in drawn) and any(lay.comments for lay in drawn)


def test_the_html_holds_every_truth_value() -> None:
    """Number, parties, lines and every total of the truth are written in the HTML."""
    for seed in range(30):
        layout = office_layout(seed)
        inv = office_invoice(1000 + seed, layout)
        text = " ".join(unescape(invoice_html(inv, layout)).split())
        truth = inv.truth("text-pdf", 1, "x.pdf")
        assert truth["invoice_number"] in text
        for party in ("seller", "buyer"):
            for value in truth[party].values():
                assert not value or value in text, (layout.name, party, value)
        for line in truth["lines"]:
            assert " ".join(line["description"].split()) in text
        for key in ("net_total", "tax_total", "total", "withholding_total", "recargo_total"):
            if truth.get(key) is not None:
                assert digits(f"{abs(Decimal(truth[key])):.2f}") in digits(text), (key, layout)


@needs_chromium
def test_printed_pdfs_hold_the_truth(tmp_path: Path) -> None:
    """The text layer of printed invoices carries number, parties, first line and totals."""
    names = office_layout_names(3, seed=0)
    for item in generate_office(3, tmp_path, names, seed=7):
        truth, text = item.truth, text_of(item.path)
        assert truth["layout"] in names and truth["rendering"] == "text-pdf"
        assert truth["invoice_number"] in text
        for party in ("seller", "buyer"):
            for value in truth[party].values():
                assert not value or value in text, (party, value)
        assert " ".join(truth["lines"][0]["description"].split())[:30] in text
        for key in ("net_total", "tax_total", "total"):
            assert digits(f"{abs(Decimal(truth[key])):.2f}") in digits(text), key
