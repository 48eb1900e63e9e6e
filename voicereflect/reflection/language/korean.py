"""Korean tokens: Kiwi (kiwipiepy) morphemes with Sejong tags, the model loaded once.

Kiwi splits an eojeol into morphemes ("사과하고" → 사과/NNG 하/XSV 고/EC), so a noun is found
under any particle and a verb under any ending. The model (kiwipiepy-model, in its wheel)
takes about a second and ~300 MB to load: ``analyzer()`` loads it on first use behind a
lock, and the app calls it from a worker thread before the first answer.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from voicereflect.reflection.language.token import Token

_lock = threading.Lock()
_kiwi: Any = None

# Morphemes that carry content: nouns, verb and adjective stems, roots, adverbs, foreign
# words and numbers. Particles (J*), endings (E*), derivational suffixes (XS*) and auxiliary
# verbs (VX: 싶, 않, 있 after an ending) do not; they are in ``tokens`` for whoever needs them.
CONTENT_TAGS = frozenset(
    {"NNG", "NNP", "NR", "NP", "VV", "VA", "XR", "MAG", "MM", "SL", "SN", "SH", "IC"}
)


def analyzer() -> Any:
    """The shared Kiwi instance, loaded on first call (thread-safe)."""
    global _kiwi
    with _lock:
        if _kiwi is None:
            from kiwipiepy import Kiwi

            # The typo and multi-word dictionaries add ~200 MB and are not needed for speech
            # that Vosk has already spelled; one worker: the app has its own threads.
            _kiwi = Kiwi(num_workers=-1, load_typo_dict=False, load_multi_dict=False)
        return _kiwi


def _base(tag: str) -> str:
    # Kiwi marks irregular conjugations as VV-I / VA-R …; the tag is the part before.
    return tag.split("-", 1)[0]


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[Token, ...]:
    """The morphemes of ``text`` with their Sejong tags and spans in ``text``."""
    if not text.strip():
        return ()
    out: list[Token] = []
    for t in analyzer().tokenize(text):
        form = str(t.form)
        out.append(Token(form, form.lower(), _base(str(t.tag)), t.start, t.start + t.len))
    return tuple(out)


def terms(text: str) -> tuple[str, ...]:
    """The content morphemes of ``text`` in order: what search indexes and lexicons match."""
    return tuple(t.lemma for t in tokens(text) if t.tag in CONTENT_TAGS)
