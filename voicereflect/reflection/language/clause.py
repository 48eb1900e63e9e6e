"""The unit the analyzers return for meaning: a clause with its negation, owner, hedges, person."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from voicereflect.reflection.language.token import Token


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause of an answer, as the person said it.

    Attributes:
        text: The clause verbatim (``answer[start:end]``), without the discourse markers and
            conjunctions at its edges ("and honestly I'm not sure" → "I'm not sure").
        start: Offset of its first character in the answer.
        end: Offset just past its last character.
        tokens: Its tokens (English words or Korean morphemes), spans in the answer.
        sentence: Index of the sentence it belongs to (0-based).
        negations: The negation cues in it ("n't", "never", 안, 못, 않, 없 …); their scope runs
            to the end of the clause, so a whole clause always keeps them.
        owner: ``None`` when the person speaks for themself; otherwise whose words or wish
            these are, as the person named them ("my mom", "엄마"), "" when not named
            ("…라고 하더라고요").
        hedges: Softening words in it ("maybe", "I guess", "것 같").
        person: Grammatical person of its subject: 1, 2, 3, or 0 when there is none (a
            fragment, or a Korean clause with the subject dropped).
        question: Whether it asks something.
        whole: Whether it can be quoted or reflected alone: it has a subject (or, in
            Korean, a final ending) and a verb, and does not start or end on a function word.
    """

    text: str
    start: int
    end: int
    tokens: tuple[Token, ...]
    sentence: int
    negations: tuple[Token, ...] = ()
    owner: str | None = None
    hedges: tuple[str, ...] = ()
    person: int = 0
    question: bool = False
    whole: bool = False

    @classmethod
    def over(
        cls,
        answer: str,
        part: Sequence[Token],
        sentence: int,
        *,
        negations: tuple[Token, ...],
        owner: str | None,
        hedges: tuple[str, ...],
        person: int,
        question: bool,
        whole: bool,
    ) -> Clause:
        """The clause spanning the (non-empty) tokens ``part`` of ``answer``."""
        start, end = part[0].start, part[-1].end
        return cls(
            answer[start:end], start, end, tuple(part), sentence, negations, owner, hedges,
            person, question, whole,
        )  # fmt: skip

    @property
    def negated(self) -> bool:
        """Whether a negation cue is in the clause."""
        return bool(self.negations)

    @property
    def own(self) -> bool:
        """Whether these are the person's own words (not someone else's, reported)."""
        return self.owner is None
