"""Ground truth against the text layer of the rendered digital PDFs (pypdfium2 extraction)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium

from facturas_dev.synth import LAYOUTS, GeneratedInvoice
from facturas_dev.synth.formats import format_date


def page_texts(path: Path) -> list[str]:
    doc = pdfium.PdfDocument(path)
    try:
        return [" ".join(doc[i].get_textpage().get_text_range().split()) for i in range(len(doc))]
    finally:
        doc.close()


def in_order(tokens: list[str], wanted: list[str], max_gap: int = 12) -> bool:
    """`wanted` appears in order in `tokens`, each word at most max_gap tokens after the previous one
    (a wrapped description is interleaved with the numbers printed on its first line)."""
    for start, token in enumerate(tokens):
        if token != wanted[0]:
            continue
        pos = start
        for word in wanted[1:]:
            window = tokens[pos + 1 : pos + 2 + max_gap]
            if word not in window:
                break
            pos += 1 + window.index(word)
        else:
            return True
    return False


def test_truth_matches_the_text_layer(generated: tuple[Path, list[GeneratedInvoice]]) -> None:
    _, results = generated
    checked = 0
    for r in results:
        t = r.truth
        if t["rendering"] != "text-pdf":
            continue
        layout = LAYOUTS[t["layout"]]
        pages = page_texts(r.path)
        assert len(pages) == t["pages"], r.path.name
        text = " ".join(pages)
        tokens = text.split()
        where = r.path.name
        assert t["invoice_number"] in text, where
        printed_date = format_date(
            date.fromisoformat(t["issue_date"]), layout.date_style, layout.language
        )
        assert printed_date in text, (where, printed_date)
        assert t["seller"]["tax_id"] in text and t["buyer"]["tax_id"] in text, where
        assert t["seller"]["name"] in text and t["buyer"]["name"] in text, where
        numbers = layout.numbers
        for key in ("net_total", "tax_total", "total"):
            printed = numbers.amount(Decimal(t[key]))
            assert printed in pages[-1], (where, key, printed)  # totals on the last page
        for line in t["lines"]:
            assert in_order(tokens, line["description"].split()), (where, line["description"])
            printed = numbers.amount(Decimal(line["amount"]), with_symbol=numbers.symbol_in_table)
            assert printed in text, (where, printed)
            if line["quantity"] is not None:
                assert numbers.quantity(Decimal(line["quantity"])) in tokens, (
                    where,
                    line["quantity"],
                )
        checked += 1
    assert checked >= 150


def test_long_invoices_repeat_the_table_header(
    generated: tuple[Path, list[GeneratedInvoice]],
) -> None:
    _, results = generated
    multi = [r for r in results if r.truth["rendering"] == "text-pdf" and r.truth["pages"] > 1]
    assert multi
    for r in multi:
        layout = LAYOUTS[r.truth["layout"]]
        header = layout.label("description")
        pages = page_texts(r.path)
        assert all(header in page for page in pages), r.path.name
        assert all(r.truth["invoice_number"] in page for page in pages), r.path.name
