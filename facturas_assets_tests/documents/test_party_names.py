"""Which name a party is read by."""

from __future__ import annotations

from decimal import Decimal

from facturas_assets.documents.extraction import extract_pages
from facturas_assets.documents.extraction.labels import match_field_labels
from facturas_assets.documents.extraction.layout import build_lines
from facturas_assets.documents.extraction.party_tax_ids import _all_tax_ids, _beside_items
from facturas_assets.documents.extraction.party_unlabelled import _block_above
from facturas_assets.documents.extraction.party_words import _LEGAL_FORM, _over_lines, _type_size
from facturas_assets.documents.extraction.taxids import find_tax_ids
from facturas_assets.documents.model import Word
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


def _unlabelled_buyer(heading: list[str], name: str = "Tintes del Sur, S.L.") -> Sheet:
    """An issuer's letterhead, then an unlabelled buyer block (headed by `heading` lines)
    ending in the buyer's tax id."""
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 16)
    s.block(40, 50, ["C/ Mayor 1", "50001 Zaragoza", "CIF: B12345674"])
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    s.block(40, 130, [*heading, name, "Av. del Puerto 8", "41001 Sevilla", "NIF: A58818501"])
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    return s


def test_a_salutation_heading_the_buyer_block_is_not_its_name() -> None:
    for salutation in ("Sr./Sres.", "Sr./Sra.", "Messrs", "Herrn"):
        data = extract_pages(_unlabelled_buyer([salutation]).pages)
        assert data.buyer.name == "Tintes del Sur, S.L.", salutation
        assert data.seller.name == "Talleres Ebro"


def test_a_courtesy_title_before_the_buyer_name_is_left_out() -> None:
    data = extract_pages(_unlabelled_buyer([], "Sr. D. Juan Pérez Soto").pages)
    assert data.buyer.name == "Juan Pérez Soto"


def test_a_name_field_label_or_a_data_heading_is_not_the_buyer_name() -> None:
    for heading in ("Razón social:", "DATOS DE FACTURACIÓN:", "Raison sociale", "Billing details"):
        data = extract_pages(_unlabelled_buyer([heading]).pages)
        assert data.buyer.name == "Tintes del Sur, S.L.", heading


def test_the_name_after_a_name_field_label_on_its_line() -> None:
    data = extract_pages(_unlabelled_buyer([], "Razón social: Tintes del Sur, S.L.").pages)
    assert data.buyer.name == "Tintes del Sur, S.L."


def test_an_attention_line_names_a_contact_not_the_buyer() -> None:
    for attention in ("Attn: Mary Jones", "z. Hd. Herrn Max Weber", "À l'attention de M. Martin"):
        s = Sheet()
        s.text(40, 30, "Talleres Ebro", 16)
        s.block(40, 50, ["C/ Mayor 1", "50001 Zaragoza", "CIF: B12345674"])
        s.text(330, 40, "Invoice No.: 2024-0117")
        s.text(330, 54, "Date: 30/04/2024")
        s.block(40, 130, ["Bill to:", attention, "Tintes del Sur, S.L.", "41001 Sevilla"])
        s.totals([("Net", "100,00"), ("VAT 21 %", "21,00"), ("Total", "121,00 €")])
        assert extract_pages(s.pages).buyer.name == "Tintes del Sur, S.L.", attention


def test_the_buyer_name_set_in_bold_below_is_not_the_letterhead() -> None:
    s = Sheet()
    s.text(40, 30, "Luis Gómez Ruiz", 15)
    s.block(40, 50, ["Servicios Eléctricos", "Av. de la Paz 145", "CIF: 12345678Z"])
    s.text(330, 110, "FACTURA", 12)
    s.text(40, 142, "Distribuciones del Norte, S.L.", 11)
    s.block(40, 156, ["Rambla 12", "08001 Barcelona", "CIF: A58818501"])
    s.text(330, 142, "Factura nº: 2024-0117")
    s.text(330, 156, "Fecha: 30/04/2024")
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    data = extract_pages(s.pages)
    assert data.seller.name == "Luis Gómez Ruiz"
    assert data.seller.tax_id == "12345678Z"
    assert data.buyer.name == "Distribuciones del Norte, S.L."
    assert data.buyer.tax_id == "A58818501"


def test_header_fields_stacked_over_an_unlabelled_buyer_block_are_not_its_name() -> None:
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 16)
    s.block(40, 50, ["C/ Mayor 1", "50001 Zaragoza", "CIF: B12345674"])
    lines = ["Nº Fra.", "F2024.118", "Emitida el", "28.03.2024", "Pedido", "PO-1234"]
    s.block(330, 110, [*lines, "Muebles del Sur, S.A.", "Av. de Andalucía 5", "NIF: A58818501"])
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    data = extract_pages(s.pages)
    assert data.buyer.name == "Muebles del Sur, S.A."
    assert data.buyer.tax_id == "A58818501"


def test_a_label_and_its_value_beside_it_over_the_buyer_block_are_not_its_name() -> None:
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 16)
    s.block(40, 50, ["C/ Mayor 1", "50001 Zaragoza", "CIF: B12345674"])
    for i, (label, value) in enumerate(
        [("Fecha de factura", "2024-05-02"), ("Cta. cliente", "123")]
    ):
        s.text(48, 110 + 12 * i, label)
        s.text(230, 110 + 12 * i, value)
    s.block(40, 140, ["Tintes del Sur, S.L.", "Paseo del Río 3", "NIF: A58818501"])
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    assert extract_pages(s.pages).buyer.name == "Tintes del Sur, S.L."


def test_a_credit_note_title_with_its_number_is_not_the_seller_name() -> None:
    titles = ("CREDIT NOTE Nr. A 2024/17", "FATURA-RECIBO", "NOTA DE CRÉDITO")
    for title in (*titles, "NOTA DI CREDITO", "CREDIT NOTE FT A2024/17"):
        s = Sheet()
        s.text(200, 20, title, 16)
        s.text(40, 60, "Schreinerei Vogt e.K.", 12)
        s.block(40, 76, ["Ringstr. 5", "50667 Köln", "USt-IdNr. DE136695976"])
        s.text(330, 110, "Datum: 12.02.2024")
        s.totals([("Netto", "100,00"), ("USt. 19 %", "19,00"), ("Gesamt", "119,00 €")])
        assert extract_pages(s.pages).seller.name == "Schreinerei Vogt e.K.", title


def test_a_right_aligned_letterhead_keeps_its_tax_id() -> None:
    s = Sheet()
    s.text(40, 40, "RECHNUNG", 14)
    lines = ["Kessel Werkzeuge GmbH", "Werkzeugbau", "Lindenweg 4", "12345 Feldheim Germany"]
    for i, text in enumerate(lines):
        s.right(560, 30 + 12 * i, text)
    s.right(560, 78, "Tel. +49 30 1234 567 info@kessel.de")
    s.right(560, 90, "USt-IdNr. DE136695976")
    s.text(330, 130, "Datum: 12.02.2024")
    s.block(
        330, 160, ["Tintes del Sur, S.L.", "Av. del Puerto 8", "41001 Sevilla", "NIF: A58818501"]
    )
    s.totals([("Netto", "100,00"), ("USt. 19 %", "19,00"), ("Gesamt", "119,00 €")])
    data = extract_pages(s.pages)
    assert data.seller.name == "Kessel Werkzeuge GmbH"
    assert data.seller.tax_id == "DE136695976"
    assert data.buyer.name == "Tintes del Sur, S.L."
    assert data.buyer.tax_id == "A58818501"


def test_a_telephone_number_is_not_the_seller_tax_id() -> None:
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 16)
    # Nine digits a Portuguese NIF's check digit accepts, over the seller's own id.
    s.block(40, 50, ["C/ Mayor 1", "Tfno. 900 123 437", "CIF: B12345674"])
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    s.block(40, 130, ["Tintes del Sur, S.L.", "Av. del Puerto 8", "NIF: A58818501"])
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    data = extract_pages(s.pages)
    assert data.seller.tax_id == "B12345674"
    assert data.buyer.tax_id == "A58818501"


def _letterhead_and_header(s: Sheet) -> None:
    s.text(40, 30, "Northwind Tools Ltd", 16)
    s.block(40, 50, ["4 Mill Lane", "LS1 4AB Leeds", "VAT: GB123456789"])
    s.text(40, 110, "INVOICE", 14)
    s.text(48, 130, "Invoice number: NT-1042")
    s.text(48, 143, "Invoice date: 03-04-2024")
    s.totals([("Net", "100.00"), ("VAT 20 %", "20.00"), ("Total", "120.00")])


def test_a_buyer_block_found_from_a_labelled_tax_id_whose_check_digit_fails() -> None:
    s = Sheet()
    _letterhead_and_header(s)
    s.block(40, 170, ["Harbour Optics Ltd", "7 Quay Road", "Cork", "Tax ID: IE1234567X"])
    data = extract_pages(s.pages)
    assert data.buyer.name == "Harbour Optics Ltd"
    assert data.buyer.tax_id == "IE1234567X"


