"""How the benchmarks score a field: amounts and line numbers by value, text as written."""

from __future__ import annotations

from decimal import Decimal

from facturas_assets.documents.model import InvoiceData, InvoiceLine
from facturas_dev.accuracy import compare


def test_amounts_are_scored_by_value_and_numbers_as_written() -> None:
    data = InvoiceData(invoice_number="0456.25", net_total=Decimal("61.05"))
    truth = {"invoice_number": "0456.250", "net_total": "61.0500", "total": "n/a"}
    scores = compare(truth, data)
    assert scores["net_total"] == 1.0  # the same amount, printed with four decimals
    assert scores["invoice_number"] == 0.0  # an id is its characters
    assert scores["total"] == 0.0  # a truth that is no number matches nothing read
    assert compare({"net_total": "61.06"}, data)["net_total"] == 0.0


def test_line_items_are_scored_by_their_numbers_values() -> None:
    data = InvoiceData(
        lines=[
            InvoiceLine("Spindle overhaul", Decimal("2.00"), Decimal("150.0000"), Decimal("300.00"))
        ]
    )
    truth = {
        "lines": [
            {
                "description": "SPINDLE  overhaul",
                "quantity": "2",
                "unit_price": "150.00",
                "amount": "300.00",
            }
        ]
    }
    assert compare(truth, data)["lines"] == 1.0
    truth["lines"][0]["quantity"] = "3"
    assert compare(truth, data)["lines"] == 0.0
