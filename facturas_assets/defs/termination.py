"""A terminated run stops: its interrupted step fails for good instead of being retried.

Dagster turns an interrupt raised inside a step that has a RetryPolicy into a retry request
(op_execution_error_boundary in dagster/_core/execution/plan/utils.py). With the in-process
executor the run then starts the step again, so neither terminateRun nor SIGTERM stops it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import dagster as dg

P = ParamSpec("P")
R = TypeVar("R")


def stops_when_terminated(compute: Callable[P, R]) -> Callable[P, R]:
    """Wrap an asset's compute function: an interrupt fails the step without a retry."""

    @functools.wraps(compute)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return compute(*args, **kwargs)
        except (dg.DagsterExecutionInterruptedError, KeyboardInterrupt) as exc:
            # A run in CANCELING state with a failed step ends CANCELED; else it ends FAILURE.
            raise dg.Failure(
                description="interrupted (run terminated or its process signalled); not retried",
                allow_retries=False,
            ) from exc

    return guarded
