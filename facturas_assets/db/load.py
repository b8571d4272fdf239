"""Write to the `textil` database: idempotent batch loads, quarantine, batches and training runs.

Every write is keyed (invoice sha256, (sha256, lote), lote, run id), so repeating it after a
failure or a re-run rewrites the same rows. `load_batch` does all of a batch in one transaction:
either the whole batch is visible or none of it. Lost connections and deadlocks surface as
exceptions for which `facturas_assets.db.errors.is_transient` is true; the caller retries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from facturas_assets.db.rows import (
    RowError,
    is_missing,
    records,
    table_row,
    to_json,
    to_sha256,
)
from facturas_assets.db.tables import (
    BATCH_STATUSES,
    LOTE_LENGTH,
    READ_METHODS,
    batches,
    invoice_lines,
    quarantine,
    review_queue,
    tracking,
)
from facturas_assets.db.tables import invoices as invoices_table
from facturas_assets.db.upsert import chunks, upsert
from facturas_assets.settings import CATEGORIES, INVOICE_STATUSES

Bind = Engine | Connection

INVOICE_REQUIRED = ("sha256", "source_key", "category", "read_method")
# Filled in later by the Drive archive step: a re-run of the load must not erase them.
INVOICE_KEEP_IF_NULL = ("drive_history_file_id", "drive_category_file_id")


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What one `load_batch` call wrote."""

    inserted: int  # invoices new to the database
    updated: int  # invoices already there (rewritten with this batch's values)
    lines_written: int
    removed: int = 0  # invoices an earlier run of the same batch loaded that this run no longer has
    pending_review: int = 0  # invoices loaded as pending_review (queued for a person)
    kept_reviewed: int = 0  # invoices a person already reviewed: their corrected rows are kept


def utc_now() -> datetime:
    """Current UTC time, naive and to the second (what DATETIME columns keep)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


@contextmanager
def _transaction(bind: Bind) -> Iterator[Connection]:
    """One transaction: a new one on an Engine, or the caller's own on a Connection."""
    if isinstance(bind, Engine):
        with bind.begin() as conn:
            yield conn
        return
    ctx = nullcontext() if bind.in_transaction() else bind.begin()
    with ctx:
        yield bind


def _check_lote(lote: str) -> str:
    if not isinstance(lote, str) or not lote.strip():
        raise RowError(f"lote must be a non-empty string, got {lote!r}")
    if len(lote) > LOTE_LENGTH:
        raise RowError(f"lote {lote[:20]!r}... is longer than {LOTE_LENGTH} characters")
    return lote


def prepare_invoices(lote: str, data: Any, loaded_at: datetime) -> list[dict[str, Any]]:
    """Checked invoice rows for `lote`; raises RowError naming the first bad row and field.

    A `review_reasons` list (why the invoice is `pending_review`) is kept on the row under that
    key for the review queue; `status` defaults to `loaded`.
    """
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, raw in enumerate(records(data)):
        where = f"invoice #{i} ({raw.get('sha256')!s:.12})"
        reasons = _review_reasons(raw.pop("review_reasons", None), f"{where}.review_reasons")
        if is_missing(raw.get("status")):
            raw["status"] = "pending_review" if reasons else "loaded"
        row = table_row(
            invoices_table,
            raw,
            where,
            required=INVOICE_REQUIRED,
            fixed={"lote": lote, "loaded_at": loaded_at},
        )
        row["sha256"] = to_sha256(row["sha256"], where)
        if row["category"] not in CATEGORIES:
            raise RowError(f"{where}: category {row['category']!r} not in {CATEGORIES}")
        if row["read_method"] not in READ_METHODS:
            raise RowError(f"{where}: read_method {row['read_method']!r} not in {READ_METHODS}")
        if row["status"] not in INVOICE_STATUSES:
            raise RowError(f"{where}: status {row['status']!r} not in {INVOICE_STATUSES}")
        if row["status"] == "pending_review" and not reasons:
            raise RowError(f"{where}: pending_review without a reason")
        row["review_reasons"] = reasons
        confidence = row["category_confidence"]
        if confidence is not None and not 0.0 <= confidence <= 1.0:
            raise RowError(f"{where}: category_confidence {confidence} is not within 0..1")
        if row["field_confidence"] is not None:
            if not isinstance(row["field_confidence"], dict):
                raise RowError(f"{where}: field_confidence must be an object (field -> confidence)")
            # Parquet structs give every row every key: a null confidence means "not read".
            row["field_confidence"] = {
                k: v for k, v in row["field_confidence"].items() if v is not None
            }
        if row["warnings"] is not None and not isinstance(row["warnings"], list):
            raise RowError(f"{where}: warnings must be a list")
        if row["sha256"] in seen:
            raise RowError(f"{where}: sha256 appears twice in the batch")
        seen.add(row["sha256"])
        rows.append(row)
    return rows


