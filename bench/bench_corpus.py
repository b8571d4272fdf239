"""Reading accuracy on the development corpus of real public e-invoices, per format and source.

Reads every document of the corpus (`gt.jsonl`) through the project's reading path and compares
the six core fields, the parties' names and tax ids and the line count with the ground truth
(any of a field's `alts` is accepted). Prints per-format and per-source-repository tables (each
source is a set of issuers no rule was written for), fully-right documents, fallbacks to the
text layer, crashes and every failing field.

Variants: `einvoice` reads the files themselves (PDFs with their attachment, bare XML);
`text` / `scan` read the attachment-free and scanned PDFs `make_variants.py OUTDIR` wrote
(pass `--variants OUTDIR`), through extraction, for the corpus's PDFs, scoring the fields the
ground truth lists as printed on the pages (`info.visible`).

Usage: PYTHONPATH=. .venv/bin/python bench/bench_corpus.py [--corpus ../shared/dev-corpus]
       [--variant einvoice|text|scan] [--variants OUTDIR] [--quiet]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, table, write_results  # noqa: E402

from facturas_assets.documents.einvoice.truth import (  # noqa: E402
    ALL_FIELDS,
    CORE_FIELDS,
    PARTY_FIELDS,
    corpus_file,
    failing_fields,
    load_truth,
    truth_fields,
)
from facturas_assets.documents.extraction import extract_invoice  # noqa: E402
from facturas_assets.documents.model import DocumentRejected  # noqa: E402
from facturas_assets.documents.reader import read_document  # noqa: E402
from facturas_assets.documents.validation import is_blocking, validate  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "dev-corpus"


@dataclass(slots=True)
class Outcome:
    """What reading one document gave: status, the fields read, scored and wrong."""

    doc_id: str
    status: str  # "ok", "fallback" (an e-invoice read as text / OCR), "rejected", "crash"
    scored: tuple[str, ...]
    detail: str = ""
    got: dict[str, Any] = field(default_factory=dict)
    failing: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # validation's reasons to quarantine


@dataclass(slots=True)
class Group:
    """Scores of one group of documents (a format, a source, or everything)."""

    docs: int = 0
    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    scored: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    core_right_docs: int = 0
    all_right_docs: int = 0
    fallbacks: int = 0
    blocked: int = 0
    rejected: int = 0
    crashes: int = 0

    def add(self, outcome: Outcome) -> None:
        """Count one document's outcome."""
        self.docs += 1
        self.fallbacks += outcome.status == "fallback"
        self.blocked += bool(outcome.blocked)
        self.rejected += outcome.status == "rejected"
        self.crashes += outcome.status == "crash"
        for name in outcome.scored:
            self.scored[name] += 1
            self.right[name] += name not in outcome.failing
        self.core_right_docs += not any(f in outcome.failing for f in CORE_FIELDS)
        self.all_right_docs += not outcome.failing

    def share(self, *names: str) -> float | None:
        """Share of right values among the scored values of these fields (None: none scored)."""
        scored = sum(self.scored[n] for n in names)
        return sum(self.right[n] for n in names) / scored if scored else None

    def row(self, label: str) -> list[Any]:
        """One table row: counts, per-field shares, fully right documents."""
        return [
            label,
            self.docs,
            self.crashes,
            self.rejected,
            self.fallbacks,
            self.blocked,
            *(self.share(f) for f in CORE_FIELDS),
            self.share(*CORE_FIELDS),
            *(self.share(f) for f in PARTY_FIELDS),
            self.share("n_lines"),
            f"{self.core_right_docs}/{self.docs}",
            f"{self.all_right_docs}/{self.docs}",
        ]


HEADERS = [
    "group",
    "docs",
    "crash",
    "reject",
    "fallback",
    "quar.",
    "number",
    "date",
    "curr",
    "net",
    "tax",
    "total",
    "core",
    "s.name",
    "s.tax",
    "b.name",
    "b.tax",
    "lines",
    "core ok",
    "all ok",
]


def document_path(corpus: Path, truth: dict[str, Any], variant: str, variants: Path | None) -> Path:
    """The file of a document for a variant (the corpus file, or make_variants.py's output)."""
    if variant == "einvoice":
        return corpus_file(corpus, truth)
    if variants is None:
        raise SystemExit(f"--variant {variant} needs --variants OUTDIR (make_variants.py output)")
    folder = variants / variant
    found = sorted(folder.glob(f"{truth['id']}.*"))
    if not found:
        raise SystemExit(f"{folder} holds no file for {truth['id']}: run make_variants.py")
    return found[0]


def scored_fields(truth: dict[str, Any], variant: str) -> tuple[str, ...]:
    """Every field for e-invoices; for text and scans only those printed on the pages."""
    if variant == "einvoice":
        return ALL_FIELDS
    visible = set(truth["info"].get("visible") or ())
    return tuple(name for name in ALL_FIELDS if name in visible)


