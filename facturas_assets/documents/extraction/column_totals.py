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
_MIN_ROWS = 2  # amounts under a head, its first row's included, that make it a column's


def column_rows(
    lines: list[Line], line: Line, x0: float, x1: float, labels: dict[int, list[LabelMatch]]
) -> list[tuple[Line, Cell]]:
    """The consecutive rows under a head at [x0, x1] holding an amount in its column."""
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
        rows.append((nxt, cell))
        last = nxt
    return rows


def total_row_cell(
    rows: list[tuple[Line, Cell]], labels: dict[int, list[LabelMatch]]
) -> Cell | None:
    """The head's cell on the row a totals label opens ("Total 370.00 62.50 432.50"), if any."""
    for row, cell in rows:
        found = labels.get(row.index, [])
        if found and found[0].start == 0 and found[0].kind in TOTAL_KINDS:
            return cell
    return None


def heads_column(rows: list[tuple[Line, Cell]]) -> bool:
    """Whether a head has a column of amounts under it, not one value."""
    return len(rows) >= _MIN_ROWS


def _money(cell: Cell) -> bool:
    return any(a.has_decimals for a in find_amounts(cell.text))