def _review_reasons(value: Any, where: str) -> list[str]:
    """The reasons as a list of strings (Parquet gives arrays; a missing value is none)."""
    if value is None or (not hasattr(value, "__len__") and is_missing(value)):
        return []
    reasons = to_json(value, where)
    if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
        raise RowError(f"{where}: must be a list of strings")
    return reasons


def prepare_lines(data: Any, invoice_shas: set[str]) -> list[dict[str, Any]]:
    """Checked line rows; `invoice_sha256` (or `sha256`) must be one of the batch's invoices.

    Without `line_no`, lines are numbered 1, 2, ... per invoice in the order given.
    """
    rows: list[dict[str, Any]] = []
    next_no: dict[str, int] = {}
    numbered: dict[str, bool] = {}
    seen: set[tuple[str, int]] = set()
    for i, raw in enumerate(records(data)):
        raw = dict(raw)
        where = f"line #{i}"
        if "sha256" in raw:
            alias = raw.pop("sha256")
            if "invoice_sha256" in raw and raw["invoice_sha256"] != alias:
                raise RowError(f"{where}: sha256 and invoice_sha256 differ")
            raw["invoice_sha256"] = alias
        sha = to_sha256(raw.get("invoice_sha256"), where)
        raw["invoice_sha256"] = sha
        if sha not in invoice_shas:
            raise RowError(f"{where}: invoice {sha[:12]} is not among the batch's invoices")
        has_no = not is_missing(raw.get("line_no"))
        if numbered.setdefault(sha, has_no) != has_no:
            raise RowError(f"{where}: invoice {sha[:12]} mixes lines with and without line_no")
        if not has_no:
            next_no[sha] = next_no.get(sha, 0) + 1
            raw["line_no"] = next_no[sha]
        row = table_row(invoice_lines, raw, where, required=("invoice_sha256", "line_no"))
        if row["line_no"] < 1:
            raise RowError(f"{where}: line_no must be >= 1, got {row['line_no']}")
        if (sha, row["line_no"]) in seen:
            raise RowError(f"{where}: line {row['line_no']} of invoice {sha[:12]} appears twice")
        seen.add((sha, row["line_no"]))
        rows.append(row)
    return rows


def _select_in(conn: Connection, column: sa.Column[Any], values: list[str], size: int) -> set[str]:
    found: set[str] = set()
    for part in chunks(values, size):
        found.update(conn.execute(sa.select(column).where(column.in_(part))).scalars())
    return found


def _delete_invoices_and_lines(conn: Connection, shas: list[str], size: int) -> None:
    # Lines first and explicitly: SQLite only cascades when foreign keys are switched on.
    for part in chunks(shas, size):
        conn.execute(sa.delete(invoice_lines).where(invoice_lines.c.invoice_sha256.in_(part)))
        conn.execute(sa.delete(review_queue).where(review_queue.c.sha256.in_(part)))
        conn.execute(sa.delete(invoices_table).where(invoices_table.c.sha256.in_(part)))


def load_batch(
    engine: Bind,
    lote: str,
    invoices: Any,
    lines: Any = None,
    *,
    chunk_size: int = 1000,
    loaded_at: datetime | None = None,
) -> LoadResult:
    """Load one batch in one transaction: upsert its invoices by sha256, replace their lines.

    `invoices` and `lines` are DataFrames or lists of dicts whose keys are the column
    names of `invoices` / `invoice_lines` (`lote` and `loaded_at` are set here). Re-running a
    batch leaves exactly the same rows: invoices an earlier run of this `lote` loaded but this run
    does not have (e.g. now quarantined) are removed. A failure leaves nothing of the run visible.

    Invoices `pending_review` are (re)queued in `review_queue` with their reasons; an invoice a
    person has already reviewed keeps its corrected rows (a re-run never undoes a review).
    """
    lote = _check_lote(lote)
    now = loaded_at or utc_now()
    invoice_rows = prepare_invoices(lote, invoices, now)
    shas = [r["sha256"] for r in invoice_rows]
    line_rows = prepare_lines(lines, set(shas))
    with _transaction(engine) as conn:
        reviewed = _reviewed(conn, shas, chunk_size)
        invoice_rows = [r for r in invoice_rows if r["sha256"] not in reviewed]
        line_rows = [r for r in line_rows if r["invoice_sha256"] not in reviewed]
        queue_rows = _queue_rows(invoice_rows, lote, now)
        existing = _select_in(conn, invoices_table.c.sha256, shas, chunk_size)
        earlier = set(
            conn.execute(
                sa.select(invoices_table.c.sha256).where(invoices_table.c.lote == lote)
            ).scalars()
        )
        stale = sorted(earlier - set(shas))
        _delete_invoices_and_lines(conn, stale, chunk_size)
        upsert(
            conn,
            invoices_table,
            [{k: v for k, v in r.items() if k != "review_reasons"} for r in invoice_rows],
            key=("sha256",),
            keep_if_null=INVOICE_KEEP_IF_NULL,
            chunk_size=chunk_size,
        )
        sure = [r["sha256"] for r in invoice_rows if r["status"] == "loaded"]
        for part in chunks(sure, chunk_size):  # a re-run that is now sure: no open review left
            conn.execute(
                sa.delete(review_queue).where(
                    review_queue.c.sha256.in_(part), review_queue.c.reviewed_at.is_(None)
                )
            )
        upsert(conn, review_queue, queue_rows, key=("sha256",), keep=("queued_at",))
        for part in chunks(sorted(existing - reviewed), chunk_size):
            conn.execute(sa.delete(invoice_lines).where(invoice_lines.c.invoice_sha256.in_(part)))
        for part in chunks(line_rows, chunk_size):
            conn.execute(sa.insert(invoice_lines), list(part))
    return LoadResult(
        inserted=len(shas) - len(existing),
        updated=len(existing),
        lines_written=len(line_rows),
        removed=len(stale),
        pending_review=len(queue_rows),
        kept_reviewed=len(reviewed),
    )


