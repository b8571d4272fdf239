"""Intake: copy a batch's landing files into the raw zone, write its manifest, then clear landing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
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
# (lote, [(sha256, landing_key)]) -> sha256 -> owning lote: every claim of a batch at once
BulkClaimer = Callable[[str, list[tuple[str, str]]], dict[str, str]]

# Copies in flight at once: each is a few store round trips (read, exists, write), so threads
# overlap their latency (S3 requests, fsyncs) while holding only this many files in memory.
COPY_THREADS = 8


@dataclass(slots=True)
class IntakeResult:
    manifest: BatchManifest
    replayed: bool  # True: the manifest already existed, landing was not touched
    missing: list[str] = field(default_factory=list)  # keys gone before intake (taken elsewhere)


def _copy_to_raw(store: ObjectStore, key: str) -> ManifestItem | None:
    """Copy one landing file into the raw zone (once per content); None when it is gone."""
    try:
        data = store.read_bytes(key)
    except ObjectNotFoundError:  # taken by a racing batch, or deleted by its owner
        return None
    digest = sha256_of(data).hexdigest()
    raw = keys.raw_key(digest, key)
    if not store.exists(raw):
        store.write_bytes(raw, data)
    return ManifestItem(landing_key=key, sha256=digest, raw_key=raw, size=len(data))


def intake_batch(
    store: ObjectStore,
    lote: str,
    landing_keys: Iterable[str],
    claim: Claimer | None = None,
    progress: Callable[[int], None] | None = None,
    *,
    claim_many: BulkClaimer | None = None,
    threads: int = COPY_THREADS,
) -> IntakeResult:
    """Make the batch's manifest; idempotent, and the landing files go only once safely copied.

    Contents are claimed with `claim_many` (one call for the batch) when given, else one
    `claim` call per content. A batch that already has a manifest is replayed from it (the raw
    zone), never from landing. An intake interrupted half-way is simply run again: raw copies
    are content-addressed and claims return the same owner, and landing still holds every file
    because deletion comes last.
    """
    if claim is None and claim_many is None:
        raise ValueError("intake needs a claim or claim_many function")
    existing = load_manifest(store, lote)
    if existing is not None:
        return IntakeResult(existing, replayed=True)

    manifest = new_manifest(lote)
    missing: list[str] = []
    with ThreadPoolExecutor(max(1, threads), thread_name_prefix="intake") as pool:
        ordered = sorted(set(landing_keys))
        for n, (key, item) in enumerate(
            zip(ordered, pool.map(lambda k: _copy_to_raw(store, k), ordered), strict=True),
            start=1,
        ):
            if item is None:
                missing.append(key)
                continue
            manifest.items.append(item)
            if progress:
                progress(n)

        # The first file of each content (in key order) claims it for this batch.
        first: dict[str, str] = {}
        for item in manifest.items:
            first.setdefault(item.sha256, item.landing_key)
        if claim_many is not None:
            owners = claim_many(lote, list(first.items()))
        else:
            owners = {sha: claim(sha, lote, key) for sha, key in first.items()}  # type: ignore[misc]
        for item in manifest.items:
            if first[item.sha256] != item.landing_key:
                item.status, item.duplicate_of = "duplicate", lote
            elif owners[item.sha256] != lote:
                item.status, item.duplicate_of = "duplicate", owners[item.sha256]

        save_manifest(store, manifest)
        # Only now: every file is in the raw zone and named in the manifest.
        list(pool.map(lambda item: store.delete(item.landing_key), manifest.items))
    return IntakeResult(manifest, replayed=False, missing=missing)
