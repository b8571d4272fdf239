"""Extraction on the layouts EXCLUDED FROM ALL DEVELOPMENT: the generator's judge, not its teacher.

Generates N invoices per excluded layout (facturas_dev.synth.excluded_layouts) as text PDFs and,
with --scans K, K scans per layout; with --corpus, also draws a sample of the dev corpus's real
content (facturas_dev.synth.external) through the excluded layouts. Every file is read, extracted
and validated by the project's path (read_documents, extract_invoice, validate) with no reading
memory (every issuer is new), and scored against its truth: the six core fields, the share of
documents with all six right, party names and tax ids, line count and exact lines; per layout and
overall. Files and OCR results are cached under bench/.cache/excluded-layouts.

These figures are only honest while nobody tunes facturas_assets/documents/ looking at them.

Usage: python bench/bench_excluded_layouts.py [--n N] [--scans K] [--corpus] [--corpus-sample M]
       [--corpus-scans S] [--seed S] [--verbose]
Writes bench/results/excluded_layouts-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from bench_corpus_layouts import (  # noqa: E402
    DEFAULT_CORPUS,
    Score,
    _renderer_version,
    _with_record,
    print_block,
    score,
)
from common import CACHE_DIR, write_results  # noqa: E402

from facturas_assets.documents.cache import ReadCache  # noqa: E402
from facturas_dev.accuracy import CORE_FIELDS  # noqa: E402
from facturas_dev.synth.excluded_layouts import EXCLUDED_LAYOUTS  # noqa: E402
from facturas_dev.synth.external import ExternalContent, load_corpus, write_external  # noqa: E402
from facturas_dev.synth.generator import generate  # noqa: E402

CACHE = CACHE_DIR / "excluded-layouts"
SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
# The targets: per core field, and the share of documents with all six right.
TARGETS = {
    "generated-text": (0.98, 0.90),
    "generated-scan": (0.95, 0.80),
    "corpus-text": (0.90, None),
    "corpus-scan": (0.85, None),
}


def generated(kind: str, per_layout: int, seed: int) -> list[tuple[Path, dict[str, Any]]]:
    """`per_layout` files of every excluded layout ('text' or 'scan'), generated on first use."""
    renderings = ["text-pdf"] if kind == "text" else ["scan-image", "scan-pdf"]
    out = []
    started = time.monotonic()
    for index, name in enumerate(sorted(EXCLUDED_LAYOUTS)):
        folder = CACHE / _renderer_version() / f"{kind}-{per_layout}-seed{seed}" / name
        if not (folder / "done").exists():
            # A seed of its own per layout: each layout's sample is the same whatever the others.
            generate(per_layout, folder, seed=seed * 1000 + index, layouts=[name],
                     renderings=renderings, workers=1)  # fmt: skip
            (folder / "done").write_text("ok")
        for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES):
            truth = json.loads(path.with_name(f"{path.stem}.truth.json").read_text("utf-8"))
            # score() groups by source and format: here one source, the rendering as format.
            out.append((path, {**truth, "repo": "generated", "format": truth["rendering"]}))
    print(f"{len(out)} generated {kind} files ready in {time.monotonic() - started:.1f} s")
    return out


def corpus_sample(
    corpus: Path, n_text: int, n_scans: int, seed: int
) -> tuple[list[tuple[Path, dict]], list[tuple[Path, dict]]]:
    """The dev corpus's content drawn through the excluded layouts: a seeded sample of pairs."""
    items: list[tuple[dict[str, Any], ExternalContent]] = list(load_corpus(corpus))
    rng = random.Random(f"excluded-layouts-corpus:{seed}")
    pairs = [(r, c, name) for r, c in items for name in sorted(EXCLUDED_LAYOUTS)]
    chosen = rng.sample(pairs, k=min(len(pairs), n_text + n_scans))
    folder = CACHE / _renderer_version() / f"corpus-seed{seed}"
    started = time.monotonic()
    text, scans = [], []
    for i, (record, content, name) in enumerate(chosen):
        rendering = "text-pdf" if i < n_text else ("scan-pdf", "scan-image")[i % 2]
        sub = folder / ("text" if rendering == "text-pdf" else "scan")
        stem = f"{content.id}--{name}--{rendering}"
        truth_path = sub / f"{stem}.truth.json"
        if truth_path.exists():
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            path = sub / truth["file"]
        else:
            item = write_external(content, name, sub, rendering, seed)
            path, truth = item.path, item.truth
        (text if rendering == "text-pdf" else scans).append((path, _with_record(truth, record)))
    print(
        f"{len(text)} corpus text PDFs and {len(scans)} scans through the excluded layouts "
        f"({len(items)} invoices x {len(EXCLUDED_LAYOUTS)} layouts sampled) "
        f"in {time.monotonic() - started:.1f} s"
    )
    return text, scans


