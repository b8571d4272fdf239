"""The review queue in the database: what waits for a person, and saving what they decided.

A save is one transaction: the corrected invoice and lines replace the loaded ones, every changed
value is written to `review_corrections` (the machine's value kept as `original_value`), the
invoice becomes `loaded` and its queue row records who cleared it and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from facturas_assets.db.load import prepare_invoices, prepare_lines, utc_now
from facturas_assets.db.rows import RowError, coerce
from facturas_assets.db.tables import invoice_lines, invoices, review_corrections, review_queue
from facturas_assets.db.upsert import upsert
from facturas_assets.settings import CATEGORIES

# Header fields a reviewer may correct (sha256, lote, read method... are facts, not readings).
EDITABLE_FIELDS = (
    "invoice_number", "issue_date", "currency", "net_total", "tax_total", "total",
    "seller_name", "seller_tax_id", "buyer_name", "buyer_tax_id",
)  # fmt: skip
LINE_FIELDS = ("description", "quantity", "unit_price", "amount")
# What the load itself requires (validation.is_blocking): a review cannot clear them either.
REQUIRED_FIELDS = ("invoice_number", "issue_date", "total")
REVIEWER_LENGTH = 128


def field_name(name: str) -> str:
    """A corrected field as counted: 'lines.3.amount' -> 'lines.amount', header fields as they are."""
    parts = name.split(".")
    return f"lines.{parts[-1]}" if parts[0] == "lines" and len(parts) == 3 else name


class ReviewNotFound(LookupError):
    """No open review for this invoice (never queued, already cleared, or removed)."""


@dataclass(frozen=True, slots=True)
class ReviewSaved:
    """What a save changed."""

    sha256: str
    category_before: str
    category_after: str
    corrections: int


def pending_reviews(engine: Engine, limit: int = 500) -> list[dict[str, Any]]:
    """Open reviews, oldest first, with what a person needs to pick one."""
    query = (
        sa.select(
            review_queue.c.sha256,
            review_queue.c.lote,
            review_queue.c.reasons,
            review_queue.c.queued_at,
            invoices.c.invoice_number,
            invoices.c.seller_name,
            invoices.c.total,
            invoices.c.category,
            invoices.c.source_key,
        )
        .join(invoices, invoices.c.sha256 == review_queue.c.sha256)
        .where(review_queue.c.reviewed_at.is_(None))
        .order_by(review_queue.c.queued_at, review_queue.c.sha256)
        .limit(limit)
    )
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def review_item(engine: Engine, sha256: str) -> dict[str, Any]:
    """The invoice under review, its lines (`lines`) and reasons (`reasons`); ReviewNotFound."""
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(invoices, review_queue.c.reasons, review_queue.c.queued_at)
            .join(review_queue, review_queue.c.sha256 == invoices.c.sha256)
            .where(invoices.c.sha256 == sha256, review_queue.c.reviewed_at.is_(None))
        ).one_or_none()
        if row is None:
            raise ReviewNotFound(f"no open review for invoice {sha256[:12]}")
        lines = conn.execute(
            sa.select(invoice_lines)
            .where(invoice_lines.c.invoice_sha256 == sha256)
            .order_by(invoice_lines.c.line_no)
        ).all()
    item = dict(row._mapping)
    item["lines"] = [dict(line._mapping) for line in lines]
    return item


def _text(value: Any) -> str | None:
    """A value as the audit table keeps it (Decimal and dates in their canonical text)."""
    return None if value is None else str(value)


def _typed_lines(sha256: str, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reviewer's lines, numbered 1..n, without the rows left wholly blank."""
    kept = [
        {name: line.get(name) for name in LINE_FIELDS}
        for line in lines
        if any(str(line.get(name) or "").strip() for name in LINE_FIELDS)
    ]
    raw = [
        {"invoice_sha256": sha256, "line_no": n, **{k: v or None for k, v in line.items()}}
        for n, line in enumerate(kept, start=1)
    ]
    return prepare_lines(raw, {sha256})


