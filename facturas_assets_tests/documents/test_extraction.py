"""Template-free extraction on word-level fixtures and on a rendered PDF's text layer."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from facturas_assets.documents.extraction import extract_invoice, extract_pages
from facturas_assets.documents.model import InvoiceData, Page, Party, ReadDocument, Word
from facturas_assets.documents.textlayer import read_text_layer

CHAR = 5.0  # average glyph width at size 10, in points


class Sheet:
    """Builds pages of words the way a text layer reports them (one Word per token)."""

    def __init__(self) -> None:
        self.pages: list[Page] = [Page(0, 595, 842)]

    def new_page(self) -> None:
        self.pages.append(Page(len(self.pages), 595, 842))

    def text(self, x: float, y: float, text: str, size: float = 10, conf: float = 1.0) -> None:
        page = self.pages[-1]
        for token in text.split(" "):
            if token:
                w = len(token) * CHAR * size / 10
                page.words.append(Word(token, x, y, x + w, y + size, page.number, conf))
            x += (len(token) + 1) * CHAR * size / 10

    def right(self, x1: float, y: float, text: str, size: float = 10, conf: float = 1.0) -> None:
        self.text(x1 - len(text) * CHAR * size / 10, y, text, size, conf)

    def table(
        self,
        first: str,
        heads: list[str],
        xs: list[float],
        rows: list[list[str]],
        y: float = 200,
        conf: float = 1.0,
    ) -> float:
        """An item table: `first` head at x=40 over the rows' first cells, `heads` right-aligned
        at `xs` over the rest, a row every 14 pt from `y`; returns the last row's y."""
        self.text(40, y, first, conf=conf)
        for x, head in zip(xs, heads, strict=True):
            self.right(x, y, head, conf=conf)
        for text, *values in rows:
            y += 14
            self.text(40, y, text, conf=conf)
            for x, value in zip(xs, values, strict=True):
                self.right(x, y, value, conf=conf)
        return y

    def block(self, x: float, y: float, lines: list[str], step: float = 14) -> None:
        """Lines of text one under another, starting at (x, y)."""
        for i, text in enumerate(lines):
            self.text(x, y + step * i, text)

    def totals(self, rows: list[tuple[str, str]], y: float = 400, conf: float = 1.0) -> None:
        """A totals block: each label at x=300, its amount right-aligned at x=550."""
        for i, (label, amount) in enumerate(rows):
            self.text(300, y + 14 * i, label, conf=conf)
            self.right(550, y + 14 * i, amount)


def _d(v: str) -> Decimal:
    return Decimal(v)


def test_value_right_of_label_and_below_label() -> None:
    s = Sheet()
    s.text(40, 40, "Talleres Ebro S.L.", 16)
    s.text(40, 62, "CIF: B12345674")
    # Key/value pairs on one line...
    s.text(350, 40, "Nº factura: A/2024/117")
    # ...and a boxed header with values under their labels.
    s.text(350, 80, "Fecha")
    s.text(450, 80, "Vencimiento")
    s.text(350, 94, "03/04/2024")
    s.text(450, 94, "03/05/2024")
    s.text(300, 400, "Base imponible")
    s.right(550, 400, "100,00 €")
    s.text(300, 414, "IVA 21 %")
    s.right(550, 414, "21,00 €")
    s.text(300, 428, "Total factura")
    s.right(550, 428, "121,00 €")
    data = extract_pages(s.pages)
    assert data.invoice_number == "A/2024/117"
    assert data.issue_date == date(2024, 4, 3)  # not the due date beside it
    assert (data.net_total, data.tax_total, data.total) == (_d("100.00"), _d("21.00"), _d("121.00"))
    assert data.currency == "EUR"
    assert data.confidence["total"] > 0.8


def test_horizontal_totals_box_values_below_labels() -> None:
    s = Sheet()
    s.text(40, 40, "Invoice No. 7781")
    s.text(40, 54, "Invoice date: March 15, 2024")
    s.text(200, 500, "Net amount")
    s.text(300, 500, "VAT 20%")
    s.text(400, 500, "Total due")
    s.text(200, 514, "£1,250.00")
    s.text(300, 514, "£250.00")
    s.text(400, 514, "£1,500.00")
    data = extract_pages(s.pages)
    assert data.invoice_number == "7781"
    assert data.issue_date == date(2024, 3, 15)
    assert (data.net_total, data.tax_total, data.total) == (
        _d("1250.00"),
        _d("250.00"),
        _d("1500.00"),
    )
    assert data.currency == "GBP"


