"""Extraction on office-software invoice templates printed by Chromium: other hands' layouts.

Draws N office templates (facturas_dev.synth.office_layouts, names "office:<seed>": party
tables, bill-to / ship-to, header box rows, text and delivery-note rows among the lines, Spanish
tax tables, totals strips, footers), prints k invoices in each as text-layer PDFs and M scans of
the same templates, reads, extracts and validates every file by the project's path with no
reading memory, and scores it against its truth as bench_random_layouts does (its Score, tables
and plot): the six core fields, party names and tax ids, all six right, line count and exact
lines; overall, per wording language and per structure option. `--corpus` also draws the dev
corpus's e-invoice content through the templates.

Usage: python bench/bench_office_layouts.py [--n N] [--k K] [--scans M] [--seed S]
       [--corpus] [--corpus-dir DIR] [--limit N] [--verbose]
Writes bench/results/office_layouts-<time>.json (and -latest.json) and
bench/results/office_layouts.png.
"""

from __future__ import annotations

import os
import sys
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from printed_family_bench import FamilyBench, run  # noqa: E402

from facturas_dev.synth.office_generator import generate_office, write_office_external  # noqa: E402
from facturas_dev.synth.office_layouts import (  # noqa: E402
    office_layout_named,
    office_layout_names,
    option_keys,
)

# Bumped when the templates or their printing change, so cached files are made again.
TEMPLATES_VERSION = "office-4"
OPTIONS = (
    "parties",
    "logo",
    "title_style",
    "meta_style",
    "totals_style",
    "tax_place",
    "currency_mark",
    "extra_rows",
    "window",
    "bilingual",
    "tax_rows",
    "grouping",
)


def office_keys(truth: dict[str, Any]) -> dict[str, str]:
    """The structure options of the template a document was drawn by (tax per rate only counts
    where the content has several rates)."""
    keys = option_keys(office_layout_named(truth["layout"]))
    if len(truth.get("tax_breakdown") or []) < 2:
        keys["tax_rows"] = "one-rate"
    return keys


BENCH = FamilyBench(
    name="office",
    drawn="office templates",
    version=TEMPLATES_VERSION,
    layout_names=office_layout_names,
    generate=generate_office,
    write_external=write_office_external,
    keys=office_keys,
    options=OPTIONS,
)


def main() -> int:
    """Run the benchmark; exit status 0 (figures are for reading, not a gate)."""
    return run(BENCH, __doc__)


if __name__ == "__main__":
    sys.exit(main())
