"""Withholding (IRPF), recargo de equivalencia and the breakdown by VAT rate, from a totals block.

Labels are the tax authorities' words (Spanish, Catalan, Galician, Basque, Portuguese) and the
generic ones of English, French, Italian and German where the tax exists there. Which amount is
a rate's base and which its tax is decided by arithmetic alone (tax = base x rate to the cent),
never by where a layout puts them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from facturas_assets.documents.extraction.layout import Cell, Line
from facturas_assets.documents.extraction.numbers import RATE_ON_WORDS, find_amounts, rate_bases
from facturas_assets.documents.model import InvoiceData, TaxBreakdown
from facturas_assets.documents.rates import CENT, EU_RATES, RECARGO_RATES, share

# retención / retenció / retenção (na fonte), IRPF, Basque atxikipena and PFEZ (its IRPF),
# withholding tax, retenue à la source, ritenuta d'acconto, Quellensteuer.
_WITHHOLDING = re.compile(
    r"\b(?:retenci(?:on|o|ones)|retencao|retencoes|irpf|atxikipen\w*|pfez|"
    r"withh(?:olding|eld)|retenue|ritenut[ae]|quellensteuer)\b"
)
# recargo de equivalencia / recàrrec d'equivalència / baliokidetasun-errekargua, the English
# "equivalence surcharge" of Facturae's documentation, and the abbreviation R.E.
# "Recargo de" with its amount on the line and "equivalencia" wrapped to the next is one too.
_RECARGO = re.compile(
    r"\b(?:recargo|recarrec|rec)\b\W{0,3}(?:de\W{1,3}|d\W{1,3})?equiv|"
    r"\b(?:recargo|recarrec)\W{1,3}(?:de|d)\W{1,3}(?=[-−(]?\d)|"
    r"\berrekargu|\bbaliokidetasun|\bequivalence surcharge"
)
_RECARGO_ABBREVIATION = re.compile(r"\bR\.\s?E\.?(?=\s*[(:]?\s*\d)")
# A line of a discount states a percentage of something else, not a tax.
_DISCOUNT = re.compile(
    r"\b(?:dto|descuento|descompte|deskontu\w*|discount|remise|rabatt|sconto|desconto|korting)\b"
)
# A base exempt from VAT: exento / exenta / exempt / isento / exonéré / esente / steuerfrei.
EXEMPT_WORD = r"(?:exent[oa]s?|exempt\w*|isent[oa]s?|exoner\w*|esent[ei]|steuerfrei)"
_EXEMPT = re.compile(rf"\b{EXEMPT_WORD}\b")
_PERCENT = re.compile(r"(?<![\d.,])[-−(]*\s?(\d{1,2}(?:[.,]\d{1,2})?)\s?%")
# A rate with two decimals whose decimal sign OCR lost ("000%" for 0,00 %, "2100 %" for
# 21,00 %): no rate runs past 100, and 100 % is read as printed.
_PERCENT_UNSIGNED = re.compile(r"(?<![\d.,])(?!100\s?%)(\d{1,2}00)\s?%")  # 100 % is whole
_VAT_RATES = frozenset(Decimal(str(r)).normalize() for r in EU_RATES if r > 0)


@dataclass(slots=True)
class TaxExtras:
    """What a totals block states beyond net, tax and total."""

    withholding_total: Decimal | None = None
    withholding_rate: Decimal | None = None
    recargo_total: Decimal | None = None
    breakdown: list[TaxBreakdown] = field(default_factory=list)


def expected_totals(data: InvoiceData) -> list[Decimal]:
    """The totals an invoice's net and tax allow (see `allowed_totals`)."""
    return allowed_totals(
        data.net_total, data.tax_total, data.recargo_total, data.withholding_total
    )


