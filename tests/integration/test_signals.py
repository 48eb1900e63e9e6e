"""SIGTERM and SIGHUP end a TUI session as Ctrl+Q does (issue 14; --plain: test_plain_cli).

Closed in the journal (``ended_at``), espeak-ng stopped, and the terminal given back: the
alternate screen left, mouse tracking off, the cursor shown again (read from a pty).
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.virtual_audio import VirtualAudio
from voicereflect.journal.store import Journal

EXE = Path(sys.executable).parent / "voicereflect"
# Each mode the TUI turns on, and the sequence that turns it off again.
MODES = {
    "alternate screen": (b"\x1b[?1049h", b"\x1b[?1049l"),
    "mouse tracking": (b"\x1b[?1000h", b"\x1b[?1000l"),
    "hidden cursor": (b"\x1b[?25l", b"\x1b[?25h"),
}


def _children_named(pid: int, name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        if ppid == pid and comm == name:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def _controlling_tty() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@pytest.mark.audio
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_tui_on_a_signal_closes_the_session_stops_speech_and_restores_the_terminal(
    virtual_audio: VirtualAudio, voicereflect_home: Path, signum: int
) -> None:
    (voicereflect_home / "config.toml").write_text('[audio]\ninput_device = "no-such-device"\n')
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(
        [str(EXE), "--flow", "checkin"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=dict(os.environ, TERM="xterm-256color"),
        start_new_session=True,
        preexec_fn=_controlling_tty,  # noqa: PLW1509 - a controlling terminal, as a person has
    )
    os.close(slave)
    screen = bytearray()

    def read(until: float) -> None:
        while time.monotonic() < until:
            ready, _, _ = select.select([master], [], [], 0.1)
            if not ready:
                return
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the app has gone: EIO on a pty with no slave left
                return
            if not chunk:
                return
            screen.extend(chunk)

    try:
        deadline = time.monotonic() + 60
        speaking: list[int] = []
        while not speaking and time.monotonic() < deadline:
            read(time.monotonic() + 0.2)  # drain the screen so the app never blocks on it
            speaking = _children_named(proc.pid, "espeak-ng")
        assert speaking, "espeak-ng never started speaking the first question"
        if signum == signal.SIGHUP:
            os.close(master)  # the terminal window closes: the kernel sends SIGHUP
            master = -1
        else:
            proc.send_signal(signum)
        end = time.monotonic() + 30
        while master >= 0 and proc.poll() is None and time.monotonic() < end:
            read(time.monotonic() + 0.2)
        assert proc.wait(timeout=30) == 128 + signum
        if master >= 0:
            read(time.monotonic() + 1)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        if master >= 0:
            os.close(master)
    assert not [pid for pid in speaking if _alive(pid)], "espeak-ng outlived the app"
    # The signal came during the first question, before any answer: a session that closes
    # with nothing said is removed at close (issue 13), so none left open means it was closed.
    with Journal.open() as journal:
        assert [s for s in journal.sessions() if s.ended_at is None] == []
    if signum == signal.SIGTERM:
        for mode, (on, off) in MODES.items():
            assert screen.rfind(on) >= 0, f"{mode} was never turned on"
            assert screen.rfind(off) > screen.rfind(on), f"{mode} left on"
