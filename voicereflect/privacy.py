"""Process-wide privacy measures: no core dumps that could hold transcript text."""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource

_PR_SET_DUMPABLE = 4


def harden_process() -> None:
    """Disable core dumps, and on Linux mark the process non-dumpable.

    ``VOICEREFLECT_DEBUG=1`` skips the prctl so py-spy and gdb can attach while profiling.
    """
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if os.environ.get("VOICEREFLECT_DEBUG") == "1" or not os.uname().sysname == "Linux":
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)