def test_a_buyer_address_block_with_neither_label_nor_tax_id() -> None:
    s = Sheet()
    _letterhead_and_header(s)
    s.block(40, 170, ["Fahrradhaus Lenz", "Gartenweg 9", "04109 Leipzig", "DE"])
    data = extract_pages(s.pages)
    assert data.seller.name == "Northwind Tools Ltd"
    assert data.buyer.name == "Fahrradhaus Lenz"
    assert data.buyer.tax_id is None


def test_a_street_or_town_line_is_not_the_buyer_name() -> None:
    for line in ("12 Rue des Lilas", "4000 Townsville", "High Street 7", "Lindenstraße 3"):
        s = Sheet()
        _letterhead_and_header(s)
        s.block(40, 170, ["Box 42:", line, "75001 Paris", "VAT FR40303265045"])
        assert extract_pages(s.pages).buyer.name is None, line


def test_a_tax_id_in_a_cell_apart_from_its_label_ends_the_buyer_block() -> None:
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 16)
    s.block(40, 50, ["C/ Mayor 1", "50001 Zaragoza", "CIF: B12345674"])
    s.text(48, 110, "Work Date")
    s.text(230, 110, "01/02/2024")
    s.block(40, 130, ["Tintes del Sur, S.L.", "Av. del Puerto 8", "41001 Sevilla"])
    s.text(40, 172, "N° TVA")
    s.text(120, 172, "A58818501")
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    data = extract_pages(s.pages)
    assert data.buyer.name == "Tintes del Sur, S.L."
    assert data.buyer.tax_id == "A58818501"


def test_a_telephone_number_in_the_cell_after_its_word_is_not_a_tax_id() -> None:
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 16)
    s.block(40, 50, ["C/ Mayor 1", "50001 Zaragoza"])
    s.text(40, 78, "Tél")
    s.text(80, 78, "+33 1 98 76 54 32")
    s.text(40, 92, "CIF: B12345674")
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    assert extract_pages(s.pages).seller.tax_id == "B12345674"


def test_an_initial_opening_a_name_is_not_a_courtesy_title() -> None:
    data = extract_pages(_unlabelled_buyer([], "M. Weber Bau GbR").pages)
    assert data.buyer.name == "M. Weber Bau GbR"


def test_a_labelled_field_or_a_telephone_line_is_not_the_buyer_name() -> None:
    for line in ("Pago: contado", "Tel. +34 900 123 456"):
        data = extract_pages(_unlabelled_buyer([line]).pages)
        assert data.buyer.name == "Tintes del Sur, S.L.", line


def test_the_letterhead_block_reaches_its_tax_id_past_the_column_beside_it() -> None:
    s = Sheet()
    s.text(50, 33, "Martin et Fils SAS", 17)
    s.text(440, 42, "www.martinfils.fr", 8)  # the column beside, level with the name
    s.text(50, 66, "Menuiserie ZA des Prés, lot 4, 38000 Grenoble", 8)
    s.text(50, 77, "N° TVA FR40303265045", 8)
    s.text(50, 102, "Facture", 14)
    s.block(307, 140, ["Tintes del Sur, S.L.", "Av. del Puerto 8", "N° TVA ESA58818501"])
    s.text(307, 200, "N° facture: MF-2024-3")
    s.text(307, 214, "Date: 17.11.2024")
    s.totals([("Total HT", "100,00"), ("TVA 20 %", "20,00"), ("Total TTC", "120,00 €")])
    data = extract_pages(s.pages)
    assert data.seller.name == "Martin et Fils SAS"
    assert data.seller.tax_id == "FR40303265045"
    assert data.buyer.name == "Tintes del Sur, S.L."
    assert data.buyer.tax_id == "ESA58818501"


def test_a_buyer_address_block_low_on_a_short_page_but_above_the_items() -> None:
    s = Sheet()
    s.text(450, 27, "Kessel Werkzeuge GmbH", 12)
    s.block(450, 42, ["Lindenweg 4", "12345 Feldheim", "N° TVA DE136695976"])
    s.text(45, 37, "Facture", 14)
    s.block(45, 132, ["Numéro de facture:", "KW-2024-88", "Date:", "05-03-2024"])
    s.block(45, 192, ["Anna Vogel", "Rosenstr. 8", "80331 München", "DE"])
    s.text(50, 262, "Description")
    s.right(360, 262, "Qté")
    s.right(540, 262, "Montant")
    s.text(50, 278, "Service de maintenance")
    s.right(360, 278, "1")
    s.right(540, 278, "14,90 €")
    s.totals([("Base HT:", "14,90 €"), ("TVA à 0 %:", "0,00 €"), ("Total:", "14,90 €")], y=310)
    data = extract_pages(s.pages)
    assert data.seller.name == "Kessel Werkzeuge GmbH"
    assert data.buyer.name == "Anna Vogel"


def test_an_item_description_repeated_at_the_page_foot_is_not_a_registry_name() -> None:
    s = Sheet()
    s.text(55, 41, "Ferramenta Bruni S.r.l.", 14)
    s.block(55, 57, ["Via Manzoni 9", "20100 Milano", "Partita IVA IT00743110157"])
    s.text(330, 100, "Numero fattura: 77/24")
    s.text(330, 114, "Data: 08.05.2023")
    for y in (240, 700):  # one item bought twice: its description high and low on the page
        s.text(60, y, "ART-12")
        s.text(113, y, "Sostituzione filtro aria compressore")
        s.right(420, y, "5")
        s.right(480, y, "62,03 €")
        s.right(540, y, "310,15 €")
    s.totals([("Imponibile", "620,30"), ("IVA 22 %", "136,47"), ("Totale", "756,77 €")], y=760)
    assert extract_pages(s.pages).seller.name == "Ferramenta Bruni S.r.l."


def test_an_unknown_label_with_its_reference_beside_it_is_not_the_buyer_name() -> None:
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 16)
    s.block(40, 50, ["C/ Mayor 1", "50001 Zaragoza", "CIF: B12345674"])
    s.text(315, 110, "Vertragsnummer")
    s.text(490, 110, "VN-2024-7")
    s.block(307, 130, ["Tintes del Sur, S.L.", "Av. del Puerto 8", "NIF: A58818501"])
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    assert extract_pages(s.pages).buyer.name == "Tintes del Sur, S.L."


def test_a_customer_number_label_does_not_head_the_buyer_block() -> None:
    s = Sheet()
    s.text(61, 34, "Officine Galli S.r.l.", 14)
    s.block(61, 51, ["Via Verdi 3", "50100 Firenze", "P.IVA IT00743110157"])
    s.text(61, 147, "FATTURA NR.: OG-2024-9")
    s.text(191, 147, "DATA: 10/12/2024")
    s.text(356, 147, "CLIENTE N.: 123")
    s.block(318, 171, ["Cooperativa Agrícola del Valle", "18001 Granada", "P. IVA: ESF43269240"])
    s.totals([("Imponibile", "100,00"), ("IVA 22 %", "22,00"), ("Totale", "122,00 €")])
    data = extract_pages(s.pages)
    assert data.buyer.name == "Cooperativa Agrícola del Valle"
    assert data.buyer.tax_id == "ESF43269240"


def test_a_tax_id_after_a_phone_number_and_an_address_in_one_cell_is_kept() -> None:
    s = Sheet()
    s.text(137, 29, "Atelier Girard SAS", 16)
    s.text(147, 76, "Tél +33 1 23 45 67 89 info@girard.fr TVA FR40303265045")
    s.text(330, 110, "Facture no AG-2024-12")
    s.text(330, 124, "Date 02/05/2024")
    s.totals([("Total HT", "100,00"), ("TVA 20 %", "20,00"), ("Total TTC", "120,00 €")])
    assert extract_pages(s.pages).seller.tax_id == "FR40303265045"


def test_a_buyer_tax_id_beside_a_label_read_as_another_field() -> None:
    s = Sheet()
    s.text(54, 40, "Filature Lambert S.A.", 14)
    s.block(54, 56, ["12 Rue des Lilas", "59000 Lille", "N° TVA FR40303265045"])
    s.text(54, 126, "N° de facture: FL-2024-31")
    s.text(54, 138, "Émise le: 4 mars 2024")
    s.block(307, 138, ["Distribuciones Lucas, S.L.", "Rambla 12", "08001 Barcelona"])
    s.text(307, 183, "TVA intracom.")
    s.text(391, 183, "ESA58818501")
    s.totals([("Total HT", "100,00"), ("TVA 0 %", "0,00"), ("Montant TTC", "100,00 €")])
    data = extract_pages(s.pages)
    assert data.buyer.name == "Distribuciones Lucas, S.L."
    assert data.buyer.tax_id == "ESA58818501"


def test_an_address_block_beside_the_header_fields_is_the_buyer() -> None:
    s = Sheet()
    s.text(67, 34, "Dune Traders", 14)
    s.block(67, 62, ["Harbour Road 12", "11111 Port City"])
    s.text(280, 116, "Facture", 14)
    s.block(67, 142, ["Oasis Retail LLC", "Palm Street 40", "22222 Port City", "AE"])
    s.text(318, 142, "Numéro De Facture: DT-77")
    s.text(318, 154, "Date De Facture: 2024-02-01")
    s.totals([("Net HT:", "450,00"), ("TVA 15,0 %:", "67,50"), ("Total TTC:", "517,50")])
    assert extract_pages(s.pages).buyer.name == "Oasis Retail LLC"


