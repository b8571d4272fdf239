"""Config values that may be dg.EnvVar references, usable inside and outside Dagster runs."""

from __future__ import annotations

import dagster as dg


def resolved(value: str | None) -> str | None:
    """The value, with an EnvVar read from the environment (Dagster does it only inside runs)."""
    if isinstance(value, dg.EnvVar):
        return value.get_value() or None
    return value or None
