"""The totals block (the lines after the item table) and the rates it prints.

A stamp over "TOTAL A PAGAR" or a scan that garbles "Imponibile" leaves the amounts readable and
their labels not: the block's amounts are then options of the totals choice (totals_options),
and its rates vouch for a tax (totals_choice).
"""

from __future__ import annotations

import re
from decimal import Decimal

from facturas_assets.documents.extraction.layout import Line
from facturas_assets.documents.extraction.numbers import find_amounts
from facturas_assets.documents.rates import EU_RATES

MAX_AMOUNTS = 12  # the totals block holds a handful of amounts; more means it was not found


def totals_block(
    lines: list[Line], used: set[int], labelled: list[int] | None = None
) -> list[Line]:
    """The lines after the item table (the whole document if it has none). When every line
    with a totals label (`labelled`) stands on a page before the table's (the totals on the
    first page, the items on the next), the block runs from the first of them to the table."""
    if not used:
        return lines
    first, last = min(used), max(used)
    if labelled and lines[max(labelled)].page < lines[first].page:
        return [ln for ln in lines[min(labelled) : first] if ln.index not in used]
    return lines[last + 1 :]


_ZERO_RATE = re.compile(r"(?<![\d.,])0(?:[.,]0{1,2})?\s?%")


def zero_rate_printed(block: list[Line]) -> bool:
    """Whether the totals block states a 0 % rate (exempt or reverse-charge invoices)."""
    return any(_ZERO_RATE.search(line.text) for line in block)


_RATE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%")


def printed_rate(block: list[Line]) -> Decimal | None:
    """The one VAT rate above zero the totals block prints ("IVA 21 %", "(21,00 %)"), if one."""
    rates = {
        Decimal(m.group(1).replace(",", ".")).normalize()
        for line in block
        for m in _RATE.finditer(line.text)
    }
    rates = {r for r in rates if r > 0 and any(r == Decimal(str(eu)) for eu in EU_RATES)}
    return rates.pop() if len(rates) == 1 else None


def minus_amounts(block: list[Line], hint: str | None) -> tuple[Decimal, ...]:
    """The amounts with cents the block prints with a minus (or in brackets), made positive:
    a withholding's, a discount's or a deposit's."""
    return tuple(
        dict.fromkeys(
            -a.value
            for line in block
            for a in find_amounts(line.text, hint)
            if a.has_decimals and a.value < 0
        )
    )
