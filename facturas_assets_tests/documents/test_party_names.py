"""Which name a party is read by."""

from __future__ import annotations

from facturas_assets.documents.extraction import extract_pages
from facturas_assets_tests.documents.test_extraction import Sheet


def test_the_seller_is_named_by_its_legal_name_not_by_its_logo_acronym() -> None:
    for legal in ("Talleres Mecánicos Ebro S.L.", "Talleres Mecánicos Ebro"):
        s = Sheet()
        s.text(40, 30, "TME", 28)  # the logo, set far larger than anything else
        s.text(40, 70, legal, 12)
        s.text(40, 86, "CIF: B12345674")
        s.text(330, 40, "Factura nº: 2024-0117")
        s.text(330, 54, "Fecha: 30/04/2024")
        s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
        assert extract_pages(s.pages).seller.name == legal