def _line_changes(
    before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> list[tuple[str, str | None, str | None]]:
    old = {line["line_no"]: line for line in before}
    new = {line["line_no"]: line for line in after}
    changes = []
    for no in sorted(old.keys() | new.keys()):
        for name in LINE_FIELDS:
            was = _text(old.get(no, {}).get(name))
            now = _text(new.get(no, {}).get(name))
            if was != now:
                changes.append((f"lines.{no}.{name}", was, now))
    return changes


def save_review(
    engine: Engine,
    sha256: str,
    *,
    reviewer: str,
    fields: dict[str, Any] | None = None,
    lines: list[dict[str, Any]] | None = None,
    category: str | None = None,
    at: datetime | None = None,
) -> ReviewSaved:
    """Apply a reviewer's corrections (None = keep as loaded) and clear the review.

    Raises ReviewNotFound when the review is not open, RowError for a value the table refuses.
    """
    reviewer = reviewer.strip()
    if not reviewer or len(reviewer) > REVIEWER_LENGTH:
        raise RowError(f"reviewer must be 1..{REVIEWER_LENGTH} characters")
    unknown = set(fields or {}) - set(EDITABLE_FIELDS)
    if unknown:
        raise RowError(f"fields {sorted(unknown)} cannot be corrected")
    if category is not None and category not in CATEGORIES:
        raise RowError(f"category {category!r} not in {CATEGORIES}")
    when = at or utc_now()
    with engine.begin() as conn:
        # The queue row is locked: two reviewers saving at once cannot both clear it.
        queued = conn.execute(
            sa.select(review_queue.c.sha256)
            .where(review_queue.c.sha256 == sha256, review_queue.c.reviewed_at.is_(None))
            .with_for_update()
        ).one_or_none()
        current = conn.execute(sa.select(invoices).where(invoices.c.sha256 == sha256)).one_or_none()
        if queued is None or current is None:
            raise ReviewNotFound(f"no open review for invoice {sha256[:12]}")
        before = dict(current._mapping)
        after = dict(before)
        for name, value in (fields or {}).items():
            after[name] = coerce(invoices.c[name], value, f"field {name}")
        missing = [name for name in REQUIRED_FIELDS if after[name] in (None, "")]
        if missing:
            raise RowError(f"{', '.join(missing)} cannot be left empty")
        after["category"] = category or before["category"]
        after["status"] = "loaded"
        # The loader's own checks on the corrected row: what the review saves, a load could.
        checked = prepare_invoices(before["lote"], [after], before["loaded_at"])[0]
        checked.pop("review_reasons")
        changes = [
            (name, _text(before[name]), _text(checked[name]))
            for name in (*EDITABLE_FIELDS, "category")
            if _text(before[name]) != _text(checked[name])
        ]
        if lines is not None:
            old_lines = [
                dict(r._mapping)
                for r in conn.execute(
                    sa.select(invoice_lines).where(invoice_lines.c.invoice_sha256 == sha256)
                )
            ]
            new_lines = _typed_lines(sha256, lines)
            line_changes = _line_changes(old_lines, new_lines)
            if line_changes:
                changes += line_changes
                conn.execute(
                    sa.delete(invoice_lines).where(invoice_lines.c.invoice_sha256 == sha256)
                )
                if new_lines:
                    conn.execute(sa.insert(invoice_lines), new_lines)
        upsert(conn, invoices, [checked], key=("sha256",))
        if changes:
            conn.execute(
                sa.insert(review_corrections),
                [
                    {
                        "sha256": sha256,
                        "field": name,
                        "original_value": was,
                        "corrected_value": now,
                        "corrected_by": reviewer,
                        "corrected_at": when,
                    }
                    for name, was, now in changes
                ],
            )
        conn.execute(
            sa.update(review_queue)
            .where(review_queue.c.sha256 == sha256)
            .values(reviewed_at=when, reviewed_by=reviewer)
        )
    return ReviewSaved(sha256, before["category"], checked["category"], len(changes))


def set_category_file_id(engine: Engine, sha256: str, file_id: str | None) -> None:
    """Record the invoice's copy in its (new) Drive category folder."""
    with engine.begin() as conn:
        conn.execute(
            sa.update(invoices)
            .where(invoices.c.sha256 == sha256)
            .values(drive_category_file_id=file_id)
        )
