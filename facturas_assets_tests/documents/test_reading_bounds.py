"""Reading within each document's bounds: a page image's memory stays near its decoded size, and a
document past its time or memory bound is rejected as `resource_limit` (never cached)."""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

import facturas_assets
from facturas_assets.documents import render
from facturas_assets.documents.cache import ReadCache
from facturas_assets.documents.limits import DOCUMENT_MEMORY_BYTES, DocumentBounds
from facturas_assets.documents.model import DocumentRejected, ReadDocument
from facturas_assets.documents.ocr import make_ocr_pool
from facturas_assets.documents.reader import file_sha256, read_document, read_documents
from facturas_assets.documents.render import load_image_page
from facturas_assets_tests.documents.huge_images import CHANNELS, NUMBER, SIDE
from facturas_assets_tests.documents.test_reading import (
    invoice_pdf,
    png_bytes,
    render_png,
    text_of,
)

REPO = Path(facturas_assets.__file__).resolve().parents[1]
# What a worker holds besides the decoded page: the interpreter, numpy, scipy, pdfium, Pillow
# (~120 MB) and the OCR-sized page with its working copies. Alone it peaks near 1 GB; one run of
# the whole suite saw 1.5 GB (allocator behaviour), so the bound sits well above that and far
# below the 3.9 GB of the four full-size copies it guards against.
WORKER_OVERHEAD = 1024 * 1024**2

# The page in a fresh process, as an OCR worker reads it; prints its result and peak RSS.
# The peak is VmHWM, this process's own high-water mark: ru_maxrss survives exec and would count
# the RSS of the pytest process it was forked from.
_READ_IN_A_WORKER = """
import json, re, sys
from facturas_assets.documents.ocr import OcrTask, ocr_task
result = ocr_task(OcrTask("image", sys.argv[1], 0))
status = open("/proc/self/status").read()
print(json.dumps({
    "rejected": result.rejected,
    "words": [w.text for w in result.page.words],
    "peak_rss": int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) * 1024,
}))
"""


