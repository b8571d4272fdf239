"""Visual lines and cells built from positioned words (the geometry every extractor uses)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from facturas_assets.documents.extraction.labels import match_field_labels
from facturas_assets.documents.layout_text import group_lines
from facturas_assets.documents.model import Page, Word

# Two words belong to the same cell when the gap between them is below this many word heights:
# a space is ~0.3 em, a column gap several em.
CELL_GAP = 0.9
# OCR boxes hug the ink (a digit or capital is ~0.7 of the font size, "de" or "a" less), not
# the font's line height as text layers do: the same gap in font sizes is a larger share of them.
OCR_CELL_GAP = 1.3  # 0.9 / 0.7; on generated scans 1.2-1.5 read the same, 1.0 lost dates


@dataclass(slots=True)
class Cell:
    """Words of one line that sit close together (a table cell, a label, a value)."""

    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def confidence(self) -> float:
        return min(w.confidence for w in self.words)


@dataclass(slots=True)
class Line:
    """A visual line on one page: its words left to right and their cells."""

    words: list[Word]
    index: int = 0  # position in the document-wide line list
    cells: list[Cell] = field(default_factory=list)
    # Middles of the slashes set apart between words ("Prezo / Precio ud."): no words of the
    # line, but they tell two labels of one head from two heads.
    slashes: list[float] = field(default_factory=list)

    def slash_between(self, before: Word, after: Word) -> bool:
        """Whether a slash stands between two words (OCR's boxes may overlap it a little)."""
        left, right = (before.x0 + before.x1) / 2, (after.x0 + after.x1) / 2
        return any(left < x < right for x in self.slashes)

    @property
    def page(self) -> int:
        return self.words[0].page

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    @property
    def height(self) -> float:
        return max(median([w.y1 - w.y0 for w in self.words]), 1.0)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)


