"""Bounded cost per document: time and peak memory against description length, page count, and
a huge transparent page read in one pass (as before) or in strips (as now).

Each measurement runs in a fresh process: its peak RSS (ru_maxrss) less the RSS it had once its
inputs were built is what the measured step added. Descriptions are one OCR'd item row (one
word of N letters, or 8-letter words making N letters) extracted with a reading memory that
stored the same description read exactly; pages are text-layer PDFs read and extracted whole.

Usage: python bench/bench_bounds.py [--plot bench/results/bounds.png] [--no-huge]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from common import REPO, mib, table, write_results  # noqa: E402  (puts the repository on sys.path)

LETTERS = (100, 400, 1_000, 10_000, 100_000)
PAGES = (1, 5, 10, 20, 40)


def _rss() -> int:
    """This process's resident memory now, bytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def _peak() -> int:
    """This process's peak resident memory so far, bytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _description(kind: str, letters: int) -> dict[str, Any]:
    """Store a description of `letters` letters, then extract an OCR'd invoice holding it."""
    from facturas_assets.documents.extraction import extract_invoice
    from facturas_assets.documents.extraction.memory import ReadingMemory
    from facturas_assets.documents.model import ReadDocument
    from facturas_assets_tests.documents.test_extraction import Sheet
    from facturas_assets_tests.documents.test_extraction_ocr_slips import items_table
    from facturas_assets_tests.documents.test_vocabulary import KNOWN

    body = "a" * letters if kind == "one word" else " ".join(["tornilos"] * (letters // 8))
    description = f"Revisión {body}"
    sheet = Sheet()
    items_table(sheet, [(description, "1", "100,00", "100,00")])
    sheet.totals([("Base imponible", "100,00")], y=260)
    doc = ReadDocument("f.pdf", "0" * 64, "ocr", pages=sheet.pages)
    stored = [*KNOWN, description] * 3
    base = _rss()
    started = time.perf_counter()
    memory = ReadingMemory.from_rows(stored, [])
    built = time.perf_counter() - started
    extract_invoice(doc, memory)
    return {
        "seconds": time.perf_counter() - started,
        "memory_s": built,
        "peak_mb": mib(_peak() - base),
    }


def _pages(pages: int) -> dict[str, Any]:
    """Read and extract a text-layer invoice of `pages` pages."""
    from facturas_assets.documents.extraction import extract_invoice
    from facturas_assets.documents.reader import read_document
    from facturas_assets_tests.documents.test_reading import invoice_pdf

    pdf = invoice_pdf(pages=pages, lines=20)
    base = _rss()
    started = time.perf_counter()
    extract_invoice(read_document(pdf, "f.pdf", max_pages=pages))
    return {"seconds": time.perf_counter() - started, "peak_mb": mib(_peak() - base)}


def _one_pass_gray(path: str) -> None:
    """The page made gray as reading did before strips: upright copy, RGBA copy, a white
    RGBA page, their composite, then gray, all at full size."""
    from PIL import Image, ImageOps

    with Image.open(path) as img:
        rgba = ImageOps.exif_transpose(img).convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        Image.alpha_composite(white, rgba).convert("L").reduce(3)


def _huge(path: str, how: str) -> dict[str, Any]:
    """Load the huge page in one pass or in strips, or OCR it whole in strips."""
    from facturas_assets.documents.ocr import OcrTask, ocr_task
    from facturas_assets.documents.render import load_image_page

    base = _rss()
    started = time.perf_counter()
    if how == "one pass (before)":
        _one_pass_gray(path)
    elif how == "strips (now)":
        load_image_page(Path(path).read_bytes())
    else:
        ocr_task(OcrTask("image", path, 0))
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": mib(_peak()),
        "added_mb": mib(_peak() - base),
    }


def _fresh(fn: Any, *args: Any) -> dict[str, Any]:
    """fn(*args) in a new process (spawned: nothing inherited), its result."""
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx, max_tasks_per_child=1) as pool:
        return pool.submit(fn, *args).result()


def _plot(path: Path, descriptions: list[list[Any]], pages: list[list[Any]]) -> None:
    """Time against size on log-log axes, with the linear slope for reference."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for kind in ("one word", "8-letter words"):
        rows = [r for r in descriptions if r[0] == kind]
        left.loglog([r[1] for r in rows], [r[2] for r in rows], "o-", label=kind)
    xs = [LETTERS[0], LETTERS[-1]]
    first = descriptions[0][2]
    left.loglog(xs, [first, first * xs[1] / xs[0]], "k:", label="linear")
    left.set(xlabel="letters in the description", ylabel="seconds", title="description length")
    left.legend()
    right.plot([r[0] for r in pages], [r[1] for r in pages], "o-", label="seconds")
    right.set(xlabel="pages", ylabel="seconds", title="text-layer pages read and extracted")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)


def main() -> None:
    """Run every measurement and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plot", type=Path, help="also write a PNG plot here")
    parser.add_argument("--no-huge", action="store_true", help="skip the 196 MP page")
    args = parser.parse_args()

    descriptions = []
    for kind in ("one word", "8-letter words"):
        for letters in LETTERS:
            out = _fresh(_description, kind, letters)
            descriptions.append([kind, letters, out["seconds"], out["memory_s"], out["peak_mb"]])
    print(
        table(
            descriptions,
            ["description", "letters", "seconds", "of which memory", "peak MB added"],
        )
    )
    pages = []
    for n in PAGES:
        out = _fresh(_pages, n)
        pages.append([n, out["seconds"], out["seconds"] / n, out["peak_mb"]])
    print()
    print(table(pages, ["pages", "seconds", "seconds/page", "peak MB added"]))
    huge = []
    if not args.no_huge:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "huge-rgba.png"
            module = "facturas_assets_tests.documents.huge_images"
            subprocess.run([sys.executable, "-m", module, str(path)], cwd=REPO, check=True)
            for how in ("one pass (before)", "strips (now)", "strips + OCR (now)"):
                out = _fresh(_huge, str(path), how)
                huge.append([how, out["seconds"], out["peak_mb"], out["added_mb"]])
        print()
        print(table(huge, ["196 MP RGBA PNG", "seconds", "peak RSS MB", "added MB"]))
    write_results("bounds", {"descriptions": descriptions, "pages": pages, "huge_png": huge})
    if args.plot:
        _plot(args.plot, descriptions, pages)
        print(f"\nplot: {args.plot}")


if __name__ == "__main__":
    main()
