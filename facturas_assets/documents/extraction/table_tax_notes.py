"""Notes of an item's VAT printed under its row ("VAT 20%", "VAT 20%: 60.00", "IVA 21 % = 63,00").

Read as lines of the table they would be a description's next line, a row of their own or the
table's end (their amount under the amount column). They are the row's tax: no item's words,
no item. Taken as notes only where two rows or more carry one, each right under an item row
(a line with two numbers or more), its amount (if printed) the row's amount or that rate of
it: a totals line under the last row of a one-item table may read the same.
"""

from __future__ import annotations

import re
from decimal import Decimal

from facturas_assets.documents.extraction.layout import Line
from facturas_assets.documents.extraction.numbers import find_amounts
from facturas_assets.documents.extraction.tax_extras import EXEMPT_WORD
from facturas_assets.documents.extraction.text import fold
from facturas_assets.documents.rates import CENT, share

# A tax word, a rate, and maybe an amount after "=", ":" or "-" (and a tax code in brackets).
_EXEMPT = rf"(?:zero[- ]rated|(?:vat )?{EXEMPT_WORD})"
_NOTE = re.compile(
    r"^(?:(?:incl\.?\s+)?(?:vat|iva|tva|mwst|ust|igic|ive|btw|bez|tax)\.?\s*"
    r"(?:@|at|al|a)?\s*(?P<rate>\d{1,2}(?:[.,]\d{1,2})?)\s?%|" + _EXEMPT + r")\s*"
    r"(?:[:=\-]?\s*(?P<amount>[-€$£]?\s?\d[\d.,]*\s?(?:[€$£]|eur)?))?\s*(?:\(\w\))?$"
)
_MIN_NOTES = 2
_GAP = 0.8  # line heights between an item row and its note, at most
_ROW_NUMBERS = 2  # numbers of an item row (quantity, price, amount)


def tax_note_lines(lines: list[Line], hint: str | None) -> set[int]:
    """Indexes of the lines that are VAT notes of the item rows right above them."""
    notes: set[int] = set()
    for above, line in zip(lines, lines[1:], strict=False):
        match = _NOTE.match(fold(line.text).strip())
        if match is None or above.page != line.page or line.y0 - above.y1 > _GAP * line.height:
            continue
        numbers = find_amounts(above.text, hint)
        if len(numbers) < _ROW_NUMBERS or _NOTE.match(fold(above.text).strip()):
            continue
        rate = match["rate"] or "0"  # an exempt or zero-rated item's
        if match["amount"] is None or _its_rows(match["amount"], rate, numbers[-1].value, hint):
            notes.add(line.index)
    return notes if len(notes) >= _MIN_NOTES else set()


def _its_rows(text: str, rate: str, row_amount: Decimal, hint: str | None) -> bool:
    """Whether a note's amount is its row's amount, or the note's rate of it."""
    found = find_amounts(text, hint)
    if not found:
        return False
    amount = abs(found[0].value)
    vat = share(abs(row_amount), Decimal(rate.replace(",", ".")))
    return abs(amount - abs(row_amount)) <= CENT or abs(amount - vat) <= CENT
