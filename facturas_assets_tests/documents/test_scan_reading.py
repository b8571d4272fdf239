"""Scan reading rules: page images prepared for OCR, and OCR slips mended by what values look like."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from facturas_assets.documents.extraction import extract_pages
from facturas_assets.documents.extraction.extract import take_totals
from facturas_assets.documents.extraction.layout import OCR_CELL_GAP, build_lines
from facturas_assets.documents.extraction.totals_choice import TotalsChoice
from facturas_assets.documents.extraction.totals_options import Option
from facturas_assets.documents.model import InvoiceData, Page, Word
from facturas_assets.documents.ocr_words import mend_words
from facturas_assets.documents.render import invert_dark_regions
from facturas_assets_tests.documents.test_extraction import CHAR, Sheet

BOLD_FONT = "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"


def grey_page(text: str, size: int, ink: int = 110, paper: int = 238) -> Image.Image:
    """A 200 dpi page strip with `text` in a bold face, grey toner on tinted paper, blurred."""
    page = Image.new("L", (1600, 400), paper)
    ImageDraw.Draw(page).text((100, 120), text, fill=ink, font=ImageFont.truetype(BOLD_FONT, size))
    return page.filter(ImageFilter.GaussianBlur(1.2))


def test_a_bold_title_in_grey_toner_is_not_taken_for_a_dark_band() -> None:
    page = grey_page("Puig FACTURA", 64)
    assert (np.asarray(invert_dark_regions(page, 72 / 200)) == np.asarray(page)).all()


def test_light_letters_on_a_dark_band_are_still_inverted() -> None:
    page = Image.new("L", (1600, 400), 238)
    ImageDraw.Draw(page).rectangle((0, 100, 1600, 220), fill=70)
    ImageDraw.Draw(page).text(
        (100, 130), "FACTURA", fill=235, font=ImageFont.truetype(BOLD_FONT, 48)
    )
    out = np.asarray(invert_dark_regions(page, 72 / 200))
    assert out[110:210, 20:90].mean() > 200  # the band is light now


def word(text: str, x0: float, x1: float, y0: float = 100.0, y1: float = 107.0) -> Word:
    """An OCR word with its box, in points."""
    return Word(text=text, x0=x0, y0=y0, x1=x1, y1=y1, confidence=0.9)


def test_an_amount_split_at_its_decimal_comma_is_one_word_again() -> None:
    words = [word("Total", 300, 330), word("2.051,", 400, 428), word("26€", 431, 445)]
    assert [w.text for w in mend_words(words)] == ["Total", "2.051,26€"]
    words = [word("861", 400, 414), word(",32", 415, 428)]
    assert [w.text for w in mend_words(words)] == ["861,32"]


def test_an_amount_split_before_its_thousands_separator_is_one_word_again() -> None:
    words = [word("TOTALEUR", 457, 501), word("1", 515, 519), word(".453,28€", 521, 550)]
    assert [w.text for w in mend_words(words)] == ["TOTALEUR", "1.453,28€"]
    # Separators that do not fit one amount, or a year before a group, stay apart.
    assert [w.text for w in mend_words([word("1", 515, 519), word(".453.28", 521, 550)])] == [
        "1",
        ".453.28",
    ]
    assert [w.text for w in mend_words([word("2024", 500, 519), word(".453,28", 521, 550)])] == [
        "2024",
        ".453,28",
    ]


def test_a_currency_sign_opening_a_long_run_of_bare_digits_is_the_series_letter_e() -> None:
    texts = ["£22004341", "€2200434", "€1.234,56", "£250", "€123456,00"]
    mended = mend_words([word(t, 100 * i, 100 * i + 40) for i, t in enumerate(texts)])
    assert [w.text for w in mended] == ["E22004341", "E2200434", "€1.234,56", "£250", "€123456,00"]


def test_a_dollar_sign_opening_a_reference_in_digit_groups_is_the_series_letter_s() -> None:
    texts = ["$2025/4096", "$25-118", "$1,234.56", "$2025", "$12/", "US$250"]
    mended = mend_words([word(t, 100 * i, 100 * i + 40) for i, t in enumerate(texts)])
    assert [w.text for w in mended] == [
        "S2025/4096",
        "S25-118",
        "$1,234.56",
        "$2025",
        "$12/",
        "US$250",
    ]


def test_a_number_and_the_next_column_are_not_joined() -> None:
    far = [word("3,", 300, 308), word("45", 360, 372)]  # a column apart
    assert [w.text for w in mend_words(far)] == ["3,", "45"]
    lower = [word("12,", 300, 312), word("50", 314, 324, y0=120, y1=127)]  # the next line
    assert [w.text for w in mend_words(lower)] == ["12,", "50"]
    assert [w.text for w in mend_words([word("21,", 300, 312), word("2023", 314, 334)])] == [
        "21,",
        "2023",
    ]


def test_letters_read_for_the_digits_of_an_amount_become_digits() -> None:
    mended = mend_words([word("0,", 400, 408), word("OO€", 410, 428), word("1.2O4,5o", 500, 540)])
    assert [w.text for w in mended] == ["0,00€", "1.204,50"]


def test_words_that_are_not_amounts_keep_their_letters() -> None:
    texts = ["Olot", "IVA", "B-2O23", "lo,", "NIF", "A.l.O", "0,5l"]
    mended = mend_words([word(t, 100 * i, 100 * i + 30) for i, t in enumerate(texts)])
    assert [w.text for w in mended] == texts


def test_ocr_words_a_wide_space_apart_stay_one_cell_but_columns_do_not() -> None:
    # A date in a monospaced face, as OCR boxes it: ink-high boxes ~7 pt, spaces ~6.4 pt.
    texts = [("25", 380, 390), ("de", 396.4, 406), ("gener", 412.4, 438), ("de", 444.4, 454)]
    words = [word(t, x0, x1) for t, x0, x1 in texts] + [word("2023", 460.4, 480)]
    words.append(word("1.250,00", 560, 600))  # the next column, 80 pt apart
    page = Page(number=0, width=600, height=800, words=words)
    [line] = build_lines([page], OCR_CELL_GAP)
    assert [c.text for c in line.cells] == ["25 de gener de 2023", "1.250,00"]


def test_a_speck_glued_to_a_word_or_a_number_is_dropped() -> None:
    texts = ["'Agulhas", "~Rolamento", "-1_", "‘Óleo"]
    mended = mend_words([word(t, 100 * i, 100 * i + 30) for i, t in enumerate(texts)])
    assert [w.text for w in mended] == ["Agulhas", "Rolamento", "-1", "Óleo"]


def test_quotes_and_marks_that_belong_to_the_text_are_kept() -> None:
    texts = ["'Norte'", "d'Elx", "l'Industrie", "'s", "SRV_01", "_"]
    mended = mend_words([word(t, 100 * i, 100 * i + 30) for i, t in enumerate(texts)])
    assert [w.text for w in mended] == texts


def test_totals_split_by_ocr_at_their_decimal_comma_are_read_whole() -> None:
    s = Sheet()  # no items: nothing else gives the amounts away
    for i, (label, whole, cents) in enumerate(
        [
            ("Base imponible", "2.051,", "26 €"),
            ("IVA 21 %", "430,", "76 €"),
            ("Total", "2.482,", "02 €"),
        ]
    ):
        s.text(300, 400 + 14 * i, label, conf=0.9)
        s.text(480, 400 + 14 * i, whole, conf=0.9)
        s.text(480 + len(whole) * CHAR + 2, 400 + 14 * i, cents, conf=0.9)
    data = extract_pages(s.pages, ocr=True)
    assert (data.net_total, data.tax_total, data.total) == (
        Decimal("2051.26"),
        Decimal("430.76"),
        Decimal("2482.02"),
    )


def test_a_piece_of_a_word_read_again_over_it_is_dropped() -> None:
    number = Word("INV/2022/09/4113", 52, 119, 173, 129, 0, 0.91)
    middle = Word("/09/", 114, 119, 140, 130, 0, 0.88)  # over the word's middle
    start = Word("INV/", 51, 123, 80, 143, 0, 0.88)  # over its start, a line of its own
    assert [w.text for w in mend_words([number, middle, start])] == ["INV/2022/09/4113"]
    # The same text beside the word, or under it with no overlap, is a word of its own.
    beside = Word("/09/", 180, 119, 206, 129, 0, 0.9)
    under = Word("INV/", 52, 131, 81, 141, 0, 0.9)
    kept = [w.text for w in mend_words([number, beside, under])]
    assert kept == ["INV/2022/09/4113", "/09/", "INV/"]


def test_pieces_of_a_reference_split_with_their_boxes_touching_are_one_word() -> None:
    pieces = [word("r/3", 57, 76), word("126/", 77, 110), word("23", 110, 129)]
    assert [w.text for w in mend_words(pieces)] == ["r/3126/23"]
    # A space apart, or letters at the joint, they stay words of their own.
    spaced = [word("A", 58, 65), word("2022", 73, 102), word("2107", 111, 140)]
    assert [w.text for w in mend_words(spaced)] == ["A", "2022", "2107"]
    letters = [word("Ref", 40, 60), word("12", 60, 72)]
    assert [w.text for w in mend_words(letters)] == ["Ref", "12"]


def test_an_amount_split_after_a_thousands_separator_is_one_word_again() -> None:
    words = [word("-€1,", 427, 443), word("944.17", 446, 473)]
    assert [w.text for w in mend_words(words)] == ["-€1,944.17"]
    assert [w.text for w in mend_words([word("1.", 400, 406), word("234,56", 408, 440)])] == [
        "1.234,56"
    ]
    # The same separator as the decimal sign, or two kinds of separators: two numbers.
    for left, right in (("1,", "234,56"), ("12,", "345.678,90")):
        kept = [w.text for w in mend_words([word(left, 400, 410), word(right, 412, 450)])]
        assert kept == [left, right]


def test_a_brace_opening_a_reference_is_its_lower_case_f() -> None:
    texts = ["{22-7876", "{2024/118", "{x}", "{12}", "{"]
    mended = mend_words([word(t, 100 * i, 100 * i + 30) for i, t in enumerate(texts)])
    assert [w.text for w in mended] == ["f22-7876", "f2024/118", "{x}", "{12}", "{"]


def test_a_digit_read_in_a_dot_of_ink_is_dropped() -> None:
    # A "1" in a box 1 pt high among 7 pt words: a speck, no glyph of the text.
    dot = word("1", 412, 413, 100, 101)
    kept = [w.text for w in mend_words([word("Total", 300, 330), dot, word("21", 350, 360)])]
    assert kept == ["Total", "21"]
    # A superscript or small print is a good deal more than a third of the text's height.
    small = [word("Total", 300, 330), word("º", 332, 335, 100, 103), word("2", 340, 344, 100, 104)]
    assert [w.text for w in mend_words(small)] == ["Total", "º", "2"]


def test_the_raised_sign_of_a_large_n_read_as_letters_makes_one_number_sign() -> None:
    # "Factura Nº B2378867" in a large face: the "º" read as "re)", raised above the N's foot.
    n, raised = word("N", 132, 144, 174, 187), word("re)", 146, 156, 169, 182)
    words = [word("Factura", 44, 122, 174, 195), raised, n, word("B2378867", 165, 269, 173, 188)]
    assert [w.text for w in mend_words(words)] == ["Factura", "Nº", "B2378867"]
    # A word beside an N on the same baseline is a word of its own ("N de pedido").
    level = [word("N", 132, 144, 174, 187), word("de", 147, 157, 177, 187)]
    assert [w.text for w in mend_words(level)] == ["N", "de"]


def test_a_total_printed_with_zeros_past_its_cents_is_read_in_cents() -> None:
    s = Sheet()
    s.text(330, 60, "Invoice No: SI-081771")
    s.totals([("Net amount EUR", "649.3200"), ("VAT (0%) EUR", "0.00"), ("Total EUR", "649.32")])
    assert str(extract_pages(s.pages, ocr=True).net_total) == "649.32"


def test_a_digit_read_past_a_totals_cents_is_dropped() -> None:
    # "266,09€" read "266,096": the sign read as a digit past the cents; a breakdown's sums
    # carry it to the tax.
    option = Option(Decimal("266.096"), 0.9, 3, "rows")
    choice = TotalsChoice({"net_total": None, "tax_total": option, "total": None}, False, 1.0)
    data = InvoiceData()
    take_totals(data, choice, None, ocr=True)
    assert str(data.tax_total) == "266.09"
    take_totals(data, choice, None, ocr=False)  # a text layer's amounts are as printed
    assert str(data.tax_total) == "266.096"
