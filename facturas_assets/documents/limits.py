"""The bounds every per-document step runs under, and the errors that say one was exceeded."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ResourceLimitExceeded(Exception):
    """A document needed more time or memory than one document may take (quarantined as
    `resource_limit`, the batch goes on)."""

    reason = "resource_limit"


@contextmanager
def document_deadline(seconds: float, what: str = "document") -> Iterator[None]:
    """Raise ResourceLimitExceeded in this block once `seconds` of wall time have passed.

    A SIGALRM timer, so it interrupts pure-Python loops of the calling thread. Signals reach
    the main thread only: elsewhere the block runs unbounded (callers there bound the work
    with a worker process instead).
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise ResourceLimitExceeded(f"{what} took longer than {seconds:g} s")

    previous_handler = signal.signal(signal.SIGALRM, expire)
    previous_delay, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:  # an enclosing deadline keeps running (less the time spent here)
            signal.setitimer(signal.ITIMER_REAL, previous_delay)