def show_errors(kind: str, files: list[tuple[Path, dict[str, Any]]], cache: ReadCache) -> None:
    """Each wrong core field or tax id: layout, file, the truth and what was extracted."""
    from facturas_assets.documents.extraction import extract_invoice
    from facturas_assets.documents.model import DocumentRejected, invoice_to_json
    from facturas_assets.documents.reader import read_documents
    from facturas_assets.documents.validation import validate

    results = read_documents(((str(p), p) for p, _ in files), cache=cache)
    for (path, truth), result in zip(files, results, strict=True):
        if isinstance(result, DocumentRejected):
            print(f"  {kind} {truth['layout']} {path.name}: rejected ({result.reason})")
            continue
        got = invoice_to_json(validate(extract_invoice(result)))
        for name in CORE_FIELDS:
            if got[name] != truth.get(name):
                print(
                    f"  {kind} {truth['layout']} {path.name}: {name} "
                    f"{truth.get(name)!r} read as {got[name]!r}"
                )


def check_targets(kind: str, groups: dict[str, dict[str, Score]]) -> list[str]:
    """Print each core field and the all-six share against the issue's targets; the misses."""
    field_target, all_six_target = TARGETS[kind]
    figures = groups["all"]["all"].figures()
    missed = []
    cells = []
    for name in CORE_FIELDS:
        value = figures.get(name, 0.0)
        if value < field_target:
            missed.append(f"{kind} {name} {value:.3f} < {field_target}")
        cells.append(f"{name} {value:.3f}")
    if all_six_target is not None and figures.get("all_six", 0.0) < all_six_target:
        missed.append(f"{kind} all six {figures.get('all_six', 0.0):.3f} < {all_six_target}")
    print(
        f"  targets ({kind}): core >= {field_target}, all six >= {all_six_target}: "
        + ", ".join(cells)
    )
    return missed


def main() -> int:
    """Run the benchmark; exit status 0 (figures are for reading, not a gate)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=20, help="text PDFs per excluded layout")
    parser.add_argument("--scans", type=int, default=0, help="scans per layout (~1-2 s a page)")
    parser.add_argument("--corpus", action="store_true", help="also the dev corpus's content")
    parser.add_argument("--corpus-dir", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--corpus-sample", type=int, default=200, help="corpus text PDFs")
    parser.add_argument("--corpus-scans", type=int, default=0, help="corpus scans")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verbose", action="store_true", help="print each document's wrong fields")
    parser.add_argument(
        "--show-errors", action="store_true", help="each wrong core field: truth and reading"
    )
    args = parser.parse_args()
    print(f"excluded layouts ({len(EXCLUDED_LAYOUTS)}): {', '.join(sorted(EXCLUDED_LAYOUTS))}")
    plan: list[tuple[str, list[tuple[Path, dict]]]] = []
    if args.n > 0:
        plan.append(("generated-text", generated("text", args.n, args.seed)))
    if args.scans > 0:
        plan.append(("generated-scan", generated("scan", args.scans, args.seed)))
    if args.corpus:
        if (args.corpus_dir / "gt.jsonl").exists():
            text, scans = corpus_sample(
                args.corpus_dir, args.corpus_sample, args.corpus_scans, args.seed
            )
            plan += [("corpus-text", text), ("corpus-scan", scans)]
        else:
            print(f"no corpus at {args.corpus_dir}: its content is not measured")
    cache = ReadCache(CACHE / "read-cache")
    results: dict[str, Any] = {}
    missed: list[str] = []
    for kind, files in plan:
        if not files:
            continue
        groups = score(kind, files, cache, args.verbose)
        if args.show_errors:
            show_errors(kind, files, cache)
        results[kind] = print_block(kind, groups)
        missed += check_targets(kind, groups)
    print("\ntargets missed: " + ("; ".join(missed) if missed else "none"))
    path = write_results(
        "excluded_layouts",
        {"args": {k: str(v) for k, v in vars(args).items()}, "results": results, "missed": missed},
    )
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
