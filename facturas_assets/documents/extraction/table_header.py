"""An item table's header row: its labels read into columns, and the lines it wraps onto."""

from __future__ import annotations

import re

from facturas_assets.documents.extraction.labels import (
    LabelMatch,
    match_column_labels,
    match_field_labels,
)
from facturas_assets.documents.extraction.layout import Line, split_cells, x_overlap
from facturas_assets.documents.extraction.numbers import find_amounts
from facturas_assets.documents.extraction.table_model import _NUMERIC_KINDS, ITEM_KINDS, Column
from facturas_assets.documents.extraction.text import alnum_count, fold
from facturas_assets.documents.model import Word

# Two header words this many word heights apart or more name two columns (a space is ~0.3 em).
HEADER_WORD_SPACE = 0.6
_REPEAT_TOL = 12.0  # points a label may move between a header and its repetition


def header_columns(line: Line) -> list[Column] | None:
    """The columns of `line` when it is a table header row, else None."""
    texts = [w.text for w in line.words]
    matches = _within_cells(line, match_column_labels(texts))
    kinds = {m.kind for m in matches}
    if len(kinds & set(ITEM_KINDS)) < 2 or not kinds & {"amount", "unit_price"}:
        return None
    if not kinds & {"description", "quantity"}:
        matches = _with_unread_left_labels(line.words, matches)
        kinds = {m.kind for m in matches}
        if not kinds & {"description", "quantity"}:
            return None
    if "amount" not in kinds:
        matches = _with_unread_amount_label(line.words, matches)
    if "description" not in kinds:
        matches = _with_unread_description_label(line.words, matches)
    covered = sum(m.end - m.start for m in matches)
    # Words a header could be made of; OCR's 1-2 letter specks ("oo", "_") are left out.
    meaningful = covered + sum(
        1 for i in _unmatched(matches, len(texts)) if alnum_count(texts[i]) >= 3
    )
    # Money in a line makes it a row; a lone integer may be a misread sign ("96 Dto" for "% Dto").
    if covered < 0.6 * meaningful or any(a.has_decimals for a in find_amounts(line.text)):
        return None
    matches = _price_per_unit(line.words, matches)
    columns: list[Column] = []
    prev_match = None
    for m in matches:
        words = line.words[m.start : m.end]
        x0, x1 = words[0].x0, max(w.x1 for w in words)
        prev = columns[-1] if columns else None
        one_label = prev_match is not None and (
            _spaced_as_words(_label_gap(line.words[prev_match.end - 1 : m.start + 1]))
            # "Prezo / Precio ud.": alternatives of one head
            or line.slash_between(line.words[prev_match.end - 1], line.words[m.start])
        )
        prev_match = m
        if prev is not None and prev.kind == m.kind and one_label:
            prev.x1 = x1  # "Descripción del trabajo": one label made of two lexicon entries
            continue
        columns.append(Column(m.kind, x0, x1))
    unmatched = [line.words[i] for i in _unmatched(matches, len(line.words))]
    for kind in ("quantity", "unit_price"):
        label = _unread_label_by_order(kind, unmatched, columns)
        if label:
            columns.append(Column(kind, label[0].x0, max(w.x1 for w in label)))
            unmatched = [w for w in unmatched if w not in label]
    # Unmatched words ("(€)", "%") widen the column they sit next to, or on. A word of a
    # cell of its own left of every label ("Art." unread) heads a column of its own.
    first = min(c.x0 for c in columns)
    own = [c for c in line.cells if c.x1 < first and all(w in unmatched for w in c.words)]
    for cell in own:
        if any(alnum_count(w.text) >= 2 for w in cell.words):
            columns.append(Column("other", cell.x0, cell.x1))
            unmatched = [w for w in unmatched if w not in cell.words]
    for word in unmatched:
        nearest = min(columns, key=lambda c: max(0.0, word.x0 - c.x1, c.x0 - word.x1))
        nearest.x0, nearest.x1 = min(nearest.x0, word.x0), max(nearest.x1, word.x1)
    columns.sort(key=lambda c: c.x0)
    _dedupe_kinds(columns)
    _unit_roles(columns)
    for left, right in zip(columns, columns[1:], strict=False):
        boundary = (left.x1 + right.x0) / 2
        left.right = right.left = boundary
    return columns


def _within_cells(line: Line, matches: list[LabelMatch]) -> list[LabelMatch]:
    """The matches with each one whose words lie in two cells of the line (a column's gap
    between them) matched word by word again: "VAT | Amount" are two heads, "VAT amount" one."""
    words = line.words
    cell_of = {id(w): n for n, cell in enumerate(line.cells) for w in cell.words}
    out: list[LabelMatch] = []
    for m in matches:
        if len({cell_of.get(id(w)) for w in words[m.start : m.end]}) < 2:
            out.append(m)
            continue
        for i in range(m.start, m.end):
            for part in match_column_labels([words[i].text]):
                out.append(LabelMatch(part.kind, i, i + 1, part.strength))
    return out