def allowed_totals(
    net: Decimal | None,
    tax: Decimal | None,
    recargo: Decimal | None = None,
    withholding: Decimal | None = None,
) -> list[Decimal]:
    """The totals net and tax allow: plus any recargo (unless tax_total includes it), less any
    withholding (unless the total is stated before it, as UBL's TaxInclusiveAmount is)."""
    if net is None or tax is None:
        return []
    recargos = {Decimal(0), recargo or Decimal(0)}
    # Withholding is stated positive; a credit note (a negative net) returns it.
    withheld = {Decimal(0), (withholding or Decimal(0)).copy_sign(net)}
    return sorted({net + tax + r - w for r in recargos for w in withheld})


def adds_up(data: InvoiceData) -> bool:
    """Whether the total is within a cent of one of `expected_totals`."""
    total = data.total
    return total is not None and any(abs(e - total) <= CENT for e in expected_totals(data))


def apply_extras(data: InvoiceData, extras: TaxExtras) -> None:
    """Set what the totals block states beyond net, tax and total on `data`."""
    data.withholding_total = extras.withholding_total
    data.withholding_rate = extras.withholding_rate
    data.recargo_total = extras.recargo_total
    data.tax_breakdown = extras.breakdown


def _plain(text: str) -> str:
    """Lower case without accents: labels match however they were typed or read."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _rates(text: str) -> list[Decimal]:
    """The percentages printed on a line ("15 %", "(-15%)", "5,2 %"; "000%", its decimal sign
    lost, 0 %)."""
    found = [Decimal(m.group(1).replace(",", ".")).normalize() for m in _PERCENT.finditer(text)]
    return found + [
        (Decimal(m.group(1)) / 100).normalize() for m in _PERCENT_UNSIGNED.finditer(text)
    ]


def _is_share(amount: Decimal, base: Decimal, rate: Decimal) -> bool:
    """Whether `amount` is `rate` percent of `base` to the cent."""
    return abs(abs(amount) - abs(share(base, rate))) <= CENT


def is_extra_line(text: str) -> bool:
    """Whether a line states a withholding or a recargo (whose amount is no net, tax or total,
    whatever other words of it look like a label: "withholding tax")."""
    return bool(
        _WITHHOLDING.search(_plain(text))
        or _RECARGO.search(_plain(text))
        or _RECARGO_ABBREVIATION.search(text)
    )


def breakdown_sums(rows: list[TaxBreakdown]) -> tuple[Decimal, Decimal] | None:
    """The sums of the rows' bases and taxes, when every row states both."""
    if not rows or any(r.base is None or r.tax is None for r in rows):
        return None
    return (
        sum((r.base for r in rows if r.base is not None), Decimal(0)),
        sum((r.tax for r in rows if r.tax is not None), Decimal(0)),
    )


