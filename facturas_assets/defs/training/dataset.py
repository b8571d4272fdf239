"""training_dataset: labelled invoices from Drive, read once, preprocessed into `.npy` arrays."""

from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import dagster as dg

from facturas_assets.documents.classifier.data import check_training_data, content_hash
from facturas_assets.documents.classifier.text import classifier_text
from facturas_assets.documents.model import DocumentRejected, ReadDocument
from facturas_assets.resources.drive import DriveResource
from facturas_assets.resources.object_store import ObjectStore
from facturas_assets.training.dataset_store import Split, TrainingData, save_dataset
from facturas_assets.training.invoice_fields import invoice_record
from facturas_assets.training.labelled_files import LabelledFile, labelled_files

GROUP = "training"
OWNERS = ["team:ml"]
QUARANTINE_PREVIEW = 50


@dataclass
class _Item:
    split: str
    path: str
    label: str
    sha256: str
    text: str
    record: dict[str, Any]


def _item(lf: LabelledFile, result: ReadDocument | DocumentRejected) -> tuple[_Item | None, str]:
    """An item from a read result, or (None, quarantine reason)."""
    if isinstance(result, DocumentRejected):
        return None, f"{result.reason}: {result.detail}"
    text = classifier_text(result)
    if not text.strip():
        return None, "no_text: nothing readable in the document"
    label = lf.label or ""
    return _Item(
        lf.split, lf.file.path, label, result.sha256, text, invoice_record(result, label)
    ), ""


def _resolve_duplicates(
    items: list[_Item], quarantine: list[dict[str, str]]
) -> tuple[list[_Item], int]:
    """One item per (split, sha256); conflicting labels and train copies of test files go out."""
    by_sha: dict[str, list[_Item]] = defaultdict(list)
    for item in items:
        by_sha[item.sha256].append(item)
    kept: list[_Item] = []
    duplicates = 0
    for sha, group in by_sha.items():
        labels = {i.label for i in group}
        if len(labels) > 1:
            for i in group:
                quarantine.append(
                    {
                        "path": i.path,
                        "split": i.split,
                        "reason": f"conflicting_labels: the same file ({sha[:12]}) is labelled "
                        + " and ".join(sorted(labels)),
                    }
                )
            continue
        splits = {i.split for i in group}
        for i in group:
            if i.split == "train" and "test" in splits:
                # The test split is the frozen yardstick: a copy in train would leak into it.
                quarantine.append(
                    {
                        "path": i.path,
                        "split": i.split,
                        "reason": "duplicate_of_test_file: the same file is in invoices_test",
                    }
                )
        seen: set[str] = set()
        for i in group:
            if i.split == "train" and "test" in splits:
                continue
            if i.split in seen:
                duplicates += 1
                continue
            seen.add(i.split)
            kept.append(i)
    return kept, duplicates


def build_training_data(drive: Any, log: Any = None) -> tuple[TrainingData, list[dict[str, str]]]:
    """Read and label every document of the Drive training folders; bad files go to quarantine."""
    from facturas_assets.documents.cache import ReadCache
    from facturas_assets.documents.reader import read_documents

    quarantine: list[dict[str, str]] = []
    items: list[_Item] = []
    pending: deque[LabelledFile] = deque()

    def quarantined(lf: LabelledFile, reason: str) -> None:
        quarantine.append({"path": lf.file.path, "split": lf.split, "reason": reason})
        if log:
            log.warning(f"quarantined {lf.file.path}: {reason}")

    def downloads() -> Iterator[tuple[str, bytes]]:
        for lf in labelled_files(drive.list_files, drive.download):
            if lf.problem:
                quarantined(lf, lf.problem)
                continue
            try:
                data = drive.download(lf.file.id)
            except Exception as exc:  # noqa: BLE001 - a file that cannot be fetched is quarantined
                quarantined(lf, f"download_failed: {type(exc).__name__}: {exc}")
                continue
            pending.append(lf)
            yield lf.file.path, data

    # Results come back in input order; the reader caches them by sha256 (re-reads cost nothing).
    for result in read_documents(downloads(), cache=ReadCache()):
        lf = pending.popleft()
        item, reason = _item(lf, result)
        if item is None:
            quarantined(lf, reason)
        else:
            items.append(item)
    kept, duplicates = _resolve_duplicates(items, quarantine)
    kept.sort(key=lambda i: (i.split, i.sha256))
    splits = {
        name: Split(
            texts=[i.text for i in kept if i.split == name],
            labels=[i.label for i in kept if i.split == name],
            sha256=[i.sha256 for i in kept if i.split == name],
        )
        for name in ("train", "test")
    }
    data_hash = content_hash((f"{i.split}:{i.sha256}", i.label) for i in kept)
    manifest = {
        "files": [
            {"path": i.path, "split": i.split, "label": i.label, "sha256": i.sha256} for i in kept
        ],
        "quarantine": quarantine,
        "duplicates_dropped": duplicates,
        "counts": {name: dict(Counter(s.labels)) for name, s in splits.items()},
    }
    data = TrainingData(
        data_hash, splits["train"], splits["test"], manifest, [i.record for i in kept]
    )
    return data, quarantine


def quarantine_markdown(quarantine: list[dict[str, str]]) -> str:
    """A Markdown table of quarantined files (first rows only)."""
    if not quarantine:
        return "none"
    rows = ["| file | split | reason |", "|---|---|---|"]
    for q in quarantine[:QUARANTINE_PREVIEW]:
        rows.append(f"| {q['path']} | {q['split']} | {q['reason'].replace('|', '/')} |")
    if len(quarantine) > QUARANTINE_PREVIEW:
        rows.append(f"| ... {len(quarantine) - QUARANTINE_PREVIEW} more | | |")
    return "\n".join(rows)


@dg.asset(
    group_name=GROUP,
    owners=OWNERS,
    kinds={"python", "numpy"},
)
def training_dataset(
    context: dg.AssetExecutionContext, drive: DriveResource, models_store: ObjectStore
) -> dg.MaterializeResult:
    """Labelled invoices from Drive invoices_train / invoices_test as .npy arrays with a content hash."""
    data, quarantine = build_training_data(drive, context.log)
    quarantine_meta = {
        "quarantined": dg.MetadataValue.int(len(quarantine)),
        "quarantine": dg.MetadataValue.md(quarantine_markdown(quarantine)),
    }
    for split in ("train", "test"):
        part: Split = getattr(data, split)
        try:
            check_training_data(part.texts, part.labels, what=f"{split} split")
        except ValueError as exc:
            raise dg.Failure(
                description=f"cannot build the training data set: {exc}",
                metadata={**quarantine_meta, "split": split, "documents_read": len(part)},
            ) from None
    keys = save_dataset(models_store, data)
    return dg.MaterializeResult(
        metadata={
            "data_hash": data.data_hash,
            "train_size": len(data.train),
            "test_size": len(data.test),
            "class_counts": dg.MetadataValue.json(data.manifest["counts"]),
            "duplicates_dropped": data.manifest["duplicates_dropped"],
            "location": models_store.uri(keys[-1]).rsplit("/", 1)[0],
            **quarantine_meta,
        },
        data_version=dg.DataVersion(data.data_hash),
    )
