"""A load that fails mid-way leaves nothing of its batch; the error says whether to retry."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pymysql
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from facturas_assets.db.engine import create_engine
from facturas_assets.db.errors import is_transient
from facturas_assets.db.load import LoadResult, load_batch
from facturas_assets.db.rows import RowError
from facturas_assets.db.tables import invoices
from facturas_assets_tests import services
from facturas_assets_tests.db.factories import batch, invoice
from facturas_assets_tests.db.test_load import snapshot

REJECT_TRIGGER = {
    "sqlite": """
        CREATE TRIGGER reject_marked_lines BEFORE INSERT ON invoice_lines
        WHEN NEW.description = 'RECHAZAR'
        BEGIN SELECT RAISE(ABORT, 'line rejected by the database'); END
    """,
    "mysql": """
        CREATE TRIGGER reject_marked_lines BEFORE INSERT ON invoice_lines FOR EACH ROW
        BEGIN
          IF NEW.description = 'RECHAZAR' THEN
            SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'line rejected by the database';
          END IF;
        END
    """,
}


def second_batch() -> tuple[list[dict], list[dict]]:
    """Batch B: changes one invoice of batch A ("a-1") and brings four new ones."""
    changed, changed_lines = invoice("a-1", "correctiva", n_lines=2, seller_name="Cambiada, S.L.")
    heads, lines = batch("b", 4, n_lines=3)
    return [changed, *heads], [*changed_lines, *lines]


@contextmanager
def count_statements(engine: Engine) -> Iterator[list[str]]:
    """Record the SQL the engine sends (to show how far a load got before it failed)."""
    sent: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def line_inserts(sent: list[str]) -> int:
    return sum(s.lstrip().upper().startswith("INSERT INTO INVOICE_LINES") for s in sent)


def load_a(engine: Engine) -> tuple[list[dict], list[dict]]:
    heads, lines = batch("a", 3, n_lines=3)
    load_batch(engine, "lote-a", heads, lines)
    return snapshot(engine)


def assert_b_loaded(engine: Engine, before: tuple[list[dict], list[dict]]) -> None:
    """After batch B: A's untouched invoices as they were, a-1 changed, B's four new ones."""
    heads, lines = snapshot(engine)
    assert len(heads) == 3 + 4
    assert len(lines) == 2 * 3 + 2 + 4 * 3
    untouched = [h for h in before[0] if h["invoice_number"] != "F-a-1"]
    assert all(h in heads for h in untouched)
    changed = next(h for h in heads if h["invoice_number"] == "F-a-1")
    assert (changed["seller_name"], changed["category"], changed["lote"]) == (
        "Cambiada, S.L.",
        "correctiva",
        "lote-b",
    )


def test_a_row_the_database_rejects_in_the_last_chunk_leaves_no_partial_batch(
    engine: Engine,
) -> None:
    before = load_a(engine)
    heads, lines = second_batch()
    lines[-1]["description"] = "RECHAZAR"
    with engine.begin() as conn:
        conn.execute(sa.text(REJECT_TRIGGER[engine.dialect.name]))

    with count_statements(engine) as sent, pytest.raises(sa.exc.DBAPIError) as failure:
        load_batch(engine, "lote-b", heads, lines, chunk_size=4)
    assert "line rejected by the database" in str(failure.value)
    assert line_inserts(sent) == 4  # 14 lines in chunks of 4: it failed in the last one
    assert not is_transient(failure.value)
    assert snapshot(engine) == before

    with engine.begin() as conn:
        conn.execute(sa.text("DROP TRIGGER reject_marked_lines"))
    lines[-1]["description"] = "Revisión corregida"
    result = load_batch(engine, "lote-b", heads, lines, chunk_size=4)
    assert result == LoadResult(inserted=4, updated=1, lines_written=14, removed=0)
    assert_b_loaded(engine, before)


def _kill(thread_id: int) -> None:
    admin = pymysql.connect(
        host=services.MYSQL_HOST,
        port=services.MYSQL_PORT,
        user=services.MYSQL_USER,
        password=services.MYSQL_PASSWORD,
    )
    try:
        with admin.cursor() as cur:
            cur.execute(f"KILL {int(thread_id)}")
    finally:
        admin.close()


def test_killed_connection_mid_load_is_transient_and_a_rerun_recovers(
    mysql_engine: Engine,
) -> None:
    engine = mysql_engine
    before = load_a(engine)
    heads, lines = second_batch()
    killed: list[int] = []

    def kill_before_second_line_chunk(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        # The batch's invoices and first lines are already written, uncommitted.
        if statement.lstrip().upper().startswith("INSERT INTO INVOICE_LINES") and not killed:
            killed.append(1)  # the first chunk goes through
        elif (
            statement.lstrip().upper().startswith("INSERT INTO INVOICE_LINES") and len(killed) == 1
        ):
            thread_id = cursor.connection.thread_id()
            killed.append(thread_id)
            _kill(thread_id)

    sa.event.listen(engine, "before_cursor_execute", kill_before_second_line_chunk)
    try:
        with pytest.raises(sa.exc.DBAPIError) as failure:
            load_batch(engine, "lote-b", heads, lines, chunk_size=5)
    finally:
        sa.event.remove(engine, "before_cursor_execute", kill_before_second_line_chunk)
    assert len(killed) == 2, "the load never reached its second chunk of lines"
    assert is_transient(failure.value), repr(failure.value)
    assert snapshot(engine) == before

    # What the orchestrator's retry does: the same call again, on the same engine.
    result = load_batch(engine, "lote-b", heads, lines, chunk_size=5)
    assert result == LoadResult(inserted=4, updated=1, lines_written=14, removed=0)
    assert_b_loaded(engine, before)
    again = snapshot(engine)
    load_batch(engine, "lote-b", heads, lines, chunk_size=5)
    assert snapshot(engine) == again


def test_lock_wait_timeout_rolls_back_the_whole_batch_and_is_transient(mysql_url: str) -> None:
    engine = create_engine(mysql_url)

    def short_lock_wait(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cur:
            cur.execute("SET SESSION innodb_lock_wait_timeout = 1")

    sa.event.listen(engine, "connect", short_lock_wait)
    try:
        from facturas_assets.db import migrate

        migrate.upgrade(engine)
        before = load_a(engine)
        heads, lines = second_batch()
        blocker = engine.connect()
        try:
            blocker.begin()
            blocker.execute(
                sa.text("SELECT * FROM invoice_lines WHERE invoice_sha256 = :s FOR UPDATE"),
                {"s": heads[0]["sha256"]},
            )
            with pytest.raises(sa.exc.OperationalError) as failure:
                load_batch(engine, "lote-b", heads, lines)
            assert is_transient(failure.value)
            assert "1205" in str(failure.value)
        finally:
            blocker.rollback()
            blocker.close()
        assert snapshot(engine) == before
        load_batch(engine, "lote-b", heads, lines)
        assert_b_loaded(engine, before)
    finally:
        engine.dispose()


def test_unreachable_server_is_transient() -> None:
    port = services.free_port()  # nothing listens there
    engine = create_engine(f"mysql+pymysql://root@127.0.0.1:{port}/textil", pool_pre_ping=False)
    try:
        with pytest.raises(sa.exc.OperationalError) as failure, engine.connect():
            pass
    finally:
        engine.dispose()
    assert is_transient(failure.value)
    assert "2003" in str(failure.value)


def test_constraint_violations_and_bad_rows_are_not_transient(engine: Engine) -> None:
    head, _ = invoice("dup")
    row = {k: v for k, v in head.items() if k not in ("field_confidence", "warnings")}
    row.update(lote="l", loaded_at=sa.func.current_timestamp())
    with engine.begin() as conn:
        conn.execute(sa.insert(invoices).values(**row))
    with pytest.raises(sa.exc.IntegrityError) as failure, engine.begin() as conn:
        conn.execute(sa.insert(invoices).values(**row))
    assert not is_transient(failure.value)
    with pytest.raises(RowError) as bad:
        load_batch(engine, "l", [dict(head, category="x")], [])
    assert not is_transient(bad.value)
