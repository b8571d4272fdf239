"""Planning batches from landing: bounded slices, cursor continuation, platform prefixes ignored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from facturas_assets.pipeline.planning import plan_batches


def _land(store, names):
    for name in names:
        store.write_bytes(name, f"content of {name}".encode())


def test_batches_are_capped_and_cover_every_file_once(store):
    names = [f"f{i:03d}.pdf" for i in range(23)]
    _land(store, names)
    store.write_bytes("raw/ab/abc.pdf", b"x")  # the platform's own prefixes are never landing
    store.write_bytes("batches/l1/manifest.json", b"{}")

    plan = plan_batches(store, max_files_per_batch=5, max_batches=2)
    assert [len(b.landing_keys) for b in plan.batches] == [5, 5]
    assert plan.next_after == "f009.pdf"

    seen = [k for b in plan.batches for k in b.landing_keys]
    after = plan.next_after
    while after is not None:
        plan = plan_batches(store, start_after=after, max_files_per_batch=5, max_batches=2)
        seen += [k for b in plan.batches for k in b.landing_keys]
        after = plan.next_after
    assert seen == names  # every file exactly once, in key order, across ticks


def test_lote_ids_are_unique_and_sortable(store):
    _land(store, ["a.pdf", "b.pdf", "c.pdf"])
    plan = plan_batches(store, max_files_per_batch=1, max_batches=3)
    lotes = [b.lote for b in plan.batches]
    assert len(set(lotes)) == 3
    assert all(lote[:8].isdigit() and lote[8] == "-" for lote in lotes)


def test_young_files_wait_for_the_schedule_age(store):
    _land(store, ["new.pdf"])
    plan = plan_batches(store, min_age=timedelta(hours=1))
    assert plan.batches == [] and plan.skipped_young == 1
    later = datetime.now(UTC) + timedelta(hours=2)
    assert plan_batches(store, min_age=timedelta(hours=1), now=later).batches