def _run(*args: str) -> str:
    """Run python with this checkout importable; its stdout."""
    env = {"PYTHONPATH": str(REPO), "OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture(scope="module")
def huge_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 14,000 x 14,000 RGBA page of huge_images.py, made once in a child process."""
    path = tmp_path_factory.mktemp("huge") / "huge-rgba.png"
    _run("-m", "facturas_assets_tests.documents.huge_images", str(path))
    return path


@pytest.fixture
def one_worker() -> Iterator[ProcessPoolExecutor]:
    """A caller's OCR pool of one worker (reading never stops or replaces a caller's pool)."""
    pool = make_ocr_pool(1)
    yield pool
    pool.shutdown()


def test_a_huge_rgba_png_is_read_with_memory_near_its_decoded_size(huge_png: Path) -> None:
    out = json.loads(_run("-c", _READ_IN_A_WORKER, str(huge_png)))
    assert out["rejected"] is None
    assert NUMBER in out["words"]
    decoded = SIDE * SIDE * CHANNELS  # 784 MB: the one full-size copy a PNG decoder makes
    assert out["peak_rss"] < decoded + WORKER_OVERHEAD  # was 3.9 GB: four RGBA copies
    assert out["peak_rss"] < DOCUMENT_MEMORY_BYTES


def test_a_page_past_the_memory_bound_is_rejected_and_the_batch_goes_on(
    huge_png: Path, tmp_path: Path
) -> None:
    cache = ReadCache(tmp_path / "cache")
    small = DocumentBounds(memory_bytes=300 * 1024**2)  # less than the page decodes to
    items = [("huge.png", huge_png), ("one.pdf", invoice_pdf(number="FAC-AFTER-1"))]
    huge, after = list(read_documents(items, workers=1, cache=cache, bounds=small))
    assert isinstance(huge, DocumentRejected)
    assert huge.reason == "resource_limit" and "memory" in huge.detail
    assert cache.get(file_sha256(huge_png.read_bytes()), "huge.png") is None
    assert isinstance(after, ReadDocument) and "FAC-AFTER-1" in text_of(after)


def test_a_scan_past_the_documents_time_bound_is_rejected_not_cached_and_read_later(
    tmp_path: Path, one_worker: ProcessPoolExecutor
) -> None:
    cache = ReadCache(tmp_path / "cache")
    scan = png_bytes(render_png(invoice_pdf(number="FAC-SLOW-2", lines=3)))
    hurried = DocumentBounds(seconds=0.2)  # far less than one page of OCR takes
    items = [("slow.png", scan), ("one.pdf", invoice_pdf(number="FAC-AFTER-2"))]
    slow, after = list(read_documents(items, cache=cache, ocr_pool=one_worker, bounds=hurried))
    assert isinstance(slow, DocumentRejected) and slow.reason == "resource_limit"
    assert "time bound" in slow.detail
    assert isinstance(after, ReadDocument) and "FAC-AFTER-2" in text_of(after)
    with pytest.raises(DocumentRejected) as inline:  # OCR in this process: the same bound
        read_document(scan, "slow.png", cache=cache, bounds=hurried)
    assert inline.value.reason == "resource_limit"
    assert cache.get(file_sha256(scan), "slow.png") is None
    assert "FAC-SLOW-2" in text_of(read_document(scan, "slow.png", cache=cache))


def test_a_text_layer_read_in_this_process_past_the_time_bound_is_rejected(
    tmp_path: Path,
) -> None:
    cache = ReadCache(tmp_path / "cache")
    pdf = invoice_pdf(pages=40)  # its text layer takes a few hundred ms to read
    with pytest.raises(DocumentRejected) as exc:
        read_document(pdf, "long.pdf", cache=cache, max_pages=40, bounds=DocumentBounds(0.01))
    assert exc.value.reason == "resource_limit"  # not taken for a damaged file
    assert cache.get(file_sha256(pdf), "long.pdf") is None
    assert read_document(pdf, "long.pdf", cache=cache, max_pages=40).method == "text"


def test_a_worker_busy_past_the_time_bound_is_stopped_and_the_rest_read_on_a_fresh_pool() -> None:
    scans = [png_bytes(render_png(invoice_pdf(number=f"FAC-HELD-{n}", lines=3))) for n in (1, 2)]
    # The caller waits 0.4 s, less than the worker's own deadline (0.3 s, plus a second for
    # Tesseract to be stopped first): the worker is still busy when the caller gives it up.
    impatient = DocumentBounds(seconds=0.3, worker_grace_seconds=0.1)
    items = [
        ("held-1.png", scans[0]),
        ("held-2.png", scans[1]),
        ("one.pdf", invoice_pdf(number="FAC-AFTER-3")),
    ]
    first, second, after = list(read_documents(items, workers=1, bounds=impatient))
    assert isinstance(first, DocumentRejected) and first.reason == "resource_limit"
    assert "did not finish" in first.detail
    # The second scan's pages were on the stopped pool: read again on the fresh one (and over
    # the same bound there), not lost as a broken pool's read error.
    assert isinstance(second, DocumentRejected) and second.reason == "resource_limit"
    assert isinstance(after, ReadDocument) and "FAC-AFTER-3" in text_of(after)


def test_strips_composite_and_shrink_a_transparent_page_as_one_pass_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A small budget and strip size stand in for a huge page: 3001 x 2003 px is reduced 2x,
    # in strips of 32 rows, with a last partial block on both axes.
    monkeypatch.setattr(render, "OCR_MAX_PIXELS", 1_000_000)
    monkeypatch.setattr(render, "STRIP_PIXELS", 100_000)
    rng = np.random.default_rng(7)
    rgba = Image.fromarray(rng.integers(0, 256, (2003, 3001, 4), dtype=np.uint8), "RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    expected = Image.alpha_composite(white, rgba).convert("L").reduce(2)
    factor = math.sqrt(1_000_000 / (expected.width * expected.height))  # the rest of the way
    expected = expected.resize(
        (int(expected.width * factor), int(expected.height * factor)), Image.LANCZOS
    )
    page = load_image_page(png_bytes(rgba, compress_level=1))
    assert page.image.size == expected.size
    assert np.array_equal(np.asarray(page.image), np.asarray(expected))


def test_a_photo_is_turned_upright_as_its_exif_orientation_says() -> None:
    photo = render_png(invoice_pdf(number="FAC-EXIF-1", lines=2), dpi=100).rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6  # stored on its side: display rotated 90 degrees clockwise
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=90, exif=exif.tobytes())
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(buf.getvalue()))).convert("L")
    page = load_image_page(buf.getvalue())
    assert page.image.size == expected.size and page.image.height > page.image.width
    assert np.array_equal(np.asarray(page.image), np.asarray(expected))
