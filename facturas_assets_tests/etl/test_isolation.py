"""One bad document never stops a batch: documents that crashed a step before, a document over
its extraction deadline, and hostile files (fuzzed) end loaded or quarantined with a reason."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facturas_assets.db.tables import invoices, quarantine
from facturas_assets.documents.model import InvoiceData, Party, ReadDocument
from facturas_assets.documents.reader import read_document
from facturas_assets.pipeline import tabulate
from facturas_assets.pipeline.classify import classify_batch
from facturas_assets.pipeline.isolation import Failed
from facturas_assets.pipeline.manifest import ManifestItem, load_manifest
from facturas_assets.pipeline.tabulate import labels_from_frame
from facturas_assets.resources.object_store import LocalObjectStore
from facturas_assets.settings import DRIVE_HISTORY_FOLDER
from facturas_assets.training.champion import load_champion
from facturas_assets_tests.documents.odd_pdfs import text_pdf, words_pdf
from facturas_assets_tests.documents.test_odd_text import CREDIT_NOTE, priced_table
from facturas_assets_tests.etl.conftest import land_generated, run_batch
from facturas_assets_tests.hostile_files import generated_pdfs, hostile_files


def _outcome(engine, lote: str) -> tuple[set[str], dict[str, tuple[str, str]]]:
    """(sha256s loaded, sha256 -> (reason, detail) quarantined) of one batch."""
    with engine.connect() as conn:
        loaded = set(
            conn.execute(sa.select(invoices.c.sha256).where(invoices.c.lote == lote)).scalars()
        )
        held = conn.execute(
            sa.select(quarantine.c.sha256, quarantine.c.reason, quarantine.c.detail).where(
                quarantine.c.lote == lote
            )
        ).all()
    return loaded, {sha: (reason, detail) for sha, reason, detail in held}


def _balanced(resources: dict, lote: str) -> tuple[set[str], dict[str, tuple[str, str]]]:
    """Check count in = loaded + quarantined, each document once, every reason given."""
    manifest = load_manifest(resources["landing_store"], lote)
    new = {item.sha256 for item in manifest.new_items}
    loaded, held = _outcome(resources["database"].engine(), lote)
    assert not loaded & set(held), "a document both loaded and quarantined"
    assert loaded | set(held) == new, "a document neither loaded nor quarantined"
    assert all(reason and detail for reason, detail in held.values())
    return loaded, held


def test_documents_that_crashed_a_step_are_read_and_the_batch_loads(
    local_resources, instance, tmp_path: Path
):
    store = local_resources["landing_store"]
    good = land_generated(store, tmp_path, 2, seed=61, renderings=["text-pdf"])
    store.write_bytes("abono.pdf", text_pdf(CREDIT_NOTE, {"X": "D800"}))  # lone surrogate
    store.write_bytes("sin-importe.pdf", words_pdf(priced_table().pages))  # no amount column
    landing = [*good, "abono.pdf", "sin-importe.pdf"]

    result = run_batch(local_resources, "20260301-000000-odd", landing, instance)
    assert result.success
    loaded, held = _balanced(local_resources, "20260301-000000-odd")
    assert len(loaded) >= 2
    errors = {sha: r for sha, r in held.items() if r[0] in ("reader_error", "read_error")}
    assert not errors, errors  # read and extracted: no step of theirs raised

    again = run_batch(local_resources, "20260301-000000-odd", landing, instance)
    assert again.success
    assert _balanced(local_resources, "20260301-000000-odd") == (loaded, held)


def test_a_document_over_its_extraction_deadline_is_quarantined_as_resource_limit(
    local_resources, instance, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    store = local_resources["landing_store"]
    landing = land_generated(store, tmp_path, 2, seed=62, renderings=["text-pdf"])
    monkeypatch.setattr(tabulate, "EXTRACTION_SECONDS", 1e-4)  # no document can make it

    result = run_batch(local_resources, "20260301-000000-slow", landing, instance)
    assert result.success
    loaded, held = _balanced(local_resources, "20260301-000000-slow")
    assert not loaded
    assert {reason for reason, _ in held.values()} == {"resource_limit"}
    assert all("extract" in detail for _, detail in held.values())

    monkeypatch.undo()  # the next run has time: the same batch now loads, no stale quarantine
    again = run_batch(local_resources, "20260301-000000-slow", landing, instance)
    assert again.success
    loaded, held = _balanced(local_resources, "20260301-000000-slow")
    assert len(loaded) == 2 and not held


FUZZ = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,  # the same cases on every run, here and in CI
    # One environment for all examples (a fresh one each would retrain the classifier): each
    # example is a batch of its own.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
_BATCHES = itertools.count(1)


@FUZZ
@given(files=st.lists(hostile_files(), min_size=2, max_size=4), data=st.data())
def test_a_batch_of_hostile_files_loads_or_quarantines_each(
    local_resources, instance, tmp_path: Path, files: list[tuple[str, bytes]], data: st.DataObject
):
    store = local_resources["landing_store"]
    n = next(_BATCHES)
    lote = f"20260301-{n:06d}-fuzz"
    named = [(f"{lote}-{k}-{name}", body) for k, (name, body) in enumerate(files)]
    for name, body in named:
        store.write_bytes(name, body)
    landing = [name for name, _ in named]
    good = land_generated(store, tmp_path, 1, seed=7000 + n, renderings=["text-pdf"])[0]
    landing.insert(data.draw(st.integers(0, len(landing))), good)  # anywhere in the batch

    result = run_batch(local_resources, lote, landing, instance)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    loaded, held = _balanced(local_resources, lote)
    manifest = load_manifest(store, lote)
    good_sha = next(i.sha256 for i in manifest.items if i.landing_key == good)
    assert good_sha in loaded  # its neighbours never take it down
    history = local_resources["drive"].list_files(DRIVE_HISTORY_FOLDER)
    assert {f.sha256 for f in history} >= {i.sha256 for i in manifest.new_items}


def test_a_document_the_classifier_fails_on_is_set_apart(champion_dir: Path) -> None:
    model = load_champion(LocalObjectStore(bucket="textil-modelos", root=str(champion_dir.parent)))
    good = [read_document(pdf, f"g{n}.pdf") for n, pdf in enumerate(generated_pdfs()[:2])]
    # An e-invoice whose seller name is not text: building its classifier text raises.
    odd = ReadDocument("x.xml", "f" * 64, "einvoice", einvoice=InvoiceData(seller=Party(7, "B1")))
    docs = [good[0], odd, good[1]]
    items = [ManifestItem(d.source, d.sha256, f"raw/{d.sha256}", 1) for d in docs]

    frame = classify_batch(zip(items, docs, strict=True), model).set_index("sha256")
    assert frame.loc[odd.sha256, "reason"] == "reader_error"
    assert "classify: TypeError" in frame.loc[odd.sha256, "detail"]
    assert set(frame.loc[[d.sha256 for d in good], "category"]) <= {"preventiva", "correctiva"}
    labels = labels_from_frame(frame.reset_index())
    assert isinstance(labels[odd.sha256], Failed)
