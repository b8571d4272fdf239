"""The HTML of one invoice drawn by one office-software template (`office_layouts.OfficeLayout`).

Printed values (amounts, rates, dates, totals rows, notes) come from the HTML family's
`InvoiceValues` (the PDF renderer's printed values with the template's date style), so every
value of the truth prints the way the other generated families print it; the structure is this
module's own: party tables, header box rows, text and delivery-note rows in the line table, a
per-rate tax table, totals strips and boxes, and footers of bank, registry and privacy text.
"""

from __future__ import annotations

import random
from datetime import timedelta
from html import escape
from re import compile as regex

from facturas_dev.synth.content import SynthInvoice, SynthLine
from facturas_dev.synth.html_template import InvoiceValues
from facturas_dev.synth.office_layouts import PAIR_MARK, OfficeLayout
from facturas_dev.synth.office_wordings import (
    BASQUE_LABELS,
    BRAND_HEADS,
    BRAND_TAILS,
    DELIVERY_STREETS,
    OFFICE_WORDINGS,
    RATE_ON,
    RETURN_LABELS,
    SECOND_TAX,
    SECOND_TOTAL,
)

# The class of a line-table cell by column: codes and units kept on one line, numbers aligned.
_CELL_CLASS = {"description": "", "code": "nw", "unit": "nw"}


# A currency sign or code in a label or a footer mention ("Total EUR", "capital 3 000 €").
_CURRENCY = regex(r"\s*[(\[]?(?:\bEUR\b|€)[)\]]?")


def _e(text: object) -> str:
    """Text escaped for HTML; a stacked pair of labels prints its second label under the first,
    smaller and in italics."""
    out = escape(str(text), quote=True)
    if PAIR_MARK in out:
        head, _, tail = out.partition(PAIR_MARK)
        out = f'{head}<br><span class="l2">{tail}</span>'
    return out


def _plain(text: str) -> str:
    """A stacked pair on one line (the document's title)."""
    return text.replace(PAIR_MARK, " / ")


def _nw(text: object) -> str:
    """Escaped text kept on one line (numbers, dates, amounts, tax ids)."""
    return f'<span class="nw">{_e(text)}</span>'