def test_a_party_word_inside_the_buyer_name_or_street_is_not_a_label() -> None:
    s = Sheet()
    s.text(442, 26, "Tessitura Rossi SpA", 12)
    s.block(442, 56, ["Via Emilia 12", "41100 Modena", "VAT No.: IT00743110157"])
    s.text(56, 36, "Invoice", 14)
    s.block(56, 140, ["Centro Cliente Nord", "Via del Cliente 7", "41100 Modena", "IT"])
    s.text(56, 196, "VAT Reg. No. IT12345678903")
    s.text(156, 227, "Invoice number: TR-2024-5")
    s.totals([("Sub-total", "100.00"), ("VAT 22%", "22.00"), ("TOTAL", "122.00")])
    assert extract_pages(s.pages).buyer.name == "Centro Cliente Nord"


def _split(s: Sheet, x: float, y: float, tokens: list[str], size: float = 10, conf: float = 0.9):
    """Words as OCR reports them: ink boxes whose gaps at ordinary spaces exceed the cell gap
    (each token in a cell of its own)."""
    for token in tokens:
        s.text(x, y, token, size, conf)
        x += (len(token) * 5.0 + 12) * size / 10


def _ocr_sheet(top: list[str], buyer_heading: list[str] | None = None) -> Sheet:
    """A letterhead set in OCR-split cells, the header fields, a buyer block and totals."""
    s = Sheet()
    _split(s, 40, 30, top, 16)
    s.block(40, 56, ["C/ Mayor 1", "50001 Zaragoza", "CIF: B12345674"])
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    y = 130
    if buyer_heading:
        _split(s, 40, y, buyer_heading)
        y += 14
    s.block(40, y, ["Tintes Olmedo, S.A.", "Av. del Puerto 8", "41001 Sevilla", "NIF: A58818501"])
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    return s


def test_a_legal_form_ocr_set_in_a_cell_of_its_own_stays_with_the_name() -> None:
    for top, name in (
        (["Huertas Ribera,", "S.L."], "Huertas Ribera, S.L."),
        (["Muebles Norte,", "S.", "Coop."], "Muebles Norte, S. Coop."),
        (["Werkzeug Brandt", "e.K."], "Werkzeug Brandt e.K."),
    ):
        assert extract_pages(_ocr_sheet(top).pages).seller.name == name, top
    s = Sheet()
    s.text(40, 30, "Huertas Ribera", 16)
    s.block(40, 50, ["C/ Mayor 1", "50001 Zaragoza", "CIF: B12345674"])
    s.text(330, 40, "Invoice No.: 2024-0117")
    s.text(330, 54, "Date: 30/04/2024")
    s.text(40, 130, "Bill to:")
    _split(s, 40, 144, ["Tintes Olmedo,"])
    s.text(122, 144, "S.A.", conf=0.9)
    s.block(40, 158, ["Av. del Puerto 8", "41001 Sevilla"])
    s.totals([("Net", "100,00"), ("VAT 21 %", "21,00"), ("Total", "121,00 €")])
    assert extract_pages(s.pages).buyer.name == "Tintes Olmedo, S.A."


def test_a_party_word_in_a_phrase_ocr_split_at_its_spaces_heads_no_block() -> None:
    s = _ocr_sheet(["Huertas Ribera"])
    _split(s, 330, 80, ["Número", "de", "pedido"])  # "de" ("from") alone in its cell
    s.text(372, 94, "Obra Puerto Norte")
    data = extract_pages(s.pages)
    assert data.seller.name == "Huertas Ribera"


def test_a_party_label_ocr_split_at_its_spaces_is_not_the_buyer_name() -> None:
    for heading in (["Facturer", "à:"], ["Dados.", "do", "cliente"]):
        data = extract_pages(_ocr_sheet(["Huertas Ribera"], heading).pages)
        assert data.buyer.name == "Tintes Olmedo, S.A.", heading


def test_a_title_cut_by_a_stamp_or_misread_is_not_the_letterhead() -> None:
    for title in (["¿E", "ORIGINA"], ['6 "IGINAL'], ["E", "actu", "ra"]):
        s = _ocr_sheet(["Huertas Ribera"])
        _split(s, 300, 100, title, 20)
        assert extract_pages(s.pages).seller.name == "Huertas Ribera", title


def test_a_phrase_in_lower_case_or_a_web_address_is_not_the_letterhead() -> None:
    s = _ocr_sheet(["Huertas Ribera"])
    _split(s, 40, 200, ["e sctubre de"], 20)
    assert extract_pages(s.pages).seller.name == "Huertas Ribera"
    s = Sheet()
    s.text(40, 30, "Rosa Lanza Pino", 12)
    s.block(40, 46, ["C/ Mayor 1", "50001 Zaragoza"])
    _split(s, 40, 74, ["Tel. 900 000 000 - info", "rosalanzapino.es"], 14)
    s.text(40, 90, "NIF: 12345678Z")
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    assert extract_pages(s.pages).seller.name == "Rosa Lanza Pino"


def test_a_name_is_mended_of_what_ocr_adds_to_it() -> None:
    for top, name in (
        ("Huertas Ribera, “S.L.", "Huertas Ribera, S.L."),
        ("Huertas Ribera; S.L.", "Huertas Ribera, S.L."),
        ("«Huertas» Ribera, S.L.", "«Huertas» Ribera, S.L."),
    ):
        s = _ocr_sheet([])
        s.text(40, 30, top, 16, 0.9)
        assert extract_pages(s.pages).seller.name == name, top
    s = _ocr_sheet([])
    s.text(40, 30, "“sx.", 16, 0.3)  # a logo's trace OCR was unsure of
    s.text(85, 30, "Huertas Ribera, S.L.", 16, 0.9)
    assert extract_pages(s.pages).seller.name == "Huertas Ribera, S.L."


def _ocr_words(s: Sheet, x: float, top: float, words: list[tuple[str, float, float]]) -> None:
    """OCR'd words on a line whose capitals start at `top`: (text, ink top offset, ink height),
    each box hugging its ink as Tesseract's do, with a 0.3 em space after it."""
    page = s.pages[-1]
    for text, offset, height in words:
        width = 7.0 * len(text)
        page.words.append(Word(text, x, top + offset, x + width, top + offset + height, 0, 0.95))
        x += width + 5.0


def _ocr_header(s: Sheet) -> None:
    """An OCR'd invoice's number, date and totals, right of and under its letterhead."""
    s.text(330, 40, "Factura nº: 2024-0117", conf=0.95)
    s.text(330, 54, "Fecha: 30/04/2024", conf=0.95)
    s.totals(
        [("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")], conf=0.95
    )


def test_ocr_box_sizes_are_compared_by_what_their_letters_reach() -> None:
    # One type: capitals reach 12 px; descenders 3 px more; x-height letters 8 px.
    capitals = [Word("Sanz", 0, 0, 30, 12, 0, 0.95), Word("Mora", 40, 0, 70, 12, 0, 0.95)]
    descenders = [Word("Reparaciones", 0, 0, 80, 15, 0, 0.95)]
    x_height = [Word("one", 0, 4, 20, 12, 0, 0.95), Word("sum", 25, 4, 50, 12, 0, 0.95)]
    sizes = [_type_size(w) for w in (capitals, descenders, x_height)]
    assert max(sizes) / min(sizes) < 1.05
    # A text layer's box is the type's own: its height is its size.
    assert _type_size([Word("Reparaciones", 0, 0, 80, 12, 0, 1.0)]) == 12


def test_an_ocr_letterhead_wrapped_in_a_narrow_column_is_read_from_its_first_line() -> None:
    s = Sheet()
    # "Reparaciones" has a descender: its box is the tallest, yet the name begins above it.
    _ocr_words(s, 40, 37, [("Sanz", 0, 12), ("y", 4, 11), ("Mora", 0, 12)])
    _ocr_words(s, 40, 56, [("Reparaciones", 0, 15), ("Textiles,", 0, 15)])
    _ocr_words(s, 40, 75, [("S.L.U.", 0, 12)])
    s.block(40, 100, ["C/ Mayor 1", "50001 Zaragoza", "CIF: B12345674"])
    _ocr_header(s)
    data = extract_pages(s.pages, ocr=True)
    assert data.seller.name == "Sanz y Mora Reparaciones Textiles, S.L.U."


