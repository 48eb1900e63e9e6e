"""The session's view of the reflection engine: the actions it performs and the Dialogue protocol.

The engine (``voicereflect.reflection``) is a pure state machine; a ``Dialogue`` holds its
state for one session and translates its actions into the few things the session runner
does: ask, say, save a rating, offer support, nudge, finish. Test doubles implement the same
protocol (``tests/fakes.py``), so the runner is tested without the engine's rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from voicereflect.session_events import Command


@dataclass(frozen=True)
class Ask:
    """Put a question and wait for the answer.

    Attributes:
        step: The flow step id the answer is saved under.
        text: The question (may quote the person's words, so kept out of ``repr``).
        expects: ``"text"``, ``"rating"``, ``"yesno"`` or ``"choice"``.
        low: Lowest rating for ``"rating"``.
        high: Highest rating for ``"rating"``.
        phrases: Words a grammar-restricted recognizer may listen for (empty: free speech).
    """

    step: str
    text: str = field(repr=False)
    expects: str = "text"
    low: int = 0
    high: int = 10
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Say:
    """Speak and show something that needs no answer (a reflection, a summary, goodbye)."""

    text: str = field(repr=False)


@dataclass(frozen=True)
class Rated:
    """The answer to ``step`` was understood as the rating ``value`` (saved with it)."""

    step: str
    value: int


@dataclass(frozen=True)
class OfferSupport:
    """Show the support card: a caring line and the contacts from the safety list."""

    message: str
    contacts: tuple[str, ...]


@dataclass(frozen=True)
class NudgeNote:
    """A gentle note that the session has run long."""

    text: str


@dataclass(frozen=True)
class Finish:
    """The flow is over; ``next_step`` is the person's next small step, if they named one."""

    next_step: str | None = field(default=None, repr=False)


DialogueAction = Ask | Say | Rated | OfferSupport | NudgeNote | Finish


class Dialogue(Protocol):
    """One session's conversation: feed it what happened, get back what to do next.

    Every method returns at once (no I/O) and is called from the session's controller
    thread only.
    """

    @property
    def flow_id(self) -> str:
        """The flow being run (stored with the journal session)."""
        ...

    @property
    def language(self) -> str:
        """The language pack's code (``"en"``, ``"ko"``)."""
        ...

    def begin(self, previous_next_step: str | None) -> list[DialogueAction]:
        """Open the session; ``previous_next_step`` is last session's next step, if any."""
        ...

    def answer(self, step: str, text: str) -> list[DialogueAction]:
        """The person answered ``step`` with ``text`` (spoken or typed)."""
        ...

    def skip(self, step: str) -> list[DialogueAction]:
        """The person skipped ``step``."""
        ...

    def tick(self, elapsed_seconds: float) -> list[DialogueAction]:
        """Time passed (for the session-length nudge)."""
        ...

    def end(self) -> list[DialogueAction]:
        """The person ended the session early; returns the closing actions."""
        ...

    def voice_commands(self) -> Mapping[str, Command]:
        """Whole utterances that are commands, lower-case (``"repeat"`` -> REPEAT...)."""
        ...

    def end_phrases(self) -> Sequence[str]:
        """Phrases that end a turn (``"I'm done"``, ``"next"``), for turn-taking."""
        ...