def _reviewed(conn: Connection, shas: list[str], size: int) -> set[str]:
    """The invoices among `shas` a person has already reviewed."""
    found: set[str] = set()
    for part in chunks(shas, size):
        found.update(
            conn.execute(
                sa.select(review_queue.c.sha256).where(
                    review_queue.c.sha256.in_(part), review_queue.c.reviewed_at.is_not(None)
                )
            ).scalars()
        )
    return found


def _queue_rows(invoice_rows: list[dict[str, Any]], lote: str, now: datetime) -> list[dict]:
    return [
        {
            "sha256": r["sha256"],
            "lote": lote,
            "reasons": r["review_reasons"],
            "queued_at": now,
            "reviewed_at": None,
            "reviewed_by": None,
        }
        for r in invoice_rows
        if r["status"] == "pending_review"
    ]


def set_drive_file_ids(
    engine: Bind, ids: Mapping[str, tuple[str | None, str | None]], *, chunk_size: int = 500
) -> int:
    """Record the Drive copies of invoices: sha256 -> (histórico file id, category file id)."""
    params = [
        {"b_key": to_sha256(sha, "drive ids"), "b_history": hist, "b_category": cat}
        for sha, (hist, cat) in ids.items()
    ]
    stmt = (
        sa.update(invoices_table)
        .where(invoices_table.c.sha256 == sa.bindparam("b_key"))
        .values(
            drive_history_file_id=sa.func.coalesce(
                sa.bindparam("b_history"), invoices_table.c.drive_history_file_id
            ),
            drive_category_file_id=sa.func.coalesce(
                sa.bindparam("b_category"), invoices_table.c.drive_category_file_id
            ),
        )
    )
    with _transaction(engine) as conn:
        for part in chunks(params, chunk_size):
            conn.execute(stmt, list(part))
    return len(params)


def record_quarantine(engine: Bind, rows: Iterable[Mapping[str, Any]]) -> int:
    """Upsert quarantine rows keyed by (sha256, lote); returns how many were given.

    Each row: sha256, lote, source_key, reason, and optionally stored_key, detail, created_at.
    Repeating a row updates its reason and detail and keeps its first created_at.
    """
    now = utc_now()
    prepared: list[dict[str, Any]] = []
    for i, raw in enumerate(records(rows)):
        where = f"quarantine row #{i}"
        row = table_row(quarantine, raw, where, required=("sha256", "lote", "source_key", "reason"))
        row["sha256"] = to_sha256(row["sha256"], where)
        row["created_at"] = row["created_at"] or now
        row.pop("id")
        prepared.append(row)
    if prepared:
        with _transaction(engine) as conn:
            upsert(conn, quarantine, prepared, key=("sha256", "lote"), keep=("created_at",))
    return len(prepared)


def forget_quarantine(engine: Bind, lote: str, keep: Iterable[str]) -> int:
    """Delete the batch's quarantine rows (not yet re-queued) of documents other than `keep`:
    a re-run that now loads a document leaves no quarantine row of it behind."""
    keep_set = {to_sha256(sha, "quarantine keep") for sha in keep}
    with _transaction(engine) as conn:
        held = conn.execute(
            sa.select(quarantine.c.sha256).where(
                quarantine.c.lote == lote, quarantine.c.requeued_at.is_(None)
            )
        ).scalars()
        gone = sorted(set(held) - keep_set)
        for part in chunks(gone, 500):
            conn.execute(
                sa.delete(quarantine).where(
                    quarantine.c.lote == lote, quarantine.c.sha256.in_(part)
                )
            )
    return len(gone)


