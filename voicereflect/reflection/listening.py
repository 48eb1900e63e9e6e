"""Listening to an answer: the reflection said before any question, and the talk kept.

Every substantive text answer is reflected before the engine asks anything else: a
double-sided reflection when change talk follows sustain talk (in this answer or an
earlier one), otherwise the person's feeling words and then their change talk, sustain
talk, or the clause that carries the most. What is heard as change talk is kept, verbatim,
for the summary; sustain talk waits for the change talk it will be reflected with.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from voicereflect.reflection.answers import parse_yes_no
from voicereflect.reflection.events import Action, Reflect

if TYPE_CHECKING:
    from voicereflect.protocols import Word
    from voicereflect.reflection.engine import EngineState
    from voicereflect.reflection.packs import Step
    from voicereflect.reflection.reflections import Reflection

KEEP_SUSTAIN = 3  # sustain talk remembered for a double-sided reflection later


def _timings(words: Sequence[Word]) -> tuple[tuple[str, float, float], ...] | None:
    return tuple((w.word, w.start, w.end) for w in words) or None


def _seed(state: EngineState) -> int:
    # Deterministic per session (pure), varied between answers.
    return int(state.started_at) + state.index * 7 + len(state.answers)


def _action(r: Reflection) -> Reflect:
    return Reflect(r.text, r.kind, r.complex, r.source)


def listen(
    state: EngineState, st: Step, text: str, words: Sequence[Word], gather: bool
) -> tuple[EngineState, tuple[Action, ...]]:
    """The reflections of one answer to ``st``, and the state with its talk kept.

    Args:
        state: the engine state (the answer already recorded).
        st: the step answered; its ``talk`` is the side a decisional-balance step asks about.
        text: the answer.
        words: the recogniser's words with times, if spoken (pauses cut clauses).
        gather: whether change talk heard here goes into the summary.
    """
    from voicereflect.reflection import reflections as rf
    from voicereflect.reflection import talk

    lang = state.pack.lang
    frames = state.pack.language.reflections
    heard = talk.hear(text, lang, st.talk, _timings(words))
    clauses = [h.clause for h in heard]
    change = [h.clause for h in heard if h.talk == "change" and rf.fits(h.clause, lang)]
    sustain = [h.clause for h in heard if h.talk == "sustain" and rf.fits(h.clause, lang)]
    seed = _seed(state)
    out: list[Reflection] = []
    waiting = state.sustain_heard
    if change and (sustain or waiting):
        side = sustain[-1] if sustain else None
        said = (side.text, rf.side(side, text, lang, clauses)) if side else waiting[-1]
        now = (change[-1].text, rf.side(change[-1], text, lang, clauses))
        out.append(rf.double(frames, said, now, seed))
        waiting = ()
    else:
        felt = rf.feeling(frames, clauses, lang, seed)
        if felt is not None:
            out.append(felt)
        talked = change or sustain
        target = talked[-1] if talked else None
        if target is None and felt is None:
            target = rf.to_reflect(clauses, lang)
        if target is not None:
            out.append(rf.simple(frames, target, text, lang, clauses, seed + 1))
        if sustain:
            last = sustain[-1]
            waiting = (waiting + ((last.text, rf.side(last, text, lang, clauses)),))[-KEEP_SUSTAIN:]
    kept = state.change_talk + (tuple(c.text for c in change) if gather else ())
    state = dataclasses.replace(state, sustain_heard=waiting, change_talk=kept)
    return state, tuple(_action(r) for r in out)


def last_addition(state: EngineState, text: str, words: Sequence[Word]) -> tuple[Action, ...]:
    """A reflection of what the person added to "Did I miss anything?" (none for "no")."""
    from voicereflect.reflection import reflections as rf
    from voicereflect.reflection.language import clauses

    if parse_yes_no(text[:200], state.pack.lang) is False:
        return ()
    lang = state.pack.lang
    found = clauses(text, lang, _timings(words))
    target = rf.to_reflect(found, lang)
    if target is None:
        return ()
    frames = state.pack.language.reflections
    return (_action(rf.simple(frames, target, text, lang, found, _seed(state), "last")),)