def test_an_ocr_speck_or_a_line_beside_between_the_lines_of_a_wrapped_name_is_passed() -> None:
    between: list[tuple[str, float, float, float]] = [
        ("i", 92, 88, 0.96),  # a speck read as a letter, in the name's column
        ("FACTURE A", 395, 88, 0.93),  # a line of the column beside
    ]
    for text, x, y, conf in between:
        s = Sheet()
        _ocr_words(s, 60, 58, [("Duval", 0, 11), ("et", 1, 10), ("Fils", 0, 11)])
        _ocr_words(s, 60, 73, [("Mécanique", -2, 14)])  # an accent above, a descender below
        s.text(x, y, text, 3, conf=conf)
        _ocr_words(s, 60, 92, [("Textile", 0, 11), ("SARL", 0, 11)])
        s.block(60, 120, ["148 avenue de la Gare", "42000 Saint-Étienne", "TVA FR86909276214"])
        _ocr_header(s)
        data = extract_pages(s.pages, ocr=True)
        assert data.seller.name == "Duval et Fils Mécanique Textile SARL", text


def test_ocr_garble_over_a_buyer_name_gives_way_to_the_name_under_it() -> None:
    s = Sheet()
    s.text(40, 30, "Talleres Ebro S.L.", 16, conf=0.95)
    s.text(317, 100, "DATOS DEL CLIENTE", conf=0.95)
    s.text(317, 112, "paros", conf=0.36)  # OCR's guess at ink it could not read
    for i, text in enumerate(["Tejidos Sabadell Industrial, S.L.", "C/ Ter, 14", "08202 Sabadell"]):
        s.text(317, 124 + 14 * i, text, conf=0.95)
    _ocr_header(s)
    assert extract_pages(s.pages, ocr=True).buyer.name == "Tejidos Sabadell Industrial, S.L."
    # Read alone, an unsure run is still the block's name.
    s = Sheet()
    s.text(40, 30, "Talleres Ebro S.L.", 16, conf=0.95)
    s.text(317, 100, "DATOS DEL CLIENTE", conf=0.95)
    s.text(317, 112, "Tejidos Sabadell", conf=0.4)
    _ocr_header(s)
    assert extract_pages(s.pages, ocr=True).buyer.name == "Tejidos Sabadell"


def test_a_page_number_label_whose_number_ocr_lost_is_not_the_letterhead() -> None:
    for page_word in ("Hoja", "Pag.", "Página"):
        s = Sheet()
        s.text(452, 34, "Antonio Ferrer Gil", 9, conf=0.95)
        s.text(452, 48, "C/ Mayor 1", 6, conf=0.95)
        s.text(40, 159, page_word, 14, conf=0.94)  # "Hoja 1/1" with its number unread
        _ocr_header(s)
        assert extract_pages(s.pages, ocr=True).seller.name == "Antonio Ferrer Gil", page_word


def test_a_letterhead_line_whose_ocr_boxes_a_speck_swelled_still_continues_the_name() -> None:
    s = Sheet()
    _ocr_words(s, 69, 63, [("Loomtec", 0, 13), ("Technical", 0, 13)])
    # A speck under each word swelled its box down to 22 px; its top is one line under.
    _ocr_words(s, 70, 78, [("Services", 0, 22), ("Ltd", 0, 21)])
    s.block(70, 104, ["Unit 83, Park West Business Park", "Dublin 12", "VAT IE6388047V"])
    _ocr_header(s)
    assert extract_pages(s.pages, ocr=True).seller.name == "Loomtec Technical Services Ltd"


_TOTALS = [("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")]


def test_the_issuer_block_ends_at_the_blank_line_after_its_tax_id() -> None:
    # Issuer and addressee stacked in one column, a blank line between: the addressee's lines
    # are no lines of the issuer's block, and its block found from its id stops at the issuer's.
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 16)
    s.block(40, 48, ["C/ Mayor 1", "50001 Zaragoza", "CIF: B12345674"], step=11)
    s.block(40, 96, ["Tintes del Sur, S.L.", "Av. del Puerto 8", "NIF: A58818501"], step=11)
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    s.totals(_TOTALS)
    data = extract_pages(s.pages)
    assert (data.seller.name, data.seller.tax_id) == ("Talleres Ebro", "B12345674")
    assert (data.buyer.name, data.buyer.tax_id) == ("Tintes del Sur, S.L.", "A58818501")


def test_a_block_found_up_from_a_tax_id_stops_at_another_party_s_id() -> None:
    s = Sheet()
    s.block(40, 40, ["Talleres Ebro", "CIF: B12345674", "Tintes del Sur, S.L.", "NIF: A58818501"])
    lines = build_lines(s.pages)
    block = _block_above(lines, 3, lines[3].words[-1], {}, set())
    assert block is not None
    assert [i for i, _ in block.runs] == [2, 3]


def test_a_code_wrapped_over_two_lines_of_its_cell_is_not_the_letterhead() -> None:
    # A narrow code column wraps "SRV-42" at its hyphen: one word boxed over both lines, as
    # tall as large type but far narrower than its letters need.
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 12)
    s.block(40, 46, ["C/ Mayor 1", "CIF: B12345674"])
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    for y in (200, 240):
        s.pages[0].words.append(Word("SRV-42", 40, y, 58, y + 24, 0))
    s.totals(_TOTALS)
    assert extract_pages(s.pages).seller.name == "Talleres Ebro"
    assert _over_lines(Word("SRV-42", 40, 200, 58, 224, 0))
    assert not _over_lines(Word("FACTURA", 40, 200, 140, 224, 0))


def _narrow_buyer(name_lines: list[str]) -> Sheet:
    """An issuer's letterhead and a buyer block in a narrow column, its name over lines."""
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 16)
    s.block(40, 50, ["C/ Mayor 1", "CIF: B12345674"])
    s.text(40, 110, "Factura nº: 2024-0117")
    s.text(40, 124, "Fecha: 30/04/2024")
    s.block(330, 100, ["Cliente:", *name_lines, "Rambla 230", "08224 Vic", "NIF:", "A58818501"])
    s.totals(_TOTALS)
    return s


def test_a_buyer_name_wrapped_in_a_narrow_column_is_read_whole() -> None:
    for lines, name in (
        (["Tejidos", "Finos", "Montseny,", "S.L."], "Tejidos Finos Montseny, S.L."),
        (["Cooperativa Agraria de", "Tudela"], "Cooperativa Agraria de Tudela"),
    ):
        assert extract_pages(_narrow_buyer(lines).pages).buyer.name == name


def test_a_line_under_a_name_is_no_part_of_it_without_a_form_or_joining_word() -> None:
    # A short name over a short line of its address (a street without its number): the
    # street would not fit after the name either, but nothing says the name goes on.
    for street in ("Bosques Altos", "Lindenweg"):
        s = _narrow_buyer(["Marta Soler Vidal", street])
        assert extract_pages(s.pages).buyer.name == "Marta Soler Vidal", street


def test_a_name_beside_a_value_under_a_head_is_not_a_label_of_it() -> None:
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 16)
    s.block(40, 50, ["C/ Mayor 1", "CIF: B12345674"])
    s.text(40, 100, "Cliente")
    s.text(200, 100, "Pedido")
    s.text(300, 100, "Factura nº")
    s.text(40, 112, "Marta Soler")
    s.text(200, 112, "PO-1234")
    s.text(300, 112, "2024-0117")
    s.block(40, 124, ["C/ Major, 40", "08500 Vic", "NIF: 12345678Z"], step=12)
    s.totals(_TOTALS)
    assert extract_pages(s.pages).buyer.name == "Marta Soler"


def test_a_logo_spells_a_name_whose_legal_form_runs_over_words() -> None:
    for logo, name in (
        ("BRNS", "Bobinas Ribeira Norte, S. Coop."),
        ("WHTG", "Werkzeugbau Huber Technik GmbH & Co. KG"),
    ):
        s = Sheet()
        s.text(40, 30, logo, 28)
        s.text(330, 40, "Factura nº: 2024-0117")
        s.text(330, 54, "Fecha: 30/04/2024")
        s.block(40, 130, ["Cliente", "Tintes del Sur, S.L.", "41001 Sevilla", "NIF: A58818501"])
        s.totals(_TOTALS)
        s.text(40, 780, f"{name} Polígono Norte 5, 27003 Lugo CIF: B12345674", 8)
        assert extract_pages(s.pages).seller.name == name


def test_a_registry_footer_above_the_page_number_is_the_page_s_footer() -> None:
    s = Sheet()
    s.text(40, 30, "PGS", 28)
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    s.block(40, 130, ["Cliente", "Tintes del Sur, S.L.", "41001 Sevilla", "NIF: A58818501"])
    s.totals(_TOTALS)
    s.text(40, 520, "Pardo Gil, S.L.", 8)
    s.text(140, 520, "C/ Mayor 1, 50001 Zaragoza", 8)
    s.text(40, 530, "Inscrita en el Registro Mercantil de Zaragoza, Tomo 1234, Folio 5", 8)
    s.text(40, 540, "Hoja Z-12345, Inscripción 1ª", 8)
    s.text(500, 815, "Pág. 1/1", 8)
    assert extract_pages(s.pages).seller.name == "Pardo Gil, S.L."


