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
from facturas_assets.pipeline.quarantine import Rejection, quarantine_documents
from facturas_assets.resources.object_store import (
    NotRegularObjectError,
    ObjectChangingError,
    ObjectNotFoundError,
    ObjectStore,
    ObjectVersion,
    key_problem,
)

Claimer = Callable[[str, str, str], str]  # (sha256, lote, landing_key) -> owning lote
# (lote, [(sha256, landing_key)]) -> sha256 -> owning lote: every claim of a batch at once
BulkClaimer = Callable[[str, list[tuple[str, str]]], dict[str, str]]

# Copies in flight at once: each is a few store round trips (read, verify, write), so threads
# overlap their latency (S3 requests, fsyncs) while holding only this many files in memory.
COPY_THREADS = 8

# Reason codes of the files intake quarantines itself (the rest go on to reading).
UNSAFE_NAME = "unsafe_name"


class IntakeError(RuntimeError):
    """The raw zone does not hold what was read: landing is left untouched."""


@dataclass(slots=True)
class IntakeResult:
    manifest: BatchManifest
    replayed: bool  # True: the manifest already existed, landing was not touched
    missing: list[str] = field(default_factory=list)  # keys gone before intake (taken elsewhere)
    # Changed while intake ran (what was read is in this batch) or still being written: left in
    # landing for the next batch (display names).
    left_in_landing: list[str] = field(default_factory=list)
    # Quarantine rows (for the database) of the files intake quarantined, replays included.
    quarantine_rows: list[dict] = field(default_factory=list)


@dataclass(slots=True)
class _Taken:
    """One landing entry as intake read it: the exact key, its manifest item, its version."""

    key: str
    item: ManifestItem
    version: ObjectVersion  # the only object intake may delete from landing


def _store_raw(store: ObjectStore, raw: str, data: bytes, digest: str) -> None:
    """Put content into the raw zone and prove it arrived: the stored sha256 must match."""
    if store.stored_sha256(raw) == digest:
        return  # this content is already in the raw zone (an earlier file or batch)
    # Missing, or a torn object under a content address: written (again) from the bytes read,
    # with the sha256 the store checks on write (S3) and reports back (a HEAD on S3).
    store.write_verified(raw, data, digest)
    if store.stored_sha256(raw) != digest:
        raise IntakeError(f"raw copy {raw} does not hold sha256 {digest}; landing kept")


def _name_bytes(key: str) -> str:
    """The exact bytes of a landing name, as hex (a display name can be ambiguous)."""
    return key.encode("utf-8", "surrogateescape").hex()


def _not_a_file(key: str, exc: NotRegularObjectError) -> ManifestItem:
    """A quarantine item for a landing entry that is no plain file: nothing of it is read."""
    name = keys.display_name(key)
    # No content to hash: the id is derived from the name, so one entry gets one row per batch.
    ident = sha256_of(b"not-a-file\0" + key.encode("utf-8", "surrogateescape")).hexdigest()
    return ManifestItem(
        landing_key=name,
        sha256=ident,
        raw_key="",
        size=0,
        status="quarantined",
        quarantine_reason=exc.reason,
        quarantine_detail=f"{exc.detail}; not read. Original name bytes: {_name_bytes(key)}",
    )


# What _take returns for a file still being written: not taken now, left in landing.
_STILL_WRITTEN = "still being written"


