"""The label lexicon: every field named in every language, and invoices labelled in each read."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from facturas_assets.documents.extraction import extract_pages, lexicon
from facturas_assets.documents.extraction.dates import find_dates
from facturas_assets.documents.extraction.labels import match_column_labels, match_field_labels
from facturas_assets_tests.documents.test_extraction import Sheet

NINE = ("es", "ca", "gl", "eu", "pt", "fr", "it", "de", "en")
FIELDS = (
    "invoice_number",
    "issue_date",
    "due_date",
    "net_total",
    "tax_total",
    "withholding",
    "total",
    "currency",
    "seller",
    "buyer",
    "tax_id",
)
COLUMNS = ("description", "quantity", "unit_price", "amount")


@pytest.mark.parametrize("language", NINE)
def test_every_field_and_column_has_a_name_in_every_language(language: str) -> None:
    for kind in (*FIELDS, *COLUMNS):
        merged = {**lexicon.HEADER_LABELS, **lexicon.COLUMN_LABELS}[kind]
        # A language may share a word with another one ("total"): then the merged list has it.
        assert lexicon.phrases(kind, language) or merged, (kind, language)
    assert len(lexicon.MONTHS[language]) == 12


def test_due_dates_withholdings_and_currencies_are_never_our_values() -> None:
    for kind in ("due_date", "withholding", "currency"):
        for phrase in lexicon.HEADER_LABELS[kind]:
            words = phrase.split()
            found = match_field_labels(words)
            assert found and found[0].kind == "other", (kind, phrase, found)


# Labels per language: description, number, issue date, due date, quantity, unit price, amount, net, tax,
# total, as each language's invoices print them (EN 16931 terms, tax-authority wording).
_INVOICES = {
    "es": (
        "Descripción",
        "Nº factura",
        "Fecha",
        "Vencimiento",
        "Cantidad",
        "Precio",
        "Importe",
        "Base imponible",
        "Cuota IVA",
        "Total factura",
    ),
    "ca": (
        "Descripció",
        "Núm. factura",
        "Data",
        "Venciment",
        "Quantitat",
        "Preu",
        "Import",
        "Base imposable",
        "Quota IVA",
        "Total factura",
    ),
    "gl": (
        "Descrición",
        "Número de factura",
        "Data",
        "Vencemento",
        "Cantidade",
        "Prezo",
        "Importe",
        "Base impoñible",
        "Cota IVE",
        "Total factura",
    ),
    "eu": (
        "Deskribapena",
        "Faktura zk.",
        "Data",
        "Muga eguna",
        "Kopurua",
        "Prezioa",
        "Zenbatekoa",
        "Zerga oinarria",
        "BEZ kuota",
        "Guztira",
    ),
    "pt": (
        "Descrição",
        "Fatura n.º",
        "Data",
        "Vencimento",
        "Quantidade",
        "Preço unitário",
        "Valor",
        "Base tributável",
        "Valor IVA",
        "Total a pagar",
    ),
    "fr": (
        "Désignation",
        "Facture n°",
        "Date",
        "Échéance",
        "Quantité",
        "Prix unitaire",
        "Montant HT",
        "Total HT",
        "Montant TVA",
        "Net à payer",
    ),
    "it": (
        "Descrizione",
        "Fattura n.",
        "Data",
        "Scadenza",
        "Quantità",
        "Prezzo unitario",
        "Importo",
        "Imponibile",
        "Totale IVA",
        "Totale documento",
    ),
    "de": (
        "Bezeichnung",
        "Rechnungsnummer",
        "Datum",
        "Fällig am",
        "Menge",
        "Einzelpreis",
        "Betrag",
        "Nettobetrag",
        "MwSt.",
        "Gesamtbetrag",
    ),
    "en": (
        "Description",
        "Invoice number",
        "Date",
        "Due date",
        "Quantity",
        "Unit price",
        "Amount",
        "Net total",
        "VAT amount",
        "Amount due",
    ),
}


@pytest.mark.parametrize("language", NINE)
def test_an_invoice_labelled_in_each_language_is_read(language: str) -> None:
    desc, number, issued, due, qty, price, amount, net, tax, total = _INVOICES[language]
    s = Sheet()
    s.text(40, 40, "Talleres Ebro S.L.", 16)
    s.text(330, 40, f"{number}: 2024-0117")
    # The due date first, under its own label, then the issue date: never swapped.
    s.text(330, 80, due)
    s.text(450, 80, issued)
    s.text(330, 94, "30/05/2024")
    s.text(450, 94, "30/04/2024")
    s.text(40, 200, desc)
    s.text(340, 200, qty)
    s.text(420, 200, price)
    s.text(520, 200, amount)
    for n, (item, q, p, a) in enumerate(
        (("Rodamiento 6205", "4", "21,00", "84,00"), ("Mano de obra", "2", "8,00", "16,00"))
    ):
        s.text(40, 214 + 14 * n, item)
        s.right(380, 214 + 14 * n, q)
        s.right(470, 214 + 14 * n, p)
        s.right(560, 214 + 14 * n, a)
    s.totals([(net, "100,00"), (f"{tax} 21 %", "21,00"), (total, "121,00 €")], y=400)
    data = extract_pages(s.pages)
    assert data.invoice_number == "2024-0117"
    assert data.issue_date == date(2024, 4, 30)
    assert (data.net_total, data.tax_total, data.total) == (
        Decimal("100.00"),
        Decimal("21.00"),
        Decimal("121.00"),
    )
    assert [(ln.quantity, ln.unit_price, ln.amount) for ln in data.lines] == [
        (Decimal("4"), Decimal("21.00"), Decimal("84.00")),
        (Decimal("2"), Decimal("8.00"), Decimal("16.00")),
    ]


def test_column_headers_of_the_new_languages_are_known() -> None:
    for header in (
        ["Descripció", "Quantitat", "Preu", "Import"],
        ["Descrición", "Cantidade", "Prezo", "Importe"],
        ["Deskribapena", "Kopurua", "Prezioa", "Zenbatekoa"],
    ):
        kinds = [m.kind for m in match_column_labels(header)]
        assert kinds == ["description", "quantity", "unit_price", "amount"], header


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("15 de març de 2024", date(2024, 3, 15)),
        ("3 d'abril de 2025", date(2025, 4, 3)),
        ("12 de xuño de 2023", date(2023, 6, 12)),
        ("2024ko martxoaren 15a", date(2024, 3, 15)),
        ("2025eko urriaren 3an", date(2025, 10, 3)),
    ],
)
def test_month_names_of_catalan_galician_and_basque(text: str, value: date) -> None:
    assert [d.value for d in find_dates(text)] == [value]
