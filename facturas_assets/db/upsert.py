"""Dialect-specific INSERT ... ON DUPLICATE KEY UPDATE / ON CONFLICT DO UPDATE, batched."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert_for(conn: Connection) -> Any:
    name = conn.dialect.name
    if name in ("mysql", "mariadb"):
        from sqlalchemy.dialects.mysql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        raise NotImplementedError(f"no upsert for the {name} dialect")
    return insert


def upsert_statement(
    conn: Connection,
    table: sa.Table,
    key: Sequence[str],
    *,
    keep: Sequence[str] = (),
    keep_if_null: Sequence[str] = (),
) -> Any:
    """An INSERT that updates the existing row on a `key` conflict.

    Columns in `keep` are written on insert only; columns in `keep_if_null` are only overwritten by
    a non-null value (e.g. ids filled in by a later step that a re-run must not erase).
    """
    stmt = _insert_for(conn)(table)
    is_mysql = conn.dialect.name in ("mysql", "mariadb")
    new = stmt.inserted if is_mysql else stmt.excluded
    skip = set(key) | set(keep)
    values: dict[str, Any] = {}
    for column in table.c:
        if column.name in skip or (column.primary_key and column.autoincrement is True):
            continue
        incoming = new[column.name]
        if column.name in keep_if_null:
            incoming = sa.func.coalesce(incoming, column)
        values[column.name] = incoming
    if is_mysql:
        if not values:  # a no-op update keeps the statement an upsert without IGNORE's side effects
            values = {key[0]: new[key[0]]}
        return stmt.on_duplicate_key_update(values)
    if not values:
        return stmt.on_conflict_do_nothing(index_elements=list(key))
    return stmt.on_conflict_do_update(index_elements=list(key), set_=values)


def upsert(
    conn: Connection,
    table: sa.Table,
    rows: Sequence[dict[str, Any]],
    key: Sequence[str],
    *,
    keep: Sequence[str] = (),
    keep_if_null: Sequence[str] = (),
    chunk_size: int = 500,
) -> None:
    """Upsert `rows` (all with the same keys) in executemany batches of `chunk_size`."""
    if not rows:
        return
    stmt = upsert_statement(conn, table, key, keep=keep, keep_if_null=keep_if_null)
    for part in chunks(rows, chunk_size):
        conn.execute(stmt, list(part))
