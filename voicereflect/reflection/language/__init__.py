"""The language layer: what a person said as tokens, and as clauses that keep their meaning.

Everything that reads meaning out of an answer (reflections, change talk, safety, themes,
search) goes through here, so an inflected form is the same word everywhere::

    tokens("I've been self-harming again", "en")
        -> Token("I", lemma="i", tag="PRON"), Token("'ve", lemma="have", tag="AUX"),
           Token("been", lemma="be", tag="AUX"), Token("self", ...), Token("harming",
           lemma="harm", ...), Token("again", ...)
    tokens("사과하고 싶지 않아요", "ko")
        -> 사과/NNG 하/XSV 고/EC 싶/VX 지/EC 않/VX 어요/EF   (Kiwi morphemes)
    terms(text, lang)   the content lemmas / morphemes, lower-cased: what search indexes
                        and what lexicons match against ("walked" -> "walk", "대학원에" -> "대학원")
    clauses(text, lang, timings=None)
        -> Clause(text="I don't think I can keep doing this job", negations=(n't,),
                  owner=None, hedges=(), person=1, question=False, whole=True), ...
           "my mom says I need to stop"   -> one clause, owner="my mom"
           "엄마가 술 좀 줄이라고 하셨어요" -> one clause, owner="엄마"
           ``timings`` are the recogniser's (word, start, end): a pause is a boundary.
    second_person(clause, answer)   "I'm not sure I can" -> "you're not sure you can"
    quote_particle(quote, "라고")     "…않아요" -> "라고", "…가족" -> "이라고"

A ``Token`` or ``Clause`` keeps its character span in the original text, so whatever is
quoted back is the person's own words, never a lemma. English is rules over tokens with
lemminflect's lemma tables; Korean is Kiwi (kiwipiepy), loaded once, lazily, on first use —
call ``preload(lang)`` from a worker thread to keep the load (~1 s, ~300 MB) off the UI
thread. All analyzers are pure functions of their text and thread-safe.
"""

from __future__ import annotations

from voicereflect.reflection.language.clause import Clause
from voicereflect.reflection.language.clauses import PAUSE_SECONDS, clauses, pause_cuts
from voicereflect.reflection.language.person import quote_particle, second_person
from voicereflect.reflection.language.tokens import Token, language_key, preload, terms, tokens

__all__ = [
    "PAUSE_SECONDS", "Clause", "Token", "clauses", "language_key", "pause_cuts", "preload",
    "quote_particle", "second_person", "terms", "tokens",
]  # fmt: skip
