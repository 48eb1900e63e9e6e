"""The Vosk recognizer behind the ``Recognizer`` protocol, optionally limited to a grammar.

The phrases of a grammar come from the caller (the engine's ``Ask.grammar_hint``, built by
``reflection.answers.rating_words``/``yes_no_words``), and answers are read back by
``reflection.answers``; here they are only checked against the model's vocabulary.

Vosk 0.3.45 traps handled here (pitfalls V7–V10): every endpoint's ``Result()`` is read
exactly once, ``FinalResult()`` flushes the last words on finish, grammars are JSON arrays
(``ensure_ascii=False``) of in-vocabulary words, and a grammar is never set on a running
recognizer: each change of grammar starts a fresh recognizer, which cannot abort the process.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from voicereflect.protocols import Final, Partial, RecognitionEvent, Word
from voicereflect.speech.models import LoadedModel

UNKNOWN = "[unk]"  # Kaldi's out-of-grammar token; closes every grammar


def _loads(raw: str) -> dict[str, Any]:
    """Vosk's JSON, or an empty dict when it is not what we expect (never a KeyError)."""
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _clean(text: str) -> str:
    # Kaldi markers such as "[unk]" (and stray "[5]") are not words anyone said.
    return " ".join(t for t in text.split() if not (t.startswith("[") and t.endswith("]")))


def _text_of(data: dict[str, Any], key: str = "text") -> str:
    text = data.get(key)
    if isinstance(text, str):
        return _clean(text)
    # With SetMaxAlternatives(n > 0) there is no top-level text, only ranked alternatives.
    alternatives = data.get("alternatives")
    if isinstance(alternatives, list) and alternatives and isinstance(alternatives[0], dict):
        first = alternatives[0].get("text")
        return _clean(first) if isinstance(first, str) else ""
    return ""


def _words_of(data: dict[str, Any], offset: float) -> tuple[Word, ...]:
    items = data.get("result")
    if not isinstance(items, list):
        return ()
    words = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("word"), str):
            continue
        try:
            start = float(item.get("start", 0.0)) + offset
            end = float(item.get("end", 0.0)) + offset
            conf = float(item.get("conf", 1.0))
        except (TypeError, ValueError):
            continue
        words.append(Word(item["word"], round(start, 3), round(end, 3), conf))
    return tuple(words)


class VoskRecognizer:
    """Streaming recognition over one audio stream; use it from one thread only (V11).

    Args:
        model: a loaded model, shared with other recognizers.
        sample_rate: the real rate of the audio fed in (Kaldi downsamples itself, V5).
        words: report per-word times and confidences in each ``Final``.
        grammar: restrict recognition to these phrases (``None``: free speech).
    """

    def __init__(
        self,
        model: LoadedModel,
        sample_rate: int,
        words: bool = True,
        grammar: Sequence[str] | None = None,
    ) -> None:
        self.model = model
        self.sample_rate = sample_rate
        self.words = words
        self._bytes_fed = 0
        # Word times from a fresh recognizer start at 0; this keeps them on the stream's clock.
        self._offset = 0.0
        self._partial = ""
        self.grammar: list[str] | None = None
        self._rec: Any = None
        self._new_recognizer(grammar)

    def usable_phrases(self, phrases: Sequence[str]) -> list[str]:
        """The phrases whose every word is in the model's vocabulary (others are dropped)."""
        return [p for p in phrases if p.split() and all(self.model.has_word(w) for w in p.split())]

    def _new_recognizer(self, grammar: Sequence[str] | None) -> None:
        import vosk

        vosk.SetLogLevel(-2)
        self._offset = self._bytes_fed / (2 * self.sample_rate)
        self._partial = ""
        if grammar is None:
            self.grammar = None
            rec = vosk.KaldiRecognizer(self.model.vosk_model, float(self.sample_rate))
        else:
            self.grammar = self.usable_phrases(grammar)
            # A JSON array, never a bare string (SIGSEGV, V9); ensure_ascii=False or Korean
            # turns into \uXXXX escapes that no vocabulary contains; [unk] absorbs the rest.
            spec = json.dumps([*self.grammar, UNKNOWN], ensure_ascii=False)
            rec = vosk.KaldiRecognizer(self.model.vosk_model, float(self.sample_rate), spec)
        rec.SetWords(self.words)
        self._rec = rec

    def accept(self, pcm: bytes) -> RecognitionEvent | None:
        """Feed mono int16 PCM; a ``Final`` at an endpoint, a ``Partial`` when the text changed."""
        if not pcm:
            return None
        self._bytes_fed += len(pcm)
        if self._rec.AcceptWaveform(pcm):
            # Result() exactly once per endpoint: a second call would return nothing (V7).
            return self._final(self._rec.Result())
        text = _text_of(_loads(self._rec.PartialResult()), "partial")
        if text != self._partial:
            self._partial = text
            return Partial(text)
        return None

    def _final(self, raw: str) -> Final | None:
        self._partial = ""
        data = _loads(raw)
        text = _text_of(data)
        words = _words_of(data, self._offset)
        words = tuple(w for w in words if w.word != UNKNOWN)
        if not text and not words:
            return None
        return Final(text, words)

    def finish(self) -> Final | None:
        """Decode whatever audio is still buffered, so the last words are not lost (V7)."""
        return self._final(self._rec.FinalResult())

    def set_grammar(self, phrases: Sequence[str] | None) -> None:
        """Switch grammar (``None`` for free speech), discarding the utterance in progress.

        Call ``finish()`` first to keep words already spoken. A new Kaldi recognizer is made
        instead of calling ``SetGrammar`` on a running one, which aborts the process (V10).
        """
        self._new_recognizer(None if phrases is None else list(phrases))
