"""Quarantine, batch and training-run records: idempotent writes on SQLite and MariaDB."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from facturas_assets.db.load import (
    get_batch,
    mark_promoted,
    mark_requeued,
    record_batch,
    record_quarantine,
    record_training_run,
    update_batch,
)
from facturas_assets.db.rows import RowError
from facturas_assets.db.tables import quarantine, tracking
from facturas_assets_tests.db.factories import sha


def quarantine_rows(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        return [
            dict(r._mapping)
            for r in conn.execute(
                sa.select(quarantine).order_by(quarantine.c.lote, quarantine.c.sha256)
            )
        ]


def test_quarantine_is_recorded_once_per_document_and_batch(engine: Engine) -> None:
    first_seen = datetime(2024, 3, 1, 10, 0, 0)
    rows = [
        {
            "sha256": sha("roto"),
            "lote": "lote-1",
            "source_key": "mes-en-curso/roto.pdf",
            "stored_key": "quarantine/lote-1/roto.pdf",
            "reason": "unreadable_pdf",
            "detail": "cabecera %PDF ausente — fichero truncado",
            "created_at": first_seen,
        },
        {
            "sha256": sha("foto"),
            "lote": "lote-1",
            "source_key": "mes-en-curso/foto.jpg",
            "reason": "not_an_invoice",
        },
    ]
    assert record_quarantine(engine, rows) == 2
    again = [dict(rows[0], reason="password_protected", detail="cifrado", created_at=None)]
    record_quarantine(engine, again)
    stored = quarantine_rows(engine)
    assert len(stored) == 2
    roto = next(r for r in stored if r["sha256"] == sha("roto"))
    assert (roto["reason"], roto["detail"], roto["created_at"]) == (
        "password_protected",
        "cifrado",
        first_seen,
    )

    # The same document quarantined again in a later batch is a row of that batch.
    record_quarantine(engine, [dict(rows[1], lote="lote-2")])
    assert len(quarantine_rows(engine)) == 3

    requeued_at = datetime(2024, 3, 2, 8, 30, 0)
    assert mark_requeued(engine, [(sha("foto"), "lote-1")], at=requeued_at) == 1
    assert mark_requeued(engine, [(sha("nunca"), "lote-1")]) == 0
    stamped = {(r["sha256"], r["lote"]): r["requeued_at"] for r in quarantine_rows(engine)}
    assert stamped[(sha("foto"), "lote-1")] == requeued_at
    assert stamped[(sha("foto"), "lote-2")] is None

    with pytest.raises(RowError, match="reason"):
        record_quarantine(engine, [dict(rows[1], reason=None)])


def test_batch_lifecycle_merges_timings_and_keeps_counts(engine: Engine) -> None:
    record_batch(engine, "lote-7", count_in=12)
    update_batch(engine, "lote-7", status="processing", timings={"raw_invoices": 1.5})
    update_batch(
        engine,
        "lote-7",
        status="done",
        count_loaded=10,
        count_quarantined=2,
        timings={"invoice_rows": 0.25},
    )
    record_batch(engine, "lote-7", status="processing", count_in=12)  # a re-materialization
    batch = get_batch(engine, "lote-7")
    assert batch is not None
    assert (batch["status"], batch["count_in"], batch["count_loaded"]) == ("processing", 12, 10)
    assert batch["count_quarantined"] == 2
    assert batch["timings"] == {"raw_invoices": 1.5, "invoice_rows": 0.25}
    assert batch["created_at"] <= batch["updated_at"]

    assert get_batch(engine, "nunca") is None
    with pytest.raises(LookupError):
        update_batch(engine, "nunca", status="done")
    with pytest.raises(RowError, match="status"):
        update_batch(engine, "lote-7", status="perdido")
    with pytest.raises(RowError, match="non-negative"):
        update_batch(engine, "lote-7", count_loaded=-1)


def test_training_runs_are_tracked_once_per_run(engine: Engine) -> None:
    run = {
        "run_id": "dagster-run-1",
        "mlflow_run_id": "a1b2c3",
        "model_name": "invoice_classifier",
        "model_version": "3",
        "data_hash": sha("dataset"),
        "train_size": 800,
        "test_size": 200,
        "accuracy": 0.9712,
        "f1": 0.9698,
        "loss": 0.0871,
        "per_class_recall": {"preventiva": 0.98, "correctiva": 0.9625},
        "params": {"epochs": 8, "learning_rate": 0.001},
        "duration_s": 42.5,
    }
    first_id = record_training_run(engine, run)
    second_id = record_training_run(engine, dict(run, model_version="4", accuracy=0.975))
    assert first_id == second_id
    other_id = record_training_run(engine, dict(run, run_id="dagster-run-2", promoted=True))
    assert other_id != first_id
    mark_promoted(engine, "dagster-run-1")
    with pytest.raises(LookupError):
        mark_promoted(engine, "no-such-run")

    with engine.connect() as conn:
        rows = {
            r.run_id: r for r in conn.execute(sa.select(tracking).order_by(tracking.c.id)).all()
        }
    assert set(rows) == {"dagster-run-1", "dagster-run-2"}
    first = rows["dagster-run-1"]
    assert (first.model_version, first.accuracy, first.promoted) == ("4", 0.975, True)
    assert first.per_class_recall == {"preventiva": 0.98, "correctiva": 0.9625}
    assert rows["dagster-run-2"].promoted is True
    with pytest.raises(RowError, match="run_id"):
        record_training_run(engine, {"accuracy": 0.5})
