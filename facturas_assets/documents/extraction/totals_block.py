"""Net, tax and total from the amounts of the totals block when their labels cannot be read.

A stamp over "TOTAL A PAGAR" or a scan that garbles "Imponibile" leaves the amounts readable and
their labels not. Three printed amounts for which net + tax = total (and, when the document has
line items, net = their sum) identify the fields by arithmetic alone; exact cents make a chance
match very unlikely. The result carries a warning and a low confidence.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from itertools import permutations

from facturas_assets.documents.extraction.layout import Line
from facturas_assets.documents.extraction.numbers import find_amounts
from facturas_assets.documents.rates import CENT, EU_RATES

MAX_VAT_SHARE = Decimal("0.30")  # tax above 30 % of net is no European VAT rate
MAX_AMOUNTS = 12  # the totals block holds a handful of amounts; more means it was not found


Totals = dict[str, Decimal]  # net_total, tax_total, total -> value


def totals_block(lines: list[Line], used: set[int]) -> list[Line]:
    """The lines after the item table (the whole document if it has none)."""
    return lines[max(used) + 1 :] if used else lines


def block_amounts(block: list[Line], hint: str | None) -> list[Decimal]:
    """Amounts with cents printed in the totals block."""
    # Repeats are kept: a net printed again as the total means a zero tax.
    return [
        found.value
        for line in block
        for found in find_amounts(line.text, hint)
        if found.has_decimals and found.value >= 0
    ]


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


def infer_from_rate(net: Decimal, rate: Decimal) -> Totals:
    """Tax and total of `net` under the printed `rate`: both amounts lost under a stamp."""
    tax = (net * rate / 100).quantize(CENT, ROUND_HALF_UP)
    return {"net_total": net, "tax_total": tax, "total": net + tax}


def infer_totals(
    amounts: list[Decimal],
    line_sum: Decimal | None,
    known: dict[str, Decimal | None],
    zero_rate: bool = False,
) -> Totals | None:
    """The single (net, tax, total) among `amounts` that adds up and fits what is known."""
    if len(amounts) > MAX_AMOUNTS:
        return None
    # A zero tax may be unprinted or unreadable: assumed only with the net printed twice and
    # either a 0 % rate printed or, when there are items, the net equal to their sum (a garbled
    # amount read twice is no evidence).
    zero = len(amounts)
    pool = [*amounts, Decimal("0.00")]
    fits: set[tuple[Decimal, Decimal, Decimal]] = set()
    fits_lines: set[tuple[Decimal, Decimal, Decimal]] = set()  # those whose net is the items'
    for net_at, tax_at, total_at in permutations(range(len(pool)), 3):
        net, tax, total = pool[net_at], pool[tax_at], pool[total_at]
        if net <= 0 or net + tax != total or tax > net * MAX_VAT_SHARE:
            continue
        matches_lines = line_sum is not None and net == line_sum
        if tax_at == zero and not zero_rate and line_sum is not None and not matches_lines:
            continue
        guess = {"net_total": net, "tax_total": tax, "total": total}
        if any(v is not None and guess[name] != v for name, v in known.items()):
            continue
        (fits_lines if matches_lines else fits).add((net, tax, total))
    unique = fits_lines or fits
    if len(unique) != 1:
        return None
    return dict(zip(("net_total", "tax_total", "total"), next(iter(unique)), strict=True))


def infer_with_rates(
    known: dict[str, Decimal | None], line_sum: Decimal | None, zero_rate: bool = False
) -> Totals | None:
    """The missing one of tax or total (and a missing net, from the items' sum), when the tax is
    to the cent a VAT rate of the net: a stamp over two amounts leaves the third and the items.
    """
    net = known["net_total"] if known["net_total"] is not None else line_sum
    tax, total = known["tax_total"], known["total"]
    if net is None or net <= 0 or (tax is None) == (total is None):
        return None  # nothing to infer, or too little to go on
    if tax is None:
        tax = total - net
    if tax == 0 and not zero_rate:
        return None  # a zero tax fits any net: only a printed 0 % rate vouches for it
    if not _is_vat_of(tax, net):
        return None
    found = {"net_total": net, "tax_total": tax, "total": net + tax}
    return {k: v for k, v in found.items() if known[k] is None}


def _is_vat_of(tax: Decimal, net: Decimal) -> bool:
    return any(
        abs(tax - (net * Decimal(str(rate)) / 100).quantize(CENT, ROUND_HALF_UP)) <= CENT
        for rate in EU_RATES
    )
