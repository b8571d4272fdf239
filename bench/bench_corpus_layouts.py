"""Extraction on content nobody here wrote: the dev corpus drawn through the layouts, text and scans.

Every e-invoice of the development corpus (../shared/dev-corpus) is imported
(facturas_dev.synth.external) and drawn through several of the generator's layouts (seeded),
as text-layer PDFs and, for a capped, source-balanced sample, as scans. The corpus's 15 real PDFs
are also scored as text-only and scanned variants (its make_variants.py). Every file is read,
extracted and validated by the project's path (read_documents, extract_invoice, validate) with no
reading memory (each supplier is new), and scored against its truth: the six core fields, party
names and tax ids, documents with all six right, line count and exact lines. Figures are given
per source repository and macro-averaged over sources (a rule is judged on issuers it never
saw), per layout and per format. Files and OCR results are cached under bench/.cache.

Usage: python bench/bench_corpus_layouts.py [--layouts K] [--scans N] [--seed S] [--limit N]
       [--no-real] [--corpus DIR]
Writes bench/results/corpus_layouts-<time>.json and one bar plot per field
(bench/results/corpus_layouts-<field>.png).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from common import CACHE_DIR, REPO, RESULTS_DIR, table, write_results  # noqa: E402

from facturas_assets.documents.cache import ReadCache  # noqa: E402
from facturas_assets.documents.extraction import extract_invoice  # noqa: E402
from facturas_assets.documents.model import DocumentRejected, InvoiceData  # noqa: E402
from facturas_assets.documents.reader import read_documents  # noqa: E402
from facturas_assets.documents.validation import is_blocking, validate  # noqa: E402
from facturas_dev.accuracy import CORE_FIELDS, Tally  # noqa: E402
from facturas_dev.synth.external import (  # noqa: E402
    ExternalContent,
    choose_layouts,
    corpus_records,
    load_corpus,
    printed_amount,
    write_external,
)

CACHE = CACHE_DIR / "corpus-layouts"
DEFAULT_CORPUS = REPO.parent / "shared" / "dev-corpus"
PARTY = ("seller.name", "seller.tax_id", "buyer.name", "buyer.tax_id")
SHOWN = (*CORE_FIELDS, *PARTY, "all_six", "line_count", "lines", "line_numbers")
SCAN_RENDERINGS = ("scan-pdf", "scan-image")


class Score:
    """A Tally plus the per-document figures it does not keep (all six right, line count)."""

    def __init__(self) -> None:
        self.tally = Tally()
        self.docs = 0
        self.all_six = 0
        self.line_count = 0
        self.line_count_docs = 0
        self.blocked = 0
        self.rejected = 0

    def add(
        self, truth: dict[str, Any], data: InvoiceData, n_lines: int | None
    ) -> dict[str, float]:
        """Score one extracted document against its truth."""
        scores = self.tally.add(truth, data)
        self.docs += 1
        self.all_six += all(scores[f] == 1 for f in CORE_FIELDS)
        if n_lines is not None:
            self.line_count_docs += 1
            self.line_count += len(data.lines) == n_lines
        self.blocked += bool(is_blocking(data))
        return scores

    def figures(self) -> dict[str, float]:
        """Accuracy per shown field (0..1), plus counts."""
        acc = self.tally.accuracy()
        out = {name: acc[name] for name in SHOWN if name in acc}
        if self.docs:
            out["all_six"] = self.all_six / self.docs
        if self.line_count_docs:
            out["line_count"] = self.line_count / self.line_count_docs
        out.update(docs=self.docs, rejected=self.rejected, blocked=self.blocked)
        return out


# ------------------------------------------------------------------ the documents
def import_corpus(corpus: Path, limit: int | None) -> list[tuple[dict[str, Any], ExternalContent]]:
    """The first `limit` (all when None) corpus records with their content; a failure raises."""
    return list(islice(load_corpus(corpus), limit))


def render_all(
    items: list[tuple[dict[str, Any], ExternalContent]], k: int, scans: int, seed: int
) -> tuple[list[tuple[Path, dict[str, Any]]], list[tuple[Path, dict[str, Any]]]]:
    """Text PDFs of every content in k layouts and a source-balanced sample of scans (cached)."""
    folder = CACHE / f"seed{seed}-{_renderer_version()}"
    text, plan = [], []
    started = time.monotonic()
    for record, content in items:
        for layout in choose_layouts(content.id, k, seed):
            text.append(_cached(content, record, layout, folder / "text", "text-pdf", seed))
            plan.append((record, content, layout))
    print(f"{len(text)} text PDFs ready in {time.monotonic() - started:.1f} s ({folder / 'text'})")
    chosen = _balanced(plan, scans, seed)
    started = time.monotonic()
    scanned = [
        _cached(content, record, layout, folder / "scan", SCAN_RENDERINGS[i % 2], seed)
        for i, (record, content, layout) in enumerate(chosen)
    ]
    print(f"{len(scanned)} scans ready in {time.monotonic() - started:.1f} s ({folder / 'scan'})")
    return text, scanned


def _renderer_version() -> str:
    """A digest of the generator's sources: files drawn by an older renderer are not reused."""
    import facturas_dev.synth as synth

    digest = hashlib.sha256()
    for path in sorted(Path(synth.__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _cached(
    content: ExternalContent,
    record: dict[str, Any],
    layout: str,
    folder: Path,
    rendering: str,
    seed: int,
) -> tuple[Path, dict[str, Any]]:
    """One rendering written once; later runs take it from the cache."""
    stem = f"{content.id}--{layout}--{rendering}"
    truth_path = folder / f"{stem}.truth.json"
    if truth_path.exists():
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        return folder / truth["file"], _with_record(truth, record)
    item = write_external(content, layout, folder, rendering, seed)
    return item.path, _with_record(item.truth, record)


def _with_record(truth: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """The truth with the corpus keys the tables group by."""
    return {
        **truth,
        "repo": record["source"]["repo"],
        "format": record["format"],
        "alts": record.get("alts", {}),
    }


def _balanced(plan: list[tuple[dict, ExternalContent, str]], n: int, seed: int) -> list:
    """n (record, content, layout) picks, round-robin over sources so each source gets its share."""
    rng = random.Random(f"corpus-layouts-scans:{seed}")
    by_source: dict[str, list] = defaultdict(list)
    seen: set[str] = set()
    for record, content, layout in plan:
        if content.id not in seen:  # one layout per invoice: more invoices beat more layouts
            seen.add(content.id)
            by_source[record["source"]["repo"]].append((record, content, layout))
    queues = [rng.sample(v, len(v)) for _, v in sorted(by_source.items())]
    rng.shuffle(queues)
    out: list = []
    while len(out) < n and any(queues):
        for q in queues:
            if q and len(out) < n:
                out.append(q.pop())
    return out


def real_variants(
    corpus: Path, seed: int
) -> tuple[list[tuple[Path, dict]], list[tuple[Path, dict]]]:
    """The corpus PDFs' text-only and scanned variants (written once) with truths from gt.jsonl."""
    out = CACHE / "real-variants"
    if not (out / "done").exists():
        subprocess.run(
            [sys.executable, str(corpus / "make_variants.py"), str(out), "--corpus", str(corpus)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (out / "done").write_text("ok")
    records = {r["id"]: r for r in corpus_records(corpus) if r["kind"] == "pdf"}
    found: dict[str, list[tuple[Path, dict]]] = {"text": [], "scan": []}
    for kind in found:
        for path in sorted((out / kind).iterdir()):
            record = records.get(path.stem)
            if record is not None:
                found[kind].append((path, _gt_truth(record)))
    return found["text"], found["scan"]


def _gt_truth(record: dict[str, Any]) -> dict[str, Any]:
    """A gt.jsonl record in the truth shape (amounts with the cents a document prints)."""
    f = record["fields"]

    def amount(v: str | None) -> str | None:
        return None if v is None else format(printed_amount(Decimal(v)), "f")

    return {
        "invoice_number": f["invoice_number"],
        "issue_date": f["issue_date"],
        "currency": f["currency"],
        "net_total": amount(f["net_total"]),
        "tax_total": amount(f["tax_total"]),
        "total": amount(f["total"]),
        "seller": {"name": f["seller_name"], "tax_id": f["seller_tax_id"]},
        "buyer": {"name": f["buyer_name"], "tax_id": f["buyer_tax_id"]},
        "lines": [],  # the corpus states how many lines, not their text
        "n_lines": f["n_lines"],
        "layout": "original",
        "repo": record["source"]["repo"],
        "format": record["format"],
        "alts": record.get("alts", {}),
    }


# ------------------------------------------------------------------ scoring
def _accept_alternatives(truth: dict[str, Any], data: InvoiceData) -> dict[str, Any]:
    """The truth with an extracted value taken when gt.jsonl lists it as acceptable."""
    alts = truth.get("alts") or {}
    truth = {**truth, "seller": dict(truth["seller"]), "buyer": dict(truth["buyer"])}
    for key, values in alts.items():
        party, _, field = key.partition("_")
        if field in ("name", "tax_id") and party in ("seller", "buyer"):
            got = getattr(getattr(data, party), field)
            if got is not None and " ".join(got.split()) in values:
                truth[party][field] = got
        elif key in truth and getattr(data, key, None) in values:
            truth[key] = getattr(data, key)
    return truth


def score(
    kind: str, files: list[tuple[Path, dict[str, Any]]], cache: ReadCache, verbose: bool
) -> dict[str, dict[str, Score]]:
    """Read, extract, validate and score `files`, grouped overall, by source, layout and format."""
    groups: dict[str, dict[str, Score]] = {
        g: defaultdict(Score) for g in ("all", "repo", "layout", "format")
    }
    started = time.monotonic()
    results = read_documents(((str(p), p) for p, _ in files), cache=cache)
    for (path, truth), result in zip(files, results, strict=True):
        keys = {
            "all": "all",
            "repo": truth["repo"],
            "layout": truth["layout"],
            "format": truth["format"],
        }
        if isinstance(result, DocumentRejected):
            for group, key in keys.items():
                groups[group][key].rejected += 1
            if verbose:
                print(f"  {kind} {path.name}: rejected ({result.reason})")
            continue
        data = validate(extract_invoice(result))
        n_lines = truth.get("n_lines", len(truth.get("lines") or []) or None)
        adjusted = _accept_alternatives(truth, data)
        for group, key in keys.items():
            scores = groups[group][key].add(adjusted, data, n_lines)
        if verbose:
            bad = [k for k, v in scores.items() if v < 1]
            if bad:
                print(f"  {kind} {path.name}: {', '.join(bad)}")
    print(f"{kind}: {len(files)} read and extracted in {time.monotonic() - started:.1f} s")
    return groups


def macro(by_repo: dict[str, Score]) -> dict[str, float]:
    """Each field's accuracy averaged over sources (each source weighs the same)."""
    figures = [s.figures() for s in by_repo.values()]
    out = {}
    for name in SHOWN:
        values = [f[name] for f in figures if name in f]
        if values:
            out[name] = sum(values) / len(values)
    return out


# ------------------------------------------------------------------ report
SHORT = {
    "invoice_number": "number",
    "issue_date": "date",
    "currency": "cur",
    "net_total": "net",
    "tax_total": "tax",
    "total": "total",
    "seller.name": "s.name",
    "seller.tax_id": "s.id",
    "buyer.name": "b.name",
    "buyer.tax_id": "b.id",
    "all_six": "all6",
    "line_count": "n_lines",
    "lines": "lines",
    "line_numbers": "l.nums",
}


def rows(named: Iterable[tuple[str, dict[str, float]]]) -> list[list[Any]]:
    """Table rows: a name, its document count, then one accuracy per field."""
    return [[name, int(f.get("docs", 0)), *(f.get(k) for k in SHOWN)] for name, f in named]


def print_block(title: str, groups: dict[str, dict[str, Score]]) -> dict[str, Any]:
    """Print one kind's tables; returns its figures for the JSON results."""
    overall = groups["all"]["all"].figures()
    by_repo = {k: s.figures() for k, s in sorted(groups["repo"].items())}
    macro_avg = macro(groups["repo"])
    by_layout = {k: s.figures() for k, s in sorted(groups["layout"].items())}
    by_format = {k: s.figures() for k, s in sorted(groups["format"].items())}
    headers = ["", "docs", *(SHORT[k] for k in SHOWN)]
    print(
        f"\n== {title}: {overall['docs']} documents, {overall['rejected']} rejected, "
        f"{overall['blocked']} would be quarantined by validation"
    )
    print(
        table(
            rows(
                [
                    ("all documents", overall),
                    ("macro over sources", {**macro_avg, "docs": len(by_repo)}),
                ]
            ),
            headers,
        )
    )
    print(f"\n  per source ({len(by_repo)})")
    print(table(rows(by_repo.items()), headers))
    if len(by_layout) > 1:
        print("\n  per layout")
        print(table(rows(by_layout.items()), headers))
    print("\n  per e-invoice format of the content")
    print(table(rows(by_format.items()), headers))
    return {
        "overall": overall,
        "macro_over_sources": macro_avg,
        "by_source": by_repo,
        "by_layout": by_layout,
        "by_format": by_format,
    }


def plot(results: dict[str, Any]) -> list[Path]:
    """One bar chart per field: accuracy per source, each kind of document side by side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinds = [k for k in results if results[k]["by_source"]]
    repos = sorted({r for k in kinds for r in results[k]["by_source"]})
    paths = []
    for field in SHOWN:
        fig, ax = plt.subplots(figsize=(max(8, 0.35 * len(repos) + 3), 4.8))
        width = 0.8 / max(1, len(kinds))
        for i, kind in enumerate(kinds):
            values = [results[kind]["by_source"].get(r, {}).get(field, float("nan")) for r in repos]
            xs = [j + i * width for j in range(len(repos))]
            avg = results[kind]["macro_over_sources"].get(field)
            label = f"{kind} (macro {avg:.2f})" if avg is not None else kind
            ax.bar(xs, values, width, label=label)
        ax.set_xticks([j + 0.4 - width / 2 for j in range(len(repos))])
        ax.set_xticklabels(repos, rotation=75, ha="right", fontsize=7)
        ax.set_ylim(0, 1.05)
        ax.set_ylabel("accuracy")
        ax.set_title(f"{field}: per source repository")
        ax.legend(fontsize=7)
        fig.tight_layout()
        path = RESULTS_DIR / f"corpus_layouts-{field.replace('.', '_')}.png"
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=90)
        plt.close(fig)
        paths.append(path)
    return paths


def main() -> int:
    """Run the benchmark; exit status 0 (figures are for reading, not a gate)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--layouts", type=int, default=3, help="layouts per invoice (text PDFs)")
    parser.add_argument("--scans", type=int, default=60, help="scans to OCR (about 1 s a page)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help="first N corpus invoices only")
    parser.add_argument("--no-real", action="store_true", help="skip the 15 real PDFs' variants")
    parser.add_argument("--verbose", action="store_true", help="print each document's wrong fields")
    args = parser.parse_args()
    if not (args.corpus / "gt.jsonl").exists():
        print(f"no corpus at {args.corpus}: nothing to measure (skipped)")
        return 0
    items = import_corpus(args.corpus, args.limit)
    sources = len({r["source"]["repo"] for r, _ in items})
    print(
        f"{len(items)} corpus invoices imported from {sources} sources; "
        f"{args.layouts} layouts each, {args.scans} scans, seed {args.seed}"
    )
    text, scans = render_all(items, args.layouts, args.scans, args.seed)
    cache = ReadCache(CACHE / "read-cache")
    results: dict[str, Any] = {}
    plan = [("layouts-text", text), ("layouts-scan", scans)]
    if not args.no_real:
        real_text, real_scan = real_variants(args.corpus, args.seed)
        plan += [("real-pdf-text-only", real_text), ("real-pdf-scan", real_scan)]
    for kind, files in plan:
        if files:
            results[kind] = print_block(kind, score(kind, files, cache, args.verbose))
    path = write_results(
        "corpus_layouts",
        {
            "args": {k: str(v) for k, v in vars(args).items()},
            "invoices": len(items),
            "sources": sources,
            "results": results,
        },
    )
    print(f"\nresults: {path}")
    print("plots: " + ", ".join(p.name for p in plot(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