def _price_per_unit(words: list[Word], matches: list[LabelMatch]) -> list[LabelMatch]:
    """A unit label that qualifies the label or abbreviation just before it ("Importe unit.",
    "Valor unit.", "Pr. unidad", "P. unitari"): money per unit, one unit price label."""
    out: list[LabelMatch] = []
    for m in matches:
        prev = out[-1] if out else None
        before = m.start - 1
        if (
            m.kind == "unit"
            and prev is not None
            and prev.end == m.start
            and prev.kind in ("unit_price", "amount")
            and _spaced_as_words(words[prev.start : m.end])
        ):
            out[-1] = LabelMatch("unit_price", prev.start, m.end, prev.strength)
            continue
        if (
            m.kind == "unit"
            and before >= 0
            and (prev is None or prev.end <= before)
            and _abbreviation(words[before].text)
            and _spaced_as_words(words[before : m.end])
        ):
            out.append(LabelMatch("unit_price", before, m.end, m.strength))
            continue
        out.append(m)
    return out


def _abbreviation(text: str) -> bool:
    """A word cut short with a point ("P.", "Pr."): one to three letters."""
    return text.endswith(".") and 1 <= len(text.rstrip(".")) <= 3 and text[:-1].isalpha()


def _unit_roles(columns: list[Column]) -> None:
    """A unit label where the table has no quantity or no unit price column stands for it:
    "Unit." over the counts left of the price ("Unitats" cut short), or a unit label right of
    the quantity over the prices ("Unit" for "Unit price" cut short). "Desc." heading the
    table without a description label is the description's, not a discount's."""
    kinds = [c.kind for c in columns]
    if "description" not in kinds and kinds and kinds[0] == "discount":
        columns[0].kind = kinds[0] = "description"  # "Desc." before the numbers: description
    for k, col in enumerate(columns):
        if col.kind != "unit":
            continue
        later = kinds[k + 1 :]
        if "quantity" not in kinds and ("unit_price" in later or "amount" in later):
            col.kind = kinds[k] = "quantity"
        elif "unit_price" not in kinds and "quantity" in kinds[:k] and "amount" in later:
            col.kind = kinds[k] = "unit_price"


def _totals_band(lines: list[Line], i: int) -> bool:
    """Whether line `i` is a band of totals labels over a line of their amounts ("Amount |
    VAT rate | VAT | Total due"), not an item header: no description or quantity label, its
    cells name a tax and a total, and the line under it holds numbers only, no description."""
    line = lines[i]
    if {m.kind for m in match_column_labels([w.text for w in line.words])} & {
        "description",
        "quantity",
    }:
        return False
    found = [m for cell in line.cells for m in match_field_labels([w.text for w in cell.words])]
    kinds = {m.kind for m in found}
    # Bare "Tax" and "TOTAL" are weak labels alone; beside a net's label ("Total excl. VAT |
    # Rate | Tax | TOTAL") the three name the totals all the same.
    named = _TOTAL_ROLES if kinds >= set(_TOTAL_ROLES) else ("tax_total", "total")
    if not {"tax_total", "total"} <= kinds or not any(
        m.strength >= 1.0 for m in found if m.kind in named
    ):
        return False
    below = lines[i + 1] if i + 1 < len(lines) else None
    if below is None or below.page != line.page or below.y0 - line.y1 > 2 * line.height:
        return False
    return any(ch.isdigit() for ch in below.text) and not any(
        sum(ch.isalpha() for ch in w.text) >= _WORD_LETTERS for w in below.words
    )


_TOTAL_ROLES = ("net_total", "tax_total", "total")
_WORD_LETTERS = 4  # letters of a description's word ("EUR", "GBP" beside an amount have fewer)


def _unmatched(matches: list[LabelMatch], count: int) -> list[int]:
    """Indexes of the words of a line of `count` words that no label match covers."""
    covered = {i for m in matches for i in range(m.start, m.end)}
    return [i for i in range(count) if i not in covered]


def _unread_left_of(words: list[Word], matches: list[LabelMatch], x: float) -> list[int]:
    """Indexes of the header words no label matched, of two letters or more, left of `x`."""
    return [
        i
        for i in _unmatched(matches, len(words))
        if words[i].x1 < x and alnum_count(words[i].text) >= 2
    ]


