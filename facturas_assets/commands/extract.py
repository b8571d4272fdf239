"""`facturas extract` and `facturas classify`: one JSON object per document, a stable contract."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from facturas_assets.documents.extraction.memory import ReadingMemory
from facturas_assets.documents.model import DocumentRejected, ReadDocument, invoice_to_json
from facturas_assets.pipeline.keys import SUPPORTED_EXTENSIONS

EMPTY_FIELDS = {
    "invoice_number": None,
    "issue_date": None,
    "currency": None,
    "net_total": None,
    "tax_total": None,
    "total": None,
    "seller": {"name": None, "tax_id": None},
    "buyer": {"name": None, "tax_id": None},
    "lines": [],
}


def walk(paths: tuple[Path, ...]) -> Iterator[Path]:
    """Files named directly (whatever their type), and supported files found in folders."""
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.is_file() and found.suffix.lower() in SUPPORTED_EXTENSIONS:
                    yield found
        else:
            yield path


def _classifier():
    """The champion model of this environment, or None (category is then null, with a warning)."""
    from facturas_assets.defs.training.champion import load_champion
    from facturas_assets.resources import build_resources

    return load_champion(build_resources()["models_store"])


def document_record(
    source: str,
    sha256: str,
    outcome: ReadDocument | DocumentRejected,
    *,
    with_fields: bool,
    model,
    memory: ReadingMemory | None = None,
) -> dict:
    """The CLI's JSON object for one document; exact readings teach `memory`, scans use it."""
    from facturas_assets.documents.classifier.text import classifier_text
    from facturas_assets.documents.extraction import extract_invoice
    from facturas_assets.documents.validation import is_blocking, validate

    record: dict = {"source": source, "sha256": sha256, "status": "ok", "reason": None}
    record["method"] = None
    if with_fields:
        record.update(json.loads(json.dumps(EMPTY_FIELDS)))
    record |= {"category": None, "category_confidence": None, "warnings": []}
    if isinstance(outcome, DocumentRejected):
        record |= {"status": "quarantined", "reason": f"{outcome.reason}: {outcome.detail}"}
        return record
    record["method"] = outcome.method
    record["warnings"] = list(outcome.warnings)
    if with_fields:
        data = validate(extract_invoice(outcome, memory))
        record.update(invoice_to_json(data))
        record["warnings"] += data.warnings
        problems = is_blocking(data)
        if problems:
            record |= {"status": "quarantined", "reason": "; ".join(problems)}
    if model is None:
        record["warnings"].append("no_model: no champion classifier yet (run `facturas train`)")
    else:
        prediction = model.predict([classifier_text(outcome)])[0]
        record["category"] = prediction.label
        record["category_confidence"] = round(float(prediction.probability), 4)
    return record


def _memory(path: Path | None) -> ReadingMemory:
    """Descriptions read exactly, one per line of `path`, to mend OCR'd ones (may be empty)."""
    lines = path.read_text(encoding="utf-8").splitlines() if path is not None else []
    return ReadingMemory.from_rows(lines, [])


def _run(
    paths: tuple[Path, ...],
    with_fields: bool,
    workers: int | None,
    memory: ReadingMemory | None = None,
) -> None:
    from facturas_assets.documents.reader import read_documents

    files = list(walk(paths))
    model = _classifier()

    hashes: list[str] = []

    def inputs() -> Iterator[tuple[str, bytes]]:
        for path in files:  # read lazily, hashed on the way: each file is read once
            data = path.read_bytes()
            hashes.append(hashlib.sha256(data).hexdigest())
            yield str(path), data

    for n, (path, outcome) in enumerate(
        zip(files, read_documents(inputs(), workers=workers), strict=True)
    ):
        record = document_record(
            str(path),
            hashes[n],
            outcome,
            with_fields=with_fields,
            model=model,
            memory=memory,
        )
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()


_paths = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)
_format = click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl")
_workers = click.option("--workers", type=int, default=None, help="OCR processes (default: cores)")


@click.command("extract")
@_paths
@_format
@_workers
@click.option(
    "--vocabulary",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Text file of item descriptions read exactly, one per line: mends OCR slips in "
    "scanned invoices' descriptions (e-invoices and text PDFs of the run add theirs as read).",
)
def extract_command(
    paths: tuple[Path, ...], fmt: str, workers: int | None, vocabulary: Path | None
) -> None:
    """Read invoices (files or folders) and print their fields, one JSON object per line."""
    _run(paths, with_fields=True, workers=workers, memory=_memory(vocabulary))


@click.command("classify")
@_paths
@_format
@_workers
def classify_command(paths: tuple[Path, ...], fmt: str, workers: int | None) -> None:
    """Print each invoice's category (preventiva / correctiva) with its probability."""
    _run(paths, with_fields=False, workers=workers)
