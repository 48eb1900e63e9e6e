"""Routes file descriptor 2 to the private log while the app draws the screen.

Kaldi, ALSA and PortAudio write straight to fd 2, past Python's ``sys.stderr`` and past
Textual's own capture (pitfall T8); on the terminal that garbles the UI. The log file is
created 0600 in the data dir, and no transcript text is ever written to it by us.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from voicereflect import paths


@contextlib.contextmanager
def stderr_to_log(log: Path | None = None) -> Iterator[Path]:
    """Point fd 2 at ``log`` (default ``paths.log_path()``) and restore it afterwards.

    Args:
        log: The file to append to; created 0600 if missing.

    Yields:
        The log file's path.
    """
    log = paths.log_path() if log is None else log
    paths.ensure_private_dir(log.parent)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, paths.FILE_MODE)
    os.fchmod(fd, paths.FILE_MODE)
    saved = os.dup(2)
    try:
        os.dup2(fd, 2)
        yield log
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(fd)
