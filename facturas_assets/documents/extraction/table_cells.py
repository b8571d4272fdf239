"""A body line's cells assigned to the table's columns: numbers by alignment, text by place."""

from __future__ import annotations

import re

from facturas_assets.documents.extraction.layout import Cell
from facturas_assets.documents.extraction.number_cells import split_numbers
from facturas_assets.documents.extraction.table_codes import (
    _CODE,
    _CODE_SPECKS,
    _code_like,
    _prose_like,
)
from facturas_assets.documents.extraction.table_model import _NUMERIC_KINDS, Anchors, Column
from facturas_assets.documents.extraction.table_values import _PERCENT, _is_numeric, _tiny
from facturas_assets.documents.model import Word

_ALIGN_TOL = 6.0  # points between right edges of numbers in one column


def _number_cells(
    cells: list[Cell], columns: list[Column] | None, decimal_hint: str | None
) -> tuple[list[Cell], list[Cell]]:
    """A line's cells with the numbers of neighbouring columns run into one cell apart, and
    the unit words and codes found between them."""

    by_head = sorted(columns or (), key=lambda c: c.x0, reverse=True)

    def zone(x: float) -> Column | None:
        """The column whose head span (its head's left edge to the next head's) holds `x`, a
        number's right edge: there whether the heads are set left, centred or right."""
        return next((c for c in by_head if c.x0 <= x), None)

    desc = next((c for c in columns or () if c.kind == "description"), None)
    out: list[Cell] = []
    tags: list[Cell] = []
    for cell in cells:
        split, found = split_numbers(
            [cell], lambda text: _is_numeric(text, decimal_hint), zone if columns else None
        )
        if found and (desc is None or cell.x0 < desc.right):
            split, found = [cell], []  # "1 Variador 7,5 kW", "6500 n. 13": a description's
        elif len(split) == 1 and desc is not None and _clear_of(cell, desc):
            split, found = _number_and_tags(cell, columns or [], decimal_hint)
        out += split
        tags += found
    return out, tags


def _clear_of(cell: Cell, desc: Column) -> bool:
    """Whether a cell lies wholly left of the description's head or right of its zone."""
    return cell.x1 < desc.x0 or cell.x0 >= desc.right


def _number_and_tags(
    cell: Cell, columns: list[Column], decimal_hint: str | None
) -> tuple[list[Cell], list[Cell]]:
    """A number run into unit words, codes or its currency code, clear of the description
    ("5.00 ud", "0,04310 EUR EB2", "1 000,00 SGD"): the number apart and the words after it as
    tags, as split_numbers sets them apart between two numbers, so that every number of a
    column ends where its digits do; any other cell as it is."""
    words = cell.words
    if len(words) < 2 or not any(c.kind == "quantity" for c in columns):
        return [cell], []
    for k in range(1, len(words)):
        tags = words[k:]
        if _is_numeric(Cell(words[:k]).text, decimal_hint) and all(map(_tag_word, tags)):
            return [Cell(words[:k])], [Cell([w]) for w in tags]
    return [cell], []


def _tag_word(word: Word) -> bool:
    """A unit word, a currency code or an article code (letters in it: "450" is a number's
    spaced thousands): no value of its own."""
    if not any(ch.isalpha() for ch in word.text):
        return False
    return bool(_UNIT_WORD.match(word.text) or _CODE.match(word.text))


def _assign(
    cells: list[Cell], columns: list[Column], decimal_hint: str | None, anchors: Anchors = ()
) -> dict[str, list[Cell]]:
    """Cells of a body line by column kind: numbers by their aligned right edge, text by its
    left edge."""
    by_kind: dict[str, list[Cell]] = {}
    desc = next((c for c in columns if c.kind == "description"), None)
    cells, tags = _number_cells(cells, columns, decimal_hint)
    cells = _split_at_code_column(cells, columns, decimal_hint)
    cells = _split_before_code_column(cells, columns)
    cells, marked = _quantity_unit_code(cells, columns, decimal_hint)
    cells, before = _quantity_before_head(cells, columns, decimal_hint)
    marked += before
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
            and desc.x0 - _ALIGN_TOL <= cell.x0
            # A number is placed by its middle: one right-aligned under a header set further
            # left starts a little before that header, yet is that column's.
            and ((cell.x0 + cell.x1) / 2 if numeric else cell.x0) < text_end
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


def _quantity_before_head(
    cells: list[Cell], columns: list[Column], decimal_hint: str | None
) -> tuple[list[Cell], list[tuple[Cell, str]]]:
    """A quantity (and its unit) right-aligned under a left-aligned head, so close to the
    description that they share a cell ("10 Test item", "1 un Abrechnung"), even one that
    starts in the quantity's zone: the words ending before the description's head are the
    quantity and unit, when no other cell of the row ends between the quantity's zone and that
    head (a code's further left does not count)."""
    desc = next((c for c in columns if c.kind == "description"), None)
    qty = next((c for c in columns if c.kind == "quantity"), None)
    if desc is None or qty is None or qty.x0 > desc.x0:
        return cells, []
    if any(qty.left < c.x1 < desc.x0 for c in cells):
        return cells, []  # a cell ends in the quantity's zone: the quantity's own
    out: list[Cell] = []
    marked: list[tuple[Cell, str]] = []
    for cell in cells:
        first, *rest = cell.words
        k = 0
        while k < len(rest) and rest[k].x0 < desc.x0 - _ALIGN_TOL:
            k += 1
        units = rest[:k]
        if (
            not rest
            or k == len(rest)
            or not _is_numeric(first.text, decimal_hint)
            or not all(_UNIT_WORD.match(w.text.strip(_CODE_SPECKS)) for w in units)
            or max(w.x1 for w in (first, *units)) > desc.x0
        ):
            out.append(cell)
            continue
        marked.append((Cell([first]), "quantity"))
        marked += [(Cell([w]), "unit") for w in units]
        out.append(Cell(rest[k:]))
    return out, marked


def _split_before_code_column(cells: list[Cell], columns: list[Column]) -> list[Cell]:
    """A description and the code of the column right after it run into one cell ("... draw
    frame: SRV-20"): the words from under the code's head on, shaped like a code, are set
    apart."""
    desc = next((k for k, c in enumerate(columns) if c.kind == "description"), None)
    code = columns[desc + 1] if desc is not None and desc + 1 < len(columns) else None
    if code is None or code.kind != "code":
        return cells
    out = []
    for cell in cells:
        # A long description runs past the midpoint between the heads: the code starts under
        # its own head.
        start = code.x0 - _ALIGN_TOL
        cut = next((k for k, w in enumerate(cell.words) if w.x0 >= start), None)
        if cut and cell.x0 < start and _code_like(Cell(cell.words[cut:])):
            out += [Cell(cell.words[:cut]), Cell(cell.words[cut:])]
        else:
            out.append(cell)
    return out


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
