"""Review activity per ISO week: how many loaded invoices went to review, and what people corrected.

Part of the weekly drift report (its `review` section) and sent as CloudWatch metrics: a rising
review rate or a field corrected more and more often is drift the features may not show.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from facturas_assets.db.review import field_name
from facturas_assets.db.tables import invoices, review_corrections, review_queue
from facturas_assets.settings import METRIC_REVIEW_CORRECTIONS, METRIC_REVIEW_RATE


def iso_week(moment: datetime) -> str:
    """'2026-W49': the ISO week a moment falls in."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(slots=True)
class WeekActivity:
    """One ISO week: invoices loaded, how many were sent to review, reviews cleared, corrections."""

    week: str
    loaded: int = 0
    sent_to_review: int = 0
    reviewed: int = 0
    corrections: dict[str, int] = field(default_factory=dict)

    @property
    def review_rate(self) -> float | None:
        """Share of the week's loaded invoices sent to review (None when none was loaded)."""
        return self.sent_to_review / self.loaded if self.loaded else None

    def to_dict(self) -> dict[str, Any]:
        """The week as the report's JSON keeps it."""
        return {
            "week": self.week,
            "loaded": self.loaded,
            "sent_to_review": self.sent_to_review,
            "review_rate": self.review_rate,
            "reviewed": self.reviewed,
            "corrections": dict(sorted(self.corrections.items())),
        }


@dataclass(slots=True)
class ReviewActivity:
    """Review activity of the weeks a window touches, oldest first, and its totals."""

    weeks: list[WeekActivity]

    @property
    def loaded(self) -> int:
        """Invoices loaded in the window."""
        return sum(w.loaded for w in self.weeks)

    @property
    def sent_to_review(self) -> int:
        """Of them, sent to review."""
        return sum(w.sent_to_review for w in self.weeks)

    @property
    def review_rate(self) -> float | None:
        """Share of the window's loaded invoices sent to review."""
        return self.sent_to_review / self.loaded if self.loaded else None

    def corrections(self) -> dict[str, int]:
        """Corrections per field over the window."""
        total: Counter[str] = Counter()
        for week in self.weeks:
            total.update(week.corrections)
        return dict(sorted(total.items()))

    def to_dict(self) -> dict[str, Any]:
        """The report's `review` section."""
        return {
            "loaded": self.loaded,
            "sent_to_review": self.sent_to_review,
            "review_rate": self.review_rate,
            "corrections": self.corrections(),
            "weeks": [w.to_dict() for w in self.weeks],
        }

    def metrics(self) -> list[tuple[str, float, str, dict[str, str]]]:
        """(name, value, unit, dimensions) data points of the window (the weekly report's week).

        Sent when the report is made, so CloudWatch's own time axis is the week: a Week
        dimension would make a new metric every week."""
        points: list[tuple[str, float, str, dict[str, str]]] = []
        if self.review_rate is not None:
            points.append((METRIC_REVIEW_RATE, 100 * self.review_rate, "Percent", {}))
        for name, count in self.corrections().items():
            points.append((METRIC_REVIEW_CORRECTIONS, float(count), "Count", {"Field": name}))
        return points


def review_activity(engine: Engine, start: datetime, end: datetime) -> ReviewActivity:
    """Review activity of invoices loaded, reviewed and corrected in [start, end) (naive UTC)."""
    weeks: dict[str, WeekActivity] = {}

    def week(moment: datetime) -> WeekActivity:
        key = iso_week(moment)
        return weeks.setdefault(key, WeekActivity(key))

    queued = sa.select(review_queue.c.sha256).where(review_queue.c.sha256 == invoices.c.sha256)
    loaded = sa.select(invoices.c.loaded_at, queued.exists().label("queued")).where(
        invoices.c.loaded_at >= start, invoices.c.loaded_at < end
    )
    reviewed = sa.select(review_queue.c.reviewed_at).where(
        review_queue.c.reviewed_at >= start, review_queue.c.reviewed_at < end
    )
    corrected = sa.select(review_corrections.c.corrected_at, review_corrections.c.field).where(
        review_corrections.c.corrected_at >= start, review_corrections.c.corrected_at < end
    )
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    with engine.connect() as conn:
        for loaded_at, was_queued in conn.execute(loaded):
            item = week(loaded_at)
            item.loaded += 1
            item.sent_to_review += bool(was_queued)
        for (reviewed_at,) in conn.execute(reviewed):
            week(reviewed_at).reviewed += 1
        for corrected_at, name in conn.execute(corrected):
            counts[week(corrected_at).week][field_name(name)] += 1
    for key, fields in counts.items():
        weeks[key].corrections = dict(fields)
    return ReviewActivity(sorted(weeks.values(), key=lambda w: w.week))


def review_html(section: dict[str, Any]) -> str:
    """The report's review section as HTML: one row per week, corrections per field."""
    fields = sorted({name for w in section["weeks"] for name in w["corrections"]})
    head = "".join(f"<th>{html.escape(name)}</th>" for name in fields)
    rows = []
    for w in section["weeks"]:
        rate = "–" if w["review_rate"] is None else f"{w['review_rate']:.1%}"
        cells = "".join(f"<td>{w['corrections'].get(name, 0)}</td>" for name in fields)
        rows.append(
            f"<tr><td>{html.escape(w['week'])}</td><td>{w['loaded']}</td>"
            f"<td>{w['sent_to_review']}</td><td>{rate}</td><td>{w['reviewed']}</td>{cells}</tr>"
        )
    return "\n".join(
        [
            "<h2>Review</h2>",
            "<p class='muted'>Invoices loaded per ISO week, how many a person was asked to check, "
            "reviews cleared, and corrections per field.</p>",
            "<table class='review'><tr><th>week</th><th>loaded</th><th>sent to review</th>"
            f"<th>review rate</th><th>reviewed</th>{head}</tr>",
            *rows,
            "</table>",
        ]
    )
