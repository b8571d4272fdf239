"""A batch records the versions it was read with, and a re-run given them reproduces its rows."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import sqlalchemy as sa

from facturas_assets.db.tables import invoice_lines, invoices
from facturas_assets.documents.cache import READER_VERSION
from facturas_assets_tests.etl.conftest import etl_job, land_generated, run_batch

LOTE_A, LOTE_B = "20260301-000000-a", "20260301-010000-b"
# Everything after reading the files (raw_invoices already moved them out of landing).
RERUN = ["invoice_text", "classified_invoices", "reading_memory", "invoice_tables", "invoice_rows"]
VOLATILE = {"loaded_at", "drive_history_file_id", "drive_category_file_id"}


def _metadata(result: dg.ExecuteInProcessResult, asset: str) -> dict:
    [event] = [
        e.materialization
        for e in result.get_asset_materialization_events()
        if e.asset_key == dg.AssetKey(asset)
    ]
    return {k: v.value for k, v in event.metadata.items()}


def _rows(engine, lote: str) -> tuple[list[tuple], list[tuple]]:
    """The batch's invoices and lines as loaded, without load times and Drive ids."""
    columns = [c for c in invoices.c if c.name not in VOLATILE]
    with engine.connect() as conn:
        heads = conn.execute(
            sa.select(*columns).where(invoices.c.lote == lote).order_by(invoices.c.sha256)
        ).all()
        shas = [h.sha256 for h in heads]
        lines = conn.execute(
            sa.select(invoice_lines)
            .where(invoice_lines.c.invoice_sha256.in_(shas))
            .order_by(invoice_lines.c.invoice_sha256, invoice_lines.c.line_no)
        ).all()
    return [tuple(r) for r in heads], [tuple(r) for r in lines]


def _rerun(resources: dict, instance: dg.DagsterInstance, ops: dict) -> dg.ExecuteInProcessResult:
    return etl_job(resources).execute_in_process(
        instance=instance,
        partition_key=LOTE_A,
        run_config={"ops": ops},
        asset_selection=[dg.AssetKey(a) for a in RERUN],
        raise_on_error=False,
    )


def test_rerun_with_recorded_versions_reproduces_the_rows(
    local_resources, instance, tmp_path: Path
):
    store, engine = local_resources["landing_store"], local_resources["database"].engine()
    first_a = land_generated(store, tmp_path, 3, seed=41, renderings=["text-pdf"])
    first_a += land_generated(store, tmp_path, 2, seed=42, renderings=["scan-pdf"])
    run_a = run_batch(local_resources, LOTE_A, first_a, instance)
    assert run_a.success
    versions = _metadata(run_a, "invoice_tables")["versions"]
    assert versions["reader_version"] == READER_VERSION
    assert (
        versions["champion_version"] == _metadata(run_a, "classified_invoices")["champion_version"]
    )
    assert versions["reading_memory"] == _metadata(run_a, "reading_memory")["version"]
    rows_a = _rows(engine, LOTE_A)
    assert rows_a[0] and rows_a[1]

    # Batch B loads more exact readings: the memory the database teaches now differs.
    run_b = run_batch(
        local_resources,
        LOTE_B,
        land_generated(store, tmp_path, 6, seed=43, renderings=["text-pdf"]),
        instance,
    )
    assert run_b.success
    memory_b = _metadata(run_b, "reading_memory")["version"]
    assert memory_b != versions["reading_memory"]

    pinned = _rerun(
        local_resources,
        instance,
        {
            "reading_memory": {"config": {"version": versions["reading_memory"]}},
            "classified_invoices": {"config": {"champion_version": versions["champion_version"]}},
        },
    )
    assert pinned.success
    assert _metadata(pinned, "invoice_tables")["versions"] == versions
    assert _metadata(pinned, "reading_memory")["pinned"] is True
    assert _rows(engine, LOTE_A) == rows_a


def test_a_missing_pinned_version_fails_clearly(local_resources, instance, tmp_path: Path):
    store = local_resources["landing_store"]
    keys = land_generated(store, tmp_path, 1, seed=44, renderings=["text-pdf"])
    assert run_batch(local_resources, LOTE_A, keys, instance).success
    result = _rerun(
        local_resources, instance, {"reading_memory": {"config": {"version": "0" * 64}}}
    )
    assert not result.success
    [failure] = [e for e in result.all_events if e.is_step_failure]
    assert "no reading memory version" in str(failure.step_failure_data.error.message)
