"""Which invoices a drift report looks at, and reading them from the database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from facturas_assets.db.tables import invoice_lines, invoices
from facturas_assets.drift.features import INVOICE_COLUMNS, LINE_COLUMNS

# What the features need (drift.features), plus what the window and the report read.
INVOICE_FEATURE_COLUMNS = (*INVOICE_COLUMNS, "warnings", "issue_date", "loaded_at")
LINE_FEATURE_COLUMNS = (*LINE_COLUMNS, "line_no")


@dataclass(frozen=True)
class Window:
    """Invoices loaded in [start, end) (naive UTC, as the database keeps them)."""

    start: datetime
    end: datetime

    def describe(self) -> str:
        """'YYYY-MM-DD HH:MM → YYYY-MM-DD HH:MM' for people."""
        return f"{self.start:%Y-%m-%d %H:%M} → {self.end:%Y-%m-%d %H:%M} UTC"


def _parse(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)


def report_window(
    now: datetime,
    previous: Mapping[str, object] | None,
    *,
    days: int,
    max_days: int,
    since_last_report: bool = True,
) -> Window:
    """The window of the next report.

    It starts where the previous report ended, or where the previous report started when that
    one had too few invoices (so a quiet week accumulates into the next one); with no previous
    report, `days` before now. It never reaches back more than `max_days`.
    """
    if days < 1 or max_days < days:
        raise ValueError(f"need 1 <= days <= max_days, got days={days}, max_days={max_days}")
    start = now - timedelta(days=days)
    if since_last_report and previous:
        key = "window_start" if previous.get("verdict") == "insufficient_data" else "window_end"
        earlier = _parse(previous.get(key))
        if earlier is not None and earlier < now:
            start = earlier
    return Window(start=max(start, now - timedelta(days=max_days)), end=now)


def load_invoices(engine: Engine, window: Window) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Invoice rows loaded in the window and their line rows, as DataFrames."""
    in_window = sa.and_(invoices.c.loaded_at >= window.start, invoices.c.loaded_at < window.end)
    head_query = sa.select(*(invoices.c[c] for c in INVOICE_FEATURE_COLUMNS)).where(in_window)
    line_query = (
        sa.select(*(invoice_lines.c[c] for c in LINE_FEATURE_COLUMNS))
        .join(invoices, invoices.c.sha256 == invoice_lines.c.invoice_sha256)
        .where(in_window)
    )
    with engine.connect() as conn:
        heads = pd.DataFrame(
            conn.execute(head_query).mappings().all(), columns=INVOICE_FEATURE_COLUMNS
        )
        lines = pd.DataFrame(
            conn.execute(line_query).mappings().all(), columns=LINE_FEATURE_COLUMNS
        )
    return heads, lines
