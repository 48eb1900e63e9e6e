"""The language layer: what a person said as tokens with lemmas (English) or morphemes (Korean).

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

A ``Token`` keeps its character span in the original text, so whatever is quoted back is the
person's own words, never a lemma. English is rules over tokens with lemminflect's lemma
tables; Korean is Kiwi (kiwipiepy), loaded once, lazily, on first use — call ``preload(lang)``
from a worker thread to keep the load (~1 s, ~300 MB) off the UI thread. Both analyzers are
pure functions of their text and thread-safe.
"""

from __future__ import annotations

from voicereflect.reflection.language.tokens import Token, language_key, preload, terms, tokens

__all__ = ["Token", "language_key", "preload", "terms", "tokens"]
