"""`extract` (behind `facturas extract`) on hostile files: whatever the bytes, every document
gets one record, `ok` or `quarantined` with a reason, and nothing escapes."""

from __future__ import annotations

import hashlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facturas_assets.commands.extract import extract
from facturas_assets_tests.hostile_files import hostile_files, real_pdfs

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same cases on every run, here and in CI
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _check(items: list[tuple[str, bytes]], records: list[dict]) -> None:
    assert len(records) == len(items)  # nothing lost, nothing duplicated, in order
    for (source, data), record in zip(items, records, strict=True):
        assert record["source"] == source
        assert record["sha256"] == hashlib.sha256(data).hexdigest()
        assert record["status"] in ("ok", "quarantined")
        if record["status"] == "quarantined":
            assert record["reason"] and record["reason"].split(":", 1)[0].strip()
        json.dumps(record, ensure_ascii=False).encode("utf-8")  # printable as it is


@FUZZ
@given(st.lists(hostile_files(), min_size=1, max_size=3))
def test_extract_survives_hostile_files(files: list[tuple[str, bytes]]) -> None:
    good = real_pdfs()[0]
    items = [("first-good.pdf", good), *files, ("last-good.pdf", good)]
    records = list(extract(items, model=None, workers=1))
    _check(items, records)
    assert records[0]["status"] == records[-1]["status"] == "ok"  # neighbours unharmed
