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


@pytest.mark.parametrize(
    "label",
    ["Rechnungs-Nr.", "Re.-Nr.", "Rg.-Nr.", "Rechnung Nummer", "Beleg-Nr.", "Nr. der Rechnung"],
)
def test_german_invoice_number_labels_read_the_number(label: str) -> None:
    assert [m.kind for m in match_field_labels(label.split())] == ["invoice_number"]
    s = Sheet()
    s.text(40, 40, "Maschinenbau Keller GmbH", 16)
    s.text(330, 40, f"{label} RE-2024-0311")
    s.text(330, 54, "Kundennummer: 40117")
    s.text(330, 68, "Rechnungsdatum: 12.03.2024")
    s.totals([("Nettobetrag", "100,00"), ("zzgl. 19 % MwSt.", "19,00"), ("Gesamt", "119,00 €")])
    data = extract_pages(s.pages)
    assert data.invoice_number == "RE-2024-0311"
    assert data.issue_date == date(2024, 3, 12)


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Date of issue", "issue_date"),
        ("Issued on", "issue_date"),
        ("Fecha de emisión de la factura", "issue_date"),
        ("Data de emissão da fatura", "issue_date"),
        ("Date d'émission de la facture", "issue_date"),
        ("Data di fatturazione", "issue_date"),
        ("Ausgestellt am", "issue_date"),
        ("Date / tax point", "issue_date"),
        ("Tax point", "issue_date"),
        ("Reference", "invoice_number"),
        ("Invoice reference", "invoice_number"),
        ("Date of supply", "other"),
        ("Fecha de entrega", "other"),
        ("Leistungsdatum", "other"),
        ("Payable by", "other"),
        ("Zahlbar bis zum", "other"),
        ("Subtotal", "net_total"),
        ("Total excl. VAT", "net_total"),
        ("Summe ohne MwSt.", "net_total"),
        ("Montant hors taxes", "net_total"),
        ("Bases imponibles", "net_total"),
        ("Total IGIC", "tax_total"),
        ("Zzgl. Umsatzsteuer", "tax_total"),
        ("Imposta IVA", "tax_total"),
        ("Total IPSI", "tax_total"),
        ("Total amount due", "total"),
        ("Montant total TTC", "total"),
        ("Totale IVA inclusa", "total"),
        ("Gesamtbetrag inkl. MwSt.", "total"),
        ("Montante a pagar", "total"),
    ],
)
def test_ordinary_wordings_name_their_field(label: str, kind: str) -> None:
    found = match_field_labels(label.split())
    assert [m.kind for m in found] == [kind], (label, found)
    assert found[0].end == len(label.split())


def test_net_and_gross_words_after_a_total_say_which_total_it_is() -> None:
    """'Importe total sin IVA' is the net, 'Total amount incl. VAT' the total: the qualifier is
    a label of its own, so the bare 'total' does not take the amount."""
    s = Sheet()
    s.text(40, 40, "Talleres Ebro S.L.", 16)
    s.text(330, 40, "Nº factura: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    s.totals(
        [("Importe total sin IVA", "100,00"), ("IVA 21 %", "21,00"), ("Total factura", "121,00")]
    )
    data = extract_pages(s.pages)
    assert (data.net_total, data.tax_total, data.total) == (
        Decimal("100.00"),
        Decimal("21.00"),
        Decimal("121.00"),
    )


@pytest.mark.parametrize(
    ("title", "reference"),
    [
        ("Factura", "Pedido nº"),
        ("Factura", "Nº de pedido"),
        ("Factura", "Albarán nº"),
        ("Factura", "Presupuesto nº"),
        ("Factura", "Proyecto nº"),
        ("Factura", "Nº de presupuesto"),
        ("Rechnung", "Ihre Bestellnummer"),
        ("Rechnung", "Kunden-Nr."),
        ("Rechnung", "Kunde Nr."),
        ("Rechnung", "Angebot Nr."),
        ("Rechnung", "Lieferschein-Nr."),
        ("Invoice", "Your ref."),
        ("Invoice", "Customer No."),
        ("Invoice", "PO #"),
        ("Invoice", "Project #"),
        ("Invoice", "Contract no."),
        ("Facture", "Bon de commande n°"),
        ("Facture", "Client n°"),
        ("Facture", "Projet n°"),
        ("Fattura", "Ordine n."),
        ("Fattura", "N. DDT"),
        ("Fatura", "Encomenda n.º"),
    ],
)
def test_a_reference_number_is_never_the_invoice_number(title: str, reference: str) -> None:
    """A reference's label, and a number sign beside it, keep its number from the invoice's:
    even when the invoice's own number stands under a title alone, no label of its own."""
    assert {m.kind for m in match_field_labels(reference.split())} == {"other"}, reference
    s = Sheet()
    s.text(40, 40, "Talleres Ebro S.L.", 16)
    s.text(330, 40, f"{title.upper()} 2024-0117", 14)
    s.text(330, 60, f"{reference} 4711-88")
    s.text(330, 82, "Fecha / Date: 30/04/2024")
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00")])
    data = extract_pages(s.pages)
    assert data.invoice_number == "2024-0117"


@pytest.mark.parametrize(
    ("label", "work"),
    [
        ("Date", "Work date"),
        ("Issue Date:", "Visit date:"),
        ("Fecha", "Fecha de intervención"),
        ("Date", "Date d'intervention"),
        ("Data", "Data intervento"),
        ("Datum", "Einsatzdatum"),
    ],
)
def test_the_date_of_the_work_is_not_the_issue_date(label: str, work: str) -> None:
    """A maintenance invoice prints when the work was done beside when it was issued."""
    assert {m.kind for m in match_field_labels(work.split())} == {"other"}, work
    s = Sheet()
    s.text(40, 40, "Talleres Ebro S.L.", 16)
    s.text(330, 40, "FACTURA 2024-0117", 14)
    s.text(330, 60, label)
    s.text(330, 72, "30/04/2024")
    s.text(330, 92, work)
    s.text(330, 104, "12/04/2024")
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00")])
    assert extract_pages(s.pages).issue_date == date(2024, 4, 30)