def _with_unread_left_labels(words: list[Word], matches: list[LabelMatch]) -> list[LabelMatch]:
    """A header whose price and amount labels were read but not the ones before them
    ("hn Cart, Preciolu %DtO Importe"): the word just left of the price names the quantity,
    a word well left of it the description."""
    kinds = {m.kind: m for m in matches}
    if "unit_price" not in kinds or "amount" not in kinds:
        return matches
    left = _unread_left_of(words, matches, words[kinds["unit_price"].start].x0)
    if not left or len(left) > 2:
        return matches
    added = [LabelMatch("quantity", left[-1], left[-1] + 1, 0.5)]
    if len(left) == 2:
        added.append(LabelMatch("description", left[0], left[0] + 1, 0.5))
    return sorted([*matches, *added], key=lambda m: m.start)


def _with_unread_description_label(
    words: list[Word], matches: list[LabelMatch]
) -> list[LabelMatch]:
    """A header whose first label was misread into specks ("lio co  Cant.  Precio  Importe"):
    the leftmost word left of the numeric labels names the description."""
    numeric = [words[m.start].x0 for m in matches if m.kind in _NUMERIC_KINDS]
    left = _unread_left_of(words, matches, min(numeric)) if numeric else []
    if not left:
        return matches
    return sorted(
        [*matches, LabelMatch("description", left[0], left[0] + 1, 0.5)], key=lambda m: m.start
    )


def _with_unread_amount_label(words: list[Word], matches: list[LabelMatch]) -> list[LabelMatch]:
    """A header whose last label, right of all the others, was misread ("Impo1", "oD"): the
    amount. Two letters are enough for a word as wide as a label, not a speck's."""
    last = max(m.end for m in matches)
    after = [i for i in range(last, len(words)) if alnum_count(words[i].text) >= 2]
    right = [i for i in after if alnum_count(words[i].text) >= 3]
    right = right or [i for i in after if _label_wide(words[i])]
    if len(right) != 1:
        return matches
    return [*matches, LabelMatch("amount", right[0], right[0] + 1, 0.5)]


def _label_wide(word: Word) -> bool:
    """Whether a word is at least twice as wide as it is tall, as a label is."""
    return word.x1 - word.x0 >= 2 * (word.y1 - word.y0)


def _repeats_fewer(header: list[Column], earlier: list[Column]) -> bool:
    """True when `header` repeats the earlier one (a table continued on the next page) with
    fewer of its labels read: the earlier, fuller header holds for the rows that follow."""
    if len(header) >= len(earlier):
        return False
    return all(
        any(c.kind == e.kind and abs(c.x0 - e.x0) <= _REPEAT_TOL for e in earlier)
        for c in header
        if c.kind in ITEM_KINDS
    )


# The order item columns are printed in, left to right (that of the EN 16931 line terms: item
# name BT-153, quantity BT-129, unit BT-130, net price BT-146, allowance BT-136, VAT rate BT-152,
# line amount BT-131).
_COLUMN_ORDER = (
    "code",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "discount",
    "vat",
    "amount",
)


def _unread_label_by_order(kind: str, words: list[Word], columns: list[Column]) -> list[Word]:
    """The unmatched header words standing where the missing column `kind` belongs by the usual
    column order, between the nearest read labels before and after it ("Q.tà" read "qui", "Prezzo
    unit." read "tae t"): the label of that column, misread. Nothing when `kind` was read, when a
    neighbour is missing, or when the gap may hold another missing column of numbers."""
    rank = {k: n for n, k in enumerate(_COLUMN_ORDER)}
    present = {c.kind: c for c in columns if c.kind in rank}
    if kind in present:
        return []
    before = [c for c in present.values() if rank[c.kind] < rank[kind]]
    after = [c for c in present.values() if rank[c.kind] > rank[kind]]
    if not before or not after:
        return []
    left = max(before, key=lambda c: rank[c.kind])
    right = min(after, key=lambda c: rank[c.kind])
    if left.kind == "code" or right.kind not in _NUMERIC_KINDS:
        return []
    # Another core numeric column missing in the same gap would make the words ambiguous.
    gap_kinds = [k for k in _COLUMN_ORDER[rank[left.kind] + 1 : rank[right.kind]] if k != kind]
    if any(k in ("quantity", "unit_price") and k not in present for k in gap_kinds):
        return []
    between = [w for w in words if left.x1 < w.x0 and w.x1 < right.x0]
    return between if any(alnum_count(w.text) >= 2 for w in between) else []


def _label_gap(words: list[Word]) -> list[Word]:
    """Two labels' facing words and the words between them; garble lying over either label
    (a rule or the line above read into the header) is left out: it is neither's."""
    first, *between, last = words
    return [first, *(w for w in between if w.x0 >= first.x1 and w.x1 <= last.x0), last]


