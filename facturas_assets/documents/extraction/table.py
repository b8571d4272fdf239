"""Line items from any layout: a header row names the columns, rows follow until the totals."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from facturas_assets.documents.extraction.labels import (
    TOTAL_KINDS,
    LabelMatch,
    match_column_labels,
    match_field_labels,
)
from facturas_assets.documents.extraction.layout import Cell, Line, split_cells
from facturas_assets.documents.extraction.lexicon import ALL_PAGE_OF, ALL_PAGE_WORDS
from facturas_assets.documents.extraction.number_cells import split_numbers
from facturas_assets.documents.extraction.numbers import find_amounts
from facturas_assets.documents.extraction.text import alnum_count, fold, squash
from facturas_assets.documents.model import InvoiceLine, Word

ITEM_KINDS = ("description", "quantity", "unit_price", "amount")
_NUMERIC_KINDS = {"quantity", "unit_price", "amount", "discount", "vat"}
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
# Two header words this many word heights apart or more name two columns (a space is ~0.3 em).
HEADER_WORD_SPACE = 0.6
_REPEAT_TOL = 12.0  # points a label may move between a header and its repetition
# An article code (EN 16931 BT-155/BT-156, the seller's or buyer's item identifier): one token
# without small letters or spaces, holding a digit or made of parts joined by a separator
# ("A-1", "4711.20", "XK/300"). Codes differ with every catalogue; this is only their shape.
_CODE = re.compile(
    r"^(?=.*[A-Z0-9]{2})(?:(?=[^a-z]*\d)[A-Z0-9][A-Z0-9\-./_]{2,24}|[A-Z0-9]+(?:[-./_][A-Z0-9]+)+)$"
)
# A short code of capitals ("KM", "DIET", "MO1"), taken out only beside dashed ones.
_SHORT_CODE = re.compile(r"^(?=.*[A-Z])[A-Z0-9]{2,6}$")
_MIN_CODED, _CODED_SHARE = 2, 0.5
_CODE_SPECKS = "'\"‘’“”`´!¡|.,:;"  # what OCR reads glued to a code from a rule or dirt
# A description word whose letters are this many times taller and wider than the row's median
# ones is a stamp's: item rows are set in one size.
STAMP_SCALE = (1.8, 2.0)
RULE_WIDTH = 0.2  # of the row's median word height: no glyph is that narrow
_PERCENT = re.compile(r"^[-+]?\d+(?:[.,]\d+)?\s?%$")


@dataclass(slots=True)
class Column:
    """A table column: what it holds and its header's horizontal extent."""

    kind: str
    x0: float
    x1: float
    left: float = float("-inf")  # zone boundaries between neighbouring headers
    right: float = float("inf")


@dataclass(slots=True)
class Table:
    """The extracted items, which lines they used, and a confidence for the whole table."""

    lines: list[InvoiceLine] = field(default_factory=list)
    used_lines: set[int] = field(default_factory=set)
    confidence: float = 0.0
    found_header: bool = False
    # Per line, its discount percent: 0 without one (or without a discount column), None where
    # the discount cell was unreadable.
    discounts: list[Decimal | None] = field(default_factory=list)


@dataclass(slots=True)
class _Row:
    description: list[str]
    quantity: Decimal | None
    unit_price: Decimal | None
    amount: Decimal | None
    confidence: float
    line: int = -1  # the line holding its amount
    discount: Decimal | None = None  # percent, where the table has a discount column
    code: str | None = None  # an article code heading its description cells, if any