def remove_invoices(engine: Bind, shas: Iterable[str], *, chunk_size: int = 500) -> None:
    """Delete invoices and their lines (documents moved to quarantine after their load)."""
    with _transaction(engine) as conn:
        _delete_invoices_and_lines(conn, sorted(set(shas)), chunk_size)


def mark_requeued(
    engine: Bind, keys: Iterable[tuple[str, str]], *, at: datetime | None = None
) -> int:
    """Stamp quarantine rows (sha256, lote) as re-queued; returns how many rows matched."""
    when = at or utc_now()
    params = [{"s": to_sha256(sha, "requeue"), "l": lote} for sha, lote in keys]
    if not params:
        return 0
    stmt = (
        sa.update(quarantine)
        .where(quarantine.c.sha256 == sa.bindparam("s"), quarantine.c.lote == sa.bindparam("l"))
        .values(requeued_at=when)
    )
    with _transaction(engine) as conn:
        return conn.execute(stmt, params).rowcount


def record_batch(engine: Bind, lote: str, *, status: str = "open", count_in: int = 0) -> None:
    """Create the batch row, or update its status and count_in (keeping counts and timings)."""
    lote = _check_lote(lote)
    _check_status(status)
    now = utc_now()
    row = table_row(
        batches,
        {"lote": lote, "status": status, "count_in": count_in},
        f"batch {lote}",
    )
    row.update(count_loaded=0, count_quarantined=0, timings={}, created_at=now, updated_at=now)
    with _transaction(engine) as conn:
        upsert(
            conn,
            batches,
            [row],
            key=("lote",),
            keep=("created_at", "count_loaded", "count_quarantined", "timings"),
        )


def _check_status(status: str) -> None:
    if status not in BATCH_STATUSES:
        raise RowError(f"batch status {status!r} not in {BATCH_STATUSES}")


def update_batch(
    engine: Bind,
    lote: str,
    *,
    status: str | None = None,
    count_in: int | None = None,
    count_loaded: int | None = None,
    count_quarantined: int | None = None,
    timings: Mapping[str, float] | None = None,
) -> None:
    """Update a recorded batch; `timings` are merged into the stored ones (stage -> seconds)."""
    if status is not None:
        _check_status(status)
    counts = {
        "count_in": count_in,
        "count_loaded": count_loaded,
        "count_quarantined": count_quarantined,
    }
    values: dict[str, Any] = {k: v for k, v in counts.items() if v is not None}
    for name, value in values.items():
        if not isinstance(value, int) or value < 0:
            raise RowError(f"batch {lote}: {name} must be a non-negative integer, got {value!r}")
    if status is not None:
        values["status"] = status
    with _transaction(engine) as conn:
        current = conn.execute(
            sa.select(batches.c.timings).where(batches.c.lote == lote).with_for_update()
        ).one_or_none()
        if current is None:
            raise LookupError(f"batch {lote!r} was never recorded")
        if timings:
            merged = dict(current.timings or {})
            merged.update({str(k): float(v) for k, v in timings.items()})
            values["timings"] = merged
        values["updated_at"] = utc_now()
        conn.execute(sa.update(batches).where(batches.c.lote == lote).values(**values))


def get_batch(engine: Bind, lote: str) -> dict[str, Any] | None:
    """The batch row as a dict, or None."""
    with _transaction(engine) as conn:
        row = conn.execute(sa.select(batches).where(batches.c.lote == lote)).one_or_none()
    return None if row is None else dict(row._mapping)


def record_training_run(engine: Bind, row: Mapping[str, Any]) -> int:
    """Upsert one training run into `tracking`, keyed by `run_id`; returns its id.

    Fields: run_id (required), mlflow_run_id, model_name, model_version, data_hash, train_size,
    test_size, accuracy, f1, loss, per_class_recall (dict), params (dict), duration_s, promoted,
    created_at (defaults to now; kept from the first write when repeated).
    """
    prepared = table_row(tracking, row, f"training run {row.get('run_id')!s}", required=("run_id",))
    prepared.pop("id")
    prepared["promoted"] = bool(prepared["promoted"])
    prepared["created_at"] = prepared["created_at"] or utc_now()
    with _transaction(engine) as conn:
        upsert(conn, tracking, [prepared], key=("run_id",), keep=("created_at",))
        return conn.execute(
            sa.select(tracking.c.id).where(tracking.c.run_id == prepared["run_id"])
        ).scalar_one()


def mark_promoted(engine: Bind, run_id: str, promoted: bool = True) -> None:
    """Set whether a recorded training run's model was promoted to champion."""
    with _transaction(engine) as conn:
        result = conn.execute(
            sa.update(tracking).where(tracking.c.run_id == run_id).values(promoted=promoted)
        )
        if result.rowcount == 0:
            raise LookupError(f"training run {run_id!r} was never recorded")
