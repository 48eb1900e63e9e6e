"""Routes file descriptor 2 to the private log while the app draws the screen.

Kaldi, ALSA and PortAudio write straight to fd 2, past Python's ``sys.stderr`` and past
Textual's own capture (pitfall T8); on the terminal that garbles the UI. The log file is
created 0600 in the data dir, and no transcript text is ever written to it by us.

Textual itself draws on ``sys.__stderr__`` (its Linux driver writes there), so while fd 2
points at the log, ``sys.__stderr__`` is swapped for a stream on a copy of the terminal's fd.
Build the ``App`` inside the block: it remembers ``sys.__stderr__`` when constructed.
"""

from __future__ import annotations

import contextlib
import os
import sys
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
    try:
        paths.ensure_private_dir(log.parent)
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, paths.FILE_MODE)
    except OSError:
        # A read-only (or full) data dir: the app still runs and reads the journal; what
        # native libraries print goes nowhere rather than over the screen.
        fd = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError):
        os.fchmod(fd, paths.FILE_MODE)
    saved = os.dup(2)
    original = sys.__stderr__
    encoding = getattr(original, "encoding", None) or "utf-8"
    terminal = os.fdopen(os.dup(saved), "w", encoding=encoding, errors="replace")
    try:
        os.dup2(fd, 2)
        # typeshed marks it Final; swapping it is the point (Textual draws on it).
        setattr(sys, "__stderr__", terminal)  # noqa: B010
        yield log
    finally:
        setattr(sys, "__stderr__", original)  # noqa: B010
        with contextlib.suppress(OSError):  # the terminal closed under us (SIGHUP): EIO
            terminal.close()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(fd)
