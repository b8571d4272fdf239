"""Labels wrapped over two lines of a narrow header cell ("Our / reference", "Albarà / núm.").

A row of header cells with their values under them often wraps a long label inside its cell.
Read line by line, each half is a label of its own, or a weaker one ("reference" alone may
name the invoice's number; "núm." alone does), and the value under it is taken for the wrong
field. A cell is joined to the label-only cell stacked right above it when the two read
together as one label; the lower half then carries the whole label and the upper half none.
"""

from __future__ import annotations

from facturas_assets.documents.extraction.labels import LabelMatch, match_field_labels
from facturas_assets.documents.extraction.layout import Cell, Line
from facturas_assets.documents.extraction.text import token_key

_MAX_WORDS = 3  # words of each half of a wrapped label cell
_ALIGN = 0.6  # line heights between the halves' left edges or centres
_GAP = 1.4  # line heights between the halves (a one-line label centred beside may sit between)
_LINES_BACK = 3  # lines above searched for the upper half
_LINES_DOWN = 3  # lines below searched for the rest of a label wrapped down its cell


def join_stacked_labels(
    lines: list[Line], labels: dict[int, list[LabelMatch]]
) -> dict[int, list[LabelMatch]]:
    """The labels with every label cell wrapped over two lines read as one label."""
    out = {index: list(found) for index, found in labels.items()}
    for line in lines:
        if line.index not in labels:
            continue
        for cell_no, cell in enumerate(line.cells):
            if not _label_like(cell) or not _head_cell(line, cell_no):
                continue
            upper = _cell_above(lines, line, cell, labels)
            if upper is None:
                continue
            up_line, up_no = upper
            if not _head_cell(up_line, up_no):
                continue
            joined = _whole_label(line.cells[cell_no], up_line.cells[up_no])
            if joined is None:
                continue
            start, size = _offset(line, cell_no), len(cell.words)
            kept = [m for m in out[line.index] if not start <= m.start < start + size]
            kind, strength, end = joined
            kept.append(LabelMatch(kind, start, start + end, strength))
            out[line.index] = sorted(kept, key=lambda m: m.start)
            up_start, up_size = _offset(up_line, up_no), len(up_line.cells[up_no].words)
            out[up_line.index] = [
                m for m in out[up_line.index] if not up_start <= m.start < up_start + up_size
            ]
    return _wrapped_down(lines, out)


def _wrapped_down(
    lines: list[Line], labels: dict[int, list[LabelMatch]]
) -> dict[int, list[LabelMatch]]:
    """Labels whose cell wraps down onto lines of their own ("Data" beside its value, "de" and
    "entrega" under it): the label read whole names another field ("Data de entrega")."""
    for line in lines:
        if line.index not in labels:
            continue  # the items table's: no label of the header's
        for cell_no, cell in enumerate(line.cells):
            if not _label_like(cell) or cell_no + 1 >= len(line.cells):
                continue  # a label cell with its value beside it
            tail = _cells_below(lines, line, cell, labels)
            if not tail:
                continue
            texts = [w.text for w in cell.words] + [w.text for c in tail for w in c.words]
            whole = [m for m in match_field_labels(texts) if m.start == 0]
            if not whole or max(m.end for m in whole) <= len(cell.words):
                continue  # the lines under it do not continue its label
            best = max(whole, key=lambda m: (m.end, m.strength))
            start, size = _offset(line, cell_no), len(cell.words)
            kept = [m for m in labels[line.index] if not start <= m.start < start + size]
            kept.append(LabelMatch(best.kind, start, start + size, best.strength))
            labels[line.index] = sorted(kept, key=lambda m: m.start)
    return labels


def _cells_below(
    lines: list[Line], line: Line, cell: Cell, labels: dict[int, list[LabelMatch]]
) -> list[Cell]:
    """Lone label-like cells right under `cell`, left edges aligned: the rest of its label."""
    tail: list[Cell] = []
    last = line
    for other in lines[line.index + 1 : line.index + 1 + _LINES_DOWN]:
        if other.index not in labels or other.page != line.page:
            break
        if other.y0 - last.y1 > _GAP * line.height:
            break
        # the last cell of its line (other columns may stand left of it: an address)
        below = other.cells[-1]
        if abs(below.x0 - cell.x0) > _ALIGN * line.height or not _label_like(below):
            break
        tail.append(below)
        last = other
    return tail


def _label_like(cell: Cell) -> bool:
    """A short cell of words without digits: a label or half of one, never a value."""
    return 0 < len(cell.words) <= _MAX_WORDS and not any(ch.isdigit() for ch in cell.text)


def _head_cell(line: Line, cell_no: int) -> bool:
    """A cell of a row of heads: no value right after it on its line ("Ref.  MM/155" is a
    label with its value, not half of a wrapped head)."""
    after = line.cells[cell_no + 1 : cell_no + 2]
    return not after or _label_like(after[0])


def _cell_above(
    lines: list[Line], line: Line, cell: Cell, labels: dict[int, list[LabelMatch]]
) -> tuple[Line, int] | None:
    """The nearest label-like cell stacked above `cell` (left edges or centres aligned)."""
    height = line.height
    centre = (cell.x0 + cell.x1) / 2
    for k in range(line.index - 1, max(-1, line.index - 1 - _LINES_BACK), -1):
        other = lines[k]
        if other.page != line.page or line.y0 - other.y1 > _GAP * height:
            return None
        if k not in labels:
            return None  # a table line between: its cells are not this one's head
        for no, up in enumerate(other.cells):
            aligned = abs(up.x0 - cell.x0) <= _ALIGN * height or (
                abs((up.x0 + up.x1) / 2 - centre) <= _ALIGN * height
            )
            if aligned:
                return (other, no) if _label_like(up) else None
    return None


def _whole_label(cell: Cell, up: Cell) -> tuple[str, float, int] | None:
    """(kind, strength, words of `cell` it covers) of one label reading the upper cell and
    this one whole, None when they are two labels (or none)."""
    texts = [w.text for w in (*up.words, *cell.words)]
    keys = [token_key(t) for t in texts]
    split = len(up.words)
    for m in match_field_labels(texts):
        outside = [k for k in (*keys[: m.start], *keys[m.end :]) if k]
        if m.start < split < m.end and not outside:
            return m.kind, m.strength, m.end - split
    return None


def _offset(line: Line, cell_no: int) -> int:
    """The index in `line.words` of the cell's first word."""
    return sum(len(c.words) for c in line.cells[:cell_no])
