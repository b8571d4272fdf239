"""The tax schemes of the layouts excluded from development, applied to drawn invoice content.

`vary(inv, layout)` turns the content `build_invoice` drew into what an excluded layout's issuer
bills: several VAT rates (with an exempt line), reverse charge, IRPF withholding, recargo de
equivalencia, and corrective invoices (negative quantities, the invoice they correct named).

Ground truth follows the project's conventions (docs/reading.md): `tax_total` is every tax
charged (VAT plus equivalence surcharge, as Facturae's TotalTaxOutputs), `total` is what the
invoice asks to be paid (net + tax - withheld, as Facturae's InvoiceTotal), and `withholding_total`
holds the withholding; a corrective invoice keeps its amounts negative, as printed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from facturas_dev.synth.content import SynthInvoice, SynthLine
from facturas_dev.synth.excluded_layouts import ExcludedLayout
from facturas_dev.synth.formats import money

ZERO = Decimal("0.00")
# Recargo de equivalencia per VAT rate (Ley 37/1992, art. 161).
SURCHARGE_RATES = {Decimal("21"): Decimal("5.2"), Decimal("10"): Decimal("1.4")}
SURCHARGE_RATES[Decimal("4")] = Decimal("0.5")


class TaxRow(NamedTuple):
    """One rate of the totals breakdown: rate (None: exempt), base, VAT and surcharge."""

    rate: Decimal | None
    base: Decimal
    tax: Decimal
    surcharge_rate: Decimal | None
    surcharge: Decimal


@dataclass(slots=True)
class ExcludedInvoice(SynthInvoice):
    """A synthetic invoice with per-line rates, withholding, surcharge and a corrected invoice."""

    line_rates: dict[SynthLine, Decimal | None] = field(default_factory=dict)  # None: exempt
    surcharge: bool = False
    withholding: Decimal | None = None  # percent of the net
    withheld: Decimal = ZERO
    corrects: str = ""  # the number of the invoice a corrective one corrects
    corrects_date: date | None = None

    def rate_of(self, line: SynthLine) -> Decimal | None:
        """The VAT rate of one line (the invoice's rate unless the line has its own)."""
        return self.line_rates.get(line, self.tax_rate)

    def rate_rows(self) -> list[TaxRow]:
        """The taxable base and taxes per rate, highest rate first, exempt last."""
        bases: dict[Decimal | None, Decimal] = {}
        for line in self.lines:
            rate = self.rate_of(line)
            bases[rate] = bases.get(rate, Decimal("0")) + line.amount
        rows = []
        for rate in sorted(bases, key=lambda r: (r is None, -(r or 0))):
            base = money(bases[rate])
            tax = ZERO if rate is None else money(base * rate / 100)
            sur_rate = SURCHARGE_RATES.get(rate) if self.surcharge and rate else None
            sur = money(base * sur_rate / 100) if sur_rate is not None else ZERO
            rows.append(TaxRow(rate, base, tax, sur_rate, sur))
        return rows

    def compute_totals(self) -> None:
        """net = sum of lines; tax = VAT + surcharge per rate; total = net + tax - withheld."""
        self.net = money(sum((ln.amount for ln in self.lines), Decimal("0")))
        self.tax = sum((r.tax + r.surcharge for r in self.rate_rows()), ZERO)
        self.withheld = money(self.net * self.withholding / 100) if self.withholding else ZERO
        self.total = self.net + self.tax - self.withheld

    def truth(self, rendering: str, pages: int, file: str) -> dict[str, Any]:
        """The generator's truth plus the withholding and the corrected invoice, when any."""
        out = SynthInvoice.truth(self, rendering, pages, file)
        if self.withheld:
            out["withholding_total"] = format(self.withheld, "f")
        if self.corrects:
            out["corrects"] = self.corrects
        return out


def _as_excluded(inv: SynthInvoice) -> ExcludedInvoice:
    """An ExcludedInvoice carrying every field of `inv`."""
    return ExcludedInvoice(**{f.name: getattr(inv, f.name) for f in fields(SynthInvoice)})


def _credit(inv: ExcludedInvoice, layout: ExcludedLayout, rng: random.Random) -> None:
    """Make `inv` corrective: every line negated and an earlier invoice named as corrected."""
    inv.lines = [
        replace(ln, quantity=-ln.quantity, amount=-ln.amount)
        if ln.quantity is not None
        else replace(ln, amount=-ln.amount)
        for ln in inv.lines
    ]
    earlier = inv.issue_date - timedelta(days=rng.randint(3, 60))
    inv.corrects = layout.number_format.format(
        yyyy=earlier.year,
        yy=earlier.year % 100,
        mm=earlier.month,
        n=rng.randint(1, 9999),
        s=rng.choice("ABC"),
    )
    inv.corrects_date = earlier


def _several_rates(inv: ExcludedInvoice, layout: ExcludedLayout, rng: random.Random) -> None:
    """Lines taxed at the layout's rates (the general one first), one of them exempt if asked."""
    inv.lines = [ln for ln in inv.lines if ln.kind != "discount"]  # a global discount spans rates
    rates = layout.rates
    for i, line in enumerate(inv.lines):
        inv.line_rates[line] = rates[0] if i == 0 else rng.choice(rates)
    if len(inv.lines) > 1 and len(set(inv.line_rates.values())) == 1:
        inv.line_rates[inv.lines[-1]] = rates[-1]
    if layout.exempt_line and len(inv.lines) > 2 and rng.random() < 0.6:
        inv.line_rates[inv.lines[rng.randrange(1, len(inv.lines))]] = None
    inv.tax_rate = rates[0]
    inv.tax_rates = tuple(sorted({r for r in inv.line_rates.values() if r}, reverse=True))
    inv.exempt_note = layout.label("exempt_note") if None in inv.line_rates.values() else None


def vary(inv: SynthInvoice, layout: ExcludedLayout) -> ExcludedInvoice:
    """The content of `inv` under the layout's tax scheme (deterministic in the invoice seed)."""
    rng = random.Random(inv.seed ^ 0xE8C1D)  # a stream of its own: the base draw stays as it was
    out = _as_excluded(inv)
    if rng.random() < layout.credit_share:
        _credit(out, layout, rng)
    if layout.scheme == "rates":
        _several_rates(out, layout, rng)
    elif layout.scheme == "reverse":
        out.tax_rate, out.exempt_note = Decimal("0"), layout.label("reverse_note")
    elif layout.scheme == "withholding":
        out.tax_rate, out.exempt_note = layout.rates[0], None
        out.withholding = layout.withholding
    elif layout.scheme == "surcharge":
        out.tax_rate, out.exempt_note = layout.rates[0], None
        out.surcharge = True
    out.compute_totals()
    return out
