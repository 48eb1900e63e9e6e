"""One entry point over the per-language analyzers: ``tokens``, ``terms`` and ``preload``."""

from __future__ import annotations

from voicereflect.reflection.language import english, korean
from voicereflect.reflection.language.token import Token

__all__ = ["Token", "language_key", "preload", "terms", "tokens"]


def language_key(lang: str) -> str:
    """``"ko"`` for any Korean tag (``ko``, ``ko-KR``), otherwise ``"en"``."""
    return "ko" if lang.lower().startswith("ko") else "en"


def tokens(text: str, lang: str) -> tuple[Token, ...]:
    """The tokens of ``text`` (English words or Korean morphemes) with lemmas and spans."""
    if language_key(lang) == "ko":
        return korean.tokens(text)
    return english.tokens(text)


def terms(text: str, lang: str) -> tuple[str, ...]:
    """The content lemmas of ``text``, lower-cased, in order: what search and lexicons match."""
    if language_key(lang) == "ko":
        return korean.terms(text)
    return english.terms(text)


# Analysed once by ``preload``: Kiwi's first analysis builds its tables (~0.6 s after the
# ~1 s load), and lemminflect reads its tables (~0.3 s, 50 MiB) on the first lemma.
_WARM_UP = {"ko": "오늘은 산책을 하고 나니 기분이 나아졌어요", "en": "walked"}


def preload(lang: str) -> None:
    """Load the analyzers answers in ``lang`` need and run them once now (~1.5 s for Korean).

    Afterwards the first answer is analysed (for the journal's index, the reflections and
    risk reading) as fast as any other, instead of waiting for the load. Korean loads the
    English lemmatizer too: the journal's index lemmatizes Latin words inside Korean text,
    and Vosk's Korean model writes some (a save waited 0.57 s for it in scripts/bench_vad.py).
    """
    if language_key(lang) == "ko":
        # Straight to Kiwi, so the warm-up sentence does not sit in ``tokens``' cache.
        korean.analyzer().tokenize(_WARM_UP["ko"])
    english.lemma(_WARM_UP["en"])
