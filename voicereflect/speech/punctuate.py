"""Light punctuation for Vosk's lower-case English: sentence capitals, "I", full stops."""

from __future__ import annotations

import re

# "i" and its contractions as whole words; "i.e." and words like "it" are left alone.
_PRONOUN = re.compile(r"(?<![\w'])i(?=(?:'(?:m|ve|d|ll|s))?(?![\w']))")
_SENTENCE = re.compile(r"([.!?]+)\s+")


def _capitalise(sentence: str) -> str:
    for i, char in enumerate(sentence):
        if char.isalpha():
            return sentence[:i] + char.upper() + sentence[i + 1 :]
    return sentence


def punctuate_en(text: str) -> str:
    """Capitalise each sentence and "I" (I'm, I've, I'd, I'll), and end sentences with a stop.

    Vosk gives no punctuation, so an input without any becomes one sentence; existing
    ``.``, ``!`` and ``?`` are kept and start new sentences.
    """
    text = " ".join(text.split())
    if not text:
        return ""
    text = _PRONOUN.sub("I", text)
    parts = _SENTENCE.split(text)
    # split() with a group alternates sentence, punctuation, sentence, ...
    out = []
    for index in range(0, len(parts), 2):
        sentence = _capitalise(parts[index])
        stop = parts[index + 1] if index + 1 < len(parts) else ""
        out.append(sentence + stop)
    result = " ".join(s for s in out if s)
    if result[-1] not in ".!?":
        result += "."
    return result


def punctuate(text: str, language: str) -> str:
    """``punctuate_en`` for English; every other language is returned untouched."""
    if language.lower().split("-")[0] == "en":
        return punctuate_en(text)
    return text
