"""The events a reflection session emits, and the states it moves through.

Every front end (the Textual app, ``voicereflect --plain``) is a view of these events: the
session calls ``on_event(event)`` from its own threads, so a UI must hand the event over to
its own thread (Textual: ``post_message``) rather than touch widgets in the callback.

The microphone level is deliberately not an event (it changes ~10 times a second): poll
``Session.level``, ``Session.voice_probability`` and ``Session.dropped_blocks`` instead.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class SessionState(enum.Enum):
    """What the session is doing now, as shown to the person."""

    STARTING = "starting"  # before the first question
    SPEAKING = "speaking"  # a question or reflection is being spoken; the mic is ignored
    LISTENING = "listening"  # waiting for, or hearing, the answer
    THINKING = "thinking-pause"  # they spoke and are silent now; the turn is still open
    PAUSED = "paused"  # nothing is heard or spoken until resume()
    SAVING = "saving"  # the answer is being committed to the journal
    TYPING = "typing"  # no microphone or model (or the person chose to type)
    ENDED = "ended"  # the session is over; no further events except errors


class Command(enum.Enum):
    """Actions a person can take by key, typed command or voice command."""

    END_TURN = "end_turn"
    REPEAT = "repeat"
    SKIP = "skip"
    PAUSE = "pause"
    RESUME = "resume"
    END = "end"


class SessionEvent:
    """Base class of every event; subclasses are frozen dataclasses."""

    __slots__ = ()


@dataclass(frozen=True)
class QuestionAsked(SessionEvent):
    """A question is put to the person (shown, and spoken unless muted).

    Attributes:
        text: The question as shown and spoken.
        step: The flow step id it belongs to (stored with the answer).
        expects: ``"text"`` (free answer), ``"rating"`` (a number), ``"yesno"`` or
            ``"choice"``.
        low: Lowest rating accepted when ``expects == "rating"``.
        high: Highest rating accepted when ``expects == "rating"``.
        choices: The options when ``expects == "choice"``; keys 1, 2, 3… pick them.
    """

    text: str = field(repr=False)
    step: str
    expects: str = "text"
    low: int = 0
    high: int = 10
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class StateChanged(SessionEvent):
    """The session moved to ``state``."""

    state: SessionState


@dataclass(frozen=True)
class PartialText(SessionEvent):
    """The answer so far in this turn (finished stretches plus the words still changing)."""

    text: str = field(repr=False)


@dataclass(frozen=True)
class TurnClosing(SessionEvent):
    """Silence will end the turn in about a second (``closing``), or speech cancelled that.

    A soft cue, so someone still thinking knows to say something (or press a key) first.
    """

    closing: bool


@dataclass(frozen=True)
class AnswerFinished(SessionEvent):
    """The person's turn is over; ``text`` is the whole answer (may be empty if skipped).

    Attributes:
        text: The answer as it will be stored.
        step: The step it answers.
        ended_by: ``"key"``, ``"phrase"``, ``"silence"``, ``"typed"``, or ``"mic-lost"``
            (the microphone went away mid-answer; the words heard so far are the answer).
    """

    text: str = field(repr=False)
    step: str
    ended_by: str


@dataclass(frozen=True)
class RatingHeard(SessionEvent):
    """A rating was understood from the answer (spoken or typed digits)."""

    value: int
    step: str


@dataclass(frozen=True)
class Saved(SessionEvent):
    """An answer is committed to the journal (before the next question is spoken)."""

    entry_id: int
    step: str


@dataclass(frozen=True)
class Reflection(SessionEvent):
    """The person's own words reflected back (shown and spoken like a question)."""

    text: str = field(repr=False)


@dataclass(frozen=True)
class SupportOffered(SessionEvent):
    """Risk language was heard: show the support card (the session also says it aloud).

    Attributes:
        message: A short caring line to show first.
        contacts: One line per contact (name and how to reach them), from the safety list.
    """

    message: str
    contacts: tuple[str, ...]


@dataclass(frozen=True)
class Nudge(SessionEvent):
    """A gentle note that the session has run a long time."""

    text: str


@dataclass(frozen=True)
class Notice(SessionEvent):
    """A one-line status for the person, e.g. ``no microphone: type your answers``."""

    message: str


@dataclass(frozen=True)
class MicrophoneLost(Notice):
    """The microphone could not be opened or stopped: answers are typed from now on.

    A ``Notice`` (shown as one), typed so front ends need not read the message's words.
    """


@dataclass(frozen=True)
class ModelReady(SessionEvent):
    """The speech model has loaded; spoken answers are now understood."""

    load_seconds: float


@dataclass(frozen=True)
class ModelFailed(SessionEvent):
    """No speech model could be loaded; the session carries on in typing mode."""

    message: str


@dataclass(frozen=True)
class SessionError(SessionEvent):
    """Something went wrong that the person should know about (never transcript text)."""

    message: str


@dataclass(frozen=True)
class SessionSummary:
    """What a finished session amounted to."""

    answers: int
    skipped: int
    duration_seconds: float
    next_step: str | None = None


@dataclass(frozen=True)
class SessionEnded(SessionEvent):
    """The session is over and everything is saved; the last event a session emits."""

    session_id: int | None
    summary: SessionSummary
