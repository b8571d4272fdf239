"""One joint choice of net, tax, recargo, withholding and total that fits the invoice's arithmetic.

Every assignment of the options (totals_options) to the roles is scored: the options' priors
plus consistency, that is net + tax + recargo - withholding = total to the cent (recargo and
withholding each included or not), net = the items' sum when they were read, tax = the printed
rate of the net or net and tax = the sums of the breakdown's bases and taxes (each row's tax
being its printed rate of its base), withholding = a usual IRPF rate of the net, net before tax
before total on the page. The option sets are small (a dozen amounts at most per role), so the
search is exhaustive and exact. A repaired reading, an amount no label was read for and an
unprinted zero tax are taken only where the sums agree; a tax or total nobody printed only where
totals_derived allows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import product

from facturas_assets.documents.extraction.items_tax import vouches
from facturas_assets.documents.extraction.numbers import digit_string
from facturas_assets.documents.extraction.table_model import Statement
from facturas_assets.documents.extraction.totals_derived import (
    DERIVED,
    derive,
    irpf_rate,
    is_vat_of,
)
from facturas_assets.documents.extraction.totals_options import SHORT_EDGE, Option
from facturas_assets.documents.rates import CENT, share

CONSISTENT = 2.0  # net + tax + recargo - withholding = total
ITEMS = 0.5  # net = the items' sum
RATE = 0.3  # tax = the printed rate of the net
IRPF = 0.2  # withholding = a usual IRPF rate of the net
ORDER = 0.05  # net, tax and total printed in that order
DERIVED_BONUS = 0.3  # tax or total derived from the others (consistent by construction)
ITEMS_TAX = 1.0  # ... a tax the items' VAT column states, which outweighs one that misses
MAX_VAT_SHARE = Decimal("0.30")  # an inferred tax above 30 % of the net is no VAT
VALUE_REACH = 3  # lines below its label a value may sit on (fields._BELOW_LINES)
ZERO = Option(Decimal("0.00"), 0.0, -1, "zero")  # a zero tax nobody printed


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the page says beside the options: the items' sum, the rate, withholding, recargo."""

    items: Decimal | None = None  # the items' sum, when the document has items
    rate: Decimal | None = None  # the one VAT rate printed in the totals block
    rows: tuple[Decimal, Decimal] | None = None  # sums of the breakdown's bases and taxes
    zero_rate: bool = False  # a 0 % rate printed
    exact_items: Decimal | None = None  # the items' sum, when every item has its cents
    withholding: Decimal | None = None  # read positive
    recargo: Decimal | None = None
    # Amounts printed with a minus in the totals block, no label read for them: a withholding
    # whose label was lost, believed only as a usual IRPF rate of the net (read positive).
    unlabelled_withholding: tuple[Decimal, ...] = ()
    items_tax: tuple[Statement, ...] = ()  # what the items' VAT column says their tax is


@dataclass(frozen=True, slots=True)
class TotalsChoice:
    """The options chosen for net, tax and total (None: none fits) and whether they add up."""

    picked: dict[str, Option | None]
    consistent: bool  # the values read add up (derived ones do by construction: not counted)
    score: float
    derived: str = ""  # how the values nobody read were derived, if any
    withheld: Decimal = Decimal(0)  # the withholding the chosen values add up with


def choose_totals(options: dict[str, list[Option]], evidence: Evidence) -> TotalsChoice:
    """The best-scored assignment of options to net, tax and total (see the module's doc)."""
    nets: list[Option | None] = [*options.get("net_total", [])]
    # A net is derived only where none was read under its label: one read there stands, and
    # figures that disagree with it are validation's to report.
    if not any(o.origin == "label" for o in nets if o is not None):
        nets.append(DERIVED)
    nets.append(None)
    taxes = [*options.get("tax_total", []), ZERO, DERIVED, None]
    totals = [*options.get("total", []), DERIVED, None]
    extras = [
        (w, r)
        for w in {Decimal(0), evidence.withholding or Decimal(0)}
        for r in {Decimal(0), evidence.recargo or Decimal(0)}
    ]
    if evidence.withholding is None:
        extras += [(w, Decimal(0)) for w in evidence.unlabelled_withholding]
    best: TotalsChoice | None = None
    for net, tax, total in product(nets, taxes, totals):
        choice = _scored(net, tax, total, extras, evidence)
        if choice is not None and (best is None or choice.score > best.score):
            best = choice
    assert best is not None  # all None is always admissible
    return best


