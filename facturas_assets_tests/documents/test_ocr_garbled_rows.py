"""A page's second look at rows psm 6 read as junk: each read again as a band of its own."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from facturas_assets.documents.model import Word
from facturas_assets.documents.ocr import OCR_LANG, _tesseract_words
from facturas_assets.documents.ocr_garbled import garbled_rows, reread_garbled

SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SCALE = 0.24  # points per pixel (300 dpi)


def _word(text: str, x0: float, x1: float, y0: float, y1: float, conf: float) -> Word:
    return Word(text, x0, y0, x1, y1, 0, conf)


# What psm 6 made of the row "Data de la factura: 16 de junio de 2024" (points).
JUNK = [
    _word(":", 310, 312, 146, 147, 0.18),
    _word("LENT", 322, 340, 145, 149, 0.57),
    _word("t", 360, 362, 146, 151, 0.91),
    _word("z", 380, 382, 148, 149, 0.0),
    _word("/", 428, 430, 144, 145, 0.31),
    _word("24", 455, 463, 144, 151, 0.93),
]
BODY = [_word(f"Línea{i}", 60, 100, 60 + 14 * i, 68 + 14 * i, 0.95) for i in range(6)]


def _page() -> Image.Image:
    """A 300-dpi page with the row printed where the junk was read."""
    page = Image.new("L", (2480, 1400), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(SANS, 40)
    draw.text((310 / SCALE, 143 / SCALE), "Data de la factura: 16 de junio de 2024", font=font)
    for w in BODY:
        draw.text((w.x0 / SCALE, w.y0 / SCALE), w.text, font=font)
    return page


def test_a_row_read_as_junk_is_read_again_as_a_band_by_tesseract() -> None:
    runs: list[Image.Image] = []

    def read(strip: Image.Image) -> list[Word]:
        runs.append(strip)
        return _tesseract_words(strip, 0, 1.0, OCR_LANG, 30.0)[0]

    out = reread_garbled(_page(), [*BODY, *JUNK], SCALE, read)
    assert len(runs) == 1  # one extra Tesseract run for the page
    texts = [w.text for w in sorted(out, key=lambda w: (w.y0 > 140, w.x0)) if w.y0 > 140]
    assert " ".join(texts) == "Data de la factura: 16 de junio de 2024"
    assert all(w.text in [b.text for b in BODY] for w in out if w.y0 < 140)


def test_rows_read_surely_or_short_marks_are_left_alone() -> None:
    sure = [
        _word(t, 60 + 40 * i, 90 + 40 * i, 200, 208, 0.93)
        for i, t in enumerate(["Rambla", "d'Egara,", "230"])
    ]
    marks = [
        _word(t, 60 + 10 * i, 62 + 10 * i, 300, 301, 0.2) for i, t in enumerate(["|", ".", "|"])
    ]
    assert garbled_rows([*BODY, *sure, *marks]) == []

    def read(strip: Image.Image) -> list[Word]:
        raise AssertionError("no second look is needed")

    assert reread_garbled(_page(), [*BODY, *sure], SCALE, read) == [*BODY, *sure]


# What psm 6 made of two rows of a buyer's box beside a column of labelled values: the box's
# row read as junk, the date beside the next row cut short and set among marks.
BOX_JUNK = [
    _word("bern", 40, 60, 137, 143, 0.24),
    _word("del", 100, 112, 137, 143, 0.64),
    _word("or,", 130, 140, 137, 143, 0.26),
    _word("Feat", 310, 330, 136, 142, 0.40),
]
NEXT_ROW = [
    _word(".", 60, 61, 150, 151, 0.0),
    _word(",", 120, 121, 150, 151, 0.0),
    _word("2023-07-", 310, 345, 146, 153, 0.83),
]


def _box_page() -> Image.Image:
    """A 300-dpi page with the box's rows and the column's label and date printed."""
    page = Image.new("L", (2480, 1400), 255)
    draw = ImageDraw.Draw(page)
    big, small = ImageFont.truetype(SANS, 42), ImageFont.truetype(SANS, 36)
    draw.text((40 / SCALE, 136 / SCALE), "Hilaturas del Ter, S.A.", font=big)
    draw.text((310 / SCALE, 135 / SCALE), "Fecha fra.", font=small)
    draw.text((310 / SCALE, 146 / SCALE), "2023-07-29", font=small)
    for w in BODY:
        draw.text((w.x0 / SCALE, w.y0 / SCALE), w.text, font=small)
    return page


def test_unsure_rows_beside_a_garbled_row_are_read_again_with_it() -> None:
    def read(strip: Image.Image) -> list[Word]:
        return _tesseract_words(strip, 0, 1.0, OCR_LANG, 30.0)[0]

    out = reread_garbled(_box_page(), [*BODY, *BOX_JUNK, *NEXT_ROW], SCALE, read)
    texts = [w.text for w in sorted(out, key=lambda w: (round(w.y0 / 6), w.x0)) if w.y0 > 130]
    # The date read whole replaces the first reading's cut one, though that one was sure.
    assert "2023-07-29" in texts and "2023-07-" not in texts
    assert texts[:4] == ["Hilaturas", "del", "Ter,", "S.A."]
    assert texts.count("del") == 1


def test_a_lone_digit_read_surely_beside_the_block_stays_when_the_band_loses_it() -> None:
    thousands = [_word("1", 40, 44, 158, 164, 0.91), _word("173,45", 48, 75, 158, 164, 0.91)]
    speck = [_word(":", 90, 91, 160, 161, 0.2)]  # makes the row unsure: it joins the block

    def read(strip: Image.Image) -> list[Word]:
        # The band's reading of the row keeps the amount's cents but not its thousands.
        return [w for w in _tesseract_words(strip, 0, 1.0, OCR_LANG, 30.0)[0] if w.text != "1"]

    page = _box_page()
    ImageDraw.Draw(page).text(
        (40 / SCALE, 158 / SCALE), "1 173,45", font=ImageFont.truetype(SANS, 36)
    )
    out = reread_garbled(page, [*BODY, *BOX_JUNK, *NEXT_ROW, *thousands, *speck], SCALE, read)
    row = [w.text for w in sorted(out, key=lambda w: w.x0) if 156 < w.y0 < 166]
    assert row[:2] == ["1", "173,45"]
    assert "2023-07-29" in [w.text for w in out]  # the block was read again
