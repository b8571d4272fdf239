"""The landing sensor and hourly schedule: bounded ticks, cursor, no file requested twice."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta

import dagster as dg
from dagster._core.utils import make_new_run_id

from facturas_assets.defs.batches import batch_partitions
from facturas_assets.defs.ingestion.sensors import landing_schedule, landing_sensor
from facturas_assets.resources.object_store import LocalObjectStore


def _store(tmp_path) -> LocalObjectStore:
    return LocalObjectStore(bucket="mes-en-curso", root=str(tmp_path / "buckets"))


def _tick(store, instance, cursor=None) -> dg.SensorResult:
    # Closed after the tick: an open context with resources leaves Dagster's current
    # definitions-state storage set to a dead instance for the tests after it.
    with dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"landing_store": store}
    ) as context:
        return landing_sensor(context)


def _requested(result: dg.SensorResult) -> list[str]:
    return [
        key
        for request in result.run_requests
        for key in request.run_config["ops"]["raw_invoices"]["config"]["landing_keys"]
    ]


def test_sensor_opens_capped_batches_and_walks_with_its_cursor(tmp_path, instance, monkeypatch):
    monkeypatch.setattr("facturas_assets.defs.ingestion.sensors.MAX_FILES_PER_BATCH", 4)
    monkeypatch.setattr("facturas_assets.defs.ingestion.sensors.MAX_BATCHES_PER_TICK", 2)
    store = _store(tmp_path)
    names = [f"f{i:02d}.pdf" for i in range(11)]
    for name in names:
        store.write_bytes(name, name.encode())

    first = _tick(store, instance)
    assert [len(r.run_config["ops"]["raw_invoices"]["config"]["landing_keys"])
            for r in first.run_requests] == [4, 4]  # fmt: skip
    add = first.dynamic_partitions_requests[0]
    assert add.partitions_def_name == batch_partitions.name
    assert sorted(add.partition_keys) == sorted(r.partition_key for r in first.run_requests)
    assert all(r.run_key == r.partition_key for r in first.run_requests)
    assert all(r.tags["facturas/ocr"] == "heavy" for r in first.run_requests)

    second = _tick(store, instance, first.cursor)  # continues after the cursor: no re-listing
    assert _requested(second) == names[8:]
    assert json.loads(second.cursor) == {"after": None}  # end reached: next pass from the top
    assert sorted(_requested(first) + _requested(second)) == names


def test_new_pass_waits_while_earlier_batches_have_not_taken_their_files(tmp_path, instance):
    store = _store(tmp_path)
    store.write_bytes("a.pdf", b"a")
    first = _tick(store, instance)
    request = first.run_requests[0]
    instance.add_dynamic_partitions(batch_partitions.name, [request.partition_key])
    # A run for that batch that has not started yet (not yet started: its files still sit in landing).
    instance.add_run(
        dg.DagsterRun(
            job_name="invoice_etl_job",
            run_id=make_new_run_id(),
            status=dg.DagsterRunStatus.NOT_STARTED,
            tags={"dagster/partition": request.partition_key},
        )
    )
    again = _tick(store, instance, first.cursor)
    assert not again.run_requests  # the same file is not requested a second time
    assert "waiting for intake" in (again.skip_reason.skip_message or "")


def test_schedule_takes_only_files_left_over_an_hour(tmp_path, instance):
    store = _store(tmp_path)
    store.write_bytes("recent.pdf", b"r")
    with dg.build_schedule_context(
        instance=instance,
        resources={"landing_store": store},
        scheduled_execution_time=datetime.now(UTC),
    ) as context:
        assert isinstance(landing_schedule(context), dg.SkipReason)

        old = tmp_path / "buckets" / "mes-en-curso" / "old.pdf"
        old.write_bytes(b"o")
        stamp = (datetime.now(UTC) - timedelta(hours=2)).timestamp()
        os.utime(old, (stamp, stamp))
        requests = landing_schedule(context)
    assert [r.run_config["ops"]["raw_invoices"]["config"]["landing_keys"] for r in requests] == [
        ["old.pdf"]
    ]
    assert instance.has_dynamic_partition(batch_partitions.name, requests[0].partition_key)