def test_a_legal_form_opening_the_footer_s_capital_mention_is_not_the_name_s() -> None:
    for mention in ("SAS au capital de 40000 €", "SA au capital de 40000 €"):
        s = Sheet()
        s.text(300, 30, "Lefort Maintenance SAS", 16)
        s.block(300, 50, ["12 rue des Lilas", "69001 Lyon", "N° TVA : FR40303265045"])
        s.text(40, 110, "Facture n° : F-2024-117")
        s.text(40, 124, "Date : 30/04/2024")
        s.block(40, 150, ["Client :", "Tintes del Sur, S.L.", "NIF: A58818501"])
        s.totals([("Total HT", "100,00"), ("TVA 20 %", "20,00"), ("Total TTC", "120,00 €")])
        s.text(60, 800, f"Lefort Maintenance SAS {mention} RCS Lyon 303 265 045", 8)
        assert extract_pages(s.pages).seller.name == "Lefort Maintenance SAS", mention


def test_a_logo_acronym_of_a_name_with_its_legal_form_on_the_next_line() -> None:
    s = Sheet()
    s.text(40, 30, "LTBS", 28)
    s.text(40, 66, "Lavori Tessili Brianza", 18)
    s.text(40, 86, "S.n.c.", 18)
    s.block(40, 108, ["Viale Europa 139", "22100 Como (CO)", "P.IVA IT00743110157"])
    s.text(330, 40, "Fattura n. 2024-0117")
    s.text(330, 54, "Data: 30/04/2024")
    s.block(330, 150, ["Cliente", "Tintes del Sur, S.L.", "NIF: A58818501"])
    s.totals([("Imponibile", "100,00"), ("IVA 22 %", "22,00"), ("Totale", "122,00 €")])
    assert extract_pages(s.pages).seller.name == "Lavori Tessili Brianza S.n.c."


def test_a_tax_id_of_a_sidebar_level_with_the_items_is_read() -> None:
    # Lines the items table claims, shared with a sidebar printing the issuer's details.
    s = Sheet()
    s.text(40, 200, "NIF: B12345674")
    s.text(200, 200, "SRV-45 Lubricación 1 43,13 43,13")
    s.text(40, 214, "IE6388047V")
    s.text(200, 214, "8412345678905 Filtro 2 10,00 20,00")
    lines = build_lines(s.pages)
    assert [h.value for h in _beside_items(lines[0])] == ["B12345674"]
    assert [h.value for h in _beside_items(lines[1])] == ["IE6388047V"]


def test_the_digits_of_an_iban_are_not_a_tax_id() -> None:
    s = Sheet()
    s.text(40, 40, "IBAN: ES35 0081 7656 3786 9254 6735")
    s.text(40, 54, "ES35 0081 7656 3786 9254 6735")
    s.text(40, 68, "NIF: B12345674")
    lines = build_lines(s.pages)
    assert [h.value for _, h in _all_tax_ids(lines, {}, set())] == ["B12345674"]


def test_a_name_beside_the_title_is_the_letterhead_when_the_title_holds_its_number() -> None:
    for title, first, form in (
        ("FACTURA COMERCIAL Nº 2024.0117", "Telartec,", "S.L.U."),
        ("FACTURE ORIGINALE", "Lefort et Fils Services", "EURL"),
    ):
        s = Sheet()
        s.text(40, 30, title, 16)
        s.right(560, 30, first, 16)
        s.right(560, 48, form, 16)
        s.right(560, 68, "CIF: B12345674")
        s.text(40, 110, "Fecha: 30/04/2024")
        s.block(40, 140, ["Cliente:", "Tintes del Sur, S.L.", "NIF: A58818501"])
        s.totals(_TOTALS)
        assert extract_pages(s.pages).seller.name == f"{first} {form}", title


def test_a_salutation_line_begins_the_addressee_s_block() -> None:
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 16)
    lines = ["C/ Mayor 1", "CIF: B12345674", "Sr./Sres.", "Tintes del Sur, S.L.", "Rambla 8"]
    s.block(40, 48, [*lines, "NIF: A58818501"], step=12)
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    s.totals(_TOTALS)
    data = extract_pages(s.pages)
    assert (data.buyer.name, data.buyer.tax_id) == ("Tintes del Sur, S.L.", "A58818501")


def test_a_party_word_in_capitals_before_a_name_heads_it() -> None:
    s = _narrow_buyer([])
    s.block(40, 170, ["CUSTOMER Tintes del", "Sur, S.L.", "Av. del Puerto 8", "VAT: ESA58818501"])
    s.pages[0].words = [w for w in s.pages[0].words if w.x0 < 300 or w.y0 < 100]
    assert extract_pages(s.pages).buyer.name == "Tintes del Sur, S.L."


def test_an_id_with_its_label_in_the_column_beside_is_not_the_label_of_another() -> None:
    # A sidebar's last line level with the buyer block's: "CIF B12345674 | NIF: A58818501".
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 16)
    s.block(40, 50, ["C/ Mayor 1", "50001 Zaragoza", "Tel. 976 123 456", "CIF B12345674"])
    s.block(
        300, 50, ["Tintes del Sur, S.L.", "Av. del Puerto 8", "41001 Sevilla", "NIF: A58818501"]
    )
    s.text(40, 120, "Factura nº: 2024-0117")
    s.text(40, 134, "Fecha: 30/04/2024")
    s.totals(_TOTALS)
    data = extract_pages(s.pages)
    assert (data.buyer.name, data.buyer.tax_id) == ("Tintes del Sur, S.L.", "A58818501")
    assert data.seller.tax_id == "B12345674"


def test_a_buyer_name_opening_with_a_party_or_label_word_under_the_heading() -> None:
    for name in ("Client Test SAS", "Project Services AB"):
        s = _narrow_buyer([])
        s.pages[0].words = [w for w in s.pages[0].words if w.x0 < 300]
        s.block(300, 100, ["RECHNUNGSEMPFÄNGER", name, "Hauptstraße 5", "10115 Berlin"])
        assert extract_pages(s.pages).buyer.name == name


def test_nordic_legal_forms_end_a_name_in_capitals_only() -> None:
    for name in ("Project Services AB", "Supplier A/S", "Nordic Tools ApS", "Kone Oy"):
        assert _LEGAL_FORM.search(name), name
    assert not _LEGAL_FORM.search("Test as")


def test_a_letterhead_wrapped_round_a_word_wider_than_its_column() -> None:
    # "Instandhaltungsdienst" overflows the column: the lines under it break narrower.
    s = Sheet()
    for i, text in enumerate(("Orbe", "Instandhaltungsdienst", "Industrial,", "S.A.")):
        s.text(40, 30 + 18 * i, text, 16)
    s.block(40, 104, ["C/ Mayor 1, Zaragoza", "CIF: B12345674"])
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    s.block(330, 150, ["Cliente:", "Tintes del Sur, S.L.", "NIF: A58818501"])
    s.totals(_TOTALS)
    assert extract_pages(s.pages).seller.name == "Orbe Instandhaltungsdienst Industrial, S.A."


def test_the_invoice_number_is_no_party_s_tax_id() -> None:
    # "A 5881 8501" reads as a valid CIF; printed under its label, no label vouches for it.
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 16)
    s.block(40, 50, ["C/ Mayor 1", "50001 Zaragoza"])
    s.text(330, 40, "Nº factura")
    s.text(330, 54, "A 5881 8501")
    s.text(430, 40, "Fecha")
    s.text(430, 54, "30/04/2024")
    s.block(40, 130, ["Cliente:", "Tintes del Sur, S.L.", "NIF: 12345678Z"])
    s.totals(_TOTALS)
    data = extract_pages(s.pages)
    assert data.invoice_number == "A 5881 8501"
    assert data.seller.tax_id is None
    assert data.buyer.tax_id == "12345678Z"


def test_a_date_and_a_reference_side_by_side_are_not_a_tax_id() -> None:
    s = Sheet()
    s.text(40, 40, "2024-04-28 8381")
    assert _all_tax_ids(build_lines(s.pages), {}, set()) == []


def test_an_item_description_printed_down_the_page_is_not_a_footer_name() -> None:
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 16)
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    s.block(40, 100, ["Cliente:", "Tintes del Sur, S.L.", "NIF: A58818501"])
    for y in (300, 330, 560, 700, 740):
        s.text(60, y, "Tornillería y pequeño material")
        s.right(550, y + 12, "12,00")
    s.totals(_TOTALS, y=600)
    assert extract_pages(s.pages).seller.name == "Talleres Ebro"


def test_a_name_broken_at_its_hyphen_over_two_lines_is_joined_without_a_space() -> None:
    s = Sheet()
    s.block(40, 40, ["Emisor:", "Talleres Ebro, S.L.", "C/ Mayor 1", "CIF: B12345674"])
    s.block(300, 40, ["Cliente:", "Stadtwerke Baden-", "Württemberg GmbH", "Av. del Puerto 8"])
    s.block(300, 96, ["NIF: A58818501"])
    s.text(40, 130, "Factura nº: 2024-0117")
    s.text(40, 144, "Fecha: 30/04/2024")
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    assert extract_pages(s.pages).buyer.name == "Stadtwerke Baden-Württemberg GmbH"


def test_a_buyer_name_opening_with_a_label_word_but_ending_in_its_legal_form() -> None:
    for name in ("Project Services AB", "Order Logistics GmbH"):
        data = extract_pages(_unlabelled_buyer([], name).pages)
        assert data.buyer.name == name


