"""play_pcm and sound cues reach the (virtual) speaker whole."""

from __future__ import annotations

import time

import pytest

from tests.speaker_monitor import WINDOW, MonitorRecording
from tests.speaker_monitor import monitor as monitor  # noqa: F401  (the fixture)
from voicereflect.audio.playback import play_cue, play_pcm, tone

pytestmark = pytest.mark.audio


def test_play_pcm_is_heard_whole_and_returns_when_played(monitor: MonitorRecording) -> None:
    started = time.monotonic()
    play_pcm(tone(440.0, 0.6, rate=16000), 16000)
    returned = time.monotonic()
    monitor.wait_until(returned + 0.3)
    heard = monitor.loud_times(started, returned + 0.3)
    assert len(heard) * WINDOW / 16000 == pytest.approx(0.6, abs=0.05)  # tail not cut off
    assert heard[-1] <= returned + 0.05


def test_cues_are_audible(monitor: MonitorRecording) -> None:
    started = time.monotonic()
    play_cue("listening").join(timeout=5)
    ended = time.monotonic()
    monitor.wait_until(ended + 0.2)
    assert len(monitor.loud_times(started, ended + 0.2)) * WINDOW / 16000 > 0.12
