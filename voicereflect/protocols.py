"""The interfaces of the parts that touch the world, and the records they exchange.

The session and the TUI depend only on these. Real implementations (sounddevice, Vosk,
espeak-ng, the clock) live in ``audio/`` and ``speech/`` and import their libraries lazily;
test doubles in ``tests/fakes.py`` implement the same Protocols.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Word:
    """One recognised word with its time in the stream (seconds) and confidence (0..1)."""

    word: str
    start: float
    end: float
    conf: float


@dataclass(frozen=True)
class Partial:
    """Text recognised so far in the utterance being spoken; it may still change."""

    text: str


@dataclass(frozen=True)
class Final:
    """A finished stretch of speech (a Vosk endpoint). Not yet a whole answer: see turns."""

    text: str
    words: tuple[Word, ...] = ()


RecognitionEvent = Partial | Final


class AudioSource(Protocol):
    """Mono 16-bit little-endian PCM in blocks, from a microphone or a file."""

    @property
    def sample_rate(self) -> int: ...

    @property
    def level(self) -> float:
        """RMS of the latest block, 0.0 (silence) to 1.0 (full scale)."""
        ...

    @property
    def dropped_blocks(self) -> int:
        """Blocks discarded because the consumer fell behind."""
        ...

    def start(self) -> None: ...

    def read(self, timeout: float) -> bytes | None:
        """The next block; ``b""`` if none arrived within ``timeout``; ``None`` at the end."""
        ...

    def stop(self) -> None:
        """Stop capturing; never hangs."""
        ...


class VoiceDetector(Protocol):
    """Voice activity over one audio stream: how likely each short frame is speech."""

    @property
    def frame_seconds(self) -> float:
        """The length of one frame (audio time)."""
        ...

    def probabilities(self, pcm: bytes) -> list[float]:
        """Feed a block; the speech probability (0..1) of each frame it completed."""
        ...

    def reset(self) -> None:
        """Forget the stream so far."""
        ...


class Recognizer(Protocol):
    """Streaming speech to text over one audio stream (one per thread)."""

    def accept(self, pcm: bytes) -> RecognitionEvent | None:
        """Feed a block; a ``Final`` at an endpoint, else a ``Partial`` when the text changed."""
        ...

    def finish(self) -> Final | None:
        """Flush what is buffered, so the last words are never lost; ``None`` if silent."""
        ...

    def set_grammar(self, phrases: Sequence[str] | None) -> None:
        """Restrict recognition to ``phrases`` (``None`` for free speech). Resets first."""
        ...


class Speaker(Protocol):
    """Speech output that never blocks its caller."""

    def speak(self, text: str) -> None:
        """Start speaking ``text``, cancelling anything still being spoken."""
        ...

    def cancel(self) -> None:
        """Silence speech now (within 200 ms)."""
        ...

    @property
    def is_speaking(self) -> bool:
        """True until the audio has finished playing, not merely been handed off."""
        ...

    def wait(self, timeout: float) -> bool:
        """Block until speech has finished; False if ``timeout`` ran out first."""
        ...


class Clock(Protocol):
    """Time, injected so that flows and turn-taking are tested without sleeping."""

    def monotonic(self) -> float: ...

    def now(self) -> float:
        """Wall-clock seconds since the epoch (for timestamps in the journal)."""
        ...
