"""A page's second look at lines psm 6 read twice: read again alone, once."""

from __future__ import annotations

from PIL import Image

from facturas_assets.documents.model import Word
from facturas_assets.documents.ocr_doubled import doubled_runs, reread_doubled

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SCALE = 0.5  # points per pixel of the test pages (144 dpi)


def word(text: str, x0: float, x1: float, y0: float = 100.0, y1: float = 108.0) -> Word:
    return Word(text, x0, y0, x1, y1, 0, 0.95)


# "Acabados Textiles Terrassa, S.L." read twice by psm 6, the second copy a few points aside.
DOUBLED = [
    word("Acabados", 396, 430, 77, 92),
    word("Textiles", 442, 467, 85, 92),
    word("T", 478, 485, 85, 92),
    word("S.L", 523, 537, 85, 93),
    word("Acabados", 403, 439, 87, 92),
    word("Textiles", 448, 476, 86, 93),
    word("Terrassa,", 485, 519, 87, 94),
    word("S.L.", 528, 540, 91, 93),
    word("Dublin", 46, 74),  # another column's line beside it
]


def test_a_line_read_twice_is_read_again_alone_and_replaced() -> None:
    strips: list[Image.Image] = []

    def read(strip: Image.Image) -> list[Word]:
        strips.append(strip)
        # The second look, in the strip's pixels: one copy of the line across its middle.
        mid = strip.height / 2
        spans = [("Acabados", 40, 100), ("Textiles", 110, 160), ("Terrassa,", 170, 240)]
        return [
            Word(text, x0, mid - 8, x1, mid + 8, 0, 0.96)
            for text, x0, x1 in [*spans, ("S.L.", 250, 280)]
        ]

    page = Image.new("L", (1240, 1754), 255)
    out = reread_doubled(page, DOUBLED, SCALE, read)
    assert len(strips) == 1  # one extra Tesseract run for the page
    texts = sorted(w.text for w in out)
    assert texts == sorted(["Acabados", "Textiles", "Terrassa,", "S.L.", "Dublin"])


def test_words_side_by_side_or_a_speck_over_a_word_are_not_a_doubled_line() -> None:
    plain = [word("Acabados", 396, 430), word("Textiles", 436, 467), word("|", 420, 421)]
    assert doubled_runs(plain) == []
    # Garbage over a label's ink spells nothing alike: left to the reader.
    assert doubled_runs([word("LASEVA", 100, 140), word("REFERENCIA", 104, 160)]) == []

    def read(strip: Image.Image) -> list[Word]:
        raise AssertionError("no second look is needed")

    assert reread_doubled(Image.new("L", (100, 100), 255), plain, SCALE, read) == plain


def test_a_second_look_that_reads_nothing_keeps_the_first_reading() -> None:
    page = Image.new("L", (1240, 1754), 255)
    assert reread_doubled(page, DOUBLED, SCALE, lambda strip: None) == DOUBLED