def _spaced_as_words(words: list[Word]) -> bool:
    """True when `words` follow each other at word spacing, specks ("-", "|") aside.

    "Artículo Descripción" are two columns even when their gap is narrower than a cell gap.
    """
    words = [w for w in words if alnum_count(w.text)]
    height = max((w.y1 - w.y0 for w in words), default=1.0)
    return all(
        b.x0 - a.x1 <= HEADER_WORD_SPACE * height for a, b in zip(words, words[1:], strict=False)
    )


def _dedupe_kinds(columns: list[Column]) -> None:
    """One column per item kind: the rightmost 'amount' and 'description', the first of others.

    "Artículo | Descripción" or "Item | Description": the left one holds codes.
    """
    seen: set[str] = set()
    amounts = [c for c in columns if c.kind == "amount"]
    for col in amounts[:-1]:
        col.kind = "unit_price" if not any(c.kind == "unit_price" for c in columns) else "other"
    for col in [c for c in columns if c.kind == "description"][:-1]:
        col.kind = "code"
    for col in columns:
        if col.kind in seen and col.kind != "other":
            col.kind = "other"
        seen.add(col.kind)


def with_wrapped_labels(lines: list[Line], i: int, columns: list[Column]) -> list[Column]:
    """A head whose labels wrap onto the line under it ("Part" / "no.", "Cód." / "artículo"):
    its columns read with those words under theirs, when that finds a column more."""
    line = lines[i]
    if i + 1 >= len(lines):
        return columns
    below = lines[i + 1]
    if (
        below.page != line.page
        or below.y0 - line.y1 > 0.8 * line.height
        or any(ch.isdigit() for ch in below.text)
    ):
        return columns

    def place(word: Word) -> tuple[float, int, float]:
        """Upper words by their place; a lower one right after the upper word over it."""
        over = [u for u in line.words if x_overlap(u.x0, u.x1, word.x0, word.x1) > 0]
        anchor = max(over, key=lambda u: x_overlap(u.x0, u.x1, word.x0, word.x1)) if over else None
        return (anchor.x0, 1, word.x0) if anchor is not None else (word.x0, 1, word.x0)

    words = sorted(
        [*line.words, *below.words],
        key=lambda w: (w.x0, 0, 0.0) if w in line.words else place(w),
    )
    slashes = [*line.slashes, *below.slashes]
    joined = header_columns(Line(words, line.index, split_cells(words), slashes))
    return joined if joined is not None and len(joined) > len(columns) else columns


def _with_split_off_labels(lines: list[Line], i: int, columns: list[Column]) -> list[Column]:
    """A header OCR split into two lines on a skewed page ("Cantidad Precio Importe" a little
    above "Artículo Descripción"): its columns with the labels of the line just above or below
    that lies wholly left of them."""
    line = lines[i]
    for k in (i + 1, i - 1):
        if not 0 <= k < len(lines) or lines[k].page != line.page:
            continue
        other = lines[k]
        if abs(other.y0 - line.y0) > line.height or other.x1 >= min(c.x0 for c in columns):
            continue
        words = sorted([*line.words, *other.words], key=lambda w: w.x0)
        slashes = [*line.slashes, *other.slashes]
        joined = header_columns(Line(words, line.index, split_cells(words), slashes))
        if joined is not None and any(c.kind == "description" for c in joined):
            return joined
    return columns


def _header_wrap(line: Line, header: Line, columns: list[Column]) -> bool:
    """Whether `line` is the second line of a wrapped header (label words right under it)."""
    if line.page != header.page or line.y0 - header.y1 > 0.8 * header.height:
        return False
    if find_amounts(line.text):
        return False
    matches = match_column_labels([w.text for w in line.words])
    words = [w for w in line.words if re.search(r"\w", w.text)]
    return (
        bool(matches)
        and sum(m.end - m.start for m in matches) >= 0.5 * len(words)
        and not any(c.kind == "description" and c.x0 - 1 <= line.x0 <= c.right for c in columns)
        or all(_is_label_word(w.text) for w in words)
        or _tucked_under_labels(line, header, columns)
    )


_WRAP_GAP = 0.25  # of the header's height: a label's own next line, no row's padding


def _tucked_under_labels(line: Line, header: Line, columns: list[Column]) -> bool:
    """A label's words wrapped onto the line right under it ("Désignation des" over
    "prestations"): set as close as lines of one cell, each word under a label's own extent."""
    if line.y0 - header.y1 > _WRAP_GAP * header.height:
        return False
    return all(any(c.x0 - 1 <= w.x0 and w.x1 <= c.x1 + 1 for c in columns) for w in line.words)


def _is_label_word(text: str) -> bool:
    return fold(text).strip(".:()%€ ") in {
        "unitario",
        "unit",
        "unitaire",
        "ud",
        "unidad",
        "(€)",
        "eur",
    }
