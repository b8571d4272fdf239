"""Writing the invoices of a family of templates printed by Chromium (HTML, office): the printed
PDF or its scan, and `<stem>.truth.json` beside it. Each family gives its own template, page
counter, layout lookup and numbering; the rest is the same for all."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from facturas_dev.synth.content import SynthInvoice, trim_last_line
from facturas_dev.synth.external import (
    ExternalContent,
    adapt_layout,
    content_invoice,
    external_seed,
)
from facturas_dev.synth.generator import MAX_PAGES, file_suffix, invoice_seed, render_bytes
from facturas_dev.synth.html_render import page_count, print_html


@dataclass(frozen=True, slots=True)
class DrawnInvoiceFile:
    """One written file and its truth."""

    path: Path
    truth: dict[str, Any]


@dataclass(frozen=True, slots=True)
class PrintedFamily:
    """What a family of printed templates supplies (its layouts have a `base` layout)."""

    html: Callable[[SynthInvoice, Any], str]  # the invoice's HTML by one template
    page_label: Callable[[Any], str]  # "Página {p}/{n}" for the browser footer, or ""
    layout_named: Callable[[str], Any]
    invoice: Callable[[int, Any], SynthInvoice]  # the generator's content, numbered its way


def template_number(
    tag: str, seed: int, layout: Any, inv: SynthInvoice, largest: int, series: str
) -> str:
    """The invoice number in a template's own format (`layout.number_format`) and letter case
    (`layout.number_case`: as-is, lower or upper), drawn from `seed`."""
    rng = random.Random(f"facturas-{tag}-number:{seed}")
    d = inv.issue_date
    number = layout.number_format.format(
        yyyy=d.year,
        yy=d.year % 100,
        mm=d.month,
        dd=d.day,
        n=rng.randint(1, largest),
        s=rng.choice(series),
    )
    if layout.number_case == "lower":
        return number.lower()
    return number.upper() if layout.number_case == "upper" else number


def printed(
    family: PrintedFamily, inv: SynthInvoice, layout: Any, trim: bool = True
) -> tuple[bytes, int]:
    """The printed PDF of `inv` and its page count (long generated invoices trimmed to 3 pages)."""
    while True:
        pdf = print_html(family.html(inv, layout), family.page_label(layout))
        pages = page_count(pdf)
        if pages <= MAX_PAGES or not trim or not trim_last_line(inv):
            return pdf, pages


def write(
    family: PrintedFamily,
    inv: SynthInvoice,
    layout: Any,
    out: Path,
    stem: str,
    rendering: str,
    trim: bool = True,
    source: dict[str, str] | None = None,
) -> DrawnInvoiceFile:
    """Print (and scan when asked) one invoice; write the file and `<stem>.truth.json`."""
    pdf, pages = printed(family, inv, layout, trim)
    path = out / (stem + file_suffix(inv, rendering, pages))
    truth = inv.truth(rendering, pages, path.name)
    if source is not None:
        truth["source"] = source
    path.write_bytes(render_bytes(inv, pdf, pages, rendering))
    (out / f"{stem}.truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return DrawnInvoiceFile(path, truth)


def generate(
    family: PrintedFamily,
    n: int,
    out: Path,
    names: list[str],
    seed: int = 0,
    renderings: tuple[str, ...] = ("text-pdf",),
) -> list[DrawnInvoiceFile]:
    """n invoices over the templates `names` in turn, renderings alternating; reproducible."""
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        layout = family.layout_named(names[i % len(names)])
        inv = family.invoice(invoice_seed(seed, i + 1), layout)
        rendering = renderings[i % len(renderings)]
        files.append(write(family, inv, layout, out, f"inv-{i + 1:06d}", rendering))
    return files


def write_external(
    family: PrintedFamily,
    content: ExternalContent,
    name: str,
    out: Path,
    rendering: str = "text-pdf",
    seed: int = 0,
) -> DrawnInvoiceFile:
    """An e-invoice's content drawn by template `name`, with its truth (source noted)."""
    layout = family.layout_named(name)
    base = adapt_layout(layout.base, content)
    layout = replace(layout, base=base)
    inv = content_invoice(content, base, external_seed(content.id, name, seed))
    inv.layout = name
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{content.id}--{name.replace(':', '-')}--{rendering}"
    source = {"id": content.id, "origin": content.source}
    return write(family, inv, layout, out, stem, rendering, trim=False, source=source)
