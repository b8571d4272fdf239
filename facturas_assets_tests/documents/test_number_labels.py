"""Which label names the invoice number: wrapped head cells, signs naming a machine, ids
shaped like amounts."""

from __future__ import annotations

from facturas_assets.documents.extraction import extract_pages
from facturas_assets.documents.extraction.extract import page_lines
from facturas_assets.documents.extraction.labels import match_field_labels
from facturas_assets.documents.model import Word
from facturas_assets_tests.documents.test_extraction import Sheet

_TOTALS = [("Base imponible", "100,00"), ("IVA 21 %", "21,00"), ("Total", "121,00 €")]


def _kinds(text: str) -> list[tuple[str, str]]:
    words = text.split()
    return [(m.kind, " ".join(words[m.start : m.end])) for m in match_field_labels(words)]


def test_a_number_sign_after_a_machine_names_the_machine_not_the_invoice() -> None:
    assert _kinds("urdidora Karl Mayer ISODirect 1800 nº 11") == [("other", "nº")]
    assert _kinds("Telar Nº 11") == [("other", "Nº")]
    # The document's own title or a series letter before the sign keeps it the invoice's.
    assert _kinds("Storno Nr. F25-5442") == [("invoice_number", "Nr.")]
    assert _kinds("Proforma nº 12") == [("invoice_number", "nº")]
    assert _kinds("CREDIT NOTE Nr. F25-5442") == [("invoice_number", "CREDIT NOTE Nr.")]
    assert ("invoice_number", "nº") in _kinds("Serie A nº 123")
    assert _kinds("Nº 2024/123") == [("invoice_number", "Nº")]


def test_a_phrase_matches_whichever_way_its_number_sign_is_written() -> None:
    # "N." keys "n", "Nº" / "N°" / "No." key "no": a phrase written one way matches the other.
    assert _kinds("BL n° 194509") == [("other", "BL n°")]
    assert _kinds("Nº albarán 123") == [("other", "Nº albarán")]
    assert _kinds("Su nº pedido 123") == [("other", "Su nº pedido")]
    assert _kinds("N. ref. 12") == [("other", "N. ref.")]
    assert _kinds("Nº de la factura: 12") == [("invoice_number", "Nº de la factura:")]


def test_the_original_invoice_in_french_is_read_by_what_the_document_is() -> None:
    s = Sheet()
    _letterhead(s)
    s.text(40, 100, "Facture Originale n° 202502275932 — Date : 27/2/25")
    s.text(40, 114, "BL n° 194509")
    assert extract_pages(s.pages).invoice_number == "202502275932"


def test_a_number_sign_beside_a_tax_id_label_is_the_tax_ids() -> None:
    assert _kinds("Contribuinte n.º") == [("tax_id", "Contribuinte n.º")]
    assert _kinds("N.º contribuinte:") == [("tax_id", "N.º contribuinte:")]
    assert _kinds("NIF nº") == [("tax_id", "NIF nº")]
    assert _kinds("Partita IVA n.") == [("tax_id", "Partita IVA n.")]
    assert _kinds("Contribuinte: PT504144510") == [("tax_id", "Contribuinte:")]


def _letterhead(s: Sheet) -> None:
    s.text(40, 30, "Talleres Ebro S.L.", 14)
    s.text(40, 50, "CIF: B12345674")
    s.totals(_TOTALS)


def test_a_machine_number_in_a_note_is_not_the_invoice_number() -> None:
    s = Sheet()
    _letterhead(s)
    s.text(330, 40, "Le remitimos la factura 000000751 de fecha 07/07/2025.")
    s.text(40, 480, "Revisión de la urdidora Karl Mayer ISODirect 1800 nº 11")
    assert extract_pages(s.pages).invoice_number == "000000751"


def test_a_serial_with_a_two_digit_year_after_a_number_label_in_a_sentence() -> None:
    for sentence in (
        "Factura número 1394.25, emitida con fecha 20/9/25.",
        "Fattura n. 4492.22 emessa in data 29.10.2022.",
    ):
        s = Sheet()
        _letterhead(s)
        s.text(40, 120, sentence)
        assert extract_pages(s.pages).invoice_number == sentence.split()[2].rstrip(",")


