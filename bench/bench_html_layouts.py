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
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from bench_random_layouts import (  # noqa: E402
    drawn_corpus,
    files_plan,
    layouts_parser,
    made_once,
    score_and_write,
)
from common import CACHE_DIR  # noqa: E402

from facturas_dev.synth.html_generator import generate_html, write_html_external  # noqa: E402
from facturas_dev.synth.html_layouts import (  # noqa: E402
    html_layout_named,
    html_layout_names,
    option_keys,
)

CACHE = CACHE_DIR / "html-layouts"
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


def generated(kind: str, names: list[str], count: int, seed: int) -> list[tuple[Path, dict]]:
    """`count` printed files of one kind over `names` with their truths, made once (cached)."""
    folder = CACHE / f"{kind}-n{len(names)}-{count}-seed{seed}-{TEMPLATES_VERSION}"
    return made_once(
        folder,
        kind,
        lambda out, renderings: generate_html(
            count, out, names, seed=seed, renderings=tuple(renderings)
        ),
    )


def corpus_files(
    corpus: Path, names: list[str], k: int, seed: int, limit: int | None
) -> list[tuple[Path, dict]]:
    """The dev corpus's e-invoice content drawn through k of the templates each (cached)."""
    folder = CACHE / f"corpus-seed{seed}-{TEMPLATES_VERSION}"
    return drawn_corpus(
        corpus,
        names,
        k,
        limit,
        folder,
        f"html-layouts-corpus:{seed}",
        lambda content, name, _stem: write_html_external(content, name, folder, "text-pdf", seed),
    )


def main() -> int:
    """Run the benchmark; exit status 0 (figures are for reading, not a gate)."""
    args = layouts_parser(__doc__, "HTML templates", k=2, scans=20).parse_args()
    names = html_layout_names(args.n, args.seed)
    print(f"{len(names)} HTML templates (seed {args.seed}), {args.k} text PDFs each")
    plan = files_plan(args, names, generated, corpus_files)
    score_and_write(args, names, plan, CACHE, "html_layouts", "HTML templates", html_keys, OPTIONS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
