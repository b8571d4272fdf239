"""Item amounts printed with their VAT added: the line's net amount (EN 16931 BT-131) is the
quantity times the price, where the arithmetic shows the printed amount is that net plus the
row's own VAT, at its rate ("1 x 100,00 at 21 %: 121,00") or as its own amount ("1 x 100,00,
VAT 21,00: 121,00")."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from facturas_assets.documents.extraction.table_model import _Row
from facturas_assets.documents.rates import CENT


def net_of_gross(row: _Row) -> Decimal | None:
    """The row's net amount: its amount as printed, unless quantity x price misses it and,
    with the row's VAT added (at its rate or as its VAT column's amount), meets it to the cent
    (then quantity x price, or with no quantity the number before the VAT)."""
    q, p, amount = row.quantity, row.unit_price, row.amount
    if p is None or amount is None or row.discount:
        return amount
    if q is None:
        # No quantity: the number before the VAT is the line's net ("Base | IVA | Total").
        v = row.vat_amount
        return p if v and abs(p + v - amount) <= CENT else amount
    net = (q * p).quantize(CENT, ROUND_HALF_UP)
    if abs(net - amount) <= CENT:
        return amount
    grosses = []
    if row.vat:
        grosses.append((net * (100 + row.vat) / 100).quantize(CENT, ROUND_HALF_UP))
    if row.vat_amount:
        grosses.append(net + row.vat_amount)
    return net if any(abs(gross - amount) <= CENT for gross in grosses) else amount


def gross_note(number: int, row: _Row, net: Decimal) -> str:
    """The warning that a line's amount was printed with its VAT and its net was taken."""
    vat = f"{row.vat} % VAT" if row.vat and row.vat_amount is None else f"VAT {row.amount - net}"
    return (
        f"line_gross: line {number} amount {row.amount} is its net {net} with its "
        f"{vat} added; the net is taken"
    )
