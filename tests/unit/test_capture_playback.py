"""Tones and cues are generated correctly, without numpy or a sound card."""

from __future__ import annotations

import pytest

from voicereflect.audio.levels import peak_level, rms_level
from voicereflect.audio.playback import CUE_RATE, cue_pcm, tone


def test_tone_has_its_length_and_volume() -> None:
    pcm = tone(440.0, 0.5, rate=16000, volume=0.5)
    assert len(pcm) == 2 * 8000
    assert peak_level(pcm) == pytest.approx(0.5, abs=0.01)
    assert rms_level(pcm) == pytest.approx(0.5 / 2**0.5, rel=0.05)


def test_tone_fades_in_and_out_so_it_does_not_click() -> None:
    pcm = tone(440.0, 0.2, rate=16000, volume=1.0)
    assert pcm[:2] == b"\0\0" and pcm[-2:] == b"\0\0"
    assert peak_level(pcm[:32]) < 0.1  # the first millisecond is nearly silent


def test_cues_are_short_and_distinct() -> None:
    listening, saved = cue_pcm("listening"), cue_pcm("saved")
    assert 0.1 < len(listening) / 2 / CUE_RATE < 0.5
    assert listening != saved
    with pytest.raises(KeyError):
        cue_pcm("nope")
