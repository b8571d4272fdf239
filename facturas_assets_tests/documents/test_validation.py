"""Validation: coded warnings and lower confidence on failed checks, numbers never changed."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal

from facturas_assets.documents.model import InvoiceData, InvoiceLine, Party
from facturas_assets.documents.validation import is_blocking, validate

D = Decimal


def _invoice(**changes: object) -> InvoiceData:
    data = InvoiceData(
        invoice_number="F-1",
        issue_date=date(2024, 3, 15),
        currency="EUR",
        net_total=D("100.00"),
        tax_total=D("21.00"),
        total=D("121.00"),
        seller=Party("Talleres Ebro S.L.", "B12345674"),
        buyer=Party("Hilados S.A.", "A58818501"),
        lines=[
            InvoiceLine("Revisión", D("2"), D("55.00"), D("110.00")),
            InvoiceLine("Descuento", None, None, D("-10.00")),
        ],
    )
    for key, value in changes.items():
        setattr(data, key, value)
    data.confidence = {
        k: 1.0
        for k in (
            "net_total",
            "tax_total",
            "total",
            "lines",
            "issue_date",
            "seller.tax_id",
            "buyer.tax_id",
        )
    }
    return data


def _codes(data: InvoiceData) -> list[str]:
    return [w.split(":")[0] for w in data.warnings]


def test_consistent_invoice_passes_untouched() -> None:
    data = _invoice()
    assert validate(data) is data
    assert data.warnings == []
    assert data.confidence["total"] == 1.0
    assert is_blocking(data) == []


def test_totals_mismatch_warns_lowers_and_keeps_numbers() -> None:
    data = validate(_invoice(total=D("120.00")))
    assert data.warnings[0] == "totals_mismatch: net 100.00 + tax 21.00 != total 120.00"
    assert data.total == D("120.00")  # never "fixed"
    assert data.confidence["total"] < 1.0 and data.confidence["net_total"] < 1.0
    assert any(r.startswith("totals_mismatch") for r in is_blocking(data))


def test_cent_rounding_is_tolerated() -> None:
    data = validate(_invoice(total=D("121.01")))
    assert "totals_mismatch" not in _codes(data)


def test_lines_must_sum_to_net_including_discounts() -> None:
    lines = [InvoiceLine("Revisión", D("2"), D("55.00"), D("110.00"))]  # discount line missing
    data = validate(_invoice(lines=lines))
    assert "lines_mismatch" in _codes(data)
    assert data.confidence["lines"] < 1.0


def test_line_quantity_times_price() -> None:
    lines = [
        InvoiceLine("Revisión", D("2"), D("55.00"), D("150.00")),
        InvoiceLine("Descuento", None, None, D("-50.00")),
    ]
    assert "line_mismatch" in _codes(validate(_invoice(lines=lines)))


def test_implausible_vat_rate() -> None:
    data = validate(_invoice(tax_total=D("17.00"), total=D("117.00"), lines=[]))
    assert "vat_rate_implausible" in _codes(data)
    assert data.confidence["tax_total"] < 1.0
    for tax in ("0.00", "4.00", "10.00", "21.00"):
        total = D("100.00") + D(tax)
        ok = validate(_invoice(tax_total=D(tax), total=total, lines=[]))
        assert "vat_rate_implausible" not in _codes(ok), tax


def test_foreign_rates_use_the_eu_list() -> None:
    data = _invoice(tax_total=D("19.00"), total=D("119.00"), lines=[])
    data.seller = Party("Webmaschinen GmbH", "DE136695976")
    assert "vat_rate_implausible" not in _codes(validate(data))


def test_tax_id_check_digits() -> None:
    data = validate(_invoice(seller=Party("Talleres Ebro S.L.", "B12345675")))
    assert "tax_id_invalid" in _codes(data)
    assert data.confidence["seller.tax_id"] < 0.5
    assert data.seller.tax_id == "B12345675"
    eu = _invoice(buyer=Party("Tissages SARL", "FR40303265045"))
    assert "tax_id_invalid" not in _codes(validate(eu))


def test_same_tax_id_for_both_parties() -> None:
    data = validate(_invoice(buyer=Party("Talleres Ebro S.L.", "B12345674")))
    assert "tax_id_same" in _codes(data)


def test_dates_before_2000_or_far_future() -> None:
    old = validate(_invoice(issue_date=date(1999, 12, 31)), today=date(2024, 6, 1))
    future = validate(_invoice(issue_date=date(2031, 1, 1)), today=date(2024, 6, 1))
    recent = validate(_invoice(issue_date=date(2024, 7, 1)), today=date(2024, 6, 1))
    assert "date_implausible" in _codes(old) and "date_implausible" in _codes(future)
    assert "date_implausible" not in _codes(recent)
    assert old.issue_date == date(1999, 12, 31)


def test_blocking_reasons() -> None:
    empty = InvoiceData()
    reasons = is_blocking(empty)
    assert [r.split(":")[0] for r in reasons] == [
        "missing_total",
        "missing_invoice_number",
        "missing_issue_date",
    ]
    assert is_blocking(_invoice(tax_total=None)) == []


def test_validation_imports_on_its_own_in_a_fresh_interpreter() -> None:
    # Extraction and validation share the rate tables; neither may need the other loaded first.
    for module in ("validation", "extraction"):
        code = f"import facturas_assets.documents.{module}"
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
