"""Item numbers OCR garbled, restored only where quantity x unit price = amount allows one reading.

OCR drops the small decimal separator of a quantity or price ("4,5" read "45", "36,43" read
"3643"), takes a rule for a minus, loses or adds digits at a cell's edge ("26" for "26,71") and
loses numbers under stamps. The amount of the row, checked against the net by validation, then
tells: a quantity or price is restored when exactly one reading (separator placed, minus
dropped, or the number the amount gives, whose digits hold or are held by the ones read) makes
quantity x price equal the amount, and a missing one is derived from the other two when the
division is exact. In a table with a discount column the row's discount (none
where its cell is empty) is part of the product. Every change is reported in a warning.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from itertools import product

from facturas_assets.documents.extraction.numbers import digit_string, edge_of, one_digit_off
from facturas_assets.documents.model import InvoiceLine
from facturas_assets.documents.rates import CENT

HALF_CENT = Decimal("0.005")  # either rounding of quantity x price to cents
ONE = Decimal(1)
PRICE_PLACES_SHARE = 0.75  # of a table's prices (or amounts) that show its usual decimals
_SHIFTS = (Decimal(10), Decimal(100))


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def _kept(percent: Decimal) -> Decimal:
    """The share of quantity x price a discount of `percent` leaves."""
    return (100 - percent) / Decimal(100)


def _matches(quantity: Decimal, price: Decimal, amount: Decimal, kept: Decimal = ONE) -> bool:
    return abs(quantity * price * kept - amount) <= HALF_CENT


def _separator_lost(value: Decimal | None) -> list[Decimal]:
    """Readings of a number printed without decimals whose separator OCR may have dropped."""
    if value is None or value.as_tuple().exponent < 0 or abs(value) < 10:
        return []
    return [value / shift for shift in _SHIFTS]


def _readings(value: Decimal) -> list[Decimal]:
    """`value` as read, without a minus that was a speck, and with its separator restored."""
    signs = [value, -value] if value < 0 else [value]
    return [reading for v in signs for reading in (v, *_separator_lost(v))]


def _price_readings(price: Decimal) -> list[Decimal]:
    """A price's readings, and one printed with cents and a glued "€" that OCR read as a digit
    after dropping the separator ("26480" for 26,48€)."""
    glued = [(price // 10) / 100] if price.as_tuple().exponent >= 0 and price >= 1000 else []
    return [*_readings(price), *glued]


def _digits(value: Decimal) -> str:
    """A number's digits without the zeros at either end ("26" for 26,00 and for 0,26)."""
    return digit_string(value).strip("0") or "0"


def _partial_readings(
    qty: Decimal, price: Decimal, amount: Decimal, kept: Decimal, quantity_places: int | None
) -> set[tuple[Decimal, Decimal]]:
    """A price read with digits lost at an edge ("26" for 26,71, "55" for 57,55), one digit
    too many ("11,553" for 11,53) or one misread ("15,52" for 55,52), or a quantity with a
    speck read as a digit beside it ("41" or "24" for 4) or a whole quantity with a digit lost
    ("1" for 11): the number the amount and the other number give, when the digits read are
    its start or end or one digit off it (prices), or hold it or are held by it at their start
    or end (quantities). Only for rows whose discount is known (read, or the table has none)."""
    found = set()
    if qty > 0:
        derived_price = _money(amount / (qty * kept))
        read, derived = _digits(price), _digits(derived_price)
        # One digit misread needs a quantity above one: an amount equal to the price tells
        # nothing of which of the two was misread.
        misread = qty > 1 and one_digit_off(read, derived)
        if (
            _matches(qty, derived_price, amount, kept)
            and len(read) >= 2
            and (edge_of(read, derived) or _one_digit_more(read, derived) or misread)
        ):
            found.add((qty, derived_price))
    if price > 0:
        for derived_qty in _whole_quantities(amount / (price * kept)):
            shaped = _shaped(derived_qty, quantity_places)
            read, derived = _digits(qty), _digits(shaped)
            edge = edge_of(derived, read) or derived_qty % 1 == 0 and edge_of(read, derived)
            if _matches(shaped, price, amount, kept) and edge:
                found.add((shaped, price))
    return found


def _whole_quantities(derived: Decimal) -> set[Decimal]:
    """The quantities `derived` (amount / price, rounded cents and all) may stand for: itself
    when exact to the cent, else the whole number or tenths next to it (1.00002 is 1 when a
    discount's rounding made the amount 52,42)."""
    if derived == derived.quantize(CENT):
        return {derived}
    return {derived.quantize(ONE), derived.quantize(Decimal("0.1"))} - {Decimal(0)}


