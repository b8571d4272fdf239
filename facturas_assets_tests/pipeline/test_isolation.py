"""`isolate`: one document's exception becomes its quarantine reason; services' errors do not."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from facturas_assets.documents.limits import ResourceLimitExceeded
from facturas_assets.documents.model import DocumentRejected
from facturas_assets.pipeline.isolation import Failed, failure, isolate, never
from facturas_assets.settings import ConfigError


def _crash(words: list) -> str:
    return " ".join(words)  # a word that is not text: TypeError


def _extract(words: list) -> str | Failed:
    return isolate("extract", lambda: _crash(words), source="a.pdf")


def test_an_exception_becomes_a_reader_error_with_type_message_and_digest() -> None:
    failed = _extract(["Total", None])
    assert isinstance(failed, Failed)
    assert failed.reason == "reader_error"
    assert failed.detail.startswith("extract: TypeError: sequence item 1: expected str instance")
    assert " at test_isolation.py:" in failed.detail and "(trace " in failed.detail
    again = _extract([1])
    # Same code path, same digest, whatever the message: one bug groups its documents.
    assert failed.detail.rsplit("(trace ", 1)[1] == again.detail.rsplit("(trace ", 1)[1]
    other = isolate("extract", lambda: {}["amount"], source="c.pdf")
    assert failed.detail.rsplit("(trace ", 1)[1] != other.detail.rsplit("(trace ", 1)[1]


def test_the_result_passes_through_untouched() -> None:
    assert isolate("classify", lambda: [1, 2]) == [1, 2]


def test_messages_are_short_and_valid_unicode() -> None:
    def huge() -> None:
        raise ValueError("\ud800" + "x" * 10_000)

    failed = isolate("read", huge)
    assert len(failed.detail) < 500
    failed.detail.encode("utf-8")


def test_a_document_over_its_deadline_is_a_resource_limit() -> None:
    def slow() -> None:
        end = time.monotonic() + 5
        while time.monotonic() < end:
            pass

    started = time.monotonic()
    failed = isolate("extract", slow, source="lento.pdf", seconds=0.05)
    assert time.monotonic() - started < 2
    assert failed.reason == "resource_limit"
    assert "ResourceLimitExceeded" in failed.detail and "lento.pdf" in failed.detail


def test_resource_limits_and_rejections_keep_their_own_reasons() -> None:
    assert failure("extract", ResourceLimitExceeded("too big")).reason == "resource_limit"
    assert failure("extract", MemoryError()).reason == "resource_limit"
    rejected = failure("read", DocumentRejected("corrupt_pdf", "no pages"))
    assert rejected == Failed("corrupt_pdf", "no pages")


@pytest.mark.parametrize(
    "error",
    [
        ConnectionResetError("peer gone"),
        ConfigError("no bucket"),
        sa_exc.OperationalError("SELECT 1", {}, ConnectionError("lost")),
    ],
)
def test_failures_of_services_are_raised_for_the_step_to_retry(error: Exception) -> None:
    def fail() -> None:
        raise error

    with pytest.raises(type(error)):
        isolate("load", fail)
    assert isinstance(isolate("load", fail, passthrough=never), Failed)


def test_a_real_database_error_of_one_row_is_the_documents(tmp_path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'x.db'}")

    def insert_twice() -> None:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE t (k INTEGER PRIMARY KEY)"))
            conn.execute(sa.text("INSERT INTO t VALUES (1), (1)"))

    failed = isolate("load", insert_twice)
    assert failed.reason == "reader_error" and "IntegrityError" in failed.detail