def read_one(path: Path, truth: dict[str, Any], variant: str) -> Outcome:
    """Read one file the way the pipeline does and score it against its ground truth."""
    doc_id, scored = truth["id"], scored_fields(truth, variant)
    try:
        doc = read_document(path)
        data = extract_invoice(doc)  # an e-invoice's fields as read, else extraction's
    except DocumentRejected as exc:
        return Outcome(doc_id, "rejected", scored, f"{exc.reason}: {exc.detail}", {}, list(scored))
    except Exception as exc:  # a crash is a result here: count it, show where
        where = traceback.extract_tb(exc.__traceback__)[-1]
        detail = f"{type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})"
        return Outcome(doc_id, "crash", scored, detail, {}, list(scored))
    fallback = variant == "einvoice" and doc.method != "einvoice"
    status, detail = ("fallback", "; ".join(doc.warnings)) if fallback else ("ok", "")
    failing = [f for f in failing_fields(data, truth) if f in scored]
    got = truth_fields(data)
    # What the pipeline would then do: quarantine when validation finds a blocking reason (a
    # validator's test file with totals that do not add up is rightly quarantined).
    blocked = is_blocking(validate(data))
    return Outcome(doc_id, status, scored, detail, got, failing, blocked)


def selected(rows: Iterable[dict[str, Any]], variant: str) -> list[dict[str, Any]]:
    """The documents a variant scores: all of them for einvoice, the PDFs for text / scan."""
    return [r for r in rows if variant == "einvoice" or r["kind"] == "pdf"]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the tables and write bench/results/corpus-<variant>-*.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--variant", choices=("einvoice", "text", "scan"), default="einvoice")
    parser.add_argument("--variants", type=Path, help="make_variants.py OUTDIR (text / scan)")
    parser.add_argument("--quiet", action="store_true", help="no per-document failure list")
    args = parser.parse_args(argv)

    rows = selected(load_truth(args.corpus), args.variant)
    overall, by_format, by_source = Group(), defaultdict(Group), defaultdict(Group)
    outcomes: list[tuple[dict[str, Any], Outcome]] = []
    started = time.monotonic()
    for truth in rows:
        outcome = read_one(
            document_path(args.corpus, truth, args.variant, args.variants), truth, args.variant
        )
        outcomes.append((truth, outcome))
        overall.add(outcome)
        by_format[f"{truth['kind']}/{truth['format']}"].add(outcome)
        by_source[truth["source"]["repo"]].add(outcome)
    seconds = time.monotonic() - started

    print(f"\n{args.variant}: {overall.docs} documents of {args.corpus} in {seconds:.1f} s\n")
    print("per format")
    fmt_rows = [by_format[k].row(k) for k in sorted(by_format)] + [overall.row("all")]
    print(table(fmt_rows, HEADERS))
    print("\nper source repository")
    print(table([by_source[k].row(k) for k in sorted(by_source)], HEADERS))
    # Every source weighs the same: a rule that fits one big repository does not lift this.
    sources = list(by_source.values())
    macro_core = sum(g.core_right_docs / g.docs for g in sources) / len(sources)
    macro_all = sum(g.all_right_docs / g.docs for g in sources) / len(sources)
    print(
        f"\nmean over {len(sources)} sources: core fully right {macro_core:.3f}, "
        f"all fields right {macro_all:.3f}"
    )
    print(
        f"documents: core fully right {overall.core_right_docs}/{overall.docs}, all fields right "
        f"{overall.all_right_docs}/{overall.docs}, fallbacks {overall.fallbacks}, "
        f"quarantined by validation {overall.blocked}, "
        f"rejected {overall.rejected}, crashes {overall.crashes}"
    )
    failures = [(t, o) for t, o in outcomes if o.failing or o.status != "ok"]
    if failures and not args.quiet:
        print("\nfailing documents")
        for truth, o in failures:
            print(f"- {o.doc_id} [{truth['format']}, {truth['source']['repo']}] {o.status}")
            if o.detail:
                print(f"    {o.detail[:300]}")
            for name in o.failing if o.status in ("ok", "fallback") else []:
                alts = truth.get("alts", {}).get(name)
                extra = f" (alts {alts})" if alts else ""
                print(f"    {name}: got {o.got[name]!r}, truth {truth['fields'][name]!r}{extra}")
    quarantined = {o.doc_id: o.blocked for _, o in outcomes if o.blocked}
    if quarantined and not args.quiet:
        print("\nquarantined by validation (read right; the document's own figures disagree)")
        for doc_id, reasons in quarantined.items():
            print(f"- {doc_id}: {'; '.join(reasons)}")
    path = write_results(
        f"corpus-{args.variant}",
        {
            "corpus": str(args.corpus),
            "variant": args.variant,
            "seconds": round(seconds, 2),
            "overall": overall.row("all"),
            "headers": HEADERS,
            "per_format": {k: by_format[k].row(k) for k in sorted(by_format)},
            "per_source": {k: by_source[k].row(k) for k in sorted(by_source)},
            "failures": {
                o.doc_id: {"status": o.status, "detail": o.detail, "failing": o.failing}
                for _, o in failures
            },
            "quarantined": quarantined,
        },
    )
    print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