def _take(store: ObjectStore, key: str) -> _Taken | str | None:
    """Copy one landing entry into the raw zone (once per content); None when it is gone."""
    try:
        content = store.read_version(key)
    except ObjectNotFoundError:  # taken by a racing batch, or deleted by its owner
        return None
    except ObjectChangingError:
        return _STILL_WRITTEN
    except NotRegularObjectError as exc:
        return _Taken(key, _not_a_file(key, exc), exc.version)
    digest = sha256_of(content.data).hexdigest()
    raw = keys.raw_key(digest, key)  # sha256-named: safe whatever the landing name was
    _store_raw(store, raw, content.data, digest)
    item = ManifestItem(
        landing_key=keys.display_name(key), sha256=digest, raw_key=raw, size=len(content.data)
    )
    problem = key_problem(key)
    if problem is not None:
        # The content is kept (raw and quarantine, under its sha256), but the name cannot be
        # carried through JSON, MySQL, Drive and logs as it is: quarantined, never blocking.
        item.status = "quarantined"
        item.quarantine_reason = UNSAFE_NAME
        item.quarantine_detail = f"{problem}. Original name bytes: {_name_bytes(key)}"
    return _Taken(key, item, content.version)


def _mark_duplicates(
    manifest: BatchManifest, lote: str, claim: Claimer | None, claim_many: BulkClaimer | None
) -> None:
    """Claim each content for this batch; later files of a content become duplicates."""
    # The first file of each content (in key order) claims it for this batch.
    first: dict[str, str] = {}
    quarantined: set[str] = set()
    for item in manifest.items:
        if item.status == "quarantined":
            if item.sha256 in quarantined:  # one quarantine row per content and batch
                item.status, item.duplicate_of = "duplicate", lote
            quarantined.add(item.sha256)
            continue
        first.setdefault(item.sha256, item.landing_key)
    if claim_many is not None:
        owners = claim_many(lote, list(first.items()))
    else:
        owners = {sha: claim(sha, lote, key) for sha, key in first.items()}  # type: ignore[misc]
    for item in manifest.items:
        if item.sha256 not in first or item.status != "new":
            continue
        if first[item.sha256] != item.landing_key:
            item.status, item.duplicate_of = "duplicate", lote
        elif owners[item.sha256] != lote:
            item.status, item.duplicate_of = "duplicate", owners[item.sha256]


def _quarantine(store: ObjectStore, manifest: BatchManifest) -> list[dict]:
    """Keep each file intake quarantined under quarantine/<lote>/ with its reason (idempotent)."""
    items = manifest.quarantined
    rejections = [
        Rejection(
            sha256=i.sha256,
            landing_key=i.landing_key,
            reason=i.quarantine_reason or UNSAFE_NAME,
            detail=i.quarantine_detail or "",
        )
        for i in items
    ]
    return quarantine_documents(store, manifest.lote, {i.sha256: i for i in items}, rejections)


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
    because deletion comes last. Only the exact version read is deleted: a file rewritten while
    intake ran stays in landing for the next batch, and what was read is processed here.
    """
    if claim is None and claim_many is None:
        raise ValueError("intake needs a claim or claim_many function")
    existing = load_manifest(store, lote)
    if existing is not None:
        return IntakeResult(existing, replayed=True, quarantine_rows=_quarantine(store, existing))

    manifest = new_manifest(lote)
    missing: list[str] = []
    busy: list[str] = []
    taken: list[_Taken] = []
    with ThreadPoolExecutor(max(1, threads), thread_name_prefix="intake") as pool:
        ordered = sorted(set(landing_keys))
        for n, (key, entry) in enumerate(
            zip(ordered, pool.map(lambda k: _take(store, k), ordered), strict=True), start=1
        ):
            if entry is None:
                missing.append(keys.display_name(key))
                continue
            if isinstance(entry, str):
                busy.append(keys.display_name(key))
                continue
            taken.append(entry)
            manifest.items.append(entry.item)
            if progress:
                progress(n)

        _mark_duplicates(manifest, lote, claim, claim_many)
        rows = _quarantine(store, manifest)
        save_manifest(store, manifest)
        # Only now: every file is in the raw zone (or quarantine) and named in the manifest.
        deleted = pool.map(lambda t: store.delete_version(t.key, t.version), taken)
        left = [t.item.landing_key for t, gone in zip(taken, deleted, strict=True) if not gone]
    left += busy
    return IntakeResult(
        manifest, replayed=False, missing=missing, left_in_landing=left, quarantine_rows=rows
    )
