"""One entry point for clauses in either language, with pauses from the recogniser's word times."""

from __future__ import annotations

from collections.abc import Sequence

from voicereflect.reflection.language.clause import Clause
from voicereflect.reflection.language.tokens import language_key

# A silence this long between two recognised words ends a clause. Speakers pause ~0.2 s
# inside a clause and longer between clauses; Vosk's word times are good to ~30 ms.
PAUSE_SECONDS = 0.5

WordTime = tuple[str, float, float]


def pause_cuts(
    text: str, timings: Sequence[WordTime], gap: float = PAUSE_SECONDS
) -> frozenset[int]:
    """Character offsets in ``text`` of the words that follow a pause of ``gap`` or more.

    Args:
        text: the answer, as the recogniser's words joined (spacing may differ).
        timings: ``(word, start, end)`` per recognised word, in order (Vosk's ``result``).
        gap: the shortest silence, in seconds, that counts as a boundary.

    Words not found in ``text`` (the person edited it) are passed over.
    """
    cuts: set[int] = set()
    low = text.lower()
    at = 0
    prev_end: float | None = None
    for word, start, end in timings:
        found = low.find(word.lower(), at) if word else -1
        if found < 0:
            continue
        if prev_end is not None and start - prev_end >= gap:
            cuts.add(found)
        at, prev_end = found + len(word), end
    return frozenset(cuts)


def clauses(text: str, lang: str, timings: Sequence[WordTime] | None = None) -> tuple[Clause, ...]:
    """The clauses of an answer, each with its negation, owner, hedges and person.

    Args:
        text: the person's answer, typed or recognised (no punctuation needed).
        lang: its language tag ("en", "ko", "ko-KR" …).
        timings: the recogniser's word times, when known: a pause is a clause boundary.
    """
    cuts = pause_cuts(text, timings) if timings else frozenset()
    if language_key(lang) == "ko":
        from voicereflect.reflection.language import korean_clauses

        return korean_clauses.clauses(text, cuts)
    from voicereflect.reflection.language import english_clauses

    return english_clauses.clauses(text, cuts)
