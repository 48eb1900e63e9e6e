"""What goes into the reflection engine (events) and what comes out (actions).

All frozen dataclasses; ``voicereflect.reflection.engine`` re-exports them, so
``engine.AnswerGiven`` and ``engine.Ask`` are the names to use.
"""

from __future__ import annotations

from dataclasses import dataclass

from voicereflect.protocols import Word
from voicereflect.reflection.packs import AnswerKind
from voicereflect.reflection.safety import SupportContact

# --- events --------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerGiven:
    """The person finished a turn with these words.

    ``words`` are the recogniser's words of a spoken turn, each with its time in the audio
    stream (seconds) and its confidence (0..1), in order; empty for a typed answer.
    """

    text: str
    at: float
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """The person asked to skip the current question (key or button)."""

    at: float


@dataclass(frozen=True)
class RepeatRequested:
    """The person asked to hear the current question again."""

    at: float


@dataclass(frozen=True)
class StopRequested:
    """The person wants to end now; the engine goes to the summary."""

    at: float


@dataclass(frozen=True)
class TimeTick:
    """Time passed without an answer (drives the session-length nudge)."""

    at: float


Event = AnswerGiven | Skipped | RepeatRequested | StopRequested | TimeTick

# --- actions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Ask:
    """Say or show a question, then listen for the answer."""

    step_id: str
    text: str
    kind: AnswerKind
    grammar_hint: tuple[str, ...] | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reflect:
    """Say or show the person's own words reflected back.

    ``kind`` is "simple", "double", "feeling" or "last"; ``complex`` marks a double-sided,
    feeling or second-person reflection (MITI); ``said`` holds the clauses reflected, as
    the person said them (for the fidelity report; not shown).
    """

    text: str
    kind: str = "simple"
    complex: bool = False
    said: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tell:
    """Say or show a statement of the flow's before its question (the miracle question's
    "Suppose that tonight …"): a turn of its own, so every spoken question stays short."""

    text: str


@dataclass(frozen=True)
class SaveAnswer:
    """Store one answer now (it must survive a crash right after)."""

    step_id: str
    prompt: str
    answer: str
    rating: int | None = None
    next_step: bool = False
    followup: bool = False
    words: tuple[Word, ...] = ()
    rates: str | None = None  # the question a re-asked number rates (when it was re-asked)


@dataclass(frozen=True)
class OfferSupport:
    """Pause and show the person's support contacts, gently and without diagnosis."""

    text: str
    contacts: tuple[SupportContact, ...]


@dataclass(frozen=True)
class Nudge:
    """A gentle note that the session has run for a while."""

    text: str


@dataclass(frozen=True)
class Summarize:
    """The closing summary, built only from the person's words and the pack's frame.

    ``text`` is the full summary, for the screen; ``spoken`` the short one to say aloud
    (the topic, the person's change talk and next step, without the rating labels).
    """

    text: str
    spoken: str = ""


@dataclass(frozen=True)
class Finished:
    """The session is over; ``text`` is a goodbye to say."""

    text: str


Action = Ask | Reflect | Tell | SaveAnswer | OfferSupport | Nudge | Summarize | Finished
