"""Extraction accuracy on generated invoices from held-out layouts, text PDFs and scans apart.

Generates (once, cached under bench/.cache/extraction) text-layer PDFs and scans from the
layouts held out of development, reads them (OCR results cached by sha256), extracts and
validates every document, and prints per-field accuracy against the ground truth plus the
extraction throughput. Usage: python bench/bench_extraction.py [--text N] [--scans N] [--seed S] [--layouts A,B]
[--no-memory]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from common import generated_set  # noqa: E402

from facturas_assets.documents.cache import ReadCache  # noqa: E402
from facturas_assets.documents.extraction import extract_invoice  # noqa: E402
from facturas_assets.documents.extraction.memory import ReadingMemory  # noqa: E402
from facturas_assets.documents.model import DocumentRejected, ReadDocument  # noqa: E402
from facturas_assets.documents.reader import read_documents  # noqa: E402
from facturas_assets.documents.validation import validate  # noqa: E402
from facturas_dev.accuracy import CORE_FIELDS, EXTRA_FIELDS, Tally  # noqa: E402
from facturas_dev.synth.layouts import HELD_OUT_LAYOUTS  # noqa: E402

CACHE = Path(__file__).resolve().parent / ".cache" / "extraction"
TARGETS = {"core_text": 0.99, "core_scan": 0.97, "tax_id": 0.98, "lines": 0.95}


def corpus(kind: str, n: int, seed: int, layouts: list[str]) -> list[Path]:
    """The generated files of one kind ('text' or 'scan'), generated on first use."""
    chosen = "" if layouts == list(HELD_OUT_LAYOUTS) else "-" + "+".join(layouts)
    folder = CACHE / f"{kind}-{n}-seed{seed}{chosen}"
    return generated_set(folder, kind, n, seed, layouts)


def run(
    kind: str, files: list[Path], cache: ReadCache, memory: ReadingMemory, repeat: int = 1
) -> tuple[Tally, float, int, int]:
    """Read, extract and validate `files`; returns the tally, extraction seconds (the best of
    `repeat` passes), docs, rejects.

    Exactly read documents teach `memory` their descriptions and parties; OCR'd ones are mended
    with it, as the pipeline does with the invoices already loaded."""
    tally = Tally()
    docs: list[tuple[ReadDocument, dict]] = []
    rejected = 0
    for result in read_documents(((str(p), p) for p in files), cache=cache):
        if isinstance(result, DocumentRejected):
            rejected += 1
            continue
        truth_path = Path(result.source).with_name(Path(result.source).stem + ".truth.json")
        docs.append((result, json.loads(truth_path.read_text(encoding="utf-8"))))
    start = time.perf_counter()
    extracted = [validate(extract_invoice(doc, memory)) for doc, _ in docs]
    seconds = time.perf_counter() - start
    for _ in range(repeat - 1):  # on a shared machine the best pass is the one to compare
        seconds = min(seconds, _cpu_seconds([doc for doc, _ in docs]))
    if len(memory.vocabulary) and any(doc.method == "ocr" for doc, _ in docs):
        _report_false_rewrites(memory, [truth for _, truth in docs])
    for (doc, truth), data in zip(docs, extracted, strict=True):
        scores = tally.add(truth, data)
        if os.environ.get("BENCH_VERBOSE"):
            bad = [k for k, v in scores.items() if v < 1]
            if bad:
                print(f"  {kind} {Path(doc.source).name} {truth['layout']}: {', '.join(bad)}")
    return tally, seconds, len(docs), rejected


def _cold_caches() -> None:
    """Empty the extraction's per-text caches, so that a repeated pass is timed as the first
    (a new batch's documents are new: only what one document repeats may hit)."""
    import facturas_assets.documents.extraction as extraction

    for name in list(sys.modules):
        if not name.startswith(extraction.__name__):
            continue
        for value in vars(sys.modules[name]).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def _cpu_seconds(docs: list[ReadDocument]) -> float:
    """CPU seconds of one more extract + validate pass, with a memory of its own and cold
    caches."""
    _cold_caches()
    memory = ReadingMemory()
    start = time.process_time()
    for doc in docs:
        validate(extract_invoice(doc, memory))
    return time.process_time() - start


def _report_false_rewrites(memory: ReadingMemory, truths: list[dict]) -> None:
    """The guard on mending: the true descriptions it would change (any is a false rewrite)."""
    true_descriptions = [
        ln["description"] for t in truths for ln in t["lines"] if ln["description"]
    ]
    rewritten = sum(memory.vocabulary.mend(d).text != d for d in true_descriptions)
    print(f"  mending rewrites {rewritten} of {len(true_descriptions)} true descriptions (want 0)")


def report(kind: str, tally: Tally, seconds: float, n: int, rejected: int) -> list[str]:
    """Print one block of figures; returns the targets missed."""
    acc = tally.accuracy()
    core_target = TARGETS["core_text"] if kind == "text" else TARGETS["core_scan"]
    missed = []
    print(f"\n{kind}: {n} documents read ({rejected} rejected)")
    for name in (*CORE_FIELDS, "seller.tax_id", "buyer.tax_id", "seller.name", "buyer.name"):
        target = (
            core_target if name in CORE_FIELDS else TARGETS["tax_id"] if "tax_id" in name else None
        )
        value = acc.get(name, 0.0)
        flag = "" if target is None else ("  ok" if value >= target else f"  BELOW {target:.0%}")
        if target is not None and value < target:
            missed.append(f"{kind} {name}")
        print(f"  {name:16} {value:7.2%}{flag}")
    lines = acc.get("lines", 0.0)
    ok = lines >= TARGETS["lines"]
    if not ok:
        missed.append(f"{kind} lines")
    print(
        f"  {'lines exact':16} {lines:7.2%}  ({tally.right_lines}/{tally.true_lines})"
        f"{'  ok' if ok else '  BELOW 95%'}"
    )
    numbers = acc.get("line_numbers", 0.0)
    print(
        f"  {'line numbers':16} {numbers:7.2%}  ({tally.right_numbers}/{tally.true_lines}: "
        "quantity, unit price and amount exact, description aside)"
    )
    for name in EXTRA_FIELDS:  # the Spanish invoice's extras, on the documents that state them
        if tally.counts[name]:
            right, count = int(tally.sums[name]), tally.counts[name]
            print(f"  {name + ' exact':16} {right / count:7.2%}  ({right}/{count})")
    rate = n / seconds if seconds else float("inf")
    print(f"  extraction       {rate:7.1f} docs/s (extract + validate, one core)")
    return missed


def main() -> int:
    """Run the benchmark; exit status 0 (figures are for reading, not a gate)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--text", type=int, default=300)
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20240315)
    parser.add_argument(
        "--layouts",
        default=",".join(HELD_OUT_LAYOUTS),
        help="comma-separated layouts to generate (default: the held-out ones)",
    )
    parser.add_argument(
        "--no-memory",
        action="store_true",
        help="scans read alone, not mended with what the text PDFs taught (new suppliers)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="extraction passes timed; the speed is the best (CPU seconds after the first)",
    )
    args = parser.parse_args()
    cache = ReadCache(CACHE / "read-cache")
    layouts = [name for name in args.layouts.split(",") if name]
    print(f"layouts: {', '.join(layouts)}")
    missed: list[str] = []
    memory = ReadingMemory()
    for kind, n in (("text", args.text), ("scan", args.scans)):
        if n <= 0:
            continue
        files = corpus(kind, n, args.seed, layouts)
        if kind == "scan" and args.no_memory:
            memory = ReadingMemory()
        elif kind == "scan":
            print(
                f"\nscans mended with what the text PDFs taught: {len(memory.vocabulary)} "
                f"description words, {len(memory.parties)} parties"
            )
        tally, seconds, docs, rejected = run(kind, files, cache, memory, args.repeat)
        missed += report(kind, tally, seconds, docs, rejected)
    print("\ntargets missed: " + (", ".join(missed) if missed else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
