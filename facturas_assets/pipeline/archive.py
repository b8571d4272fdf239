"""Archive stage: every original into Drive histórico, loaded ones also by category."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from facturas_assets.pipeline.isolation import Failed, isolate
from facturas_assets.pipeline.manifest import ManifestItem
from facturas_assets.resources.drive import DriveResource
from facturas_assets.resources.object_store import ObjectStore
from facturas_assets.settings import (
    DRIVE_CORRECTIVE_FOLDER,
    DRIVE_HISTORY_FOLDER,
    DRIVE_PREVENTIVE_FOLDER,
)

CATEGORY_FOLDERS = {"preventiva": DRIVE_PREVENTIVE_FOLDER, "correctiva": DRIVE_CORRECTIVE_FOLDER}


@dataclass(slots=True)
class ArchiveResult:
    # sha256 -> (file id in histórico, file id in the category folder or None)
    file_ids: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    # sha256 -> why the document could not be archived (Drive refused its name, ...)
    failures: dict[str, Failed] = field(default_factory=dict)


def _archive_one(
    drive: DriveResource, store: ObjectStore, item: ManifestItem, category: str | None
) -> tuple[str | None, str | None]:
    """Upload one original to histórico and, when loaded, to its category folder."""
    name = PurePosixPath(item.landing_key).name
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    data = store.read_bytes(item.raw_key)
    folders = [DRIVE_HISTORY_FOLDER]
    if category:
        folders.append(CATEGORY_FOLDERS[category])
    ids = [drive.upload(folder, name, data, mime, item.sha256).id for folder in folders]
    return ids[0], ids[1] if len(ids) > 1 else None


def archive_batch(
    drive: DriveResource,
    store: ObjectStore,
    items: list[ManifestItem],
    categories: dict[str, str],
    progress: Callable[[int, int], None] | None = None,
) -> ArchiveResult:
    """Upload each original once per folder: uploads are idempotent on the file's sha256. A
    document that fails is listed in `failures`; the others are archived."""
    result = ArchiveResult()
    for n, item in enumerate(items, start=1):
        category = categories.get(item.sha256)
        ids = isolate(
            "archive",
            lambda item=item, category=category: _archive_one(drive, store, item, category),
            source=item.landing_key,
        )
        if isinstance(ids, Failed):
            result.failures[item.sha256] = ids
        else:
            result.file_ids[item.sha256] = ids
        if progress:
            progress(n, len(items))
    return result
