"""The per-document bounds: a wall-time deadline (nested, restored, main thread only) and a
memory bound that turns an allocation past it into ResourceLimitExceeded."""

from __future__ import annotations

import resource
import signal
import threading
import time

import numpy as np
import pytest

from facturas_assets.documents.limits import (
    ResourceLimitExceeded,
    document_deadline,
    memory_bound,
)


def _restored(before: tuple[float, float]) -> bool:
    """Whether the timer running before a block (pytest-timeout's, if any) runs again after it,
    less the time spent inside."""
    left, _ = signal.getitimer(signal.ITIMER_REAL)
    return 0 < left <= before[0] if before[0] else left == 0


def _spin(seconds: float) -> None:
    """A pure-Python loop (what SIGALRM interrupts), for at most `seconds`."""
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        pass


def test_a_loop_past_its_deadline_raises_and_the_timer_and_handler_are_restored() -> None:
    handler, timer = signal.getsignal(signal.SIGALRM), signal.getitimer(signal.ITIMER_REAL)
    limit = pytest.raises(ResourceLimitExceeded, match="spinning took longer than 0.2 s")
    with limit, document_deadline(0.2, "spinning"):
        _spin(10)
    assert signal.getsignal(signal.SIGALRM) is handler
    assert _restored(timer)


def test_a_block_within_its_deadline_runs_to_the_end() -> None:
    timer = signal.getitimer(signal.ITIMER_REAL)
    with document_deadline(5, "quick"):
        _spin(0.05)
    assert _restored(timer)


def test_a_nested_shorter_deadline_fires_with_its_own_message_and_the_outer_goes_on() -> None:
    timer = signal.getitimer(signal.ITIMER_REAL)
    with document_deadline(5, "outer"):
        with pytest.raises(ResourceLimitExceeded, match="inner"), document_deadline(0.1, "inner"):
            _spin(10)
        assert _restored((5.0, 0.0))  # the outer timer runs again, less the time spent inside
    assert _restored(timer)


def test_an_outer_deadline_shorter_than_a_nested_one_still_fires_in_time() -> None:
    started = time.monotonic()
    limit = pytest.raises(ResourceLimitExceeded, match="outer")
    with limit, document_deadline(0.2, "outer"), document_deadline(30, "inner"):
        _spin(10)
    assert time.monotonic() - started < 5  # not the inner 30 s, nor the 10 s loop


def test_an_outer_deadline_that_expired_in_a_caught_inner_block_fires_again_outside() -> None:
    with pytest.raises(ResourceLimitExceeded, match="outer"), document_deadline(0.2, "outer"):
        try:
            with document_deadline(30, "inner"):
                _spin(10)
        except ResourceLimitExceeded:
            pass  # e.g. a reader turning it into a rejection
        _spin(10)


def test_off_the_main_thread_the_deadline_is_a_no_op() -> None:
    outcome: list[str] = []

    def work() -> None:
        with document_deadline(0.05, "threaded"):
            _spin(0.2)
        outcome.append("finished")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == ["finished"]


def test_an_allocation_past_the_memory_bound_raises_and_the_limit_is_restored() -> None:
    before = resource.getrlimit(resource.RLIMIT_AS)
    limit = pytest.raises(ResourceLimitExceeded, match="needed more than 64 MB")
    with limit, memory_bound(64 * 1024**2, "allocating"):
        np.ones(512 * 1024**2, dtype=np.uint8)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    with memory_bound(256 * 1024**2):
        assert np.ones(16 * 1024**2, dtype=np.uint8).sum() == 16 * 1024**2


def test_off_the_main_thread_the_memory_bound_leaves_the_process_limit_alone() -> None:
    before = resource.getrlimit(resource.RLIMIT_AS)
    seen: list[tuple[int, int]] = []

    def work() -> None:
        with memory_bound(64 * 1024**2, "threaded"):
            seen.append(resource.getrlimit(resource.RLIMIT_AS))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [before]
