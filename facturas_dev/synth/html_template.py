"""The HTML of one invoice drawn by one HTML template (`html_layouts.HtmlLayout`).

Printed values (amounts, rates, totals rows, notes, seller lines) come from the PDF renderer's
`InvoicePdf` so both renderers print the same content the same way; the structure is this
module's own: header arrangements, where the number and date stand, distractor references, line
table, totals block and footer.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from html import escape

from facturas_dev.synth.content import SynthInvoice, SynthLine
from facturas_dev.synth.formats import MONTHS, format_date, money
from facturas_dev.synth.html_layouts import HtmlLayout
from facturas_dev.synth.html_wordings import UNITS
from facturas_dev.synth.legal_mentions import atcud
from facturas_dev.synth.pdf import InvoicePdf
from facturas_dev.synth.random_layouts import TITLE_NUMBER, recase

# Where a long description breaks into a smaller detail row (the generator's detail phrases).
_DETAIL_BREAKS = (". ", " (", ", ", " según ", " - ")
_MARK = "\u2063NUMBER\u2063"  # where the number goes in a sentence (an invisible separator)
_DATE_MARK = "\u2063DATE\u2063"  # ... and where its date goes


def html_date(d: date, style: str, language: str) -> str:
    """A date in the template's style: the generator's styles plus short-year and abbreviated."""
    if style == "dmy-short":
        return f"{d.day}/{d.month}/{d.year % 100:02d}"
    if style == "abbr":
        month = MONTHS[language].split()[d.month - 1][:3]
        if language == "en":
            return f"{month} {d.day}, {d.year}"
        if language == "de":
            return f"{d.day}. {month}. {d.year}"
        return f"{d.day:02d}-{month.lower()}-{d.year}"
    return format_date(d, style, language)


class InvoiceValues(InvoicePdf):
    """The PDF renderer's printed values, with this template's dates."""

    def __init__(self, inv: SynthInvoice, layout: HtmlLayout) -> None:
        super().__init__(inv, layout.base)
        self.html = layout

    def date(self, d) -> str:
        """A date as this template prints it."""
        return html_date(d, self.html.date_style, self.html.wording)


def _e(text: object) -> str:
    """Text escaped for HTML."""
    return escape(str(text), quote=True)


class HtmlInvoice:
    """Builds the HTML document of one invoice in one template."""

    def __init__(self, inv: SynthInvoice, layout: HtmlLayout) -> None:
        self.inv = inv
        self.lay = layout
        self.v = InvoiceValues(inv, layout)
        self.rng = random.Random(inv.seed ^ 0x47E1)  # looks only, never content

    # ------------------------------------------------------------------ values
    def label(self, key: str) -> str:
        """The base layout's wording for `key`, without a trailing colon."""
        return self.v.label(key).rstrip().rstrip(":")

    def title(self) -> str:
        """The document title (a credit note's own)."""
        return self.v.label("title")

    def reference(self, key: str) -> str:
        """The printed value of a distractor reference."""
        inv, rng = self.inv, random.Random(f"{self.inv.seed}:{key}")
        values = {
            "customer_code": inv.customer_code or f"{rng.randint(100, 99999):05d}",
            "order": inv.order_ref or f"PO-{rng.randint(1000, 99999)}",
            "contract": inv.contract_ref or f"CT-{rng.randint(10, 999)}",
            "delivery_note": f"{rng.choice(('ALB', 'DN', 'BL', ''))}{rng.randint(1000, 999999)}",
            "project": f"{rng.choice(('P', 'PRJ-', 'OB'))}{inv.issue_date.year % 100}"
            f"{rng.randint(10, 999):03d}",
            "your_ref": rng.choice(("", "PED ", "OC-")) + str(rng.randint(1000, 99999)),
            "our_ref": f"{rng.choice('ABCDKMT')}{rng.choice('ABCDKMT')}/{rng.randint(1, 999)}",
            "account": f"{rng.choice(('430', '4300', '43'))}{rng.randint(1000, 99999)}",
            "page": "1/1",
            "due": self.v.date(inv.due_date),
        }
        return atcud(rng, inv.number) if key == "atcud" else values[key]

    def meta_pairs(self) -> list[tuple[str, str]]:
        """(label, value) of number, date and the distractors, in a drawn order."""
        pairs = [
            (self.label("number"), self.inv.number),
            (self.label("date"), self.v.date(self.inv.issue_date)),
        ]
        pairs += [(self.lay.distractor_labels[k], self.reference(k)) for k in self.lay.distractors]
        if self.rng.random() < 0.5:
            self.rng.shuffle(pairs)
        return pairs

    def distractor_pairs(self) -> list[tuple[str, str]]:
        """(label, value) of the distractors alone."""
        return [(self.lay.distractor_labels[k], self.reference(k)) for k in self.lay.distractors]

    # ------------------------------------------------------------------ document
    def document(self) -> str:
        """The whole HTML document."""
        body = [
            self.header(),
            self.meta_and_buyer(),
            self.lines_table(),
            self.totals(),
            self.notes(),
        ]
        if self.lay.footer_registry or self.lay.header == "footer-only":
            body.append(self.footer())
        main = "\n".join(body)
        if self.lay.header == "sidebar":
            main = f'<div class="grid"><aside>{self.seller_block(True)}</aside><main>{main}</main></div>'
        return (
            '<!DOCTYPE html><html><head><meta charset="utf-8">'
            f"<title>{_e(self.title())} {_e(self.inv.number)}</title>"
            f"<style>{self.css()}</style></head><body>{main}</body></html>"
        )

    def css(self) -> str:
        """The stylesheet: font, sizes, accent colour and table rules."""
        lay, rng = self.lay, self.rng
        margin = rng.choice(("12mm 14mm", "15mm 18mm", "18mm 20mm", "10mm 12mm"))
        cell = {
            "grid": "border:1px solid #999;",
            "lines": "border-bottom:1px solid #ccc;",
            "zebra": "",
            "none": "",
        }[lay.rules]
        zebra = "tbody tr:nth-child(even){background:#f1f1f1}" if lay.rules == "zebra" else ""
        head_bg = rng.choice((lay.accent, "#eeeeee", "transparent"))
        valign = rng.choice(("top", "top", "middle"))  # browsers centre cells unless told
        head_fg = "#fff" if head_bg == lay.accent else "#000"
        return (
            f"@page{{size:A4;margin:{margin}}}"
            f"body{{font-family:{lay.font};font-size:{lay.size}pt;color:#222;margin:0}}"
            "table{border-collapse:collapse}"
            f".lines{{width:100%;margin-top:4mm}}.lines td,.lines th{{padding:3px 5px;{cell}"
            f"vertical-align:{valign}}}"
            f".lines th{{background:{head_bg};color:{head_fg};text-align:left}}{zebra}"
            ".num,.code{text-align:right;white-space:nowrap}.code{text-align:left}"
            ".sub td{font-size:0.85em;color:#555;padding-top:0}"
            f".accent{{color:{lay.accent}}}.muted{{color:#777;font-size:0.85em}}"
            ".row{display:flex;justify-content:space-between;gap:8mm;margin-top:5mm}"
            ".col{flex:1}.kv td{padding:1px 6px 1px 0}.kv td:last-child,.above td,.nw{white-space:nowrap}"
            ".far{width:100%}.far td:last-child{text-align:right}"
            f".badge{{border:2px solid {lay.accent};padding:3mm 5mm;display:inline-block}}"
            ".big{font-size:1.9em;font-weight:bold}.small{font-size:0.75em;text-transform:uppercase;color:#666}"
            ".box{border:1px solid #888;padding:3mm}.window{margin-left:95mm;margin-top:8mm;width:80mm}"
            ".above td,.above th{border:1px solid #aaa;padding:2px 6px;text-align:left}"
            ".above th{font-weight:normal;font-size:0.8em;background:#f4f4f4}"
            ".totals td{padding:2px 8px}.totals .grand td{font-weight:bold;border-top:2px solid #333}"
            f".band{{display:flex;background:{lay.accent}22;margin-top:4mm}}"
            ".band div{flex:1;padding:2mm 3mm}"
            f".grid{{display:grid;grid-template-columns:48mm 1fr;gap:6mm}}"
            f"aside{{background:{lay.accent}18;padding:4mm;min-height:250mm}}"
            ".footer{margin-top:10mm;border-top:1px solid #aaa;padding-top:2mm;font-size:0.8em;"
            "color:#555;text-align:center}"
        )

    # ------------------------------------------------------------------ header
    def seller_block(self, full: bool = True) -> str:
        """The seller's name and details (address, contact, tax id)."""
        s = self.inv.seller
        name = f'<div class="accent" style="font-size:1.5em;font-weight:bold">{_e(s.name)}</div>'
        if not full:
            return name
        lines = "<br>".join(_e(x) for x in self.v.seller_lines())
        return f"{name}<div>{lines}</div>"

    def acronym(self) -> str:
        """A logo text: the initials of the seller's name (or its first word)."""
        words = [w for w in self.inv.seller.name.replace(",", " ").split() if w[:1].isalpha()]
        initials = "".join(w[0] for w in words if w[0].isupper())[:4]
        return initials if len(initials) >= 2 else (words[0] if words else "")

    def title_html(self) -> str:
        """The title line, with the number in it when the template says so."""
        text = self.title()
        if self.lay.meta_style == "title":
            pattern = self.rng.choice(TITLE_NUMBER[self.lay.wording])
            text = pattern.format(title=text, number=self.inv.number)
        return f'<div class="accent big nw">{_e(text)}</div>'

    def header(self) -> str:
        """The header: seller and title in one of the arrangements."""
        kind = self.lay.header
        title = self.title_html()
        if kind == "sidebar":
            return f"<div>{title}</div>"
        if kind == "centered":
            return f'<div style="text-align:center">{self.seller_block()}</div><div style="margin-top:4mm">{title}</div>'
        if kind == "footer-only":
            logo = f'<div class="accent" style="font-size:2.4em;font-weight:bold">{_e(self.acronym())}</div>'
            return (
                f'<div class="row" style="margin-top:0"><div>{logo}</div><div>{title}</div></div>'
            )
        if kind == "acronym":
            logo = f'<div class="accent" style="font-size:2.6em;font-weight:bold;letter-spacing:2px">{_e(self.acronym())}</div>'
            seller = f"{logo}<div>{self.seller_block()}</div>"
            return f'<div class="row" style="margin-top:0"><div>{seller}</div><div style="text-align:right">{title}</div></div>'
        seller = f"<div>{self.seller_block()}</div>"
        right = f'<div style="text-align:right">{title}</div>'
        parts = (
            (seller, right)
            if kind == "left-right"
            else (
                f"<div>{title}</div>",
                f'<div style="text-align:right">{self.seller_block()}</div>',
            )
        )
        return f'<div class="row" style="margin-top:0">{parts[0]}{parts[1]}</div>'

    # ------------------------------------------------------------------ number, date, buyer
    def kv(self, pairs: list[tuple[str, str]], far: bool = False, colon: bool = True) -> str:
        """A key/value table: a label cell and a value cell per row."""
        mark = ":" if colon else ""
        rows = "".join(f"<tr><td>{_e(k)}{mark}</td><td><b>{_e(v)}</b></td></tr>" for k, v in pairs)
        return f'<table class="kv{" far" if far else ""}">{rows}</table>'

    def unbroken(self, text: str) -> str:
        """Escaped text with the number (at _MARK) and the date (at _DATE_MARK) each kept on one
        line, as templates print them."""
        when = self.v.date(self.inv.issue_date)
        return (
            _e(text)
            .replace(_MARK, f'<span class="nw">{_e(self.inv.number)}</span>')
            .replace(_DATE_MARK, f'<span class="nw">{_e(when)}</span>')
        )

    def meta(self) -> str:
        """Number, date and distractors in the template's meta style."""
        style, inv = self.lay.meta_style, self.inv
        when = self.v.date(inv.issue_date)
        colon = self.rng.random() < 0.6
        if style in ("kv-table", "kv-far"):
            return self.kv(self.meta_pairs(), far=style == "kv-far", colon=colon)
        if style == "above":
            pairs = self.meta_pairs()
            heads = "".join(f"<th>{_e(k)}</th>" for k, _ in pairs)
            values = "".join(f"<td>{_e(v)}</td>" for _, v in pairs)
            return (
                f'<table class="above" style="width:100%"><tr>{heads}</tr><tr>{values}</tr></table>'
            )
        if style == "line":
            line = self.lay.labels["line"].format(
                title=self.title().title(), number=_MARK, date=_DATE_MARK
            )
            return f"<div><b>{self.unbroken(line)}</b></div>" + self.kv(
                self.distractor_pairs(), colon=colon
            )
        if style == "title":
            return self.kv([(self.label("date"), when), *self.distractor_pairs()], colon=colon)
        if style == "badge":
            badge = (
                f'<div class="badge"><div class="small">{_e(self.label("number"))}</div>'
                f'<div class="big nw">{_e(inv.number)}</div></div>'
            )
            return badge + self.kv(
                [(self.label("date"), when), *self.distractor_pairs()], colon=colon
            )
        if style == "sentence":
            title = self.title()
            text = self.lay.labels["sentence"].format(
                title=title.title(), title_lower=title.lower(), number=_MARK, date=_DATE_MARK
            )
            return f"<p>{self.unbroken(text)}</p>" + self.kv(self.distractor_pairs(), colon=colon)
        cells = "".join(
            f'<div style="margin-right:7mm"><div class="small">{_e(k)}</div>'
            f'<div class="nw" style="font-size:1.3em;font-weight:bold">{_e(v)}</div></div>'
            for k, v in self.meta_pairs()
        )
        return f'<div style="display:flex;flex-wrap:wrap">{cells}</div>'

    def buyer_block(self) -> str:
        """The buyer's heading, name, address and tax id."""
        b = self.inv.buyer
        heading = recase(self.label("buyer"), self.rng.choice(("as-is", "upper")))
        tax = f"{self.v.label('tax_id')} {b.tax_id}" if b.tax_id else ""
        lines = "<br>".join(_e(x) for x in (*b.address, tax) if x)
        head = (
            ""
            if self.lay.buyer_style == "window" and self.rng.random() < 0.5
            else f'<div class="small">{_e(heading)}</div>'
        )
        body = f"{head}<div><b>{_e(b.name)}</b></div><div>{lines}</div>"
        if self.lay.buyer_style == "box":
            return f'<div class="box">{body}</div>'
        if self.lay.buyer_style == "window":
            return f'<div class="window">{body}</div>'
        return f"<div>{body}</div>"

    def meta_and_buyer(self) -> str:
        """The meta block and the buyer block side by side (a window block stands alone)."""
        meta, buyer = f'<div class="col">{self.meta()}</div>', self.buyer_block()
        if self.lay.buyer_style == "window":
            return f"{buyer}<div style='margin-top:6mm'>{meta}</div>"
        buyer = f'<div class="col">{buyer}</div>'
        pair = (buyer, meta) if self.lay.buyer_side == "left" else (meta, buyer)
        return f'<div class="row">{pair[0]}{pair[1]}</div>'

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
        """The heading of column `key`."""
        if key in ("unit", "vat"):
            return self.lay.labels["unit" if key == "unit" else "vat_col"]
        return self.label(key)

    def cell(self, key: str, line: SynthLine) -> str:
        """The printed text of column `key` for `line`."""
        if key == "unit":
            if line.kind == "discount" or line.quantity is None:
                return ""
            pool = UNITS.get(self.inv.language, UNITS["en"])
            return (
                pool[hash((line.code, line.kind)) % len(pool)] if line.kind != "item" else pool[0]
            )
        if key == "vat":
            if line.kind == "discount":
                return ""
            rate = line.rate if line.rate is not None else self.inv.tax_rate
            return self.v.percent(rate)
        if key == "description":
            return line.description
        return self.v.cell_text(key, line)

    def split(self, text: str) -> tuple[str, str]:
        """A long description as a main row and a smaller detail row."""
        if not self.lay.sub_lines or len(text) < 45:
            return text, ""
        cuts = [text.find(b, 20) for b in _DETAIL_BREAKS]
        cuts = [c for c in cuts if c > 0]
        if not cuts:
            return text, ""
        at = min(cuts)
        if text[at] in ".,":  # the stop or comma stays with the first part, as written
            return text[: at + 1], text[at + 1 :].lstrip()
        return text[:at].rstrip(), text[at:].lstrip()

    def lines_table(self) -> str:
        """The line table: headings, one row per line, detail rows under long descriptions."""
        cols = self.columns()
        heads = "".join(
            f'<th class="{"" if k in ("description", "code", "unit") else "num"}">{_e(self.head(k))}</th>'
            for k in cols
        )
        rows = []
        for line in self.inv.lines:
            main, detail = self.split(line.description)
            cells = []
            for k in cols:
                text = main if k == "description" else self.cell(k, line)
                cls = "" if k in ("description", "code", "unit") else ' class="num"'
                cells.append(f"<td{cls}>{_e(text)}</td>")
            rows.append(f"<tr>{''.join(cells)}</tr>")
            if detail:
                at = cols.index("description")
                rows.append(
                    f'<tr class="sub">{"<td></td>" * at}<td colspan="{len(cols) - at}">{_e(detail)}</td></tr>'
                )
        return f'<table class="lines"><thead><tr>{heads}</tr></thead><tbody>{"".join(rows)}</tbody></table>'

    # ------------------------------------------------------------------ totals
    def prepaid(self) -> Decimal:
        """The deposit a prepayment template deducts (about a third of the total)."""
        return money(self.inv.total * Decimal(self.rng.choice((20, 25, 30, 40, 50))) / 100)

    def totals_rows(self) -> list[tuple[str, str]]:
        """Net, tax, extras and total, then the deposit and amount still due when drawn."""
        rows = self.v.totals_values()
        if self.lay.prepayment and self.inv.total > 0:
            paid = self.prepaid()
            rows += [
                (self.lay.labels["prepaid"], self.v.money(-paid)),
                (self.lay.labels["due_amount"], self.v.money(self.inv.total - paid)),
            ]
        return rows

    def totals(self) -> str:
        """The totals block in the template's style."""
        style = self.lay.totals_style
        rows = self.totals_rows()
        total_at = len(self.v.totals_values()) - 1
        align = {"right": "margin-left:auto", "left": "margin-right:auto", "full": "width:100%"}[
            self.lay.totals_side
        ]
        if style == "band":
            cells = "".join(
                f'<div><div class="small">{_e(k)}</div><b class="nw">{_e(v)}</b></div>'
                for k, v in rows
            )
            return f'<div class="band">{cells}</div>'
        if style == "breakdown":
            return self.breakdown(rows, total_at, align)
        if style == "right-lines":
            out = "".join(
                f'<div style="display:flex;justify-content:flex-end;gap:10mm{";font-weight:bold;font-size:1.2em" if i == total_at else ""}">'
                f'<span>{_e(k)}</span><span class="num" style="min-width:30mm">{_e(v)}</span></div>'
                for i, (k, v) in enumerate(rows)
            )
            return f'<div style="margin-top:5mm">{out}</div>'
        body = "".join(
            f'<tr{" class=grand" if i == total_at else ""}><td>{_e(k)}</td><td class="num">{_e(v)}</td></tr>'
            for i, (k, v) in enumerate(rows)
        )
        return f'<table class="totals" style="{align};margin-top:5mm">{body}</table>'

    def breakdown(self, rows: list[tuple[str, str]], total_at: int, align: str) -> str:
        """A tax table (base, rate, tax per rate) and the total rows under it."""
        v, inv = self.v, self.inv
        groups = inv.breakdown or [None]
        heads = (
            self.label("net"),
            self.lay.labels["vat_col"],
            self.label("tax").replace("{rate}", "").strip(" ()"),
        )
        body = []
        for row in groups:
            base = inv.net if row is None else row.base
            rate = inv.tax_rate if row is None else row.rate
            tax = inv.tax if row is None else row.tax
            body.append(
                f'<tr><td class="num">{_e(v.money(base))}</td><td class="num">{_e(v.percent(rate))}</td><td class="num">{_e(v.money(tax))}</td></tr>'
            )
        table = (
            f'<table class="totals above" style="{align};margin-top:5mm"><tr>'
            + "".join(f"<th>{_e(h)}</th>" for h in heads)
            + f"</tr>{''.join(body)}</table>"
        )
        rest = rows[total_at - len(v.extra_rows()) :]
        tail = "".join(
            f'<tr{" class=grand" if k == rows[total_at][0] else ""}><td>{_e(k)}</td><td class="num">{_e(val)}</td></tr>'
            for k, val in rest
        )
        return table + f'<table class="totals" style="{align};margin-top:2mm">{tail}</table>'

    # ------------------------------------------------------------------ notes, footer
    def notes(self) -> str:
        """Exemption, correction, payment terms and IBAN under the totals."""
        notes = [text for text, _ in self.v.notes()]
        if self.lay.footer_registry and self.inv.seller.iban:
            notes = [n for n in notes if self.inv.seller.iban not in n]
        return (
            '<div style="margin-top:5mm">'
            + "".join(f"<div>{_e(n)}</div>" for n in notes)
            + "</div>"
        )

    def footer(self) -> str:
        """The seller's legal line: name, address, tax id and IBAN."""
        s = self.inv.seller
        parts = [
            s.name,
            ", ".join(s.address),
            self.v.seller_tax_text(),
            s.iban and f"IBAN {s.iban}",
        ]
        if self.lay.header != "footer-only":
            parts = parts[:1] + parts[2:]
        registry = self.lay.base.issuer.registry
        if registry.startswith(f"{s.name} · "):  # the issuer's own legal mention
            parts.append(registry.removeprefix(f"{s.name} · "))
        return f'<div class="footer">{" · ".join(_e(p) for p in parts if p)}</div>'


def invoice_html(inv: SynthInvoice, layout: HtmlLayout) -> str:
    """The HTML document of `inv` drawn by `layout`."""
    return HtmlInvoice(inv, layout).document()