def test_totals_chosen_to_add_up_with_two_vat_rates() -> None:
    s = Sheet()
    s.text(40, 40, "Facture n° 2024-88")
    s.text(40, 54, "Date : 15 mars 2024")
    s.text(300, 400, "Total HT")
    s.right(550, 400, "300,00")
    s.text(300, 414, "TVA 20 %")
    s.right(550, 414, "40,00")
    s.text(300, 428, "TVA 10 %")
    s.right(550, 428, "10,00")
    s.text(300, 442, "Total TTC")
    s.right(550, 442, "350,00 €")
    data = extract_pages(s.pages)
    assert data.issue_date == date(2024, 3, 15)
    assert (data.net_total, data.tax_total, data.total) == (_d("300.00"), _d("50.00"), _d("350.00"))


def _table_sheet() -> Sheet:
    s = Sheet()
    s.text(40, 40, "Hilados Vallès S.A.", 16)
    s.text(40, 62, "NIF A58818501")
    s.text(350, 40, "Factura nº 2024-0042")
    s.text(350, 54, "Fecha: 15 de marzo de 2024")
    s.text(40, 100, "Cliente")
    s.text(40, 114, "Tintes del Ter S.L.")
    s.text(40, 128, "Carrer Major 3, Girona")
    s.text(40, 142, "CIF B12345674")
    s.text(40, 200, "Ref.")
    s.text(90, 200, "Concepto")
    s.right(380, 200, "Uds.")
    s.right(460, 200, "Precio ud.")
    s.right(550, 200, "Importe")
    y = 216
    for ref, desc, qty, price, amount in [
        ("M-01", "Revisión anual telar", "2", "150,00", "300,00"),
        ("R-77", "Rodamiento SKF 6204", "10", "1.234,50", "12.345,00"),
    ]:
        s.text(40, y, ref)
        s.text(90, y, desc)
        s.right(380, y, qty)
        s.right(460, y, price)
        s.right(550, y, amount)
        y += 14
    s.text(90, y, "con montaje y ajuste")  # wraps onto a second line
    y += 14
    s.text(90, y, "Descuento pronto pago")
    s.right(550, y, "-64,50")
    return s


def test_table_with_wrapped_description_and_discount() -> None:
    s = _table_sheet()
    s.text(300, 330, "Base imponible")
    s.right(550, 330, "12.580,50")
    s.text(300, 344, "IVA 21%")
    s.right(550, 344, "2.641,91")
    s.text(300, 358, "TOTAL")
    s.right(550, 358, "15.222,41 €")
    data = extract_pages(s.pages)
    assert [(ln.description, ln.quantity, ln.unit_price, ln.amount) for ln in data.lines] == [
        ("Revisión anual telar", _d("2"), _d("150.00"), _d("300.00")),
        ("Rodamiento SKF 6204 con montaje y ajuste", _d("10"), _d("1234.50"), _d("12345.00")),
        ("Descuento pronto pago", None, None, _d("-64.50")),
    ]
    assert data.net_total == _d("12580.50")
    assert data.total == _d("15222.41")


def test_seller_and_buyer_are_separated() -> None:
    s = _table_sheet()
    data = extract_pages(s.pages)
    assert data.seller == Party("Hilados Vallès S.A.", "A58818501")
    assert data.buyer == Party("Tintes del Ter S.L.", "B12345674")
    assert data.invoice_number == "2024-0042"


def test_labelled_parties_side_by_side_in_english() -> None:
    s = Sheet()
    s.text(40, 40, "INVOICE", 20)
    s.text(40, 90, "From:")
    s.text(40, 104, "Northwind Looms Ltd")
    s.text(40, 118, "VAT No. GB980780684")
    s.text(320, 90, "Bill to:")
    s.text(320, 104, "Telares Ribera S.L.")
    s.text(320, 118, "VAT No. ESB12345674")
    data = extract_pages(s.pages)
    assert data.seller == Party("Northwind Looms Ltd", "GB980780684")
    assert data.buyer == Party("Telares Ribera S.L.", "ESB12345674")