def header_columns(line: Line) -> list[Column] | None:
    """The columns of `line` when it is a table header row, else None."""
    texts = [w.text for w in line.words]
    matches = match_column_labels(texts)
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
        one_label = prev_match is not None and _spaced_as_words(
            _label_gap(line.words[prev_match.end - 1 : m.start + 1])
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
    if not {"tax_total", "total"} <= kinds or not any(
        m.strength >= 1.0 for m in found if m.kind in ("tax_total", "total")
    ):
        return False
    below = lines[i + 1] if i + 1 < len(lines) else None
    if below is None or below.page != line.page or below.y0 - line.y1 > 2 * line.height:
        return False
    return any(ch.isdigit() for ch in below.text) and not any(
        sum(ch.isalpha() for ch in w.text) >= _WORD_LETTERS for w in below.words
    )


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


# A currency's ISO 4217 code before or after an amount in cents ("DKK 800.00", "5 000,00
# NOK"), any currency: the shape alone ("SRV 84", "SKF 6205" are codes, no money).
_CURRENCY_CODE = re.compile(r"^[A-Z]{3}\s(?=-?\d)|(?<=\d)\s[A-Z]{3}$")


# A quantity or price written with four decimals or more ("1,00000000", "25,000000 €"): no
# thousands separator groups so many digits, whichever the sign.
_LONG_DECIMAL = re.compile(
    r"^(?:[A-Z]{3}\s?|[€$£]\s?)?(-?\d+)[.,](\d{4,})(?:\s?[€$£]|\s[A-Z]{3})?$"
)


def _long_decimal(text: str) -> Decimal | None:
    m = _LONG_DECIMAL.match(text.strip())
    return Decimal(f"{m[1]}.{m[2]}") if m else None


@lru_cache(maxsize=1 << 16)  # a row's cells are tried in many cuts and rows: texts repeat
def _is_numeric(text: str, decimal_hint: str | None) -> bool:
    """Whether a cell's text is one number (an amount, a percent, a long decimal)."""
    t = text.strip()
    if _PERCENT.match(t) or _long_decimal(t) is not None:
        return True
    bare = _CURRENCY_CODE.sub("", t)
    found = find_amounts(bare, decimal_hint)
    whole = len(found) == 1 and found[0].start == 0 and found[0].end == len(bare)
    return whole and (bare == t or found[0].has_decimals)


Anchors = list[tuple[float, Column]]  # right edge of a column of numbers -> its header
_ALIGN_TOL = 6.0  # points between right edges of numbers in one column
_GARBLED_LABELS = 0.6  # mean OCR confidence under which a header's other words are unread
_NUMBERED_ROWS = 12  # lines under a header read to place its columns by their numbers
_EDGE_TOL = 2.0  # points past the last header's right edge where a table's frame begins
_FRAME_MARKS = {"1", "i", "I", "l", "|", "!", "¡"}  # a vertical rule as OCR reads it
_SKIP_COST = 40.0


def fit_numbers(
    lines: list[Line],
    start: int,
    columns: list[Column],
    decimal_hint: str | None,
    headers: list[list[Column] | None],
) -> Anchors:
    """Where the numbers of the rows under a header really sit, matched to the header's columns.

    Numbers are usually right-aligned while their headers are not: the right edges of the
    numeric cells under the header are clustered and the clusters paired, in left-to-right
    order, with the non-description columns they line up best with.
    """
    rows = _number_rows(
        lines,
        start,
        decimal_hint,
        until=lambda line: headers[line.index] is not None,
        columns=columns,
    )
    clusters = _right_aligned([cell for row in rows for cell in row])
    reps = [cluster[len(cluster) // 2].x1 for cluster in clusters]
    targets = [c for c in columns if c.kind in _NUMERIC_KINDS]  # a code column holds no numbers
    return _align(reps, targets)


def _number_rows(
    lines: list[Line],
    start: int,
    decimal_hint: str | None,
    until: Callable[[Line], bool] = lambda line: False,
    limit: int | None = None,
    columns: list[Column] | None = None,
) -> list[list[Cell]]:
    """The numeric cells of the lines under a header that hold two numbers or more, up to the
    page's end, the totals, a line `until` says ends them or `limit` lines."""
    rows = []
    stop = None if limit is None else start + 1 + limit
    for line in lines[start + 1 : stop]:
        if line.page != lines[start].page or until(line):
            break
        if any(m.kind in TOTAL_KINDS for m in match_field_labels([w.text for w in line.words])):
            break
        cells, _ = _number_cells(split_cells(line.words), columns, decimal_hint)
        numeric = [c for c in cells if _is_numeric(c.text, decimal_hint)]
        if len(numeric) >= 2:
            rows.append(numeric)
    return rows


def _number_cells(
    cells: list[Cell], columns: list[Column] | None, decimal_hint: str | None
) -> tuple[list[Cell], list[Cell]]:
    """A line's cells with the numbers of neighbouring columns run into one cell apart, and
    the unit words and codes found between them."""

    def zone(x: float) -> Column | None:
        """The column whose zone holds `x`."""
        return next((c for c in columns or () if c.left <= x < c.right), None)

    desc = next((c for c in columns or () if c.kind == "description"), None)
    out: list[Cell] = []
    tags: list[Cell] = []
    for cell in cells:
        split, found = split_numbers(
            [cell], lambda text: _is_numeric(text, decimal_hint), zone if columns else None
        )
        if found and (desc is None or cell.x0 < desc.right):
            split, found = [cell], []  # "1 Variador 7,5 kW", "6500 n. 13": a description's
        out += split
        tags += found
    return out, tags


def _right_aligned(cells: list[Cell]) -> list[list[Cell]]:
    """Cells grouped by their right edges (numbers are right-aligned), left to right, each
    group sorted by its right edges."""
    clusters: list[list[Cell]] = []
    for cell in sorted(cells, key=lambda c: c.x1):
        if clusters and cell.x1 - clusters[-1][-1].x1 <= _ALIGN_TOL:
            clusters[-1].append(cell)
        else:
            clusters.append([cell])
    return clusters


def _align(reps: list[float], targets: list[Column]) -> Anchors:
    """Order-preserving pairing of number clusters and columns with the least misalignment."""
    n, m = len(reps), len(targets)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: dict[tuple[int, int], tuple[int, int, bool]] = {}
    cost[0] = [0.0] * (m + 1)
    for i in range(1, n + 1):
        cost[i][0] = cost[i - 1][0] + _SKIP_COST
        back[(i, 0)] = (i - 1, 0, False)
        for j in range(1, m + 1):
            col = targets[j - 1]
            x = reps[i - 1]
            pair = min(abs(x - col.x1), abs(x - (col.x0 + col.x1) / 2 - 0.0), abs(x - col.right))
            options = [
                (cost[i - 1][j - 1] + pair, (i - 1, j - 1, True)),
                (cost[i - 1][j] + _SKIP_COST, (i - 1, j, False)),
                (cost[i][j - 1], (i, j - 1, False)),
            ]
            cost[i][j], back[(i, j)] = min(options, key=lambda o: o[0])
    anchors: Anchors = []
    i, j = n, m
    while i > 0 and j >= 0 and (i, j) in back:
        pi, pj, paired = back[(i, j)]
        if paired:
            anchors.append((reps[i - 1], targets[j - 1]))
        i, j = pi, pj
    return sorted(anchors, key=lambda a: a[0])


def _assign(
    cells: list[Cell], columns: list[Column], decimal_hint: str | None, anchors: Anchors = ()
) -> dict[str, list[Cell]]:
    """Cells of a body line by column kind: numbers by their aligned right edge, text by its
    left edge."""
    by_kind: dict[str, list[Cell]] = {}
    desc = next((c for c in columns if c.kind == "description"), None)
    cells, tags = _number_cells(cells, columns, decimal_hint)
    cells = _split_at_code_column(cells, columns, decimal_hint)
    cells, marked = _quantity_unit_code(cells, columns, decimal_hint)
    cells = _split_trailing_number(cells, anchors, decimal_hint)
    tag_ids = {id(t) for t in tags}
    marked += [(c, "unit") for c in cells if id(c) in tag_ids]
    cells = [c for c in cells if id(c) not in tag_ids]
    for cell, kind in marked:
        by_kind.setdefault(kind, []).append(cell)
    numeric_cells = {id(c) for c in cells if _is_numeric(c.text, decimal_hint)}
    aligned = {
        id(c): col
        for c in cells
        if id(c) in numeric_cells and (col := _aligned_column(c, anchors)) is not None
    }
    text_end = _description_end(cells, desc, columns, aligned)
    # Percentages in a table with neither a discount nor a VAT column: a discount column whose
    # label OCR misread ("%VDto").
    unlabelled_percent = not any(c.kind in {"discount", "vat"} for c in columns)
    for cell in cells:
        if unlabelled_percent and cell.x0 >= text_end and _PERCENT.match(cell.text.strip()):
            by_kind.setdefault("discount", []).append(cell)
            continue
        numeric = id(cell) in numeric_cells
        col = aligned.get(id(cell))
        if (
            col is None
            and desc is not None
            and desc.x0 - _ALIGN_TOL <= cell.x0 < text_end
            and not _tiny([cell])  # a lone "1" left of a column rule is the rule
        ):
            col = desc
        if col is None:
            first = cell.words[0]  # text by its first word's middle, a number by its own
            anchor = (cell.x0 + cell.x1) / 2 if numeric else (first.x0 + first.x1) / 2
            col = next((c for c in columns if c.left <= anchor < c.right), columns[-1])
        if not numeric and desc is not None and col.kind in _NUMERIC_KINDS and cell.x0 < desc.right:
            col = desc
        if col.kind == "code" and desc is not None and cell.x1 > desc.left and _prose_like(cell):
            col = desc  # "Descuento comercial 3 %" from the code column on: a description
        by_kind.setdefault(col.kind, []).append(cell)
    return by_kind


def _split_trailing_number(
    cells: list[Cell], anchors: Anchors, decimal_hint: str | None
) -> list[Cell]:
    """A description run up to the next column's number one space before it ("... carde
    Trützschler TC 2,00"): the last word, a number lined up with a column of numbers that no
    other cell of the row fills, is that column's value."""
    out: list[Cell] = []
    for cell in cells:
        *head, last = cell.words
        tail = Cell([last])
        col = _aligned_column(tail, anchors) if head else None
        if (
            col is None
            or not _is_numeric(last.text, decimal_hint)
            or _is_numeric(Cell(head).text, decimal_hint)
            or _is_numeric(cell.text, decimal_hint)  # "DKK 400.00": one number already
            or any(_aligned_column(c, anchors) is col for c in cells if c is not cell)
        ):
            out.append(cell)
            continue
        out += [Cell(head), tail]
    return out


_UNIT_WORD = re.compile(r"^[^\W\d_]{1,10}\.?$")  # "h", "ud", "kg", "Std.", "servicio"


def _quantity_unit_code(
    cells: list[Cell], columns: list[Column], decimal_hint: str | None
) -> tuple[list[Cell], list[tuple[Cell, str]]]:
    """A quantity with its unit and article code in one cell, left of the description column
    ("6 pcs", "1.00 job SRV-96 Planned ..."): the number stays a cell; the unit and the code
    after it, short of the description column, are set apart (returned with their kinds); the
    words from the description column on make a cell of their own."""
    desc = next((c for c in columns if c.kind == "description"), None)
    qty = next((c for c in columns if c.kind == "quantity"), None)
    if desc is None or qty is None or qty.x0 > desc.x0:
        return cells, []
    out: list[Cell] = []
    marked: list[tuple[Cell, str]] = []
    for cell in cells:
        first, *rest = cell.words
        if not rest or not _is_numeric(first.text, decimal_hint) or first.x1 > desc.left:
            out.append(cell)
            continue
        k = 0
        tagged: list[tuple[Cell, str]] = []
        while k < len(rest) and (rest[k].x0 + rest[k].x1) / 2 < desc.left:
            text = rest[k].text.strip(_CODE_SPECKS)
            kind = "unit" if _UNIT_WORD.match(text) else "code" if _CODE.match(text) else ""
            if not kind:
                break
            tagged.append((Cell([rest[k]]), kind))
            k += 1
        if not tagged or (k < len(rest) and (rest[k].x0 + rest[k].x1) / 2 < desc.left):
            out.append(cell)  # text left of the description column: not a quantity's unit
            continue
        out.append(Cell([first]))
        marked += tagged
        if k < len(rest):
            out.append(Cell(rest[k:]))
    return out, marked


def _split_at_code_column(
    cells: list[Cell], columns: list[Column], decimal_hint: str | None = None
) -> list[Cell]:
    """A code and its description OCR read as one cell ("VAR-AUX Tornillería ..."), or a
    quantity set close before its description ("1.00 Replacement of ..."): split where the
    words' middles cross into the description column (after a quantity, only its number)."""
    desc = next((k for k, c in enumerate(columns) if c.kind == "description"), None)
    left = columns[desc - 1] if desc else None
    if left is None or left.kind not in ("code", "quantity") or left.right != columns[desc].left:
        return cells
    out = []
    for cell in cells:
        cut = next((k for k, w in enumerate(cell.words) if (w.x0 + w.x1) / 2 >= left.right), None)
        if (
            cell.x0 < left.right
            and cut
            and (
                left.kind == "code"
                and _code_like(Cell(cell.words[:cut]))  # "Descuento comercial": no code
                or _is_numeric(" ".join(w.text for w in cell.words[:cut]), decimal_hint)
            )
        ):
            out += [Cell(cell.words[:cut]), Cell(cell.words[cut:])]
        else:
            out.append(cell)
    return out


def _aligned_column(cell: Cell, anchors: Anchors) -> Column | None:
    """The numeric column whose right edge `cell` (a number) lines up with, if any."""
    if not anchors:
        return None
    x, near = min(anchors, key=lambda a: abs(a[0] - cell.x1))
    return near if abs(x - cell.x1) <= 2 * _ALIGN_TOL else None


def _description_end(
    cells: list[Cell], desc: Column | None, columns: list[Column], aligned: dict[int, Column]
) -> float:
    """Where a row's description text may run to: the start of the numeric column after it.

    A long description runs past the midpoint between its header and the next one. When the
    next column holds numbers, text left of that column's value in this row (or, with no value
    here, left of its header) is still description.
    """
    after = [c for c in columns if desc is not None and c.x0 > desc.x0]
    if not after or after[0].kind not in _NUMERIC_KINDS:
        return desc.right if desc is not None else float("-inf")
    placed = [cell.x0 for cell in cells if aligned.get(id(cell)) is after[0]]
    return min(placed) if placed else after[0].x0


def _percent(cells: list[Cell] | None, decimal_hint: str | None) -> Decimal | None:
    """A discount cell's percentage ("10,00%", "5 %", "15"): 0 where the cell is empty, None
    where its text is no percentage."""
    if not cells:
        return Decimal(0)
    found = find_amounts(" ".join(c.text for c in cells).replace("%", " "), decimal_hint)
    value = found[-1].value if found else None
    return value if value is not None and 0 <= value < 100 else None


def _value(cells: list[Cell] | None, decimal_hint: str | None) -> Decimal | None:
    if not cells:
        return None
    text = " ".join(c.text for c in cells)
    found = find_amounts(text, decimal_hint)
    if not found:
        return _long_decimal(text)
    *before, last = found
    if before and before[-1].has_decimals and not last.has_decimals and abs(last.value) < 10:
        return before[-1].value  # "33,92€1": a speck after the amount, read as a digit
    return last.value


def _ends_table(line: Line, by_kind: dict[str, list[Cell]], decimal_hint: str | None) -> bool:
    """Whether a body line is the totals block: it starts with a totals label ("Base imponible",
    "Cuota IVA (21 %)", whatever column its numbers fall in), or holds one and no quantity or
    unit price."""
    labels = match_field_labels([w.text for w in line.words])
    first = next((m for m in labels if m.start == 0), None)
    if first is not None and first.kind in TOTAL_KINDS and first.strength >= 1.0:
        return not _item_naming_a_total(line, first, by_kind, decimal_hint)
    if any(_value(by_kind.get(k), decimal_hint) is not None for k in ("quantity", "unit_price")):
        return False
    return any(m.kind in TOTAL_KINDS for m in labels)


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


def extract_table(lines: list[Line], decimal_hint: str | None, ocr: bool = False) -> Table:
    """Line items of the document's item table(s), continued across pages.

    On OCR'd pages, a stamp's words read into a description are left out of it."""
    table = Table()
    rows: list[_Row] = []
    pending: list[str] = []
    columns: list[Column] | None = None
    anchors: Anchors = []
    headers = [header_columns(line) for line in lines]  # lines[i].index == i
    seen_header = False
    for i, cols in enumerate(headers):
        if cols is not None and _totals_band(lines, i):
            headers[i] = cols = None
        if cols is not None and not any(c.kind == "description" for c in cols):
            headers[i] = _with_split_off_labels(lines, i, cols)
        elif cols is None:
            headers[i] = columns_from_numbers(lines, i, decimal_hint, first=not seen_header)
        if headers[i] is not None:
            headers[i] = _text_columns_by_rows(lines, i, headers[i], decimal_hint)
        seen_header = seen_header or headers[i] is not None
    state = "closed"  # open: reading rows; paused: table may go on next page; closed: done
    skipping = False  # on a continued page, lines before its first row (letterhead, page no.)
    i = 0
    while i < len(lines):
        line = lines[i]
        cols = headers[i]
        if cols is not None and columns is not None and _repeats_fewer(cols, columns):
            cols = [Column(c.kind, c.x0, c.x1, c.left, c.right) for c in columns]
        if cols is not None:
            columns, state, skipping = cols, "open", False
            anchors = fit_numbers(lines, i, columns, decimal_hint, headers)
            table.found_header = True
            table.used_lines.add(line.index)
            i += 1
            # A header wrapped onto a second line ("Precio" / "unitario"): words only.
            while i < len(lines) and _header_wrap(lines[i], line, columns):
                table.used_lines.add(lines[i].index)
                i += 1
            continue
        i += 1
        if state == "closed" or columns is None:
            continue
        prev = lines[i - 2] if i >= 2 else line
        if line.page != prev.page:
            if _row_ahead(lines, i - 1, line.page, columns, decimal_hint, anchors, headers):
                state, skipping = "open", True
            else:
                state = "closed"
                continue
        if state != "open":
            continue
        words = _without_frame(line.words, columns, ocr)
        if not words:
            continue  # the table's frame only
        if _sideways(words):
            continue  # a margin note set sideways, read upwards: no row's words
        by_kind = _assign(split_cells(words), columns, decimal_hint, anchors)
        if _ends_table(line, by_kind, decimal_hint):
            state = "closed"
            continue
        if _is_carry(line):
            table.used_lines.add(line.index)
            continue
        if _PAGE_NUMBER.match(fold(line.text)) or _bare_page_number(line, columns):
            # "Página 1 de 2" under the rows ends them on this page (its 2 is no amount).
            state = "open" if skipping else "paused"
            continue
        amount_kind = "amount"
        amount = _value(by_kind.get("amount"), decimal_hint)
        if amount is None and not any(c.kind == "amount" for c in columns):
            amount_kind = "unit_price"  # a table without an amount column: the price is it
            amount = _value(by_kind.get(amount_kind), decimal_hint)
        desc_text = _description_text(by_kind.get("description", []), line, ocr)
        quantity = _value(by_kind.get("quantity"), decimal_hint)
        unit_price = _value(by_kind.get("unit_price"), decimal_hint)
        if amount is not None and len(by_kind) == 1 and _tiny(by_kind[amount_kind]):
            continue  # a lone digit in the amount column: a stamp's, not an item's
        # A row whose amount OCR garbled still has its quantity and price: it is kept (amount
        # unknown) rather than taken for the end of the table with every row after it.
        if amount is not None or (quantity is not None and unit_price is not None and desc_text):
            skipping = False
            rows.append(
                _Row(
                    description=[*pending, desc_text] if desc_text else pending[:],
                    quantity=quantity,
                    unit_price=unit_price,
                    amount=amount,
                    confidence=min(w.confidence for w in line.words),
                    line=line.index,
                    discount=_percent(by_kind.get("discount"), decimal_hint),
                    code=_leading_code(by_kind.get("description", []), columns),
                )
            )
            pending = []
            table.used_lines.add(line.index)
            continue
        if skipping:
            continue
        if _is_noise(line):
            continue  # a rule drawn with dashes or underscores, or what OCR made of one
        text_only = (
            desc_text
            and all(
                kind in {"description", "code", "other", "unit"} or _tiny(cells) or _specks(cells)
                for kind, cells in by_kind.items()
            )
            and not _money_cell(by_kind.get("description", []), decimal_hint)
        )
        gap = line.y0 - prev.y1 if line.page == prev.page else 0.0
        if not text_only or gap > 2.0 * line.height:
            if _row_ahead(
                lines,
                i,
                line.page,
                columns,
                decimal_hint,
                anchors,
                headers,
                limit=_LOOKAHEAD,
                totals_end=True,
            ):
                continue  # a stamp or speck among the rows, not the end of the table
            state = "paused"  # a note or footer under the rows; the table may go on next page
            continue
        if (
            rows
            and not pending
            and not _heads_next_row(lines, i - 1, columns, decimal_hint, anchors)
        ):
            rows[-1].description.append(desc_text)
        else:
            pending.append(desc_text)
        table.used_lines.add(line.index)
    rows = _without_subtotal(rows, table.used_lines, [ln.page for ln in lines])
    _strip_code_column(rows)
    for row in rows:
        desc = _without_leading_specks(squash(_joined_lines(row.description))) or None
        table.lines.append(InvoiceLine(desc, row.quantity, row.unit_price, row.amount))
        table.discounts.append(row.discount)
    if rows:
        consistent = sum(1 for r in rows if _row_consistent(r)) / len(rows)
        ocr = min(r.confidence for r in rows)
        table.confidence = round((0.6 + 0.35 * consistent) * ocr, 3)
    return table


_PROSE_ROWS = 0.5  # share of rows whose text runs on from the code column: no code column


def _item_rows(lines: list[Line], i: int, decimal_hint: str | None) -> list[list[Cell]]:
    """The cells of the first item rows under header line `i` (lines holding two numbers or
    more), on its page and before the totals."""
    rows = []
    for line in lines[i + 1 : i + 1 + _NUMBERED_ROWS]:
        if line.page != lines[i].page:
            break
        if any(m.kind in TOTAL_KINDS for m in match_field_labels([w.text for w in line.words])):
            break
        cells = split_cells(line.words)
        if sum(_is_numeric(c.text, decimal_hint) for c in cells) >= 2:
            rows.append(cells)  # an item row holds its numbers; a wrapped line or a note not
    return rows


def _first_word(cell: Cell) -> str:
    """A cell's first word of letters or digits, without the specks around it."""
    texts = [w.text.strip(_CODE_SPECKS) for w in cell.words]
    return next((t for t in texts if alnum_count(t)), "")


def _split_leading_numbers(cells: list[Cell], decimal_hint: str | None) -> list[Cell]:
    """Cells whose first word is a number set close before text ("4,00 Cambio de ..."): the
    number and the text apart."""
    out = []
    for cell in cells:
        if len(cell.words) > 1 and _is_numeric(cell.words[0].text, decimal_hint):
            out += [Cell(cell.words[:1]), Cell(cell.words[1:])]
        else:
            out.append(cell)
    return out


def _code_like(cell: Cell) -> bool:
    """A cell headed by an article code or a position number ("SRV-20", "12")."""
    first = _first_word(cell)
    return bool(_CODE.match(first) or _SHORT_CODE.match(first)) or any(ch.isdigit() for ch in first)


def _prose_like(cell: Cell) -> bool:
    """A cell of text headed by a word with small letters and no digits ("Reparación ...")."""
    first = _first_word(cell)
    return any(ch.islower() for ch in first) and not any(ch.isdigit() for ch in first)


def _text_columns_by_rows(
    lines: list[Line], i: int, columns: list[Column], decimal_hint: str | None
) -> list[Column]:
    """The header's text columns set right by the rows under it.

    Where the rows hold codes under the description label and text under a code label (two
    labels of the description's words, "Artículo | Servicio | Artículo", the rightmost taken
    for the description), the two swap. A code column (or one of unknown use) right before
    the description whose rows hold no codes (nor position numbers) but text running on from
    it into the description, in one cell ("Descripción del trabajo" or "Artículo Servicio"
    read as two labels), or text with nothing under the description label, is part of the
    description column."""
    rows = [
        [
            c
            for c in _split_leading_numbers(row, decimal_hint)
            if not _is_numeric(c.text, decimal_hint)
        ]
        for row in _item_rows(lines, i, decimal_hint)
    ]
    text_cells = [c for row in rows for c in row]

    def counts(col: Column) -> tuple[int, int]:
        cells = [c for c in text_cells if col.left <= c.x0 < col.right]
        return sum(map(_code_like, cells)), sum(map(_prose_like, cells))

    k = next((n for n, c in enumerate(columns) if c.kind == "description"), None)
    if k is None:
        return columns
    coded, prose = counts(columns[k])
    if coded > prose:
        texts = [c for c in columns if c.kind in ("code", "other")]
        swap = next((c for c in texts if counts(c)[1] > counts(c)[0]), None)
        if swap is not None:
            columns[k].kind, swap.kind = "code", "description"
            k = columns.index(swap)
    if k == 0 or columns[k - 1].kind not in ("code", "other"):
        return columns
    code, desc = columns[k - 1], columns[k]
    # Each row's first text cell under the code label.
    heads = [next((c for c in row if code.left <= c.x0 < code.right), None) for row in rows]

    def running_on(c: Cell) -> bool:
        """Text in one cell from under the code label into the description's column, headed
        by a word of capitals ("PARIS Guest Chair") or of small letters. In a text layer
        only: OCR may run a short code and its description together."""
        words = [w for w in c.words if alnum_count(w.text)]
        if c.x1 <= desc.x0 or len(words) < 2 or not _prose_like(Cell(words[1:])):
            return False
        if any(w.confidence < 1.0 for w in words):
            return False
        first = _first_word(c)
        return not _CODE.match(first) and not any(ch.isdigit() for ch in first)

    coded = sum(1 for c in heads if c is not None and _code_like(c) and not running_on(c))
    # Text running on into the description, or standing alone: nothing under the description.
    prose = sum(
        1
        for c, row in zip(heads, rows, strict=True)
        if c is not None
        and (
            running_on(c)
            or not _code_like(c)
            and _prose_like(c)
            and (c.x1 > desc.x0 or not any(desc.left <= o.x0 < desc.right for o in row))
        )
    )
    if prose == 0 or prose < _PROSE_ROWS * (prose + coded) or coded >= prose:
        return columns
    merged = Column("description", code.x0, desc.x1, code.left, desc.right)
    return [*columns[: k - 1], merged, *columns[k + 1 :]]


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
        for w in words
        if (w.x0 <= right or alnum_count(w.text) > 1)
        and not (w.x1 <= left and w.text in _FRAME_MARKS)
    ]


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


def _leading_code(cells: list[Cell], columns: list[Column]) -> str | None:
    """The first of a row's description cells when it is an article code ("SRV-27", "ESC-CB")
    standing apart from the text, in a table whose code column's label was unreadable."""
    cells = [c for c in cells if not _tiny([c])]  # "! SRV-90": a rule's speck before it
    if len(cells) < 2 or any(c.kind == "code" for c in columns):
        return None
    words = [w.text for w in cells[0].words]
    while len(words) > 1 and alnum_count(words[0]) <= 1:
        words.pop(0)  # "I SRV-73": a rule's speck read just before it, in its cell
    if len(words) != 1:
        return None
    first = words[0].strip(_CODE_SPECKS)
    return first if _CODE.match(first) or _SHORT_CODE.match(first) else None


def _strip_code_column(rows: list[_Row]) -> None:
    """Codes heading most rows' descriptions make a column of their own: taken out."""
    coded = [row for row in rows if row.code]
    sure = [row for row in coded if _CODE.match(row.code or "")]
    if len(sure) < _MIN_CODED or len(sure) < _CODED_SHARE * len(rows):
        return  # short codes ("KM", "DIET") go only with a column of dashed ones
    for row in coded:
        for k, text in enumerate(row.description):
            # The row's own line (after wrapped lines before it), specks before the code aside.
            head, found, rest = text.partition(row.code or "")
            if found and alnum_count(head) <= 1 and len(head.split()) <= 1:
                row.description[k] = rest.strip(_CODE_SPECKS + " ")
                break


_BROKEN_AT_HYPHEN = re.compile(r"\w-$")


def _joined_lines(parts: list[str]) -> str:
    """A description's lines as one text. A line ending in a hyphen within a word ("SB-" over
    "D 50", "8M-" over "1200") was broken after the hyphen: the word goes on without a space."""
    text = ""
    for part in parts:
        glue = "" if not text or _BROKEN_AT_HYPHEN.search(text) else " "
        text += glue + part.strip()
    return text


def _without_leading_specks(text: str) -> str:
    """A description without the bullets or OCR specks ("-", "!", "¡") before its first word."""
    words = text.split(" ")
    while len(words) > 1 and len(words[0]) == 1 and not words[0].isalnum():
        words.pop(0)
    return " ".join(words)


def _without_subtotal(rows: list[_Row], used: set[int], pages: list[int]) -> list[_Row]:
    """The rows up to the first that only sums those above it: the net total, read as an item
    because its label was unreadable (a stamp over it). Its lines are handed back.

    A sum closing a page whose table goes on on the next ("Balance c/f") is a running subtotal
    carried over: only that row is left out."""
    running = Decimal(0)
    kept: list[_Row] = []
    for k, row in enumerate(rows):
        first_priced = len(kept) >= 2 or (len(kept) == 1 and kept[0].quantity is not None)
        if (
            row.amount is not None
            and first_priced
            and row.quantity is None
            and row.unit_price is None
            and row.amount == running
        ):
            if k + 1 < len(rows) and pages[rows[k + 1].line] > pages[row.line]:
                used.discard(row.line)
                continue
            used.difference_update(i for i in list(used) if i >= row.line)
            return kept
        kept.append(row)
        if row.amount is not None:  # a priced row whose amount was unreadable sums nothing
            running += row.amount
    return kept


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


def _specks(cells: list[Cell]) -> bool:
    """Cells of one- or two-letter specks ("Av)" beside a wrapped description: a stamp's
    remnant); a longer unreadable word in a number's column ("TUE") may be its value."""
    return all(alnum_count(c.text) < 3 and not re.search(r"\d", c.text) for c in cells)


def _tiny(cells: list[Cell]) -> bool:
    """Cells that hold no value: a lone digit or letter left of a column rule ("1", "l")."""
    return all(alnum_count(c.text) <= 1 for c in cells)


_LOOKAHEAD = 5  # bands of text


def _is_carry(line: Line) -> bool:
    """A running subtotal carried over a page break ("Suma y sigue 1.234,00")."""
    words = [w.text for w in line.words if not re.search(r"\d", w.text)]
    text = fold(line.text)
    if _CARRY_PHRASE.match(text):
        return len(words) <= 6
    return len(words) <= 3 and bool(_CARRY_WORD.match(text)) and bool(find_amounts(line.text))


def columns_from_numbers(
    lines: list[Line], i: int, decimal_hint: str | None, first: bool = False
) -> list[Column] | None:
    """A header whose description label alone was read (a dark header band a scan destroyed,
    "Descrizione 1% mora Deis costa"): its numeric columns from the numbers under it, right to
    left the amount, a column of percentages as the discount, the unit price, the quantity.

    Before the document's `first` header, where no description line can wrap onto a label
    word, the label alone or with any unsure words beside it is enough (the band may be gone)."""
    words = lines[i].words
    labels = match_column_labels([w.text for w in words])
    desc = next((m for m in labels if m.kind == "description"), None)
    labelless = desc is None and first and not labels and _band_over_rows(lines, i, decimal_hint)
    if labelless:
        desc = LabelMatch("description", 0, 0, 0.0)  # the band gone, its description label too
    elif desc is None or len(labels) > 1 or words[desc.start].x0 > lines[i].x0 + 1:
        return None
    garbled = words[desc.end :]  # what OCR made of the other labels: little and unsure
    if not first and len(garbled) < 2:
        return None
    if garbled and sum(w.confidence for w in garbled) / len(garbled) >= _GARBLED_LABELS:
        return None
    rows = _number_rows(lines, i, decimal_hint, limit=_NUMBERED_ROWS)
    clusters = _right_aligned([cell for row in rows for cell in row])
    columns = [c for c in clusters if len(c) >= max(2, len(rows) // 2)]
    if len(rows) < 2 or len(columns) < 2:
        return None
    label = words[desc.start : desc.end] or words[:1]
    found = [Column("description", label[0].x0, max(w.x1 for w in label))]
    kinds = iter(("unit_price", "quantity"))
    for n, cluster in enumerate(reversed(columns)):
        percent = sum(bool(_PERCENT.match(c.text)) for c in cluster) > len(cluster) / 2
        kind = "amount" if n == 0 else "discount" if percent else next(kinds, None)
        if kind is None:
            break
        found.append(Column(kind, min(c.x0 for c in cluster), max(c.x1 for c in cluster)))
    found.sort(key=lambda c: c.x0)
    if (not first or labelless) and max(w.x1 for w in garbled) < found[-1].x0:
        return None  # the unread words stop short of the amounts: a line of text, no header
    for left, right in zip(found, found[1:], strict=False):
        left.right = right.left = (left.x1 + right.x0) / 2
    return found


def _band_over_rows(lines: list[Line], i: int, decimal_hint: str | None) -> bool:
    """Whether line `i` may be what OCR made of a dark header band, labels and all: words
    read unsure only, from where the row right under it begins."""
    band = lines[i]
    if not all(w.confidence < _GARBLED_LABELS for w in band.words):
        return False
    below = [ln for ln in lines[i + 1 : i + 3] if ln.page == band.page and not _is_noise(ln)]
    if not below or below[0].y0 - band.y1 > 2 * below[0].height:
        return False
    row = below[0]
    numbers = [c for c in split_cells(row.words) if _is_numeric(c.text, decimal_hint)]
    # (that it reaches the amounts is checked with the columns found)
    return len(numbers) >= 2 and band.x0 <= row.x0 + 2 * row.height


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
        joined = header_columns(Line(words, line.index, split_cells(words)))
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
        if line.y0 >= band_end:
            bands += 1
        band_end = max(band_end, line.y1) if line.y0 < band_end else line.y1
        if limit is not None and bands > limit:
            return False
        if line.page != page or headers[line.index] is not None:
            return False
        by_kind = _assign(split_cells(line.words), columns, decimal_hint, anchors)
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


def _row_consistent(row: _Row) -> bool:
    """quantity x unit price = amount to the cent (allowing a per-line discount to be absent)."""
    if row.quantity is None or row.unit_price is None or row.amount is None:
        return row.amount is not None
    return abs(row.quantity * row.unit_price - row.amount) <= Decimal("0.01")
