"""How amounts, quantities, percentages and dates are printed, per language and issuer style."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

MONTHS = {
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "en": "January February March April May June July August September October November December",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "ca": "gener febrer març abril maig juny juliol agost setembre octubre novembre desembre",
    "gl": "xaneiro febreiro marzo abril maio xuño xullo agosto setembro outubro novembro decembro",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
}


def money(value: Decimal) -> Decimal:
    """Round to cents, half up (the rounding every printed amount uses)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class NumberStyle:
    """Separators and currency placement of one issuer's printed numbers."""

    decimal: str = ","
    thousands: str = "."  # "" for none
    symbol: str = "€"
    symbol_prefix: bool = False  # "€1,234.56" instead of "1.234,56 €"
    symbol_space: bool = True
    symbol_in_table: bool = True  # table cells carry the symbol (totals always do)

    def number(self, value: Decimal, places: int = 2) -> str:
        """A number with fixed decimals and grouped thousands: 1.234,56 / 1,234.56 / 1 234,56."""
        q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        sign = "-" if q < 0 else ""
        digits = f"{abs(q):.{places}f}"
        whole, _, frac = digits.partition(".")
        if self.thousands and len(whole) > 3:
            groups = []
            while whole:
                groups.insert(0, whole[-3:])
                whole = whole[:-3]
            whole = self.thousands.join(groups)
        return sign + whole + (self.decimal + frac if places else "")

    def amount(self, value: Decimal, with_symbol: bool = True, places: int = 2) -> str:
        """A money amount as printed, with or without the currency symbol."""
        text = self.number(value, places)
        if not with_symbol or not self.symbol:
            return text
        gap = " " if self.symbol_space else ""
        if self.symbol_prefix:
            if text.startswith("-"):
                return f"-{self.symbol}{gap}{text[1:]}"
            return f"{self.symbol}{gap}{text}"
        return f"{text}{gap}{self.symbol}"

    def quantity(self, value: Decimal) -> str:
        """A quantity exactly as its Decimal exponent says (2.5 -> "2,5", 3.00 -> "3,00")."""
        places = max(0, -value.as_tuple().exponent)  # type: ignore[operator]
        return self.number(value, places)

    def percent(self, value: Decimal, places: int = 0, space: bool = True) -> str:
        """A percentage such as "21 %" or "21,00%"."""
        return self.number(value, places) + (" %" if space else "%")


def format_date(d: date, style: str, language: str) -> str:
    """A date in one of the printed styles: dmy-slash, dmy-dash, dmy-dot, long, iso, long-en."""
    if style == "dmy-slash":
        return d.strftime("%d/%m/%Y")
    if style == "dmy-dash":
        return d.strftime("%d-%m-%Y")
    if style == "dmy-dot":
        return d.strftime("%d.%m.%Y")
    if style == "iso":
        return d.isoformat()
    if style == "long":
        month = MONTHS[language].split()[d.month - 1]
        if language in ("es", "pt", "gl"):
            return f"{d.day} de {month} de {d.year}"
        if language == "ca":  # "d'abril", "d'octubre": the article elides before a vowel
            of = "d'" if month[0] in "aeiou" else "de "
            return f"{d.day} {of}{month} de {d.year}"
        if language == "de":
            return f"{d.day}. {month} {d.year}"
        if language == "en":
            return f"{d.day} {month} {d.year}"
        return f"{d.day} {month} {d.year}"
    raise ValueError(f"unknown date style {style!r}")