def test_table_continues_on_next_page_with_repeated_header() -> None:
    s = Sheet()
    s.text(40, 40, "Rechnung Nr. RE-5501")
    s.text(40, 54, "Rechnungsdatum: 15. März 2024")

    def header(y: float) -> None:
        s.text(40, y, "Pos.")
        s.text(80, y, "Bezeichnung")
        s.right(380, y, "Menge")
        s.right(460, y, "Einzelpreis")
        s.right(550, y, "Betrag")

    header(120)
    y = 136.0
    for n in range(1, 4):
        s.text(40, y, str(n))
        s.text(80, y, f"Wartung Webmaschine {n}")
        s.right(380, y, "1")
        s.right(460, y, "100,00")
        s.right(550, y, "100,00")
        y += 14
    s.text(80, y, "inklusive Anfahrt")
    s.text(40, 800, "Seite 1 von 2")
    s.new_page()
    s.text(40, 40, "Rechnung RE-5501 (Fortsetzung)")
    header(80)
    s.text(40, 96, "4")
    s.text(80, 96, "Ersatzteil Schussfadenbremse")
    s.right(380, 96, "3")
    s.right(460, 96, "20,00")
    s.right(550, 96, "60,00")
    s.text(300, 140, "Nettobetrag")
    s.right(550, 140, "360,00 €")
    s.text(300, 154, "MwSt. 19 %")
    s.right(550, 154, "68,40 €")
    s.text(300, 168, "Gesamtbetrag")
    s.right(550, 168, "428,40 €")
    data = extract_pages(s.pages)
    assert data.invoice_number == "RE-5501"
    assert data.issue_date == date(2024, 3, 15)
    assert [ln.description for ln in data.lines] == [
        "Wartung Webmaschine 1",
        "Wartung Webmaschine 2",
        "Wartung Webmaschine 3 inklusive Anfahrt",
        "Ersatzteil Schussfadenbremse",
    ]
    assert sum(ln.amount for ln in data.lines if ln.amount) == data.net_total == _d("360.00")
    assert (data.tax_total, data.total) == (_d("68.40"), _d("428.40"))


def test_table_continues_on_next_page_without_header() -> None:
    s = Sheet()
    s.text(40, 40, "Fattura n. 12/2024")
    s.text(40, 54, "Data: 15 maggio 2024")
    s.text(40, 120, "Descrizione")
    s.right(380, 120, "Quantità")
    s.right(460, 120, "Prezzo")
    s.right(550, 120, "Importo")
    s.text(40, 136, "Manutenzione ordinaria")
    s.right(380, 136, "2")
    s.right(460, 136, "50,00")
    s.right(550, 136, "100,00")
    s.text(40, 800, "Pagina 1 di 2")
    s.new_page()
    s.text(40, 40, "Pagina 2 di 2")
    s.text(40, 80, "Sostituzione cinghia")
    s.right(380, 80, "1")
    s.right(460, 80, "30,00")
    s.right(550, 80, "30,00")
    s.text(300, 120, "Imponibile")
    s.right(550, 120, "130,00")
    s.text(300, 134, "IVA 22%")
    s.right(550, 134, "28,60")
    s.text(300, 148, "Totale")
    s.right(550, 148, "158,60")
    data = extract_pages(s.pages)
    assert [(ln.description, ln.amount) for ln in data.lines] == [
        ("Manutenzione ordinaria", _d("100.00")),
        ("Sostituzione cinghia", _d("30.00")),
    ]
    assert (data.net_total, data.tax_total, data.total) == (
        _d("130.00"),
        _d("28.60"),
        _d("158.60"),
    )


def test_missing_fields_are_none_with_zero_confidence() -> None:
    s = Sheet()
    s.text(40, 40, "Notas de la reunión del comité")
    data = extract_pages(s.pages)
    assert data.invoice_number is None and data.total is None and data.issue_date is None
    assert data.confidence["invoice_number"] == 0.0
    assert data.confidence["total"] == 0.0
    assert data.lines == []


def test_ocr_confidence_lowers_field_confidence() -> None:
    clean, noisy = Sheet(), Sheet()
    for sheet, conf in ((clean, 1.0), (noisy, 0.55)):
        sheet.text(40, 40, "Factura nº: 77", conf=conf)
        sheet.text(40, 54, "TOTAL 121,00 €", conf=conf)
    a, b = extract_pages(clean.pages), extract_pages(noisy.pages)
    assert a.invoice_number == b.invoice_number == "77"
    assert b.confidence["invoice_number"] < a.confidence["invoice_number"]
    assert b.confidence["total"] < a.confidence["total"]


