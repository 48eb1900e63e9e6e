"""rms_level and peak_level on int16 blocks, with the standard library only."""

from __future__ import annotations

import math
from array import array

import pytest

from voicereflect.audio.levels import peak_level, rms_level


def _pcm(values: list[int]) -> bytes:
    return array("h", values).tobytes()


def test_silence_and_empty_are_zero() -> None:
    assert rms_level(b"") == 0.0
    assert rms_level(_pcm([0] * 1000)) == 0.0
    assert peak_level(b"") == 0.0


def test_full_scale_square_is_one() -> None:
    assert rms_level(_pcm([-32768, 32767] * 500)) == pytest.approx(1.0, abs=1e-4)


def test_sine_rms_is_amplitude_over_root_two() -> None:
    sine = [round(16384 * math.sin(2 * math.pi * 440 * i / 16000)) for i in range(16000)]
    assert rms_level(_pcm(sine)) == pytest.approx(0.5 / math.sqrt(2), rel=1e-3)
    assert peak_level(_pcm(sine)) == pytest.approx(0.5, rel=1e-3)


def test_a_torn_odd_byte_is_ignored() -> None:
    assert rms_level(_pcm([16384, -16384]) + b"\x7f") == pytest.approx(0.5)
