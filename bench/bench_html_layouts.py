"""Extraction on HTML invoice templates printed by Chromium: structures pdf.py never draws.

Draws N HTML templates (facturas_dev.synth.html_layouts, names "html:<seed>"), prints k invoices
in each as text-layer PDFs and M scans of the same templates, reads, extracts and validates every
file by the project's path with no reading memory, and scores it against its truth as
bench_random_layouts does (its Score, tables and plot): the six core fields, party names and tax
ids, all six right, line count and exact lines; overall, per wording language and per structure
option. `--corpus` also draws the dev corpus's e-invoice content through the templates.

Usage: python bench/bench_html_layouts.py [--n N] [--k K] [--scans M] [--seed S]
       [--corpus] [--corpus-dir DIR] [--limit N] [--verbose]
Writes bench/results/html_layouts-<time>.json (and -latest.json) and bench/results/html_layouts.png.
"""

from __future__ import annotations

import os
import sys
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from printed_family_bench import FamilyBench, run  # noqa: E402

from facturas_dev.synth.html_generator import generate_html, write_html_external  # noqa: E402
from facturas_dev.synth.html_layouts import (  # noqa: E402
    html_layout_named,
    html_layout_names,
    option_keys,
)

# Bumped when the templates or their printing change, so cached files are made again.
TEMPLATES_VERSION = "html-7"
OPTIONS = (
    "header",
    "meta_style",
    "buyer_style",
    "totals_style",
    "currency_mark",
    "date_style",
    "distractors",
)


def html_keys(truth: dict[str, Any]) -> dict[str, str]:
    """The structure options of the template a document was drawn by."""
    return option_keys(html_layout_named(truth["layout"]))


BENCH = FamilyBench(
    name="html",
    drawn="HTML templates",
    version=TEMPLATES_VERSION,
    layout_names=html_layout_names,
    generate=generate_html,
    write_external=write_html_external,
    keys=html_keys,
    options=OPTIONS,
)


def main() -> int:
    """Run the benchmark; exit status 0 (figures are for reading, not a gate)."""
    return run(BENCH, __doc__)


if __name__ == "__main__":
    sys.exit(main())
