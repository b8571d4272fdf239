"""Silence what native libraries write straight to the process's stderr while they load.

TensorFlow 2.21 logs its start-up notices (oneDNN, CPU features) through absl before absl's log
is initialised: they go to file descriptor 2 whatever TF_CPP_MIN_LOG_LEVEL says, so only
pointing that descriptor elsewhere for the import keeps them off a user's terminal.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

LOG_LEVEL_ENV = "TF_CPP_MIN_LOG_LEVEL"


def tensorflow_quiet() -> bool:
    """True unless TensorFlow's own logs were asked for (TF_CPP_MIN_LOG_LEVEL=0, `--verbose`)."""
    return os.environ.get(LOG_LEVEL_ENV, "0") != "0"


@contextlib.contextmanager
def native_stderr_silenced(enabled: bool = True) -> Iterator[None]:
    """Send file descriptor 2 to /dev/null inside the block (Python's exceptions still raise)."""
    if not enabled:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
