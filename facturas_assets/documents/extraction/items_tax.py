"""The tax an item table's VAT column states: each line's rate of its net, or its VAT amount,
summed. It vouches for a tax derived as the total less the net at several rates, where no tax
total (or only one rate's) was read."""

from __future__ import annotations

import re
from decimal import Decimal

from facturas_assets.documents.extraction.layout import Cell
from facturas_assets.documents.extraction.table_model import Statement, _Row
from facturas_assets.documents.extraction.table_values import _percent
from facturas_assets.documents.extraction.tax_extras import EXEMPT_WORD
from facturas_assets.documents.extraction.text import fold
from facturas_assets.documents.rates import CENT

_EXEMPT = re.compile(rf"\b{EXEMPT_WORD}\b")
HALF_CENT = CENT / 2


def line_rate(cells: list[Cell], decimal_hint: str | None) -> Decimal | None:
    """A VAT cell's rate: its percentage, 0 where it says the line is exempt, None where it is
    no rate."""
    if _EXEMPT.search(fold(" ".join(c.text for c in cells))):
        return Decimal(0)
    return _percent(cells, decimal_hint)


def items_tax(rows: list[_Row]) -> tuple[Statement, ...]:
    """What the rows' VAT cells say the items' tax is, as each reading allows: shares of the
    nets at the rates printed (rounded line by line or not: half a cent a line either way), and,
    where no cell has a % sign, their numbers summed as VAT amounts. Empty where a row's cell
    is unreadable, the table has no VAT column, or its items are at one rate (then the tax is
    that rate's of the net, and a printed tax that misses it is the invoice's own, not a rate
    left out)."""
    if not rows or any(r.vat is None or r.amount is None for r in rows):
        return ()
    if len({r.vat for r in rows}) < 2:
        return ()
    shares = sum((r.amount * r.vat / 100 for r in rows if r.amount is not None), Decimal(0))
    out = [(shares, HALF_CENT * len(rows))]
    amounts = [r.vat_amount for r in rows]
    if all(a is not None for a in amounts):
        out.append((sum(a for a in amounts if a is not None), CENT))
    return tuple(out)


def vouches(stated: tuple[Statement, ...], tax: Decimal) -> bool:
    """Whether `tax` is what one reading of the items' VAT column says, to its rounding."""
    return any(abs(tax - value) <= slack for value, slack in stated)
