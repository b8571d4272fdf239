"""Tesseract OCR of page images into positioned words, one process per core."""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pytesseract
from PIL import Image

from facturas_assets.documents.limits import (
    DOCUMENT_MEMORY_BYTES,
    DOCUMENT_SECONDS,
    ResourceLimitExceeded,
    document_deadline,
    memory_bound,
)
from facturas_assets.documents.model import DocumentRejected, Page, Word
from facturas_assets.documents.ocr_doubled import reread_doubled
from facturas_assets.documents.ocr_garbled import reread_garbled
from facturas_assets.documents.ocr_recovery import recover_unread, recovery_enabled
from facturas_assets.documents.render import (
    RENDER_DPI,
    PageImage,
    deskew,
    flatten_background,
    invert_dark_regions,
    is_blank,
    load_image_page,
    remove_rules,
    render_pdf_page,
)

OCR_LANG = "spa+eng"
# psm 6 (one uniform block) rather than psm 3 (automatic segmentation): psm 3 drops whole
# table columns of invoices (amount recall on generated pages: psm 3 80 %, psm 4 92 %, psm 6
# 94 %, psm 11 94 % but slower); the lines are rebuilt from word boxes anyway. oem 1: LSTM only.
# Inverted-text detection is off: invoices are dark on light, and it costs a second pass.
# psm 6 takes the page for one block of one text size and drops lines set much larger than its
# body: a title "FACTURA 2024-3986", a boxed invoice number. Two of its row filters do it: a
# blob over 1.3 x the block's line size is left out of the rows (textord_excess_blobsize; 2.0
# keeps type up to about twice the body, 1.7-3.0 read the same), and a row with no blob of the
# body's x-height ("2025-1836": digits and capitals only) is rejected as noise
# (textord_noise_sncount=0 turns that test off; rows of specks are still rejected by their dot
# count). No second pass: same run, same speed. Scans of HTML templates, all six core fields,
# seed 61 0.825 -> 0.875, seed 71 0.675 -> 0.750 (number 0.775 -> 0.875).
TESSERACT_CONFIG = (
    "--oem 1 --psm 6 -c tessedit_do_invert=0 -c textord_excess_blobsize=2.0"
    " -c textord_noise_sncount=0"
)
PAGE_TIMEOUT_S = 120  # a page Tesseract cannot finish in this time is given up, not waited on
# A page with fewer confident letters/digits than this is retried upright (rotated scans).
MIN_CONFIDENT_ALNUM = 20
CONFIDENT = 0.6
# Upright invoice text averages > 0.85; a sideways page read as text averages ~0.6.
MIN_MEAN_CONFIDENCE = 0.72
# A page's Python deadline fires this long after Tesseract's own timeout at the document's
# deadline: Tesseract is stopped (and killed) by pytesseract first, never orphaned mid-run.
_TESSERACT_FIRST_S = 1.0
# The recovery pass is skipped with less time than this left: it must not make a page late.
RECOVERY_MIN_S = 5.0


@dataclass(frozen=True, slots=True)
class OcrTask:
    """One page to OCR: a PDF page to render, or a frame of a raster image (picklable)."""

    kind: str  # "pdf" | "image"
    data: bytes | str  # the file's bytes, or a path to it (cheaper to ship to a worker)
    index: int
    dpi: int = RENDER_DPI
    lang: str = OCR_LANG
    timeout: float = PAGE_TIMEOUT_S
    # The document's time bound, counted from when this page starts (time queued in a pool is
    # not the document's own), and, when its pages are read one after another in the caller,
    # the time.time() by which the whole document must be read.
    seconds: float = DOCUMENT_SECONDS
    deadline: float | None = None
    memory_bytes: int = DOCUMENT_MEMORY_BYTES  # what reading the page may add to the worker


