"""The HTML invoice templates: a reproducible draw, a printed text layer that holds the truth, scans."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from facturas_dev.cdp import CHROMIUM
from facturas_dev.synth.html_generator import generate_html, html_invoice
from facturas_dev.synth.html_layouts import html_layout, html_layout_names
from facturas_dev.synth.html_template import invoice_html

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


def text_of(path: Path) -> str:
    """The whole text layer of a PDF, whitespace collapsed."""
    doc = pdfium.PdfDocument(path)
    try:
        pages = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()
    return " ".join(" ".join(pages).split())


def test_the_same_seed_draws_the_same_template_and_html() -> None:
    """A template and the HTML of an invoice in it are functions of their seeds."""
    names = html_layout_names(5, seed=3)
    assert names == html_layout_names(5, seed=3)
    assert len(set(names)) == 5
    layout = html_layout(int(names[0].partition(":")[2]))
    assert layout == html_layout(int(names[0].partition(":")[2]))
    first = invoice_html(html_invoice(42, layout), layout)
    assert first == invoice_html(html_invoice(42, layout), layout)
    assert html_invoice(42, layout).number in first


def test_templates_vary_in_structure() -> None:
    """Over a few dozen seeds every header and meta arrangement is drawn."""
    drawn = [html_layout(s) for s in range(60)]
    assert len({lay.header for lay in drawn}) >= 5
    assert len({lay.meta_style for lay in drawn}) >= 7
    assert len({lay.number_format for lay in drawn}) >= 12


@needs_chromium
def test_printed_pdf_holds_the_truth_and_a_scan_renders(tmp_path: Path) -> None:
    """The text layer carries the truth's number and total; a scan of the same template decodes."""
    names = html_layout_names(2, seed=0)
    text_file, scan_file = generate_html(
        2, tmp_path, names, seed=5, renderings=("text-pdf", "scan-image")
    )
    truth = text_file.truth
    text = text_of(text_file.path)
    assert truth["layout"] == names[0] and truth["rendering"] == "text-pdf"
    assert truth["invoice_number"] in text
    total = Decimal(truth["total"])
    digits = f"{abs(total):.2f}".replace(".", "")  # printed with any separators and mark
    assert digits in "".join(c for c in text if c.isdigit() or c.isspace()).replace(" ", "")
    assert scan_file.truth["rendering"] == "scan-image"
    with Image.open(io.BytesIO(scan_file.path.read_bytes())) as image:
        assert image.width > 1000 and image.height > 1400
