"""The Spanish invoice's tax variety drawn onto the seen layouts' content.

A share of invoices get IRPF withholding (self-employed issuers), recargo de equivalencia,
several VAT rates, an exempt line or become a factura rectificativa (a credit note). The draw
uses its own random stream seeded from the invoice seed, so an invoice the draw leaves alone
keeps exactly the content (and bytes) it had before this variety existed.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from facturas_dev.synth.content import SynthInvoice
    from facturas_dev.synth.layouts import Layout

# Recargo de equivalencia per VAT rate (Ley 37/1992, art. 161).
RECARGO_RATES: dict[Decimal, Decimal] = {
    Decimal("21"): Decimal("5.2"),
    Decimal("10"): Decimal("1.4"),
    Decimal("4"): Decimal("0.5"),
}
SELF_EMPLOYED_IDS = ("dni", "nie")  # natural persons: their professional fees bear IRPF
SHARE_WITHHOLDING = 0.5  # of a self-employed issuer's Spanish invoices
SHARE_RECARGO = 0.1
SHARE_SEVERAL_RATES = 0.15
SHARE_EXEMPT_LINE = 0.08
SHARE_RECTIFICATIVA = 0.05

# What the totals block and notes print, per language.
WORDS: dict[str, dict[str, str]] = {
    "es": {
        "credit_title": "FACTURA RECTIFICATIVA",
        "corrects": "Rectifica la factura {number} de {date}.",
        "withholding": "Retención IRPF {rate}",
        "recargo": "Recargo de equivalencia {rate} s/ {base}",
        "rate_row": "{tax} s/ {base}",
        "exempt": "Base exenta (art. 20 LIVA)",
    },
    "en": {"credit_title": "CREDIT NOTE", "corrects": "Corrects invoice {number} of {date}."},
    "pt": {
        "credit_title": "NOTA DE CRÉDITO",
        "corrects": "Retifica a fatura {number} de {date}.",
    },
    "fr": {
        "credit_title": "AVOIR",
        "corrects": "Annule et remplace la facture {number} du {date}.",
    },
    "it": {
        "credit_title": "NOTA DI CREDITO",
        "corrects": "Rettifica la fattura {number} del {date}.",
    },
}


def _taxes_lines_apart(inv: SynthInvoice) -> bool:
    """Several rates need lines to tax apart: no document-wide discount spread over them."""
    return len(inv.lines) >= 2 and all(ln.kind != "discount" for ln in inv.lines)


def vary_taxes(inv: SynthInvoice, layout: Layout) -> None:
    """Draw this invoice's tax case (most invoices get none) and apply it to `inv`."""
    rng = random.Random(f"facturas-taxes:{inv.seed}")
    domestic = layout.issuer.country == "ES" and inv.tax_rate > 0
    withholding = rng.random() < SHARE_WITHHOLDING
    irpf_rate = Decimal(15) if rng.random() < 0.8 else Decimal(7)
    recargo = rng.random() < SHARE_RECARGO
    several = rng.random() < SHARE_SEVERAL_RATES
    second_rate = Decimal(10) if rng.random() < 0.6 else Decimal(4)
    exempt = rng.random() < SHARE_EXEMPT_LINE
    rectificativa = rng.random() < SHARE_RECTIFICATIVA
    changed = False
    if domestic and layout.issuer.id_kind in SELF_EMPLOYED_IDS and withholding:
        inv.withholding_rate = irpf_rate
        changed = True
    elif domestic and recargo:
        inv.recargo = True  # a retailer buyer: never together with IRPF here
        changed = True
    if domestic and _taxes_lines_apart(inv) and (several or exempt):
        _split_rates(inv, rng, second_rate if several else None, exempt)
        changed = True
    if rectificativa:
        _make_rectificativa(inv, rng, layout)
        changed = True
    if changed:
        inv.compute_totals()


def _split_rates(
    inv: SynthInvoice, rng: random.Random, second: Decimal | None, exempt: bool
) -> None:
    """Tax some lines at `second` and/or one line exempt; the rest keep the invoice's rate."""
    order = list(range(len(inv.lines)))
    rng.shuffle(order)
    rates = [inv.tax_rate] * len(inv.lines)
    spare = order[1:]  # the first stays at the invoice's own rate
    if exempt and spare:
        rates[spare.pop()] = Decimal(0)
    if second is not None and spare:
        for index in spare[: rng.randint(1, len(spare))]:
            rates[index] = second
    inv.lines = [replace(ln, rate=r) for ln, r in zip(inv.lines, rates, strict=True)]
    inv.tax_rates = tuple(sorted({r for r in rates if r > 0}, reverse=True))


def _make_rectificativa(inv: SynthInvoice, rng: random.Random, layout: Layout) -> None:
    """A credit note: the lines negated, with a reference to an earlier invoice of the issuer."""
    serial = rng.randint(1, 9999)
    earlier = inv.issue_date - timedelta(days=rng.randint(5, 90))
    inv.corrects = layout.number_format.format(
        yyyy=earlier.year, yy=earlier.year % 100, mm=earlier.month, n=serial, s=rng.choice("ABC")
    )
    inv.corrects_date = earlier
    inv.lines = [
        replace(ln, quantity=None if ln.quantity is None else -ln.quantity, amount=-ln.amount)
        for ln in inv.lines
    ]
