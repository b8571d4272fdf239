"""The training data set from the labelled Drive folders: read, labelled, de-duplicated, hashed.

Bad files (unreadable, unlabelled, conflicting labels, train copies of test files) go to the
quarantine list with their reason; nothing is dropped silently.
"""

from collections import Counter, defaultdict, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from facturas_assets.documents.classifier.data import content_hash
from facturas_assets.documents.classifier.text import classifier_text
from facturas_assets.documents.model import DocumentRejected, ReadDocument
from facturas_assets.training.dataset_store import Split, TrainingData
from facturas_assets.training.invoice_fields import invoice_record
from facturas_assets.training.labelled_files import LabelledFile, labelled_files
from facturas_assets.training.reviewed import ReviewedDocument

REVIEWED_PATH_PREFIX = "review:"  # the manifest's path of a reviewed invoice


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


def build_training_data(
    drive: Any, log: Any = None, reviewed: Sequence[ReviewedDocument] = ()
) -> tuple[TrainingData, list[dict[str, str]]]:
    """Read and label every document of the Drive training folders, plus the reviewed invoices
    (train split only: the test split is the frozen yardstick); bad files go to quarantine."""
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
    for doc in reviewed:
        path = f"{REVIEWED_PATH_PREFIX}{doc.source_key}"
        items.append(_Item("train", path, doc.category, doc.sha256, doc.text, doc.record))
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
