"""The batch manifest: the files of one batch, written once by intake and replayed on re-runs."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Literal

from facturas_assets.pipeline import keys
from facturas_assets.resources.object_store import ObjectStore

ItemStatus = Literal["new", "duplicate", "quarantined"]


@dataclass(slots=True)
class ManifestItem:
    """One landing file of the batch, after its copy into the raw zone."""

    landing_key: str
    sha256: str
    raw_key: str
    size: int
    status: ItemStatus = "new"
    duplicate_of: str | None = None  # the lote that already holds this content
    # Set when intake itself quarantined the file (a name that cannot be stored, a symlink):
    # a stable reason code and what was wrong, with the original name's exact bytes.
    quarantine_reason: str | None = None
    quarantine_detail: str | None = None


@dataclass(slots=True)
class BatchManifest:
    lote: str
    created_at: str
    items: list[ManifestItem] = field(default_factory=list)

    @property
    def new_items(self) -> list[ManifestItem]:
        """The files this batch processes (duplicates of earlier batches excluded)."""
        return [i for i in self.items if i.status == "new"]

    @property
    def duplicates(self) -> list[ManifestItem]:
        """Files whose content an earlier file (this batch or another) already brought."""
        return [i for i in self.items if i.status == "duplicate"]

    @property
    def quarantined(self) -> list[ManifestItem]:
        """Files intake quarantined instead of passing on to reading."""
        return [i for i in self.items if i.status == "quarantined"]

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1).encode()

    @classmethod
    def from_json(cls, data: bytes) -> BatchManifest:
        obj = json.loads(data)
        return cls(
            lote=obj["lote"],
            created_at=obj["created_at"],
            items=[ManifestItem(**item) for item in obj["items"]],
        )


def new_manifest(lote: str) -> BatchManifest:
    return BatchManifest(lote=lote, created_at=datetime.now(UTC).isoformat(timespec="seconds"))


def load_manifest(store: ObjectStore, lote: str) -> BatchManifest | None:
    """The batch's manifest, or None when intake has not run for it yet."""
    key = keys.manifest_key(lote)
    if not store.exists(key):
        return None
    return BatchManifest.from_json(store.read_bytes(key))


def save_manifest(store: ObjectStore, manifest: BatchManifest) -> None:
    store.write_bytes(keys.manifest_key(manifest.lote), manifest.to_json(), "application/json")
