"""Draw a synthetic invoice as a digital PDF with a text layer (reportlab canvas, invariant output).

Coordinates inside this module are measured from the top of the page ("t") and converted at the
last moment, which keeps the flow of header blocks, table rows and totals easy to follow.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from facturas_dev.synth.content import SynthInvoice, SynthLine
from facturas_dev.synth.fonts import ensure_font
from facturas_dev.synth.formats import format_date
from facturas_dev.synth.layouts import Layout
from facturas_dev.synth.spanish_taxes import WORDS

PAGE_W, PAGE_H = A4
BLACK = (0.0, 0.0, 0.0)
WHITE = (1.0, 1.0, 1.0)
GREY = (0.42, 0.42, 0.42)
LIGHT = (0.93, 0.93, 0.93)
SIDEBAR_W = 22.0
FOOTER_RESERVED = 62.0  # space kept free at the foot of every page

COLUMN_WIDTH = {"code": 50.0, "qty": 36.0, "unit_price": 58.0, "discount": 34.0, "amount": 64.0}
NUMERIC = {"qty", "unit_price", "discount", "amount"}
BAND_LABELS = {
    "es": ("% IVA", "Cuota IVA"),
    "en": ("VAT rate", "VAT amount"),
    "pt": ("Taxa IVA", "Valor IVA"),
    "fr": ("Taux TVA", "Montant TVA"),
    "it": ("Aliquota IVA", "Importo IVA"),
}


def _tint(color: tuple[float, float, float], amount: float) -> tuple[float, float, float]:
    """The colour mixed with white (amount 0 -> colour, 1 -> white)."""
    return tuple(c + (1 - c) * amount for c in color)  # type: ignore[return-value]


@dataclass(slots=True)
class Row:
    """A table row laid out: the invoice line, its wrapped description and its height."""

    line: SynthLine
    text: list[str]
    height: float


@dataclass(slots=True)
class Column:
    """A table column: its key, left edge and width."""

    key: str
    x: float
    width: float

    @property
    def right(self) -> float:
        """Right edge of the column."""
        return self.x + self.width


class Painter:
    """Thin helper over a reportlab canvas, in top-based coordinates and the layout's fonts."""

    def __init__(self, canvas: Canvas, layout: Layout) -> None:
        self.c = canvas
        self.size = layout.size
        fonts = layout.fonts
        self.faces = {"r": fonts.regular, "b": fonts.bold, "i": fonts.italic}
        for face in self.faces.values():
            ensure_font(face)

    def width(self, text: str, style: str = "r", size: float | None = None) -> float:
        """Width of `text` in points in the given style and size."""
        return pdfmetrics.stringWidth(text, self.faces[style], size or self.size)

    def text(
        self,
        x: float,
        t: float,
        text: str,
        style: str = "r",
        size: float | None = None,
        align: str = "left",
        color: tuple[float, float, float] = BLACK,
    ) -> None:
        """Draw `text` with its baseline `t` points from the top."""
        self.c.setFillColorRGB(*color)
        self.c.setFont(self.faces[style], size or self.size)
        y = PAGE_H - t
        if align == "right":
            self.c.drawRightString(x, y, text)
        elif align == "center":
            self.c.drawCentredString(x, y, text)
        else:
            self.c.drawString(x, y, text)

    def wrap(
        self, text: str, max_width: float, style: str = "r", size: float | None = None
    ) -> list[str]:
        """Greedy word wrap; a single word wider than the column is broken by characters."""
        lines: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            if self.width(candidate, style, size) <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = word
            while self.width(current, style, size) > max_width and len(current) > 1:
                cut = len(current) - 1
                while cut > 1 and self.width(current[:cut], style, size) > max_width:
                    cut -= 1
                lines.append(current[:cut])
                current = current[cut:]
        if current:
            lines.append(current)
        return lines or [""]

    def rule(self, x0: float, t: float, x1: float, width: float = 0.5, color=BLACK) -> None:
        """A horizontal line at `t`."""
        self.c.setStrokeColorRGB(*color)
        self.c.setLineWidth(width)
        self.c.line(x0, PAGE_H - t, x1, PAGE_H - t)

    def vline(self, x: float, t0: float, t1: float, width: float = 0.5, color=BLACK) -> None:
        """A vertical line from t0 to t1."""
        self.c.setStrokeColorRGB(*color)
        self.c.setLineWidth(width)
        self.c.line(x, PAGE_H - t0, x, PAGE_H - t1)

    def box(
        self, x: float, t: float, w: float, h: float, stroke=BLACK, fill=None, width: float = 0.6
    ) -> None:
        """A rectangle whose top edge is at `t`, stroked and/or filled."""
        self.c.setLineWidth(width)
        if stroke is not None:
            self.c.setStrokeColorRGB(*stroke)
        if fill is not None:
            self.c.setFillColorRGB(*fill)
        self.c.rect(
            x, PAGE_H - t - h, w, h, stroke=int(stroke is not None), fill=int(fill is not None)
        )