def _scored(
    net: Option | None,
    tax: Option | None,
    total: Option | None,
    extras: list[tuple[Decimal, Decimal]],
    evidence: Evidence,
) -> TotalsChoice | None:
    """The assignment scored, or None where it is inadmissible."""
    extra = None
    if evidence.withholding or evidence.recargo:
        extra = abs(evidence.recargo or Decimal(0)) - abs(evidence.withholding or Decimal(0))
    rate, zero, items = evidence.rate, evidence.zero_rate, evidence.exact_items
    unlabelled = evidence.unlabelled_withholding if evidence.withholding is None else ()
    derived = derive(
        net, tax, total, rate, zero, items, extra, evidence.rows, unlabelled, evidence.items_tax
    )
    if derived is None:
        return None
    net, tax, total, how = derived
    picked = {"net_total": net, "tax_total": tax, "total": total}
    sums = None
    if net is not None and tax is not None and total is not None:
        sums = _adds_up(net.value, tax.value, total.value, extras)
    consistent = sums is not None
    items = evidence.items
    net_is_items = net is not None and items is not None and abs(net.value - items) <= CENT
    for o in picked.values():
        if o is None or o.origin in ("label", "derived") and not o.repaired:
            continue
        # A repair or an unlabelled amount is believed only where the sums agree; a net the
        # items vouch for needs no more.
        if not consistent and not (o is net and o.origin == "block" and net_is_items):
            return None
    if _one_printing_twice(net, tax, total):
        return None
    if not consistent and _total_under_net(net, total, evidence):
        return None
    if tax is ZERO and not _zero_tax_allowed(net, total, evidence):
        return None
    if _implausible_tax(net, tax):
        return None
    if not _repairs_vouched(net, tax, total, evidence.rate):
        return None
    score = sum(o.prior for o in picked.values() if o is not None)
    score += (DERIVED_BONUS if how else CONSISTENT) if consistent else 0.0
    score += ITEMS if net_is_items else 0.0
    if how and tax is not None and net_is_items and vouches(evidence.items_tax, tax.value):
        score += ITEMS_TAX
    if net is not None and tax is not None:
        score += RATE if _rate_of(net.value, tax.value, evidence) else 0.0
    withheld = sums[0] if sums else Decimal(0)
    irpf = bool(withheld) and net is not None and irpf_rate(net.value, withheld) is not None
    if withheld and withheld != (evidence.withholding or 0) and not irpf:
        return None  # an unlabelled amount is a withholding only as a usual IRPF share
    if irpf:
        score += IRPF
    lines = [o.line for o in (net, tax, total) if o is not None and o.line >= 0]
    score += ORDER if len(lines) >= 2 and lines == sorted(lines) else 0.0
    # Totals sit at the end: among equals prefer the later lines.
    score += 1e-6 * sum(lines) / max(len(lines), 1) / 1000
    return TotalsChoice(picked, consistent and not how, score, how, withheld)


def _one_printing_twice(*picked: Option | None) -> bool:
    """Whether two roles take one printed amount: two unlabelled options at one place, or an
    unlabelled option of the value a label read on its line or the lines its value may sit on."""
    opts = [o for o in picked if o is not None and o.origin in ("label", "block")]
    for i, a in enumerate(opts):
        for b in opts[i + 1 :]:
            if a.origin == b.origin == "block" and (a.line, a.at) == (b.line, b.at):
                return True
            if a.origin != b.origin and a.value == b.value:
                label, block = (a, b) if a.origin == "label" else (b, a)
                if 0 <= block.line - label.line <= VALUE_REACH:
                    return True
    return False


def _total_under_net(net: Option | None, total: Option | None, evidence: Evidence) -> bool:
    """A total under its net where nothing may be withheld: one of the two is misread (a
    fragment of a garbled total, "13")."""
    if net is None or total is None or evidence.withholding or evidence.unlabelled_withholding:
        return False
    return 0 < total.value < net.value


def _rate_of(net: Decimal, tax: Decimal, evidence: Evidence) -> bool:
    """Whether the tax is the printed rate of the net, or net and tax are the sums of the
    breakdown's rows (each row's tax being its rate of its base)."""
    if evidence.rate is not None and abs(tax - share(net, evidence.rate)) <= CENT:
        return True
    return evidence.rows is not None and (net, tax) == evidence.rows


def _repairs_vouched(
    net: Option | None, tax: Option | None, total: Option | None, rate: Decimal | None
) -> bool:
    """Whether the weaker repairs are vouched for by the tax: a misread digit only where it is
    the printed rate of the net, a net the items stand in for or an amount left with few digits
    only where it is a VAT rate of the net."""
    picked = [o for o in (net, tax, total) if o is not None]
    if net is None or tax is None:
        return not any(o.repaired in ("digit", "edge digits") for o in picked)
    digit = any(o.repaired == "digit" for o in picked)
    if digit and (rate is None or tax.value != share(net.value, rate)):
        return False
    weak = net.origin == "items" or any(
        o.repaired == "edge digits" and len(digit_string(o.read or o.value)) < SHORT_EDGE
        for o in picked
    )
    return not weak or is_vat_of(tax.value, net.value)


def _adds_up(
    net: Decimal, tax: Decimal, total: Decimal, extras: list[tuple[Decimal, Decimal]]
) -> tuple[Decimal, Decimal] | None:
    """The (withholding, recargo) for which net + tax + recargo - withholding = total to the
    cent (none of them first), or None. A credit note returns its withholding and recargo."""
    sign = -1 if net < 0 else 1
    for withheld, recargo in sorted(extras):
        if abs(net + tax + sign * (abs(recargo) - abs(withheld)) - total) <= CENT:
            return withheld, recargo
    return None


def _implausible_tax(net: Option | None, tax: Option | None) -> bool:
    """An inferred tax (no label read for it) of another sign than the net, or above the
    highest VAT share of it."""
    if net is None or tax is None or tax.origin not in ("block", "zero"):
        return False
    if net.value == 0 or (tax.value != 0 and (tax.value > 0) != (net.value > 0)):
        return True
    return abs(tax.value) > abs(net.value) * MAX_VAT_SHARE


def _zero_tax_allowed(net: Option | None, total: Option | None, evidence: Evidence) -> bool:
    """A zero tax fits any net printed again as the total: only a printed 0 % rate or a net the
    items vouch for (when all were read with their cents) makes it the invoice's (a garbled
    amount read twice is no evidence), and never beside a breakdown taxing its bases."""
    if net is None or total is None or net.value <= 0 or net.value != total.value:
        return False
    if evidence.rows is not None and evidence.rows[1] != 0:
        return False  # a breakdown whose rows each tax their base at their rate: a tax is due
    if net.origin == "items" or (net.line, net.at) == (total.line, total.at):
        return False  # the net must be printed again as the total: not the items, not itself
    if evidence.zero_rate or evidence.exact_items is None:
        return True
    return net.value == evidence.exact_items
