"""The lines under an item table's header told apart: rows, totals, page marks, frame, noise."""

from __future__ import annotations

import re
from decimal import Decimal

from facturas_assets.documents.extraction.labels import TOTAL_KINDS, LabelMatch, match_field_labels
from facturas_assets.documents.extraction.layout import Cell, Line, split_cells
from facturas_assets.documents.extraction.lexicon import ALL_PAGE_OF, ALL_PAGE_WORDS
from facturas_assets.documents.extraction.numbers import find_amounts
from facturas_assets.documents.extraction.table_cells import _assign
from facturas_assets.documents.extraction.table_model import Anchors, Column
from facturas_assets.documents.extraction.table_values import _is_numeric, _value
from facturas_assets.documents.extraction.text import alnum_count, fold
from facturas_assets.documents.model import Word

# Lines that carry a running subtotal across a page break; they are not items.
_CARRY_PHRASE = re.compile(
    r"^\W*(suma y sigue|suma anterior|carried forward|brought forward|a transportar|"
    r"a reporter|a riportare|van transport|subtotal pagina|page subtotal|continued on|"
    r"continua en|sigue en)\b"
)
_CARRY_WORD = re.compile(
    r"^\W*(continued|continua|sigue|transporte|transport|report|ubertrag|uebertrag|riporto)\b"
)
# "Página 1 de 2", "Page 2 of 3", "Seite 1 von 2", "Pag. 1/2", "Pagina 1:de 3" as OCR read it,
# in the lexicon's languages.
_PAGE_NUMBER = re.compile(
    rf"^\W*({'|'.join(sorted(ALL_PAGE_WORDS, key=len, reverse=True))})\W*\d+\W*"
    rf"({'|'.join(ALL_PAGE_OF)})?\W*\d+\W*$"
)
# ... or without the page word: "1 of 3", "2 de 4" ("02/02" may be a stamp's date).
_BARE_PAGE_NUMBER = re.compile(rf"^\W*\d+\s+({'|'.join(ALL_PAGE_OF)})\s+\d+\W*$")

# A description word whose letters are this many times taller and wider than the row's median
# ones is a stamp's: item rows are set in one size.
STAMP_SCALE = (1.8, 2.0)
RULE_WIDTH = 0.2  # of the row's median word height: no glyph is that narrow

_EDGE_TOL = 2.0  # points past the last header's right edge where a table's frame begins
_FRAME_MARKS = {"1", "i", "I", "l", "|", "!", "¡"}  # a vertical rule as OCR reads it
_WORD_SPACE = 0.5  # a word space, in line heights: the most a number's spaced groups stand apart


def _ends_table(line: Line, by_kind: dict[str, list[Cell]], decimal_hint: str | None) -> bool:
    """Whether a body line is the totals block: it starts with a totals label ("Base imponible",
    "Cuota IVA (21 %)", whatever column its numbers fall in), or holds one and no quantity or
    unit price."""
    labels = match_field_labels([w.text for w in line.words])
    first = next((m for m in labels if m.start == 0), None)
    if first is not None and first.kind in TOTAL_KINDS and first.strength >= 1.0:
        return not _item_naming_a_total(line, first, by_kind, decimal_hint)
    if _totals_labels_band(line):
        return True
    if any(_value(by_kind.get(k), decimal_hint) is not None for k in ("quantity", "unit_price")):
        return False
    return any(m.kind in TOTAL_KINDS for m in labels)


_BAND_CELLS = 3  # cells opening with a totals label that make a line the totals' band


def _totals_labels_band(line: Line) -> bool:
    """Whether a line is a band of totals labels, each in a cell of its own ("BASE | IVA 21 %:
    sobre 3.232,32 | IVA 0 % | TOTAL", their values under them), whatever amounts the labels
    state: no item row opens three cells with totals words."""
    opening = 0
    for cell in line.cells:
        labels = match_field_labels([w.text for w in cell.words])
        opening += any(m.start == 0 and m.kind in TOTAL_KINDS for m in labels)
    return opening >= _BAND_CELLS


_PROSE_WORDS = 2  # words of letters after a totals label that make its cell a sentence