def read_tax_extras(block: list[Line], hint: str | None, net: Decimal | None) -> TaxExtras:
    """Withholding, recargo and breakdown by rate printed in the totals block `block`."""
    extras = TaxExtras()
    recargo_lines: list[tuple[Decimal | None, list[Decimal]]] = []
    by_rate: dict[Decimal, list[Decimal]] = {}
    everything: list[Decimal] = []
    exempt: list[Decimal] = []
    for text in band_texts(block):
        plain = _plain(text)
        amounts = [a.value for a in find_amounts(text, hint) if a.has_decimals]
        everything.extend(a for a in amounts if a != 0)
        rates = _rates(text)
        if not amounts:
            continue
        if _WITHHOLDING.search(plain):
            if extras.withholding_total is None:
                extras.withholding_total = abs(amounts[-1])
                extras.withholding_rate = rates[0] if len(rates) == 1 else None
        elif _RECARGO.search(plain) or _RECARGO_ABBREVIATION.search(text):
            recargo_lines.append((rates[0] if len(rates) == 1 else None, amounts))
        elif len(rates) == 1 and rates[0] in _VAT_RATES and not _DISCOUNT.search(plain):
            by_rate.setdefault(rates[0], []).extend(a for a in amounts if a != 0)
        elif _EXEMPT.search(plain) and not rates and len(amounts) == 1 and amounts[0]:
            exempt.append(amounts[0])  # an exempt base stated apart, its tax none
        elif (
            rates == [Decimal(0)]
            # one amount besides zeros, if printed twice (at 0 % a row's gross is its base)
            and len({a for a in amounts if a}) == 1
            and not _DISCOUNT.search(plain)
            and "total" not in plain  # "Total (IVA 0 %)" states the total, not a base
        ):
            exempt.append(next(a for a in amounts if a))  # a base at 0 %: "459,83 € 0 % 0,00 €"
    rows = _rate_rows(by_rate, everything)
    if rows and len(set(exempt)) == 1:  # one base, if printed twice (a rates table, a line)
        rows.append(
            TaxBreakdown(rate=Decimal(0), base=exempt[0], tax=Decimal("0.00"), category="exempt")
        )
    if net is not None and not rows and len(by_rate) == 1 and recargo_lines:
        # One rate and a recargo: the base is the net.
        rate, found = next(iter(by_rate.items()))
        tax = next((a for a in found if _is_share(a, net, rate)), None)
        if tax is not None:
            rows = [TaxBreakdown(rate=rate, base=net, tax=tax, category="standard")]
    recargos = [_attach_recargo(rows, rate, amounts) for rate, amounts in recargo_lines]
    recargos = _without_their_sum(recargos, [rate for rate, _ in recargo_lines])
    if any(r is not None for r in recargos):
        extras.recargo_total = sum((r for r in recargos if r is not None), Decimal(0))
    if extras.withholding_total is not None and extras.withholding_total == 0:
        extras.withholding_total = extras.withholding_rate = None
    # One rate without a recargo says nothing net and tax do not already say.
    if len(rows) >= 2 or any(r.recargo for r in rows):
        extras.breakdown = rows
    return extras


def band_texts(block: list[Line]) -> list[str]:
    """The block's lines as texts, a band of labels over a line of their amounts read column
    by column ("BASE IMPONIBLE | IVA AL 21 % | RETENCIÓN IRPF 15 %" over "831,23 | 174,56 |
    -124,68" gives "RETENCIÓN IRPF 15 % -124,68")."""
    out: list[str] = []
    k = 0
    while k < len(block):
        band = _band(block, k)
        if band is None:
            out.append(block[k].text)
            k += 1
            continue
        pairs, used = band
        out.extend(pairs)
        k += 1 + used
    return out


_BAND_LINES = 3  # lines under a band that may hold its labels' rest and amounts
_BAND_GAP = 1.5  # of a line's height between the lines of a band


def _band(block: list[Line], k: int) -> tuple[list[str], int] | None:
    """("label amount" per column, lines used under it) when block[k] is a band of labels with
    their amounts under them. Each label takes the first amount under it; lines of words only
    under the band are its labels' rest (a wrapped "%", the labels in a second language), and
    amounts a row apart (a taller label cell pushes its amount down) are still its own."""
    line = block[k]
    if len(line.cells) < 2:
        return None
    labels = [[cell.text] for cell in line.cells]
    values: list[str | None] = [None] * len(line.cells)
    used, last = 0, line
    for below in block[k + 1 : k + 1 + _BAND_LINES]:
        if below.page != line.page or below.y0 - last.y1 > _BAND_GAP * last.height:
            break
        owners = [_owner(line, cell) for cell in below.cells]
        if any(n is None for n in owners):
            return None  # not set under one label each: no band
        # A rate's label ending in "s/" ("Recargo 5,2 % S/") has its base under it first,
        # then its amount: the base is the label's rest, as one in the label's cell would be.
        rest = [
            values[n] is None and _ENDS_ON.search(" ".join(labels[n])) is not None for n in owners
        ]
        priced = [_stated(c.text) and not r for c, r in zip(below.cells, rest, strict=True)]
        if any(priced) and not all(p or r for p, r in zip(priced, rest, strict=True)):
            break  # amounts beside words: a line of its own, not the band's
        for cell, n, is_priced in zip(below.cells, owners, priced, strict=True):
            if not is_priced:
                labels[n].append(cell.text)
            elif values[n] is None:
                values[n] = cell.text
            else:
                return None  # two amounts under one label: a table, not a band
        used, last = used + 1, below
        if all(v is not None for v in values):
            break
    if sum(v is not None for v in values) < 2 or any(_stated(" ".join(t)) for t in labels):
        return None  # amounts among the labels (but the bases their rates are taken of)
    pairs = [" ".join([*texts, v]) for texts, v in zip(labels, values, strict=True) if v]
    return pairs, used