@dataclass(slots=True)
class OcrResult:
    """Words of one OCR'd page, notes about it, and how many Tesseract runs it took."""

    page: Page
    warnings: list[str] = field(default_factory=list)
    tesseract_runs: int = 0
    rejected: tuple[str, str] | None = None  # (reason, detail) when the page cannot be read
    timed_out: bool = False  # Tesseract was stopped: the result depends on load, not content


def _limit_threads() -> None:
    """Tesseract's OpenMP threads fight the process pool for cores: one thread per process."""
    os.environ["OMP_THREAD_LIMIT"] = "1"


def make_ocr_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """A pool of OCR worker processes (one per core by default), each with OMP_THREAD_LIMIT=1."""
    methods = multiprocessing.get_all_start_methods()
    # forkserver: no fork of a threaded parent (Dagster, gRPC), cheaper than spawn per worker.
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    return ProcessPoolExecutor(
        max_workers=workers or os.cpu_count() or 1, mp_context=ctx, initializer=_limit_threads
    )


def stop_ocr_pool(pool: ProcessPoolExecutor) -> None:
    """Shut a pool down at once: queued pages dropped, workers stopped mid-page (a run was stopped)."""
    # Python 3.14 has ProcessPoolExecutor.terminate_workers(); before it, only _processes.
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.terminate()


def ocr_task(task: OcrTask) -> OcrResult:
    """Render or load one page and OCR it within its document's time and memory bounds (runs in
    a pool worker, or inline); a bound exceeded is a `resource_limit` rejection."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    what = f"page {task.index + 1}"
    deadline = time.time() + task.seconds
    if task.deadline is not None:
        deadline = min(deadline, task.deadline)
    try:
        left = deadline - time.time()
        if left <= 0:
            raise ResourceLimitExceeded(f"the document's time was used up before {what}")
        with (
            memory_bound(task.memory_bytes, what),
            document_deadline(left + _TESSERACT_FIRST_S, what),
        ):
            result = _read_page(task, deadline)
    except ResourceLimitExceeded as exc:
        return _over_bound(task, exc, deadline, what)
    if result.timed_out and time.time() >= deadline:
        # Tesseract was stopped by the document's deadline, not the page's own timeout.
        return _over_bound(task, None, deadline, what)
    return result


def _over_bound(
    task: OcrTask, exc: ResourceLimitExceeded | None, deadline: float, what: str
) -> OcrResult:
    """The `resource_limit` result of a page that exceeded its document's bounds."""
    empty = Page(number=task.index, width=0.0, height=0.0)
    if exc is None or time.time() >= deadline:
        detail = f"the document took longer than its time bound (while reading {what})"
    else:
        detail = str(exc)
    return OcrResult(page=empty, rejected=(ResourceLimitExceeded.reason, detail))


def _read_page(task: OcrTask, deadline: float) -> OcrResult:
    """Render or load one page and OCR it, Tesseract stopping at `deadline` at the latest."""
    source = task.data if isinstance(task.data, bytes) else Path(task.data).read_bytes()
    try:
        if task.kind == "pdf":
            doc = pdfium.PdfDocument(source)
            try:
                image = render_pdf_page(doc, task.index, task.dpi)
            finally:
                doc.close()
        else:
            image = load_image_page(source, task.index)
    except DocumentRejected as exc:
        # Returned, not raised: DocumentRejected does not survive pickling across processes.
        empty = Page(number=task.index, width=0.0, height=0.0)
        return OcrResult(page=empty, rejected=(exc.reason, exc.detail))
    return ocr_page_image(image, lang=task.lang, timeout=task.timeout, deadline=deadline)


