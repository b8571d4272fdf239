"""Item numbers OCR garbled, restored only where quantity x unit price = amount allows one reading.

OCR drops the small decimal separator of a quantity or price ("4,5" read "45", "36,43" read
"3643") and loses numbers under stamps. The amount of the row, checked against the net by
validation, then tells: a quantity or price is restored when exactly one placement of its
separator makes quantity x price equal the amount, and a missing one is derived from the other
two when the division is exact. In a table with a discount column the row's discount (none
where its cell is empty) is part of the product. Every change is reported in a warning.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from facturas_assets.documents.model import InvoiceLine

CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")
ONE = Decimal(1)  # either rounding of quantity x price to cents
_SHIFTS = (Decimal(10), Decimal(100))


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def _matches(quantity: Decimal, price: Decimal, amount: Decimal, kept: Decimal = ONE) -> bool:
    return abs(quantity * price * kept - amount) <= HALF_CENT


def _separator_lost(value: Decimal | None) -> list[Decimal]:
    """Readings of a number printed without decimals whose separator OCR may have dropped."""
    if value is None or value.as_tuple().exponent < 0 or abs(value) < 10:
        return []
    return [value / shift for shift in _SHIFTS]


def _shaped(value: Decimal, places: int | None) -> Decimal:
    """A derived number printed the way the table prints its others (3, 3.00 or 4.5)."""
    if places is not None:
        return value.quantize(Decimal(1).scaleb(-places))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _places(values: list[Decimal | None]) -> int | None:
    """The number of decimals most quantities of the table are printed with."""
    counts = Counter(-v.as_tuple().exponent for v in values if v is not None)
    if not counts:
        return None
    places, _ = counts.most_common(1)[0]
    return places if places > 0 and all(p == places for p in counts) else None


def _restore(line: InvoiceLine, quantity_places: int | None, kept: Decimal) -> str | None:
    """Restore one row in place (`kept`: the share of quantity x price left after its discount);
    returns what was done, or None."""
    qty, price, amount = line.quantity, line.unit_price, line.amount
    if amount is None or amount <= 0 or kept <= 0:
        return None
    if qty is not None and price is not None:
        if _matches(qty, price, amount, kept):
            return None
        readings = [
            (q, p)
            for q in [qty, *_separator_lost(qty)]
            for p in [price, *_separator_lost(price)]
            if (q, p) != (qty, price) and _matches(q, p, amount, kept)
        ]
        if len(readings) != 1:
            return None
        line.quantity, line.unit_price = readings[0]
        return f"{qty} x {price} read as {line.quantity} x {line.unit_price}"
    if qty is None and price:
        derived = amount / (price * kept)
        if (
            derived > 0
            and derived == derived.quantize(CENT)
            and _matches(derived, price, amount, kept)
        ):
            line.quantity = _shaped(derived, quantity_places)
            return f"quantity {line.quantity} derived from {amount} / {price}"
    if price is None and qty:
        derived = _money(amount / (qty * kept))
        if _matches(qty, derived, amount, kept):
            line.unit_price = derived
            return f"unit price {derived} derived from {amount} / {qty}"
    return None


def restore_line_numbers(
    lines: list[InvoiceLine], discounts: list[Decimal | None] | None = None
) -> list[str]:
    """Restore the garbled quantities and prices of OCR'd rows; returns the warnings to add.

    `discounts`: each line's discount percent, where the table has a discount column."""
    places = _places([ln.quantity for ln in lines])
    done = []
    for n, line in enumerate(lines, start=1):
        percent = discounts[n - 1] if discounts else None
        kept = (100 - (percent or 0)) / Decimal(100)
        change = _restore(line, places, kept)
        if change is not None:
            done.append(f"line {n} {change}")
    if not done:
        return []
    return [
        "line_numbers_restored: " + "; ".join(done) + " (the only readings for which "
        "quantity x unit price = amount)"
    ]
