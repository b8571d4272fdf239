"""Every e-invoice of the corpus of public e-invoices read exactly (skipped where it is absent).

The corpus lives beside the repository (../shared/dev-corpus, present in CI); the expected values
come from its gt.jsonl, never from this file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from facturas_assets.documents.einvoice.truth import (
    ALL_FIELDS,
    CORE_FIELDS,
    corpus_file,
    failing_fields,
    load_truth,
    truth_fields,
)
from facturas_assets.documents.model import DocumentRejected
from facturas_assets.documents.reader import read_document

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "dev-corpus"

pytestmark = pytest.mark.skipif(
    not (CORPUS / "gt.jsonl").exists(), reason=f"no corpus of public e-invoices at {CORPUS}"
)


@pytest.fixture(scope="module")
def readings() -> list[tuple[dict[str, Any], Any]]:
    """(truth row, ReadDocument or the error raised) for every document of the corpus."""
    out: list[tuple[dict[str, Any], Any]] = []
    for truth in load_truth(CORPUS):
        try:
            out.append((truth, read_document(corpus_file(CORPUS, truth))))
        except (DocumentRejected, Exception) as exc:  # noqa: BLE001 - listed by the tests
            out.append((truth, exc))
    return out


def test_every_file_of_the_corpus_is_scored(readings: list[tuple[dict[str, Any], Any]]) -> None:
    files = {p.name for kind in ("pdf", "xml") for p in (CORPUS / kind).iterdir()}
    assert {corpus_file(CORPUS, t).name for t, _ in readings} == files


def test_every_einvoice_reads_without_crash_or_fallback(
    readings: list[tuple[dict[str, Any], Any]],
) -> None:
    problems = []
    for truth, doc in readings:
        if isinstance(doc, Exception):
            problems.append(f"{truth['id']}: {type(doc).__name__}: {doc}")
        elif doc.method != "einvoice" or doc.einvoice is None:
            problems.append(f"{truth['id']}: read as {doc.method} ({'; '.join(doc.warnings)})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("fields", [CORE_FIELDS, ALL_FIELDS], ids=["core", "all"])
def test_fields_match_the_ground_truth(
    readings: list[tuple[dict[str, Any], Any]], fields: tuple[str, ...]
) -> None:
    """The six core fields (and then parties and line count) of every document, exactly."""
    wrong = []
    for truth, doc in readings:
        if isinstance(doc, Exception) or doc.einvoice is None:
            wrong.append(f"{truth['id']}: not read as an e-invoice")
            continue
        got = truth_fields(doc.einvoice)
        for name in failing_fields(doc.einvoice, truth):
            if name in fields:
                wrong.append(f"{truth['id']} {name}: {got[name]!r} != {truth['fields'][name]!r}")
    assert not wrong, f"{len(wrong)} wrong:\n" + "\n".join(wrong)
