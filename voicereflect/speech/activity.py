"""Voice activity over time: sustained speech and the silence after it, from VAD frames.

A voice-activity detector gives one speech probability per short frame. ``VoiceActivity``
turns those into what turn-taking needs, counted in audio time (so it holds when audio is
decoded behind, or faster than, real time):

* ``speaking``: the probability stayed at or above ``threshold`` for ``start_seconds``
  (with hysteresis: once speaking, frames down to ``threshold - 0.15`` still count, as
  Silero's own ``get_speech_timestamps`` does), and the RMS level of those last
  ``start_seconds`` reached ``min_level``;
* ``silence_seconds``: audio since the last frame of sustained speech (a blip shorter
  than ``start_seconds`` does not reset it).

Other people talking behind the person (babble) are speech to the VAD too, so while
listening a frame also needs its block to be ``above_background`` times louder than the
background: the quietest block of the last few seconds. Tuned on 24 answers of espeak-ng
speech 10 dB over pink, brown and babble noise (scripts/bench_vad.py, replayed offline):
3x over the quietest block of 5 s ended every turn 0.08-0.13 s after the pause, none
early and none run into the next; 2x over 3 s let babble hold one turn open, and a run
of 0.1 s (three frames do not make it) let silence build up inside speech.

Two sets of settings, as Pipecat uses (``VADParams`` confidence, start_secs, min_volume):
a lenient one while listening for an answer, and a strict one while the assistant speaks,
so its own voice leaking back from the speakers (quieter than a person at the microphone,
and robotic) does not count as the person talking over it.
"""

from __future__ import annotations

import collections
import math
from collections.abc import Sequence
from dataclasses import dataclass

_HYSTERESIS = 0.15


@dataclass(frozen=True)
class VadSettings:
    """When frames count as speech.

    Attributes:
        threshold: Speech probability a frame needs (0..1).
        start_seconds: How long it must last before the person counts as speaking.
        min_level: RMS (0..1) the speech must reach over ``start_seconds`` to start.
        above_background: How many times louder than the background (the quietest block
            of the last ``BACKGROUND_SECONDS``) a block must be to hold speech; 0: off.
    """

    threshold: float
    start_seconds: float
    min_level: float = 0.0
    above_background: float = 0.0


BACKGROUND_SECONDS = 5.0

LISTENING = VadSettings(threshold=0.5, start_seconds=0.064, above_background=3.0)
"""While an answer is heard: speech ~10 dB over the quietest background ends a pause."""

BARGE_IN_THRESHOLD = 0.85
"""While the assistant speaks only clear speech counts (with a level and a minimum length
that the session sets: ``Session(barge_in_level=…, barge_in_seconds=…)``)."""


class VoiceActivity:
    """Speech and silence from VAD probabilities (see the module docstring)."""

    def __init__(self, settings: VadSettings) -> None:
        self.settings = settings
        self.speaking = False
        self.heard = False  # speaking at some point since the last reset
        self.silence_seconds = 0.0
        self.probability = 0.0  # of the latest frame
        self._run = 0.0  # audio seconds of speech frames in a row
        # Squared levels of the latest speech frames: their RMS must reach min_level. A
        # window, not one block, so a quiet gap between syllables does not restart the run.
        self._levels: collections.deque[float] = collections.deque()
        self._background: collections.deque[tuple[float, float]] = collections.deque()
        self._background_seconds = 0.0

    def feed(self, probabilities: Sequence[float], frame_seconds: float, level: float) -> bool:
        """Take the frames of one block (of RMS ``level``); True if speech started in it."""
        started = False
        window = max(1, round(self.settings.start_seconds / frame_seconds))
        above = level >= self.settings.above_background * self._quietest(
            level, len(probabilities) * frame_seconds
        )
        for p in probabilities:
            self.probability = p
            bar = self.settings.threshold - (_HYSTERESIS if self.speaking else 0.0)
            if p >= bar and above:
                self._run += frame_seconds
                self._levels.append(level * level)
                while len(self._levels) > window:
                    self._levels.popleft()
                if not self.speaking and self._run >= self.settings.start_seconds - 1e-9:
                    loud = math.sqrt(math.fsum(self._levels) / len(self._levels))
                    if loud >= self.settings.min_level:
                        self.speaking = self.heard = started = True
                # A blip shorter than start_seconds (a click, a noise burst) is still silence.
                self.silence_seconds = (
                    0.0 if self.speaking else self.silence_seconds + frame_seconds
                )
            else:
                self._run = 0.0
                self._levels.clear()
                self.speaking = False
                self.silence_seconds += frame_seconds
        return started

    def _quietest(self, level: float, seconds: float) -> float:
        """The quietest block of the last ``BACKGROUND_SECONDS`` before this one (0 if none)."""
        quietest = min((lv for lv, _ in self._background), default=0.0)
        if seconds > 0:
            self._background.append((level, seconds))
            self._background_seconds += seconds
            while self._background_seconds > BACKGROUND_SECONDS and len(self._background) > 1:
                self._background_seconds -= self._background.popleft()[1]
        return quietest

    def reset(self) -> None:
        """Start over: nothing heard, no silence counted (the background is kept)."""
        self.speaking = self.heard = False
        self.silence_seconds = self.probability = self._run = 0.0
        self._levels.clear()
