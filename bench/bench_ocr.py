"""OCR throughput: bare Tesseract vs read_documents end to end, side by side; text-layer docs/s.

Usage: .venv/bin/python bench/bench_ocr.py [--scans 24] [--text-docs 150] [--workers N] [--repeat 1]
Generates scanned invoices (scan-pdf + scan-image) with the synthetic generator, pre-renders their
pages and times (a) bare Tesseract on those images, one process per core with OMP_THREAD_LIMIT=1,
and (b) read_documents (render + deskew + OCR + words) on the original files with the same core
count. Targets: (b) >= 80 % of (a); text-layer PDFs >= 30 documents/s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pypdfium2 as pdfium  # noqa: E402

from facturas_assets.documents.model import ReadDocument  # noqa: E402
from facturas_assets.documents.ocr import OCR_LANG, TESSERACT_CONFIG  # noqa: E402
from facturas_assets.documents.reader import read_documents  # noqa: E402
from facturas_assets.documents.render import load_image_page, render_pdf_page  # noqa: E402
from facturas_assets.documents.textlayer import read_text_layer  # noqa: E402
from facturas_dev.synth import generate  # noqa: E402

OCR_RATIO_TARGET = 0.80
TEXT_DOCS_PER_S_TARGET = 30.0


def _bare_tesseract(path: str) -> int:
    """One Tesseract CLI run producing TSV, the way a hand-written script would call it."""
    cmd = ["tesseract", path, "stdout", "-l", OCR_LANG, *TESSERACT_CONFIG.split(), "tsv"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    out = subprocess.run(cmd, env=env, capture_output=True, check=True)
    return len(out.stdout)


def prerender(files: list[Path], folder: Path) -> list[str]:
    """Every page of the files as a grayscale PGM, rendered as the reader renders them."""
    images = []
    for file in files:
        data = file.read_bytes()
        if file.suffix == ".pdf":
            doc = pdfium.PdfDocument(data)
            pages = [render_pdf_page(doc, i) for i in range(len(doc))]
            doc.close()
        else:
            from PIL import Image

            with Image.open(file) as img:
                frames = getattr(img, "n_frames", 1)
            pages = [load_image_page(data, i) for i in range(frames)]
        for page in pages:
            path = folder / f"{file.stem}-p{page.number}.pgm"
            page.image.save(path, format="PPM")
            images.append(str(path))
    return images


def time_bare(images: list[str], workers: int) -> float:
    """Seconds for bare Tesseract over all images on a pool of `workers` processes."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        started = time.perf_counter()
        list(pool.map(_bare_tesseract, images))
        return time.perf_counter() - started


def time_ours(files: list[Path], workers: int) -> tuple[float, int]:
    """Seconds and pages read for read_documents on the original files (no cache)."""
    started = time.perf_counter()
    pages = 0
    for result in read_documents([(f.name, f) for f in files], workers=workers):
        if not isinstance(result, ReadDocument):
            raise SystemExit(f"{result.source} was rejected: {result}")
        pages += len(result.pages)
    return time.perf_counter() - started, pages


def time_text_layer(files: list[Path]) -> tuple[float, float, int]:
    """(docs/s through read_documents, ms per document of read_text_layer alone, pages)."""
    datas = [(f.name, f.read_bytes()) for f in files]
    started = time.perf_counter()
    pages = 0
    for result in read_documents(datas, workers=1):
        assert isinstance(result, ReadDocument) and result.method in ("text", "einvoice")
        pages += len(result.pages)
    docs_per_s = len(files) / (time.perf_counter() - started)
    started = time.perf_counter()
    for _, data in datas:
        read_text_layer(data)
    ms_per_doc = (time.perf_counter() - started) / len(datas) * 1000
    return docs_per_s, ms_per_doc, pages


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=24, help="scanned invoices to OCR")
    parser.add_argument("--text-docs", type=int, default=150, help="text-layer PDFs to read")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=1, help="alternate bare/ours this often")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
        tmp_path = Path(tmp)
        scans = generate(
            args.scans, tmp_path / "scans", seed=args.seed, renderings=["scan-pdf", "scan-image"]
        )
        scan_files = [g.path for g in scans]
        images = prerender(scan_files, tmp_path)
        print(f"scans: {len(scan_files)} documents, {len(images)} pages, workers={args.workers}")
        bare_s, ours_s = [], []
        for _ in range(args.repeat):
            bare_s.append(time_bare(images, args.workers))
            seconds, pages = time_ours(scan_files, args.workers)
            assert pages == len(images), (pages, len(images))
            ours_s.append(seconds)
        bare_rate = len(images) / min(bare_s)
        ours_rate = len(images) / min(ours_s)
        ratio = ours_rate / bare_rate
        verdict = "OK" if ratio >= OCR_RATIO_TARGET else "BELOW TARGET"
        print(f"bare tesseract      : {bare_rate:6.2f} pages/s  (best of {args.repeat})")
        print(f"read_documents (OCR): {ours_rate:6.2f} pages/s  (render + deskew + OCR + words)")
        print(f"ratio               : {ratio:6.1%}  target >= {OCR_RATIO_TARGET:.0%}  {verdict}")

        texts = generate(args.text_docs, tmp_path / "text", seed=args.seed, renderings=["text-pdf"])
        docs_per_s, ms_per_doc, pages = time_text_layer([g.path for g in texts])
        verdict = "OK" if docs_per_s >= TEXT_DOCS_PER_S_TARGET else "BELOW TARGET"
        print(
            f"text layer          : {docs_per_s:6.1f} docs/s through read_documents "
            f"({len(texts)} docs, {pages} pages, one process); "
            f"read_text_layer {ms_per_doc:.1f} ms/doc; target >= {TEXT_DOCS_PER_S_TARGET:.0f} "
            f"{verdict}"
        )


if __name__ == "__main__":
    main()