def _owner(line: Line, cell: Cell) -> int | None:
    """The index of the one label cell of `line` that `cell` stands under, if one."""
    owners = [n for n, up in enumerate(line.cells) if min(up.x1, cell.x1) - max(up.x0, cell.x0) > 0]
    return owners[0] if len(owners) == 1 else None


# A rate's label ending in the word for "on": the amount under it is the base it is taken of.
_ENDS_ON = re.compile(rf"%\s*:?\s*{RATE_ON_WORDS}\.?$", re.IGNORECASE)


def _stated(text: str) -> bool:
    """Whether a label cell states an amount other than its rate and the base that rate is
    taken of ("IVA 21,00 %: sobre 3.232,32" states none: its amount stands under it)."""
    bases = rate_bases(text)
    return any(
        a.has_decimals
        and not any(s <= a.start and a.end <= e for s, e in bases)
        and not _BEFORE_PERCENT.match(text, a.end)  # a rate ("5,2 %"), no amount
        for a in find_amounts(text)
    )


_BEFORE_PERCENT = re.compile(r"\s?%")


def _rate_rows(
    by_rate: dict[Decimal, list[Decimal]], everything: list[Decimal]
) -> list[TaxBreakdown]:
    """A (base, tax) row per rate whose lines hold the tax, the base being on those lines or,
    failing that, any amount of the block: the one pair where tax = base x rate."""
    rows = []
    for rate, amounts in by_rate.items():
        pairs = {
            (base, tax)
            for tax in amounts
            for base in (amounts if len(amounts) > 1 else everything)
            # A credit note's base and tax are both negative.
            if abs(base) > abs(tax) and (base > 0) == (tax > 0) and _is_share(tax, base, rate)
        }
        if len(pairs) == 1:
            base, tax = pairs.pop()
            rows.append(TaxBreakdown(rate=rate, base=base, tax=tax, category="standard"))
    return rows


def _without_their_sum(
    recargos: list[Decimal | None], rates: list[Decimal | None]
) -> list[Decimal | None]:
    """The recargo amounts less a line with no rate stating the sum of the rated ones ("Cuota
    R.E. 18,18" under "5,2 % ... 9,44" and "0,5 % ... 8,74"): their total, no recargo more."""
    rated = [r for r, rate in zip(recargos, rates, strict=True) if r is not None and rate]
    if len(rated) < 2:
        return recargos
    total = sum(rated, Decimal(0))
    return [
        None if r is not None and rate is None and abs(r - total) <= CENT else r
        for r, rate in zip(recargos, rates, strict=True)
    ]


def _attach_recargo(
    rows: list[TaxBreakdown], rate: Decimal | None, amounts: list[Decimal]
) -> Decimal | None:
    """Put a recargo line's amount on the rate row whose base it is a share of (by its printed
    rate when it has one); returns the amount read, attached or not."""
    amount = abs(amounts[-1])
    for row in rows:
        if row.base is not None and row.base < 0:
            amount = -amount  # a credit note's recargo is returned with its base
        if row.base is None or row.recargo is not None:
            continue
        # Unprinted (or wrapped off the line), the rate is the one the law sets for the row's.
        row_rate = rate if rate is not None else RECARGO_RATES.get(row.rate or Decimal(-1))
        if row_rate is not None and _is_share(amount, row.base, row_rate):
            row.recargo_rate, row.recargo = row_rate, amount
            break
    return amount
