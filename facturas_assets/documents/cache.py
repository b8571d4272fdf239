"""Read results cached by the file's sha256, so reading a file a second time costs nothing."""

from __future__ import annotations

import functools
import gzip
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from facturas_assets import settings
from facturas_assets.documents.model import (
    DocumentRejected,
    Page,
    ReadDocument,
    Word,
    invoice_from_json,
    invoice_to_json,
)

# Bump when reading changes its output (word grouping, parsers, thresholds): old entries are
# then ignored and rewritten. OCR settings and the Tesseract version are added automatically.
READER_VERSION = "read-42"


@functools.cache
def reader_version() -> str:
    """READER_VERSION plus everything OCR output depends on (Tesseract version, language, dpi)."""
    import pytesseract

    from facturas_assets.documents.ocr import OCR_LANG, TESSERACT_CONFIG
    from facturas_assets.documents.ocr_doubled import DOUBLED_VERSION
    from facturas_assets.documents.ocr_garbled import GARBLED_VERSION
    from facturas_assets.documents.ocr_recovery import recovery_version
    from facturas_assets.documents.render import RENDER_DPI

    try:
        tesseract = str(pytesseract.get_tesseract_version())
    except (pytesseract.TesseractNotFoundError, OSError):
        tesseract = "none"
    return f"{READER_VERSION}|tesseract-{tesseract}|{OCR_LANG}|{RENDER_DPI}dpi|{TESSERACT_CONFIG}|{recovery_version()}|{DOUBLED_VERSION}|{GARBLED_VERSION}"


def default_cache_dir() -> Path:
    """<FACTURAS_HOME>/cache/read."""
    return settings.home() / "cache" / "read"


class ReadCache:
    """Read results (or rejections) on disk as <dir>/<aa>/<sha256>.json.gz, tagged by version."""

    def __init__(self, directory: Path | str | None = None, version: str | None = None):
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.version = version or reader_version()

    def path(self, sha256: str) -> Path:
        """Where the entry of a file with this sha256 lives."""
        return self.directory / sha256[:2] / f"{sha256}.json.gz"

    def get(self, sha256: str, source: str) -> ReadDocument | DocumentRejected | None:
        """The cached result for this content (with `source` as its source), or None."""
        path = self.path(sha256)
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                entry = json.load(fh)
        except FileNotFoundError:
            return None
        except (OSError, EOFError, ValueError):
            return None  # a torn or foreign file is a miss; the next put replaces it
        if entry.get("version") != self.version or entry.get("sha256") != sha256:
            return None
        try:
            return _decode(entry, source)
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, sha256: str, result: ReadDocument | DocumentRejected) -> None:
        """Store a result atomically (a reader never sees a half-written entry)."""
        path = self.path(sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"version": self.version, "sha256": sha256, **_encode(result)}
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json.gz")
        try:
            with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
                fh.write(json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _encode(result: ReadDocument | DocumentRejected) -> dict[str, Any]:
    """JSON-able form of a read result; words as compact lists."""
    if isinstance(result, DocumentRejected):
        return {"rejected": {"reason": result.reason, "detail": result.detail}}
    einvoice = None
    if result.einvoice is not None:
        einvoice = {
            **invoice_to_json(result.einvoice),
            "confidence": result.einvoice.confidence,
            "warnings": result.einvoice.warnings,
        }
    return {
        "method": result.method,
        "warnings": result.warnings,
        "einvoice": einvoice,
        "pages": [
            {
                "number": p.number,
                "width": p.width,
                "height": p.height,
                "words": [[w.text, w.x0, w.y0, w.x1, w.y1, w.confidence] for w in p.words],
            }
            for p in result.pages
        ],
    }


def _decode(entry: dict[str, Any], source: str) -> ReadDocument | DocumentRejected:
    """Inverse of _encode."""
    if "rejected" in entry:
        return DocumentRejected(entry["rejected"]["reason"], entry["rejected"]["detail"])
    einvoice = None
    if entry.get("einvoice") is not None:
        einvoice = invoice_from_json(entry["einvoice"])
        einvoice.confidence = dict(entry["einvoice"].get("confidence") or {})
        einvoice.warnings = list(entry["einvoice"].get("warnings") or [])
    pages = [
        Page(
            number=p["number"],
            width=p["width"],
            height=p["height"],
            words=[
                Word(t, x0, y0, x1, y1, page=p["number"], confidence=c)
                for t, x0, y0, x1, y1, c in p["words"]
            ],
        )
        for p in entry["pages"]
    ]
    return ReadDocument(
        source=source,
        sha256=entry["sha256"],
        method=entry["method"],
        pages=pages,
        einvoice=einvoice,
        warnings=list(entry.get("warnings") or []),
    )


def to_entry(
    sha256: str, result: ReadDocument | DocumentRejected, version: str = READER_VERSION
) -> dict[str, Any]:
    """A read result as a JSON-able entry tagged with the reader version (also for object stores)."""
    return {"version": version, "sha256": sha256, **_encode(result)}


def from_entry(
    entry: dict[str, Any], source: str, version: str = READER_VERSION
) -> ReadDocument | DocumentRejected | None:
    """The result of an entry made by `to_entry`; None when it is from another reader version."""
    if entry.get("version") != version:
        return None
    try:
        return _decode(entry, source)
    except (KeyError, TypeError, ValueError):
        return None
