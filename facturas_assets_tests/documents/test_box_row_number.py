"""A row of header boxes whose captions OCR lost: its first value is the invoice's number."""

from __future__ import annotations

import pytest

from facturas_assets.documents.extraction import extract_pages
from facturas_assets.documents.model import InvoiceData
from facturas_assets_tests.documents.test_extraction import Sheet


def _scan(values: list[tuple[float, str]]) -> InvoiceData:
    """A scanned invoice: a letterhead, a bare row of header values at `values` (x, text), then
    its items and totals, every word as OCR reports it."""
    s = Sheet()
    s.text(40, 40, "Serfix Textile Engineering Limited", size=14, conf=0.95)
    s.text(400, 40, "INVOICE", size=16, conf=0.95)
    s.text(40, 60, "Unit 58, Kilcarbery Industrial Estate", conf=0.95)
    for x, text in values:
        s.text(x, 150, text, conf=0.95)
    s.text(40, 200, "Details", conf=0.95)
    s.right(460, 200, "Qty")
    s.right(550, 200, "Amount")
    s.text(40, 214, "Repair of an oil leak", conf=0.95)
    s.right(460, 214, "1")
    s.right(550, 214, "893.73")
    s.totals([("Subtotal", "893.73"), ("VAT 23%", "205.56"), ("Total", "1,099.29")], y=260)
    return extract_pages(s.pages, ocr=True)


@pytest.mark.parametrize(
    "values",
    [
        [(40, "24.12.7007"), (140, "18/12/2024"), (240, "5519"), (340, "OC-56592")],
        # the two first boxes read as one cell: OCR closed the gap between them
        [(40, "R2444991"), (95, "18/12/2024"), (240, "5519"), (340, "OC-56592")],
    ],
)
def test_the_first_value_of_a_bare_row_of_header_boxes_before_its_date_is_the_number(
    values: list[tuple[float, str]],
) -> None:
    data = _scan(values)
    assert str(data.issue_date) == "2024-12-18"
    assert data.invoice_number == values[0][1]
    assert data.confidence["invoice_number"] <= 0.3
    assert any(w.startswith("invoice_number_guessed") for w in data.warnings)


def test_a_bare_row_that_does_not_open_with_an_id_before_its_date_gives_no_number() -> None:
    data = _scan([(40, "5519"), (140, "OC-56592"), (240, "18/12/2024"), (340, "24.12.7007")])
    assert str(data.issue_date) == "2024-12-18"
    assert data.invoice_number is None
