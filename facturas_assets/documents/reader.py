"""Read any invoice file, cheapest way first: e-invoice XML, then the PDF text layer, then OCR."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import pypdfium2 as pdfium

from facturas_assets.documents import einvoice
from facturas_assets.documents.cache import ReadCache
from facturas_assets.documents.limits import (
    DocumentBounds,
    ResourceLimitExceeded,
    bounded,
)
from facturas_assets.documents.model import (
    DocumentRejected,
    InvoiceData,
    Page,
    ReadDocument,
    ReadMethod,
)
from facturas_assets.documents.ocr import (
    MIN_CONFIDENT_ALNUM,
    PAGE_TIMEOUT_S,
    OcrResult,
    OcrTask,
    confident_alnum,
    make_ocr_pool,
    ocr_task,
    stop_ocr_pool,
)
from facturas_assets.documents.render import count_image_frames
from facturas_assets.documents.sniff import (
    IMAGE_KINDS,
    FileKind,
    describe_other,
    extension_mismatch,
    sniff,
)
from facturas_assets.documents.textlayer import has_eof_marker, open_pdf, read_page_texts

log = logging.getLogger(__name__)

DEFAULT_MAX_PAGES = 10
# Documents in flight at once in a batch, per OCR worker: enough to keep every core busy while
# the main process reads text layers, few enough to bound memory.
INFLIGHT_PER_WORKER = 3

Progress = Callable[[int, ReadDocument | DocumentRejected], None]
_Result = TypeVar("_Result", ReadDocument, DocumentRejected)
# Rejections that depend on the machine's load, not on the file: never cached, read again.
_LOAD_DEPENDENT = {"ocr_timeout", ResourceLimitExceeded.reason}


@dataclass(slots=True)
class _Plan:
    """What reading found without OCR, and the pages still to OCR."""

    source: str
    sha256: str
    method: ReadMethod
    pages: dict[int, Page] = field(default_factory=dict)
    einvoice: InvoiceData | None = None
    ocr_tasks: list[OcrTask] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    bounds: DocumentBounds = field(default_factory=DocumentBounds)


def file_sha256(data: bytes) -> str:
    """Hex sha256 of a file's content (the key of the raw zone, the cache and every row)."""
    return hashlib.sha256(data).hexdigest()


def read_document(
    data: bytes | Path,
    source: str | None = None,
    *,
    cache: ReadCache | None = None,
    ocr_pool: Executor | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    page_timeout: float = PAGE_TIMEOUT_S,
    bounds: DocumentBounds | None = None,
) -> ReadDocument:
    """Read one file into words (or exact e-invoice fields); raises DocumentRejected on bad input.

    OCR runs in `ocr_pool` when given (pages spread over its workers), else in this process.
    Reading runs within `bounds` (time and memory; the settings of documents/limits.py by
    default): a document exceeding them is rejected as `resource_limit`.
    """
    raw, source, ship = _load(data, source)
    sha = file_sha256(raw)
    if cache is not None:
        hit = cache.get(sha, source)
        if isinstance(hit, DocumentRejected):
            raise hit
        if hit is not None:
            return hit
    try:
        plan = _bounded_plan(raw, ship, source, sha, max_pages, page_timeout, bounds)
        if ocr_pool is not None:
            wait = _wait_for_workers(plan)
            try:
                results = list(ocr_pool.map(ocr_task, plan.ocr_tasks, timeout=wait))
            except FutureTimeout:
                raise _overran(plan) from None
        else:  # one page after another here: the whole document within its time bound
            deadline = time.time() + plan.bounds.seconds
            results = [ocr_task(replace(task, deadline=deadline)) for task in plan.ocr_tasks]
        doc = _finish(plan, results)
    except DocumentRejected as rejected:
        if cache is not None and rejected.reason not in _LOAD_DEPENDENT:
            cache.put(sha, rejected)
        raise
    if cache is not None and not any(r.timed_out for r in results):
        cache.put(sha, doc)
    return doc


