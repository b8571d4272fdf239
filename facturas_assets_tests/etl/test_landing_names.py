"""Landing names the platform cannot store: the sensor plans them and raw_invoices quarantines
them, while the rest of the batch goes on."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import sqlalchemy as sa
from dagster._serdes import deserialize_value, serialize_value

from facturas_assets.db import migrate
from facturas_assets.db.tables import quarantine
from facturas_assets.defs.ingestion.sensors import landing_sensor
from facturas_assets.pipeline import keys
from facturas_assets.pipeline.manifest import load_manifest
from facturas_assets.resources import build_resources
from facturas_assets_tests.etl.conftest import run_batch

LATIN1_NAME = b"recibo-\xf1\xe9.pdf"  # a Latin-1 name: not UTF-8
BACKSLASH_NAME = "fact\\ura.pdf"


def test_sensor_and_intake_survive_names_that_cannot_be_stored(facturas_home: Path, instance):
    resources = build_resources()
    engine = resources["database"].engine()
    migrate.upgrade(engine)
    store = resources["landing_store"]
    store.write_bytes("ok.pdf", b"%PDF fine")
    landing = os.fsencode(Path(store.root or facturas_home / "buckets") / store.bucket)
    for name, data in [(LATIN1_NAME, b"%PDF latin1"), (os.fsencode(BACKSLASH_NAME), b"%PDF bs")]:
        with open(os.path.join(landing, name), "wb") as f:
            f.write(data)

    with dg.build_sensor_context(instance=instance, resources={"landing_store": store}) as context:
        result = landing_sensor(context)
    [request] = result.run_requests
    # What the daemon stores and hands to the run is what the sensor planned.
    assert deserialize_value(serialize_value(request), dg.RunRequest) == request
    landing_keys = request.run_config["ops"]["raw_invoices"]["config"]["landing_keys"]
    assert len(landing_keys) == 3

    run = run_batch(resources, request.partition_key, landing_keys, instance, ["raw_invoices"])
    assert run.success
    [materialization] = run.asset_materializations_for_node("raw_invoices")
    metadata = materialization.metadata
    assert metadata["documents_in"].value == 3
    assert metadata["new"].value == 1 and metadata["quarantined_at_intake"].value == 2
    detail = {r.data["document"]: r.data["reason"] for r in metadata["quarantine_detail"].records}
    assert detail["fact\\ura.pdf"] == "unsafe_name"

    with engine.connect() as conn:
        rows = conn.execute(sa.select(quarantine.c.source_key, quarantine.c.reason)).all()
    assert sorted(rows) == [
        ("fact\\ura.pdf", "unsafe_name"),
        ("recibo-\\xf1\\xe9.pdf", "unsafe_name"),
    ]
    manifest = load_manifest(store, request.partition_key)
    assert [i.landing_key for i in manifest.new_items] == ["ok.pdf"]
    assert [o.key for o in store.list_objects(recursive=False)] == []  # landing is clear
    for item in manifest.quarantined:
        assert store.exists(keys.quarantine_key(request.partition_key, item.sha256, "x.pdf"))
