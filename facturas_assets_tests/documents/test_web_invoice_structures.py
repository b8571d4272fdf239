"""Structures web invoicing apps print: spaced numbers, prepayments, wrapped names, footers."""

from __future__ import annotations

from decimal import Decimal

from facturas_assets.documents.extraction import extract_pages
from facturas_assets_tests.documents.test_extraction import Sheet

TOTALS = [("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")]


def _invoice(number_line: str = "Factura nº: 2024-0117") -> Sheet:
    """A letterhead, a number and date, a buyer and a totals block."""
    s = Sheet()
    s.text(40, 30, "Talleres Ebro S.L.", 16)
    s.text(40, 52, "CIF: B12345674")
    s.text(330, 40, number_line)
    s.text(330, 54, "Fecha: 30/04/2024")
    s.block(40, 130, ["Cliente", "Tintes del Sur, S.L.", "41001 Sevilla", "NIF: A58818501"])
    return s


def test_a_number_printed_in_spaced_digit_groups_is_read_whole() -> None:
    s = _invoice("Nº factura: A 2025 0613")
    s.totals(TOTALS)
    assert extract_pages(s.pages).invoice_number == "A 2025 0613"


def test_the_total_is_the_one_before_a_deposit_not_the_amount_still_due() -> None:
    s = _invoice()
    s.totals([*TOTALS, ("Anticipo recibido", "-50,00 €"), ("Total a pagar", "71,00 €")])
    data = extract_pages(s.pages)
    assert data.total == Decimal("121.00")
    assert data.net_total == Decimal("100.00")


def test_the_number_a_credit_note_corrects_is_not_its_own() -> None:
    s = _invoice("Nº: R-2024-0005")
    s.text(40, 520, "Rectifica la factura F-2024-0099 de 03/02/2024.")
    s.totals(TOTALS)
    assert extract_pages(s.pages).invoice_number == "R-2024-0005"


def test_a_legal_name_wrapped_onto_a_second_line_is_read_whole() -> None:
    s = Sheet()
    s.text(40, 30, "Maschinenbau", 16)
    s.text(40, 48, "Krämer KG", 16)
    s.block(40, 70, ["Bahnhofstr. 7", "72764 Reutlingen", "USt-IdNr.: DE135807325"])
    s.text(330, 150, "Rechnung Nr. 2025-1800")
    s.text(330, 164, "Datum: 05.11.2025")
    s.totals([("Nettobetrag", "100,00"), ("USt. 19 %", "19,00"), ("Gesamtbetrag", "119,00 €")])
    assert extract_pages(s.pages).seller.name == "Maschinenbau Krämer KG"


def test_a_logo_acronym_stands_for_the_legal_name_of_the_footer() -> None:
    s = Sheet()
    s.text(40, 30, "RGS", 28)
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    s.block(40, 130, ["Cliente", "Tintes del Sur, S.L.", "41001 Sevilla", "NIF: A58818501"])
    s.totals(TOTALS)
    s.text(40, 470, "Ruiz Garrido, S.L. · C/ Mayor 1, 50001 Zaragoza · CIF B12345674", 8)
    assert extract_pages(s.pages).seller.name == "Ruiz Garrido, S.L."