def read_documents(
    items: Iterable[tuple[str, bytes | Path]],
    *,
    workers: int | None = None,
    cache: ReadCache | None = None,
    progress: Progress | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    ocr_pool: Executor | None = None,
    page_timeout: float = PAGE_TIMEOUT_S,
    bounds: DocumentBounds | None = None,
) -> Iterator[ReadDocument | DocumentRejected]:
    """Read (source, file) pairs, yielding results in input order; rejections are yielded too.

    Cheap work (sniffing, e-invoices, text layers) happens here while OCR pages of several
    documents run in a process pool; at most INFLIGHT_PER_WORKER x workers documents are held in
    memory. Each yielded DocumentRejected carries `.source` and `.sha256` attributes. Each
    document is read within `bounds` (see read_document). When a worker dies, or is still busy
    well past its document's time bound, that document is rejected and (own pool only) the pool
    is replaced, the other documents' unfinished pages submitted again to the new one.
    """
    own_pool = ocr_pool is None
    pool: Executor | None = ocr_pool
    n_workers = workers or getattr(ocr_pool, "_max_workers", None) or _cpu_count()
    window: deque[tuple[_Plan | ReadDocument | DocumentRejected, list[Future]]] = deque()
    done = 0

    def emit(result: ReadDocument | DocumentRejected) -> ReadDocument | DocumentRejected:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, result)
        return result

    try:
        for source, data in items:
            item = _start(source, data, cache, max_pages, page_timeout, bounds)
            futures: list[Future] = []
            if isinstance(item, _Plan) and item.ocr_tasks:
                if pool is None:
                    pool = make_ocr_pool(n_workers)
                futures = [pool.submit(ocr_task, task) for task in item.ocr_tasks]
            window.append((item, futures))
            while len(window) > INFLIGHT_PER_WORKER * n_workers or (window and _ready(window[0])):
                result, broken = _complete(*window.popleft(), cache)
                if broken and own_pool and pool is not None:
                    pool = _replace(pool, n_workers, window)
                yield emit(result)
        while window:
            result, broken = _complete(*window.popleft(), cache)
            if broken and own_pool and pool is not None:
                pool = _replace(pool, n_workers, window)
            yield emit(result)
    except BaseException:
        # Interrupted (a terminated run) or abandoned: stop the OCR now, wait for no page.
        if own_pool and pool is not None:
            stop_ocr_pool(pool)
            pool = None
        raise
    finally:
        if own_pool and pool is not None:
            pool.shutdown(cancel_futures=True)


def _replace(
    pool: Executor,
    workers: int,
    window: deque[tuple[_Plan | ReadDocument | DocumentRejected, list[Future]]],
) -> Executor:
    """A fresh pool instead of one with a dead or hung worker; the pages of the documents in
    the window that had not finished are submitted to it again."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()  # a hung worker (C code past every deadline) would be waited on forever
    pool.shutdown(wait=False, cancel_futures=True)
    fresh = make_ocr_pool(workers)
    for n, (item, futures) in enumerate(window):
        if isinstance(item, _Plan):
            futures = [
                f if _finished(f) else fresh.submit(ocr_task, task)
                for f, task in zip(futures, item.ocr_tasks, strict=True)
            ]
            window[n] = (item, futures)
    return fresh


def _finished(future: Future) -> bool:
    """Whether a page's future holds its result (not cancelled, not failed with its pool)."""
    return future.done() and not future.cancelled() and future.exception() is None


def _cpu_count() -> int:
    """Cores available to this process."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _ready(entry: tuple[object, list[Future]]) -> bool:
    """Whether a window entry can be completed without waiting."""
    return all(f.done() for f in entry[1])


def _start(
    source: str,
    data: bytes | Path,
    cache: ReadCache | None,
    max_pages: int,
    page_timeout: float,
    bounds: DocumentBounds | None,
) -> _Plan | ReadDocument | DocumentRejected:
    """Everything up to OCR for one document: a finished result, a rejection, or a plan."""
    sha = None
    try:
        raw, source, ship = _load(data, source)
        sha = file_sha256(raw)
        if cache is not None:
            hit = cache.get(sha, source)
            if hit is not None:
                return _tag(hit, source, sha)
        plan = _bounded_plan(raw, ship, source, sha, max_pages, page_timeout, bounds)
        return plan if plan.ocr_tasks else _store(cache, _finish(plan, []), sha, source)
    except DocumentRejected as rejected:
        return _store(cache, rejected, sha, source) if sha else _tag(rejected, source, None)
    except OSError as exc:
        return _tag(DocumentRejected("unreadable_file", str(exc)), source, sha)
    except Exception as exc:  # one bad file never stops the batch; quarantined with the error
        log.exception("reading %s failed", source)
        return _tag(DocumentRejected("read_error", f"{type(exc).__name__}: {exc}"), source, sha)


def _complete(
    item: _Plan | ReadDocument | DocumentRejected, futures: list[Future], cache: ReadCache | None
) -> tuple[ReadDocument | DocumentRejected, bool]:
    """Wait for a document's OCR pages and finish it; (result, whether the pool broke)."""
    if not isinstance(item, _Plan):
        return item, False
    results: list[OcrResult] = []
    try:
        ends = time.monotonic() + _wait_for_workers(item)
        try:
            results = [f.result(timeout=max(0.0, ends - time.monotonic())) for f in futures]
        except FutureTimeout:
            return _tag(_overran(item), item.source, item.sha256), True
        doc = _finish(item, results)
        if any(r.timed_out for r in results):  # depends on load: read again next time
            return _tag(doc, item.source, item.sha256), False
        return _store(cache, doc, item.sha256, item.source), False
    except DocumentRejected as rejected:
        return _store(cache, rejected, item.sha256, item.source), False
    except BrokenProcessPool as exc:
        detail = f"an OCR worker died while reading it ({exc})"
        return _tag(DocumentRejected("read_error", detail), item.source, item.sha256), True
    except Exception as exc:
        log.exception("OCR of %s failed", item.source)
        detail = f"{type(exc).__name__}: {exc}"
        return _tag(DocumentRejected("read_error", detail), item.source, item.sha256), False


