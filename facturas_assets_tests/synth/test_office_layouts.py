"""The office-software invoice templates: a reproducible draw whose printed text holds the truth."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from facturas_dev.cdp import CHROMIUM
from facturas_dev.synth.office_generator import generate_office, office_invoice
from facturas_dev.synth.office_layouts import (
    BILINGUAL,
    GROUPINGS,
    META_STYLES,
    PARTIES,
    TAX_ROWS,
    TITLE_STYLES,
    TOTALS_STYLES,
    WINDOWS,
    OfficeLayout,
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


def page_text(html: str) -> str:
    """The text of an HTML page (no style sheet, no tags), whitespace collapsed."""
    html = re.sub(r"<style>.*?</style>|<title>.*?</title>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def assert_truth_printed(layout: OfficeLayout, seed: int) -> tuple[str, str, dict]:
    """Every truth value of invoice `seed` in `layout` is in its HTML; (html, text, truth)."""
    inv = office_invoice(seed, layout)
    html = invoice_html(inv, layout)
    text = page_text(html)
    truth = inv.truth("text-pdf", 1, "x.pdf")
    assert truth["invoice_number"] in text, layout.name
    for party in ("seller", "buyer"):
        for value in truth[party].values():
            assert not value or value in text, (layout.name, party, value)
    for line in truth["lines"]:
        assert " ".join(line["description"].split()) in text, layout.name
    for key in ("net_total", "tax_total", "total", "withholding_total", "recargo_total"):
        if truth.get(key) is not None:
            printed = " ".join(layout.numbers.number(abs(Decimal(truth[key]))).split())
            assert printed in text, (layout.name, key, printed)
    return html, text, truth


def test_the_new_options_are_drawn_over_a_hundred_seeds() -> None:
    """Window letters, bilingual labels, tax per rate and thousands groupings all occur."""
    drawn = [office_layout(s) for s in range(100)]
    assert {lay.window for lay in drawn} == set(WINDOWS)
    assert {lay.bilingual for lay in drawn} == set(BILINGUAL)
    assert {lay.tax_rows for lay in drawn} == set(TAX_ROWS)
    assert {lay.grouping for lay in drawn} == set(GROUPINGS)
    assert "none" in {lay.currency_mark for lay in drawn}
    assert "eu" in {lay.second for lay in drawn}


def test_window_letters_print_the_truth_with_the_addressee_unlabelled() -> None:
    """The buyer with no label in the window block; the seller's tax id in the footer."""
    found = 0
    for s in range(100):
        layout = office_layout(s)
        if layout.window == "none":
            continue
        found += 1
        html, _, truth = assert_truth_printed(layout, 3000 + s)
        window = html.partition('class="win"')[2].partition('<div class="info"')[0]
        assert unescape(window).count(truth["buyer"]["name"]) == 1
        footer = unescape(html.rpartition('<div class="footer')[2])
        assert truth["seller"]["name"] in footer
        assert not truth["seller"]["tax_id"] or truth["seller"]["tax_id"] in footer
    assert found >= 10


def test_bilingual_labels_pair_two_languages() -> None:
    """Bilingual templates print labels in two languages (Basque beside Spanish among them)."""
    found = 0
    for s in range(100):
        layout = office_layout(s)
        if layout.bilingual == "none":
            continue
        found += 1
        html, text, _ = assert_truth_printed(layout, 4000 + s)
        assert (" / " in text) if layout.bilingual == "slash" else ('class="l2"' in html)
        if layout.second == "eu":
            assert "Guztira" in text or "GUZTIRA" in text, layout.name
    assert found >= 10


def test_tax_per_rate_prints_each_rate_s_base_and_tax() -> None:
    """Where content has several rates, each rate's base and tax are printed as drawn."""
    found = set()
    for s in range(100):
        layout = office_layout(s)
        if layout.tax_rows == "as-base":
            continue
        for seed in range(5000 + 50 * s, 5000 + 50 * s + 50):
            if len(office_invoice(seed, layout).breakdown) > 1:
                break
        else:
            continue
        found.add(layout.tax_rows)
        _, text, truth = assert_truth_printed(layout, seed)
        for row in truth["tax_breakdown"]:
            for key in ("base", "tax"):
                printed = " ".join(layout.numbers.number(abs(Decimal(row[key]))).split())
                assert printed in text, (layout.name, key, printed)
    assert found == set(TAX_ROWS) - {"as-base"}


def test_no_currency_and_thousands_groupings() -> None:
    """Templates without a currency mark print no sign or code; groupings print the truth."""
    none = grouped = 0
    for s in range(100):
        layout = office_layout(s)
        if layout.currency_mark == "none":
            none += 1
            _, text, _ = assert_truth_printed(layout, 6000 + s)
            assert not re.search(r"€|\bEUR\b", text), layout.name
        if layout.grouping != "as-drawn":
            grouped += 1
            numbers = layout.numbers
            assert numbers.thousands in (" ", "\u00a0", "'")
            assert numbers.number(Decimal("1234.56")) in ("1 234,56", "1\u00a0234,56", "1'234.56")
            assert_truth_printed(layout, 6000 + s)
    assert none >= 5 and grouped >= 5


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
