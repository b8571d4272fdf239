"""The bounds every per-document step runs under, and the errors that say one was exceeded."""

from __future__ import annotations


class ResourceLimitExceeded(Exception):
    """A document needed more time or memory than one document may take (quarantined as
    `resource_limit`, the batch goes on)."""

    reason = "resource_limit"
