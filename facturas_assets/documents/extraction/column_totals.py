"""A totals label heading a column of amounts: a table by rate, not a single value.

"Net amount | VAT amount | Gross amount" over a row per VAT rate and a "Total" row: the amount
right under each head is one rate's; the head's value is the one in its column on the row a
totals label opens. Without such a row the head gives no value (the rows' sums are read as
the breakdown's elsewhere).
"""

from __future__ import annotations

from facturas_assets.documents.extraction.labels import TOTAL_KINDS, LabelMatch
from facturas_assets.documents.extraction.layout import Cell, Line, x_overlap
from facturas_assets.documents.extraction.numbers import find_amounts

_ROWS = 8  # rows of a table by rate looked at under its heads
_GAP = 2.5  # line heights between two rows of it, at most
_CODE_LETTERS = 3  # a rate's code ("S", "Z") or a currency code beside an amount ("EUR")
_MIN_ROWS = 2  # rows of amounts under a head, no label of their own, that make it a column


def column_rows(
    lines: list[Line], line: Line, x0: float, x1: float, labels: dict[int, list[LabelMatch]]
) -> list[tuple[Line, Cell]]:
    """The consecutive rows under a head at [x0, x1] holding an amount in its column, up to a
    total row; a labelled line of another kind ends them."""
    rows: list[tuple[Line, Cell]] = []
    last = line
    for nxt in lines[line.index + 1 : line.index + 1 + _ROWS]:
        if nxt.index not in labels or nxt.page != line.page:
            break
        if nxt.y0 - last.y1 > _GAP * line.height:
            break
        cell = next(
            (c for c in nxt.cells if x_overlap(c.x0, c.x1, x0 - 2, x1 + 2) > 0 and _money(c)),
            None,
        )
        if cell is None:
            break
        found = labels[nxt.index]
        total = _opens_total(found)
        if not total and (found or not _figures_only(nxt)):
            break  # a labelled line of a totals block (a withholding's), no rate's row
        rows.append((nxt, cell))
        if total:
            break  # the total row ends the table
        last = nxt
    return rows


def total_row_cell(
    rows: list[tuple[Line, Cell]], labels: dict[int, list[LabelMatch]]
) -> Cell | None:
    """The head's cell on the row a totals label opens ("Total 370.00 62.50 432.50"), if any."""
    for row, cell in rows:
        if _opens_total(labels.get(row.index, [])):
            return cell
    return None


def heads_column(rows: list[tuple[Line, Cell]], labels: dict[int, list[LabelMatch]]) -> bool:
    """Whether a head has a column of amounts under it, rows with no label of their own (one
    per rate), not one value."""
    return sum(1 for row, _ in rows if not labels.get(row.index)) >= _MIN_ROWS


def _figures_only(line: Line) -> bool:
    """A rate's row: amounts, rates and codes of a letter or two, no words."""
    return all(sum(ch.isalpha() for ch in w.text) <= _CODE_LETTERS for w in line.words)


def _opens_total(found: list[LabelMatch]) -> bool:
    return bool(found) and found[0].start == 0 and found[0].kind in TOTAL_KINDS


def _money(cell: Cell) -> bool:
    return any(a.has_decimals for a in find_amounts(cell.text))