def _one_digit_more(read: str, true: str) -> bool:
    """True when `read` is `true` with one digit added somewhere."""
    return len(read) == len(true) + 1 and any(
        read[:k] + read[k + 1 :] == true for k in range(len(read))
    )


def _shaped(value: Decimal, places: int | None) -> Decimal:
    """A derived number printed the way the table prints its others (3, 3.00 or 4.5)."""
    if places is not None:
        return value.quantize(Decimal(1).scaleb(-places))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _decimals(value: Decimal) -> int:
    return max(0, -value.as_tuple().exponent)


def _places(values: list[Decimal | None], share: float = 1.0) -> int | None:
    """The number of decimals the table prints these numbers with, when at least `share` of
    them have it (and it is not none)."""
    counts = Counter(_decimals(v) for v in values if v is not None)
    if not counts:
        return None
    places, n = counts.most_common(1)[0]
    return places if places > 0 and n >= share * sum(counts.values()) else None


Proposal = tuple[Decimal | None, Decimal | None, str]


@dataclass(frozen=True, slots=True)
class _TableShapes:
    """The decimals a table prints its quantities, prices and amounts with (None: mixed)."""

    quantity_places: int | None
    price_places: int | None
    amount_places: int | None


def _restore(
    line: InvoiceLine,
    shapes: _TableShapes,
    kept: tuple[Decimal, ...],
    kept_known: bool,
) -> str | None:
    """Restore one row in place (`kept`: the shares of quantity x price its discount may leave,
    one when it was read or the table has none, `kept_known`: whether it was); returns what was
    done, or None. An amount printed without the cents every other amount has lost its
    separator; a minus before the amount of a row priced above zero was a rule or a speck."""
    amount = line.amount
    if any(k <= 0 for k in kept):
        return None
    if amount is None:
        return _amount_of_row(line, kept[0] if kept_known else None, shapes.price_places)
    if amount == 0:
        return None
    speck = _without_leading_digit(line, kept)
    if speck is not None:
        return speck
    amounts = [amount]
    if amount < 0:
        if not (line.quantity and line.quantity > 0 and line.unit_price and line.unit_price > 0):
            return None
        amounts = [-amount]
    if shapes.amount_places == 2 and _decimals(amount) == 0 and abs(amount) >= 100:
        amounts.append(amounts[0] / 100)
        if abs(amount) >= 1000:
            amounts.append((amounts[0] // 10) / 100)  # "47460" for 47,46€: its "€" a digit
    # The row's own discount (or none) first; then the others the table gives, together.
    tries = [(reading, k) for k in (kept[:1], kept[1:]) if k for reading in amounts]
    for reading, shares in tries:
        proposal = _proposal(line, reading, shapes, shares, kept_known)
        if proposal is None:
            continue
        line.quantity, line.unit_price, done = proposal
        if reading != amount:
            line.amount = reading
            done += f", amount {amount} read as {reading}"
        return done
    return _amount_of_row(line, kept[0] if kept_known else None, shapes.price_places)


def _amount_of_row(line: InvoiceLine, kept: Decimal | None, price_places: int | None) -> str | None:
    """An amount lost (under a stamp, or read as no number), or read with digits lost at an edge
    ("43" for 110,43), beside a quantity and price read whole: quantity x price, less the row's
    known discount. A lost amount needs the price printed with the table's decimals."""
    qty, price, amount = line.quantity, line.unit_price, line.amount
    if kept is None or qty is None or price is None or qty <= 0 or price <= 0:
        return None
    product = _money(qty * price * kept)
    if amount is None:
        if price_places is None or _decimals(price) != price_places:
            return None  # "5645" for 56,45: a price that lost its separator gives no amount
        line.amount = product
        return f"amount unread, taken as {product} ({qty} x {price})"
    read = _digits(amount)
    if len(read) < 2 or not edge_of(read, _digits(product)):
        return None
    line.amount = product
    return f"amount {amount} read as {product} ({qty} x {price}, digits lost at its edge)"


def _without_leading_digit(line: InvoiceLine, kept: tuple[Decimal, ...]) -> str | None:
    """An amount read with one digit more at its left edge ("429,91" for 29,91, "1452,50"
    for 452,50: the "€" or a rule before it read as a digit), where quantity x price under
    exactly one of the shares its discount may leave is the rest, cents and all."""
    qty, price, amount = line.quantity, line.unit_price, line.amount
    if qty is None or price is None or amount is None or min(qty, price, amount) <= 0:
        return None
    if _decimals(amount) != 2:
        return None
    read = digit_string(amount)
    fits = {v for k in kept for v in [_money(qty * price * k)] if read[1:] == digit_string(v)}
    if len(fits) != 1 or any(
        edge_of(digit_string(price), digit_string(_money(amount / (qty * k)))) for k in kept
    ):
        return None  # or the price lost that digit ("3,49" for 13,49 beside 26,98)
    line.amount = fits.pop()
    return f"amount {amount} read as {line.amount} ({qty} x {price}, a digit before it a speck)"


def _proposal(
    line: InvoiceLine,
    amount: Decimal,
    shapes: _TableShapes,
    kept: tuple[Decimal, ...],
    kept_known: bool,
) -> Proposal | None:
    """The quantity and price `amount` gives the row (with what was done), or None."""
    qty, price = line.quantity, line.unit_price
    if qty is not None and price is not None:
        if qty < 0 and price < 0 and any(_matches(-qty, -price, amount, k) for k in kept):
            return -qty, -price, f"{qty} x {price} read as {-qty} x {-price}"  # two specks
        if any(_matches(qty, price, amount, k) for k in kept):
            return None if amount == line.amount else (qty, price, f"{qty} x {price}")
        readings = {
            (q, p)
            for q in _readings(qty)
            for p in _price_readings(price)
            for k in kept
            if (q, p) != (qty, price) and _matches(q, p, amount, k)
        }
        if not readings and kept_known:
            readings = _partial_readings(qty, price, amount, kept[0], shapes.quantity_places)
        readings = _printed_like(readings, shapes.price_places)
        if len(readings) != 1:
            return None
        q, p = readings.pop()
        return q, p, f"{qty} x {price} read as {q} x {p}"
    if qty is None and price:
        # The price as read, or without a rule's minus or with its separator put back.
        found = {
            (_shaped(q, shapes.quantity_places), p)
            for p in _price_readings(price)
            if p > 0
            for k in kept
            for q in _whole_quantities(amount / (p * k))
            if _matches(q, p, amount, k)
        }
        found = _printed_like(found, shapes.price_places)
        if len(found) == 1:
            shaped, p = found.pop()
            read = "" if p == price else f" (price {price} read as {p})"
            return shaped, p, f"quantity {shaped} derived from {amount} / {p}{read}"
    if price is None and qty and (kept_known or kept == (ONE,)):
        derived = _money(amount / (qty * kept[0]))
        if _matches(qty, derived, amount, kept[0]):
            return qty, derived, f"unit price {derived} derived from {amount} / {qty}"
    return None


def _printed_like(
    readings: set[tuple[Decimal, Decimal]], price_places: int | None
) -> set[tuple[Decimal, Decimal]]:
    """Of several readings, the one whose price has the decimals the table prints its prices
    with ("6249" is 3 x 62,49, not 0,3 x 624,9), when one only has them."""
    if len(readings) < 2 or price_places is None:
        return readings
    printed = {(q, p) for q, p in readings if _decimals(p) == price_places}
    return printed if len(printed) == 1 else readings


def _swapped(line: InvoiceLine, lines: list[InvoiceLine], price_places: int | None) -> str | None:
    """Quantity and price read in each other's columns ("170,20 x 5" for 5 x 170,20), or the
    price alone read in the quantity's: a quantity printed with the price's decimals, unlike
    the table's other quantities, beside a price without them or none; put back (the product,
    and so the amount, is the same; a lone price leaves the quantity to be derived)."""
    qty, price = line.quantity, line.unit_price
    if qty is None or not price_places or _decimals(qty) != price_places:
        return None
    if price is not None and _decimals(price) != 0:
        return None
    others = [ln.quantity for ln in lines if ln is not line and ln.quantity is not None]
    if not others or sum(_decimals(q) == price_places for q in others) > len(others) / 4:
        return None
    line.quantity, line.unit_price = price, qty
    if price is None:
        return f"{qty} read in the quantity column is the unit price"
    return f"{qty} x {price} read as {price} x {qty} (in each other's columns)"


def _without_extra_digit(
    line: InvoiceLine, price_places: int | None, amount_places: int | None, kept: Decimal
) -> str | None:
    """A price or amount with one decimal more than the table prints ("17,131" for 17,13 with
    its "€" read as a 1): the digit dropped when the row then adds up to the cent."""
    qty, price, amount = line.quantity, line.unit_price, line.amount
    if qty is None or price is None or amount is None:
        return None
    cut_price = _cut(price, price_places)
    cut_amount = _cut(amount, amount_places)
    if (cut_price, cut_amount) == (price, amount) or not _matches(qty, cut_price, cut_amount, kept):
        return None
    line.unit_price, line.amount = cut_price, cut_amount
    return f"{qty} x {price} = {amount} read as {qty} x {cut_price} = {cut_amount}"


def _cut(value: Decimal, places: int | None) -> Decimal:
    """`value` without its last decimal, when it has exactly one more than `places`."""
    if places is None or _decimals(value) != places + 1:
        return value
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


def _shares(
    lines: list[InvoiceLine], discounts: list[Decimal | None] | None
) -> list[tuple[tuple[Decimal, ...], bool]]:
    """Per row, the shares of quantity x price its discount may leave, and whether it was read
    (or the table has none): its own; where its cell was unread, none first, then any discount
    the table gives on another row."""
    if not discounts:
        return [((ONE,), True)] * len(lines)
    given = sorted({_kept(d) for d in discounts if d}, reverse=True)
    return [((_kept(d),), True) if d is not None else ((ONE, *given), False) for d in discounts]


def restore_line_numbers(
    lines: list[InvoiceLine], discounts: list[Decimal | None] | None = None
) -> list[str]:
    """Restore the garbled quantities and prices of OCR'd rows; returns the warnings to add.

    `discounts`: each line's discount percent (0 where it has none, None where its discount
    cell was unreadable)."""
    shapes = _TableShapes(
        quantity_places=_places([ln.quantity for ln in lines]),
        price_places=_places([ln.unit_price for ln in lines], share=PRICE_PLACES_SHARE),
        amount_places=_places([ln.amount for ln in lines], share=PRICE_PLACES_SHARE),
    )
    done = []
    for n, (line, (kept, known)) in enumerate(
        zip(lines, _shares(lines, discounts), strict=True), 1
    ):
        change = _swapped(line, lines, shapes.price_places)
        # A price moved out of the quantity column still wants its quantity derived.
        if change is None or line.quantity is None:
            restored = _without_extra_digit(
                line, shapes.price_places, shapes.amount_places, kept[0]
            ) or _restore(line, shapes, kept, known)
            change = ", ".join(c for c in (change, restored) if c) or None
        if change is not None:
            done.append(f"line {n} {change}")
    price_places = _places([ln.unit_price for ln in lines], share=PRICE_PLACES_SHARE)
    for line in lines:
        if line.unit_price is not None and price_places is not None:
            # "159,7" with its last zero lost: the same price, written as the others are.
            line.unit_price = _shaped(
                line.unit_price, max(price_places, _decimals(line.unit_price))
            )
        if (
            line.amount is not None
            and shapes.amount_places
            and 0 < _decimals(line.amount) < shapes.amount_places
        ):
            line.amount = _shaped(line.amount, shapes.amount_places)  # "32,7" for 32,70 likewise
    if not done:
        return []
    return [
        "line_numbers_restored: " + "; ".join(done) + " (the only readings for which "
        "quantity x unit price = amount)"
    ]


def restore_amounts_from_net(
    lines: list[InvoiceLine], discounts: list[Decimal | None] | None, net: Decimal | None
) -> list[str]:
    """Amounts OCR garbled ("1" for 68,73, a rule read as a minus) or lost under a stamp, where
    the row's quantity x price (less its discount) gives them, and rows a stamp or speck made
    of nothing (an amount without a word or a price): each row's readings are tried together,
    and taken only when exactly one choice makes the lines add up to the net."""
    if net is None:
        return []
    options = [
        _amount_options(ln, kept, known)
        for ln, (kept, known) in zip(lines, _shares(lines, discounts), strict=True)
    ]
    if all(len(o) == 1 and o[0] == ln.amount for o, ln in zip(options, lines, strict=True)):
        return []
    fits = _choices_adding_up(options, net)
    if fits is None:
        return _with_lost_minus(lines, options, net)
    return _apply(lines, fits)


_PHANTOM = "dropped"  # a row's reading: not a row at all
Reading = Decimal | None | str  # an amount, none, or _PHANTOM
_MAX_CHOICES = 512  # combinations of row readings tried against the net


def _amount_options(line: InvoiceLine, shares: tuple[Decimal, ...], known: bool) -> list[Reading]:
    """What a row's amount may be: as read; quantity x price less its discount (any the table
    gives, or none, where its discount cell was unreadable); or nothing, for a phantom row."""
    if line.quantity is None or line.unit_price is None:
        phantom = line.amount is not None and not _has_words(line.description)
        return [line.amount, _PHANTOM] if phantom else [line.amount]
    if line.amount is not None and any(
        _matches(line.quantity, line.unit_price, line.amount, k) for k in shares
    ):
        return [line.amount]
    products = [_money(line.quantity * line.unit_price * k) for k in shares]
    products = list(dict.fromkeys(p for p in products if p > 0))
    if not known and line.amount is not None:
        return [line.amount, *products]  # an unread discount may explain the amount as read
    return products or [line.amount]


def _has_words(description: str | None) -> bool:
    return bool(description) and any(
        sum(ch.isalpha() for ch in word) >= 3 for word in (description or "").split()
    )


def _choices_adding_up(options: list[list[Reading]], net: Decimal) -> list[Reading] | None:
    """The one choice of a reading per row whose amounts add up to `net`, or None."""
    if math.prod(len(o) for o in options) > _MAX_CHOICES:
        return None
    fits = []
    for choice in product(*options):
        total = sum((a for a in choice if isinstance(a, Decimal)), Decimal(0))
        if total == net:
            fits.append(choice)
            if len(fits) > 1:
                return None
    return list(fits[0]) if fits else None


def _with_lost_minus(
    lines: list[InvoiceLine], options: list[list[Reading]], net: Decimal
) -> list[str]:
    """Rows restored from quantity x price when a discount row also lost its minus ("Sconto
    10 %  113,51"): the lines then exceed the net by twice its amount. Each row counts with
    its first reading (as read, or the one quantity x price gives; a phantom row kept)."""
    amounts = [a for o in options if isinstance(a := o[0], Decimal)]
    if len(amounts) != len(options):
        return []  # a row without an amount
    eligible = [ln.quantity is None and ln.unit_price is None for ln in lines]
    n = _lost_minus(amounts, net, eligible)
    if n is None:
        return []
    amounts[n] = -amounts[n]
    return _apply(lines, list(amounts))


def _apply(lines: list[InvoiceLine], chosen: list[Reading]) -> list[str]:
    """Set the chosen amounts, drop the phantom rows; returns the warnings."""
    restored, dropped = [], []
    for n, (line, amount) in enumerate(zip(lines, chosen, strict=True)):
        if amount == _PHANTOM:
            dropped.append(f"line {n + 1} ({line.description or 'no words'}, {line.amount})")
        elif isinstance(amount, Decimal) and amount != line.amount:
            restored.append(f"line {n + 1} amount {line.amount} read as {amount}")
            line.amount = amount
    lines[:] = [ln for ln, a in zip(lines, chosen, strict=True) if a != _PHANTOM]
    warnings = []
    if restored:
        warnings.append(
            "amount_restored: " + "; ".join(restored) + " (quantity x unit price, the only "
            "reading for which the lines add up to the net)"
        )
    if dropped:
        warnings.append(
            "phantom_rows_dropped: " + "; ".join(dropped) + " (an amount without words or a "
            "price, left out because the other lines add up to the net without it)"
        )
    return warnings


def restore_lost_minus(lines: list[InvoiceLine], net: Decimal | None) -> list[str]:
    """A discount row whose minus OCR lost ("Descuento 3 %  66,25"): the lines then exceed the
    net by twice its amount. The one row that explains the excess so is made negative."""
    if net is None:
        return []
    amounts = [ln.amount if ln.amount is not None else Decimal(0) for ln in lines]
    # A row priced so that quantity x price is its amount is an item, never a discount.
    unpriced = [
        ln.amount is not None
        and not (ln.quantity and ln.unit_price and _matches(ln.quantity, ln.unit_price, ln.amount))
        for ln in lines
    ]
    n = _lost_minus(amounts, net, unpriced)
    if n is None:
        return []
    line = lines[n]
    line.amount = -amounts[n]
    return [
        f"amount_sign_restored: line {n + 1} amount {-line.amount} read as {line.amount}, the "
        "only reading for which the lines add up to the net"
    ]


def _lost_minus(amounts: list[Decimal], net: Decimal, eligible: list[bool]) -> int | None:
    """The one eligible row whose amount, made negative, makes `amounts` add up to `net`: the
    lines then exceed the net by twice its amount."""
    excess = sum(amounts, Decimal(0)) - net
    if excess <= 0:
        return None
    found = [n for n, a in enumerate(amounts) if eligible[n] and a * 2 == excess]
    return found[0] if len(found) == 1 else None