def test_einvoice_is_returned_as_read() -> None:
    exact = InvoiceData(invoice_number="X-1", total=Decimal("10.00"))
    doc = ReadDocument(source="a.xml", sha256="0" * 64, method="einvoice", einvoice=exact)
    assert extract_invoice(doc) is exact


def _pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    height = A4[1]

    def at(x: float, y: float, text: str, size: float = 10, bold: bool = False) -> None:
        c.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        c.drawString(x, height - y, text)

    def right(x: float, y: float, text: str) -> None:
        c.setFont("Helvetica", 10)
        c.drawRightString(x, height - y, text)

    at(50, 60, "Mantenimientos Textiles Vallès S.L.", 16, True)
    at(50, 78, "C/ Industria 12, 08201 Sabadell")
    at(50, 92, "CIF: B12345674")
    at(400, 60, "FACTURA", 18, True)
    at(400, 90, "Nº Factura:")
    at(470, 90, "F-2024-0123")
    at(400, 104, "Fecha:")
    at(470, 104, "15 de marzo de 2024")
    at(50, 140, "Facturar a", bold=True)
    at(50, 154, "Hilaturas del Norte S.A.")
    at(50, 168, "NIF: A58818501")
    at(50, 230, "Descripción", bold=True)
    right(360, 230, "Cant.")
    right(440, 230, "Precio")
    right(540, 230, "Importe")
    at(50, 250, "Revisión preventiva telar")
    right(360, 250, "1")
    right(440, 250, "450,00 €")
    right(540, 250, "450,00 €")
    at(380, 300, "Base imponible")
    right(540, 300, "450,00 €")
    at(380, 314, "IVA 21 %")
    right(540, 314, "94,50 €")
    at(380, 328, "TOTAL", 12, True)
    right(540, 328, "544,50 €")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_rendered_pdf_text_layer() -> None:
    pages = read_text_layer(_pdf())
    data = extract_invoice(ReadDocument("f.pdf", "0" * 64, "text", pages=pages))
    assert data.invoice_number == "F-2024-0123"
    assert data.issue_date == date(2024, 3, 15)
    assert (data.net_total, data.tax_total, data.total) == (_d("450.00"), _d("94.50"), _d("544.50"))
    assert data.seller == Party("Mantenimientos Textiles Vallès S.L.", "B12345674")
    assert data.buyer == Party("Hilaturas del Norte S.A.", "A58818501")
    assert len(data.lines) == 1 and data.lines[0].quantity == Decimal("1")


def test_tax_ids_by_check_digit_not_by_shape() -> None:
    from facturas_assets.documents.extraction.taxids import find_tax_ids, repair_ocr

    def words(text: str) -> list[Word]:
        out, x = [], 0.0
        for token in text.split():
            out.append(Word(token, x, 0, x + 5 * len(token), 10))
            x += 5 * len(token) + 3
        return out

    assert [h.value for h in find_tax_ids(words("NIF: B-12345674"))] == ["B12345674"]
    assert [h.value for h in find_tax_ids(words("VAT ES B12345674"))] == ["ESB12345674"]
    # a date and a postcode side by side are not a German VAT number
    assert find_tax_ids(words("13 de diciembre de 2025 08700")) == []
    assert find_tax_ids(words("Tel 934567890")) == []
    assert repair_ocr("BO3033180") == "B03033180"  # OCR read a zero as the letter O
    assert repair_ocr("B12345675") is None  # a wrong check digit is not "repaired"
    assert repair_ocr("1T13302270122", labelled=True) == "IT13302270122"  # prefix read "1T"
    assert repair_ocr("1713302270122") is None  # unlabelled digits: too often valid by chance
    assert [h.value for h in find_tax_ids(words("P.IVA 1713302270122"))] == ["IT13302270122"]
    assert repair_ocr("E5B12345674", labelled=True) == "ESB12345674"


