"""An item table's columns placed, found and set right by the rows under its header."""

from __future__ import annotations

from collections.abc import Callable

from facturas_assets.documents.extraction.labels import (
    TOTAL_KINDS,
    LabelMatch,
    match_column_labels,
    match_field_labels,
)
from facturas_assets.documents.extraction.layout import Cell, Line, split_cells
from facturas_assets.documents.extraction.table_cells import _ALIGN_TOL, _number_cells
from facturas_assets.documents.extraction.table_codes import (
    _CODE,
    _code_like,
    _first_word,
    _prose_like,
)
from facturas_assets.documents.extraction.table_lines import _is_noise
from facturas_assets.documents.extraction.table_model import _NUMERIC_KINDS, Anchors, Column
from facturas_assets.documents.extraction.table_values import _PERCENT, _is_numeric
from facturas_assets.documents.extraction.text import alnum_count

_GARBLED_LABELS = 0.6  # mean OCR confidence under which a header's other words are unread
_NUMBERED_ROWS = 12  # lines under a header read to place its columns by their numbers

_SKIP_COST = 40.0
_IN_SPAN_DISCOUNT = 10.0  # a number under its own head's span: the distance only breaks ties


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
    printed: dict[int, float] = {}
    rows = _number_rows(
        lines,
        start,
        decimal_hint,
        until=lambda line: headers[line.index] is not None,
        columns=columns,
        printed=printed,
    )
    clusters = _right_aligned([cell for row in rows for cell in row])
    reps = [cluster[len(cluster) // 2].x1 for cluster in clusters]
    # Which head's span a cluster falls in is told by where its cells end as printed: digits
    # followed by "EUR" under a head set right end left of that head, in the span before it.
    ends = [sorted(printed[id(c)] for c in cluster)[len(cluster) // 2] for cluster in clusters]
    targets = [c for c in columns if c.kind in _NUMERIC_KINDS]  # a code column holds no numbers
    return _align(reps, targets, _head_spans(columns, targets), ends)


def _head_spans(columns: list[Column], targets: list[Column]) -> list[tuple[float, float]]:
    """Per target column, from its head's left edge to the next head's left edge: where the
    right edge of its numbers falls whether the heads are set left, centred or right."""
    starts = sorted(c.x0 for c in columns)
    return [(col.x0, next((x for x in starts if x > col.x0), float("inf"))) for col in targets]


def _number_rows(
    lines: list[Line],
    start: int,
    decimal_hint: str | None,
    until: Callable[[Line], bool] = lambda line: False,
    limit: int | None = None,
    columns: list[Column] | None = None,
    printed: dict[int, float] | None = None,
) -> list[list[Cell]]:
    """The numeric cells of the lines under a header that hold two numbers or more, up to the
    page's end, the totals, a line `until` says ends them or `limit` lines; `printed` gets each
    cell's right edge with the unit or currency words set right after its digits."""
    rows = []
    stop = None if limit is None else start + 1 + limit
    for line in lines[start + 1 : stop]:
        if line.page != lines[start].page or until(line) or _opens_totals(line):
            break
        cells, tags = _number_cells(split_cells(line.words), columns, decimal_hint)
        numeric = [c for c in cells if _is_numeric(c.text, decimal_hint)]
        if len(numeric) >= 2:
            rows.append(numeric)
            if printed is not None:
                printed.update((id(c), _printed_end(c, tags, line.height)) for c in numeric)
    return rows


def _printed_end(cell: Cell, tags: list[Cell], gap: float) -> float:
    """Where a number ends as printed: past the tag words run on after it, if any."""
    end = cell.x1
    for tag in sorted(tags, key=lambda t: t.x0):
        if 0 <= tag.x0 - end <= gap:
            end = tag.x1
    return end


def _opens_totals(line: Line) -> bool:
    """Whether a line starts with a totals label: a totals word further on ("Road tax",
    "royalty of net sales") may be an item's description."""
    labels = match_field_labels([w.text for w in line.words])
    return any(m.kind in TOTAL_KINDS and m.start == 0 for m in labels)


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


def _align(
    reps: list[float],
    targets: list[Column],
    spans: list[tuple[float, float]] | None = None,
    ends: list[float] | None = None,
) -> Anchors:
    """Order-preserving pairing of number clusters and columns with the least misalignment.

    A cluster whose right edge as printed (`ends`, else its own) falls in a column's head span
    (`spans`) costs a tenth of its distance there: right-aligned numbers under left-set heads
    run right of their head, often nearer the next head's middle than their own."""
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
            end = x if ends is None else ends[i - 1]
            if spans is not None and spans[j - 1][0] <= end < spans[j - 1][1]:
                pair /= _IN_SPAN_DISCOUNT
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
