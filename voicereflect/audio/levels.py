"""Loudness of 16-bit PCM blocks (RMS and peak, 0..1), with the standard library only."""

from __future__ import annotations

import math
import sys
from array import array

_FULL_SCALE = 32768.0


def _samples(pcm: bytes) -> array[int]:
    samples = array("h")
    # A trailing odd byte is half a sample: ignore it rather than fail on a torn block.
    samples.frombytes(pcm[: len(pcm) - (len(pcm) % 2)])
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def rms_level(pcm: bytes) -> float:
    """The root-mean-square level of mono int16 little-endian ``pcm``.

    Args:
        pcm: Mono 16-bit little-endian samples.

    Returns:
        0.0 for silence (or no samples) up to 1.0 for a full-scale square wave.
    """
    samples = _samples(pcm)
    if not samples:
        return 0.0
    # math.fsum of squares is exact enough and far faster than a pure-Python accumulate loop.
    mean_square = math.fsum(s * s for s in samples) / len(samples)
    return min(1.0, math.sqrt(mean_square) / _FULL_SCALE)


def peak_level(pcm: bytes) -> float:
    """The largest absolute sample of ``pcm`` as a fraction of full scale (0..1)."""
    samples = _samples(pcm)
    if not samples:
        return 0.0
    return min(1.0, max(abs(max(samples)), abs(min(samples))) / _FULL_SCALE)
