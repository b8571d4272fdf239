"""Extraction on randomized layouts: looks and wordings the reader's rules were not written for.

Draws N randomized layouts (facturas_dev.synth.random_layouts, names "random:<seed>"), generates
k invoices in each as text-layer PDFs and M scans over the same layouts, reads, extracts and
validates every file by the project's path with no reading memory (each issuer is new), and scores
it against its truth: the six core fields, party names and tax ids, documents with all six right,
line count and exact lines; overall, per wording language and per layout option. `--corpus` also
draws the dev corpus's e-invoice content through the random layouts (text PDFs).

Usage: python bench/bench_random_layouts.py [--n N] [--k K] [--scans M] [--seed S]
       [--corpus] [--corpus-dir DIR] [--limit N] [--verbose]
Writes bench/results/random_layouts-<time>.json (and -latest.json) and
bench/results/random_layouts.png.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from bench_corpus_layouts import (  # noqa: E402
    SHORT,
    SHOWN,
    Score,
    _accept_alternatives,
    _renderer_version,
)
from common import CACHE_DIR, REPO, RESULTS_DIR, table, write_results  # noqa: E402

from facturas_assets.documents.cache import ReadCache  # noqa: E402
from facturas_assets.documents.extraction import extract_invoice  # noqa: E402
from facturas_assets.documents.model import DocumentRejected, InvoiceData, invoice_to_json  # noqa: E402
from facturas_assets.documents.reader import read_documents  # noqa: E402
from facturas_assets.documents.validation import validate  # noqa: E402
from facturas_dev.synth.generator import generate  # noqa: E402
from facturas_dev.synth.layouts import Layout, layout_named  # noqa: E402
from facturas_dev.synth.random_layouts import random_layout_names, wording_language  # noqa: E402

CACHE = CACHE_DIR / "random-layouts"
DEFAULT_CORPUS = REPO.parent / "shared" / "dev-corpus"
SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
# The layout options the tables break figures down by.
OPTIONS = ("meta_style", "totals_style", "letterhead", "table_rules", "title", "date_style")


def option_keys(layout: Layout) -> dict[str, str]:
    """The groups one document of `layout` counts in."""
    return {
        "language": wording_language(layout),
        "meta_style": layout.meta_style,
        "totals_style": layout.totals_style,
        "letterhead": layout.letterhead,
        "table_rules": layout.table_rules,
        "title": "number in title" if layout.title_number else "title alone",
        "date_style": layout.date_style,
    }


def truths_in(folder: Path) -> list[tuple[Path, dict]]:
    """Every document file in `folder` with its truth (`<stem>.truth.json` beside it)."""
    out = []
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES):
        truth_path = path.with_name(path.stem + ".truth.json")
        out.append((path, json.loads(truth_path.read_text(encoding="utf-8"))))
    return out


def made_once(
    folder: Path, kind: str, make: Callable[[Path, list[str]], object]
) -> list[tuple[Path, dict]]:
    """The files of one kind `make(folder, renderings)` writes, made once (cached), with truths."""
    renderings = ["text-pdf"] if kind == "text" else ["scan-image", "scan-pdf"]
    if not (folder / "done").exists():
        started = time.monotonic()
        make(folder, renderings)
        (folder / "done").write_text("ok")
        print(f"made the {kind} files in {time.monotonic() - started:.1f} s ({folder})")
    return truths_in(folder)


def generated(kind: str, names: list[str], count: int, seed: int) -> list[tuple[Path, dict]]:
    """`count` generated files of one kind over `names` with their truths, made once (cached)."""
    folder = CACHE / f"{kind}-n{len(names)}-{count}-seed{seed}-{_renderer_version()}"
    return made_once(
        folder,
        kind,
        lambda out, renderings: generate(
            count, out, seed=seed, layouts=names, renderings=renderings
        ),
    )


def drawn_corpus(
    corpus: Path,
    names: list[str],
    k: int,
    limit: int | None,
    folder: Path,
    rng_key: str,
    write: Callable[[Any, str, str], object],
) -> list[tuple[Path, dict]]:
    """The dev corpus's e-invoice content drawn through k of `names` each: `write(content, name,
    stem)` writes a drawing and `<stem>.truth.json` (its "file" naming it) once (cached)."""
    from facturas_dev.synth.external import ExternalContentError, load_corpus

    out = []
    for record, content in islice(load_corpus(corpus), limit):
        rng = random.Random(f"{rng_key}:{content.id}")
        for name in rng.sample(names, k=min(k, len(names))):
            stem = f"{content.id}--{name.replace(':', '-')}--text-pdf"
            truth_path = folder / f"{stem}.truth.json"
            if not truth_path.exists():
                try:
                    write(content, name, stem)
                except ExternalContentError as error:
                    print(f"  skipped {content.id}: {error}")
                    continue
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            out.append((folder / truth["file"], {**truth, "alts": record.get("alts", {})}))
    return out


def corpus_files(
    corpus: Path, names: list[str], k: int, seed: int, limit: int | None
) -> list[tuple[Path, dict]]:
    """The dev corpus's e-invoice content drawn through k of the random layouts each (cached)."""
    from facturas_dev.synth.external import write_external

    folder = CACHE / f"corpus-seed{seed}-{_renderer_version()}"

    def write(content: Any, name: str, stem: str) -> None:
        """One drawing renamed to `stem` (the layout name's colon is no file-name character)."""
        item = write_external(content, name, folder, "text-pdf", seed)
        item.path.rename(folder / f"{stem}{item.path.suffix}")
        item.truth_path.unlink()
        truth = {**item.truth, "file": f"{stem}{item.path.suffix}"}
        (folder / f"{stem}.truth.json").write_text(
            json.dumps(truth, ensure_ascii=False), encoding="utf-8"
        )

    return drawn_corpus(corpus, names, k, limit, folder, f"random-layouts-corpus:{seed}", write)


def files_plan(
    args: argparse.Namespace,
    names: list[str],
    generated: Callable[[str, list[str], int, int], list[tuple[Path, dict]]],
    corpus_files: Callable[..., list[tuple[Path, dict]]],
) -> list[tuple[str, list[tuple[Path, dict]]]]:
    """The sets a run scores: text PDFs, scans (`--scans`), the corpus content (`--corpus`)."""
    plan = [("text", generated("text", names, args.n * args.k, args.seed))]
    if args.scans > 0:
        plan.append(("scan", generated("scan", names, args.scans, args.seed + 1)))
    if args.corpus:
        if (args.corpus_dir / "gt.jsonl").exists():
            files = corpus_files(args.corpus_dir, names, args.corpus_layouts, args.seed, args.limit)
            plan.append(("corpus-text", files))
        else:
            print(f"no corpus at {args.corpus_dir}: corpus content skipped")
    return plan


def random_keys(truth: dict[str, Any]) -> dict[str, str]:
    """The option groups of a document drawn by a randomized layout."""
    return option_keys(layout_named(truth["layout"]))


# The truth keys of the scores named otherwise (the Spanish extras).
EXTRA_KEYS = {
    "withholding": "withholding_total",
    "recargo": "recargo_total",
    "breakdown": "tax_breakdown",
}


def _shown(value: Any, width: int = 160) -> str:
    """A truth or extracted value, short enough for one line."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= width else text[: width - 3] + "..."


def miss_lines(truth: dict[str, Any], data: InvoiceData, bad: Sequence[str]) -> list[str]:
    """One line per wrong field: what the truth says and what the reader got."""
    got = invoice_to_json(data)
    out = []
    for name in bad:
        if name in ("lines", "line_numbers"):
            want = [ln for ln in truth.get("lines") or [] if ln not in got["lines"]]
            have = [ln for ln in got["lines"] if ln not in (truth.get("lines") or [])]
            out.append(f"    {name}: {len(truth.get('lines') or [])} true, {len(got['lines'])} got")
            if want or have:
                out.append(
                    f"      first missed {_shown(want[:1])}\n      first wrong {_shown(have[:1])}"
                )
            continue
        name = EXTRA_KEYS.get(name, name)
        party, _, key = name.partition(".")
        want = (truth.get(party) or {}).get(key) if key else truth.get(name)
        have = (got.get(party) or {}).get(key) if key else got.get(name)
        out.append(f"    {name}: truth {_shown(want)} got {_shown(have)}")
    return out


def score(
    kind: str,
    files: list[tuple[Path, dict]],
    cache: ReadCache,
    verbose: bool,
    keys_of: Callable[[dict[str, Any]], dict[str, str]] = random_keys,
) -> dict[str, dict[str, Score]]:
    """Read, extract, validate and score `files`, grouped overall and per layout option."""
    groups: dict[str, dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
    started = time.monotonic()
    results = read_documents(((str(p), p) for p, _ in files), cache=cache)
    for (path, truth), result in zip(files, results, strict=True):
        keys = {"all": "all", "layout": truth["layout"], **keys_of(truth)}
        if isinstance(result, DocumentRejected):
            for group, key in keys.items():
                groups[group][key].rejected += 1
            continue
        data = validate(extract_invoice(result))
        n_lines = len(truth.get("lines") or []) or None
        if "alts" in truth:  # corpus content: values gt.jsonl lists as acceptable count right
            truth = _accept_alternatives(truth, data)
        for group, key in keys.items():
            scores = groups[group][key].add(truth, data, n_lines)
        if verbose:
            bad = [k for k, v in scores.items() if v < 1]
            if bad:
                print(f"  {kind} {path.name} {truth['layout']}: {', '.join(bad)}")
                print("\n".join(miss_lines(truth, data, bad)))
    print(f"{kind}: {len(files)} read and extracted in {time.monotonic() - started:.1f} s")
    return groups


def report(
    kind: str, groups: dict[str, dict[str, Score]], options: Sequence[str] = OPTIONS
) -> dict[str, Any]:
    """Print one kind's tables; returns its figures for the JSON results."""
    overall = groups["all"]["all"].figures()
    headers = ["", "docs", *(SHORT[k] for k in SHOWN)]

    def rows(named: dict[str, dict[str, float]]) -> list[list[Any]]:
        """Table rows: a name, its document count, then one accuracy per field."""
        return [[n, int(f.get("docs", 0)), *(f.get(k) for k in SHOWN)] for n, f in named.items()]

    print(
        f"\n== {kind}: {overall['docs']} documents, {overall['rejected']} rejected, "
        f"{overall['blocked']} would be quarantined by validation"
    )
    out: dict[str, Any] = {"overall": overall}
    print(table(rows({"all documents": overall}), headers))
    for group in ("language", *options):
        figures = {k: s.figures() for k, s in sorted(groups[group].items())}
        out[f"by_{group}"] = figures
        print(f"\n  per {group}")
        print(table(rows(figures), headers))
    layouts = {k: s.figures() for k, s in sorted(groups["layout"].items())}
    out["by_layout"] = layouts
    worst = sorted(layouts.items(), key=lambda kv: kv[1].get("all_six", 1.0))[:8]
    print("\n  the layouts with the fewest documents all six right")
    print(table(rows(dict(worst)), headers))
    return out


def plot(results: dict[str, Any], path: Path, title: str = "randomized layouts") -> Path:
    """One bar chart: per field, the accuracy of each kind of document side by side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinds = list(results)
    fig, ax = plt.subplots(figsize=(12, 4.8))
    width = 0.8 / max(1, len(kinds))
    for i, kind in enumerate(kinds):
        overall = results[kind]["overall"]
        values = [overall.get(f, float("nan")) for f in SHOWN]
        xs = [j + i * width for j in range(len(SHOWN))]
        ax.bar(xs, values, width, label=f"{kind} ({int(overall['docs'])} docs)")
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(SHOWN))])
    ax.set_xticklabels([SHORT[f] for f in SHOWN], rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("accuracy")
    ax.set_title(f"extraction on {title}")
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def layouts_parser(doc: str | None, drawn: str, k: int, scans: int) -> argparse.ArgumentParser:
    """The options of a bench over drawn layouts (`drawn` names them in the help)."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=60, help=drawn)
    parser.add_argument("--k", type=int, default=k, help="text PDFs per layout")
    parser.add_argument("--scans", type=int, default=scans, help="scans over the same layouts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", action="store_true", help="also draw the dev corpus content")
    parser.add_argument("--corpus-dir", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--corpus-layouts", type=int, default=2, help=f"{drawn} per e-invoice")
    parser.add_argument("--limit", type=int, default=None, help="first N corpus invoices only")
    parser.add_argument("--verbose", action="store_true", help="print each miss, truth vs got")
    return parser


def score_and_write(
    args: argparse.Namespace,
    names: list[str],
    plan: list[tuple[str, list[tuple[Path, dict]]]],
    cache_dir: Path,
    name: str,
    title: str,
    keys_of: Callable[[dict[str, Any]], dict[str, str]] = random_keys,
    options: Sequence[str] = OPTIONS,
) -> None:
    """Score every set of `plan`, print its tables, write `<name>` results and its plot."""
    cache = ReadCache(cache_dir / "read-cache")
    results = {
        kind: report(kind, score(kind, files, cache, args.verbose, keys_of), options)
        for kind, files in plan
    }
    path = write_results(
        name,
        {"args": {k: str(v) for k, v in vars(args).items()}, "layouts": names, "results": results},
    )
    print(f"\nresults: {path}")
    print(f"plot: {plot(results, RESULTS_DIR / f'{name}.png', title)}")


def main() -> int:
    """Run the benchmark; exit status 0 (figures are for reading, not a gate)."""
    args = layouts_parser(__doc__, "random layouts", k=5, scans=30).parse_args()
    names = random_layout_names(args.n, args.seed)
    print(f"{len(names)} randomized layouts (seed {args.seed}), {args.k} text PDFs each")
    plan = files_plan(args, names, generated, corpus_files)
    score_and_write(args, names, plan, CACHE, "random_layouts", "randomized layouts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