def test_qualified_date_label_loses_to_the_bare_one() -> None:
    s = Sheet()
    # OCR is surer of the service date than of the issue date: the label decides, not that.
    s.text(40, 40, "Fecha", conf=0.8)
    s.text(160, 40, "16/11/2022", conf=0.8)
    s.text(40, 54, "Fecha servicio", conf=0.97)
    s.text(160, 54, "03/11/2022", conf=0.97)
    data = extract_pages(s.pages)
    assert data.issue_date == date(2022, 11, 16)


def test_lost_decimal_sign_is_restored_only_when_the_totals_add_up() -> None:
    s = Sheet()
    s.text(300, 400, "Base imponible")
    s.right(550, 400, "14.220,04 €")
    s.text(300, 414, "IVA 21 %")
    s.right(550, 414, "2.986,21 €")
    s.text(300, 428, "Total")
    s.right(550, 428, "1720625")  # OCR dropped the decimal comma of 17.206,25
    data = extract_pages(s.pages)
    assert data.total == _d("17206.25")
    assert any(w.startswith("amount_repaired: total") for w in data.warnings)
    assert data.confidence["total"] < data.confidence["net_total"]

    s = Sheet()
    s.text(300, 400, "Base imponible")
    s.right(550, 400, "100,00 €")
    s.text(300, 414, "IVA 21 %")
    s.right(550, 414, "21,00 €")
    s.text(300, 428, "Total")
    s.right(550, 428, "12200")  # no reading of it adds up: left as printed, never invented
    data = extract_pages(s.pages)
    assert data.total == _d("12200")
    assert not any(w.startswith("amount_repaired") for w in data.warnings)


def test_rule_remnants_and_sideways_words_do_not_join_lines() -> None:
    s = Sheet()
    s.text(300, 400, "Base imponible")
    s.right(550, 400, "100,00 €|")
    s.text(300, 414, "IVA 21 %")
    s.right(550, 414, "21,00 €")
    s.text(300, 428, "TOTAL A PAGAR")
    s.right(550, 428, "121,00 €")
    page = s.pages[0]
    # A bar OCR made of a box edge, and a word of a sideways margin note, both spanning lines.
    page.words.append(Word("|", 290, 398, 292, 440, 0, 0.4))
    page.words.append(Word("PEINADORAS", 20, 380, 30, 440, 0, 1.0))
    data = extract_pages(s.pages)
    assert (data.net_total, data.tax_total, data.total) == (_d("100.00"), _d("21.00"), _d("121.00"))


def test_unreadable_date_label_falls_back_to_the_first_date_with_a_warning() -> None:
    s = Sheet()
    s.text(40, 40, "eee", conf=0.3)  # OCR could not read the "Fecha" header cell
    s.text(140, 40, "Vencimiento")
    s.text(40, 54, "26/10/2022")
    s.text(140, 54, "25/11/2022")
    s.text(300, 428, "Total")
    s.right(550, 428, "121,00 €")
    data = extract_pages(s.pages)
    assert data.issue_date == date(2022, 10, 26)
    assert data.confidence["issue_date"] <= 0.3
    assert any(w.startswith("issue_date_guessed") for w in data.warnings)

    s = Sheet()
    s.text(40, 40, "Vencimiento: 25/11/2022")  # a due date is never taken for the issue date
    assert extract_pages(s.pages).issue_date is None


def test_garbled_total_and_glued_label_are_read_through_the_sums() -> None:
    s = Sheet()
    s.text(300, 400, "Base imponible")
    s.right(550, 400, "14.220,04 €")
    s.text(300, 414, "Cuota IVA (21,00 %)")
    s.right(550, 414, "2.986,21 €")
    s.text(300, 428, "Totala pagar")  # OCR glued "Total a"
    s.right(550, 428, "17.20625€")  # and lost the decimal comma
    data = extract_pages(s.pages)
    assert data.total == _d("17206.25")
    assert any(w.startswith("amount_repaired: total") for w in data.warnings)


def test_garbled_number_sign_glued_to_the_invoice_label() -> None:
    s = Sheet()
    s.text(40, 40, "Fecha")
    s.text(140, 40, "NtFactura", conf=0.6)  # "Nº Factura" as OCR read it
    s.text(40, 54, "26/10/2022")
    s.text(140, 54, "CPS/22/06954")
    s.text(40, 300, "Revisión del telar Picanol nº 27: engrase")  # a number in prose
    data = extract_pages(s.pages)
    assert data.invoice_number == "CPS/22/06954"


