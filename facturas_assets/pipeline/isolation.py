"""One document's failure stays that document's: every per-document step runs through `isolate`.

An exception raised by one document's work becomes a `Failed` (quarantine reason and detail) and
the batch goes on. Failures of the services the step talks to (a lost database connection, S3 or
Drive errors, missing configuration) are not the document's fault: they propagate, so the step
fails and is retried as a whole.
"""

from __future__ import annotations

import hashlib
import logging
import os
import traceback
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import PurePath
from typing import TypeVar

from facturas_assets.db.errors import is_transient
from facturas_assets.documents.limits import ResourceLimitExceeded, document_deadline
from facturas_assets.documents.model import DocumentRejected
from facturas_assets.documents.valid_text import valid_unicode
from facturas_assets.settings import ConfigError

log = logging.getLogger(__name__)

T = TypeVar("T")

READER_ERROR = "reader_error"
# Wall time one document's extraction and validation may take (seconds; 0 = unbounded).
EXTRACTION_SECONDS = float(os.environ.get("FACTURAS_EXTRACTION_SECONDS", "60"))
_MESSAGE_CHARS = 300
# Client libraries of the services a step calls: their errors are the service's, not the file's.
_SERVICE_MODULES = ("botocore", "boto3", "googleapiclient", "google.auth", "httplib2", "urllib3")


@dataclass(frozen=True, slots=True)
class Failed:
    """Why one document's step did not produce a result, in quarantine terms."""

    reason: str
    detail: str


def is_service_failure(exc: BaseException) -> bool:
    """Whether an error belongs to a service or the machine (retry the step), not the document."""
    if isinstance(exc, ConfigError | OSError) or is_transient(exc):
        return True
    return type(exc).__module__.startswith(_SERVICE_MODULES)


def never(_exc: BaseException) -> bool:
    """For callers with no service of their own (the CLI): every error is the document's."""
    return False


def failure(step: str, exc: BaseException) -> Failed:
    """The quarantine reason and detail of an exception raised by one document's `step`."""
    if isinstance(exc, DocumentRejected):
        return Failed(exc.reason, valid_unicode(exc.detail))
    # Running out of memory on one document is that document exceeding its bound.
    limit = isinstance(exc, ResourceLimitExceeded | MemoryError)
    reason = ResourceLimitExceeded.reason if limit else READER_ERROR
    message = " ".join(valid_unicode(str(exc)).split())
    if len(message) > _MESSAGE_CHARS:
        message = message[: _MESSAGE_CHARS - 1] + "…"
    frames = traceback.extract_tb(exc.__traceback__)
    # Same code path, same digest: failures of one bug group together whatever the document.
    path = "|".join(f"{PurePath(f.filename).name}:{f.name}:{f.lineno}" for f in frames)
    digest = hashlib.sha256(f"{type(exc).__qualname__}|{path}".encode()).hexdigest()[:12]
    where = f" at {PurePath(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return Failed(reason, f"{step}: {type(exc).__name__}: {message}{where} (trace {digest})")


def isolate(
    step: str,
    work: Callable[[], T],
    *,
    source: str = "",
    seconds: float | None = None,
    passthrough: Callable[[BaseException], bool] = is_service_failure,
) -> T | Failed:
    """`work()`, or a Failed naming the exception it raised; bounded by `seconds` of wall time
    when given. Errors for which `passthrough` is true are raised unchanged."""
    bound = document_deadline(seconds, f"{step} of {source or 'a document'}") if seconds else None
    try:
        with bound or nullcontext():
            return work()
    except Exception as exc:
        if passthrough(exc):
            raise
        failed = failure(step, exc)
        log.warning("%s of %s failed: %s", step, source or "a document", failed.detail)
        return failed
