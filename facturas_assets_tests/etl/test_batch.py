"""A batch end to end on the local environment: good files load, bad ones are quarantined,
nothing is lost, and a re-run changes nothing."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from facturas_assets.db.tables import invoice_lines, invoices, quarantine
from facturas_assets.pipeline import keys
from facturas_assets.pipeline.manifest import load_manifest
from facturas_assets.settings import DRIVE_HISTORY_FOLDER
from facturas_assets_tests.etl.bad_files import bad_files
from facturas_assets_tests.etl.conftest import land_generated, run_batch


def _count(engine, table, **where):
    query = sa.select(sa.func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


def _check(result, name):
    evaluations = [e for e in result.get_asset_check_evaluations() if e.check_name == name]
    assert evaluations, f"check {name} did not run"
    return evaluations[-1]


def test_mixed_batch_loads_good_and_quarantines_bad(local_resources, instance, tmp_path: Path):
    store, engine, drive = (
        local_resources["landing_store"],
        local_resources["database"].engine(),
        local_resources["drive"],
    )
    good = land_generated(store, tmp_path, 8, seed=21, renderings=["text-pdf"])
    good += land_generated(store, tmp_path, 2, seed=22, renderings=["scan-pdf", "scan-image"])
    bad = bad_files(store.read_bytes(good[0]))
    for name, data in bad.items():
        store.write_bytes(name, data)
    store.write_bytes("copia-" + good[1], store.read_bytes(good[1]))  # same content twice
    landing = good + list(bad) + ["copia-" + good[1]]

    result = run_batch(local_resources, "20260101-000000-test", landing, instance)
    assert result.success

    manifest = load_manifest(store, "20260101-000000-test")
    assert len(manifest.items) == len(landing)
    assert len(manifest.duplicates) == 1
    assert not any(store.exists(k) for k in landing)  # landing cleared, all safe in raw/
    for item in manifest.items:
        assert store.exists(item.raw_key)

    loaded = _count(engine, invoices, lote="20260101-000000-test")
    quarantined = _count(engine, quarantine, lote="20260101-000000-test")
    assert loaded + quarantined == len(manifest.new_items)  # count in = loaded + quarantined
    assert _check(result, "counts_balance").passed
    assert loaded >= 9  # the generated invoices (one scan may be quarantined, never lost)

    with engine.connect() as conn:
        reasons = dict(conn.execute(sa.select(quarantine.c.source_key, quarantine.c.reason)).all())
    assert reasons["vacia.pdf"] == "empty_file"
    assert reasons["protegida.pdf"] == "encrypted_pdf"
    assert reasons["xxe.xml"] == "xml_forbidden_construct"
    assert set(bad) <= set(reasons), f"not quarantined: {set(bad) - set(reasons)}"
    for source, _reason in reasons.items():
        sha = next(i.sha256 for i in manifest.items if i.landing_key == source)
        assert store.exists(keys.quarantine_key("20260101-000000-test", sha, source))

    history = drive.list_files(DRIVE_HISTORY_FOLDER)
    assert len(history) == len(manifest.new_items)  # every original, quarantined ones too
    lines = _count(engine, invoice_lines)
    assert lines > loaded

    # A re-run of the batch replays it from the raw zone and leaves exactly the same rows.
    again = run_batch(local_resources, "20260101-000000-test", landing, instance)
    assert again.success
    assert _count(engine, invoices) == loaded
    assert _count(engine, invoice_lines) == lines
    assert _count(engine, quarantine) == quarantined
    assert len(drive.list_files(DRIVE_HISTORY_FOLDER)) == len(history)  # nothing uploaded twice