def _item_naming_a_total(
    line: Line, label: LabelMatch, by_kind: dict[str, list[Cell]], decimal_hint: str | None
) -> bool:
    """An item whose description starts with a totals word ("Taxable amount adjustment for
    ..."): the label's cell goes on as a sentence and the row's quantity x unit price is its
    amount, as no totals line's numbers are."""
    cell = next(c for c in line.cells if any(w is line.words[0] for w in c.words))
    after = cell.words[label.end :] if cell.words[0] is line.words[0] else []
    if sum(1 for w in after if sum(ch.isalpha() for ch in w.text) >= 2) < _PROSE_WORDS:
        return False
    qty, price, amount = (
        _value(by_kind.get(k), decimal_hint) for k in ("quantity", "unit_price", "amount")
    )
    if qty is None or price is None or amount is None:
        return False
    return abs(qty * price - amount) <= Decimal("0.01")


def _bare_page_number(line: Line, columns: list[Column]) -> bool:
    """A page count without its page word ("1 of 3") outside the descriptions' column, where
    a wrapped description's end ("visita 1 di 4)") may read so."""
    desc = next((c for c in columns if c.kind == "description"), None)
    if desc is None or not _BARE_PAGE_NUMBER.match(fold(line.text)):
        return False
    return line.x0 >= desc.right


def _money_cell(cells: list[Cell], decimal_hint: str | None) -> bool:
    """Whether a line's description cells hold a sum of money of their own, in cents ("Goods
    | €634.99" in the totals block under the rows): no wrapped description's words."""
    return any(
        _is_numeric(c.text, decimal_hint)
        and any(a.has_decimals for a in find_amounts(c.text, decimal_hint))
        for c in cells
    )


def _sideways(words: list[Word]) -> bool:
    """Whether a line's words stand one above the other, in a band far taller than wide: text
    set sideways, which the layout keeps apart as a line of its own."""
    if len(words) == 1 and len(words[0].text) < 3:
        return False  # a lone "l" or "1": a speck or a number, not a run of sideways words
    x0, x1 = min(w.x0 for w in words), max(w.x1 for w in words)
    y0, y1 = min(w.y0 for w in words), max(w.y1 for w in words)
    return y1 - y0 > 2 * (x1 - x0)


def _without_frame(words: list[Word], columns: list[Column], ocr: bool) -> list[Word]:
    """A line's words without the lone "1", "i" or "|" OCR reads the table's frame as, right
    of the last column or, on OCR'd pages, left of the first (where no word of a row begins;
    a text layer's "1" there is a position number)."""
    right = max(c.x1 for c in columns) + _EDGE_TOL
    left = min(c.x0 for c in columns) if ocr else float("-inf")
    return [
        w
        for k, w in enumerate(words)
        if (w.x0 <= right or alnum_count(w.text) > 1 or _runs_on(w, words[k + 1 : k + 2]))
        and not (w.x1 <= left and w.text in _FRAME_MARKS)
    ]


def _runs_on(word: Word, after: list[Word]) -> bool:
    """Whether the next word follows `word` one space on ("1 190,00": a thousand spaced off):
    a table's frame stands a cell's padding away from any text."""
    return bool(after) and after[0].x0 - word.x1 <= _WORD_SPACE * (word.y1 - word.y0)


