"""VAT rates an invoice may plausibly carry, and money's smallest unit (no imports of the
package: extraction and validation both use them)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def share(base: Decimal, rate: Decimal) -> Decimal:
    """`rate` percent of `base`, rounded to the cent as invoices round it."""
    return (base * rate / 100).quantize(CENT, ROUND_HALF_UP)


SPANISH_RATES = (0, 4, 5, 7, 10, 21)  # IVA general/reduced/super-reduced; 7 is IGIC Canarias
# Recargo de equivalencia per IVA rate (Ley 37/1992, art. 161).
RECARGO_RATES = {
    Decimal(21): Decimal("5.2"),
    Decimal(10): Decimal("1.4"),
    Decimal(4): Decimal("0.5"),
}
EU_RATES = (
    0,
    2.1,
    3,
    4,
    5,
    5.5,
    6,
    7,
    8,
    8.1,
    9,
    10,
    12,
    13,
    14,
    17,
    19,
    20,
    21,
    22,
    23,
    24,
    25,
    27,
)
