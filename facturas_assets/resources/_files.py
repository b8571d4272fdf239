"""Atomic file writes shared by the local resource implementations."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

# Temporary files live beside their target (same filesystem, so the rename is atomic) and are
# hidden from listings by this prefix.
TMP_PREFIX = ".facturas-tmp-"


def atomic_write(target: Path, fill: Callable[[BinaryIO], object]) -> None:
    """Write a file through a hidden temp file in its folder, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            fill(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write bytes to a file atomically."""
    atomic_write(target, lambda out: out.write(data))