def _store(cache: ReadCache | None, result: _Result, sha: str, source: str) -> _Result:
    """Cache a content-determined result and return it tagged with its source."""
    load_dependent = isinstance(result, DocumentRejected) and result.reason in _LOAD_DEPENDENT
    if cache is not None and not load_dependent:
        cache.put(sha, result)
    return _tag(result, source, sha)


def _tag(result: _Result, source: str, sha: str | None) -> _Result:
    """Attach the source (and sha256) to a rejection so batch callers know which file it was."""
    if isinstance(result, DocumentRejected):
        result.source = source  # type: ignore[attr-defined]
        result.sha256 = sha  # type: ignore[attr-defined]
    return result


def _load(data: bytes | Path, source: str | None) -> tuple[bytes, str, bytes | str]:
    """(bytes, source name, what to ship to OCR workers: the path when there is one)."""
    if isinstance(data, bytes | bytearray):
        raw = bytes(data)
        return raw, source or f"sha256:{file_sha256(raw)}", raw
    path = Path(data)
    return path.read_bytes(), source or str(path), str(path.resolve())


def _bounded_plan(
    raw: bytes,
    ship: bytes | str,
    source: str,
    sha: str,
    max_pages: int,
    page_timeout: float,
    bounds: DocumentBounds | None,
) -> _Plan:
    """`_plan` within the document's bounds (it runs in this process: e-invoice parsing, the
    text layer), its OCR pages given the same bounds."""
    bounds = bounds or DocumentBounds()
    try:
        with bounded(bounds, f"reading {source}"):
            plan = _plan(raw, ship, source, sha, max_pages, page_timeout)
    except ResourceLimitExceeded as exc:
        raise DocumentRejected(exc.reason, str(exc)) from None
    plan.bounds = bounds
    plan.ocr_tasks = [
        replace(task, seconds=bounds.seconds, memory_bytes=bounds.memory_bytes)
        for task in plan.ocr_tasks
    ]
    return plan


def _wait_for_workers(plan: _Plan) -> float:
    """Seconds to wait for a document's OCR pages once the documents before it are done (its
    pages are then first in the pool's queue): past its time bound, the workers' own
    deadlines have had their chance; only a worker held in C code is still busy."""
    return plan.bounds.seconds + plan.bounds.worker_grace_seconds


def _overran(plan: _Plan) -> DocumentRejected:
    """The rejection of a document whose OCR workers did not finish in its time bound."""
    return DocumentRejected(
        ResourceLimitExceeded.reason,
        f"its OCR did not finish within the document's time bound ({plan.source})",
    )


