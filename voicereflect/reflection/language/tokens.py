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


def preload(lang: str) -> None:
    """Load the analyzer for ``lang`` now (slow for Korean); later calls are instant."""
    if language_key(lang) == "ko":
        korean.analyzer()