def test_a_buyer_address_block_named_with_a_label_word_and_a_legal_form() -> None:
    s = Sheet()
    s.text(40, 30, "Talleres Ebro", 16)
    s.block(40, 50, ["C/ Mayor 1", "50001 Zaragoza", "CIF: B12345674"])
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    s.block(330, 130, ["Project Services AB", "Box 8", "10203 Aby"])
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    assert extract_pages(s.pages).buyer.name == "Project Services AB"


def _trade_name_letterhead(under_logo: str) -> Sheet:
    """A brand word in the logo's place, `under_logo` right under it, a buyer's block to the
    right and the totals."""
    s = Sheet()
    s.text(40, 30, "Novafix", 22)
    s.text(40, 60, under_logo, 10)
    s.block(40, 74, ["C/ Industria, 45", "50197 Zaragoza", "NIF: B12345674"])
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    s.block(330, 120, ["Cliente", "Tintes del Sur, S.L.", "Av. del Puerto 8", "NIF: A58818501"])
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    return s


def test_a_brand_in_the_logos_place_gives_way_to_the_legal_name_under_it() -> None:
    assert extract_pages(_trade_name_letterhead("Calandra, S.L.").pages).seller.name == (
        "Calandra, S.L."
    )
    # The address after the name on its line (its separator a mark) is not part of it.
    data = extract_pages(_trade_name_letterhead("Calandra, S.L. · C/ Industria, 45").pages)
    assert data.seller.name == "Calandra, S.L."


def test_a_one_word_letterhead_stays_the_name_when_no_legal_name_is_under_it() -> None:
    s = Sheet()
    s.text(40, 30, "SubscriptionSeller", 16)
    s.text(40, 50, "Main street 2 · 54321 Big city")
    s.text(40, 62, "NIF: B12345674")
    s.block(330, 110, ["Buyercompany ltd", "Anystreet 1", "101 Anytown", "CIF: A58818501"])
    s.text(40, 160, "Factura nº: 2024-0117")
    s.text(40, 172, "Fecha: 30/04/2024")
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    data = extract_pages(s.pages)
    assert data.seller.name == "SubscriptionSeller"
    assert data.buyer.name == "Buyercompany ltd"


def test_words_after_a_legal_form_stay_in_the_name_unless_an_address_follows() -> None:
    for name in ("Kunden AG Mitte", "Tradeinterop BV - DEV"):
        data = extract_pages(_unlabelled_buyer([], name).pages)
        assert data.buyer.name == name


def test_a_buyer_in_a_form_of_label_and_value_rows() -> None:
    s = Sheet()
    s.text(40, 30, "Talleres Ebro, S.L.", 16)
    s.block(40, 50, ["C/ Mayor 1", "50001 Zaragoza", "CIF: B12345674"])
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    for i, (label, value) in enumerate(
        [("CUSTOMER", "Tintes del Sur, S.L."), ("VAT NO.", "A58818501"), ("ADDRESS", "Av. 8")]
    ):
        s.text(40, 130 + 12 * i, label)
        s.text(150, 130 + 12 * i, value)
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    data = extract_pages(s.pages)
    assert data.buyer.name == "Tintes del Sur, S.L."
    assert data.buyer.tax_id == "A58818501"


def test_bill_to_beside_ship_to_is_not_a_form_row() -> None:
    s = Sheet()
    s.text(40, 30, "Talleres Ebro, S.L.", 16)
    s.block(40, 50, ["C/ Mayor 1", "50001 Zaragoza", "CIF: B12345674"])
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    s.block(40, 130, ["Facturar a", "Tintes del Sur, S.L.", "Av. del Puerto 8", "NIF: A58818501"])
    s.block(250, 130, ["Enviar a", "Tintes del Sur, S.L.", "Nave 2, Pol. Ind. Sur"])
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    assert extract_pages(s.pages).buyer.name == "Tintes del Sur, S.L."


def test_a_party_label_heading_a_column_of_a_grid_of_fields_is_no_block() -> None:
    s = Sheet()
    s.text(40, 30, "Talleres Ebro, S.L.", 16)
    s.block(40, 50, ["C/ Mayor 1", "50001 Zaragoza", "CIF: B12345674"])
    heads = ["Nº Fra.", "Fecha", "NIF cliente", "Vendedor", "Forma de pago"]
    values = ["2024-0117", "30/04/2024", "A58818501", "JM", "Transferencia"]
    for i, (head, value) in enumerate(zip(heads, values, strict=True)):
        s.text(40 + 100 * i, 110, head)
        s.text(40 + 100 * i, 122, value)
    s.block(40, 150, ["Cliente", "Tintes del Sur, S.L.", "Av. del Puerto 8", "NIF: A58818501"])
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    data = extract_pages(s.pages)
    assert data.seller.name == "Talleres Ebro, S.L."
    assert data.buyer.name == "Tintes del Sur, S.L."


def test_a_title_printed_without_its_spaces_is_no_name() -> None:
    from facturas_assets.documents.extraction.party_words import _title

    def words(text: str) -> list[Word]:
        return [Word(t, 0, 0, 10, 10, 0, 1.0) for t in text.split()]

    assert _title(words("FATTURAACCOMPAGNATORIA G2382969"))
    assert _title(words("Sales Invoice"))
    assert not _title(words("Novafix"))


def test_an_issuers_block_ends_at_a_blank_line_before_a_form_of_buyer_rows() -> None:
    s = Sheet()
    s.text(40, 30, "TSS", 20)
    s.block(40, 60, ["Trame Services SARL", "143 rue de l'Industrie", "38000 Grenoble"])
    s.text(330, 40, "Facture N°: 24-14648")
    s.text(330, 54, "Date: 30/11/2024")
    for i, (label, value) in enumerate(
        [("Raison sociale", "Tejidos del Sur, S.L."), ("TVA intracom.", "A58818501")]
    ):
        s.text(40, 114 + 14 * i, label)  # a blank line under the address, narrower than 1.8
        s.text(150, 114 + 14 * i, value)
    s.text(40, 300, "Trame Services SARL · TVA FR40303265045")
    s.totals([("Total HT", "100,00"), ("TVA 20 %", "20,00"), ("Total TTC", "120,00 €")])
    data = extract_pages(s.pages)
    assert data.buyer.name == "Tejidos del Sur, S.L."
    assert data.buyer.tax_id == "A58818501"


def test_a_person_named_under_a_brand_before_the_street_on_one_line() -> None:
    data = extract_pages(_trade_name_letterhead("Jordi Puig Serra · Avda. de Galicia, 8").pages)
    assert data.seller.name == "Jordi Puig Serra"


def _window_letter(return_line: str) -> Sheet:
    """A letterhead, a return-address line over an unlabelled addressee in the window, the
    seller's tax id only in the footer."""
    s = Sheet()
    s.text(40, 30, "Webtechnik GmbH", 14)
    s.block(40, 48, ["Bahnhofstr. 139", "48599 Gronau, Deutschland"])
    s.text(60, 120, return_line, 6)
    s.block(
        60, 134, ["Textil Alcoyana de Punto, S.L.", "Av. d'Elx, 112", "03801 Alcoi", "ESB43638972"]
    )
    s.text(380, 150, "Rechnung Nr. 0049921")
    s.text(380, 164, "Datum: 23.11.2023")
    s.totals([("Nettobetrag", "100,00"), ("USt. 19 %", "19,00"), ("Gesamtbetrag", "119,00 €")])
    s.text(40, 760, "Webtechnik GmbH · Bahnhofstr. 139 · USt-IdNr.: DE750406732", 7)
    return s


def test_a_return_address_over_a_window_is_not_the_addressees_block() -> None:
    for line in (
        "Absender: Webtechnik GmbH · Bahnhofstr. 139 · 48599 Gronau",
        "Webtechnik GmbH · Bahnhofstr. 139 · 48599 Gronau",
    ):
        data = extract_pages(_window_letter(line).pages)
        assert data.seller.name == "Webtechnik GmbH", line
        assert data.buyer.name == "Textil Alcoyana de Punto, S.L.", line
        assert data.buyer.tax_id == "ESB43638972", line
        assert data.seller.tax_id == "DE750406732", line


def test_a_province_in_brackets_is_never_a_name() -> None:
    from facturas_assets.documents.extraction.party_words import _is_name

    assert not _is_name([Word("(Madrid)", 0, 0, 10, 10, 0, 1.0)])
    assert _is_name([Word("Madrid", 0, 0, 10, 10, 0, 1.0), Word("Textil", 12, 0, 20, 10, 0, 1.0)])


def test_a_brand_set_large_right_before_the_name_on_its_line_is_no_part_of_it() -> None:
    s = Sheet()
    s.text(40, 30, "Indline", 15)
    s.text(100, 30, "Trame Service SAS", 11)
    s.block(100, 48, ["104 rue de l'Industrie", "59100 Roubaix", "N° TVA FR57391639358"])
    s.text(330, 40, "Facture N°: F2022-45236")
    s.text(330, 54, "Date: 07.05.2022")
    s.block(330, 120, ["Client", "Tintes del Sur, S.L.", "Av. del Puerto 8", "NIF: A58818501"])
    s.totals([("Total HT", "100,00"), ("TVA 20 %", "20,00"), ("Total TTC", "120,00 €")])
    assert extract_pages(s.pages).seller.name == "Trame Service SAS"