class OfficeInvoice:
    """Builds the HTML document of one invoice in one office template."""

    def __init__(self, inv: SynthInvoice, layout: OfficeLayout) -> None:
        self.inv = inv
        self.lay = layout
        self.v = InvoiceValues(inv, layout)  # type: ignore[arg-type]  # same date and base API
        self.w = layout.words
        self.rng = random.Random(inv.seed ^ 0x0FF1CE)  # looks and distractors, never content

    # ------------------------------------------------------------------ values
    def label(self, text: str) -> str:
        """A label as the template prints it (its case; the CSS greys it)."""
        text = text.rstrip().rstrip(":")
        if self.lay.currency_mark == "none":
            text = _CURRENCY.sub("", text)
        return text.upper() if self.lay.label_case == "upper" else text

    def lbl(self, text: str) -> str:
        """A label in its span."""
        return f'<span class="lbl">{_e(self.label(text))}</span>'

    def base_label(self, key: str) -> str:
        """The base layout's wording for `key`, without a trailing colon."""
        return self.v.label(key).rstrip().rstrip(":")

    def title(self) -> str:
        """The document title: a credit note's own, else the template's."""
        if self.inv.corrects:
            return self.v.label("title")
        return self.w["titles"]

    def when(self) -> str:
        """The issue date as printed."""
        return self.v.date(self.inv.issue_date)

    def seller_tax(self) -> str:
        """The seller's tax id with the template's label (empty when the seller has none)."""
        s = self.inv.seller
        return f"{self.w['seller_tax']} {s.tax_id}" if s.tax_id else ""

    def buyer_tax(self) -> str:
        """The buyer's tax id with the template's label (empty when the buyer has none)."""
        b = self.inv.buyer
        return f"{self.w['buyer_tax']} {b.tax_id}" if b.tax_id else ""

    def reference(self, key: str) -> str:
        """The printed value of a distractor reference."""
        inv, rng = self.inv, random.Random(f"{self.inv.seed}:office:{key}")
        d = inv.issue_date
        if key == "order":
            return inv.order_ref or f"PED-{rng.randint(100, 99999)}"
        if key == "delivery_note":
            return f"{rng.choice(('AL', 'A', ''))}{d.year % 100:02d}/{rng.randint(10, 9999):04d}"
        if key == "your_ref":
            return rng.choice(("OC ", "REF-", "")) + str(rng.randint(1000, 999999))
        if key == "due":
            return self.v.date(inv.due_date)
        if key == "delivery_date":
            return self.v.date(inv.service_date)
        if key == "period":
            start = d.replace(day=1)
            return f"{self.v.date(start)} - {self.v.date(d)}"
        return f"{rng.choice(('JM', 'AL', 'RC', 'MP', '03', '12'))}"  # agent

    def terms(self) -> str:
        """The payment terms (the base layout's wording)."""
        inv = self.inv
        if inv.payment_days:
            return self.v.label("transfer").format(days=inv.payment_days)
        return self.v.label("cash")

    def brand(self) -> str:
        """A made-up trade name for the logo, never the legal name."""
        rng = random.Random(f"{self.inv.seller.name}:brand")
        return rng.choice(BRAND_HEADS) + rng.choice(BRAND_TAILS)

    def initials(self) -> str:
        """The initials of the seller's name (at least two letters)."""
        words = [w for w in self.inv.seller.name.replace(",", " ").split() if w[:1].isalpha()]
        initials = "".join(w[0] for w in words if w[0].isupper())[:3]
        return initials if len(initials) >= 2 else self.brand()[:2].upper()

    # ------------------------------------------------------------------ document
    def document(self) -> str:
        """The whole HTML document."""
        body = [
            self.top(),
            self.parties(),
            self.meta_after(),
            self.lines_table(),
            self.totals(),
            self.notes(),
        ]
        main = "\n".join(b for b in body if b)
        footer = self.footer()
        if footer and self.lay.fixed_footer:
            # A footer at the foot of every page: a spacer the size of the footer is repeated by
            # the page table's <tfoot> so that content never runs under it.
            main = (
                f'<table class="page"><tbody><tr><td class="pg">{main}</td></tr></tbody>'
                '<tfoot><tr><td class="pg"><div class="spacer"></div></td></tr></tfoot></table>'
                f'<div class="footer fixed">{footer}</div>'
            )
        elif footer:
            main += f'<div class="footer">{footer}</div>'
        return (
            '<!DOCTYPE html><html><head><meta charset="utf-8">'
            f"<title>{_e(_plain(self.title()))} {_e(self.inv.number)}</title>"
            f"<style>{self.css()}</style></head><body>{main}</body></html>"
        )

    def css(self) -> str:
        """Font, sizes, accent, label colour and the line table's rules."""
        lay, rng = self.lay, self.rng
        margins = ("10mm 12mm 14mm", "14mm 15mm 16mm", "18mm 18mm 18mm", "12mm 20mm")
        margin = self.page_margin() if lay.window != "none" else rng.choice(margins)
        cell = {
            "grid": "border:1px solid #888;",
            "rules": "border-bottom:1px solid #bbb;",
            "zebra": "",
            "none": "",
        }[lay.line_rules]
        zebra = (
            ".lines tbody tr.item:nth-child(odd){background:#eef2f7}"
            if lay.line_rules == "zebra"
            else ""
        )
        head_bg = rng.choice((lay.accent, "#d9d9d9", "#ffffff"))
        head_fg = "#fff" if head_bg == lay.accent else "#000"
        head_rule = "" if head_bg != "#ffffff" else f"border-bottom:2px solid {lay.accent};"
        num_align = "center" if lay.centred_numbers else "right"
        grey = "color:#808080;" if lay.grey_labels else ""
        footer_h = "30mm" if lay.privacy or lay.registry else "20mm"
        return (
            f"@page{{size:A4;margin:{margin}}}"
            f"body{{font-family:{lay.font};font-size:{lay.size}pt;color:#111;margin:0}}"
            "table{border-collapse:collapse}td,th{vertical-align:top}"
            f".lbl{{{grey}}}.nw{{white-space:nowrap}}.b{{font-weight:bold}}"
            f".acc{{color:{lay.accent}}}"
            ".row{display:flex;justify-content:space-between;align-items:flex-start;gap:8mm}"
            ".col{flex:1}"
            f".logo{{display:inline-block;background:{lay.accent};color:#fff;font-weight:bold;"
            "font-size:2.2em;padding:3mm 5mm;letter-spacing:1px}"
            f".brand{{display:inline-block;border-bottom:4px solid {lay.accent};color:{lay.accent};"
            "font-size:2.4em;font-weight:bold;font-style:italic}"
            ".strip{font-size:0.85em;margin-top:1mm}"
            ".ttl{font-size:1.9em;font-weight:bold}"
            f".band{{background:{lay.accent};color:#fff;padding:2mm 4mm;margin-top:4mm;"
            "font-size:1.6em;font-weight:bold}"
            ".parties{width:100%;margin-top:5mm}.parties th{text-align:left;border:1px solid #666;"
            "background:#eee;padding:1mm 2mm;font-size:0.9em}"
            ".parties td{border:1px solid #666;padding:2mm;width:50%}"
            ".boxes{width:100%;margin-top:4mm}.boxes td{border:1px solid #777;padding:1mm 2mm}"
            ".boxes .lbl{font-size:0.78em;display:block}"
            ".kv td{padding:0.5mm 2mm}.kv td:last-child{font-weight:bold;white-space:nowrap}"
            ".framed{border:1px solid #777;padding:2mm 3mm}"
            f".lines{{width:100%;margin-top:5mm}}.lines td,.lines th{{padding:1.2mm 2mm;{cell}}}"
            f".lines th{{background:{head_bg};color:{head_fg};text-align:left;{head_rule}}}"
            f".lines .n{{text-align:{num_align};white-space:nowrap}}{zebra}"
            ".lines .txt td{font-style:italic;color:#444}"
            f".lines .grp td{{font-weight:bold;color:{lay.accent};padding-top:2.5mm}}"
            ".tot td{padding:1mm 3mm}.tot td.n{text-align:right;white-space:nowrap}"
            f".tot tr.grand td{{font-weight:bold;border-top:2px solid {lay.accent}}}"
            ".tstrip{width:100%;margin-top:4mm}.tstrip td{border:1px solid #777;padding:1mm 2mm;"
            "text-align:center}.tstrip .lbl{font-size:0.8em}"
            ".brk{margin-top:4mm}.brk td,.brk th{border:1px solid #999;padding:1mm 2mm}"
            ".brk th{font-weight:normal;font-size:0.85em;background:#f0f0f0}"
            ".brk td{text-align:right;white-space:nowrap}"
            f".bigtot{{background:{lay.accent};color:#fff;padding:2.5mm 5mm;margin-top:4mm;"
            "margin-left:auto;width:70mm;display:flex;justify-content:space-between;"
            "font-size:1.35em;font-weight:bold}"
            f".bank{{border:1px dashed {lay.accent};padding:2mm 3mm;margin-top:4mm;width:95mm}}"
            ".notes{margin-top:4mm}"
            ".footer{margin-top:8mm;border-top:1px solid #999;padding-top:1.5mm;font-size:0.75em;"
            "color:#444}"
            ".footer.fixed{position:fixed;bottom:0;left:0;right:0;background:#fff}"
            f".page{{width:100%}}.pg{{padding:0}}.spacer{{height:{footer_h}}}"
            ".small{font-size:0.7em;color:#555;text-align:justify;margin-top:1mm}"
            ".l2{font-size:0.8em;font-style:italic;font-weight:normal}"
            ".win{position:absolute;width:85mm;line-height:1.25}"
            ".ret{font-size:6pt;border-bottom:0.5px solid #555;margin-bottom:2mm}"
            ".lhead{position:absolute;left:0;top:0;display:flex;gap:4mm;align-items:flex-start}"
            ".info{position:absolute}"
        )

    # ------------------------------------------------------------------ header
    def logo(self) -> str:
        """The logo: a coloured box of initials, a trade name, or nothing."""
        if self.lay.logo == "initials":
            return f'<div class="logo">{_e(self.initials())}</div>'
        if self.lay.logo == "brand":
            return f'<div class="brand">{_e(self.brand())}</div>'
        return ""

    def seller_block(self, tax: bool | None = None) -> str:
        """The seller's legal name, address, contact and (where drawn) tax id."""
        s = self.inv.seller
        tax = self.lay.tax_place == "under-name" if tax is None else tax
        size = "1.05em" if self.lay.logo == "brand" else "1.3em"
        lines = [*s.address]
        contact = " · ".join(x for x in (self.v.phone_text(), s.email) if x)
        if contact:
            lines.append(contact)
        if tax and s.tax_id:
            lines.append(self.seller_tax())
        body = "<br>".join(_e(x) for x in lines)
        return f'<div class="b" style="font-size:{size}">{_e(s.name)}</div><div>{body}</div>'

    def seller_strip(self) -> str:
        """The seller on one small line under the logo: name, address, contact."""
        s = self.inv.seller
        parts = [s.name, *s.address, s.phone and self.v.phone_text()]
        return f'<div class="strip">{" · ".join(_e(p) for p in parts if p)}</div>'

    def title_html(self) -> str:
        """The title, with the number in it when the template says so, or in a band."""
        text = self.title()
        if self.lay.title_style == "number":
            pattern = self.w["title_number"]
            text = pattern.format(title=text, number="\u2063")
            head, _, tail = text.partition("\u2063")
            return f'<div class="ttl acc">{_e(head)}{_nw(self.inv.number)}{_e(tail)}</div>'
        if self.lay.title_style == "band":
            return ""  # printed in a band under the header
        return f'<div class="ttl acc">{_e(text)}</div>'

    def header_tax(self) -> str:
        """The seller's tax id in the header corner when the template puts it there."""
        if self.lay.tax_place != "header" or not self.inv.seller.tax_id:
            return ""
        return f'<div class="b" style="margin-top:1mm">{_e(self.seller_tax())}</div>'

    def top(self) -> str:
        """Logo, seller (where the party style puts it there), title and the header meta."""
        kind = self.lay.parties
        if self.lay.window != "none":
            return self.window_top()
        logo = self.logo()
        right = self.title_html() + self.header_tax() + self.meta_top()
        if kind == "two-cell":
            left = logo or f'<div class="b acc" style="font-size:1.6em">{_e(self.brand())}</div>'
        elif kind == "strip-footer":
            left = logo + self.seller_strip()
        elif kind == "client-first":
            # The client's address block first (top left), the seller in the right column.
            seller = logo + f'<div style="margin-top:2mm">{self.seller_block()}</div>'
            top = (
                f'<div class="row"><div class="col" style="padding-top:12mm">'
                f"{self.buyer_block()}</div>"
                f'<div style="width:70mm;text-align:right">{seller}</div></div>'
            )
            return (
                top
                + self.band()
                + f'<div class="row" style="margin-top:4mm"><div></div><div>{right}</div></div>'
            )
        else:
            left = logo + f'<div style="margin-top:2mm">{self.seller_block()}</div>'
        pair = (left, right) if self.lay.logo_side == "left" else (right, left)
        return (
            f'<div class="row"><div class="col">{pair[0]}</div>'
            f'<div class="col" style="text-align:right">{pair[1]}</div></div>' + self.band()
        )

    # ------------------------------------------------------------------ window letter
    def page_margin(self) -> str:
        """The page margins of a window letter (top, sides, bottom): the window is placed from
        the paper's edges."""
        top, side = self.margins()
        return f"{top}mm {side}mm 16mm"

    def margins(self) -> tuple[int, int]:
        """Top and side margins of a window letter, in mm."""
        rng = random.Random(f"{self.inv.seed}:office-window-margin")
        return rng.choice((10, 12, 15)), rng.choice((12, 15, 18))

    def return_line(self) -> str:
        """The sender on one tiny line over the addressee: "Remite: Name · street · town"."""
        s, lay = self.inv.seller, self.lay
        if lay.return_line == "none":
            return ""
        text = " · ".join(x for x in (s.name, *s.address) if x)
        if lay.return_line == "labelled":
            rng = random.Random(f"{s.name}:return")
            label = rng.choice(RETURN_LABELS.get(lay.wording, RETURN_LABELS["en"]))
            text = f"{label} {text}"
        return f'<div class="ret">{_e(text)}</div>'

    def window_block(self) -> str:
        """The addressee with no label: name, address lines, tax id (labelled or bare)."""
        b = self.inv.buyer
        tax = ""
        if b.tax_id:
            tax = b.tax_id if self.lay.window_buyer_tax == "bare" else self.buyer_tax()
        lines = [b.name, *b.address, tax]
        return self.return_line() + "<br>".join(_e(x) for x in lines if x)

    def letterhead(self) -> str:
        """Logo and the seller's name and address (no legal details: those are in the footer,
        the tax id also here when the template puts it under the name)."""
        s, lay = self.inv.seller, self.lay
        lines = [*s.address]
        contact = " · ".join(x for x in (self.v.phone_text(), s.email) if x)
        if contact:
            lines.append(contact)
        if lay.tax_place == "under-name" and s.tax_id:
            lines.append(self.seller_tax())
        name = f'<div class="b" style="font-size:1.2em">{_e(s.name)}</div>'
        if not lay.letterhead_name and lay.logo == "brand":
            name = ""
        body = "<br>".join(_e(x) for x in lines)
        logo = self.logo() or f'<div class="b acc" style="font-size:1.6em">{_e(self.brand())}</div>'
        return f'<div class="lhead"><div>{logo}</div><div>{name}<div>{body}</div></div></div>'

    def window_top(self) -> str:
        """A window-envelope letter's first page head: letterhead top left, the addressee in the
        window, title and header meta beside or under the window."""
        lay = self.lay
        top, side = self.margins()
        y = lay.window_top - top
        x = lay.window_left - side
        win = f'<div class="win" style="left:{x}mm;top:{y}mm">{self.window_block()}</div>'
        info_x = 0 if lay.window == "right" else 120 - side
        info_w = 85 if lay.window == "right" else 70
        info = self.title_html() + self.header_tax() + self.meta_top()
        if lay.title_style == "band":
            info = f'<div class="ttl acc">{_e(self.title())}</div>' + info
        info_div = (
            f'<div class="info" style="left:{info_x}mm;top:{y}mm;width:{info_w}mm">{info}</div>'
        )
        height = lay.window_top + 45 - top
        return (
            f'<div style="position:relative;height:{height}mm">'
            f"{self.letterhead()}{win}{info_div}</div>"
        )

    def band(self) -> str:
        """A coloured band with the title across the page (band title style)."""
        if self.lay.title_style != "band":
            return ""
        return f'<div class="band">{_e(self.title())}</div>'

    # ------------------------------------------------------------------ meta
    def number_label(self) -> str:
        """The number's label: the template's or the base layout's wording (bilingual: the
        template's pair)."""
        own = self.rng.random() < 0.6 or self.lay.bilingual != "none"
        return self.w["grid_number"] if own else self.base_label("number")

    def date_label(self) -> str:
        """The date's label: the template's or the base layout's wording."""
        own = self.rng.random() < 0.6 or self.lay.bilingual != "none"
        return self.w["grid_date"] if own else self.base_label("date")

    def meta_pairs(self, with_number: bool) -> list[tuple[str, str]]:
        """(label, value) of number, date and the distractors."""
        pairs = [(self.number_label(), self.inv.number)] if with_number else []
        pairs.append((self.date_label(), self.when()))
        pairs += [(self.w[k], self.reference(k)) for k in self.lay.distractors]
        return pairs

    def meta_top(self) -> str:
        """The number and date beside the title (kv-right and stacked styles)."""
        style = self.lay.meta_style
        with_number = self.lay.title_style != "number"
        if style == "kv-right":
            rows = "".join(
                f"<tr><td>{self.lbl(k)}</td><td>{_e(v)}</td></tr>"
                for k, v in self.meta_pairs(with_number)
            )
            return f'<table class="kv" style="margin-left:auto;margin-top:2mm">{rows}</table>'
        if style == "stacked":
            colon = self.rng.choice((":", ""))
            return "".join(
                f'<div style="margin-top:0.8mm">{self.lbl(k + colon)} <b class="nw">{_e(v)}</b></div>'
                for k, v in self.meta_pairs(with_number)
            )
        return ""

    def meta_after(self) -> str:
        """The grid of header boxes under the parties: number | date | client code | ... ."""
        if self.lay.meta_style != "grid":
            return ""
        inv = self.inv
        cells = [
            (self.number_label(), inv.number),
            (self.date_label(), self.when()),
            (self.w["row_code"], inv.customer_code or "—"),
        ]
        if inv.buyer.tax_id:
            cells.append((self.w["buyer_tax"], inv.buyer.tax_id))
        cells.append((self.w["page"], "1"))
        cells += [(self.w[k], self.reference(k)) for k in self.lay.distractors[:2]]
        if self.rng.random() < 0.6:
            cells.append((self.w["payment"], self.terms()))
        heads = "".join(f"<td>{self.lbl(k)}<b class='nw'>{_e(v)}</b></td>" for k, v in cells)
        return f'<table class="boxes"><tr>{heads}</tr></table>'

    # ------------------------------------------------------------------ parties
    def buyer_lines(self) -> list[str]:
        """The buyer's address lines and tax id."""
        b = self.inv.buyer
        return [x for x in (*b.address, self.buyer_tax()) if x]

    def buyer_block(self, heading: bool = True) -> str:
        """Heading, name, address and tax id of the buyer."""
        b = self.inv.buyer
        head = f'<div class="lbl" style="font-size:0.85em">{_e(self.label(self.w["buyer_head"]))}</div>'
        body = "<br>".join(_e(x) for x in self.buyer_lines())
        return f'{head if heading else ""}<div class="b">{_e(b.name)}</div><div>{body}</div>'

    def ship_block(self) -> str:
        """A delivery address other than the billing one (a warehouse of the buyer)."""
        b = self.inv.buyer
        rng = random.Random(f"{b.name}:ship")
        pool = DELIVERY_STREETS.get(self.lay.wording, DELIVERY_STREETS["en"])
        street = rng.choice(pool).format(n=rng.randint(1, 40))
        town = b.address[-1] if len(b.address) > 1 else ""
        lines = "<br>".join(_e(x) for x in (street, town) if x)
        head = (
            f'<div class="lbl" style="font-size:0.85em">{_e(self.label(self.w["ship_head"]))}</div>'
        )
        return f'{head}<div class="b">{_e(b.name)}</div><div>{lines}</div>'

    def parties(self) -> str:
        """The party block in the template's arrangement (client-first and window letters have it
        in the header)."""
        kind = self.lay.parties
        if self.lay.window != "none":
            return ""
        if kind == "two-cell":
            seller = (self.label(self.w["seller_head"]), self.seller_block())
            buyer = (self.label(self.w["buyer_head"]), self.buyer_block(heading=False))
            cells = (seller, buyer) if self.lay.seller_first else (buyer, seller)
            heads = "".join(f"<th>{_e(h)}</th>" for h, _ in cells)
            bodies = "".join(f"<td>{b}</td>" for _, b in cells)
            return f'<table class="parties"><tr>{heads}</tr><tr>{bodies}</tr></table>'
        if kind == "ship-to":
            return (
                f'<div class="row" style="margin-top:6mm"><div class="col framed">'
                f'{self.buyer_block()}</div><div class="col framed">{self.ship_block()}</div></div>'
            )
        if kind == "strip-footer":
            return (
                f'<div class="row" style="margin-top:6mm"><div></div>'
                f'<div class="framed" style="width:85mm">{self.buyer_block()}</div></div>'
            )
        if kind == "client-rows":
            b, inv = self.inv.buyer, self.inv
            rows = [(self.w["row_name"], b.name)]
            if b.tax_id:
                rows.append((self.w["buyer_tax"], b.tax_id))
            if b.address:
                rows.append((self.w["row_address"], b.address[0]))
            if len(b.address) > 1:
                rows.append((self.w["row_town"], ", ".join(b.address[1:])))
            if inv.customer_code and self.lay.meta_style != "grid":
                rows.append((self.w["row_code"], inv.customer_code))
            body = "".join(
                f"<tr><td>{self.lbl(k + ':')}</td><td>{_e(v)}</td></tr>" for k, v in rows
            )
            return f'<table class="kv framed" style="margin-top:6mm;width:110mm">{body}</table>'
        return ""

    # ------------------------------------------------------------------ lines
    def columns(self) -> list[str]:
        """Column keys in print order, with the unit and VAT columns where drawn."""
        cols = list(self.lay.columns)
        if self.lay.unit_column and "qty" in cols:
            cols.insert(cols.index("qty") + 1, "unit")
        if self.lay.vat_column:
            cols.insert(len(cols) - 1 if cols[-1] == "amount" else len(cols), "vat")
        return cols

    def head(self, key: str) -> str:
        """The heading of column `key` (the template's wording)."""
        word = {
            "code": "code_col",
            "description": "desc_col",
            "qty": "qty_col",
            "unit_price": "price_col",
            "discount": "disc_col",
            "amount": "amount_col",
            "unit": "unit_col",
            "vat": "vat_col",
        }[key]
        return self.label(self.w[word])

    def cell(self, key: str, line: SynthLine) -> str:
        """The printed text of column `key` for `line`."""
        if key == "unit":
            if line.kind == "discount" or line.quantity is None:
                return ""
            return self.w["units"]
        if key == "vat":
            if line.kind == "discount":
                return ""
            rate = line.rate if line.rate is not None else self.inv.tax_rate
            return self.v.percent(rate)
        if key == "description":
            return line.description
        return self.v.cell_text(key, line)

    def extra_rows(self) -> dict[int, list[tuple[str, str]]]:
        """Rows without amounts to insert before line i: delivery-note headings and comments."""
        inv, lay = self.inv, self.lay
        rng = random.Random(f"{inv.seed}:office-rows")
        extra: dict[int, list[tuple[str, str]]] = {}
        items = [i for i, ln in enumerate(inv.lines) if ln.kind != "discount"]
        if lay.groups and items:
            cuts = [items[0]]
            if len(items) >= 3 and rng.random() < 0.7:
                cuts.append(items[rng.randint(1, len(items) - 1)])
            for k, at in enumerate(cuts):
                days = rng.randint(3, 25) - 2 * k
                when = self.v.date(inv.issue_date - timedelta(days=days))
                n = f"{rng.randint(100, 9999)}"
                extra.setdefault(at, []).append(("grp", self.w["group"].format(n=n, date=when)))
        if lay.comments and len(items) >= 2:
            at = items[rng.randint(1, len(items) - 1)]
            extra.setdefault(at, []).append(("txt", self.w["comment"]))
        return extra

    def lines_table(self) -> str:
        """The line table: headings, item rows, and text-only rows where drawn."""
        cols = self.columns()
        text_cols = ("description", "code", "unit")
        wide = f' style="width:{self.rng.choice((40, 45, 50, 55))}%"'
        heads = "".join(
            f'<th class="{"" if k in text_cols else "n"}"{wide if k == "description" else ""}>'
            f"{_e(self.head(k))}</th>"
            for k in cols
        )
        at_desc = cols.index("description")
        extra = self.extra_rows()
        rows = []
        for i, line in enumerate(self.inv.lines):
            for kind, text in extra.get(i, []):
                rows.append(
                    f'<tr class="{kind}">{"<td></td>" * at_desc}'
                    f'<td colspan="{len(cols) - at_desc}">{_e(text)}</td></tr>'
                )
            cells = "".join(
                f'<td class="{_CELL_CLASS.get(k, "n")}">{_e(self.cell(k, line))}</td>' for k in cols
            )
            rows.append(f'<tr class="item">{cells}</tr>')
        return (
            f'<table class="lines"><thead><tr>{heads}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    # ------------------------------------------------------------------ totals
    def several_rates(self) -> bool:
        """Whether the content taxes its lines at several rates (a breakdown of two or more)."""
        return len(self.inv.breakdown) > 1

    def per_rate(self) -> str:
        """The template's way of printing tax per rate, where the content has several rates."""
        return self.lay.tax_rows if self.several_rates() else "as-base"

    def rate_label(self, rate) -> str:  # noqa: ANN001
        """The tax label of one rate: "IVA 21 %" in the base wording."""
        return self.v.label("tax").format(rate=self.v.percent(rate))

    def rows(self) -> list[tuple[str, str]]:
        """Net, per-rate rows, tax, recargo and withholding, total: the printed totals rows
        (bilingual: net, tax and total labels paired; per rate as the template draws it)."""
        rows = [(k.rstrip().rstrip(":"), v) for k, v in self.v.totals_values()]
        n_rates = len(self.v.rate_rows())
        style = self.per_rate()
        if style == "on-rows":
            rng = random.Random(f"{self.inv.seed}:office-rate-on")
            on = rng.choice(RATE_ON.get(self.lay.wording, RATE_ON["en"]))
            mine = [
                (f"{self.rate_label(r.rate)} {on} {self.v.money(r.base)}", self.v.money(r.tax))
                for r in self.inv.breakdown
                if r.rate is not None and r.base is not None and r.tax is not None
            ]
            rows[1 : 1 + n_rates] = mine
            n_rates = len(mine)
        elif style in ("columns", "rate-table"):
            del rows[1 : 1 + n_rates]  # printed per rate in their own cells
            n_rates = 0
        tax_at = 1 + n_rates
        recargos = [r for r in self.inv.breakdown if r.recargo is not None]
        if len(recargos) > 1 and self.inv.recargo_total is not None:
            # Several recargo rows: their sum printed too (it is a figure of the invoice).
            at = tax_at + 1 + len(recargos)
            rows.insert(at, (self.label(self.w["b_re"]), self.v.money(self.inv.recargo_total)))
        if self.lay.bilingual != "none":
            lang = self.lay.second
            pair = self._pair_row
            rows[0] = pair(rows[0], self.second_net())
            rows[tax_at] = pair(rows[tax_at], f"{SECOND_TAX[lang]} {self.v.rate_text()}")
            rows[-1] = pair(rows[-1], SECOND_TOTAL[lang])
        return rows

    def second_net(self) -> str:
        """The net's label in the second language of bilingual labels."""
        lang = self.lay.second
        pool = BASQUE_LABELS["b_base"] if lang == "eu" else OFFICE_WORDINGS[lang]["b_base"]
        return random.Random(f"{self.inv.seed}:office-second-net").choice(pool)

    def _pair_row(self, row: tuple[str, str], second: str) -> tuple[str, str]:
        """A totals row's label paired with the second language's."""
        first, value = row
        if first.lower() == second.lower():
            return row
        a, b = (second, first) if self.lay.second_first else (first, second)
        mark = PAIR_MARK if self.lay.bilingual == "stacked" else " / "
        return f"{a}{mark}{b}", value

    def rate_cells(self, label: bool = True) -> list[tuple[str, str, str]]:
        """(rate label or bare rate, base, tax) of each rate, as printed."""
        v = self.v
        return [
            (
                self.rate_label(r.rate) if label else v.percent(r.rate),
                v.money(r.base, table=True),
                v.money(r.tax, table=True),
            )
            for r in self.inv.breakdown
            if r.rate is not None and r.base is not None and r.tax is not None
        ]

    def rate_table(self) -> str:
        """A small table, one row per rate: rate | base | tax (the tax's sum in the totals)."""
        w = self.w
        heads = "".join(
            f"<th>{_e(self.label(h))}</th>" for h in (w["b_vat_pct"], w["b_base"], w["b_vat"])
        )
        body = "".join(
            f"<tr><td>{_e(r)}</td><td>{_e(b)}</td><td>{_e(t)}</td></tr>"
            for r, b, t in self.rate_cells(label=False)
        )
        return f'<table class="brk"><tr>{heads}</tr>{body}</table>'

    def totals(self) -> str:
        """The totals in the template's style, and the big total box where drawn."""
        style = self.lay.totals_style
        if style == "strip":
            out = self.strip()
        elif style == "breakdown-under":
            out = self.breakdown("width:100%") + self.vertical()
        elif style == "breakdown-beside":
            out = (
                f'<div class="row" style="align-items:flex-end"><div>{self.breakdown("")}</div>'
                f"<div>{self.vertical()}</div></div>"
            )
        else:
            out = self.vertical()
        if self.per_rate() == "rate-table":
            out = self.rate_table() + out
        elif self.per_rate() == "columns" and style == "strip":
            out = self.rate_table() + out  # a strip has no room for three columns a rate
        if self.lay.big_total:
            out += (
                f'<div class="bigtot"><span>{_e(self.label(self.w["big_total"]))}</span>'
                f"{_nw(self.v.money(self.inv.total))}</div>"
            )
        return out

    def vertical(self) -> str:
        """A right-aligned label/value table, the total last and ruled; per-rate rows of rate,
        base and tax where the template prints tax per rate in columns."""
        rows = self.rows()
        columns = self.per_rate() == "columns"
        gap = '<td class="n"></td>' if columns else ""
        body = [
            f"<tr{' class=grand' if i == len(rows) - 1 else ''}><td>{self.lbl(k)}</td>"
            f'{gap}<td class="n">{_e(v)}</td></tr>'
            for i, (k, v) in enumerate(rows)
        ]
        if columns:
            body[1:1] = [
                f'<tr><td>{self.lbl(r)}</td><td class="n">{_e(b)}</td><td class="n">{_e(t)}</td></tr>'
                for r, b, t in self.rate_cells()
            ]
        return f'<table class="tot" style="margin-left:auto;margin-top:4mm">{"".join(body)}</table>'

    def strip(self) -> str:
        """A horizontal row of boxes, each label above its value."""
        rows = self.rows()
        heads = "".join(f"<td>{self.lbl(k)}</td>" for k, _ in rows)
        values = "".join(
            f'<td class="{"b" if i == len(rows) - 1 else ""}">{_nw(v)}</td>'
            for i, (_, v) in enumerate(rows)
        )
        return f'<table class="tstrip"><tr>{heads}</tr><tr>{values}</tr></table>'

    def breakdown(self, width: str) -> str:
        """The tax table, one row per rate: base, rate, tax, recargo, withholding, total."""
        inv, v, w = self.inv, self.v, self.w
        groups = [(r.base, r.rate, r.tax, r.recargo_rate, r.recargo) for r in inv.breakdown] or [
            (inv.net, inv.tax_rate, inv.tax, None, None)
        ]
        recargo = any(g[3] is not None for g in groups)
        single = len(groups) == 1
        withheld = single and inv.withholding is not None and inv.withholding_rate is not None
        heads = [w["b_base"], w["b_vat_pct"], w["b_vat"]]
        if recargo:
            heads += [w["b_re_pct"], w["b_re"]]
        if withheld:
            heads += [w["b_irpf_pct"], w["b_irpf"]]
        if single:
            heads.append(self.base_label("total"))
        body = []
        for base, rate, tax, re_rate, re in groups:
            cells = [v.money(base, table=True), v.percent(rate), v.money(tax, table=True)]
            if recargo:
                cells += [
                    v.percent(re_rate) if re_rate is not None else "",
                    v.money(re, table=True) if re is not None else "",
                ]
            if withheld:
                assert inv.withholding_rate is not None and inv.withholding is not None
                cells += [v.percent(inv.withholding_rate), v.money(-inv.withholding, table=True)]
            if single:
                cells.append(v.money(inv.total))
            body.append("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in cells) + "</tr>")
        head = "".join(f"<th>{_e(self.label(h))}</th>" for h in heads)
        return f'<table class="brk" style="{width}"><tr>{head}</tr>{"".join(body)}</table>'

    # ------------------------------------------------------------------ notes, footer
    def notes(self) -> str:
        """Correction, exemption, payment terms, due date and IBAN; the bank box where drawn."""
        iban = self.inv.seller.iban
        # A note of a letter or two is a slip of the base wording, not something to print.
        notes = [text for text, _ in self.v.notes() if len(text.strip()) > 2]
        if self.lay.currency_mark == "none":  # a legal fixed sum in words, not a sign
            notes = [self.no_sign(n) for n in notes]
        out = ""
        if self.lay.bank_box and iban:
            notes = [n for n in notes if iban not in n]
            out = (
                f'<div class="bank"><div class="b acc">{_e(self.label(self.w["bank_head"]))}</div>'
                f"<div>IBAN {_nw(iban)}</div></div>"
            )
        return (
            '<div class="notes">' + "".join(f"<div>{_e(n)}</div>" for n in notes) + "</div>" + out
        )

    def no_sign(self, text: str) -> str:
        """A legal sum in a text in words ("40 euros"), on templates that print no currency."""
        if self.lay.currency_mark != "none":
            return text
        return text.replace(" €", " euros").replace("€", " euros")

    def registry_text(self) -> str:
        """A made-up commercial registry mention in the template's language."""
        s = self.inv.seller
        rng = random.Random(f"{s.name}:registry")
        town = s.address[-1].split(",")[0] if s.address else ""
        city = " ".join(p for p in town.split() if p.isalpha()) or "Madrid"
        text = self.w["registry"].format(
            city=city,
            t=rng.randint(1000, 45000),
            f=rng.randint(1, 220),
            h=f"{rng.choice('BMVT')}-{rng.randint(1000, 99999)}",
            r=f"{rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
            c=rng.choice((3, 6, 10, 30, 60, 100, 250)),
        )
        return self.no_sign(text)

    def footer(self) -> str:
        """Seller block (strip style), seller's tax line, registry and privacy text."""
        s, lay = self.inv.seller, self.lay
        parts = []
        if lay.window != "none":
            # A window letter's legal details: legal name, address, tax id and registry.
            lines = [s.name, *s.address, self.seller_tax(), self.registry_text()]
            parts.append(
                '<div style="text-align:center">' + " · ".join(_e(x) for x in lines if x) + "</div>"
            )
        elif lay.parties == "strip-footer":
            lines = [s.name, *s.address, self.v.phone_text(), s.email, self.seller_tax()]
            parts.append(
                '<div style="text-align:center">' + " · ".join(_e(x) for x in lines if x) + "</div>"
            )
        elif lay.tax_place == "footer":
            line = " · ".join(_e(x) for x in (s.name, self.seller_tax()) if x)
            parts.append(f'<div style="text-align:center">{line}</div>')
        if lay.registry and lay.window == "none":
            parts.append(f'<div style="text-align:center">{_e(self.registry_text())}</div>')
        if lay.privacy:
            parts.append(f'<div class="small">{_e(self.no_sign(self.w["privacy"]))}</div>')
        return "".join(parts)


def invoice_html(inv: SynthInvoice, layout: OfficeLayout) -> str:
    """The HTML document of `inv` drawn by `layout`."""
    return OfficeInvoice(inv, layout).document()
