"""Item amounts printed with their VAT added: the line's net amount (EN 16931 BT-131) is the
quantity times the price, where the arithmetic shows the printed amount is that net plus the
row's own VAT rate ("1 x 100,00 at 21 %: 121,00")."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from facturas_assets.documents.extraction.table_model import _Row
from facturas_assets.documents.rates import CENT


def net_of_gross(row: _Row) -> Decimal | None:
    """The row's net amount: its amount as printed, unless quantity x price misses it and,
    with the row's VAT rate added, meets it to the cent (then quantity x price)."""
    q, p, amount, vat = row.quantity, row.unit_price, row.amount, row.vat
    if q is None or p is None or amount is None or not vat or row.discount:
        return amount
    net = (q * p).quantize(CENT, ROUND_HALF_UP)
    if abs(net - amount) <= CENT:
        return amount
    gross = (net * (100 + vat) / 100).quantize(CENT, ROUND_HALF_UP)
    return net if abs(gross - amount) <= CENT else amount


def gross_note(number: int, row: _Row, net: Decimal) -> str:
    """The warning that a line's amount was printed with its VAT and its net was taken."""
    return (
        f"line_gross: line {number} amount {row.amount} is its net {net} with its "
        f"{row.vat} % VAT added; the net is taken"
    )