def median(values: list[float]) -> float:
    """Median of a non-empty list."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def split_cells(words: list[Word], gap: float = CELL_GAP) -> list[Cell]:
    """Split a line's words (sorted by x) into cells wherever the gap exceeds `gap` heights.

    The height is the taller of the two neighbours and of most of the line's words: OCR boxes
    of lower-case words ("de", "a") are only x-height tall, which would make ordinary spaces
    look like column gaps; a large title elsewhere on the line must not widen them either.
    """
    cells: list[Cell] = []
    heights = sorted(w.y1 - w.y0 for w in words)
    typical = heights[(3 * len(heights)) // 4] if heights else 1.0
    for word in words:
        if cells:
            prev = cells[-1].words[-1]
            height = max(prev.y1 - prev.y0, word.y1 - word.y0, typical, 1.0)
            if word.x0 - prev.x1 <= gap * height:
                cells[-1].words.append(word)
                continue
        cells.append(Cell([word]))
    return cells


def build_lines(pages: list[Page], gap: float = CELL_GAP) -> list[Line]:
    """All visual lines of a document, page by page, top to bottom, with their cells split at
    gaps over `gap` word heights."""
    lines: list[Line] = []
    for page in sorted(pages, key=lambda p: p.number):
        words = [
            part
            for c in (_without_bars(w) for w in page.words)
            if c is not None
            for part in _label_and_value(c)
        ]
        sideways = [w for w in words if _is_vertical(w)]
        sideways += [w for w in words if not _is_vertical(w) and _continues_sideways(w, sideways)]
        upright = [w for w in words if not any(w is v for v in sideways)]
        for group in [*group_lines(upright), *_vertical_runs(sideways)]:
            slashes = [(w.x0 + w.x1) / 2 for w in group if w.text == _SLASH]
            group = [w for w in group if w.text != _SLASH]
            if not group:
                continue
            line = Line(words=group, index=len(lines), slashes=slashes)
            line.cells = split_cells(group, gap)
            lines.append(line)
    return lines


def _is_vertical(word: Word) -> bool:
    """A word set sideways (a margin note or a banner read upwards): far taller than wide."""
    return len(word.text) >= 3 and (word.y1 - word.y0) > 2.0 * (word.x1 - word.x0)


_SIDEWAYS_PIECE = 0.5  # height to width of a short sideways word at the least ("&")


def _continues_sideways(word: Word, sideways: list[Word]) -> bool:
    """A short word ("S.", "SRL", "&") in the column of sideways words, just above or below
    one, and about as tall as wide or taller: a piece of the same sideways text, too short to
    tell by itself."""
    width, height = word.x1 - word.x0, word.y1 - word.y0
    if height < _SIDEWAYS_PIECE * width:
        return False
    return any(
        x_overlap(v.x0, v.x1, word.x0, word.x1) >= 0.5 * width
        and max(v.y0 - word.y1, word.y0 - v.y1) <= 2 * (v.x1 - v.x0)
        for v in sideways
    )


def _vertical_runs(words: list[Word]) -> list[list[Word]]:
    """Sideways words grouped by the column they stand in, each group top to bottom.

    They are kept out of the horizontal lines: their tall boxes would join lines that are
    apart and slip words of the margin into them.
    """
    runs: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.x0, w.y0)):
        run = next((r for r in runs if x_overlap(r[0].x0, r[0].x1, word.x0, word.x1) > 0), None)
        if run is None:
            runs.append([word])
        else:
            run.append(word)
    return [sorted(r, key=lambda w: w.y0) for r in runs]


# Vertical bars are what OCR makes of table rules and box edges; they are never a value, and
# their tall boxes would pull neighbouring lines together.
_BARS = "|¦[]"
# What OCR makes of rule remnants and specks when a word has nothing else ("—=", "..", "'").
_SLASH = "/"
_SURE_SLASH = 0.7  # OCR's certainty of a slash it reads between words (rules read ~0.4-0.6)
_NOISE = set("-‐‑–—―_=~.,:;'\"`´^*•·<>«»/\\|¦")


# "nº" (número) as OCR misreads its ordinal sign: "n*", "n®", "n?" (never written so).
_NUMERO_MISREAD = re.compile(r"^([nN])[*®?](?=\d*$)")

# OCR specks: a word of one or two non-digits that Tesseract itself gives almost no credit.
SPECK_CONFIDENCE = 0.3
DIGIT_SPECK_CONFIDENCE = 0.05  # a lone digit below it is a speck too (real ones read surer)
CONFIDENT_SIGN = 0.6


def _without_bars(word: Word) -> Word | None:
    """The word without rule remnants glued to its ends ('3|', '|Total'), None if nothing is left
    or if it is an OCR speck."""
    text = word.text.strip()
    if len(text) <= 2 and word.confidence < SPECK_CONFIDENCE and not any(c.isdigit() for c in text):
        return None
    if len(text) == 1 and word.confidence < DIGIT_SPECK_CONFIDENCE:
        return None  # a lone digit OCR gives no credit at all: a speck it read as a "0"
    core = text.strip("|¦")
    if not core.strip(_BARS + " "):
        return None
    sign = core in ("-", "−") and word.confidence >= CONFIDENT_SIGN  # "- 70,61": a minus
    # A text layer's colon set apart ("technicien : A. Ferrer", French spacing) is the text's;
    # a slash set apart, typeset or read sure (rules OCR reads as "|"), is kept for build_lines
    # to note where it stands.
    typeset = core in (":", ";") and word.confidence >= 1.0
    typeset = typeset or (core == _SLASH and word.confidence >= _SURE_SLASH)
    if all(ch in _NOISE for ch in core) and not (sign or typeset):
        return None  # dashes, dots, quotes: rule remnants and specks, never a value
    if word.confidence < 1.0:
        core = _NUMERO_MISREAD.sub("\\1º", core)
    if core == text:
        return word
    return replace(word, text=core)


# A label glued to its value by its colon, no space after ("Rechnungsnummer:RE-2026-110"),
# for the fields whose values are read beside their labels (parties' ids are left as they are).
_GLUED_KINDS = frozenset({"invoice_number", "issue_date", "net_total", "tax_total", "total"})
_GLUED_VALUE = re.compile(r"^([^\W\d_][^:\s]*:)([^:\s]*\d[^\s]*)$")
# A totals label run into its amount with no colon ("TOTAL87.859,00": a long right-aligned
# amount set against its label, one word in the text layer); only an amount with decimals.
_TOTALS_KINDS = frozenset({"net_total", "tax_total", "total"})
_GLUED_AMOUNT = re.compile(r"^([^\W\d_]{3,})([-−]?\d{1,3}(?:[.,'\u202f]?\d{3})*[.,]\d{2})$")


def _label_and_value(word: Word) -> list[Word]:
    """The word split after its colon where a field label stands glued to a value with digits
    ("Nº:2024/117", "Fecha:12/03/2024"), each part boxed by its share of the letters; any
    other word as it is (times, URLs and ids keep their colons)."""
    m = _GLUED_VALUE.match(word.text)
    kinds = _GLUED_KINDS
    if m is None:
        m, kinds = _GLUED_AMOUNT.match(word.text), _TOTALS_KINDS
    if m is None:
        return [word]
    label, value = m.groups()
    found = match_field_labels([label])
    if not found or found[0].kind not in kinds:
        return [word]
    cut = word.x0 + (word.x1 - word.x0) * len(label) / len(word.text)
    return [replace(word, text=label, x1=cut), replace(word, text=value, x0=cut)]


def x_overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    """Length of the horizontal overlap of two ranges (0 when disjoint)."""
    return max(0.0, min(a1, b1) - max(a0, b0))
