"""Line items from any layout: a header row names the columns, rows follow until the totals."""

from __future__ import annotations

from facturas_assets.documents.extraction.items_tax import items_tax, line_rate
from facturas_assets.documents.extraction.layout import Line, split_cells
from facturas_assets.documents.extraction.numbers import find_amounts
from facturas_assets.documents.extraction.table_cells import _assign
from facturas_assets.documents.extraction.table_codes import _leading_code, _strip_code_column
from facturas_assets.documents.extraction.table_columns import (
    _text_columns_by_rows,
    columns_from_numbers,
    fit_numbers,
)
from facturas_assets.documents.extraction.table_gross import gross_note, net_of_gross
from facturas_assets.documents.extraction.table_header import (
    _header_wrap,
    _repeats_fewer,
    _totals_band,
    _with_split_off_labels,
    header_columns,
    with_wrapped_labels,
)
from facturas_assets.documents.extraction.table_lines import (
    _PAGE_NUMBER,
    _bare_page_number,
    _description_text,
    _ends_table,
    _heads_next_row,
    _is_carry,
    _is_noise,
    _money_cell,
    _own_row_goes_on,
    _row_ahead,
    _row_of_its_own,
    _sideways,
    _spacing,
    _without_frame,
    _wrapped_under_row,
)
from facturas_assets.documents.extraction.table_model import Anchors, Column, Table, _Row
from facturas_assets.documents.extraction.table_rows import (
    _joined_lines,
    _row_consistent,
    _without_leading_specks,
    _without_subtotal,
)
from facturas_assets.documents.extraction.table_tax_notes import tax_note_lines
from facturas_assets.documents.extraction.table_values import (
    _percent,
    _specks,
    _tiny,
    _value,
    _vat_amount,
)
from facturas_assets.documents.extraction.text import fold, squash
from facturas_assets.documents.model import InvoiceLine

_LOOKAHEAD = 5  # bands of text
_HEAD_REACH = 12  # lines searched for a labelled head before any price


def _head_ahead(lines: list[Line], i: int, labelled: list[bool], priced: list[bool]) -> bool:
    """Whether a head of several column labels follows line i before any price: the table
    opens there, and the lines between (a letterhead, the header fields) are none of its rows."""
    for k in range(i + 1, min(len(lines), i + 1 + _HEAD_REACH)):
        if lines[k].page != lines[i].page or priced[k]:
            return False
        if labelled[k]:
            return True
    return False


_TWIN_GAP = 0.8  # of a header's height: a second header line set right under it


def _stacked_twins(lines: list[Line], headers: list[list[Column] | None]) -> set[int]:
    """Header lines right under another header line (the same heads in a second language):
    the one naming fewer kinds of column (the lower one on a tie) is read as part of the other.
    Returns the lines so dropped, their headers set to None."""
    dropped: set[int] = set()
    for i in range(len(lines) - 1):
        upper, lower = headers[i], headers[i + 1]
        if upper is None or lower is None or lines[i + 1].page != lines[i].page:
            continue
        if lines[i + 1].y0 - lines[i].y1 > _TWIN_GAP * lines[i].height:
            continue
        weaker = i + 1 if _kinds_named(upper) >= _kinds_named(lower) else i
        headers[weaker] = None
        dropped.add(weaker)
    return dropped


def _kinds_named(columns: list[Column]) -> int:
    """How many kinds of item column a header names."""
    return len({c.kind for c in columns if c.kind != "other"})