def test_an_amount_after_a_number_label_stays_an_amount() -> None:
    s = Sheet()
    _letterhead(s)
    s.text(40, 120, "Factura nº 2024-0117")
    s.text(40, 134, "Fecha: 30/04/2024")
    s.text(40, 160, "Pedido nº 1394.25 EUR")
    assert extract_pages(s.pages).invoice_number == "2024-0117"


def test_head_cells_wrapped_over_two_lines_are_read_whole() -> None:
    s = Sheet()
    _letterhead(s)
    # A row of head cells over their values: "Our / reference" and "Albarán / núm." wrap.
    s.text(40, 100, "No.")
    s.text(140, 100, "Invoice date")
    s.text(260, 100, "Our")
    s.text(360, 100, "Albarán")
    s.text(260, 112, "reference")
    s.text(360, 112, "núm.")
    s.text(40, 128, "SF 2022/04968")
    s.text(140, 128, "5 October 2022")
    s.text(260, 128, "AK/470")
    s.text(360, 128, "DN989027")
    assert extract_pages(s.pages).invoice_number == "SF 2022/04968"


def test_a_label_with_its_value_beside_it_is_no_half_of_a_wrapped_head() -> None:
    s = Sheet()
    _letterhead(s)
    s.text(300, 90, "N/ Ref.")
    s.text(420, 90, "MM/155")
    s.text(300, 104, "NÚM.")
    s.text(420, 104, "007874/25")
    s.text(300, 118, "Fecha: 01/08/2025")
    assert extract_pages(s.pages).invoice_number == "007874/25"


def test_factura_original_titles_an_invoice_and_names_another_on_a_credit_note() -> None:
    s = Sheet()
    _letterhead(s)
    s.text(300, 40, "FACTURA ORIGINAL núm. SF 2024/02197")
    s.text(300, 54, "Fecha: 30/04/2024")
    assert extract_pages(s.pages).invoice_number == "SF 2024/02197"
    s = Sheet()
    _letterhead(s)
    s.text(300, 40, "FACTURA RECTIFICATIVA nº R-2024/12")
    s.text(300, 54, "Fecha: 30/04/2024")
    s.text(300, 68, "Factura original nº SF 2024/02197")
    assert extract_pages(s.pages).invoice_number == "R-2024/12"


def test_a_credit_note_title_labels_its_number() -> None:
    s = Sheet()
    _letterhead(s)
    s.text(300, 40, "Credit Note #SF 2025/05466 · 25/09/2025")
    s.text(300, 54, "OUR REF.: BK/932")
    assert extract_pages(s.pages).invoice_number == "SF 2025/05466"


def test_header_fields_before_a_labelled_items_head_are_no_items() -> None:
    s = Sheet()
    s.text(40, 30, "Mecatêxtil")
    s.text(40, 44, "Serviços")
    s.text(40, 58, "Av. da Liberdade, 180")
    s.text(40, 72, "NIF: PT535507488")
    s.text(200, 100, "NÚMERO DA FATURA")
    s.text(330, 100, "DATA DOC.")
    s.text(200, 114, "F22-8369")
    s.text(330, 114, "2022-04-11")
    s.text(40, 140, "Designação")
    s.text(380, 140, "Qtd.")
    s.text(440, 140, "Valor")
    s.text(40, 154, "Agulhas de lingueta")
    s.right(400, 154, "3")
    s.right(470, 154, "290,91")
    s.totals([("Base", "290,91"), ("IVA 23 %", "66,91"), ("Total", "357,82 €")])
    data = extract_pages(s.pages)
    assert data.invoice_number == "F22-8369"
    assert [ln.description for ln in data.lines] == ["Agulhas de lingueta"]


def test_a_number_in_digit_groups_ending_a_clause() -> None:
    s = Sheet()
    _letterhead(s)
    s.text(40, 120, "Fatura-Recibo n.º A 2023 8017, emitida em 20-nov-2023.")
    assert extract_pages(s.pages).invoice_number == "A 2023 8017"