def test_a_return_address_headed_by_a_sender_word() -> None:
    for word in ("Remite:", "Remitente:", "Expéditeur :", "Mittente:", "Sender:"):
        data = extract_pages(_window_letter(f"{word} Webtechnik GmbH · Bahnhofstr. 139").pages)
        assert data.buyer.name == "Textil Alcoyana de Punto, S.L.", word
        assert data.seller.tax_id == "DE750406732", word


def test_the_footer_line_printing_the_seller_s_tax_id_names_a_seller_nothing_else_names() -> None:
    s = Sheet()
    s.text(40, 30, "HS", 28)  # a logo of two letters: it spells nothing
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    s.block(40, 130, ["Destinatario", "Tintes del Sur, S.L.", "41001 Sevilla", "NIF: A58818501"])
    s.totals(_TOTALS)
    footer = "Hilos Soler, S.L. - C/ Mayor 1, 50001 Zaragoza - CIF B12345674 - Registro Mercantil"
    s.text(40, 600, footer, 8)
    for y, speck in ((760, "o"), (780, "po"), (800, "UL"), (815, "Cc")):
        s.text(40, y, speck, 8)  # a scanner's specks lower down: the footer is not the page's end
    found = extract_pages(s.pages)
    assert (found.seller.name, found.seller.tax_id) == ("Hilos Soler, S.L.", "B12345674")
    assert found.buyer.name == "Tintes del Sur, S.L."


