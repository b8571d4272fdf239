"""`facturas extract` and `facturas classify`: one JSON object per document, a stable contract."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from facturas_assets.documents.extraction.memory import ReadingMemory
from facturas_assets.documents.limits import ResourceLimitExceeded
from facturas_assets.documents.model import (
    DocumentRejected,
    InvoiceData,
    ReadDocument,
    invoice_to_json,
)
from facturas_assets.documents.valid_text import valid_read, valid_unicode
from facturas_assets.pipeline.isolation import (
    EXTRACTION_SECONDS,
    READER_ERROR,
    Failed,
    isolate,
    never,
)
from facturas_assets.pipeline.keys import SUPPORTED_EXTENSIONS

# The fields of a document nothing was read of: every key, empty.
EMPTY_FIELDS = invoice_to_json(InvoiceData())


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
    from facturas_assets.resources import build_resources
    from facturas_assets.training.champion import load_champion

    return load_champion(build_resources()["models_store"])


def document_record(
    source: str,
    sha256: str | None,
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


# Exit status of a run in which some document's processing raised (its record says which).
EXIT_SOME_FAILED = 3
# Reasons that mean the processing of a document failed, not that the document is bad.
FAILURE_REASONS = (READER_ERROR, ResourceLimitExceeded.reason, "read_error")


def display_name(path: Path | str) -> str:
    """A file name as printable text: bytes that are not UTF-8 shown as \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _failed_record(source: str, sha256: str | None, failed: Failed, with_fields: bool) -> dict:
    """The record of a document whose processing raised: quarantined, with the error."""
    record: dict = {"source": source, "sha256": sha256, "status": "quarantined"}
    record |= {"reason": f"{failed.reason}: {failed.detail}", "method": None}
    if with_fields:
        record.update(json.loads(json.dumps(EMPTY_FIELDS)))
    return record | {"category": None, "category_confidence": None, "warnings": []}


def extract(
    items: Iterable[tuple[str, bytes | Path]],
    *,
    with_fields: bool = True,
    model=None,
    memory: ReadingMemory | None = None,
    workers: int | None = None,
) -> Iterator[dict]:
    """One record per (source, file bytes or path), in order: `ok`, or `quarantined` with a
    reason. A document whose processing raises gets its own record; the others go on."""
    from facturas_assets.documents.reader import file_sha256, read_documents

    seen: list[tuple[str, str | None]] = []

    def inputs() -> Iterator[tuple[str, bytes | Path]]:
        for source, data in items:  # read lazily, hashed on the way: each file is read once
            if isinstance(data, Path):
                with contextlib.suppress(OSError):  # the reader rejects it as unreadable_file
                    data = data.read_bytes()
            seen.append((source, file_sha256(data) if isinstance(data, bytes) else None))
            yield source, data

    for n, outcome in enumerate(read_documents(inputs(), workers=workers)):
        source, sha = seen[n]
        record = isolate(
            "extract",
            lambda outcome=outcome, source=source, sha=sha: document_record(
                source,
                sha,
                valid_read(outcome),  # the reading boundary: only valid Unicode goes on
                with_fields=with_fields,
                model=model,
                memory=memory,
            ),
            source=source,
            seconds=EXTRACTION_SECONDS,
            passthrough=never,
        )
        yield (
            _failed_record(source, sha, record, with_fields)
            if isinstance(record, Failed)
            else record
        )


def _failed(record: dict) -> bool:
    """Whether a record is of a document whose processing raised."""
    reason = record["reason"] or ""
    return record["status"] != "ok" and reason.split(":", 1)[0] in FAILURE_REASONS


def _run(
    paths: tuple[Path, ...],
    with_fields: bool,
    workers: int | None,
    memory: ReadingMemory | None = None,
) -> None:
    files = [(display_name(path), path) for path in walk(paths)]
    model = _classifier()
    failed = 0
    out = sys.stdout.buffer
    for record in extract(
        files, with_fields=with_fields, model=model, memory=memory, workers=workers
    ):
        failed += _failed(record)
        # Encoded here, not by the terminal's locale; no text can hold a lone surrogate by now.
        line = valid_unicode(json.dumps(record, ensure_ascii=False))
        out.write(line.encode("utf-8") + b"\n")
        out.flush()
    if failed:
        click.echo(f"{failed} document(s) failed; their records say why", err=True)
        sys.exit(EXIT_SOME_FAILED)


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
    """Read invoices (files or folders) and print their fields, one JSON object per line.

    Exit status 3 when the processing of some document failed (its line says why)."""
    _run(paths, with_fields=True, workers=workers, memory=_memory(vocabulary))


@click.command("classify")
@_paths
@_format
@_workers
def classify_command(paths: tuple[Path, ...], fmt: str, workers: int | None) -> None:
    """Print each invoice's category (preventiva / correctiva) with its probability.

    Exit status 3 when the processing of some document failed (its line says why)."""
    _run(paths, with_fields=False, workers=workers)
