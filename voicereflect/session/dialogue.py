"""The session's view of the reflection engine: the actions it performs and the Dialogue protocol.

The engine (``voicereflect.reflection``) is a pure state machine; a ``Dialogue`` holds its
state for one session and translates its actions into the few things the session runner
does: ask, say, save an answer, offer support, nudge, finish. Test doubles implement the same
protocol (``tests/fakes.py``), so the runner is tested without the engine's rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from voicereflect.protocols import Clock, Word
from voicereflect.reflection import engine
from voicereflect.reflection.packs import PromptPack
from voicereflect.reflection.safety import SupportContact, mentions_risk, spoken_contacts
from voicereflect.session.events import Command


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
        choices: The options of a ``"choice"`` question, in the order keys 1, 2, 3… pick.
    """

    step: str
    text: str = field(repr=False)
    expects: str = "text"
    low: int = 0
    high: int = 10
    phrases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Say:
    """Speak and show something that needs no answer (a reflection, a summary, goodbye).

    ``spoken``, when given, is said instead of ``text`` (the short spoken summary; the full
    one is shown).
    """

    text: str = field(repr=False)
    spoken: str = field(default="", repr=False)


@dataclass(frozen=True)
class Save:
    """Commit one answer to the journal now, before anything else is spoken.

    Attributes:
        step: The step id it answers.
        prompt: The question as it was asked.
        answer: The person's words.
        rating: The number understood for ratings (1/0 for yes/no), else ``None``.
        next_step: This answer is the person's next small step.
        words: The recognised words of a spoken answer, with times and confidences.
        rates: For a number given when the question was asked again: the question it rates.
    """

    step: str
    prompt: str = field(repr=False)
    answer: str = field(repr=False)
    rating: int | None = None
    next_step: bool = False
    words: tuple[Word, ...] = field(default=(), repr=False)
    rates: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class OfferSupport:
    """Show the support card and say it: a caring line and the contacts from the safety list.

    Attributes:
        message: The caring line, as shown.
        contacts: One line per contact, as shown.
        spoken: What is said aloud: the line, then each name and number read slowly
            (empty: nothing to say).
    """

    message: str
    contacts: tuple[str, ...]
    spoken: str = ""


@dataclass(frozen=True)
class NudgeNote:
    """A gentle note that the session has run long."""

    text: str


@dataclass(frozen=True)
class Finish:
    """The flow is over; ``next_step`` is the person's next small step, if they named one."""

    next_step: str | None = field(default=None, repr=False)


DialogueAction = Ask | Say | Save | OfferSupport | NudgeNote | Finish


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

    def answer(self, step: str, text: str, words: tuple[Word, ...] = ()) -> list[DialogueAction]:
        """The person answered ``step`` with ``text``; ``words`` are Vosk's (none if typed)."""
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


_KINDS = {
    "text": ("text", 0, 10),
    "rating0_10": ("rating", 0, 10),
    "rating0_100": ("rating", 0, 100),
    "yesno": ("yesno", 0, 1),
    "choice": ("choice", 0, 0),
}


def flow_id_for(requested: str, known: Sequence[str]) -> str:
    """The flow id meant by ``requested``, forgiving hyphens ("check-in" is "checkin")."""
    if requested in known:
        return requested
    squashed = requested.replace("-", "").replace("_", "")
    for flow in known:
        if flow.replace("-", "").replace("_", "") == squashed:
            return flow
    return requested  # the engine names the unknown flow in its error