class InvoicePdf:
    """Lays out and draws one invoice in one layout."""

    def __init__(self, inv: SynthInvoice, layout: Layout) -> None:
        self.inv = inv
        self.layout = layout
        self.rng = random.Random(inv.seed ^ 0x5EED)  # decorative choices only, never content
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=A4, invariant=1, pageCompression=1)
        self.canvas.setTitle(f"{self.label('title').title()} {inv.number}")
        self.canvas.setAuthor(inv.seller.name)
        self.p = Painter(self.canvas, layout)
        self.size = layout.size
        self.lead = round(layout.size * 1.3, 2)
        self.pad = 4.0 if layout.table_rules in ("grid", "zebra", "header-fill") else 2.5
        self.x0 = layout.margin + (SIDEBAR_W if layout.letterhead == "sidebar" else 0.0)
        self.x1 = PAGE_W - layout.margin
        self.accent = layout.accent
        self.columns = self._columns()
        # The draw happens either way so that content without a contract keeps the same looks.
        self.show_contract_note = self.rng.random() < 0.5 and bool(inv.contract_ref)
        self.show_thanks = self.rng.random() < 0.4

    # ------------------------------------------------------------------ values
    def label(self, key: str) -> str:
        """The layout's wording for `key` (a rectificativa's own title)."""
        if key == "title" and self.inv.corrects:
            return WORDS[self.layout.language]["credit_title"]
        return self.layout.label(key)

    def date(self, d) -> str:
        """A date as this layout prints it."""
        lay = self.layout
        return format_date(d, lay.date_style, lay.wording_language or lay.language)

    def title_text(self) -> str:
        """The title line: the title alone, or with the number when the layout prints it there."""
        if not self.layout.title_number:
            return self.label("title")
        return self.layout.title_number.format(title=self.label("title"), number=self.inv.number)

    def money(self, v: Decimal | None, table: bool = False) -> str:
        """An amount as printed in the table (symbol per layout) or elsewhere (with symbol)."""
        if v is None:  # imported content may state no amount: an empty cell, never a made-up one
            return ""
        numbers = self.layout.numbers
        # Cents at least, and every decimal the value states (imported unit prices may have 4).
        places = max(2, -v.as_tuple().exponent)  # type: ignore[operator]
        return numbers.amount(v, with_symbol=not table or numbers.symbol_in_table, places=places)

    def rate_text(self) -> str:
        """The tax rate as printed, e.g. '21 %' (several rates joined: '19 % / 7 %')."""
        rates = self.inv.tax_rates if len(self.inv.tax_rates) > 1 else (self.inv.tax_rate,)
        return " / ".join(
            self.layout.numbers.percent(
                r,
                max(self.layout.percent_places, -r.as_tuple().exponent),  # type: ignore[operator]
                self.layout.language != "en",
            )
            for r in rates
        )

    def meta_value(self, key: str) -> str:
        """The printed value of a header field (number, dates, references)."""
        inv = self.inv
        return {
            "number": inv.number,
            "date": self.date(inv.issue_date),
            "due": self.date(inv.due_date),
            "service_date": self.date(inv.service_date),
            "order": inv.order_ref,
            "customer_code": inv.customer_code,
            "contract": inv.contract_ref,
        }[key]

    # ------------------------------------------------------------------ public
    def render(self) -> tuple[bytes, int]:
        """Draw every page; returns the PDF bytes and the page count."""
        t = self.first_page_header()
        rows = [self.row(ln) for ln in self.inv.lines]
        pages = self.paginate(rows, t)
        running = Decimal("0")
        for index, page_rows in enumerate(pages):
            if index:
                self.canvas.showPage()
                t = self.continuation_header()
            self.chrome(index + 1, len(pages))
            last = index == len(pages) - 1
            if page_rows:
                t = self.table(page_rows, t)
                running += sum((r.line.amount or 0 for r in page_rows), Decimal("0"))
            if not last and self.layout.carry_forward:
                self.carry_line(t, running)
            if last:
                self.totals(t + 10)
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue(), len(pages)

    # ------------------------------------------------------------------ pagination
    def table_bottom(self) -> float:
        """Lowest top-coordinate a table row may reach."""
        return PAGE_H - FOOTER_RESERVED - (self.lead + 6 if self.layout.carry_forward else 0)

    def paginate(self, rows: list[Row], t_first: float) -> list[list[Row]]:
        """Rows per page; the last page also fits the totals and notes."""
        header = self.header_height()
        t_cont = self.continuation_top()
        bottom = self.table_bottom()
        pages: list[list[Row]] = []
        current: list[Row] = []
        t = t_first + header
        for row in rows:
            if current and t + row.height > bottom:
                pages.append(current)
                current = []
                t = t_cont + header
            current.append(row)
            t += row.height
        if t + 10 + self.totals_height() > PAGE_H - FOOTER_RESERVED:
            moved = [current.pop()] if len(current) > 1 else []
            pages.append(current)
            current = moved
        pages.append(current)
        return pages

    # ------------------------------------------------------------------ page chrome
    def chrome(self, page: int, pages: int) -> None:
        """What every page carries: sidebar band, legal footer, page number."""
        lay, p = self.layout, self.p
        if lay.letterhead == "sidebar":
            p.box(0, 0, SIDEBAR_W, PAGE_H, stroke=None, fill=self.accent)
            self.canvas.saveState()
            self.canvas.translate(SIDEBAR_W / 2 + 3.5, 60)
            self.canvas.rotate(90)
            self.canvas.setFillColorRGB(*WHITE)
            self.canvas.setFont(p.faces["b"], 10)
            self.canvas.drawString(0, 0, self.inv.seller.name.upper())
            self.canvas.restoreState()
        small = max(6.0, self.size - 2.5)
        if lay.issuer.registry:
            p.text(
                (self.x0 + self.x1) / 2,
                PAGE_H - 26,
                lay.issuer.registry,
                size=small,
                align="center",
                color=GREY,
            )
        text = self.label("page").format(p=page, n=pages)
        if lay.page_number_pos == "top":
            p.text(self.x1, 22, text, size=small, align="right", color=GREY)
        elif lay.page_number_pos == "center":
            p.text((self.x0 + self.x1) / 2, PAGE_H - 40, text, size=small + 0.5, align="center")
        else:
            p.text(self.x1, PAGE_H - 40, text, size=small + 0.5, align="right")

    # ------------------------------------------------------------------ first page
    def first_page_header(self) -> float:
        """Letterhead, title and header blocks of page 1; returns where the table starts."""
        t = getattr(self, f"letterhead_{self.layout.letterhead}")()
        lay = self.layout
        if lay.title_pos in ("left", "right", "center") and lay.letterhead != "right":
            x = {"left": self.x0, "right": self.x1, "center": (self.x0 + self.x1) / 2}[
                lay.title_pos
            ]
            p_size = self.size + 9
            self.p.text(x, t + p_size, self.title_text(), "b", p_size, lay.title_pos, self.accent)
            t += p_size + 12
        if lay.meta_style == "inline":
            t = self.meta_inline(t)
        t = self.blocks(t)
        if lay.meta_style == "band":
            t = self.meta_band(t)
        return t + 8

    def phone_text(self) -> str:
        """The issuer's labelled phone, empty when it has none."""
        return f"{self.label('phone')} {self.inv.seller.phone}" if self.inv.seller.phone else ""

    def seller_tax_text(self) -> str:
        """The issuer's labelled tax id, empty when it has none."""
        s = self.inv.seller
        return f"{self.label('seller_tax_id')} {s.tax_id}" if s.tax_id else ""

    def seller_lines(self) -> list[str]:
        """Issuer address, contact and tax id lines (lines without a value left out)."""
        s = self.inv.seller
        contact = " · ".join(x for x in (self.phone_text(), s.email) if x)
        return [x for x in (*s.address, contact, self.seller_tax_text()) if x]

    def letterhead_banner(self) -> float:
        """Full-width coloured band with the issuer in white."""
        p, s = self.p, self.inv.seller
        p.box(0, 0, PAGE_W, 80, stroke=None, fill=self.accent)
        p.text(self.x0, 36, s.name, "b", self.size + 8, color=WHITE)
        p.text(self.x0, 52, self.layout.issuer.tagline, "i", self.size - 0.5, color=WHITE)
        lines = [x for x in (*s.address, self.phone_text(), s.email, self.seller_tax_text()) if x]
        for i, line in enumerate(lines):
            p.text(
                self.x1,
                16 + i * (self.size + 0.5),
                line,
                size=self.size - 1.5,
                align="right",
                color=WHITE,
            )
        if s.web:
            p.text(self.x0, 66, s.web, size=self.size - 1.5, color=WHITE)
        return 96

    def letterhead_centered(self) -> float:
        """Centred issuer name, tagline and contacts over a double rule."""
        p, s = self.p, self.inv.seller
        mid = (self.x0 + self.x1) / 2
        p.text(mid, 46, s.name, "b", self.size + 9, "center", self.accent)
        p.text(mid, 60, self.layout.issuer.tagline, "i", self.size, "center")
        p.text(mid, 73, " - ".join(s.address), size=self.size - 1, align="center")
        contact = " · ".join(x for x in (self.phone_text(), s.email, self.seller_tax_text()) if x)
        p.text(mid, 84, contact, size=self.size - 1, align="center")
        p.rule(self.x0, 92, self.x1, 1.2, self.accent)
        p.rule(self.x0, 94.5, self.x1, 0.4, self.accent)
        return 106

    def letterhead_logo(self) -> float:
        """Round logo with initials beside the issuer block."""
        p, s = self.p, self.inv.seller
        initials = "".join(w[0] for w in s.name.replace(",", "").split()[:2]).upper()
        self.canvas.setFillColorRGB(*self.accent)
        self.canvas.circle(self.x0 + 24, PAGE_H - 52, 24, stroke=0, fill=1)
        p.text(self.x0 + 24, 58, initials, "b", 17, "center", WHITE)
        x = self.x0 + 60
        p.text(x, 42, s.name, "b", self.size + 5, color=self.accent)
        p.text(x, 55, self.layout.issuer.tagline, "i", self.size - 0.5, color=GREY)
        p.text(x, 67, ", ".join(s.address), size=self.size - 1)
        p.text(
            x,
            77,
            " · ".join(part for part in (self.phone_text(), s.email, s.web) if part),
            size=self.size - 1,
        )
        p.text(x, 87, self.seller_tax_text(), size=self.size - 1)
        return 102

    def letterhead_right(self) -> float:
        """Large title on the left, issuer block right-aligned."""
        p = self.p
        p.text(self.x0, 58, self.title_text(), "b", self.size + 14, color=self.accent)
        p.text(self.x1, 40, self.inv.seller.name, "b", self.size + 5, "right")
        p.text(self.x1, 52, self.layout.issuer.tagline, "i", self.size - 1, "right", GREY)
        lines = self.seller_lines()
        for i, line in enumerate(lines):
            p.text(self.x1, 64 + i * (self.size + 1.5), line, size=self.size - 1, align="right")
        # Room for four lines at least; imported issuers may have longer addresses.
        return 64 + max(4, len(lines)) * (self.size + 1.5) + 10

    def letterhead_boxed(self) -> float:
        """Issuer block inside a frame."""
        p, s = self.p, self.inv.seller
        lines = self.seller_lines()
        h = 22 + len(lines) * (self.size + 2) + 6
        p.box(self.x0, 28, 255, h, stroke=self.accent, width=1.2)
        p.text(self.x0 + 8, 44, s.name, "b", self.size + 2, color=self.accent)
        for i, line in enumerate(lines):
            p.text(self.x0 + 8, 58 + i * (self.size + 2), line, size=self.size - 0.5)
        return 28 + h + 14

    def letterhead_plain(self) -> float:
        """Issuer lines as plain text, as an old invoicing program prints."""
        p, s = self.p, self.inv.seller
        p.text(self.x0, 44, s.name, "b", self.size + 3)
        t = 44 + self.lead
        p.text(self.x0, t, self.layout.issuer.tagline)
        for line in self.seller_lines():
            t += self.lead
            p.text(self.x0, t, line)
        return t + 14

    def letterhead_sidebar(self) -> float:
        """Issuer block next to the coloured side band."""
        p, s = self.p, self.inv.seller
        p.text(self.x0, 44, s.name, "b", self.size + 6, color=self.accent)
        p.text(self.x0, 57, self.layout.issuer.tagline, "i", self.size - 0.5)
        t = 57
        for line in self.seller_lines():
            t += self.size + 2
            p.text(self.x0, t, line, size=self.size - 1)
        return t + 14

    def letterhead_underline(self) -> float:
        """Issuer name over a thick coloured rule, contacts on the right."""
        p, s = self.p, self.inv.seller
        p.text(self.x0, 46, s.name, "b", self.size + 8, color=self.accent)
        contacts = [self.phone_text(), s.email, s.web]
        for i, line in enumerate(c for c in contacts if c):
            p.text(self.x1, 26 + i * (self.size + 2), line, size=self.size - 1, align="right")
        p.box(self.x0, 56, self.x1 - self.x0, 3, stroke=None, fill=self.accent)
        p.text(
            self.x0,
            72,
            " · ".join(x for x in (self.layout.issuer.tagline, ", ".join(s.address)) if x),
            size=self.size - 1,
        )
        p.text(self.x0, 83, self.seller_tax_text(), "b", self.size - 1)
        return 98

    def letterhead_contacts(self) -> float:
        """A thin contact strip on top, then the issuer name."""
        p, s = self.p, self.inv.seller
        strip = "  |  ".join(x for x in (self.phone_text(), s.email, self.seller_tax_text()) if x)
        p.text((self.x0 + self.x1) / 2, 24, strip, size=self.size - 1.5, align="center", color=GREY)
        p.rule(self.x0, 29, self.x1, 0.4, GREY)
        p.text(self.x0, 52, s.name, "b", self.size + 5)
        p.text(self.x0, 64, self.layout.issuer.tagline, "i")
        p.text(self.x0, 75, " · ".join(s.address), size=self.size - 0.5)
        return 92

    # ------------------------------------------------------------------ header blocks
    def blocks(self, t: float) -> float:
        """Header blocks (meta, buyer) in two columns; returns the top below them."""
        lay = self.layout
        gap = 18.0
        col_w = (self.x1 - self.x0 - gap) / 2
        x_of = {"left": self.x0, "right": self.x0 + col_w + gap}
        heights = {"left": 0.0, "right": 0.0}
        order = []
        if lay.meta_style in ("box", "list", "stack"):
            order.append(("meta", lay.meta_side))
        order.append(("buyer", lay.buyer_side))
        for block, side in order:
            top = t + heights[side] + (8 if heights[side] else 0)
            if block == "buyer" and lay.buyer_style == "window":
                top = max(top, 140.0)
            draw = self.meta_block if block == "meta" else self.buyer_block
            heights[side] = top - t + draw(x_of[side], top, col_w)
        return t + max(heights.values()) + 14

    def meta_block(self, x: float, t: float, w: float) -> float:
        """Invoice number, dates and references as a list or a framed box."""
        lay, p = self.layout, self.p
        fields = lay.meta_fields
        if lay.meta_style == "stack":
            cur = t + self.size - 1
            for f in fields:
                p.text(x, cur, self.label(f), "b", self.size - 1, color=self.accent)
                cur += self.lead
                p.text(x, cur, self.meta_value(f))
                cur += self.lead + 2
            return cur - t - self.lead
        if lay.meta_style == "list":
            cur = t + self.size
            label_w = max(p.width(self.label(f) + ":", "b") for f in fields) + 6
            for f in fields:
                p.text(x, cur, self.label(f) + ":", "b")
                p.text(x + label_w, cur, self.meta_value(f))
                cur += self.lead
            return cur - t
        # box
        heading = lay.title_pos == "meta"
        head_h = self.size + 10 if heading else 0.0
        h = head_h + len(fields) * self.lead + 10
        p.box(x, t, w, h, stroke=self.accent, width=0.9)
        if heading:
            p.box(x, t, w, head_h, stroke=None, fill=self.accent)
            p.text(
                x + w / 2, t + head_h - 4, self.title_text(), "b", self.size + 2, "center", WHITE
            )
        cur = t + head_h + 5 + self.size
        for f in fields:
            p.text(x + 8, cur, self.label(f), "b")
            p.text(x + w - 8, cur, self.meta_value(f), align="right")
            cur += self.lead
        return h

    def buyer_block(self, x: float, t: float, w: float) -> float:
        """The customer block: boxed, plain or placed for a window envelope."""
        lay, p, b = self.layout, self.p, self.inv.buyer
        lines = [*b.address, *([f"{self.label('tax_id')} {b.tax_id}"] if b.tax_id else [])]
        if lay.buyer_style == "box":
            h = 10 + self.lead * (2 + len(lines)) + 2
            p.box(x, t, w, h, stroke=BLACK, width=0.6)
            p.box(x, t, w, self.lead + 4, stroke=None, fill=LIGHT)
            cur = t + self.size + 3
            p.text(x + 6, cur, self.label("buyer"), "b", color=self.accent)
            cur += self.lead + 4
            p.text(x + 6, cur, b.name, "b")
            for line in lines:
                cur += self.lead
                p.text(x + 6, cur, line)
            return h
        cur = t + self.size
        if lay.buyer_style == "plain":
            p.text(x, cur, self.label("buyer"), "b", color=self.accent)
            cur += self.lead
        p.text(x, cur, b.name, "b", self.size + (1 if lay.buyer_style == "window" else 0))
        for line in lines:
            cur += self.lead
            p.text(x, cur, line)
        return cur - t + 4

    def meta_inline(self, t: float) -> float:
        """Header fields on a single line."""
        p = self.p
        x = self.x0
        cur = t + self.size + 2
        for f in self.layout.meta_fields:
            label = self.label(f) + (" " if self.layout.language == "fr" else ": ")
            if self.layout.fonts.regular == "Courier":
                label = self.label(f) + " "
            p.text(x, cur, label, "b")
            x += p.width(label, "b")
            value = self.meta_value(f)
            p.text(x, cur, value)
            x += p.width(value) + 24
        if self.layout.table_rules == "plain":
            return cur + 12
        p.rule(self.x0, cur + 5, self.x1, 0.6, self.accent)
        return cur + 16

    def meta_band(self, t: float) -> float:
        """Header fields as a full-width one-row table."""
        p = self.p
        fields = self.layout.meta_fields
        w = (self.x1 - self.x0) / len(fields)
        h_head = self.lead + 4
        h_val = self.lead + 6
        p.box(self.x0, t, self.x1 - self.x0, h_head, stroke=None, fill=_tint(self.accent, 0.82))
        p.box(self.x0, t, self.x1 - self.x0, h_head + h_val, stroke=self.accent, width=0.8)
        p.rule(self.x0, t + h_head, self.x1, 0.5, self.accent)
        for i, f in enumerate(fields):
            cx = self.x0 + w * i + w / 2
            if i:
                p.vline(self.x0 + w * i, t, t + h_head + h_val, 0.5, self.accent)
            p.text(cx, t + self.size + 2, self.label(f), "b", self.size - 0.5, "center")
            p.text(cx, t + h_head + self.size + 3, self.meta_value(f), align="center")
        return t + h_head + h_val + 14

    # ------------------------------------------------------------------ continuation pages
    def continuation_top(self) -> float:
        """Where the table starts on pages after the first."""
        return 76.0 if self.layout.letterhead == "banner" else 66.0

    def continuation_header(self) -> float:
        """Short header of pages after the first."""
        p, lay = self.p, self.layout
        text = self.label("continued").format(number=self.inv.number)
        if lay.letterhead == "banner":
            p.box(0, 0, PAGE_W, 46, stroke=None, fill=self.accent)
            p.text(self.x0, 28, self.inv.seller.name, "b", self.size + 3, color=WHITE)
            p.text(self.x1, 28, text, size=self.size, align="right", color=WHITE)
        else:
            p.text(self.x0, 42, self.inv.seller.name, "b", self.size + 2, color=self.accent)
            p.text(self.x1, 42, text, align="right")
            p.rule(self.x0, 50, self.x1, 0.6, self.accent)
        return self.continuation_top()

    # ------------------------------------------------------------------ table
    def _columns(self) -> list[Column]:
        p = self.p
        widths: dict[str, float] = {}
        for key in self.layout.columns:
            if key == "description":
                continue
            base = COLUMN_WIDTH[key] * self.size / 9
            widest = max(
                (
                    p.width(self.cell_text(key, ln), "r", self.cell_size(key))
                    for ln in self.inv.lines
                ),
                default=0,
            )
            widths[key] = max(base, p.width(self.label(key), "b") + 10, widest + 12)
        desc = self.x1 - self.x0 - sum(widths.values())
        cols, x = [], self.x0
        for key in self.layout.columns:
            w = desc if key == "description" else widths[key]
            cols.append(Column(key, x, w))
            x += w
        return cols

    def row(self, line: SynthLine) -> Row:
        """A table row with its description wrapped to the column."""
        desc = next(c for c in self.columns if c.key == "description")
        style = "i" if line.kind == "discount" else "r"
        text = self.p.wrap(line.description, desc.width - 10, style)
        return Row(line, text, len(text) * self.lead + 2 * self.pad)

    def header_height(self) -> float:
        """Height of the table header row."""
        return self.lead + 2 * self.pad + 2

    def cell_size(self, key: str) -> float:
        """Font size of a cell in column `key`."""
        return self.size - 1 if key == "code" else self.size

    def cell_text(self, key: str, line: SynthLine) -> str:
        """The printed text of column `key` for `line`."""
        numbers = self.layout.numbers
        if line.kind == "discount":
            return self.money(line.amount, table=True) if key == "amount" else ""
        if key == "code":
            return line.code
        if key == "qty":
            return numbers.quantity(line.quantity) if line.quantity is not None else ""
        if key == "unit_price":
            return self.money(line.unit_price, table=True) if line.unit_price is not None else ""
        if key == "discount":
            return (
                numbers.percent(line.discount, self.layout.percent_places) if line.discount else ""
            )
        return self.money(line.amount, table=True)

    def table(self, rows: list[Row], t: float) -> float:
        """Draw the table header and `rows` from `t`; returns the top below the table."""
        lay, p = self.layout, self.p
        rules = lay.table_rules
        top = t
        h = self.header_height()
        header_color = BLACK
        if rules == "header-fill":
            p.box(self.x0, t, self.x1 - self.x0, h, stroke=None, fill=self.accent)
            header_color = WHITE
        elif rules in ("grid", "zebra", "outer"):
            p.box(
                self.x0,
                t,
                self.x1 - self.x0,
                h,
                stroke=None,
                fill=_tint(self.accent, 0.85 if rules == "zebra" else 0.9),
            )
        base = t + self.pad + self.size + 1
        for col in self.columns:
            align = "right" if col.key in NUMERIC else "left"
            x = col.right - 5 if align == "right" else col.x + 5
            p.text(x, base, self.label(col.key), "b", align=align, color=header_color)
        t += h
        if rules == "plain":
            self.dash_rule(t - 2)
        elif rules in ("horizontal", "outer", "grid"):
            p.rule(self.x0, t, self.x1, 0.8)
            if rules == "horizontal":
                p.rule(self.x0, top, self.x1, 0.8)
        for i, row in enumerate(rows):
            if rules == "zebra" and i % 2 == 1:
                p.box(self.x0, t, self.x1 - self.x0, row.height, stroke=None, fill=LIGHT)
            base = t + self.pad + self.size
            for col in self.columns:
                if col.key == "description":
                    style = "i" if row.line.kind == "discount" else "r"
                    for k, text in enumerate(row.text):
                        p.text(col.x + 5, base + k * self.lead, text, style)
                    continue
                value = self.cell_text(col.key, row.line)
                if value:
                    if col.key in NUMERIC:
                        p.text(col.right - 5, base, value, align="right")
                    else:
                        p.text(col.x + 5, base, value, size=self.cell_size(col.key))
            t += row.height
            if rules == "grid" or (rules == "horizontal" and i < len(rows) - 1):
                p.rule(
                    self.x0,
                    t,
                    self.x1,
                    0.3 if rules == "horizontal" else 0.5,
                    GREY if rules == "horizontal" else BLACK,
                )
        if rules in ("grid", "outer"):
            p.box(self.x0, top, self.x1 - self.x0, t - top, stroke=BLACK, width=0.8)
            for col in self.columns[1:]:
                p.vline(col.x, top, t, 0.5)
        elif rules == "plain":
            self.dash_rule(t + 2)
        else:
            p.rule(
                self.x0,
                t,
                self.x1,
                0.8,
                self.accent if rules in ("header-fill", "zebra") else BLACK,
            )
        return t

    def dash_rule(self, t: float) -> None:
        """A rule of dashes (monospaced layouts) or a thin line."""
        if self.layout.fonts.regular in ("Courier", "LiberationMono"):
            n = int((self.x1 - self.x0) / self.p.width("-"))
            self.p.text(self.x0, t + 3, "-" * n)
        else:
            self.p.rule(self.x0, t, self.x1, 0.5)

    def carry_line(self, t: float, running: Decimal) -> None:
        """The running subtotal at the foot of a non-last page."""
        amount = self.columns[-1]
        self.p.text(amount.x - 8, t + self.lead + 2, self.label("carry"), "b", align="right")
        self.p.text(
            amount.right - 5, t + self.lead + 2, self.money(running, table=True), "b", align="right"
        )

    # ------------------------------------------------------------------ totals and notes
    def totals_values(self) -> list[tuple[str, str]]:
        """Net, tax, the Spanish extras and total (last) with their labels, as printed."""
        inv = self.inv
        return [
            (self.label("net"), self.money(inv.net)),
            *self.rate_rows(),
            (self.label("tax").format(rate=self.rate_text()), self.money(inv.tax)),
            *self.extra_rows(),
            (self.label("total"), self.money(inv.total)),
        ]

    def percent(self, rate: Decimal) -> str:
        """A rate as this layout prints percentages."""
        places = max(self.layout.percent_places, -rate.normalize().as_tuple().exponent)  # type: ignore[operator]
        return self.layout.numbers.percent(rate, max(places, 0), self.layout.language != "en")

    def rate_rows(self) -> list[tuple[str, str]]:
        """One row per rate of a breakdown (its tax on its base), the exempt base apart."""
        words = WORDS[self.layout.language]
        rows = []
        for row in self.inv.breakdown:
            assert row.rate is not None and row.base is not None and row.tax is not None
            if len(self.inv.breakdown) == 1:
                break  # one rate (a recargo alone): the net is its base
            if row.category == "exempt":
                rows.append((words["exempt"], self.money(row.base)))
                continue
            tax = self.label("tax").format(rate=self.percent(row.rate))
            rows.append(
                (words["rate_row"].format(tax=tax, base=self.money(row.base)), self.money(row.tax))
            )
        return rows

    def extra_rows(self) -> list[tuple[str, str]]:
        """Recargo per rate and the IRPF withheld (printed negative), between tax and total."""
        inv = self.inv
        words = WORDS[self.layout.language]
        rows = [
            (
                words["recargo"].format(
                    rate=self.percent(row.recargo_rate), base=self.money(row.base)
                ),
                self.money(row.recargo),
            )
            for row in inv.breakdown
            if row.recargo is not None and row.recargo_rate is not None
        ]
        if inv.withholding is not None and inv.withholding_rate is not None:
            label = words["withholding"].format(rate=self.percent(inv.withholding_rate))
            rows.append((label, self.money(-inv.withholding)))
        return rows

    def notes(self) -> list[tuple[str, str]]:
        """Notes under the totals: exemption, contract, payment terms, IBAN."""
        inv = self.inv
        out: list[tuple[str, str]] = []
        if inv.corrects and inv.corrects_date is not None:
            note = WORDS[self.layout.language]["corrects"]
            out.append((note.format(number=inv.corrects, date=self.date(inv.corrects_date)), "b"))
        if inv.exempt_note:
            out.append((inv.exempt_note, "b"))
        if self.show_contract_note:
            out.append((self.label("contract_note").format(contract=inv.contract_ref), "r"))
        terms = (
            self.label("transfer").format(days=inv.payment_days)
            if inv.payment_days
            else self.label("cash")
        )
        out.append((f"{self.label('payment')} {terms}", "r"))
        if "due" not in self.layout.meta_fields and inv.payment_days:
            out.append((f"{self.label('due')}: {self.date(inv.due_date)}", "r"))
        if inv.seller.iban:
            out.append((f"{self.label('iban')} {inv.seller.iban}", "r"))
        if self.show_thanks:
            out.append((self.label("thanks"), "i"))
        return out

    def wrapped_notes(self) -> list[tuple[str, str]]:
        """The notes wrapped to the content width."""
        width = self.x1 - self.x0
        return [
            (line, style)
            for text, style in self.notes()
            for line in self.p.wrap(text, width, style)
        ]

    def totals_block_height(self) -> float:
        """Height of the totals block in this layout's style."""
        style = self.layout.totals_style
        rows = len(self.totals_values())
        if style == "band":
            return 2 * self.lead + 14 + ((rows - 3) * self.lead + 6 if rows > 3 else 0)
        if style == "box":
            return rows * (self.lead + 4) + 8
        return rows * self.lead + 10

    def totals_height(self) -> float:
        """Height of totals plus notes."""
        return self.totals_block_height() + 12 + len(self.wrapped_notes()) * self.lead

    def totals(self, t: float) -> None:
        """Draw the totals block and the notes under it."""
        style = self.layout.totals_style
        getattr(self, f"totals_{style}")(t)
        cur = t + self.totals_block_height() + 12
        for text, font in self.wrapped_notes():
            self.p.text(self.x0, cur, text, font, self.size - 0.5)
            cur += self.lead

    def totals_box(self, t: float) -> None:
        """Totals in a framed box on the right."""
        p = self.p
        w = 215.0
        x = self.x1 - w
        row_h = self.lead + 4
        rows = self.totals_values()
        last = len(rows) - 1
        if last > 2:  # the extras' labels are longer
            w = max(w, 40 + max(p.width(label) for label, _ in rows) + 70)
            x = self.x1 - w
        p.box(x, t, w, row_h * (last + 1) + 4, stroke=self.accent, width=0.9)
        p.box(x, t + last * row_h + 2, w, row_h + 2, stroke=None, fill=_tint(self.accent, 0.8))
        for i, (label, value) in enumerate(rows):
            style = "b" if i == last else "r"
            base = t + i * row_h + self.size + 4 + (2 if i == last else 0)
            p.text(x + 8, base, label, style)
            p.text(self.x1 - 8, base, value, style, align="right")

    def totals_rows_style(self, t: float, x_label: float, x_value: float, align_label: str) -> None:
        """Totals as label/value rows with a rule above the total."""
        p = self.p
        rows = self.totals_values()
        last = len(rows) - 1
        for i, (label, value) in enumerate(rows):
            base = t + self.size + i * self.lead + (4 if i == last else 0)
            if i == last:
                p.rule(
                    x_label - (120 if align_label == "right" else 0),
                    base - self.size - 2,
                    x_value,
                    0.7,
                )
            style = "b" if i == last else "r"
            size = self.size + (1 if i == last else 0)
            p.text(x_label, base, label, style, size, align_label)
            p.text(x_value, base, value, style, size, "right")

    def totals_rows(self, t: float) -> None:
        """Totals as rows on the right."""
        self.totals_rows_style(t, self.x1 - 90, self.x1 - 4, "right")

    def totals_left(self, t: float) -> None:
        """Totals as rows on the left."""
        self.totals_rows_style(t, self.x0, self.x0 + 230, "left")

    def totals_band(self, t: float) -> None:
        """Totals as a full-width table: base, rate, tax, total (the extras in rows under it)."""
        p = self.p
        labels = self.layout.labels
        rate_h, tax_h = BAND_LABELS[self.layout.language]
        rate_h, tax_h = labels.get("band_rate", rate_h), labels.get("band_tax", tax_h)
        heads = [self.label("net"), rate_h, tax_h, self.label("total")]
        inv = self.inv
        values = [self.money(inv.net), self.rate_text(), self.money(inv.tax), self.money(inv.total)]
        w = (self.x1 - self.x0) / 4
        h = self.lead + 4
        p.box(self.x0, t, self.x1 - self.x0, h, stroke=None, fill=_tint(self.accent, 0.85))
        p.box(self.x0 + 3 * w, t + h, w, h + 2, stroke=None, fill=_tint(self.accent, 0.7))
        p.box(self.x0, t, self.x1 - self.x0, 2 * h + 2, stroke=BLACK, width=0.7)
        p.rule(self.x0, t + h, self.x1, 0.5)
        for i in range(4):
            if i:
                p.vline(self.x0 + i * w, t, t + 2 * h + 2, 0.5)
            p.text(
                self.x0 + i * w + w - 6, t + self.size + 2, heads[i], "b", self.size - 0.5, "right"
            )
            p.text(
                self.x0 + i * w + w - 6,
                t + h + self.size + 3,
                values[i],
                "b" if i == 3 else "r",
                align="right",
            )
        extras = self.totals_values()[1:-1]
        del extras[len(self.rate_rows())]  # the tax row: the band's own column
        cur = t + 2 * h + 8
        for label, value in extras:
            cur += self.lead
            p.text(self.x1 - 110, cur - 3, label, "r", align="right")
            p.text(self.x1 - 6, cur - 3, value, "r", align="right")


def render_text_pdf(inv: SynthInvoice, layout: Layout) -> tuple[bytes, int]:
    """The digital PDF of `inv` in `layout` and its page count."""
    # Imported here: the excluded layouts' renderer builds on this module.
    from facturas_dev.synth.excluded_layouts import ExcludedLayout

    if isinstance(layout, ExcludedLayout):
        from facturas_dev.synth.excluded_pdf import render_excluded_pdf

        return render_excluded_pdf(inv, layout)
    return InvoicePdf(inv, layout).render()
