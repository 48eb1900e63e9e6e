"""Pyttsx3Speaker on real pyttsx3 2.99 (espeak driver → aplay → ALSA → PulseAudio).

Heard on spk.monitor; busy exactly while the sound plays although pyttsx3's runAndWait
returns early (P4); cancelled within 200 ms; five prompts in a row all heard (P1); the text
in no process's argv; no temp WAV left behind (P13).
"""

from __future__ import annotations

import os
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
from voicereflect.speech.pyttsx3_speaker import Pyttsx3Speaker, tts_tmp_root
from voicereflect.speech.tts import SpeechDone

pytestmark = pytest.mark.audio

VOICEREFLECT = Path(sys.executable).with_name("voicereflect")
LONG_TEXT = (
    "this is a long question that goes on and on without any pause so that it can be "
    "interrupted in the middle of a word and we can hear exactly when it stops"
)


def _all_argv() -> list[bytes]:
    """Every readable process command line on the machine."""
    out = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                out.append(Path(entry.path, "cmdline").read_bytes())
            except OSError:
                continue
    return out


def _group(pgid: int) -> list[bytes]:
    """Command names of the live processes in group ``pgid``."""
    names = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        if int(fields[2]) == pgid and fields[0] != b"Z":
            names.append(stat[stat.find(b"(") + 1 : stat.rfind(b")")])
    return names


def test_heard_busy_until_the_sound_ends_and_text_never_in_argv(
    monitor: MonitorRecording,
) -> None:
    results: list[SpeechDone] = []
    speaker = Pyttsx3Speaker(on_done=results.append)
    canary = "Zebra quokka marmalade. What are you grateful for today?"
    begun = time.monotonic()
    speaker.speak(canary)
    first = monitor.wait_loud(begun)
    # While it plays: the child and aplay run in the speaker's group, and no argv holds the text.
    pgid = speaker.pid
    assert pgid is not None and speaker.is_speaking
    members = _group(pgid)
    assert b"aplay" in members, members
    assert not any(b"quokka" in argv for argv in _all_argv())
    assert speaker.wait(30)
    result = results[-1]
    assert result.completed and result.error is None
    monitor.wait_until(result.ended + 0.2)
    heard = monitor.loud_times(result.started, result.ended + 0.2)
    assert len(heard) * WINDOW / RATE > 1.0  # over a second of actual speech
    # Busy until the sound ended, and no longer: "done" marks the end of the audio itself.
    assert heard[-1] <= result.ended + 0.05
    # espeak ends each text with ~0.34 s of silence (part of the audio), then aplay drains:
    # EspeakSpeaker measures ~0.38 s here, this speaker ~0.45 s.
    assert result.ended - heard[-1] < 0.7
    print(
        f"\npyttsx3 speak->sound {first - result.started:.3f} s; "
        f"last sound -> done {(result.ended - heard[-1]) * 1000:.0f} ms"
    )
    assert not any(tts_tmp_root().iterdir())  # the driver's temp WAV is gone


def test_cancel_silences_the_speaker_within_200_ms(monitor: MonitorRecording) -> None:
    speaker = Pyttsx3Speaker()
    to_sound, returned, silent_after = cancel_mid_sentence(speaker, monitor, LONG_TEXT)
    result = speaker.last_result
    assert result is not None and result.cancelled and not result.completed
    print(
        f"\npyttsx3 speak->sound {to_sound:.3f} s; cancel returned in "
        f"{returned * 1000:.0f} ms; last sound {silent_after * 1000:.0f} ms after cancel"
    )
    assert silent_after < 0.2
    assert returned < 0.2
    assert not any(tts_tmp_root().iterdir())  # killed mid-playback, yet no WAV left (P13)


def test_five_prompts_in_a_row_are_all_heard(monitor: MonitorRecording) -> None:
    results: list[SpeechDone] = []
    starts = speak_prompts_in_a_row(Pyttsx3Speaker(on_done=results.append), results, monitor)
    print("\npyttsx3 speak->sound per prompt (s):", " ".join(f"{s:.3f}" for s in starts))


def test_say_with_the_pyttsx3_engine_is_heard_without_noise(monitor: MonitorRecording) -> None:
    started = time.monotonic()
    done = subprocess.run(
        [str(VOICEREFLECT), "say", "--engine", "pyttsx3", "-"],
        input="Hello. How was your day?",
        capture_output=True,
        text=True,
        timeout=30,
    )
    ended = time.monotonic()
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and done.stdout == ""  # no pyttsx3 prints or ALSA noise
    monitor.wait_until(ended)
    heard = monitor.loud_times(started, ended)
    assert len(heard) * WINDOW / RATE > 0.5
    assert heard[-1] <= ended + 0.05  # `say` returned only once the sound had ended
