"""Invoices drawn by the HTML templates: content, printed PDF or scan, and the generator's truth.

Content is the generator's (`content.build_invoice` for the template's randomized base layout,
so issuer, wording language and tax variety are the same kind) with the template's own number
format, or the dev corpus's e-invoice content (`external`). The truth dict is
`SynthInvoice.truth`, exactly as the generator writes it, with the layout "html:<seed>".
"""

from __future__ import annotations

from pathlib import Path

from facturas_dev.synth.content import SynthInvoice, build_invoice
from facturas_dev.synth.external import ExternalContent
from facturas_dev.synth.html_layouts import HtmlLayout, html_layout_named
from facturas_dev.synth.html_template import invoice_html
from facturas_dev.synth.printed_family import (
    DrawnInvoiceFile,
    PrintedFamily,
    generate,
    template_number,
    write_external,
)
from facturas_dev.synth.printed_family import printed as printed_by


def html_number(seed: int, layout: HtmlLayout, inv: SynthInvoice) -> str:
    """The invoice number in the template's own format and letter case."""
    return template_number("html", seed, layout, inv, 9999, "ABCFGRST")


def html_invoice(seed: int, layout: HtmlLayout, category: str | None = None) -> SynthInvoice:
    """The generator's content of `seed` for the template (its base layout), numbered its way."""
    inv = build_invoice(seed, layout.base, category)
    inv.number = html_number(seed, layout, inv)
    inv.layout = layout.name
    return inv


def page_label(layout: HtmlLayout) -> str:
    """The browser footer's page counter, "Página {p}/{n}", when the template prints one."""
    return f"{layout.distractor_labels['page']} {{p}}/{{n}}" if layout.page_numbers else ""


FAMILY = PrintedFamily(
    html=invoice_html, page_label=page_label, layout_named=html_layout_named, invoice=html_invoice
)


def printed(inv: SynthInvoice, layout: HtmlLayout, trim: bool = True) -> tuple[bytes, int]:
    """The printed PDF of `inv` and its page count (long generated invoices trimmed to 3 pages)."""
    return printed_by(FAMILY, inv, layout, trim)


def generate_html(
    n: int, out: Path, names: list[str], seed: int = 0, renderings: tuple[str, ...] = ("text-pdf",)
) -> list[DrawnInvoiceFile]:
    """n invoices over the templates `names` in turn, renderings alternating; reproducible."""
    return generate(FAMILY, n, out, names, seed, renderings)


def write_html_external(
    content: ExternalContent, name: str, out: Path, rendering: str = "text-pdf", seed: int = 0
) -> DrawnInvoiceFile:
    """An e-invoice's content drawn by template `name`, with its truth (source noted)."""
    return write_external(FAMILY, content, name, out, rendering, seed)
