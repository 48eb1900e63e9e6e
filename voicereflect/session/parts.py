"""What a session is driven by: the injected parts and the journal interface it writes to."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from voicereflect.clock import SystemClock
from voicereflect.i18n import ngettext
from voicereflect.protocols import AudioSource, Clock, Speaker, Word
from voicereflect.session.dialogue import Dialogue
from voicereflect.session.listening import RecognizerFactory, TurnTakerFactory, VadFactory

log = logging.getLogger(__name__)

RecognizerLoader = Callable[[], RecognizerFactory]
"""Loads the speech model (slow, blocking) and returns a factory of recognizers over it.

Raises a ``VoicereflectError`` (e.g. ``ModelNotFound``) when there is no usable model.
"""

AudioFactory = Callable[[], AudioSource]
"""Opens the microphone; raises a ``VoicereflectError`` when there is none."""


class JournalWriter(Protocol):
    """What the session writes to the journal (``voicereflect.journal.store.Journal``)."""

    def start_session(self, flow: str, language: str, started_at: float) -> int: ...

    def add_entry(
        self,
        session_id: int,
        step_id: str,
        prompt: str,
        answer: str,
        rating: float | None = None,
        audio: bytes | None = None,
        audio_rate: int | None = None,
        at: float | None = None,
        words: tuple[Word, ...] = (),
        rates: str | None = None,
    ) -> int: ...

    def end_session(
        self, session_id: int, ended_at: float, next_step: str | None = None
    ) -> None: ...

    def last_next_step(self) -> str | None: ...

    def delete_sessions(self, ids: Iterable[int]) -> int: ...


@dataclass
class SessionParts:
    """Everything a session is driven by; the real ones come from ``real_parts(config)``.

    Attributes:
        dialogue: The conversation (engine + prompt pack) for this session.
        open_journal: Returns the journal to write to; called on the controller thread.
            The session never closes it: the opener owns it (and may share it).
        speaker: Speech output, or ``None`` when there is no voice (questions only shown).
        open_audio: Opens the microphone, or ``None`` for no microphone (typing).
        load_recognizer: Loads the model in the background, or ``None`` for no model.
        open_vad: Makes the voice-activity detector for the microphone's rate (on the
            listener thread), or ``None``: then the level detects barge-in and the
            recogniser's words time the pause.
        turn_taker: Makes a turn-taker per answer.
        clock: Time for durations and journal timestamps.
        prepare: Slow work the first answer would otherwise wait for (loading the language
            analyzer that the journal's index and the reflections use), done on the model
            thread once the model has loaded, or on its own thread when there is no model.
        notices: Said once as the session starts (the person's own flow files left out).
    """

    dialogue: Dialogue
    open_journal: Callable[[], JournalWriter]
    turn_taker: TurnTakerFactory
    speaker: Speaker | None = None
    open_audio: AudioFactory | None = None
    load_recognizer: RecognizerLoader | None = None
    open_vad: VadFactory | None = None
    clock: Clock = field(default_factory=SystemClock)
    prepare: Callable[[], None] | None = None
    notices: tuple[str, ...] = ()


def held_answers(journal: object) -> int:
    """Answers a journal still holds in memory after one last try to write them.

    The real ``Journal`` keeps answers it could not write (a full disk, a lock) in memory;
    this retries once and counts what is left. Journals without that notion hold none.
    """
    flush = getattr(journal, "flush_pending", None)
    if callable(flush):
        try:
            flush()
        except Exception as exc:  # still no space (or worse): closing goes on; counted below
            log.warning("held answers not written at close: %s", type(exc).__name__)
    held = getattr(journal, "pending_count", 0)
    return held if isinstance(held, int) else 0


def held_warning(count: int) -> str:
    """The line telling the person that answers could not be written before closing."""
    return ngettext(
        "warning: {n} answer of this session could not be saved (the disk is full, or another "
        "voicereflect holds the journal); it is lost as voicereflect closes — free some disk "
        "space (or close the other voicereflect) before your next session",
        "warning: {n} answers of this session could not be saved (the disk is full, or another "
        "voicereflect holds the journal); they are lost as voicereflect closes — free some disk "
        "space (or close the other voicereflect) before your next session",
        count,
    ).format(n=count)