def test_an_unknown_label_beside_the_number_label_is_not_the_number() -> None:
    """A row of labels with their values under them: the word right of the number's label is
    the next label (one the lexicon does not know), and the number is the one below."""
    s = Sheet()
    s.text(40, 40, "Maschinenbau Keller GmbH", 16)
    for x, label, value in (
        (60, "Datum", "12.03.2024"),
        (170, "Rechnungsnummer", "RE-4471"),
        (300, "Sachgebiet", "Wartung"),
    ):
        s.text(x, 200, label)
        s.text(x, 215, value)
    s.totals([("Nettobetrag", "100,00"), ("MwSt. 19 %", "19,00"), ("Gesamtbetrag", "119,00 €")])
    data = extract_pages(s.pages)
    assert data.invoice_number == "RE-4471"
    assert data.issue_date == date(2024, 3, 12)


def test_a_band_of_bare_tax_and_total_labels_beside_a_net_label_is_the_totals() -> None:
    """'Total excl. VAT | Rate | Tax | TOTAL' over '$ 1800.00 | 0% | $ 0.00 | $ 1800.00': bare
    "Tax" and "TOTAL" are weak labels alone, yet beside a net's label the band is the totals,
    not a second item header whose amounts read as a third item (the items sum to less: a
    charge the band's net includes)."""
    s = Sheet()
    s.text(40, 40, "Northwind Tools Ltd", 16)
    s.text(330, 40, "Invoice No. NW-5521")
    s.text(330, 54, "Date: 14/03/2024")
    heads = ((40, "REF."), (90, "PARTICULARS"), (390, "QUANTITY"), (440, "PRICE EACH"))
    for x, header in (*heads, (500, "NET AMOUNT")):
        s.text(x, 200, header)
    items = (("Steel brackets", "1", "$ 1500.00"), ("Galvanised bolts", "1", "$ 250.00"))
    for n, (desc, qty, amount) in enumerate(items):
        s.text(90, 216 + 14 * n, desc)
        s.right(430, 216 + 14 * n, qty)
        s.right(488, 216 + 14 * n, amount)
        s.right(552, 216 + 14 * n, amount)
    band = (
        (162, "Total excl. VAT", "$ 1800.00"),
        (292, "Rate", "0%"),
        (421, "Tax", "$ 0.00"),
        (551, "TOTAL", "$ 1800.00"),
    )
    for x1, label, value in band:
        s.right(x1, 300, label)
        s.right(x1, 315, value)
    data = extract_pages(s.pages)
    assert len(data.lines) == 2
    assert (data.net_total, data.tax_total, data.total) == (
        _d("1800.00"),
        _d("0.00"),
        _d("1800.00"),
    )


def test_a_band_of_totals_labels_under_the_items_is_no_table_header() -> None:
    """'Net value | VAT rate | VAT amount | Total due' over a line of amounts: column words
    ("value", "rate", "VAT", "total") yet no description or quantity, a tax and a total named,
    amounts alone under it: the totals, not a second item table."""
    s = Sheet()
    s.text(40, 40, "Loomcare Textiles Ltd", 16)
    s.text(330, 40, "Invoice No. INV-2291")
    s.text(330, 54, "Invoice date: 14/03/2024")
    for x, header in ((40, "Description"), (300, "Qty"), (380, "Unit price"), (480, "Amount")):
        s.text(x, 200, header)
    items = (("Wool yarn, 2 kg", "3", "40.00", "120.00"), ("Dyeing service", "1", "80.00", "80.00"))
    for n, (desc, qty, price, amount) in enumerate(items):
        s.text(40, 216 + 14 * n, desc)
        s.right(320, 216 + 14 * n, qty)
        s.right(440, 216 + 14 * n, price)
        s.right(540, 216 + 14 * n, amount)
    band = (
        (150, "Net value", "£200.00"),
        (250, "VAT rate", "20%"),
        (350, "VAT amount", "£40.00"),
        (450, "Total due", "£240.00"),
    )
    for x, label, value in band:
        s.text(x, 300, label)
        s.text(x, 315, value)
    data = extract_pages(s.pages)
    assert len(data.lines) == 2
    assert (data.net_total, data.tax_total, data.total) == (
        _d("200.00"),
        _d("40.00"),
        _d("240.00"),
    )
