"""Corrections teach: a review saved on MariaDB reaches the next training data set and reading memory."""

from __future__ import annotations

import hashlib
from pathlib import Path

import dagster as dg
import pytest

from facturas_assets.db import review
from facturas_assets.db.load import load_batch
from facturas_assets.defs.training import reviewed_corrections, training_dataset
from facturas_assets.pipeline.keys import raw_key
from facturas_assets.pipeline.reading_memory import rows_from_database
from facturas_assets.training.dataset_store import load_dataset
from facturas_assets.training.reviewed import load_reviewed
from facturas_assets_tests.db.factories import invoice
from facturas_assets_tests.training import corpus

SCAN_TEXT = (
    "FACTURA F-2024-0117\nHilaturas Ebro S.L. B99286320\n"
    "Reparacion urgente del telar 4: rotura de lanzadera y cambio de rodamientos\n"
    "Total 1.210,00 EUR"
)
MISREAD_ID = "B99286S20"  # what OCR made of the seller's tax id
TRUE_ID = "B99286320"


@pytest.fixture
def resources(facturas_home: Path, aws_env: str, mysql_url: str) -> dict:
    return corpus.training_resources(facturas_home, corpus.s3_models_store(aws_env), mysql_url)


def _pending_scan(resources: dict) -> str:
    """A scanned invoice loaded as pending review, its original in raw/; returns its sha256."""
    original = corpus.text_pdf(SCAN_TEXT)
    sha = hashlib.sha256(original).hexdigest()
    source = "mes-en-curso/scan-0117.pdf"
    resources["landing_store"].write_bytes(raw_key(sha, source), original, "application/pdf")
    head, lines = invoice(
        "scan-0117",
        sha256=sha,
        source_key=source,
        read_method="ocr",
        category="preventiva",
        seller_name="Hilaturas Ebro S.L.",
        seller_tax_id=MISREAD_ID,
        status="pending_review",
        review_reasons=["low_confidence: seller.tax_id read with confidence 0.40 (< 0.90)"],
    )
    for line in lines:
        line["invoice_sha256"] = sha
    load_batch(resources["database"].engine(), "20261206-scan", [head], lines)
    return sha


def test_a_saved_review_reaches_training_data_and_reading_memory(resources: dict) -> None:
    engine = resources["database"].engine()
    corpus.populate(Path(resources["drive"].root), n_train=40, n_test=20)
    sha = _pending_scan(resources)

    # Before the review: the unsure reading teaches nothing, and the data set does not hold it.
    assert ("Hilaturas Ebro S.L.", MISREAD_ID) not in rows_from_database(engine).parties
    before = dg.materialize([reviewed_corrections, training_dataset], resources=resources)
    assert before.success
    assert sha not in load_dataset(resources["models_store"]).train.sha256
    memory_before = rows_from_database(engine).version

    review.save_review(
        engine, sha, reviewer="ana", fields={"seller_tax_id": TRUE_ID}, category="correctiva"
    )

    after = dg.materialize([reviewed_corrections, training_dataset], resources=resources)
    (event,) = after.asset_materializations_for_node("reviewed_corrections")
    assert event.metadata["documents"].value == 1
    assert event.metadata["corrections_per_field"].value == {"category": 1, "seller_tax_id": 1}
    version, documents = load_reviewed(resources["models_store"])
    assert version == event.metadata["version"].value
    (doc,) = documents
    assert (doc.category, doc.record["seller_tax_id"]) == ("correctiva", TRUE_ID)
    assert "rotura de lanzadera" in doc.text  # the document's own text, as reading found it

    data = load_dataset(resources["models_store"])
    position = data.train.sha256.index(sha)
    assert data.train.labels[position] == "correctiva"
    assert "rotura de lanzadera" in data.train.texts[position]
    assert sha not in data.test.sha256  # the test split stays the frozen yardstick
    (dataset_event,) = after.asset_materializations_for_node("training_dataset")
    assert dataset_event.metadata["reviewed_documents"].value == 1

    # The next reading memory knows the seller by the corrected id, and its number series.
    rows = rows_from_database(engine)
    assert rows.version != memory_before
    assert ("Hilaturas Ebro S.L.", TRUE_ID) in rows.parties
    assert (TRUE_ID, "F-scan-0117") in rows.numbers
    assert rows.memory().parties.tax_id_of("Hilaturas Ebro S.L.") == TRUE_ID


def test_reviewed_corrections_is_declared_upstream_of_what_it_teaches() -> None:
    from facturas_assets.definitions import defs

    graph = defs.resolve_asset_graph()
    key = reviewed_corrections.key
    assert key in graph.get(dg.AssetKey("training_dataset")).parent_keys
    assert key in graph.get(dg.AssetKey("reading_memory")).parent_keys
