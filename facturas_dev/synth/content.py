"""The content of one synthetic invoice (parties, lines, exact totals), before any rendering."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from facturas_assets.documents.model import (
    InvoiceData,
    InvoiceLine,
    Party,
    TaxBreakdown,
    invoice_to_json,
)
from facturas_dev.synth import catalog, taxids
from facturas_dev.synth.formats import money
from facturas_dev.synth.layouts import LAYOUTS, is_random_name
from facturas_dev.synth.spanish_taxes import RECARGO_RATES, vary_taxes

if TYPE_CHECKING:
    from facturas_dev.synth.layouts import Layout

CATEGORIES = ("preventiva", "correctiva")
DECISIVE_KIND = {"preventiva": "preventive", "correctiva": "corrective"}
FIRST_DAY = date(2022, 1, 1)
DAYS_SPAN = (date(2025, 12, 31) - FIRST_DAY).days


@dataclass(frozen=True, slots=True)
class SynthLine:
    """One printed table row; `kind` is the work kind the category rule reads (see catalog)."""

    description: str
    quantity: Decimal | None
    unit_price: Decimal | None
    discount: Decimal | None  # percent: a line discount, or the rate of a global discount line
    amount: Decimal
    kind: str
    code: str = ""
    rate: Decimal | None = None  # the line's own VAT rate (0: exempt) when lines are taxed apart


@dataclass(frozen=True, slots=True)
class PartyInfo:
    """A party as printed: name, tax id and address lines (plus contact data for issuers)."""

    name: str
    tax_id: str
    address: tuple[str, ...]
    phone: str = ""
    email: str = ""
    web: str = ""
    iban: str = ""


@dataclass(slots=True)
class SynthInvoice:
    """Everything one rendering prints; `truth()` is the subset that is ground truth."""

    seed: int
    layout: str
    language: str
    category: str
    number: str
    issue_date: date
    due_date: date
    service_date: date
    order_ref: str
    contract_ref: str
    customer_code: str
    seller: PartyInfo
    buyer: PartyInfo
    lines: list[SynthLine]
    tax_rate: Decimal
    exempt_note: str | None
    payment_days: int
    net: Decimal = field(default=Decimal("0.00"))
    tax: Decimal = field(default=Decimal("0.00"))
    total: Decimal = field(default=Decimal("0.00"))
    currency: str = "EUR"
    tax_rates: tuple[Decimal, ...] = ()  # every rate when content taxes lines at several rates
    withholding_rate: Decimal | None = None  # IRPF withheld, percent of the net
    recargo: bool = False  # recargo de equivalencia on every taxed rate (a retailer buyer)
    corrects: str = ""  # a rectificativa: the number of the invoice it corrects
    corrects_date: date | None = None
    withholding: Decimal | None = None
    recargo_total: Decimal | None = None
    breakdown: list[TaxBreakdown] = field(default_factory=list)

    def compute_totals(self) -> None:
        """net = sum of line amounts, tax = round(net * rate) (per rate when lines are taxed
        apart), total = net + tax + recargo - withholding."""
        self.net = money(sum((ln.amount for ln in self.lines), Decimal("0")))
        if not any(ln.rate is not None for ln in self.lines) and not self.recargo:
            tax = money(self.net * self.tax_rate / 100)
            self.tax = tax if tax else abs(tax)  # a credit note's zero tax is 0.00, not -0.00
            self.total = self.net + self.tax
        else:
            self._compute_breakdown()
        if self.withholding_rate is not None:
            withheld = money(self.net * self.withholding_rate / 100)
            self.withholding = abs(withheld)  # stated positive, as InvoiceData keeps it
            self.total -= withheld  # a credit note's withholding is returned too

    def _compute_breakdown(self) -> None:
        """Base, tax and recargo per rate, each rounded on its own as invoices round them."""
        bases: dict[Decimal, Decimal] = {}
        for ln in self.lines:
            rate = self.tax_rate if ln.rate is None else ln.rate
            bases[rate] = bases.get(rate, Decimal(0)) + ln.amount
        rows = []
        for rate in sorted(bases, reverse=True):
            base = money(bases[rate])
            surcharge = RECARGO_RATES.get(rate) if self.recargo else None
            rows.append(
                TaxBreakdown(
                    rate=rate,
                    base=base,
                    tax=money(base * rate / 100) if rate else Decimal("0.00"),
                    recargo_rate=surcharge,
                    recargo=None if surcharge is None else money(base * surcharge / 100),
                    category="standard" if rate > 0 else "exempt",
                )
            )
        self.tax = sum((r.tax for r in rows if r.tax is not None), Decimal("0.00"))
        recargos = [r.recargo for r in rows if r.recargo is not None]
        self.recargo_total = sum(recargos, Decimal("0.00")) if recargos else None
        self.total = self.net + self.tax + (self.recargo_total or 0)
        self.breakdown = rows if len(rows) > 1 or recargos else []

    def category_by_rule(self) -> str:
        """The documented rule: correctiva iff any line repairs a failure."""
        return "correctiva" if any(ln.kind == "corrective" for ln in self.lines) else "preventiva"

    def data(self) -> InvoiceData:
        """The invoice as the shared InvoiceData model."""
        return InvoiceData(
            invoice_number=self.number,
            issue_date=self.issue_date,
            currency=self.currency,
            net_total=self.net,
            tax_total=self.tax,
            total=self.total,
            seller=Party(self.seller.name or None, self.seller.tax_id or None),
            buyer=Party(self.buyer.name or None, self.buyer.tax_id or None),
            lines=[
                InvoiceLine(ln.description, ln.quantity, ln.unit_price, ln.amount)
                for ln in self.lines
            ],
            withholding_total=self.withholding,
            withholding_rate=self.withholding_rate,
            recargo_total=self.recargo_total,
            tax_breakdown=list(self.breakdown),
        )

    def truth(self, rendering: str, pages: int, file: str) -> dict[str, Any]:
        """Ground truth: invoice_to_json plus category, layout, rendering and provenance keys."""
        out = invoice_to_json(self.data())
        out.update(
            category=self.category,
            layout=self.layout,
            rendering=rendering,
            language=self.language,
            pages=pages,
            file=file,
            tax_rate=f"{self.tax_rate:.2f}",
            seed=self.seed,
        )
        return out


def _issuer_party(layout: Layout) -> PartyInfo:
    iss = layout.issuer
    rng = taxids.seeded(iss.name)
    makers = {
        "cif-A": lambda r: taxids.spanish_cif(r, "A"),
        "cif-B": lambda r: taxids.spanish_cif(r, "B"),
        "dni": taxids.spanish_dni,
        "nie": taxids.spanish_nie,
        "pt": taxids.portuguese_vat,
        "fr": taxids.french_vat,
        "it": taxids.italian_vat,
        "ie": taxids.irish_vat,
        "de": taxids.german_vat,
    }
    tax_id = makers[iss.id_kind](rng)
    return PartyInfo(
        iss.name,
        iss.tax_prefix + tax_id,
        iss.address,
        iss.phone,
        iss.email,
        iss.web,
        taxids.iban_for(rng, iss.country),
    )


def _customer_party(customer: catalog.Customer, prefix_es: bool) -> PartyInfo:
    rng = taxids.seeded(customer.name)
    kind = customer.id_kind
    if kind == "cif":
        letter = (
            "F"
            if customer.name.startswith("Cooperativa")
            else ("A" if customer.name.endswith("S.A.") else "B")
        )
        tax_id = taxids.spanish_cif(rng, letter)
    elif kind == "dni":
        tax_id = taxids.spanish_dni(rng)
    else:
        tax_id = {"pt": taxids.portuguese_vat, "fr": taxids.french_vat, "it": taxids.italian_vat}[
            kind
        ](rng)
    if prefix_es and customer.country == "ES":
        tax_id = "ES" + tax_id  # foreign issuers print Spanish ids as EU VAT numbers
    return PartyInfo(customer.name, tax_id, customer.address)


def _decimal(rng: random.Random, lo: float, hi: float, places: int = 2) -> Decimal:
    return Decimal(f"{rng.uniform(lo, hi):.{places}f}")


def _quantity(rng: random.Random, art: catalog.Article, fixed_places: int | None) -> Decimal:
    lo, hi = art.quantity
    steps = int(round((hi - lo) / art.step))
    value = Decimal(str(lo)) + Decimal(str(art.step)) * rng.randint(0, steps)
    if fixed_places is not None:
        return value.quantize(Decimal(1).scaleb(-fixed_places))
    return value.normalize() if value == value.to_integral() else value.quantize(Decimal("0.1"))


class _LineMaker:
    """Draws lines for one invoice in one language, with consistent machines and numbering."""

    def __init__(self, rng: random.Random, layout: Layout, customer: catalog.Customer) -> None:
        self.rng = rng
        self.layout = layout
        self.lang = layout.language
        self.customer = customer
        kinds = rng.sample(sorted(catalog.MACHINE_MODELS), k=rng.randint(1, 3))
        self.machines = [(k, rng.choice(catalog.MACHINE_MODELS[k])) for k in kinds]

    def machine(self, number: int | None = None) -> dict[str, str]:
        """A machine phrase of this invoice (noun and model, optionally numbered)."""
        kind, model = self.rng.choice(self.machines)
        noun, of = catalog.MACHINE_NOUNS[self.lang][kind]
        phrase = f"{model} {noun}" if self.lang == "en" else f"{noun} {model}"
        ident = (
            number
            if number is not None
            else (self.rng.randint(1, 40) if self.rng.random() < 0.5 else None)
        )
        if ident is not None:
            phrase += f" {catalog.MACHINE_NUMBER[self.lang]} {ident}"
        return {"m": phrase, "de_m": of + phrase}

    def _detail(self) -> str:
        if self.rng.random() >= 0.3:
            return ""
        return self.rng.choice(catalog.DETAILS[self.lang]).format(
            ot=self.rng.randint(1000, 99999),
            tech=self.rng.choice(catalog.TECHNICIANS),
            hall=self.rng.randint(1, 6),
            hours=self.rng.randint(2, 36),
            section=self.rng.choice(catalog.SECTIONS),
        )

    def task(self, kind: str, number: int | None = None) -> SynthLine:
        """A work line of `kind` (preventive, corrective or worn) priced per service or per hour."""
        pool = {
            "preventive": catalog.PREVENTIVE,
            "corrective": catalog.CORRECTIVE,
            "worn": catalog.WORN,
        }[kind]
        text = self.rng.choice(pool[self.lang]).format(
            visit=self.rng.randint(1, 4), **self.machine(number)
        )
        text += self._detail()
        if self.rng.random() < 0.6:
            qty = (
                Decimal(1)
                if self.layout.qty_decimals is None
                else Decimal("1").quantize(Decimal(1).scaleb(-self.layout.qty_decimals))
            )
            price = _decimal(self.rng, 90, 950 if kind != "worn" else 420)
        else:
            qty = _quantity(
                self.rng, catalog.Article("", (0, 0), (1, 6), 0.5), self.layout.qty_decimals
            )
            price = _decimal(self.rng, 38, 68)
        return self._priced(text, qty, price, kind, f"SRV-{self.rng.randint(10, 99)}")

    def article(self, pool: dict[str, tuple[catalog.Article, ...]], kind: str) -> SynthLine:
        """A neutral priced line (part, labour, travel) drawn from `pool`."""
        art = self.rng.choice(pool[self.lang])
        qty = _quantity(self.rng, art, self.layout.qty_decimals)
        lo, hi = art.price
        price = _decimal(self.rng, lo, hi)
        text = art.text.format(city=self.customer.city)
        return self._priced(text, qty, price, kind, art.code)

    def _priced(self, text: str, qty: Decimal, price: Decimal, kind: str, code: str) -> SynthLine:
        discount = None
        if self.layout.has_discount_column and self.rng.random() < 0.25:
            discount = Decimal(self.rng.choice((5, 10, 15, 20)))
        gross = qty * price
        amount = money(gross if discount is None else gross * (100 - discount) / 100)
        return SynthLine(text, qty, price, discount, amount, kind, code)


def _lines(rng: random.Random, maker: _LineMaker, category: str) -> list[SynthLine]:
    size = rng.random()
    bulk = 0 if size < 0.7 else (rng.randint(5, 12) if size < 0.86 else rng.randint(14, 48))
    lines: list[SynthLine] = []
    if category == "preventiva":
        if bulk >= 14 and rng.random() < 0.6:
            # A maintenance campaign: the same scheduled task on many numbered machines.
            lines += [maker.task("preventive", number=i) for i in range(1, bulk + 1)]
        else:
            lines += [maker.task("preventive") for _ in range(rng.randint(1, 3))]
            lines += [maker.article(catalog.PARTS, "part") for _ in range(bulk)]
        if rng.random() < 0.35:
            lines += [maker.task("worn") for _ in range(rng.randint(1, 2))]
    else:
        lines += [maker.task("corrective") for _ in range(rng.randint(1, 2))]
        lines += [maker.article(catalog.PARTS, "part") for _ in range(bulk)]
        if rng.random() < 0.3:
            lines.append(maker.article(catalog.URGENT_LABOUR, "labour"))
        if rng.random() < 0.25:
            lines.append(maker.task("preventive"))  # done during the same repair visit
    if rng.random() < 0.7:
        lines += [maker.article(catalog.PARTS, "part") for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.55:
        lines.append(maker.article(catalog.LABOUR, "labour"))
    if rng.random() < 0.65:
        lines.append(maker.article(catalog.TRAVEL, "travel"))
    if rng.random() < 0.3:
        rng.shuffle(lines)
    return lines


def _global_discount(
    lines: list[SynthLine], pct: Decimal, language: str, layout: Layout
) -> SynthLine:
    base = sum((ln.amount for ln in lines), Decimal("0"))
    label = catalog.GLOBAL_DISCOUNT[language].format(
        pct=layout.numbers.percent(pct, space=language != "en")
    )
    return SynthLine(label, None, None, pct, -money(base * pct / 100), "discount", "DTO")


def build_invoice(seed: int, layout: Layout, category: str | None = None) -> SynthInvoice:
    """The invoice drawn from `seed` for `layout` (category random when None)."""
    rng = random.Random(seed)
    if category is None:
        category = rng.choice(CATEGORIES)
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r} (use one of {', '.join(CATEGORIES)})")
    issuer_es = layout.issuer.country == "ES"
    spanish = [c for c in catalog.CUSTOMERS if c.country == "ES"]
    foreign = [c for c in catalog.CUSTOMERS if c.country != "ES"]
    customer = rng.choice(foreign if issuer_es and rng.random() < 0.08 else spanish)
    seller = _issuer_party(layout)
    buyer = _customer_party(customer, prefix_es=not issuer_es)
    if not issuer_es or customer.country != "ES":
        rate, note = Decimal("0"), catalog.EXEMPT_NOTES[layout.language]
    else:
        rate, note = (Decimal("21") if rng.random() < 0.85 else Decimal("10")), None

    issue = FIRST_DAY + timedelta(days=rng.randrange(DAYS_SPAN))
    payment_days = rng.choice((0, 30, 30, 60, 90))
    serial = rng.randint(1, 9999)
    number = layout.number_format.format(
        yyyy=issue.year, yy=issue.year % 100, mm=issue.month, n=serial, s=rng.choice("ABC")
    )
    maker = _LineMaker(rng, layout, customer)
    lines = _lines(rng, maker, category)
    if rng.random() < 0.15:
        lines.append(
            _global_discount(lines, Decimal(rng.choice((3, 5, 10))), layout.language, layout)
        )
    inv = SynthInvoice(
        seed=seed,
        layout=layout.name,
        language=layout.language,
        category=category,
        number=number,
        issue_date=issue,
        due_date=issue + timedelta(days=payment_days),
        service_date=issue - timedelta(days=rng.randint(0, 20)),
        order_ref=f"{rng.choice(('PED', 'OC', 'PO'))}-{rng.randint(1000, 99999)}",
        contract_ref=f"CM-{issue.year}-{rng.randint(1, 250):03d}",
        customer_code=f"{rng.randint(100, 9999):04d}",
        seller=seller,
        buyer=buyer,
        lines=lines,
        tax_rate=rate,
        exempt_note=note,
        payment_days=payment_days,
    )
    inv.compute_totals()
    # The seen and the randomized layouts: the excluded ones keep their own variety.
    if LAYOUTS.get(layout.name) is layout or is_random_name(layout.name):
        vary_taxes(inv, layout)
    if inv.category_by_rule() != category:  # the generator and the documented rule must agree
        raise RuntimeError(
            f"category rule disagrees for seed {seed}: {category} vs {inv.category_by_rule()}"
        )
    return inv


def trim_last_line(inv: SynthInvoice) -> bool:
    """Drop the last non-decisive item line (keeping a trailing discount line); False if none left."""
    decisive = DECISIVE_KIND[inv.category]
    items = [ln for ln in inv.lines if ln.kind != "discount"]
    discount = [ln for ln in inv.lines if ln.kind == "discount"]
    n_decisive = sum(ln.kind == decisive for ln in items)
    for i in range(len(items) - 1, -1, -1):
        if items[i].kind != decisive or n_decisive > 1:
            del items[i]
            break
    else:
        return False
    if discount:
        old = discount[0]
        base = sum((ln.amount for ln in items), Decimal("0"))
        assert old.discount is not None
        discount = [replace(old, amount=-money(base * old.discount / 100))]
    inv.lines = items + discount
    inv.compute_totals()
    return True
