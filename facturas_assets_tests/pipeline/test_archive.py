"""The archive step: a document Drive refuses is listed as failed, the others are archived."""

from __future__ import annotations

import hashlib
from pathlib import Path

from facturas_assets.pipeline.archive import archive_batch
from facturas_assets.pipeline.manifest import ManifestItem
from facturas_assets.resources.drive import LocalDrive
from facturas_assets.resources.object_store import LocalObjectStore
from facturas_assets.settings import DRIVE_HISTORY_FOLDER


def test_a_name_drive_refuses_fails_that_document_only(tmp_path: Path) -> None:
    store = LocalObjectStore(bucket="mes-en-curso", root=str(tmp_path / "buckets"))
    drive = LocalDrive(root=str(tmp_path / "drive"))
    items = []
    for name in ("a.pdf", "cajas/.drive", "b.pdf"):  # ".drive" is the local archive's own index
        data = f"%PDF-1.4 {name}".encode()
        sha = hashlib.sha256(data).hexdigest()
        store.write_bytes(f"raw/{sha}", data)
        items.append(ManifestItem(name, sha, f"raw/{sha}", len(data)))
    categories = {items[0].sha256: "preventiva", items[1].sha256: "correctiva"}

    result = archive_batch(drive, store, items, categories)
    assert set(result.failures) == {items[1].sha256}
    assert result.failures[items[1].sha256].reason == "reader_error"
    assert "archive: ValueError: reserved Drive name" in result.failures[items[1].sha256].detail
    assert set(result.file_ids) == {items[0].sha256, items[2].sha256}
    assert len(drive.list_files(DRIVE_HISTORY_FOLDER)) == 2
