"""The bounds every per-document step runs under, and the errors that say one was exceeded.

The settings live here, in one place: reading (documents/reader.py, documents/ocr.py) takes
its bounds from `DocumentBounds`, whose defaults are the constants below; other per-document
steps (extraction around document_deadline) are meant to take theirs from here too.
"""

from __future__ import annotations

import os
import resource
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# Wall time one document's reading may take: its in-process step (e-invoice, text layer), and
# its OCR pages from when the pool reaches them (time queued behind other documents is not
# its own). Ten pages of OCR take about a minute on a busy core; a page Tesseract cannot
# finish is stopped after the per-page timeout (ocr.PAGE_TIMEOUT_S) already.
DOCUMENT_SECONDS = 600.0
# Memory one document's step may add to its process (address space): an ETL task has 8 GB
# for its main process and two OCR workers. A page within the OCR pixel budget needs a few
# hundred MB; the largest accepted image (200 MP, 4 channels) decodes to 800 MB.
DOCUMENT_MEMORY_BYTES = 2 * 1024**3
# How long past a document's time bound its caller waits for its OCR workers before giving
# them up (killing them): a worker's own deadline fires first unless C code (a renderer)
# holds it.
WORKER_GRACE_SECONDS = 30.0
_REFIRE_S = 0.01  # an expired enclosing deadline fires again this long after an inner one ends


@dataclass(frozen=True, slots=True)
class DocumentBounds:
    """Time and memory one document may take (defaults: the settings above)."""

    seconds: float = DOCUMENT_SECONDS
    memory_bytes: int = DOCUMENT_MEMORY_BYTES
    worker_grace_seconds: float = WORKER_GRACE_SECONDS


class ResourceLimitExceeded(Exception):
    """A document needed more time or memory than one document may take (quarantined as
    `resource_limit`, the batch goes on)."""

    reason = "resource_limit"


@contextmanager
def document_deadline(seconds: float, what: str = "document") -> Iterator[None]:
    """Raise ResourceLimitExceeded in this block once `seconds` of wall time have passed.

    A SIGALRM timer, so it interrupts pure-Python loops of the calling thread (C code is
    interrupted when it returns). Nested deadlines each keep their own time: the earlier one
    fires, with its own message, and leaving a block restores the enclosing one's handler and
    its remaining time. Signals reach the main thread only, and `signal.signal` may not be
    called elsewhere: off the main thread the block runs unbounded (callers there bound the
    work with a worker process instead).
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    started = time.monotonic()
    previous_handler = signal.getsignal(signal.SIGALRM)
    previous_delay, _ = signal.getitimer(signal.ITIMER_REAL)
    enclosing_first = 0 < previous_delay < seconds

    def expire(signum: int, frame: object) -> None:
        if enclosing_first and callable(previous_handler):
            previous_handler(signum, frame)  # the enclosing deadline's time is up, not ours
        raise ResourceLimitExceeded(f"{what} took longer than {seconds:g} s")

    signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, previous_delay if enclosing_first else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:
            # The enclosing deadline goes on with what is left of it. One that expired in here
            # fires again just after this block is left (its own block is over time even if
            # the exception was caught in here), not while this exit is still unwinding.
            left = previous_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, _REFIRE_S))


def address_space() -> int:
    """Bytes of address space this process holds now (its virtual size)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def memory_bound(extra_bytes: int, what: str = "document") -> Iterator[None]:
    """Let this block grow the process's address space by `extra_bytes` at most.

    An RLIMIT_AS soft limit of the current size plus `extra_bytes`: an allocation beyond it
    fails (MemoryError in Python, numpy and Pillow), turned here into ResourceLimitExceeded,
    instead of the kernel killing the whole process. The limit is the process's, so it is meant
    for worker processes and short steps of the caller; child processes started in the block
    (Tesseract) inherit it. The previous limit is restored on leaving. Only the main thread
    sets it (as only it gets the deadline's signal): two threads setting and restoring one
    process-wide limit could leave it set for good. Elsewhere, and without /proc (not Linux),
    the block runs unbounded.
    """
    main = threading.current_thread() is threading.main_thread()
    if extra_bytes <= 0 or not main or not os.path.exists("/proc/self/statm"):
        yield
        return
    previous = resource.getrlimit(resource.RLIMIT_AS)
    soft, hard = previous
    limit = address_space() + extra_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY:
        limit = min(limit, soft)  # an enclosing bound stays in force
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    except MemoryError:
        raise ResourceLimitExceeded(
            f"{what} needed more than {extra_bytes / 1024**2:,.0f} MB of memory"
        ) from None
    finally:
        resource.setrlimit(resource.RLIMIT_AS, previous)


@contextmanager
def bounded(bounds: DocumentBounds, what: str = "document") -> Iterator[None]:
    """Both bounds of one document's step: its deadline and its memory."""
    with memory_bound(bounds.memory_bytes, what), document_deadline(bounds.seconds, what):
        yield
