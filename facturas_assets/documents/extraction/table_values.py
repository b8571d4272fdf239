"""What an item table cell's text holds: one number, a value, a percentage, or nothing."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from facturas_assets.documents.extraction.layout import Cell
from facturas_assets.documents.extraction.numbers import find_amounts
from facturas_assets.documents.extraction.text import alnum_count

_PERCENT = re.compile(r"^[-+]?\d+(?:[.,]\d+)?\s?%$")

# A currency's ISO 4217 code before or after an amount in cents ("DKK 800.00", "5 000,00
# NOK"), any currency: the shape alone ("SRV 84", "SKF 6205" are codes, no money).
# A sign before the code is the amount's ("-DKK 625,00").
_CURRENCY_CODE = re.compile(r"^(?P<sign>[-−–]?)[A-Z]{3}\s(?=-?\d)|(?<=\d)\s[A-Z]{3}$")


def _without_code(text: str) -> str:
    """A cell's text without the currency code beside its amount, the sign before it kept."""
    return _CURRENCY_CODE.sub(lambda m: m.group("sign") or "", text)


# A quantity or price written with four decimals or more ("1,00000000", "25,000000 €"): no
# thousands separator groups so many digits, whichever the sign.
_LONG_DECIMAL = re.compile(
    r"^(?:[A-Z]{3}\s?|[€$£]\s?)?(-?\d+)[.,](\d{4,})(?:\s?[€$£]|\s[A-Z]{3})?$"
)


def _long_decimal(text: str) -> Decimal | None:
    m = _LONG_DECIMAL.match(text.strip())
    return Decimal(f"{m[1]}.{m[2]}") if m else None


@lru_cache(maxsize=1 << 16)  # a row's cells are tried in many cuts and rows: texts repeat
def _is_numeric(text: str, decimal_hint: str | None) -> bool:
    """Whether a cell's text is one number (an amount, a percent, a long decimal)."""
    t = text.strip()
    if _PERCENT.match(t) or _long_decimal(t) is not None:
        return True
    bare = _without_code(t)
    found = find_amounts(bare, decimal_hint)
    whole = len(found) == 1 and found[0].start == 0 and found[0].end == len(bare)
    return whole and (bare == t or found[0].has_decimals)


def _percent(cells: list[Cell] | None, decimal_hint: str | None) -> Decimal | None:
    """A discount cell's percentage ("10,00%", "5 %", "15"): 0 where the cell is empty, None
    where its text is no percentage."""
    if not cells:
        return Decimal(0)
    found = find_amounts(" ".join(c.text for c in cells).replace("%", " "), decimal_hint)
    value = found[-1].value if found else None
    return value if value is not None and 0 <= value < 100 else None


def _vat_amount(cells: list[Cell] | None, decimal_hint: str | None) -> Decimal | None:
    """A VAT cell's number where no % sign marks it a rate: it may be the line's VAT amount."""
    if not cells or any("%" in c.text for c in cells):
        return None
    return _value(cells, decimal_hint)


def _value(cells: list[Cell] | None, decimal_hint: str | None) -> Decimal | None:
    if not cells:
        return None
    text = " ".join(c.text for c in cells)
    found = find_amounts(_without_code(text.strip()), decimal_hint)
    if not found:
        return _long_decimal(text)
    *before, last = found
    if before and before[-1].has_decimals and not last.has_decimals and abs(last.value) < 10:
        return before[-1].value  # "33,92€1": a speck after the amount, read as a digit
    return last.value


def _specks(cells: list[Cell]) -> bool:
    """Cells of one- or two-letter specks ("Av)" beside a wrapped description: a stamp's
    remnant); a longer unreadable word in a number's column ("TUE") may be its value."""
    return all(alnum_count(c.text) < 3 and not re.search(r"\d", c.text) for c in cells)


def _tiny(cells: list[Cell]) -> bool:
    """Cells that hold no value: a lone digit or letter left of a column rule ("1", "l")."""
    return all(alnum_count(c.text) <= 1 for c in cells)
