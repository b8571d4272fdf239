"""Intake: copy a batch's landing files into the raw zone, write its manifest, then clear landing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from hashlib import sha256 as sha256_of

from facturas_assets.pipeline import keys
from facturas_assets.pipeline.manifest import (
    BatchManifest,
    ManifestItem,
    load_manifest,
    new_manifest,
    save_manifest,
)
from facturas_assets.resources.object_store import ObjectNotFoundError, ObjectStore

Claimer = Callable[[str, str, str], str]  # (sha256, lote, landing_key) -> owning lote


@dataclass(slots=True)
class IntakeResult:
    manifest: BatchManifest
    replayed: bool  # True: the manifest already existed, landing was not touched
    missing: list[str] = field(default_factory=list)  # keys gone before intake (taken elsewhere)


def intake_batch(
    store: ObjectStore,
    lote: str,
    landing_keys: Iterable[str],
    claim: Claimer,
    progress: Callable[[int], None] | None = None,
) -> IntakeResult:
    """Make the batch's manifest; idempotent, and the landing files go only once safely copied.

    A batch that already has a manifest is replayed from it (the raw zone), never from landing.
    An intake interrupted half-way is simply run again: raw copies are content-addressed and
    claims return the same owner, and landing still holds every file because deletion comes last.
    """
    existing = load_manifest(store, lote)
    if existing is not None:
        return IntakeResult(existing, replayed=True)

    manifest = new_manifest(lote)
    seen: dict[str, str] = {}
    missing: list[str] = []
    for n, key in enumerate(sorted(set(landing_keys)), start=1):
        try:
            data = store.read_bytes(key)
        except ObjectNotFoundError:  # taken by a racing batch, or deleted by its owner
            missing.append(key)
            continue
        digest = sha256_of(data).hexdigest()
        raw = keys.raw_key(digest, key)
        if not store.exists(raw):
            store.write_bytes(raw, data)
        item = ManifestItem(landing_key=key, sha256=digest, raw_key=raw, size=len(data))
        if digest in seen:
            item.status, item.duplicate_of = "duplicate", lote
        else:
            owner = claim(digest, lote, key)
            if owner != lote:
                item.status, item.duplicate_of = "duplicate", owner
        seen.setdefault(digest, key)
        manifest.items.append(item)
        if progress:
            progress(n)

    save_manifest(store, manifest)
    for item in manifest.items:  # only now: every file is in the raw zone and named in the manifest
        store.delete(item.landing_key)
    return IntakeResult(manifest, replayed=False, missing=missing)
