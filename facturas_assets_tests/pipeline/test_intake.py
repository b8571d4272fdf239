"""Intake: raw copies by sha256, manifest before deletion, duplicates and races processed once."""

from __future__ import annotations

import hashlib
import threading

import pytest

from facturas_assets.pipeline import claims, keys
from facturas_assets.pipeline.intake import intake_batch
from facturas_assets.pipeline.manifest import load_manifest


def _claimer(engine):
    return lambda sha, lote, key: claims.claim(engine, sha, lote, key)


def test_intake_copies_then_clears_landing_and_replays(store, engine):
    files = {"a.pdf": b"%PDF-1.4 a", "b.xml": b"<Invoice/>", "c.png": b"\x89PNG c"}
    for name, data in files.items():
        store.write_bytes(name, data)

    result = intake_batch(store, "L1", list(files), _claimer(engine))
    assert not result.replayed
    manifest = load_manifest(store, "L1")
    assert [i.landing_key for i in manifest.items] == sorted(files)
    for item in manifest.items:
        assert item.sha256 == hashlib.sha256(files[item.landing_key]).hexdigest()
        assert store.read_bytes(item.raw_key) == files[item.landing_key]
        assert not store.exists(item.landing_key)  # removed from landing only after the copy

    # Re-materializing reads the manifest and raw zone, never the (now empty) landing.
    again = intake_batch(store, "L1", list(files), _claimer(engine))
    assert again.replayed and again.manifest.items == manifest.items


def test_same_content_twice_is_processed_once(store, engine):
    store.write_bytes("factura.pdf", b"%PDF same")
    store.write_bytes("factura (1).pdf", b"%PDF same")
    first = intake_batch(store, "L1", ["factura.pdf", "factura (1).pdf"], _claimer(engine))
    assert len(first.manifest.new_items) == 1 and len(first.manifest.duplicates) == 1

    store.write_bytes("otra-vez.pdf", b"%PDF same")  # uploaded again days later
    second = intake_batch(store, "L2", ["otra-vez.pdf"], _claimer(engine))
    assert second.manifest.new_items == []
    assert second.manifest.duplicates[0].duplicate_of == "L1"


def test_an_interrupted_intake_loses_nothing(store, engine):
    store.write_bytes("a.pdf", b"%PDF a")
    store.write_bytes("b.pdf", b"%PDF b")

    def failing_claim(sha, lote, key):
        if key == "b.pdf":
            raise ConnectionError("database went away")
        return claims.claim(engine, sha, lote, key)

    with pytest.raises(ConnectionError):
        intake_batch(store, "L1", ["a.pdf", "b.pdf"], failing_claim)
    assert store.exists("a.pdf") and store.exists("b.pdf")  # nothing deleted before the manifest
    assert load_manifest(store, "L1") is None

    result = intake_batch(store, "L1", ["a.pdf", "b.pdf"], _claimer(engine))
    assert len(result.manifest.new_items) == 2
    assert not store.exists("a.pdf") and not store.exists("b.pdf")


def test_racing_batches_never_take_a_file_twice(store, engine):
    names = [f"f{i:02d}.pdf" for i in range(12)]
    for name in names:
        store.write_bytes(name, f"%PDF {name}".encode())
    results = {}
    errors = []

    def run(lote):
        try:
            results[lote] = intake_batch(store, lote, names, _claimer(engine))
        except Exception as exc:  # a lost race on a deleted key must not fail a batch
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(lote,)) for lote in ("RA", "RB")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    owners: dict[str, str] = {}
    for lote, result in results.items():
        for item in result.manifest.new_items:
            assert item.sha256 not in owners, "a file was taken by two batches"
            owners[item.sha256] = lote
    expected = {hashlib.sha256(f"%PDF {n}".encode()).hexdigest() for n in names}
    assert set(owners) == expected  # and none was lost
    for sha in expected:
        assert store.exists(keys.raw_key(sha, "x.pdf"))