def extract_table(lines: list[Line], decimal_hint: str | None, ocr: bool = False) -> Table:
    """Line items of the document's item table(s), continued across pages.

    On OCR'd pages, a stamp's words read into a description are left out of it."""
    table = Table()
    rows: list[_Row] = []
    pending: list[str] = []
    columns: list[Column] | None = None
    anchors: Anchors = []
    headers = [header_columns(line) for line in lines]  # lines[i].index == i
    labelled = [cols is not None and len(cols) > 1 for cols in headers]
    priced = [any(a.has_decimals for a in find_amounts(line.text)) for line in lines]
    twins = _stacked_twins(lines, headers)
    notes = tax_note_lines(lines, decimal_hint)
    seen_header = False
    for i, cols in enumerate(headers):
        if i in twins:
            continue
        if cols is not None and _totals_band(lines, i):
            headers[i] = cols = None
        if cols is not None and not any(c.kind == "description" for c in cols):
            headers[i] = _with_split_off_labels(lines, i, cols)
        elif cols is None and not _head_ahead(lines, i, labelled, priced):
            headers[i] = columns_from_numbers(lines, i, decimal_hint, first=not seen_header)
        if headers[i] is not None and i + 1 not in twins:
            headers[i] = with_wrapped_labels(lines, i, headers[i])
        if headers[i] is not None:
            headers[i] = _text_columns_by_rows(lines, i, headers[i], decimal_hint)
        seen_header = seen_header or headers[i] is not None
    state = "closed"  # open: reading rows; paused: table may go on next page; closed: done
    skipping = False  # on a continued page, lines before its first row (letterhead, page no.)
    body = 0  # the first line of the table's body on the current page
    spacings: dict[int, tuple[float, float] | None] = {}  # per body start: see _spacing
    own_row = -1  # the last text line read as a row of its own (a group heading, a remark)
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
            while i < len(lines) and (i in twins or _header_wrap(lines[i], line, columns)):
                table.used_lines.add(lines[i].index)
                i += 1
            body = i
            continue
        i += 1
        if state == "closed" or columns is None:
            continue
        prev = lines[i - 2] if i >= 2 else line
        if line.page != prev.page:
            if _row_ahead(lines, i - 1, line.page, columns, decimal_hint, anchors, headers):
                state, skipping, body = "open", True, i - 1
            else:
                state = "closed"
                continue
        if state != "open":
            continue
        if line.index in notes:
            table.used_lines.add(line.index)
            continue  # the VAT of the row above, printed under it
        words = _without_frame(line.words, columns, ocr)
        if not words:
            continue  # the table's frame only
        if _sideways(words):
            continue  # a margin note set sideways, read upwards: no row's words
        by_kind = _assign(split_cells(words), columns, decimal_hint, anchors)
        if _ends_table(line, by_kind, decimal_hint) and not _wrapped_under_row(
            lines, i - 1, columns, decimal_hint, anchors
        ):
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
                    vat=line_rate(by_kind["vat"], decimal_hint) if "vat" in by_kind else None,
                    vat_amount=_vat_amount(by_kind.get("vat"), decimal_hint),
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
        if body not in spacings:
            spacings[body] = _spacing(lines, body, columns, decimal_hint, anchors)
        if _own_row_goes_on(lines, i - 1, own_row, spacings[body]) or _row_of_its_own(
            lines, i - 1, spacings[body], columns, decimal_hint, anchors
        ):
            own_row = i - 1  # a heading or remark among the rows: no item's description
        elif (
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
    nets = [net_of_gross(row) for row in rows]
    # With no quantity, a column that held a gross row's net holds every row's net, no price.
    net_column = any(n != r.amount and r.quantity is None for n, r in zip(nets, rows, strict=True))
    for number, (row, net) in enumerate(zip(rows, nets, strict=True), start=1):
        desc = _without_leading_specks(squash(_joined_lines(row.description))) or None
        if net != row.amount and net is not None:
            table.warnings.append(gross_note(number, row, net))
            row.amount = net
        if net_column and row.quantity is None and row.unit_price == row.amount:
            row.unit_price = None
        table.lines.append(InvoiceLine(desc, row.quantity, row.unit_price, row.amount))
        table.discounts.append(row.discount)
    table.items_tax = items_tax(rows)
    if rows:
        consistent = sum(1 for r in rows if _row_consistent(r)) / len(rows)
        ocr = min(r.confidence for r in rows)
        table.confidence = round((0.6 + 0.35 * consistent) * ocr, 3)
    return table
