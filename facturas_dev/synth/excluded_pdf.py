"""Draws the layouts excluded from development (excluded_layouts.py) as text PDFs.

The base renderer (pdf.py) draws page flow, header blocks and tables; this one adds what only
the excluded layouts print: their dates, the acronym and window-envelope letterheads (the seller
then only in the registry footer), a per-line VAT rate column, totals with one row per rate,
exempt bases, surcharge and withholding, and the title and note of corrective invoices. It
draws imported content (external.py) as well, which has no per-line rates.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from facturas_dev.synth.content import SynthInvoice, SynthLine
from facturas_dev.synth.excluded_content import ExcludedInvoice, TaxRow
from facturas_dev.synth.excluded_layouts import ExcludedLayout
from facturas_dev.synth.excluded_wordings import MONTHS
from facturas_dev.synth.formats import format_date
from facturas_dev.synth.pdf import (
    BLACK,
    COLUMN_WIDTH,
    GREY,
    PAGE_H,
    WHITE,
    Column,
    InvoicePdf,
    _tint,
)

EXTRA_WIDTH = {"vat": 34.0}
SMALL_WORDS = {"de", "del", "la", "las", "los", "y", "i", "e", "do", "da", "des", "du", "di"}


def long_date(d: date, wording: str) -> str:
    """A date written out in the wording's language: '5 de març de 2025', '5. März 2025'."""
    month = MONTHS[wording].split()[d.month - 1]
    if wording == "ca":
        prep = "d'" if month[0] in "aeiou" else "de "
        return f"{d.day} {prep}{month} de {d.year}"
    if wording in ("es", "gl", "pt"):
        return f"{d.day} de {month} de {d.year}"
    if wording == "de":
        return f"{d.day}. {month} {d.year}"
    return f"{d.day} {month} {d.year}"


def initials(name: str) -> str:
    """Up to four capitals of a company name's words, small words and legal forms aside."""
    words = [w for w in name.replace(",", " ").split() if w.lower() not in SMALL_WORDS]
    letters = [w[0] for w in words if w[0].isalpha() and "." not in w[1:]]
    return "".join(letters[:4]).upper() or "?"


