"""Where a batch's files live in the landing bucket (`mes-en-curso`), local folder or S3 alike.

<landing files>                 what users drop at the bucket's top level (listed non-recursively)
raw/<aa>/<sha256><ext>          immutable, content-addressed copy of every original
read/<aa>/<sha256>.json.gz      what reading found (shared cache of text/OCR by sha256)
batches/<lote>/manifest.json    the batch: which files, their sha256, duplicates
batches/<lote>/<artifact>       per-stage outputs (classified.parquet, invoices.parquet, ...)
quarantine/<lote>/<sha256><ext> rejected originals beside <sha256>.reason.json
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

RAW_PREFIX = "raw/"
READ_PREFIX = "read/"
BATCHES_PREFIX = "batches/"
QUARANTINE_PREFIX = "quarantine/"
PLATFORM_PREFIXES = (RAW_PREFIX, READ_PREFIX, BATCHES_PREFIX, QUARANTINE_PREFIX)

SUPPORTED_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".xml")


# What an extension may be in a platform key: whatever else a landing name ends with (a
# backslash, odd bytes, spaces) stays out of raw/ and quarantine/ keys.
_SAFE_EXTENSION = re.compile(r"\.[a-z0-9]{1,10}")


def extension(name: str) -> str:
    """The lower-case extension of a file name ('' when it has none or an unusable one)."""
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if _SAFE_EXTENSION.fullmatch(suffix) else ""


def display_name(key: str) -> str:
    """A landing key as printable UTF-8 text: bytes that are not UTF-8 as \\xNN, control
    characters escaped; used wherever a name is written down (manifest, database, metadata)."""
    text = key.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in text)


def raw_key(sha256: str, original_name: str) -> str:
    return f"{RAW_PREFIX}{sha256[:2]}/{sha256}{extension(original_name)}"


def read_key(sha256: str, reader_version: str) -> str:
    """Where a read result lives; a new reader version (OCR settings...) reads files afresh."""
    return f"{READ_PREFIX}{reader_version}/{sha256[:2]}/{sha256}.json.gz"


def batch_key(lote: str, artifact: str) -> str:
    return f"{BATCHES_PREFIX}{lote}/{artifact}"


def manifest_key(lote: str) -> str:
    return batch_key(lote, "manifest.json")


def quarantine_key(lote: str, sha256: str, original_name: str) -> str:
    return f"{QUARANTINE_PREFIX}{lote}/{sha256}{extension(original_name)}"


def quarantine_reason_key(lote: str, sha256: str) -> str:
    return f"{QUARANTINE_PREFIX}{lote}/{sha256}.reason.json"


def is_landing_key(key: str, landing_prefix: str = "") -> bool:
    """Whether a key is a user's landing file (not one of the platform's own prefixes)."""
    rest = key[len(landing_prefix) :] if key.startswith(landing_prefix) else None
    if not rest or "/" in rest or rest.startswith("."):
        return False
    return not key.startswith(PLATFORM_PREFIXES)
