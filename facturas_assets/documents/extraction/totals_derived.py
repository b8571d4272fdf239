"""Net, tax and total that nobody printed or could read (a stamp, a dark band), from the others.

A missing tax or total is the difference or sum of the two read, where the tax is to the cent a
VAT rate of the net (or net and tax are the sums of a breakdown at several rates); both missing, they are the one rate printed of a net the items vouch for.
Where a recargo or withholding was read, only a total is derived: net + tax + recargo -
withholding, each of net and tax read under its label. A missing net is the total less the tax
(and recargo, plus withholding) read under their labels, where the tax is the printed rate of it.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from facturas_assets.documents.extraction.items_tax import vouches
from facturas_assets.documents.extraction.table_model import Statement
from facturas_assets.documents.extraction.totals_options import Option
from facturas_assets.documents.rates import CENT, EU_RATES, share

DERIVED = Option(Decimal(0), 0.0, -1, "derived")  # a role left to the arithmetic
_TRUSTED = ("label", "items", "rows")  # what a derived value may be derived from
_VAT_RATES = tuple(Decimal(str(r)) for r in EU_RATES)


IRPF_RATES = tuple(Decimal(r) for r in ("1", "2", "7", "15", "19", "19.5", "21", "24"))


def irpf_rate(net: Decimal | None, withheld: Decimal) -> Decimal | None:
    """The usual IRPF rate `withheld` is of the net, to the cent, if one."""
    if net is None:
        return None
    return next((r for r in IRPF_RATES if abs(abs(withheld) - share(abs(net), r)) <= CENT), None)


def is_vat_of(tax: Decimal, net: Decimal) -> bool:
    """Whether `tax` is to the cent one of the European VAT rates of `net`."""
    return any(abs(tax - share(net, rate)) <= CENT for rate in _VAT_RATES)


def derive(
    net: Option | None,
    tax: Option | None,
    total: Option | None,
    rate: Decimal | None,
    zero_rate: bool,
    items: Decimal | None,
    extra: Decimal | None = None,
    rows: tuple[Decimal, Decimal] | None = None,
    unlabelled: tuple[Decimal, ...] = (),
    stated: tuple[Statement, ...] = (),
) -> tuple[Option | None, Option | None, Option | None, str] | None:
    """`net`, `tax` and `total` with DERIVED ones computed, and how; None where they may not be.

    `rate` is the one VAT rate printed, `zero_rate` whether a 0 % rate is printed, `items` the
    items' sum when every item amount was read with its cents, `extra` the recargo less the
    withholding read, when there are any: then only a total is derived, from a read tax;
    `rows` the sums of the breakdown's bases and taxes, which vouch for a tax at several rates;
    `unlabelled` amounts printed with a minus and no label, each maybe a withholding: a tax at
    the printed rate is derived with one where the total needs it; `stated` what the items'
    VAT column says their tax is (items_tax.py), which vouches for a tax at several rates of a
    net that is the items' sum.
    """
    if net is DERIVED:
        return _derived_net(tax, total, rate, extra)
    if tax is not DERIVED and total is not DERIVED:
        return net, tax, total, ""
    if net is None or net.origin not in _TRUSTED or net.value <= 0:
        return None
    if net.repaired and net.value != items:
        return None  # a repaired net vouches for nothing unless it is the items' sum
    if extra is not None and tax is DERIVED:
        return None  # with a recargo or withholding, only the total follows from the rest
    if tax is DERIVED and total is DERIVED:
        use = rate if rate is not None else Decimal(0) if zero_rate else None
        if use is None or items is None or net.value != items:
            return None
        value = share(net.value, use)
        how = f"the items' net and the {use.normalize():f} % rate printed"
        return net, _made(value), _made(net.value + value), how
    known = total if tax is DERIVED else tax
    if known is None or known.origin not in _TRUSTED:
        return None
    value = known.value - net.value if tax is DERIVED else net.value + known.value
    if tax is DERIVED and (rate is None or value != share(net.value, rate)):
        value += _lost_withholding(value, net.value, rate, unlabelled)
    tax_value = value if tax is DERIVED else known.value
    if known.repaired and (rate is None or tax_value != share(net.value, rate)):
        return None  # a repaired reading vouches for a derived value only with the rate printed
    by_items = net.value == items and vouches(stated, tax_value)
    several_rates = (rows is not None and (net.value, tax_value) == rows) or by_items
    if tax_value < 0 or (tax_value == 0 and not zero_rate):
        return None  # a zero tax fits any net: only a printed 0 % rate vouches for it
    if not is_vat_of(tax_value, net.value) and not several_rates:
        return None
    how = "printed amounts by arithmetic"
    if by_items:
        how += ", as the items' VAT rates state"
    if extra is not None:
        value += extra
        how = "printed amounts and the recargo or withholding read, by arithmetic"
    return (net, _made(value), total, how) if tax is DERIVED else (net, tax, _made(value), how)


def _lost_withholding(
    value: Decimal, net: Decimal, rate: Decimal | None, unlabelled: tuple[Decimal, ...]
) -> Decimal:
    """An amount printed with a minus and no label that the total less the net needs to be a
    tax (the printed rate's, or a VAT rate's where none is printed) and that is a usual IRPF
    rate of the net: a withholding whose label was lost. 0 when none is."""
    for withheld in unlabelled:
        tax = value + withheld
        at_rate = tax == share(net, rate) if rate else is_vat_of(tax, net)
        if at_rate and irpf_rate(net, withheld) is not None:
            return withheld
    return Decimal(0)


def _derived_net(
    tax: Option | None, total: Option | None, rate: Decimal | None, extra: Decimal | None
) -> tuple[Option | None, Option | None, Option | None, str] | None:
    """The net nobody could read (a digit lost, a stain) as the total less the tax, recargo and
    withholding read, each under its label: only where the tax is to the cent the one rate
    printed of it."""
    if tax is None or total is None or tax is DERIVED or total is DERIVED or not rate:
        return None
    if any(o.origin not in _TRUSTED or o.repaired not in (None, "sign") for o in (tax, total)):
        return None  # a minus dropped is the one repair the rate's check below can vouch for
    value = total.value - tax.value - (extra or Decimal(0))
    if value <= 0 or tax.value != share(value, rate):
        return None
    how = "the total, tax and any recargo or withholding read, by arithmetic"
    return _made(value), tax, total, how


def _made(value: Decimal) -> Option:
    """A derived option holding `value`."""
    return replace(DERIVED, value=value.quantize(CENT))
