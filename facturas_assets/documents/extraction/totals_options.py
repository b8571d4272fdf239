"""The amounts that may fill each role of an invoice's totals, each with a prior.

Roles are net, tax, total, withholding and recargo. Options come from values next to a label
(the label's strength and OCR's certainty), from the sums of a breakdown by rate (each row's tax
being its rate of its base), from amounts of the totals block no label was read for (a low
prior, raised for the last and largest amount as a total and for a line printing a rate as a
tax) and from readings of OCR's usual slips (a lost decimal sign, a speck read as a minus, digits
lost at an edge), which the search believes only where the sums then agree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from facturas_assets.documents.extraction.fields import Candidate, Garbled
from facturas_assets.documents.extraction.layout import Line, median
from facturas_assets.documents.extraction.numbers import (
    digit_string,
    edge_of,
    find_amounts,
    one_digit_off,
)
from facturas_assets.documents.extraction.tax_extras import TaxExtras, breakdown_sums, is_extra_line
from facturas_assets.documents.extraction.text import words_in_span
from facturas_assets.documents.extraction.totals_block import MAX_AMOUNTS

ROLES = ("net_total", "tax_total", "total")
# Priors of amounts that no label vouches for: the arithmetic must do the rest.
_UNLABELLED = 0.15
_LAST_AND_LARGEST = 0.1  # a total is usually the last and largest amount of the block
_LARGER_PRINT = 0.05  # ... and often printed larger
_RATE_ON_LINE = 0.05  # a tax is usually printed beside its rate
_ITEMS = 0.1  # the items' sum as a net nobody printed (or nobody read)
SURE = 0.9  # a labelled value's prior when its label is strong and its words certain
_ROWS = 0.6  # the sums of breakdown rows whose tax is their rate of their base
_REPAIRED = 0.8  # a lost decimal sign or a speck read as a minus
_EDGE = 0.7  # digits lost or added at an edge
_EDGE_MIN_DIGITS, _EDGE_MAX_LOST = 2, 2
SHORT_EDGE = 4  # fewer digits kept than this: the tax must be a VAT rate of the net too
_MAX_SUMMED = 4  # tax lines (one per rate) tried as their sum


@dataclass(frozen=True, slots=True)
class Option:
    """An amount that may fill a role: its value, prior, line and where it comes from."""

    value: Decimal
    prior: float
    line: int  # document line index; -1 for sums of several lines
    # "label", "rows" (breakdown sums), "block" (no label read), "items" (their sum as a net);
    # the search adds "zero" (an unprinted zero tax) and "derived" (totals_derived)
    origin: str
    repaired: str | None = None  # the OCR slip restored, e.g. "decimal sign"
    at: int = -1  # where on its line an unlabelled amount starts (one printing, one role)
    read: Decimal | None = None  # a repaired option's value as read


def total_options(
    candidates: list[Candidate],
    block: list[Line],
    hint: str | None,
    extras: TaxExtras,
    items: Decimal | None = None,
    credit: bool = False,
) -> dict[str, list[Option]]:
    """Options for net, tax and total: labelled, breakdown sums, unlabelled, repairs (`credit`:
    the document corrects another, so its amounts may have lost their minus), and the items'
    sum as a net (`items`: given when every item amount was read with its cents)."""
    groups: dict[str, list[Candidate]] = {}
    for c in candidates:
        if c.kind in ROLES and isinstance(c.value, Decimal):
            groups.setdefault(c.kind, []).append(c)
    read = {
        role: _with_repairs(_with_sums(groups.get(role, []), summed=role != "total"), credit)
        for role in ROLES
    }
    rows = breakdown_sums(extras.breakdown)
    if rows is not None:
        read["net_total"].append(Option(rows[0], _ROWS, -1, "rows"))
        read["tax_total"].append(Option(rows[1], _ROWS, -1, "rows"))
    net, tax, total = (read[r] for r in ROLES)
    net_plus_tax = _derived(net, tax, 1)
    out = {
        "net_total": [*net, *_edge_repairs(net, _derived(total, tax, -1))],
        "tax_total": [*tax, *_edge_repairs(tax, _derived(total, net, -1))],
        "total": [
            *total,
            *_edge_repairs(total, net_plus_tax),
            *_digit_repairs(total, net_plus_tax),
        ],
    }
    parts = _row_parts(extras)
    for role, opts in unlabelled_options(block, hint).items():
        # An amount read next to one role's label is still, unlabelled, an option of the others
        # (a garbled "Total (IVA incl.)" reads as a tax label).
        taken = {(o.line, o.value) for o in out[role] if o.origin == "label"}
        out[role].extend(
            o for o in opts if (o.line, o.value) not in taken and o.value not in parts[role]
        )
    if items is None:
        return out
    # A net read with digits lost at an edge ("55,64" for 2.155,64) may be the items' sum.
    out["net_total"].extend(_edge_repairs(net, {items}))
    if not any(o.origin == "label" and o.prior >= SURE for o in net):
        # The items' sum stands in for a net read unsurely or not at all; a net read surely is
        # the invoice's, even where its figures disagree (then validation says so).
        out["net_total"].append(Option(items, _ITEMS, -1, "items"))
    return out


def _row_parts(extras: TaxExtras) -> dict[str, set[Decimal]]:
    """Per role, the amounts no label was read for that a breakdown at several rates shows to
    be a part of it, not the role's: one rate's base is neither the net nor the tax (the
    bases of two rates and their sum add up like net, tax and total)."""
    bases = {r.base for r in extras.breakdown if r.base}
    rows = breakdown_sums(extras.breakdown)
    if len(bases) < 2 or rows is None:
        return {role: set() for role in ROLES}
    return {"net_total": bases - {rows[0]}, "tax_total": bases - {rows[1]}, "total": set()}


def unlabelled_options(block: list[Line], hint: str | None) -> dict[str, list[Option]]:
    """The totals block's amounts with cents that no label was read for, as options of every
    role (a zero of the tax only); none when the block holds more amounts than a totals block does (it was not found)."""
    found: list[tuple[Line, Decimal, float, float, int]] = []
    for line in block:
        if is_extra_line(line.text):
            continue  # a withholding or recargo amount is no net, tax or total
        for amount in find_amounts(line.text, hint):
            if not amount.has_decimals or amount.value.as_tuple().exponent < -2:
                continue  # money is in cents: "10,0000" is a unit price
            words = words_in_span(line.words, amount.start, amount.end)
            conf = min(w.confidence for w in words)
            height = max(w.y1 - w.y0 for w in words)
            found.append((line, amount.value, conf, height, amount.start))
    if not found or len(found) > MAX_AMOUNTS:
        return {role: [] for role in ROLES}
    typical = median([f[3] for f in found])
    largest = max(abs(f[1]) for f in found)
    last = found[-1][0].index
    out: dict[str, list[Option]] = {role: [] for role in ROLES}
    for line, value, conf, height, at in found:
        base = _UNLABELLED * conf
        total = base
        if abs(value) == largest and line.index == last:
            total += _LAST_AND_LARGEST
        if height > typical * 1.15:
            total += _LARGER_PRINT
        tax = base + (_RATE_ON_LINE if "%" in line.text else 0.0)
        for role, prior in (("net_total", base), ("tax_total", tax), ("total", total)):
            if value != 0 or role == "tax_total":  # a printed zero can only be a tax
                out[role].append(Option(value, prior, line.index, "block", at=at))
    return out


def _labelled(c: Candidate) -> Option:
    """A labelled candidate as an option (a garbled reading keeps its digits for the repairs)."""
    return Option(c.value, c.score, c.line, "label")


def _with_sums(cands: list[Candidate], summed: bool) -> list[Option]:
    """The candidates, plus the sum of distinct right-of-label ones (one per VAT rate, a line
    each) and of the ones under the labels of one band ("VAT 20% | VAT 5%" over their
    amounts)."""
    out = [_labelled(c) for c in cands]
    if not summed:
        return out
    read = [c for c in cands if not isinstance(c.value, Garbled)]
    right = [c for c in read if not c.below]
    groups = [right] if len({c.line for c in right}) == len(right) else []
    bands: dict[int, list[Candidate]] = {}
    for c in read:
        if c.below:
            bands.setdefault(c.line, []).append(c)
    for group in [*groups, *bands.values()]:
        if 2 <= len(group) <= _MAX_SUMMED:
            value = sum((c.value for c in group), Decimal(0))
            out.append(
                Option(value, min(c.score for c in group), max(c.line for c in group), "label")
            )
    return out


def _with_repairs(opts: list[Option], credit: bool) -> list[Option]:
    """The options, plus readings of OCR's usual slips: a whole number of 3+ digits read as
    cents ("82288" for 822,88: the decimal sign was lost) and a negative amount read as positive
    (a speck or a rule end before it read as a minus sign). On a document that corrects another
    (`credit`: a credit note), where a minus is expected, the other way round: a positive
    amount read as negative (its minus lost). A garbled reading is never taken as it is, only
    through one of these repairs."""
    extra = []
    for o in opts:
        if o.value.as_tuple().exponent == 0 and abs(o.value) >= 100:
            cents = Decimal(o.value) / 100
            extra.append(_repaired(o, cents, _REPAIRED, "decimal sign"))
        if o.value < 0 and not credit:
            extra.append(_repaired(o, -o.value, _REPAIRED, "sign"))
        if o.value > 0 and credit:
            extra.append(_repaired(o, -o.value, _REPAIRED, "minus lost"))
    return [*(o for o in opts if not isinstance(o.value, Garbled)), *extra]


def _derived(firsts: list[Option], seconds: list[Option], sign: int) -> set[Decimal]:
    """first + sign x second for every pair of plainly read amounts."""

    def plain(opts: list[Option]) -> list[Decimal]:
        return [o.value for o in opts if not isinstance(o.value, Garbled) and not o.repaired]

    return {a + sign * b for a in plain(firsts) for b in plain(seconds)}


def _edge_repairs(opts: list[Option], derived: set[Decimal]) -> list[Option]:
    """Readings of an amount with digits lost or added at an edge ("78,73" for 1.178,73 under a
    stamp, "17,206,256" with its € read as a 6, "2:537,78"): the value the other two roles
    give, when its digits start or end the ones read or are started or ended by them."""
    extra = []
    for o in opts:
        if o.repaired or o.origin != "label":
            continue
        read = digit_string(o.value)
        for value in derived:
            short, long = sorted((read, digit_string(value)), key=len)
            if (
                value > 0
                and len(short) >= _EDGE_MIN_DIGITS
                and len(long) - len(short) <= _EDGE_MAX_LOST
                and edge_of(short, long)
            ):
                extra.append(_repaired(o, value, _EDGE, "edge digits"))
    return extra


def _digit_repairs(opts: list[Option], derived: set[Decimal]) -> list[Option]:
    """Readings of a total with one digit misread ("12.483,81" for 12.493,81): net + tax, where
    its digits differ from the ones read with their cents in one place (the search asks the tax
    to be the printed rate of the net as well)."""
    return [
        _repaired(o, value, _EDGE, "digit")
        for o in opts
        if not o.repaired and o.origin == "label" and o.value.as_tuple().exponent == -2
        for value in derived
        if value > 0 and one_digit_off(digit_string(o.value), digit_string(value))
    ]


def _repaired(o: Option, value: Decimal, factor: float, what: str) -> Option:
    """`o` read as `value` with `what` restored, its prior lowered by `factor`."""
    return replace(o, value=value, prior=o.prior * factor, repaired=what, read=o.value)
