"""Which label names the issue date: the same label in two languages, labels wrapped down."""

from __future__ import annotations

from datetime import date

from facturas_assets.documents.extraction import extract_pages
from facturas_assets.documents.model import Word
from facturas_assets_tests.documents.test_extraction import Sheet

_TOTALS = [("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")]


def _with_items(s: Sheet, y: float, first_line: str) -> None:
    """An item table whose first row opens with a line naming a delivery note and its date."""
    s.text(40, y, "Descripción")
    s.text(480, y, "Importe")
    s.text(40, y + 18, first_line)
    s.text(40, y + 32, "Revisión del telar nº 4")
    s.right(530, y + 32, "100,00")


def test_a_weak_date_label_in_two_languages_is_not_qualified_by_its_twin() -> None:
    """ "Data / Fecha 15 de abril de 2024" (Galician and Spanish): "Fecha" after "Data" is the
    same label, not a word saying the date is another's; the delivery note's date in the
    items is not the issue date."""
    s = Sheet()
    s.text(40, 40, "María Lago Castro", 14)
    s.text(40, 58, "CIF: 50022558L")
    s.text(400, 40, "Nº factura 33925-C")
    s.pages[0].words += [
        Word(text, x0, 54, x1, 63, 0, 1.0)
        for text, x0, x1 in [("Data", 399, 416), ("/", 418, 421), ("Fecha", 423, 444)]
    ]
    s.text(455, 54, "15 de abril de 2024")
    _with_items(s, 200, "Albará 3371 do 7 de abril de 2024")
    s.totals(_TOTALS)
    assert extract_pages(s.pages).issue_date == date(2024, 4, 15)


def test_a_label_wrapped_down_its_cell_names_another_date() -> None:
    """ "Data" beside "27 de xuño de 2023", with "de" and "entrega" under it in its narrow
    cell: the delivery date, not the issue date printed above it."""
    s = Sheet()
    s.text(40, 40, "María Lago Castro", 14)
    s.text(40, 58, "CIF: 50022558L")
    s.text(340, 170, "Nº")
    s.text(380, 170, "FRA 23/57801")
    s.text(340, 192, "Data")
    s.text(380, 192, "8 de xullo de 2023")
    s.text(340, 216, "Data")
    s.text(380, 216, "27 de xuño de 2023")
    s.text(340, 226, "de")
    s.text(340, 236, "entrega")
    s.totals(_TOTALS)
    assert extract_pages(s.pages).issue_date == date(2023, 7, 8)


def test_a_row_of_heads_over_values_set_close_as_one_cell() -> None:
    """ "Invoice # | Invoice Date | Payment Due" over "f22-0680 Mar 9, 2022 Jun 7, 2022", the
    values so close they read as one cell: each head takes the words under it."""
    s = Sheet()
    s.text(40, 40, "Shuttle Limited", 14)
    s.text(40, 58, "VAT number: IE0842946L")
    s.text(198, 100, "Invoice #")
    s.text(261, 100, "Invoice Date")
    s.text(343, 100, "Payment Due")
    s.pages[0].words += [
        Word(text, x0, 114, x1, 126, 0, 1.0)
        for text, x0, x1 in [  # in a larger type, word spaces apart
            ("f22-0680", 198, 251),
            ("Mar", 261, 280),
            ("9,", 287, 300),
            ("2022", 307, 333),
            ("Jun", 343, 363),
            ("7,", 369, 382),
            ("2022", 389, 415),
        ]
    ]
    s.totals([("Net", "100.00"), ("VAT 21 %", "21.00"), ("Total", "121.00 €")])
    data = extract_pages(s.pages)
    assert (data.invoice_number, data.issue_date) == ("f22-0680", date(2022, 3, 9))


def test_a_table_heads_cell_wrapped_onto_a_line_under_the_table_is_no_label() -> None:
    """A table head in two languages and three lines ("Part" over "No." over "Ref."): the
    head's lines are the table's, no header labels, and reading the labels does not fail."""
    s = Sheet()
    s.text(40, 40, "Indgear Textil S.L.", 14)
    s.text(340, 100, "Factura nº: 22/83573")
    s.text(340, 114, "Fecha: 18/02/2022")
    heads = [("Part", 48), ("Description", 101), ("Quantity", 188), ("Rate", 305), ("Net", 474)]
    for text, x in heads:
        s.text(x, 318, text)
    s.text(48, 329, "No.")
    s.text(101, 329, "Denominación")
    s.text(48, 339, "Ref.")
    s.text(48, 358, "SRV-75")
    s.text(101, 358, "Annual check")
    s.right(294, 358, "1")
    s.right(350, 358, "100,00")
    s.right(526, 358, "100,00")
    s.totals(_TOTALS)
    data = extract_pages(s.pages)
    assert (data.invoice_number, data.issue_date) == ("22/83573", date(2022, 2, 18))
