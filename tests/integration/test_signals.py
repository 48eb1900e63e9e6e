"""SIGTERM and SIGHUP end a TUI session as Ctrl+Q does (issue 14; --plain: test_plain_cli).

Closed in the journal (``ended_at``), espeak-ng stopped, and the terminal given back: the
alternate screen left, mouse tracking off, the cursor shown again (read from a pty).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.integration.launch import TuiOnPty, children_named
from tests.virtual_audio import VirtualAudio
from voicereflect.journal.store import Journal

# Each mode the TUI turns on, and the sequence that turns it off again.
MODES = {
    "alternate screen": (b"\x1b[?1049h", b"\x1b[?1049l"),
    "mouse tracking": (b"\x1b[?1000h", b"\x1b[?1000l"),
    "hidden cursor": (b"\x1b[?25l", b"\x1b[?25h"),
}


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


@pytest.mark.audio
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_tui_on_a_signal_closes_the_session_stops_speech_and_restores_the_terminal(
    virtual_audio: VirtualAudio, voicereflect_home: Path, signum: int
) -> None:
    (voicereflect_home / "config.toml").write_text('[audio]\ninput_device = "no-such-device"\n')
    app = TuiOnPty(["--flow", "checkin"], os.environ, size=(120, 40))
    try:
        deadline = time.monotonic() + 60
        speaking: list[int] = []
        while not speaking and time.monotonic() < deadline:
            app.read(0.2)  # drain the screen so the app never blocks on it
            speaking = children_named(app.process.pid, "espeak-ng")
        assert speaking, "espeak-ng never started speaking the first question"
        if signum == signal.SIGHUP:
            app.close_terminal()
        else:
            app.process.send_signal(signum)
        end = time.monotonic() + 30
        while app.master >= 0 and app.process.poll() is None and time.monotonic() < end:
            app.read(0.2)
        assert app.process.wait(timeout=30) == 128 + signum
        app.read(1)
    finally:
        app.stop()
    assert not [pid for pid in speaking if _alive(pid)], "espeak-ng outlived the app"
    # The signal came during the first question, before any answer: a session that closes
    # with nothing said is removed at close (issue 13), so none left open means it was closed.
    with Journal.open() as journal:
        assert [s for s in journal.sessions() if s.ended_at is None] == []
    if signum == signal.SIGTERM:
        for mode, (on, off) in MODES.items():
            assert app.screen.rfind(on) >= 0, f"{mode} was never turned on"
            assert app.screen.rfind(off) > app.screen.rfind(on), f"{mode} left on"
