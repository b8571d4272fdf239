"""Text that used to crash a whole call: lone surrogates in a text layer, a table whose amount
column is missing where a rule expected it."""

from __future__ import annotations

from decimal import Decimal

from facturas_assets.documents.classifier.text import classifier_text
from facturas_assets.documents.extraction import extract_invoice, extract_pages
from facturas_assets.documents.model import InvoiceData, InvoiceLine, Party, ReadDocument
from facturas_assets.documents.reader import read_document
from facturas_assets.documents.textlayer import read_text_layer
from facturas_assets.documents.valid_text import valid_read, valid_unicode
from facturas_assets_tests.documents.odd_pdfs import text_pdf, words_pdf
from facturas_assets_tests.documents.test_extraction import Sheet

CREDIT_NOTE = [
    "Talleres Ebro S.L.   CIF B12345674",
    "Factura rectificativa R-2024/7 X",  # X: a glyph whose ToUnicode entry is half a pair
    "Fecha 03/04/2024",
    "Base imponible -100,00   IVA 21 % -21,00   Total -121,00 EUR",
]


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def test_valid_unicode_joins_pairs_and_replaces_lone_halves() -> None:
    assert valid_unicode("a\ud835\udc00b") == "a\U0001d400b"  # a pair kept as two halves
    assert valid_unicode("R-7 \ud800") == "R-7 \ufffd"
    assert valid_unicode("\udc80x\ud83d") == "\ufffdx\ufffd"
    text = "IVA \u200f21 %\u0301 ﷺ"  # marks and wide characters are valid: left alone
    assert valid_unicode(text) is text


def test_a_lone_surrogate_in_a_text_layer_reaches_nobody() -> None:
    pdf = text_pdf(CREDIT_NOTE, {"X": "D800", "Y": "D835DC00"})
    words = [w.text for page in read_text_layer(pdf) for w in page.words]
    assert all(_encodable(w) for w in words), [ascii(w) for w in words if not _encodable(w)]
    assert "\ufffd" in words
    doc = read_document(pdf, "abono.pdf")
    assert doc.method == "text"
    assert _encodable(classifier_text(doc))
    extract_invoice(doc)


def test_a_surrogate_pair_in_a_text_layer_is_one_character() -> None:
    pdf = text_pdf(["Revision de telar Y 21,00 EUR", *CREDIT_NOTE], {"Y": "D835DC00"})
    words = [w.text for page in read_text_layer(pdf) for w in page.words]
    assert "\U0001d400" in words


def test_any_read_result_is_made_valid() -> None:
    data = InvoiceData(
        invoice_number="F\ud800-1",
        seller=Party("Hilaturas \udcff", "B12345674"),
        lines=[InvoiceLine("Rodamiento \ud83d", Decimal("1"), Decimal("2"), Decimal("2"))],
        warnings=["odd \udc00"],
    )
    doc = ReadDocument("x.xml", "0" * 64, "einvoice", einvoice=data, warnings=["w \ud800"])
    clean = valid_read(doc)
    assert clean.einvoice.invoice_number == "F\ufffd-1"
    assert clean.einvoice.seller == Party("Hilaturas \ufffd", "B12345674")
    assert clean.einvoice.lines[0].description == "Rodamiento \ufffd"
    assert clean.einvoice.lines[0].amount == Decimal("2")
    assert clean.warnings == ["w \ufffd"] and clean.einvoice.warnings == ["odd \ufffd"]
    assert _encodable(classifier_text(clean))


def priced_table() -> Sheet:
    """An invoice whose item table has a price column and no amount column, and a lone digit
    under the price (a stamp's speck) on a line of its own."""
    s = Sheet()
    s.text(40, 40, "Talleres Ebro S.L.", 16)
    s.text(350, 40, "Factura: A-17")
    s.text(350, 56, "Fecha: 03/04/2024")
    s.text(40, 200, "Descripción")
    s.text(300, 200, "Cantidad")
    s.text(420, 200, "Precio")
    s.text(40, 216, "Revisión de telar")
    s.right(340, 216, "2")
    s.right(450, 216, "50,00")
    s.right(445, 232, "7")  # a speck under the price column, alone on its line
    s.text(40, 248, "Cambio de lanzadera")
    s.right(340, 248, "1")
    s.right(450, 248, "30,00")
    s.totals([("Base imponible", "130,00 €"), ("IVA 21 %", "27,30 €"), ("Total", "157,30 €")])
    return s


def test_a_lone_digit_under_the_price_of_a_table_without_amount_column() -> None:
    data = extract_pages(priced_table().pages)
    assert [ln.description for ln in data.lines] == ["Revisión de telar", "Cambio de lanzadera"]
    assert data.total == Decimal("157.30")


def test_the_same_table_as_a_text_only_pdf() -> None:
    doc = read_document(words_pdf(priced_table().pages), "sin-importe.pdf")
    assert doc.method == "text"
    data = extract_invoice(doc)
    assert len(data.lines) == 2
    assert data.total == Decimal("157.30")