class EngineDialogue:
    """A ``Dialogue`` over the pure reflection engine (``voicereflect.reflection.engine``).

    Args:
        pack: The language's prompt pack (``packs.load_pack``).
        flow_id: The flow to run.
        clock: Supplies the times the engine's events carry.
        nudge_minutes: Session length before a gentle nudge (0: never).
        contacts: The support list to offer if risk language comes up.
    """

    def __init__(
        self,
        pack: PromptPack,
        flow_id: str,
        *,
        clock: Clock,
        nudge_minutes: float,
        contacts: tuple[SupportContact, ...],
    ) -> None:
        self._pack = pack
        self._flow_id = flow_id_for(flow_id, [f.id for f in pack.flows])
        self._flow = pack.flow(self._flow_id)  # raises PackError for an unknown flow
        self._clock = clock
        self._nudge_minutes = nudge_minutes
        self._contacts = contacts
        self._state: engine.EngineState | None = None

    @property
    def flow_id(self) -> str:
        return self._flow_id

    @property
    def language(self) -> str:
        return self._pack.lang

    def begin(self, previous_next_step: str | None) -> list[DialogueAction]:
        self._state, actions = engine.start(
            self._pack,
            self._flow_id,
            at=self._clock.now(),
            nudge_minutes=self._nudge_minutes,
            previous_next_step=previous_next_step,
            contacts=self._contacts,
        )
        return self._convert(actions)

    def _event(self, event: engine.Event) -> list[DialogueAction]:
        if self._state is None:
            return []
        self._state, actions = engine.step(self._state, event)
        return self._convert(actions)

    def answer(self, step: str, text: str, words: tuple[Word, ...] = ()) -> list[DialogueAction]:
        return self._event(engine.AnswerGiven(text, at=self._clock.now(), words=words))

    def skip(self, step: str) -> list[DialogueAction]:
        return self._event(engine.Skipped(at=self._clock.now()))

    def tick(self, elapsed_seconds: float) -> list[DialogueAction]:
        return self._event(engine.TimeTick(at=self._clock.now()))

    def end(self) -> list[DialogueAction]:
        actions = self._event(engine.StopRequested(at=self._clock.now()))
        # Ending early closes at once: the summary is shown, no further question asked.
        kept: list[DialogueAction] = [a for a in actions if not isinstance(a, Ask)]
        if not any(isinstance(a, Finish) for a in kept):
            if self._state is not None:  # the engine's goodbye was not reached: its farewell
                kept.extend(self._convert(engine.farewell(self._state)))
            kept.append(Finish(self._next_step()))
        return kept

    def _next_step(self) -> str | None:
        return self._state.next_small_step if self._state is not None else None

    def voice_commands(self) -> Mapping[str, Command]:
        lang = self._pack.language
        commands: dict[str, Command] = {}
        # A pack may add pause words later; until then pausing is by key or /pause.
        pause_words: tuple[str, ...] = getattr(lang, "pause_words", ())
        for words, command in (
            (lang.repeat_words, Command.REPEAT),
            (lang.skip_words, Command.SKIP),
            (pause_words, Command.PAUSE),
            (lang.stop_words, Command.END),
        ):
            # A command word that is risk language (an edited pack) stays an answer.
            commands.update({w.lower(): command for w in words if not mentions_risk(w, lang.lang)})
        return commands

    def end_phrases(self) -> Sequence[str]:
        return self._pack.language.end_phrases

    def _convert(self, actions: Sequence[engine.Action]) -> list[DialogueAction]:
        out: list[DialogueAction] = []
        for a in actions:
            if isinstance(a, engine.Ask):
                expects, low, high = _KINDS.get(a.kind, ("text", 0, 10))
                phrases = tuple(a.grammar_hint or ())
                out.append(Ask(a.step_id, a.text, expects, low, high, phrases, a.choices))
            elif isinstance(a, engine.Reflect | engine.Tell):
                out.append(Say(a.text))
            elif isinstance(a, engine.Summarize):
                out.append(Say(a.text, a.spoken))
            elif isinstance(a, engine.SaveAnswer):
                out.append(
                    Save(a.step_id, a.prompt, a.answer, a.rating, a.next_step, a.words, a.rates)
                )
            elif isinstance(a, engine.OfferSupport):
                lines = tuple(
                    f"{c.name}: {c.how}" + (f" ({c.note})" if c.note else "") for c in a.contacts
                )
                spoken = f"{a.text} {spoken_contacts(a.contacts)}".strip()
                out.append(OfferSupport(a.text, lines, spoken))
            elif isinstance(a, engine.Nudge):
                out.append(NudgeNote(a.text))
            elif isinstance(a, engine.Finished):
                out.extend([Say(a.text), Finish(self._next_step())])
        return out