def test_a_dating_word_under_a_number_sign_is_no_number() -> None:
    s = Sheet()
    _letterhead(s)
    s.text(200, 100, "Nr.")
    s.text(260, 100, "Del")
    s.text(330, 100, "Vs. Ordine")
    s.text(200, 114, "5960.23")
    s.text(260, 114, "7/12/23")
    s.text(330, 114, "OC-35679")
    assert extract_pages(s.pages).invoice_number == "5960.23"


def test_the_date_of_the_invoice_a_credit_note_corrects_is_not_its_issue_date() -> None:
    s = Sheet()
    _letterhead(s)
    s.text(40, 120, "Factura Rectificativa 9795.24 · 24 de marzo de 2024")
    s.text(40, 300, "Rectifica la factura 2024-F-8041 de 3 de marzo de 2024.")
    data = extract_pages(s.pages)
    assert (data.invoice_number, str(data.issue_date)) == ("9795.24", "2024-03-24")


def test_the_invoice_reference_labels_the_invoice_number() -> None:
    assert _kinds("REFERENCIA FACTURA") == [("invoice_number", "REFERENCIA FACTURA")]
    assert _kinds("Su referencia") == [("other", "Su referencia")]


def test_a_label_word_is_no_digitless_number() -> None:
    # "N/ PAGAMENTO" in a row of head cells: a number sign, then the head of a payment column.
    from facturas_assets.documents.extraction.fields import _wordlike_number

    assert not _wordlike_number("PAGAMENTO")
    assert not _wordlike_number("Vencimiento")
    assert _wordlike_number("Snippet")  # a digit-less identifier
    assert _wordlike_number("Al")  # a scan's reading of A1


def test_a_label_over_its_value_does_not_label_a_postcode_far_right_on_its_line() -> None:
    s = Sheet()
    _letterhead(s)
    s.text(40, 100, "Data emissió")
    s.text(40, 112, "2025-05-12")
    s.text(40, 126, "N. factura")
    s.text(40, 138, "2025-F-8195")
    # The buyer's block in the right column: its postcode shares a line with the label.
    s.text(400, 100, "Tejidos del Ter, S.L.")
    s.text(400, 113, "C/ Ter, 14")
    s.text(400, 126, "08202 Sabadell (Barcelona)")
    assert extract_pages(s.pages).invoice_number == "2025-F-8195"


def test_a_lower_case_series_code_right_of_the_number_label_is_kept() -> None:
    s = Sheet()
    _letterhead(s)
    s.text(40, 100, "Data da fatura: 2023-04-26")
    s.text(40, 114, "N.º fatura:")
    s.text(120, 114, "sf 2023/01690")
    s.text(40, 128, "ATCUD:")
    s.text(120, 128, "1EKCPZ5R-1690")
    assert extract_pages(s.pages).invoice_number == "sf 2023/01690"


def test_an_abbreviation_before_the_number_is_no_series_code() -> None:
    s = Sheet()
    _letterhead(s)
    s.text(40, 100, "Factura nº doc. 1405")
    s.text(40, 114, "Fecha: 26/04/2023")
    assert extract_pages(s.pages).invoice_number == "1405"


def test_digits_glued_to_an_invoice_word_are_a_number_not_its_label() -> None:
    """A rate glued to a tax label ("IVA21%") still reads as the label; digits glued to the
    word "Invoice" ("Invoice01") are the number itself, not a second label that hides it and
    lets a postcode further right be taken."""
    assert _kinds("IVA21%") == [("tax_total", "IVA21%")]
    assert _kinds("Invoice01") == []
    assert _kinds("Factura2024") == []
    s = Sheet()
    _letterhead(s)
    s.text(57, 128, "FACTURA NÚMERO:")
    s.text(244, 128, "Invoice01")
    s.text(307, 128, "2000 Sydney")
    assert extract_pages(s.pages).invoice_number == "Invoice01"


