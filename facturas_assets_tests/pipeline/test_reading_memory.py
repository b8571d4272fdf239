"""The reading memory as a stored, versioned object: the same rows, the same version, intact."""

from __future__ import annotations

import pytest

from facturas_assets.pipeline.reading_memory import (
    MemoryRows,
    load_rows,
    memory_key,
    save_rows,
)

ROWS = MemoryRows(
    descriptions=["Cambio de rodamientos del telar", "Revisión anual de la urdidora"],
    parties=[("Hilaturas Ebro S.L.", "B12345674")],
    numbers=[("B12345674", "HE-2024/0117")],
)


def test_save_and_load_by_version(store):
    version = save_rows(store, ROWS)
    assert version == ROWS.version
    assert store.exists(memory_key(version))
    loaded = load_rows(store, version)
    assert loaded == ROWS
    assert len(loaded.memory().vocabulary) > 0  # what extraction learns from it


def test_different_rows_get_a_different_version():
    more = MemoryRows(ROWS.descriptions + ["Engrase de lanzadera"], ROWS.parties, ROWS.numbers)
    assert more.version != ROWS.version
    same = MemoryRows(list(ROWS.descriptions), list(ROWS.parties), list(ROWS.numbers))
    assert same.version == ROWS.version


def test_missing_or_altered_memory_is_an_error(store):
    with pytest.raises(LookupError, match="no reading memory version"):
        load_rows(store, "0" * 64)
    version = save_rows(store, ROWS)
    store.write_bytes(memory_key(version), ROWS.payload().replace(b"urdidora", b"bobinadora"))
    with pytest.raises(ValueError, match="does not match its content"):
        load_rows(store, version)
