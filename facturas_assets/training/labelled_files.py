"""Finding labelled invoices in the Drive training folders.

A file's label comes from the subfolder it sits in (``invoices_train/preventiva/...``; the archive's
plural names ``preventivos`` / ``correctivos`` are accepted too) or, failing that, from the
``category`` of a truth file beside it: ``<stem>.truth.json`` (what the synthetic generator
writes) or ``<name>.truth.json``.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from facturas_assets import settings
from facturas_assets.resources.drive import DriveFile

SPLIT_FOLDERS = {"train": settings.DRIVE_TRAIN_FOLDER, "test": settings.DRIVE_TEST_FOLDER}
TRUTH_SUFFIX = ".truth.json"
FOLDER_LABELS = {
    "preventiva": "preventiva",
    "preventivas": "preventiva",
    "preventivo": "preventiva",
    "preventivos": "preventiva",
    "correctiva": "correctiva",
    "correctivas": "correctiva",
    "correctivo": "correctiva",
    "correctivos": "correctiva",
}


@dataclass(frozen=True)
class LabelledFile:
    """A document of a split with its label, or the reason it has none."""

    file: DriveFile
    split: str
    label: str | None
    problem: str | None = None  # quarantine reason when the label could not be found


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def folder_label(path: str, split_folder: str) -> str | None:
    """The label named by the first folder under the split folder, if any."""
    parts = path.split("/")
    inner = parts[1:-1] if parts and parts[0] == split_folder else parts[:-1]
    for part in inner:
        label = FOLDER_LABELS.get(_fold(part))
        if label:
            return label
    return None


def truth_label(raw: bytes) -> str:
    """The category of a truth JSON file; ValueError when it has none or an unknown one."""
    try:
        category = json.loads(raw).get("category")
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError) as exc:
        raise ValueError(f"truth file is not a JSON object ({exc})") from None
    if category not in settings.CATEGORIES:
        raise ValueError(
            f"truth file names category {category!r}, not one of {settings.CATEGORIES}"
        )
    return category


def truth_path(path: str) -> str:
    """The generator's truth file of a document: <stem>.truth.json in the same folder."""
    pure = PurePosixPath(path)
    return str(pure.with_name(pure.stem + TRUTH_SUFFIX))


def labelled_files(
    list_files: Callable[[str, bool], list[DriveFile]], download: Callable[[str], bytes]
) -> list[LabelledFile]:
    """Every document of both split folders with its label (or the reason it has none)."""
    out: list[LabelledFile] = []
    for split, folder in SPLIT_FOLDERS.items():
        files = list_files(folder, True)
        truths = {f.path: f for f in files if f.name.endswith(TRUTH_SUFFIX)}
        for f in files:
            if f.name.endswith(TRUTH_SUFFIX):
                continue
            label = folder_label(f.path, folder)
            problem = None
            truth = truths.get(truth_path(f.path)) or truths.get(f.path + TRUTH_SUFFIX)
            if label is None and truth is not None:
                try:
                    label = truth_label(download(truth.id))
                except ValueError as exc:
                    problem = f"bad_label: {exc}"
            if label is None and problem is None:
                problem = (
                    "no_label: not in a preventiva/correctiva subfolder and no "
                    f"{PurePosixPath(truth_path(f.path)).name} beside it"
                )
            out.append(LabelledFile(f, split, label, problem))
    return out
