"""Speech really reaches the (virtual) speaker: heard on spk.monitor, cancelled within 200 ms."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.speaker_monitor import (
    RATE,
    WINDOW,
    MonitorRecording,
    cancel_mid_sentence,
    speak_prompts_in_a_row,
)
from tests.speaker_monitor import monitor as monitor  # noqa: F401  (the fixture)
from voicereflect.speech.tts import EspeakSpeaker, SpeechDone

pytestmark = pytest.mark.audio

VOICEREFLECT = Path(sys.executable).with_name("voicereflect")
LONG_TEXT = (
    "this is a long question that goes on and on without any pause so that it can be "
    "interrupted in the middle of a word and we can hear exactly when it stops"
)


def test_say_puts_speech_on_the_speaker(monitor: MonitorRecording) -> None:
    started = time.monotonic()
    done = subprocess.run(
        [str(VOICEREFLECT), "say", "-"],
        input="Hello. What are you grateful for today?",
        capture_output=True,
        text=True,
        timeout=30,
    )
    ended = time.monotonic()
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and done.stdout == ""  # no espeak/ALSA noise on the terminal
    monitor.wait_until(ended)
    heard = monitor.loud_times(started, ended)
    assert len(heard) * WINDOW / RATE > 1.0  # over a second of actual speech
    # `say` returns only after the audio has finished playing
    assert heard[-1] <= ended + 0.05


def test_cancel_silences_the_speaker_within_200_ms(monitor: MonitorRecording) -> None:
    to_sound, returned, silent_after = cancel_mid_sentence(EspeakSpeaker(), monitor, LONG_TEXT)
    print(
        f"\nspeak->sound {to_sound:.3f} s; cancel returned in {returned * 1000:.0f} ms; "
        f"last sound {silent_after * 1000:.0f} ms after cancel"
    )
    assert silent_after < 0.2
    assert returned < 0.2


def test_ctrl_c_on_say_stops_the_sound(monitor: MonitorRecording) -> None:
    begun = time.monotonic()
    say = subprocess.Popen(
        [str(VOICEREFLECT), "say", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert say.stdin is not None
    say.stdin.write(LONG_TEXT)
    say.stdin.close()
    first = monitor.wait_loud(begun)
    monitor.wait_until(first + 0.5)
    interrupted_at = time.monotonic()
    say.send_signal(signal.SIGINT)
    say.wait(timeout=10)
    assert say.stderr is not None
    err = say.stderr.read()
    monitor.wait_until(interrupted_at + 0.8)
    assert say.returncode == 130
    assert "Traceback" not in err
    after = monitor.loud_times(interrupted_at, interrupted_at + 0.8)
    assert not after or after[-1] - interrupted_at < 0.2


def test_many_prompts_in_a_row_are_all_heard(monitor: MonitorRecording) -> None:
    results: list[SpeechDone] = []
    starts = speak_prompts_in_a_row(EspeakSpeaker(on_done=results.append), results, monitor)
    print("\nspeak->sound per prompt (s):", " ".join(f"{s:.3f}" for s in starts))
