"""Invoices drawn by the office-software templates: content, printed PDF or scan, and the truth.

Content is the generator's (`content.build_invoice` for the template's randomized base layout,
so issuer, wording language and tax variety are the same kind as the other drawn families) with
the template's own number format, or the dev corpus's e-invoice content (`external`). The truth
dict is `SynthInvoice.truth`, exactly as the generator writes it, with the layout
"office:<seed>".
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from facturas_dev.synth.content import SynthInvoice, build_invoice, trim_last_line
from facturas_dev.synth.external import (
    ExternalContent,
    adapt_layout,
    content_invoice,
    external_seed,
)
from facturas_dev.synth.generator import MAX_PAGES, file_suffix, invoice_seed, render_bytes
from facturas_dev.synth.html_render import page_count, print_html
from facturas_dev.synth.office_layouts import OfficeLayout, office_layout_named
from facturas_dev.synth.office_template import invoice_html


@dataclass(frozen=True, slots=True)
class OfficeInvoiceFile:
    """One written file and its truth."""

    path: Path
    truth: dict[str, Any]


def office_number(seed: int, layout: OfficeLayout, inv: SynthInvoice) -> str:
    """The invoice number in the template's own format and letter case."""
    rng = random.Random(f"facturas-office-number:{seed}")
    d = inv.issue_date
    number = layout.number_format.format(
        yyyy=d.year,
        yy=d.year % 100,
        mm=d.month,
        dd=d.day,
        n=rng.randint(1, 99999),
        s=rng.choice("ABCDEFGRST"),
    )
    return number.upper() if layout.number_case == "upper" else number


def office_invoice(seed: int, layout: OfficeLayout, category: str | None = None) -> SynthInvoice:
    """The generator's content of `seed` for the template (its base layout), numbered its way."""
    inv = build_invoice(seed, layout.base, category)
    inv.number = office_number(seed, layout, inv)
    inv.layout = layout.name
    return inv


def page_label(layout: OfficeLayout) -> str:
    """The browser footer's page counter in the base layout's wording, when the template prints
    one."""
    return layout.base.label("page") if layout.page_numbers else ""


def printed(inv: SynthInvoice, layout: OfficeLayout, trim: bool = True) -> tuple[bytes, int]:
    """The printed PDF of `inv` and its page count (long generated invoices trimmed to 3 pages)."""
    while True:
        pdf = print_html(invoice_html(inv, layout), page_label(layout))
        pages = page_count(pdf)
        if pages <= MAX_PAGES or not trim or not trim_last_line(inv):
            return pdf, pages


def write(
    inv: SynthInvoice, layout: OfficeLayout, out: Path, stem: str, rendering: str, trim: bool = True
) -> OfficeInvoiceFile:
    """Print (and scan when asked) one invoice; write the file and `<stem>.truth.json`."""
    pdf, pages = printed(inv, layout, trim)
    path = out / (stem + file_suffix(inv, rendering, pages))
    truth = inv.truth(rendering, pages, path.name)
    path.write_bytes(render_bytes(inv, pdf, pages, rendering))
    (out / f"{stem}.truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return OfficeInvoiceFile(path, truth)


def generate_office(
    n: int, out: Path, names: list[str], seed: int = 0, renderings: tuple[str, ...] = ("text-pdf",)
) -> list[OfficeInvoiceFile]:
    """n invoices over the templates `names` in turn, renderings alternating; reproducible."""
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        layout = office_layout_named(names[i % len(names)])
        inv = office_invoice(invoice_seed(seed, i + 1), layout)
        rendering = renderings[i % len(renderings)]
        files.append(write(inv, layout, out, f"inv-{i + 1:06d}", rendering))
    return files


def write_office_external(
    content: ExternalContent, name: str, out: Path, rendering: str = "text-pdf", seed: int = 0
) -> OfficeInvoiceFile:
    """An e-invoice's content drawn by template `name`, with its truth (source noted)."""
    layout = office_layout_named(name)
    base = adapt_layout(layout.base, content)
    layout = replace(layout, base=base)
    inv = content_invoice(content, base, external_seed(content.id, name, seed))
    inv.layout = name
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{content.id}--{name.replace(':', '-')}--{rendering}"
    item = write(inv, layout, out, stem, rendering, trim=False)
    item.truth["source"] = {"id": content.id, "origin": content.source}
    (out / f"{stem}.truth.json").write_text(
        json.dumps(item.truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return item
