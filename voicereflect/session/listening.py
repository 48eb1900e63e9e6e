"""What the listener thread works with: the turn-taker, the factories it calls, its reports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from voicereflect.protocols import RecognitionEvent, Recognizer, VoiceDetector, Word
from voicereflect.session.events import Command


class TurnAnswer(Protocol):
    """A finished turn as the turn-taker reports it."""

    @property
    def text(self) -> str: ...

    @property
    def ended_by(self) -> str: ...

    @property
    def words(self) -> tuple[Word, ...]:
        """The recognised words of the turn, with their times and confidences."""
        ...


class TurnTaking(Protocol):
    """Joins recognizer finals into one answer and decides when the person's turn is over."""

    def feed(self, event: RecognitionEvent, now: float) -> TurnAnswer | None:
        """Take one event; the answer if an end phrase finished the turn."""
        ...

    def end_turn(self) -> TurnAnswer:
        """End the turn now (a key), with whatever was said."""
        ...

    def poll(self, now: float) -> TurnAnswer | None: ...

    def hear_voice(self, silence_seconds: float | None) -> None:
        """The VAD's audio seconds of silence since speech; ``None`` before any speech."""
        ...

    def seconds_left(self, now: float) -> float | None:
        """Seconds until silence ends the turn; ``None`` while not counting down."""
        ...


TurnTakerFactory = Callable[[Sequence[str]], TurnTaking]
"""``(end_phrases) -> a fresh turn-taker`` for one answer."""

RecognizerFactory = Callable[[int], Recognizer]
"""``(sample_rate) -> recognizer``; called on the listener thread (one recognizer per thread)."""

VadFactory = Callable[[int], VoiceDetector]
"""``(sample_rate) -> voice-activity detector``; raises a ``VoicereflectError`` if unusable."""


class ListenerReports(Protocol):
    """How the listener tells the session what it heard (called on the listener thread)."""

    def heard_turn(
        self,
        token: int,
        text: str,
        ended_by: str,
        audio: bytes | None,
        words: tuple[Word, ...] = (),
    ) -> None: ...

    def heard_command(self, token: int, command: Command) -> None: ...

    def heard_partial(self, token: int, text: str, thinking: bool) -> None: ...

    def barged_in(self) -> None: ...

    def turn_closing(self, token: int, closing: bool) -> None:
        """Silence will end the turn within a second (``True``), or speech cancelled that."""
        ...

    def mic_lost(self, message: str) -> None: ...

    def recognizer_failed(self, message: str) -> None: ...