def _plan(
    raw: bytes, ship: bytes | str, source: str, sha: str, max_pages: int, page_timeout: float
) -> _Plan:
    """Sniff the file and do every cheap step; list the pages that need OCR."""
    kind = sniff(raw)
    warnings = [w for w in [extension_mismatch(kind, source)] if w]
    if kind is FileKind.EMPTY:
        raise DocumentRejected("empty_file", "the file is empty (0 bytes)")
    if kind is FileKind.OTHER:
        raise DocumentRejected(
            "unsupported_type",
            f"{describe_other(raw)} is not an invoice format (PDF, PNG, JPEG, TIFF, XML)",
        )
    if kind is FileKind.XML:
        _, data = einvoice.parse_einvoice(raw)
        return _Plan(source, sha, "einvoice", einvoice=data, warnings=warnings)
    if kind is FileKind.PDF:
        tasks = _plan_pdf(raw, ship, source, sha, max_pages, warnings)
        for index, task in enumerate(tasks.ocr_tasks):
            tasks.ocr_tasks[index] = replace(task, timeout=page_timeout)
        return tasks
    if kind in IMAGE_KINDS:
        frames = count_image_frames(raw)
        if frames > max_pages:
            warnings.append(f"image has {frames} pages; read the first {max_pages}")
        count = min(frames, max_pages)
        tasks = [OcrTask("image", ship, i, timeout=page_timeout) for i in range(count)]
        return _Plan(source, sha, "ocr", ocr_tasks=tasks, warnings=warnings)
    raise DocumentRejected("unsupported_type", f"{kind.value} files are not read")


def _plan_pdf(
    raw: bytes, ship: bytes | str, source: str, sha: str, max_pages: int, warnings: list[str]
) -> _Plan:
    """Embedded e-invoice, else the text layer of each page, else OCR for the pages without."""
    if not has_eof_marker(raw):
        warnings.append("the PDF has no %%EOF marker (cut off?); read what pdfium could recover")
    doc = open_pdf(raw)
    try:
        n_pages = len(doc)
        if n_pages > max_pages:
            warnings.append(f"PDF has {n_pages} pages; read the first {max_pages}")
        invoice = _embedded_einvoice(doc, raw, warnings)
        try:
            texts = read_page_texts(doc, max_pages)
        except (ResourceLimitExceeded, MemoryError):
            raise  # the document's bounds, not a damaged file
        except Exception as exc:  # pdfium failing on a page: the file is damaged
            raise DocumentRejected("corrupt_pdf", f"a page cannot be read ({exc})") from None
    finally:
        doc.close()
    pages = {pt.page.number: pt.page for pt in texts}
    if invoice is not None:
        return _Plan(source, sha, "einvoice", pages=pages, einvoice=invoice, warnings=warnings)
    missing = [pt.page.number for pt in texts if not pt.usable]
    tasks = [OcrTask("pdf", ship, index) for index in missing]
    for index in missing:
        pages.pop(index)
    if missing and len(missing) < len(texts):
        listed = ", ".join(str(i + 1) for i in missing)
        warnings.append(f"pages without a text layer were OCR'd: {listed}")
    return _Plan(source, sha, "ocr" if missing else "text", pages, None, tasks, warnings)


def _embedded_einvoice(
    doc: pdfium.PdfDocument, raw: bytes, warnings: list[str]
) -> InvoiceData | None:
    """The Factur-X / ZUGFeRD invoice attached to the PDF, or None (unusable ones: a warning)."""
    found = einvoice.embedded_xml(doc, raw)
    if found is None:
        return None
    name, xml = found
    try:
        _, data = einvoice.parse_einvoice(xml)
    except DocumentRejected as exc:
        if exc.reason == "xml_forbidden_construct":
            raise  # a hostile attachment quarantines the file, it is not just ignored
        warnings.append(f"attached {name} ignored ({exc.reason}: {exc.detail})")
        return None
    return data


def _finish(plan: _Plan, results: list[OcrResult]) -> ReadDocument:
    """Merge OCR'd pages with the text-layer pages; reject when nothing legible was found."""
    pages = dict(plan.pages)
    warnings = list(plan.warnings)
    for result in results:
        if result.rejected is not None:
            raise DocumentRejected(*result.rejected)
        pages[result.page.number] = result.page
        warnings.extend(result.warnings)
    ordered = [pages[k] for k in sorted(pages)]
    if plan.method == "ocr":
        found = sum(confident_alnum(p.words) for p in ordered)
        if found < MIN_CONFIDENT_ALNUM and any(r.timed_out for r in results):
            raise DocumentRejected(
                "ocr_timeout", "OCR was stopped before it found any text (per-page time limit)"
            )
        if found < MIN_CONFIDENT_ALNUM:
            raise DocumentRejected(
                "no_text_found",
                f"OCR found only {found} confident letters/digits in {len(results)} page(s): "
                "not a legible document",
            )
    return ReadDocument(
        source=plan.source,
        sha256=plan.sha256,
        method=plan.method,
        pages=ordered,
        einvoice=plan.einvoice,
        warnings=warnings,
    )