class ExcludedInvoicePdf(InvoicePdf):
    """The base renderer with what the excluded layouts print besides."""

    layout: ExcludedLayout

    def __init__(self, inv: SynthInvoice, layout: ExcludedLayout) -> None:
        self.credit = isinstance(inv, ExcludedInvoice) and bool(inv.corrects)
        super().__init__(inv, layout)

    # ------------------------------------------------------------------ values
    def label(self, key: str) -> str:
        """The layout's wording, with the corrective title on corrective invoices."""
        if key == "title" and self.credit:
            key = "credit_title"
        return self.layout.label(key)

    def date(self, d: date) -> str:
        """A date in the layout's style, including the styles only these layouts print."""
        style = self.layout.date_style
        if style == "d.m.yyyy":
            return f"{d.day}.{d.month}.{d.year}"
        if style == "dd.mm.yyyy":
            return d.strftime("%d.%m.%Y")
        if style == "long":
            return long_date(d, self.layout.wording)
        return format_date(d, style, self.layout.language)

    def percent(self, rate: Decimal) -> str:
        """A rate as this layout prints it ('21 %', '5,2 %', '5.2%')."""
        places = max(self.layout.percent_places, -rate.normalize().as_tuple().exponent, 0)  # type: ignore[operator]
        return self.layout.numbers.percent(rate, places, self.layout.wording != "en")

    def acronym(self) -> str:
        """The logo's letters: the layout's own for its issuer, else the seller's initials."""
        if self.layout.acronym and self.inv.seller.name == self.layout.issuer.name:
            return self.layout.acronym
        return initials(self.inv.seller.name)

    def tax_rows(self) -> list[TaxRow]:
        """The rates of the totals block (imported content: one row with its stated tax)."""
        inv = self.inv
        if isinstance(inv, ExcludedInvoice):
            return inv.rate_rows()
        rate = inv.tax_rate if len(inv.tax_rates) <= 1 else None
        return [TaxRow(rate, inv.net, inv.tax, None, Decimal("0"))]

    def rate_label(self, row: TaxRow) -> str:
        """'IVA 21 %' for a rate, the rates joined for imported content with several."""
        if row.rate is None and not isinstance(self.inv, ExcludedInvoice):
            return self.label("tax").format(rate=self.rate_text())
        return self.label("tax").format(rate=self.percent(row.rate or Decimal(0)))

    def withheld(self) -> Decimal:
        """The IRPF withheld (zero when none)."""
        inv = self.inv
        return inv.withheld if isinstance(inv, ExcludedInvoice) else Decimal("0")

    # ------------------------------------------------------------------ letterheads
    def letterhead_acronym(self) -> float:
        """A block logo with the acronym, the legal name and the issuer lines under it."""
        p, s = self.p, self.inv.seller
        letters = self.acronym()
        size = 26.0
        w = max(70.0, p.width(letters, "b", size) + 24)
        p.box(self.x0, 24, w, 40, stroke=None, fill=self.accent)
        p.text(self.x0 + w / 2, 53, letters, "b", size, "center", WHITE)
        p.text(self.x0, 80, s.name, "b", self.size + 2)
        t = 80.0
        if self.layout.issuer.tagline and s.name == self.layout.issuer.name:
            t += self.lead
            p.text(self.x0, t, self.layout.issuer.tagline, "i", self.size - 0.5, color=GREY)
        for line in self.seller_lines():
            t += self.size + 1.5
            p.text(self.x0, t, line, size=self.size - 1)
        return t + 12

    def letterhead_envelope(self) -> float:
        """Only a logo on top: the seller's name and ids are in the registry footer."""
        p = self.p
        letters = self.acronym()
        self.canvas.setFillColorRGB(*self.accent)
        self.canvas.roundRect(self.x0, PAGE_H - 70, 96, 44, 8, stroke=0, fill=1)
        p.text(self.x0 + 48, 56, letters, "b", 20, "center", WHITE)
        if self.layout.issuer.tagline and self.inv.seller.name == self.layout.issuer.name:
            p.text(self.x0 + 106, 52, self.layout.issuer.tagline, "i", self.size, color=GREY)
        return 86

    def chrome(self, page: int, pages: int) -> None:
        """The base page furniture, and for the envelope letterhead the seller in the footer."""
        super().chrome(page, pages)
        if self.layout.letterhead != "envelope":
            return
        s = self.inv.seller
        small = max(6.0, self.size - 2)
        ident = " · ".join(
            x for x in (s.name, ", ".join(s.address), self.seller_tax_text(), s.email) if x
        )
        for i, line in enumerate(self.p.wrap(ident, self.x1 - self.x0, size=small)[:2]):
            self.p.text((self.x0 + self.x1) / 2, PAGE_H - 46 + i * (small + 2), line, size=small,
                        align="center", color=GREY)  # fmt: skip

    # ------------------------------------------------------------------ table
    def _columns(self) -> list[Column]:
        """The base column widths plus the per-line rate column."""
        widths: dict[str, float] = {}
        for key in self.layout.columns:
            if key == "description":
                continue
            base = {**COLUMN_WIDTH, **EXTRA_WIDTH}[key] * self.size / 9
            widest = max(
                (
                    self.p.width(self.cell_text(key, ln), "r", self.cell_size(key))
                    for ln in self.inv.lines
                ),
                default=0,
            )
            widths[key] = max(base, self.p.width(self.label(key), "b") + 10, widest + 12)
        desc = self.x1 - self.x0 - sum(widths.values())
        cols, x = [], self.x0
        for key in self.layout.columns:
            w = desc if key == "description" else widths[key]
            cols.append(Column(key, x, w))
            x += w
        return cols

    def cell_text(self, key: str, line: SynthLine) -> str:
        """The base cells plus the line's VAT rate (or the exempt mark)."""
        if key != "vat":
            return super().cell_text(key, line)
        inv = self.inv
        if isinstance(inv, ExcludedInvoice):
            rate = inv.rate_of(line)
            return self.layout.label("exempt_mark") if rate is None else self.percent(rate)
        return self.percent(inv.tax_rate) if len(inv.tax_rates) <= 1 else ""

    # ------------------------------------------------------------------ totals and notes
    def notes(self) -> list[tuple[str, str]]:
        """The base notes, after what a corrective invoice corrects."""
        out = super().notes()
        inv = self.inv
        if self.credit and isinstance(inv, ExcludedInvoice) and inv.corrects_date:
            note = self.label("credit_note").format(
                number=inv.corrects, date=self.date(inv.corrects_date)
            )
            out.insert(0, (note, "b"))
        return [(text, style) for text, style in out if text]

    def stack_rows(self) -> list[tuple[str, str]]:
        """Label and printed amount of every totals row, top to bottom."""
        rows = [(self.label("net"), self.money(self.inv.net))]
        for row in self.tax_rows():
            if row.rate is None and isinstance(self.inv, ExcludedInvoice):
                rows.append((self.label("exempt"), self.money(row.base)))
                continue
            rows.append((self.rate_label(row), self.money(row.tax)))
            if row.surcharge_rate is not None:
                surcharge = self.label("surcharge").format(rate=self.percent(row.surcharge_rate))
                rows.append((surcharge, self.money(row.surcharge)))
        withheld = self.withheld()
        if withheld:
            rate = self.layout.withholding or Decimal(0)
            rows.append(
                (self.label("withheld").format(rate=self.percent(rate)), self.money(-withheld))
            )
        rows.append((self.label("total"), self.money(self.inv.total)))
        return rows

    def breakdown_cells(self) -> tuple[list[str], list[list[str]]]:
        """Headers and rows of the per-rate table: base, rate, VAT (and surcharge)."""
        rows = self.tax_rows()
        surcharge = any(r.surcharge_rate is not None for r in rows)
        heads = [self.label("base_col"), self.label("rate_col"), self.label("tax_col")]
        if surcharge:
            heads += ["% " + self.label("surcharge_col"), self.label("surcharge_col")]
        cells = []
        for r in rows:
            rate = (
                self.layout.label("exempt_mark")
                if r.rate is None and isinstance(self.inv, ExcludedInvoice)
                else (self.rate_text() if r.rate is None else self.percent(r.rate))
            )
            line = [self.money(r.base), rate, self.money(r.tax)]
            if surcharge:
                line += [
                    self.percent(r.surcharge_rate) if r.surcharge_rate is not None else "",
                    self.money(r.surcharge) if r.surcharge_rate is not None else "",
                ]
            cells.append(line)
        return heads, cells

    def summary_rows(self) -> list[tuple[str, str]]:
        """The rows right of the breakdown table: net, all tax, withholding, total."""
        rows = [
            (self.label("net"), self.money(self.inv.net)),
            (self.label("tax_total"), self.money(self.inv.tax)),
        ]
        withheld = self.withheld()
        if withheld:
            rate = self.layout.withholding or Decimal(0)
            rows.append(
                (self.label("withheld").format(rate=self.percent(rate)), self.money(-withheld))
            )
        rows.append((self.label("total"), self.money(self.inv.total)))
        return rows

    def totals_block_height(self) -> float:
        """Height of the stacked or breakdown totals."""
        if self.layout.totals_style == "stack":
            return len(self.stack_rows()) * self.lead + 10
        if self.layout.totals_style == "breakdown":
            _, cells = self.breakdown_cells()
            table_rows, summary = len(cells) + 1, len(self.summary_rows())
            rows = table_rows + summary if self.summary_below() else max(table_rows, summary)
            return rows * (self.lead + 3) + 16
        return super().totals_block_height()

    def totals_stack(self, t: float) -> None:
        """Label/value rows, right or left, the total bold under a rule."""
        p = self.p
        rows = self.stack_rows()
        label_w = max(p.width(label, "b") for label, _ in rows)
        value_w = max(p.width(value, "b") for _, value in rows)
        if self.layout.totals_side == "left":
            x_label, x_value = self.x0, self.x0 + label_w + value_w + 24
        else:
            x_value = self.x1 - 4
            x_label = x_value - value_w - 24 - label_w
        for i, (label, value) in enumerate(rows):
            last = i == len(rows) - 1
            base = t + self.size + i * self.lead + (3 if last else 0)
            if last:
                p.rule(x_label, base - self.size - 2, x_value, 0.7, BLACK)
            style = "b" if last else "r"
            p.text(x_label, base, label, style)
            p.text(x_value, base, value, style, align="right")

    def breakdown_widths(self) -> list[float]:
        """Column widths of the per-rate table."""
        heads, cells = self.breakdown_cells()
        return [
            max(self.p.width(h, "b"), *(self.p.width(c[i]) for c in cells)) + 12
            for i, h in enumerate(heads)
        ]

    def summary_below(self) -> bool:
        """Whether the summary rows go under the per-rate table (no room beside it)."""
        rows = self.summary_rows()
        need = max(self.p.width(label, "b") for label, _ in rows)
        need += max(self.p.width(v, "b") for _, v in rows) + 40
        return self.x0 + sum(self.breakdown_widths()) + need > self.x1

    def totals_breakdown(self, t: float) -> None:
        """A per-rate table on the left, net / tax / withheld / total beside or under it."""
        p = self.p
        heads, cells = self.breakdown_cells()
        row_h = self.lead + 3
        col_w = self.breakdown_widths()
        width = sum(col_w)
        p.box(self.x0, t, width, row_h, stroke=None, fill=_tint(self.accent, 0.85))
        p.box(self.x0, t, width, row_h * (len(cells) + 1), stroke=BLACK, width=0.5)
        x = self.x0
        for i, head in enumerate(heads):
            p.text(x + col_w[i] - 5, t + self.size + 1, head, "b", align="right")
            for k, line in enumerate(cells):
                p.text(
                    x + col_w[i] - 5, t + (k + 1) * row_h + self.size + 1, line[i], align="right"
                )
            x += col_w[i]
        rows = self.summary_rows()
        if self.summary_below():
            t += (len(cells) + 1) * row_h + 6
        value_w = max(p.width(v, "b") for _, v in rows)
        x_value = self.x1 - 4
        x_label = x_value - value_w - 18
        for i, (label, value) in enumerate(rows):
            last = i == len(rows) - 1
            base = t + self.size + 1 + i * row_h
            if last:
                p.box(x_label - p.width(label, "b") - 10, base - self.size - 3,
                      x_value - x_label + p.width(label, "b") + 14, row_h, stroke=None,
                      fill=_tint(self.accent, 0.8))  # fmt: skip
            style = "b" if last else "r"
            p.text(x_label, base, label, style, align="right")
            p.text(x_value, base, value, style, align="right")


def render_excluded_pdf(inv: SynthInvoice, layout: ExcludedLayout) -> tuple[bytes, int]:
    """The digital PDF of `inv` in an excluded layout and its page count."""
    if not isinstance(inv, ExcludedInvoice) and "vat" in layout.columns and len(inv.tax_rates) > 1:
        # Imported content states no rate per line: the column would stay empty.
        layout = replace(layout, columns=tuple(c for c in layout.columns if c != "vat"))
    return ExcludedInvoicePdf(inv, layout).render()