def ocr_page_image(
    page_image: PageImage,
    lang: str = OCR_LANG,
    timeout: float = PAGE_TIMEOUT_S,
    deadline: float | None = None,
) -> OcrResult:
    """Words of a page image: deskewed, OCR'd, retried upright if it reads as nothing; each
    Tesseract run stops at `timeout` or at the document's `deadline` (time.time()), if sooner."""
    number = page_image.number
    notes = [page_image.note] if page_image.note else []
    image = page_image.image
    scale = page_image.points_per_pixel
    if is_blank(image):
        empty = Page(number=number, width=page_image.width_pt, height=page_image.height_pt)
        return OcrResult(page=empty, warnings=[*notes, f"page {number + 1} is blank"])
    image, angle = deskew(image)
    if angle:
        notes.append(f"page {number + 1} deskewed by {angle:.2f} degrees")
    image = remove_rules(flatten_background(invert_dark_regions(image, scale), scale), scale)
    words, runs, error = _tesseract_words(image, number, scale, lang, _time_left(timeout, deadline))
    if error is None and _reads_poorly(words):
        rotation = _osd_rotation(image, _time_left(timeout, deadline))
        runs += 1
        if rotation:
            upright = image.rotate(-rotation, expand=True)
            retry, more, retry_error = _tesseract_words(
                upright, number, scale, lang, _time_left(timeout, deadline)
            )
            runs += more
            better = not _reads_poorly(retry) or confident_alnum(retry) > confident_alnum(words)
            if retry_error is None and better:
                words, image = retry, upright
                notes.append(f"page {number + 1} was rotated {rotation} degrees")
    if error:
        notes.append(error)
    else:
        for mend in (reread_doubled, reread_garbled):
            words, more = _second_pass(mend, image, words, number, scale, lang, timeout, deadline)
            runs += more
    if error is None and recovery_enabled():
        words, more = _recover(image, words, number, scale, lang, timeout, deadline)
        runs += more
    page = Page(number=number, width=image.width * scale, height=image.height * scale, words=words)
    return OcrResult(page=page, warnings=notes, tesseract_runs=runs, timed_out=error is not None)


def _second_look(
    number: int, lang: str, timeout: float, deadline: float | None
) -> tuple[Callable[[Image.Image], list[Word] | None], Callable[[], int]] | None:
    """A reader of one strip image (one more Tesseract run) and a count of the runs it made;
    None when the document's deadline is too near for one more run."""
    left = timeout if deadline is None else min(timeout, deadline - time.time())
    if left < RECOVERY_MIN_S:
        return None
    runs = [0]

    def read(strip: Image.Image) -> list[Word] | None:
        runs[0] += 1
        found, _, error = _tesseract_words(strip, number, 1.0, lang, left)
        return None if error else found

    return read, lambda: runs[0]


def _recover(
    image: Image.Image,
    words: list[Word],
    number: int,
    scale: float,
    lang: str,
    timeout: float,
    deadline: float | None,
) -> tuple[list[Word], int]:
    """The page's words plus large text psm 6 left unread (ocr_recovery), and the runs it took;
    skipped when the document's deadline is too near for one more run."""
    # The first language only: Tesseract starts in about half the time with one model, and the
    # large text read here (titles, numbers) needs no second one.
    look = _second_look(number, lang.split("+")[0], timeout, deadline)
    if look is None:
        return words, 0
    read, runs = look
    dropped, added = recover_unread(image, words, scale, read)
    if not added:
        return words, runs()
    gone = {id(w) for w in dropped}
    return [w for w in words if id(w) not in gone] + added, runs()


def _second_pass(
    mend: Callable[[Image.Image, list[Word], float, Callable], list[Word]],
    image: Image.Image,
    words: list[Word],
    number: int,
    scale: float,
    lang: str,
    timeout: float,
    deadline: float | None,
) -> tuple[list[Word], int]:
    """The page's words as `mend` leaves them given one more Tesseract run over a strip (lines
    psm 6 read twice, ocr_doubled; rows it read as junk, ocr_garbled), and the runs it took;
    skipped when the document's deadline is too near for one more run."""
    look = _second_look(number, lang, timeout, deadline)
    if look is None:
        return words, 0
    read, runs = look
    mended = mend(image, words, scale, read)
    return mended, runs()