def test_a_letterhead_wrapped_flush_right_is_read_whole() -> None:
    """A name set large in the top right corner, each of its lines ending at the margin: the
    lines above the one picked begin further right or left, yet continue the same name."""
    s = Sheet()
    for i, text in enumerate(("Navarro Peña", "Mantenimiento", "Industrial, S. Coop.")):
        s.right(560, 30 + 16 * i, text, 14 + i // 2)  # the legal form's line looks largest
    s.block(34, 62, ["Destinatario", "Alfombras Crevillent, S.A.", "Av. de Madrid, 77"])
    s.block(420, 84, ["C/ Industria, 130", "CIF: B12345674"])
    s.text(40, 200, "Factura nº: 2024-0117")
    s.text(40, 214, "Fecha: 30/04/2024")
    s.totals(_TOTALS)
    assert extract_pages(s.pages).seller.name == "Navarro Peña Mantenimiento Industrial, S. Coop."


def test_a_brand_at_the_top_gives_way_to_the_legal_name_of_the_footer_printing_its_id() -> None:
    """The top names a brand ("Kortec") over the seller's street and tax id; the footer opens
    with the legal name and prints the same id: that line names the seller, though the id's
    first printing is the letterhead's."""
    s = Sheet()
    s.text(40, 30, "Kortec", 24)
    s.block(140, 30, ["Ctra. Nacional II, km 153", "50197 Zaragoza", "N.I.F. B12345674"])
    s.text(330, 120, "Factura nº: 2024-0117")
    s.text(330, 134, "Fecha: 30/04/2024")
    s.block(40, 130, ["Destinatario", "Tintes del Sur, S.L.", "41001 Sevilla", "NIF: A58818501"])
    s.totals(_TOTALS)
    footer = "Ruiz Garrido Reparaciones, S. Coop. - Ctra. Nacional II, km 153 - NIF B12345674"
    s.text(40, 780, footer, 8)
    found = extract_pages(s.pages)
    assert (found.seller.name, found.seller.tax_id) == (
        "Ruiz Garrido Reparaciones, S. Coop.",
        "B12345674",
    )


def test_a_buyer_in_rows_of_label_and_value_is_named_by_the_value_over_its_tax_id() -> None:
    """No party label: "Company | Name, S.A." over "Tax ID | ESA…", "Address | …": the block
    is the value column of the form's rows, not the labels' column."""
    s = Sheet()
    s.text(50, 40, "O'Neill Textile Maintenance Ltd.", 14)
    s.block(50, 58, ["Unit 129, Kilcarbery Industrial Estate", "Cork, T12 AB34, Ireland"])
    s.text(400, 40, "Invoice No. 66538")
    s.text(400, 54, "Issue Date 2022-06-17")
    for y, (label, value) in zip(
        (200, 215, 230, 245),
        [
            ("Company", "Alfombras Crevillent, S.A."),
            ("Tax ID", "ESA48408199"),
            ("Address", "Av. de Madrid, 77"),
            ("City", "03330 Crevillent (Alicante)"),
        ],
        strict=True,
    ):
        s.text(57, y, label)
        s.text(153, y, value)
    s.totals(_TOTALS)
    s.text(189, 782, "O'Neill Textile Maintenance Ltd. Tax ID: IE3479050P", 8)
    found = extract_pages(s.pages)
    assert (found.buyer.name, found.buyer.tax_id) == ("Alfombras Crevillent, S.A.", "ESA48408199")
    assert (found.seller.name, found.seller.tax_id) == (
        "O'Neill Textile Maintenance Ltd.",
        "IE3479050P",
    )


def test_a_basque_bill_to_heading_is_a_buyer_label_not_its_name() -> None:
    s = Sheet()
    s.text(40, 30, "Orbe Servicios Técnicos S.L.", 16)
    s.block(40, 50, ["C/ Mayor 1, Bilbao", "CIF: B12345674"])
    s.text(330, 40, "Factura nº: 2024-0117")
    s.text(330, 54, "Fecha: 30/04/2024")
    s.block(40, 130, ["FAKTURATU HONI", "Josep Riera Vilanova", "C/ Major, 40"])
    s.text(40, 172, "NIF: 77448740N")
    s.totals(_TOTALS)
    assert extract_pages(s.pages).buyer.name == "Josep Riera Vilanova"


def test_a_name_in_body_type_after_a_brand_on_its_line_names_the_seller() -> None:
    """ "Novagear" set large, then the issuer's own name in body type on the same line, over
    its address: the brand is the letterhead's pick, yet the name beside it is printed again
    in the window's return address and the footer and spelled by the e-mail's domain. The
    return address also makes it the buyer's first pick, an unsure one, which does not keep
    the seller from it."""
    s = Sheet()
    s.text(51, 34, "Novagear", 19)
    s.text(140, 40, "Xosé Otero Vidal")
    s.block(
        140,
        52,
        [
            "Pol. Ind. El Pla, nave 19",
            "50197 Zaragoza",
            "Tlf. 913 557 605 info@xoseoterovidal.es",
            "NIF: Z0851657H",
        ],
        step=11,
    )
    s.text(57, 156, "Xosé Otero Vidal Pol. Ind. El Pla, nave 19 50197 Zaragoza", 7)
    s.block(
        57,
        170,
        [
            "Tintes y Aprestos Béjar, S.L.",
            "Paseo de la Fábrica, 3",
            "37700 Béjar (Salamanca)",
            "N.I.F./C.I.F. B20508404",
        ],
        step=13,
    )
    s.text(340, 160, "Factura Nº R2373461")
    s.text(394, 208, "FECHA EMISIÓN 05.09.2023")
    s.totals(_TOTALS)
    footer = "Xosé Otero Vidal Pol. Ind. El Pla, nave 19 50197 Zaragoza NIF: Z0851657H"
    s.text(57, 714, footer, 8)
    found = extract_pages(s.pages)
    assert (found.seller.name, found.buyer.name) == (
        "Xosé Otero Vidal",
        "Tintes y Aprestos Béjar, S.L.",
    )


def test_a_title_set_large_under_the_letterhead_ends_its_block() -> None:
    """ "FACTURA ORIGINAL" in large type under the issuer's address, then the addressee's block
    further right with its own id: the letterhead's block stops at the title, so the
    addressee's block and its id are the buyer's, not more of the seller's."""
    s = Sheet()
    s.text(186, 18, "NIF: ATU13585627", 8)
    s.text(60, 41, "Max Musermann GmbH", 14)
    s.text(60, 69, "Hauptstraße 10   8010 Graz   AT", 8)
    s.text(199, 96, "FACTURA ORIGINAL", 18)
    s.block(
        307,
        141,
        ["Bundesrechenzentrum GmbH", "Hintere Zollamtsstraße 4", "1030 Wien", "AT"],
        step=12,
    )
    s.text(307, 189, "CIF: ATU 378 664 03")
    s.text(162, 218, "Nº Fra.")
    s.text(116, 235, "ERB_UBL_CREDITNOTE_001")
    s.text(402, 218, "Fecha")
    s.text(391, 235, "13.01.2023")
    s.totals(_TOTALS)
    found = extract_pages(s.pages)
    assert (found.seller.name, found.seller.tax_id) == ("Max Musermann GmbH", "ATU13585627")
    assert (found.buyer.name, found.buyer.tax_id) == ("Bundesrechenzentrum GmbH", "ATU37866403")


def test_a_party_word_in_a_town_s_name_does_not_end_an_address_block() -> None:
    """ "Alphen aan den Rijn": "aan" is a weak word of a party's label ("Factuur aan"), not a
    field's; the block headed "RAZÓN SOCIAL", with neither label nor tax id, is the buyer's."""
    s = Sheet()
    s.text(40, 38, "Bluem BV", 12)
    s.block(40, 53, ["Lindeboomseweg 41", "3825 AL Amersfoort", "NL", "CIF: NL809163160B01"])
    s.text(32, 123, "Factura", 16)
    s.text(32, 148, "Fecha expedición: 01.04.2015")
    s.text(32, 158, "Número de factura: 20150483")
    s.block(
        32,
        193,
        [
            "RAZÓN SOCIAL",
            "Provide Verzekeringen",
            "Henry Dunantweg 42",
            "2402 NR Alphen aan den Rijn",
        ],
        step=10,
    )
    s.totals(_TOTALS)
    assert extract_pages(s.pages).buyer.name == "Provide Verzekeringen"


def test_a_name_opening_with_a_party_s_word_is_read_up_from_its_tax_id() -> None:
    """ "Client Corporation" over its address and tax id, no label: "Client" without a colon,
    opening a longer cell, is the name's own word, so the block found up from the tax id
    reaches it."""
    s = Sheet()
    s.text(40, 30, "Talleres Ebro S.L.", 16)
    s.block(40, 50, ["C/ Mayor 1, Zaragoza", "CIF: B12345674"])
    s.text(40, 110, "Factura nº: 2024-0117")
    s.text(40, 124, "Fecha: 30/04/2024")
    s.block(
        307, 90, ["Client Corporation", "12 Rue de la Paix", "75002 Paris", "TVA FR40303265045"]
    )
    s.totals(_TOTALS)
    found = extract_pages(s.pages)
    assert (found.buyer.name, found.buyer.tax_id) == ("Client Corporation", "FR40303265045")


def test_a_tax_label_followed_by_a_vat_number_labels_the_party_s_id() -> None:
    """ "VAT: FR12345678901" under each party's address: "VAT" names the tax's amount in the
    totals, but followed by a country prefix and digits it labels the party's VAT number,
    whose check digit (a sample's) need not hold."""
    s = Sheet()
    s.text(57, 40, "INVOICE", 20)
    s.text(57, 76, "Invoice Number: INV-2025-0001")
    s.text(57, 92, "Issue Date: 2025-05-13")
    for x, lines in (
        (57, ["From:", "Your Company SAS", "123 Business Street", "Paris, 75001"]),
        (312, ["To:", "Client Corporation", "456 Client Avenue", "Lyon, 69001"]),
    ):
        s.block(x, 147, lines)
    s.text(57, 205, "VAT: FR12345678901")
    s.text(312, 205, "VAT: FR98765432109")
    s.totals([("Subtotal:", "1000.00 EUR"), ("VAT:", "200.00 EUR"), ("Total:", "1200.00 EUR")])
    found = extract_pages(s.pages)
    assert (found.seller.tax_id, found.buyer.tax_id) == ("FR12345678901", "FR98765432109")
    assert found.tax_total == Decimal("200.00")


def test_a_tax_id_label_glued_to_an_id_vouches_for_it() -> None:
    """ "UStID#DE12345618938": the glued label vouches for an id whose check digit fails, as
    a label before it would; a telephone glued to its word is no id."""
    s = Sheet()
    s.text(113, 22, "Die Vordefinierte Firma")
    s.block(113, 34, ["Waldstrasse 86-90", "13403 Berlin", "Deutschland"])
    s.block(255, 22, ["Tel:+4930410920", "UStID#DE12345618938"])
    s.text(330, 90, "Rechnung Nr. 90005178")
    s.text(330, 104, "Datum: 07.01.2024")
    s.totals(_TOTALS)
    assert extract_pages(s.pages).seller.tax_id == "DE12345618938"


def _bill_and_ship(bill_heading: list[str], ship_heading: str) -> Sheet:
    """A seller's letterhead, then the buyer's block beside a ship-to block of its own."""
    s = Sheet()
    s.text(40, 30, "Mecánica Ribagorza, S.L.", 14)
    s.block(40, 48, ["Calle Mayor 3, 22430 Graus", "CIF: B22334455"])
    s.text(330, 30, "Factura nº: FR-2211")
    s.text(330, 44, "Fecha: 03/02/2025")
    s.block(40, 120, bill_heading)
    s.text(320, 120, ship_heading)
    y = 120 + 14 * len(bill_heading)
    s.block(40, y, ["Tejidos Albarracín, S.A.", "Pol. Ind. Sur, nave 4", "NIF: A44556677"])
    s.block(320, 134, ["Tejidos Albarracín, S.A.", "Almacén 2, Camino Real 9"])
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    return s


def test_a_ship_to_heading_beside_the_buyer_label_is_no_name() -> None:
    """ "FACTURAR A | ENVIAR A" (and the label in a second language under the first): the
    ship-to heading is the block beside's, never the buyer's name."""
    for heading in ("ENVIAR A", "LUGAR DE ENTREGA", "SHIP TO", "ADRESSE DE LIVRAISON"):
        data = extract_pages(_bill_and_ship(["FACTURAR A", "CLIENTE"], heading).pages)
        assert data.buyer.name == "Tejidos Albarracín, S.A.", heading
        assert data.buyer.tax_id == "A44556677"


def test_a_party_label_followed_by_its_twin_in_another_language() -> None:
    """ "DATOS DEL CLIENTE BILL TO": the second label is no name."""
    data = extract_pages(_bill_and_ship(["DATOS DEL CLIENTE BILL TO"], "").pages)
    assert data.buyer.name == "Tejidos Albarracín, S.A."


def test_a_billing_data_heading_labels_the_buyer() -> None:
    """ "DATOS DE FACTURACIÓN" (and its kin) head the buyer's block."""
    for heading in ("DATOS DE FACTURACIÓN", "Dades de facturació", "Billing details"):
        found = match_field_labels(heading.split())
        assert [(m.kind, m.start, m.end) for m in found] == [("buyer", 0, len(heading.split()))], (
            heading
        )


def test_an_invoice_number_with_its_year_is_no_tax_id() -> None:
    """ "FACTURA SF 2023/02482": its digits pass a VAT check digit, yet digits either side of a
    slash are a number and its year; the seller's id is the one its footer prints."""
    s = Sheet()
    s.text(40, 40, "RGST", 20)
    s.text(300, 40, "FACTURA SF 2023/02482")
    s.text(40, 80, "Fecha emisión: 08/02/2023")
    s.block(300, 80, ["CLIENTE", "Cooperativa Textil de Baza", "18800 Baza", "NIF F43269240"])
    s.totals([("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")])
    s.text(40, 700, "Ruiz Garrido Servizos Técnicos, S. Coop. 36214 Vigo CIF B03674389")
    data = extract_pages(s.pages)
    assert data.seller.tax_id == "B03674389"
    assert data.buyer.tax_id == "F43269240"
    # A German Steuernummer's slashes part groups of other lengths: still an id when labelled.
    words = [Word("12/345/67890", 100, 10, 160, 20, 0, 1.0)]
    assert [h.value for h in find_tax_ids(words, labelled=True)] == ["1234567890"]


def test_the_buyers_id_printed_again_in_a_grid_is_not_the_sellers() -> None:
    """The buyer's VAT number under its block and again in a grid of the invoice's data under
    a tax-id head, right under the seller's block; the seller's only in the last page's
    footer: each party keeps its own."""
    s = Sheet()
    s.text(48, 37, "BEL", 24)
    s.text(45, 87, "Facture", 17)
    for y, size, left, right in [
        (149, 10, "Adresse de facturation", "Fournisseur"),
        (162, 8, "Sold to", "From"),
        (180, 11, "Tejidos Sabadell Industrial, S.L.", "Bobbin Engineering Ltd."),
        (192, 11, "Pol. Ind. Can Roqueta, C/ Ter, 14", "Unit 59, Park West Business Park"),
        (204, 11, "08202 Sabadell (Barcelona)", "Galway, H91 X2P3, Ireland"),
        (216, 11, "TVA intracom. Tax ID ESB03944170", "T: +353 1 700 0280"),
    ]:
        s.text(40, y, left, size)
        s.text(304, y, right, size)
    for x, head, value in [(40, "Number", "90032-A"), (93, "Date", "14/09/2024")]:
        s.text(x, 252, head, 8)
        s.text(x, 269, value, 11)
    s.text(248, 252, "TVA intracom. Tax ID", 8)
    s.text(248, 261, "ESB03944170", 8)
    s.totals([("Net", "100.00"), ("VAT 0 %", "0.00"), ("Total", "100.00 €")])
    s.new_page()
    s.text(196, 194, "Bobbin Engineering Ltd. N° TVA intracom. Tax ID IE2349832M", 8)
    data = extract_pages(s.pages)
    assert (data.seller.tax_id, data.buyer.tax_id) == ("IE2349832M", "ESB03944170")
