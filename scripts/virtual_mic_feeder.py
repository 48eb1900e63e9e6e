"""Keep the virtual microphone's FIFO fed: silence, or queued raw audio, at real-time pace.

Run by ``scripts/virtual-audio``; uses only the standard library (it runs on the system
Python, outside the project's virtualenv). Queued files are 16 kHz mono s16le, taken in name
order, renamed ``*.playing`` while they play and removed when done.

Like a real microphone, it does not wait for a listener: while nobody records, Pulse stops
reading, the (shrunken) pipe fills, and the audio of that moment is dropped rather than
replayed late in a burst.
"""

from __future__ import annotations

import errno
import fcntl
import os
import sys
import time
from pathlib import Path

RATE = 16000
CHUNK_SECONDS = 0.05
CHUNK_BYTES = int(RATE * CHUNK_SECONDS) * 2
F_SETPIPE_SZ = 1031  # from <fcntl.h>; not exported by Python 3.11
PIPE_BYTES = 4096  # about 128 ms of audio: the most that can be stale when recording starts


def next_queued(queue: Path) -> Path | None:
    ready = sorted(p for p in queue.glob("*.raw") if not p.name.startswith("."))
    if not ready:
        return None
    playing = ready[0].with_name(ready[0].name + ".playing")
    ready[0].rename(playing)
    return playing


def main(fifo: str, queue_dir: str) -> int:
    queue = Path(queue_dir)
    fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    fcntl.fcntl(fd, F_SETPIPE_SZ, PIPE_BYTES)
    with os.fdopen(fd, "wb", buffering=0) as out:
        deadline = time.monotonic()
        current: Path | None = None
        data = b""
        while True:
            if not data and current is not None:
                current.unlink(missing_ok=True)
                current = None
            if current is None:
                current = next_queued(queue) if queue.is_dir() else None
                data = current.read_bytes() if current else b""
            chunk, data = data[:CHUNK_BYTES], data[CHUNK_BYTES:]
            chunk = chunk.ljust(CHUNK_BYTES, b"\0")
            try:
                out.write(chunk)  # under PIPE_BUF, so all or nothing
            except BlockingIOError:
                pass  # nobody is recording: this moment's audio goes unheard
            except OSError as exc:
                if exc.errno == errno.EPIPE:
                    return 0
                raise
            deadline += CHUNK_SECONDS
            delay = deadline - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:
                deadline = time.monotonic()  # fell behind: do not burst to catch up


if __name__ == "__main__":
    # It outlives whoever started it: a descriptor it inherited (the audio lock of a
    # `flock /tmp/vr-audio.lock ...` that ran `virtual-audio start`) would stay held for
    # as long as it runs, and every other user of the lock would wait forever.
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))
    sys.exit(main(sys.argv[1], sys.argv[2]))