def test_a_label_glued_to_its_value_by_its_colon_still_names_it() -> None:
    """ "Rechnungsnummer:RE-2026-110" set without a space after the colon: the label and the
    number are read apart; a time or a tax id keeps its colon."""
    s = Sheet()
    _letterhead(s)
    s.text(330, 60, "Rechnungsnummer:RE-2026-110")
    s.text(330, 74, "Rechnungsdatum:12.03.2026")
    s.text(330, 88, "Uhrzeit 14:18:51")
    data = extract_pages(s.pages)
    assert data.invoice_number == "RE-2026-110"
    assert data.issue_date is not None and data.issue_date.isoformat() == "2026-03-12"
    lines = page_lines(s.pages, ocr=False)[1]
    assert any(w.text == "14:18:51" for ln in lines for w in ln.words)


def test_a_totals_label_run_into_its_amount_is_read_apart() -> None:
    """ "TOTAL87.859,00": a long amount set against its label comes out of the text layer as one
    word; the label and the amount are read apart. A code ("ABC12,50") stays whole."""
    s = Sheet()
    _letterhead(s)
    s.text(330, 60, "Factura n.º 2024-0117")
    s.text(330, 74, "Fecha: 30/04/2024")
    s.totals([("Base imponible", "72.610,74"), ("IVA 21 %", "15.248,26")], y=700)
    s.text(400, 760, "TOTAL87.859,00")
    data = extract_pages(s.pages)
    assert str(data.total) == "87859.00"
    words = [w.text for ln in page_lines(s.pages, ocr=False)[1] for w in ln.words]
    assert "TOTAL" in words and "87.859,00" in words
    s2 = Sheet()
    s2.text(40, 40, "ABC12,50")
    assert "ABC12,50" in [w.text for ln in page_lines(s2.pages, ocr=False)[1] for w in ln.words]


def test_labels_in_two_languages_split_by_a_slash_are_two_labels() -> None:
    """ "Factura / Nº factura R2206291" beside the buyer's "08224 Terrassa": no "Factura Nº"
    label across the slash whose value would be looked for in the next cell; "Nº factura" is
    the label and its value follows it."""
    s = Sheet()
    s.text(40, 40, "Talleres Ebro S.L.", 16)
    s.text(40, 62, "FRA. / FACTURA")
    s.text(300, 62, "Acabados Textiles Terrassa, S.L.")
    s.pages[0].words += [  # as a text layer sets them: the slash apart, the id close
        Word(text, x0, 163, x1, 174, 0, 1.0)
        for text, x0, x1 in [
            ("Factura", 43, 73),
            ("/", 75, 78),
            ("Nº", 80, 90),
            ("factura", 93, 122),
            ("R2206291", 124, 170),
            ("08224", 298, 324),
            ("Terrassa", 326, 359),
            ("(Barcelona)", 362, 409),
        ]
    ]
    s.text(40, 190, "Fecha / Data 27/07/2022")
    s.totals(_TOTALS)
    _, lines = page_lines(s.pages, ocr=False)
    assert lines[2].text == "Factura Nº factura R2206291 08224 Terrassa (Barcelona)"
    assert extract_pages(s.pages).invoice_number == "R2206291"


def test_a_slash_ocr_read_sure_splits_labels_though_its_box_overlaps_a_word() -> None:
    """OCR's "Factura" box reaches over the slash after it: a slash read sure between two
    words' middles splits the labels all the same."""
    s = Sheet()
    s.text(40, 40, "Talleres Ebro S.L.", 16, conf=0.95)
    s.pages[0].words += [
        Word(text, x0, 165, x1, 174, 0, conf)
        for text, x0, x1, conf in [
            ("Factura", 52, 86, 0.92),
            ("/", 83, 86, 0.92),
            ("N°", 90, 98, 0.87),
            ("factura", 102, 130, 0.93),
            ("F2558409", 134, 177, 0.91),
            ("08202", 298, 324, 0.95),
            ("Sabadell", 328, 362, 0.95),
        ]
    ]
    s.text(52, 190, "Fecha 24/07/2025", conf=0.95)
    s.totals(_TOTALS, conf=0.95)
    assert extract_pages(s.pages, ocr=True).invoice_number == "F2558409"