def _description_text(cells: list[Cell], line: Line, ocr: bool) -> str:
    """The words of a row's description cells; on OCR'd pages without a stamp's words or a
    table rule's sliver before them."""
    words = [w for c in cells for w in c.words]
    if ocr and words:
        height = sorted([w.y1 - w.y0 for w in line.words])[len(line.words) // 2]
        # A word's letters: its width shared among its characters (words of 3 or more).
        widths = [(w.x1 - w.x0) / len(w.text) for w in line.words if len(w.text) >= 3]
        letter = sorted(widths)[len(widths) // 2] if widths else None
        words = [w for w in words if not _stamp_word(w, height, letter)]
        if words and len(words[0].text) == 1 and words[0].x1 - words[0].x0 <= RULE_WIDTH * height:
            words = words[1:]  # one character a point wide: the remnant of a table rule
    return " ".join(w.text for w in words)


def _stamp_word(word: Word, height: float, letter: float | None) -> bool:
    """A word in letters far taller and wider than the row's (`height`, `letter` width): a
    stamp's ("PAGADO") over it. Tall alone is not enough: a speck beside a word stretches its
    box upwards only."""
    if letter is None:
        return False
    tall = word.y1 - word.y0 >= STAMP_SCALE[0] * height
    wide = (word.x1 - word.x0) / len(word.text) >= STAMP_SCALE[1] * letter
    return tall and wide


# OCR's reading of a rule remnant or a speck is short and unsure ("tee" 0.32, "ome" 0.44).
_SPECK_CONFIDENCE = 0.5
_SURE = 0.9


def _is_speck(word: Word) -> bool:
    n = alnum_count(word.text)
    if n < 3 and not any(ch.isdigit() for ch in word.text):
        return True
    if n <= 1 and word.confidence < _SURE:
        return True  # a lone "1" or "l": what OCR makes of a column rule
    return n <= 3 and word.confidence < _SPECK_CONFIDENCE


def _is_noise(line: Line) -> bool:
    """A line of specks and rule remnants only. A text layer has no specks: its short words
    ("HP", "ud.)" wrapped under a row) are text; only a rule drawn with dashes is noise."""
    return all(
        alnum_count(w.text) == 0 or (w.confidence < 1.0 and _is_speck(w)) for w in line.words
    )


def _is_carry(line: Line) -> bool:
    """A running subtotal carried over a page break ("Suma y sigue 1.234,00")."""
    words = [w.text for w in line.words if not re.search(r"\d", w.text)]
    text = fold(line.text)
    if _CARRY_PHRASE.match(text):
        return len(words) <= 6
    return len(words) <= 3 and bool(_CARRY_WORD.match(text)) and bool(find_amounts(line.text))


def _row_ahead(
    lines: list[Line],
    start: int,
    page: int,
    columns: list[Column],
    decimal_hint: str | None,
    anchors: Anchors,
    headers: list[list[Column] | None],
    limit: int | None = None,
    totals_end: bool = False,
) -> bool:
    """Whether an item row comes on `page` from line `start` on (within `limit` bands of text,
    lines overlapping the one before, such as a stamp's pieces, counting once), before another
    header and, with `totals_end`, before the totals block.

    Used on a new page without a header (does the table go on?) and on a line that is neither
    item nor description (a stamp among the rows, or the end of the table?).
    """
    bands, band_end = 0, float("-inf")
    for line in lines[start:]:
        if line.page != page or headers[line.index] is not None:
            return False
        by_kind = _assign(split_cells(line.words), columns, decimal_hint, anchors)
        # A description wrapped line after line (a long one in a narrow column) is one band.
        wrapped = set(by_kind) == {"description"} and line.y0 - band_end < line.height
        if line.y0 >= band_end and not wrapped:
            bands += 1
        band_end = max(band_end, line.y1) if line.y0 < band_end else line.y1
        if limit is not None and bands > limit:
            return False
        if totals_end and _ends_table(line, by_kind, decimal_hint):
            return False
        if _is_row(by_kind, decimal_hint):
            return True
    return False


_CENTRED_TOL = 0.2  # of a line's height: gaps that differ by less are one line spacing
_CENTRED_LINES = 3  # description lines a centred cell may hold above its row's numbers


def _heads_next_row(
    lines: list[Line], k: int, columns: list[Column], decimal_hint: str | None, anchors: Anchors
) -> bool:
    """Whether text line `k`, after a row, opens the next row's description, set above that
    row's numbers because the table centres its cells vertically: it stands farther from the
    lines above than from the line below, and the lines below it, as closely spaced, reach a row.
    """
    line = lines[k]
    before = [ln.y1 for ln in lines[max(0, k - 3) : k] if ln.page == line.page]
    if not before or k + 1 >= len(lines) or lines[k + 1].page != line.page:
        return False
    tol = _CENTRED_TOL * line.height
    spacing = lines[k + 1].y0 - line.y1
    if line.y0 - max(before) <= spacing + tol:
        return False
    end = line.y1
    for below in lines[k + 1 : k + 1 + _CENTRED_LINES]:
        if below.page != line.page or below.y0 - end > spacing + tol:
            return False
        if _is_row(_assign(split_cells(below.words), columns, decimal_hint, anchors), decimal_hint):
            return True
        end = below.y1
    return False


def _is_row(by_kind: dict[str, list[Cell]], decimal_hint: str | None) -> bool:
    """An item row: an amount with a description or quantity, or a described quantity and price
    (its amount unreadable). A lone number (a stamp's date digit) is none."""
    described = bool(by_kind.get("description"))
    if _value(by_kind.get("amount"), decimal_hint) is not None:
        return described or bool(by_kind.get("quantity"))
    return described and all(
        _value(by_kind.get(kind), decimal_hint) is not None for kind in ("quantity", "unit_price")
    )


def _wrapped_under_row(
    lines: list[Line], k: int, columns: list[Column], decimal_hint: str | None, anchors: Anchors
) -> bool:
    """Whether text line `k` is a description's wrapped line though it starts with a totals
    word ("Umsatzsteuer auf Altteil"): priceless, within the description's column, set close
    under the line above, and an item row right after it (a totals block has none)."""
    desc = next((c for c in columns if c.kind == "description"), None)
    if desc is None or k == 0 or k + 1 >= len(lines):
        return False
    line, above, below = lines[k], lines[k - 1], lines[k + 1]
    if above.page != line.page or below.page != line.page or line.x1 > desc.right:
        return False
    if any(a.has_decimals for a in find_amounts(line.text, decimal_hint)):
        return False
    if line.y0 - above.y1 > line.height:
        return False
    row = _assign(split_cells(below.words), columns, decimal_hint, anchors)
    return _is_row(row, decimal_hint) and not _ends_table(below, row, decimal_hint)


_PADDED = 0.3  # of a line's height: the least gap of padded rows, beyond a cell's line spacing
_APART_TOL = 0.1  # of a line's height: text layers set a table's rows this evenly apart


def _spacing(
    lines: list[Line],
    start: int,
    columns: list[Column],
    decimal_hint: str | None,
    anchors: Anchors,
) -> tuple[float, float] | None:
    """The table's spacing on the page of line `start` (its first body line): the median gap
    above an item row (from the header's only where no row follows another line of the body),
    and the tightest gap between two of its lines from the first row on (a wrapped cell's,
    where one is). None without a row."""
    page, row_gaps, gaps = lines[start].page, [], []
    above = lines[start - 1] if start > 0 and lines[start - 1].page == page else None
    head_gap: float | None = None
    seen_row = False  # gaps counted from the first row on: a continued page's letterhead aside
    for line in lines[start:]:
        if line.page != page:
            break
        by_kind = _assign(split_cells(line.words), columns, decimal_hint, anchors)
        if _ends_table(line, by_kind, decimal_hint):
            break
        is_row = _is_row(by_kind, decimal_hint)
        gap = line.y0 - above.y1 if above is not None else None
        if gap is not None and is_row:
            if line.index == start:
                head_gap = gap  # header cells may be framed or spaced otherwise
            else:
                row_gaps.append(gap)
        if gap is not None and seen_row:
            gaps.append(gap)
        above, seen_row = line, seen_row or is_row
    if not row_gaps and head_gap is None:
        return None
    row_gap = sorted(row_gaps)[(len(row_gaps) - 1) // 2] if row_gaps else head_gap
    return row_gap, min(gaps, default=row_gap)


def _row_of_its_own(
    lines: list[Line],
    k: int,
    spacing: tuple[float, float] | None,
    columns: list[Column],
    decimal_hint: str | None,
    anchors: Anchors,
) -> bool:
    """Whether text line `k` (with the lines set close under it) is a table row of its own: a
    heading over a group of items ("Albarán 670 de 16.07.2024") or a remark between them.

    Where a table pads its cells, its rows stand farther apart than a cell's wrapped lines: such
    a line stands a row's gap from the line above it and, after the lines wrapped with it, from
    the next one, and no item's numbers are among them (a cell centred above its numbers)."""
    line = lines[k]
    if spacing is None or k == 0 or lines[k - 1].page != line.page:
        return False
    row_gap, tightest = spacing
    tol = _APART_TOL * line.height
    padding = _PADDED * line.height
    if row_gap < padding or row_gap - tightest < padding:
        return False  # rows not set clearly apart, nor farther than a cell's lines: no telling
    if line.y0 - lines[k - 1].y1 < row_gap - tol:
        return False  # close under the line above: a wrapped cell's line
    for end in range(k, min(len(lines), k + 1 + _CENTRED_LINES)):
        below = lines[end + 1] if end + 1 < len(lines) else None
        if below is None or below.page != line.page or below.y0 - lines[end].y1 >= row_gap - tol:
            return True  # the next row stands apart
        if _is_row(_assign(split_cells(below.words), columns, decimal_hint, anchors), decimal_hint):
            return False
    return False


def _own_row_goes_on(
    lines: list[Line], k: int, own_row: int, spacing: tuple[float, float] | None
) -> bool:
    """Whether text line `k` is wrapped under a row of its own (line `own_row`): set close
    under it, not a row's gap away."""
    if spacing is None or own_row != k - 1 or lines[own_row].page != lines[k].page:
        return False
    gap = lines[k].y0 - lines[own_row].y1
    return gap < spacing[0] - _APART_TOL * lines[k].height