def _time_left(timeout: float, deadline: float | None) -> float:
    """A Tesseract run's timeout: the page's own, or less when the document's deadline is near;
    none is started past the deadline (it would outlive the deadline's signal, orphaned)."""
    if deadline is None:
        return timeout
    left = deadline - time.time()
    if left <= 0:
        raise ResourceLimitExceeded("the document's time was used up before Tesseract ran")
    return min(timeout, left)


def _reads_poorly(words: list[Word]) -> bool:
    """Little confident text, low confidence or vertical lines: the page may be sideways."""
    if confident_alnum(words) < MIN_CONFIDENT_ALNUM:
        return True
    long_words = [w for w in words if len(w.text) >= 3]
    vertical = sum((w.y1 - w.y0) > (w.x1 - w.x0) for w in long_words)
    if vertical > len(long_words) / 2:  # Tesseract read rotated lines as vertical text
        return True
    weights = [len(w.text) for w in words]
    mean = sum(w.confidence * n for w, n in zip(words, weights, strict=True)) / sum(weights)
    return mean < MIN_MEAN_CONFIDENCE


def confident_alnum(words: list[Word]) -> int:
    """Letters and digits in words Tesseract is reasonably sure of."""
    return sum(sum(ch.isalnum() for ch in w.text) for w in words if w.confidence >= CONFIDENT)


def run_tesseract(path: str, lang: str, timeout: float) -> dict[str, list]:
    """Tesseract's TSV word table for an image file (pytesseract.image_to_data)."""
    return pytesseract.image_to_data(
        path,
        lang=lang,
        config=TESSERACT_CONFIG,
        output_type=pytesseract.Output.DICT,
        timeout=timeout,
    )


def _tesseract_words(
    image: Image.Image, number: int, scale: float, lang: str, timeout: float
) -> tuple[list[Word], int, str | None]:
    """(words in points, Tesseract runs, error note or None) for one image."""
    # An uncompressed PGM is written in milliseconds; pytesseract's default PNG takes ~10x longer.
    with tempfile.NamedTemporaryFile(suffix=".pgm", prefix="facturas-ocr-") as tmp:
        image.save(tmp.name, format="PPM")
        try:
            table = run_tesseract(tmp.name, lang, timeout)
        except RuntimeError as exc:  # pytesseract reports its timeout as a RuntimeError
            if "timeout" in str(exc).lower():
                return [], 1, f"page {number + 1}: OCR gave up after {timeout:.0f} s"
            raise
        # TesseractError (missing language data, broken install) propagates: it is a fault of
        # this machine, not of the document, and must not be cached as the document's result.
    words = []
    for i, text in enumerate(table["text"]):
        conf = float(table["conf"][i])
        text = text.strip()
        if not text or conf < 0:
            continue
        left, top = table["left"][i], table["top"][i]
        width, height = table["width"][i], table["height"][i]
        words.append(
            Word(
                text=text,
                x0=left * scale,
                y0=top * scale,
                x1=(left + width) * scale,
                y1=(top + height) * scale,
                page=number,
                confidence=round(conf / 100, 4),
            )
        )
    return words, 1, None


def _osd_rotation(image: Image.Image, timeout: float) -> int:
    """Clockwise rotation (0/90/180/270) Tesseract's OSD detects, 0 when unsure or failing."""
    with tempfile.NamedTemporaryFile(suffix=".pgm", prefix="facturas-osd-") as tmp:
        image.save(tmp.name, format="PPM")
        try:
            osd = pytesseract.image_to_osd(
                tmp.name, config="--psm 0", output_type=pytesseract.Output.DICT, timeout=timeout
            )
        except (pytesseract.TesseractError, RuntimeError):
            return 0  # "too few characters": not rotated text, just little of it
    if float(osd.get("orientation_conf", 0)) < 2.0:
        return 0
    return int(osd.get("rotate", 0)) % 360
