"""Launching the installed ``voicereflect`` as a person would: plain mode on pipes, the
terminal app on a pseudo-terminal, and finding the processes it starts (espeak-ng)."""

from __future__ import annotations

import fcntl
import os
import queue
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

EXE = Path(sys.executable).parent / "voicereflect"


def _lines(stream: object, out: queue.Queue[str | None]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        out.put(line.rstrip("\n"))
    out.put(None)


class PlainApp:
    """``voicereflect --plain ARGS`` with its stdin and stdout as pipes (text)."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [str(EXE), "--plain", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=dict(env) if env is not None else None,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin = self.process.stdin
        self.seen: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(
            target=_lines, args=(self.process.stdout, self._lines), daemon=True
        ).start()

    def wait_line(self, marker: str, timeout: float = 90) -> str:
        """The next line holding ``marker``; ``timeout`` covers a model load on a busy machine."""
        while True:
            line = self._lines.get(timeout=timeout)
            assert line is not None, f"ended before {marker!r}: {self.seen}"
            self.seen.append(line)
            if marker in line:
                return line

    def printed(self, marker: str) -> bool:
        """Whether a line holding ``marker`` has been printed so far (does not wait)."""
        while True:
            try:
                line = self._lines.get_nowait()
            except queue.Empty:
                return any(marker in seen for seen in self.seen)
            if line is not None:
                self.seen.append(line)

    def send(self, text: str) -> None:
        self.stdin.write(text)
        self.stdin.flush()

    def close(self, timeout: float = 60) -> int:
        """End of input ends the session; returns the exit code."""
        if not self.stdin.closed:
            self.stdin.close()
        return self.process.wait(timeout=timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def _controlling_tty() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class TuiOnPty:
    """``voicereflect ARGS`` (the terminal app) on a pseudo-terminal it has as its own.

    The screen's bytes are kept in ``screen``; call ``read`` often, or the app blocks
    writing to a full terminal.
    """

    def __init__(
        self, args: Sequence[str], env: Mapping[str, str], size: tuple[int, int] = (100, 30)
    ) -> None:
        master, slave = os.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.process = subprocess.Popen(
            [str(EXE), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**env, "TERM": "xterm-256color"},
            start_new_session=True,
            preexec_fn=_controlling_tty,  # noqa: PLW1509 - a controlling terminal, as a person has
        )
        os.close(slave)
        self.master = master
        self.screen = bytearray()

    def read(self, seconds: float = 0.0) -> None:
        """Take what the app has drawn, waiting up to ``seconds`` for the first of it."""
        wait = seconds
        while self.master >= 0:
            ready, _, _ = select.select([self.master], [], [], wait)
            if not ready:
                return
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the app has gone: EIO on a pty with no slave left
                return
            if not chunk:
                return
            self.screen.extend(chunk)
            wait = 0.0

    def close_terminal(self) -> None:
        """The terminal window closes (the kernel sends the app SIGHUP)."""
        if self.master >= 0:
            os.close(self.master)
            self.master = -1

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, as on logout; SIGKILL to the group if it has not gone within ``timeout``."""
        if self.process.poll() is None:
            self.process.terminate()
        end = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < end:
            self.read(0.1)  # keep the screen drained while it closes
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        code = self.process.wait(timeout=10)
        self.close_terminal()
        return code


def children_named(pid: int, name: str) -> list[int]:
    """The live processes called ``name`` whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and comm == name and fields[0] != "Z":
            found.append(int(entry.name))
    return found
