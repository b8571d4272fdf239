"""Invoices made elsewhere: OCR's readings of their header fields, and their parties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from facturas_assets.documents.extraction import extract_pages
from facturas_assets.documents.extraction.invoice_word_slips import invoice_word_for_slip
from facturas_assets.documents.extraction.labels import match_field_labels
from facturas_assets.documents.model import Word
from facturas_assets_tests.documents.test_extraction import Sheet

TOTALS = [("Subtotal", "100.00"), ("VAT 20 %", "20.00"), ("Total", "120.00")]


def _sheet(number_line: str, date_line: str = "Date: 14/03/2025") -> Sheet:
    s = Sheet()
    s.text(40, 30, "Harbour Tools Ltd", 16)
    s.text(330, 60, number_line)
    s.text(330, 74, date_line)
    s.totals(TOTALS)
    return s


def test_the_number_sign_as_ocr_reads_it_is_part_of_the_label() -> None:
    s = _sheet("Fatura n.2 Q-3301")
    assert extract_pages(s.pages, ocr=True).invoice_number == "Q-3301"


def test_a_number_without_digits_beside_a_strong_label() -> None:
    assert extract_pages(_sheet("Invoice No.: Draft").pages).invoice_number == "Draft"
    # OCR read the serial's last digit as a letter: "Al" for A1.
    assert extract_pages(_sheet("Invoice No.: Al").pages, ocr=True).invoice_number == "A1"
    # A weak label ("Invoice" alone) takes no word for a number.
    assert extract_pages(_sheet("Invoice Draft").pages).invoice_number is None


def test_a_rule_dash_before_a_number_and_a_number_holding_a_date() -> None:
    assert extract_pages(_sheet("Invoice No.: —INV-77").pages).invoice_number == "INV-77"
    assert extract_pages(_sheet("Invoice No.: BILL/2024/03/05").pages).invoice_number == (
        "BILL/2024/03/05"
    )


def test_an_issue_date_in_iso_basic_form_beside_its_label() -> None:
    assert extract_pages(_sheet("Invoice No.: 77", "Date 20250314").pages).issue_date == date(
        2025, 3, 14
    )


def test_a_value_a_scan_put_on_the_neighbouring_line() -> None:
    s = Sheet()
    s.text(40, 30, "Harbour Tools Ltd", 16)
    s.text(330, 60, "Invoice No.:")
    s.text(480, 56, "Q-3301")  # its box swollen upwards by a rule: a line of its own
    s.totals(TOTALS)
    assert extract_pages(s.pages, ocr=True).invoice_number == "Q-3301"


def test_the_base_a_rate_is_taken_of_is_not_the_tax() -> None:
    s = _sheet("Invoice No.: 77")
    s.text(300, 460, "Value added tax (20.00% of €100.00)")
    s.right(550, 460, "€20.00")
    data = extract_pages(s.pages)
    assert (data.net_total, data.tax_total, data.total) == (
        Decimal("100.00"),
        Decimal("20.00"),
        Decimal("120.00"),
    )


def test_a_country_code_under_an_address_heads_no_party() -> None:
    s = Sheet()
    s.text(40, 30, "Kessel Werkzeuge GmbH", 16)
    s.block(40, 60, ["Lindenweg 4", "12345 Feldheim", "DE", "CIF: DE136695976"])
    s.text(330, 60, "Invoice No.: 77")
    s.text(330, 74, "Date: 14/03/2025")
    s.totals(TOTALS)
    data = extract_pages(s.pages)
    assert data.seller.name == "Kessel Werkzeuge GmbH"
    assert data.seller.tax_id == "DE136695976"


def test_a_hyphenated_tax_label_and_an_id_whose_check_digit_fails() -> None:
    s = _sheet("Invoice No.: 77")
    s.text(40, 50, "NIF-IVA: SE123456789001")
    data = extract_pages(s.pages)
    assert data.seller.tax_id == "SE123456789001"
    assert data.confidence["seller.tax_id"] < 0.5


def test_a_party_word_opening_a_name_stays_in_it() -> None:
    s = _sheet("Invoice No.: 77")
    s.text(40, 120, "Buyer Holdings SAS")
    s.block(40, 134, ["3 rue Haute", "75001 Paris"])
    assert extract_pages(s.pages).buyer.name == "Buyer Holdings SAS"


def test_the_registry_footer_names_the_seller_over_an_address_window() -> None:
    s = Sheet()
    s.text(60, 150, "Kessel Werkzeuge GmbH, Lindenweg 4, 12345 Feldheim", 7)
    s.text(60, 165, "Orla Byrne Trading", 12)
    s.block(60, 180, ["Quay Road 2", "D02 Dublin"])
    s.text(330, 165, "Invoice No.: 77")
    s.text(330, 179, "Date: 14/03/2025")
    s.text(330, 193, "Customer VAT ID: IE6388047V")
    s.totals(TOTALS)
    s.block(40, 740, ["Kessel Werkzeuge GmbH", "Lindenweg 4", "Amtsgericht Feldheim HRB 1"])
    s.text(400, 740, "VAT ID: DE136695976")
    data = extract_pages(s.pages)
    assert data.seller.name == "Kessel Werkzeuge GmbH"
    assert data.buyer.name == "Orla Byrne Trading"
    assert data.seller.tax_id == "DE136695976"
    assert data.buyer.tax_id == "IE6388047V"


def test_a_label_opened_by_the_number_sign_as_ocr_misreads_it() -> None:
    s = Sheet()
    s.text(40, 30, "Harbour Tools Ltd", 16)
    s.text(330, 60, "N.2 DOCUMENTO", conf=0.9)  # "N.º DOCUMENTO"
    s.text(330, 74, "INV/2022/09/4113", conf=0.9)
    s.text(330, 100, "Date: 14/03/2025", conf=0.9)
    s.totals(TOTALS)
    assert extract_pages(s.pages, ocr=True).invoice_number == "INV/2022/09/4113"
    # "Nº:" with its sign read as an "e", its reference in the next column.
    s = _sheet("Ne:")
    s.text(400, 60, "V202405510", conf=0.9)
    assert extract_pages(s.pages, ocr=True).invoice_number == "V202405510"
    # "Nº" read whole, then its underline read again as a digit, before an abbreviated label.
    s = _sheet("Nº2 Fra.: 05127")
    assert extract_pages(s.pages, ocr=True).invoice_number == "05127"


def test_the_sign_misread_after_an_abbreviated_invoice_word_still_names_the_number() -> None:
    # A row of head cells, "Fra. nº" read "Fra. ne", over a row of values.
    s = Sheet()
    s.text(40, 30, "Harbour Tools Ltd", 16)
    for x, head, value in [(40, "Fecha trabajo", "09/12/2022"), (140, "Fra. ne", "2022/6276")]:
        s.text(x, 100, head, conf=0.9)
        s.text(x, 114, value, conf=0.9)
    s.text(240, 100, "Fecha factura", conf=0.9)
    s.text(240, 114, "18/12/2022", conf=0.9)
    s.totals(TOTALS)
    data = extract_pages(s.pages, ocr=True)
    assert (data.invoice_number, str(data.issue_date)) == ("2022/6276", "2022-12-18")
    assert [m.kind for m in match_field_labels(["Je", "ne", "sais"])] == []


def test_a_short_word_read_unsure_between_label_and_number_is_no_label() -> None:
    # "po" is a purchase order's label; read in a smudge, unsure, it is junk.
    s = _sheet("")
    s.text(330, 60, "FATURA N.º:", conf=0.9)
    s.text(400, 60, "po”", conf=0.3)
    s.text(420, 60, "3215-2023", conf=0.96)
    assert extract_pages(s.pages, ocr=True).invoice_number == "3215-2023"
    # Read surely, it is a label: the number after it is the order's.
    s = _sheet("Invoice: 31 PO 4500123")
    assert extract_pages(s.pages, ocr=True).invoice_number == "31"


def test_an_ocr_number_in_digit_groups_a_wide_space_apart_is_read_whole() -> None:
    s = Sheet()
    s.text(40, 30, "Harbour Tools Ltd", 16)
    s.text(58, 202, "NÚMERO", 5, conf=0.95)
    # OCR boxes hug the digits: the monospaced spaces are a full digit height wide.
    for text, x0, x1 in (("A", 58, 65), ("2022", 73, 102), ("2107", 111, 140)):
        s.pages[0].words.append(Word(text, x0, 211, x1, 220, 0, 0.95))
    s.text(330, 100, "Date: 14/03/2025", conf=0.95)
    s.totals(TOTALS, conf=0.95)
    assert extract_pages(s.pages, ocr=True).invoice_number == "A 2022 2107"


def test_a_label_word_with_a_digit_read_for_its_look_alike_letter() -> None:
    for label in ("CUOTA 1.V.A.", "T0TAL"):
        found = match_field_labels(label.split())
        assert [m.kind for m in found] == ["tax_total" if "V" in label else "total"], label
    # A code of letters and one digit stays a code.
    assert match_field_labels(["B10"]) == []


def test_a_value_beside_a_label_whose_box_a_scan_swelled() -> None:
    s = Sheet()
    s.text(40, 30, "Harbour Tools Ltd", 16)
    s.text(40, 112, "VAT: GB123456789")
    # "No:" read with a box twice its height (specks of a rule above): it joins the VAT line,
    # and its value, a little lower, is a line of its own.
    s.pages[0].words.append(Word("No:", 160, 111.6, 171, 125.6, 0, 0.8))
    s.text(480, 118.8, "00006712", 6)
    s.text(160, 140, "Date: 14/03/2025")
    s.totals(TOTALS)
    assert extract_pages(s.pages, ocr=True).invoice_number == "00006712"


def test_a_number_sign_opening_a_wrapped_footer_line_numbers_what_the_line_above_ends_with() -> (
    None
):
    s = _sheet("Fatura SF 2024/03096")
    # A centred footer wrapped right before a number sign: a certificate's and a registry's.
    s.text(53, 700, "Oficina Tal Lda. NIF PT502475404 Processado por programa certificado", 8)
    s.text(277, 708, "n.º 527/AT", 8)
    s.text(63, 740, "Harbour Tools Ltd, Unit 4, Park West, Galway, Ireland. Registered CRO", 8)
    s.text(239, 748, "No. 285235 Registered office as above", 8)
    assert extract_pages(s.pages).invoice_number == "SF 2024/03096"


def test_a_number_label_under_a_labelled_line_is_still_the_invoice_numbers() -> None:
    s = Sheet()
    s.text(40, 30, "Harbour Tools Ltd", 16)
    s.text(35, 243, "YOUR REF: OC-58615 SITE: PRJ-24956")
    s.text(35, 256, "Date: 1 June 2024")
    s.text(35, 268, "Number:")
    s.text(505, 268, "T2024/8571")
    s.totals(TOTALS)
    assert extract_pages(s.pages).invoice_number == "T2024/8571"


def test_a_number_sign_under_a_title_is_still_the_invoice_numbers_label() -> None:
    s = Sheet()
    s.text(40, 30, "Harbour Tools Ltd", 16)
    s.text(330, 60, "INVOICE", 12)
    s.text(330, 72, "No. 285235")
    s.text(330, 90, "Date: 14/03/2025")
    s.totals(TOTALS)
    assert extract_pages(s.pages).invoice_number == "285235"


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("Avoir SF 2025/03328 du 22-02-2025", "SF 2025/03328"),
        ("Nota de crédito NC-2025/33", "NC-2025/33"),
        ("Nota di credito NC/33", "NC/33"),
        ("Creditnota CN-2025-33", "CN-2025-33"),
    ],
)
def test_a_credit_notes_title_before_its_number_labels_it(line: str, number: str) -> None:
    s = _sheet(line)
    s.text(40, 62, "VAT FR02424881563")  # an id the title must win over
    assert extract_pages(s.pages).invoice_number == number


def test_an_unsure_invoice_word_one_letter_off_still_labels_the_number() -> None:
    s = _sheet("")
    s.text(330, 60, "fetura:", conf=0.6)  # "Fatura:" misread
    s.text(380, 60, "f23-8710", conf=0.7)
    s.text(40, 62, "Ref. OC-92047")
    assert extract_pages(s.pages, ocr=True).invoice_number == "f23-8710"
    # Read surely, the word is the page's own ("natura" is one letter off "fatura" too).
    mended = invoice_word_for_slip(Word("natura", 0, 0, 30, 10, 0, 0.95))
    assert mended.text == "natura"
    # One letter off two invoice words ("facturo": factura, facture, factuur): left as read.
    assert invoice_word_for_slip(Word("FACTURO", 0, 0, 30, 10, 0, 0.5)).text == "FACTURO"
    assert invoice_word_for_slip(Word("FETURA:", 0, 0, 30, 10, 0, 0.5)).text == "FATURA:"


def test_a_number_under_its_label_with_the_sign_read_as_np_and_an_inverted_mark() -> None:
    s = _sheet("NP FRA", date_line="")
    s.text(330, 74, "¡001351/23", conf=0.7)
    s.text(330, 100, "Fecha: 11/06/2023")
    assert extract_pages(s.pages, ocr=True).invoice_number == "001351/23"


def test_the_sign_misread_alone_in_its_cell_before_a_reference_labels_it() -> None:
    s = _sheet("")
    s.text(330, 60, "N2", conf=0.7)  # "Nº" a column's gap from its reference
    s.text(400, 60, "24/12292")
    assert extract_pages(s.pages, ocr=True).invoice_number == "24/12292"


@pytest.mark.parametrize("address", [True, False])
def test_a_sentence_carrying_the_number_to_its_next_line_beside_an_address(address: bool) -> None:
    s = Sheet()
    s.text(40, 30, "Méca-Fil Maintenance S.A.", 16)
    s.text(309, 129, "Veuillez trouver ci-dessous notre facture n°")
    s.text(309, 141, "004433/24 du 29/4/24.")
    if address:  # the buyer's block in a column of its own, left of the sentence
        s.block(51, 129, ["Acabados Textiles S.L.", "Rambla d'Egara, 230"], step=12)
    s.text(309, 161, "TVA intracom. : FR18315197525")
    s.totals(TOTALS)
    assert extract_pages(s.pages).invoice_number == "004433/24"


def test_a_number_shaped_like_an_amount_but_led_by_a_zero_is_an_id() -> None:
    s = _sheet("Num. doc. 0456.25")
    assert extract_pages(s.pages).invoice_number == "0456.25"


@pytest.mark.parametrize("label", ["Client núm.", "Cliente núm.", "Customer Nr."])
def test_a_customer_number_with_the_sign_written_as_an_abbreviation_is_another_fields(
    label: str,
) -> None:
    found = match_field_labels([*label.split(), "0704"])
    assert [(m.kind, m.start, m.end) for m in found] == [("other", 0, 2)]


def test_an_italian_accompanying_invoices_title_labels_its_number() -> None:
    found = match_field_labels(["FATTURA", "ACCOMPAGNATORIA", "FRA", "23/34316"])
    assert [(m.kind, m.start, m.end) for m in found] == [("invoice_number", 0, 2)]


def test_a_word_glued_to_the_number_by_its_dot_is_no_part_of_it() -> None:
    s = _sheet("Fattura n. R7437-23.emessa in data 2023-01-25.")
    assert extract_pages(s.pages, ocr=True).invoice_number == "R7437-23"
    s = _sheet("Invoice: fac.2023.05483")  # a lower-case prefix is the id's own
    assert extract_pages(s.pages, ocr=True).invoice_number == "fac.2023.05483"


def test_a_number_sign_under_a_label_row_beside_an_address_column_is_the_numbers() -> None:
    s = Sheet()
    s.text(40, 30, "Tessiltecnica Srl", 16)
    s.text(34, 106, "Fattura")
    rows = [
        ("Contratto n.", "CM-2024-028", "Tejeduría Igualada, S.L."),
        ("Cod. cliente", "4951", ""),
    ]
    rows += [("Ns. riferimento", "CcCc/512", "08700 Igualada (Barcelona)")]
    rows += [("Nr.", "001877/24", "P.IVA ESB46780235")]
    for y, (label, value, address) in zip([152, 166, 179, 190], rows, strict=True):
        s.text(34, y, label)
        s.text(120, y, value)
        s.text(319, y, address)
    s.totals(TOTALS)
    assert extract_pages(s.pages).invoice_number == "001877/24"
