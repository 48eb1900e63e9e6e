"""Test doubles that implement the real Protocols (AudioSource, Recognizer, Speaker, Clock).

They are real, small implementations rather than mocks: a test pushes audio blocks into a
``FakeAudioSource`` and the session reads them on its own thread, exactly as it would read
a microphone. Every wait has a timeout; nothing sleeps.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from voicereflect.protocols import Final, Partial, RecognitionEvent, Word
from voicereflect.session.dialogue import Ask, DialogueAction, Finish, Save, Say
from voicereflect.session.events import Command, SessionEvent

RATE = 16000


def speech(text: str, *, final: bool = True, seconds: float = 0.1, rate: int = RATE) -> bytes:
    """A block of "audio" that ``ScriptedRecognizer`` hears as ``text``.

    The block has the byte length of ``seconds`` of 16-bit mono audio, so duration-based
    logic (barge-in) sees real durations.
    """
    marker = ("F:" if final else "P:").encode() + text.encode("utf-8") + b"\0"
    size = max(len(marker), int(seconds * rate) * 2)
    return marker + b"\0" * (size - len(marker))


def silence(seconds: float = 0.1, rate: int = RATE) -> bytes:
    """A silent block of ``seconds``."""
    return b"\0" * (int(seconds * rate) * 2)


class FakeAudioSource:
    """An AudioSource fed by the test: ``push(block, level)``, then ``end()``."""

    def __init__(self, sample_rate: int = RATE) -> None:
        self._rate = sample_rate
        self._blocks: queue.Queue[tuple[bytes, float] | BaseException | None] = queue.Queue()
        self._cond = threading.Condition()
        self._taken = 0
        self._reads_since_take = 0
        self._level = 0.0
        self.dropped = 0
        self.started = False
        self.stopped = False

    @property
    def sample_rate(self) -> int:
        return self._rate

    @property
    def level(self) -> float:
        return self._level

    @property
    def dropped_blocks(self) -> int:
        return self.dropped

    def start(self) -> None:
        self.started = True

    def stop(self) -> None:
        self.stopped = True

    def push(self, block: bytes, level: float = 0.0) -> None:
        """Queue one block; ``level`` is what ``level`` reports while it is current."""
        self._blocks.put((block, level))

    def end(self) -> None:
        """The stream ends (``read`` returns ``None``)."""
        self._blocks.put(None)

    def lose(self, error: BaseException) -> None:
        """The device goes away: ``read`` raises ``error`` (e.g. ``DeviceLost``) once reached."""
        self._blocks.put(error)

    def read(self, timeout: float) -> bytes | None:
        with self._cond:
            self._reads_since_take += 1
            self._cond.notify_all()
        try:
            item = self._blocks.get(timeout=timeout)
        except queue.Empty:
            return b""
        with self._cond:
            self._taken += 1
            self._reads_since_take = 0
        if item is None:
            self._blocks.put(None)  # stay ended
            return None
        if isinstance(item, BaseException):
            raise item
        block, self._level = item
        return block

    def wait_consumed(self, timeout: float = 5.0) -> bool:
        """Wait until every pushed block was read *and handled* (the reader came back)."""
        with self._cond:
            return self._cond.wait_for(
                lambda: self._blocks.empty() and self._reads_since_take > 0, timeout
            )


class ScriptedRecognizer:
    """A Recognizer that hears the text written into blocks by ``speech()``.

    Each word of a final comes with times (0.5 s apart) and a confidence: 1.0, or the one
    given for it in ``confidences``.

    Attributes:
        fed: Every block accepted, in order (to prove what reached the recognizer).
        grammars: Every ``set_grammar`` call.
        confidences: Word -> the confidence to report for it.
    """

    def __init__(self) -> None:
        self.fed: list[bytes] = []
        self.grammars: list[tuple[str, ...] | None] = []
        self.confidences: dict[str, float] = {}
        self.finishes = 0
        self._pending = ""
        self._clock = 0.0

    def _final(self, text: str) -> Final:
        words = []
        for word in text.split():
            words.append(
                Word(word, self._clock, self._clock + 0.4, self.confidences.get(word, 1.0))
            )
            self._clock += 0.5
        return Final(text, tuple(words))

    def accept(self, pcm: bytes) -> RecognitionEvent | None:
        self.fed.append(pcm)
        if pcm[:2] not in (b"F:", b"P:"):
            return None
        text = pcm[2:].split(b"\0", 1)[0].decode("utf-8")
        if pcm.startswith(b"P:"):
            self._pending = text
            return Partial(text)
        self._pending = ""
        return self._final(text)

    def finish(self) -> Final | None:
        self.finishes += 1
        text, self._pending = self._pending, ""
        return self._final(text) if text else None

    def set_grammar(self, phrases: Sequence[str] | None) -> None:
        self.grammars.append(tuple(phrases) if phrases is not None else None)
        self._pending = ""

    @property
    def heard_text(self) -> list[str]:
        """The scripted texts among the blocks fed."""
        return [b[2:].split(b"\0", 1)[0].decode() for b in self.fed if b[:2] in (b"F:", b"P:")]


class ScriptedVad:
    """A VoiceDetector that hears speech in the blocks ``speech()`` makes, nothing elsewhere.

    Frames of ``frame_seconds`` are cut across blocks as Silero's are; each frame's
    probability is 1.0 if it began in a ``speech()`` block, else 0.0.

    Attributes:
        blocks: How many blocks it was given (to prove every block reached it).
    """

    frame_seconds = 0.032

    def __init__(self, rate: int = RATE) -> None:
        self._frame_bytes = int(self.frame_seconds * rate) * 2
        self._carry = 0  # bytes of the next frame already given
        self.blocks = 0

    def probabilities(self, pcm: bytes) -> list[float]:
        self.blocks += 1
        p = 1.0 if pcm[:2] in (b"F:", b"P:") else 0.0
        total = self._carry + len(pcm)
        self._carry = total % self._frame_bytes
        return [p] * (total // self._frame_bytes)


class RecordingSpeaker:
    """A Speaker that records what it was asked to say.

    With ``auto_finish`` speech ends at once; otherwise it lasts until ``finish()`` or
    ``cancel()``, so a test can act "while a question is spoken". With ``seconds`` each
    utterance ends by itself that long after it starts, as a real voice does.
    """

    def __init__(self, auto_finish: bool = True, seconds: float = 0.0) -> None:
        self.auto_finish = auto_finish and not seconds
        self.seconds = seconds
        self.spoken: list[str] = []
        self.cancels = 0
        self._cond = threading.Condition()
        self._speaking = False

    def speak(self, text: str) -> None:
        with self._cond:
            self.spoken.append(text)
            self._speaking = not self.auto_finish
            self._cond.notify_all()
            if self.seconds:
                utterance = len(self.spoken)
                timer = threading.Timer(self.seconds, self._played, (utterance,))
                timer.daemon = True
                timer.start()

    def _played(self, utterance: int) -> None:
        with self._cond:
            if len(self.spoken) == utterance:  # not replaced by a later one meanwhile
                self._speaking = False
                self._cond.notify_all()

    def cancel(self) -> None:
        with self._cond:
            if self._speaking:
                self.cancels += 1
            self._speaking = False
            self._cond.notify_all()

    def finish(self) -> None:
        """The current utterance has played to the end."""
        with self._cond:
            self._speaking = False
            self._cond.notify_all()

    @property
    def is_speaking(self) -> bool:
        return self._speaking

    def wait(self, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: not self._speaking, timeout)

    def wait_spoken(self, count: int, timeout: float = 5.0) -> bool:
        """Wait until ``count`` utterances have been started."""
        with self._cond:
            return self._cond.wait_for(lambda: len(self.spoken) >= count, timeout)


class FakeClock:
    """A Clock that moves only when the test says so."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._lock = threading.Lock()
        self._t = start

    def monotonic(self) -> float:
        with self._lock:
            return self._t

    def now(self) -> float:
        with self._lock:
            return self._t

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._t += seconds


class EventLog:
    """Collects session events from any thread; tests wait on it instead of sleeping."""

    def __init__(self) -> None:
        self.events: list[SessionEvent] = []
        self._cond = threading.Condition()

    def __call__(self, event: SessionEvent) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def of(self, kind: type[SessionEvent]) -> list[SessionEvent]:
        with self._cond:
            return [e for e in self.events if isinstance(e, kind)]

    def wait_for(
        self, kind: type[SessionEvent], count: int = 1, timeout: float = 5.0
    ) -> list[SessionEvent]:
        """Wait until ``count`` events of ``kind`` arrived; fails the test on timeout."""
        with self._cond:
            ok = self._cond.wait_for(
                lambda: sum(isinstance(e, kind) for e in self.events) >= count, timeout
            )
            seen = [type(e).__name__ for e in self.events]
        assert ok, f"no {count}x {kind.__name__} within {timeout}s; saw {seen}"
        return self.of(kind)

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        with self._cond:
            return self._cond.wait_for(predicate, timeout)


@dataclass
class ScriptedDialogue:
    """A Dialogue that asks fixed questions in order (``"rating"`` ones parse digits)."""

    questions: list[Ask]
    flow_id: str = "scripted"
    language: str = "en"
    commands: Mapping[str, Command] = field(
        default_factory=lambda: {
            "repeat": Command.REPEAT,
            "skip": Command.SKIP,
            "pause": Command.PAUSE,
        }
    )
    closing: str = "Thank you."
    answers: list[tuple[str, str]] = field(default_factory=list)
    words: list[tuple[Word, ...]] = field(default_factory=list)
    previous: str | None = None
    _index: int = 0

    def begin(self, previous_next_step: str | None) -> list[DialogueAction]:
        self.previous = previous_next_step
        return self._next()

    def _next(self) -> list[DialogueAction]:
        if self._index >= len(self.questions):
            return [Say(self.closing), Finish(None)]
        self._index += 1
        return [self.questions[self._index - 1]]

    def answer(self, step: str, text: str, words: tuple[Word, ...] = ()) -> list[DialogueAction]:
        self.answers.append((step, text))
        self.words.append(words)
        ask = next(q for q in self.questions if q.step == step)
        rating = None
        if ask.expects == "rating":
            digits = re.findall(r"\d+", text)
            rating = int(digits[0]) if digits else None
        save: DialogueAction = Save(step, ask.text, text, rating, words=words)
        return [save, *self._next()]

    def skip(self, step: str) -> list[DialogueAction]:
        self.answers.append((step, ""))
        return self._next()

    def tick(self, elapsed_seconds: float) -> list[DialogueAction]:
        return []

    def end(self) -> list[DialogueAction]:
        return [Say(self.closing), Finish(None)]

    def voice_commands(self) -> Mapping[str, Command]:
        return self.commands

    def end_phrases(self) -> Sequence[str]:
        return ["i'm done"]


@dataclass(frozen=True)
class _Entry:
    id: int
    session_id: int
    step_id: str
    prompt: str
    answer: str
    rating: float | None
    audio: bytes | None = field(default=None, repr=False)
    audio_rate: int | None = None
    words: tuple[Word, ...] = field(default=(), repr=False)
    rates: str | None = None


class MemoryJournal:
    """A JournalWriter in memory, for logic tests (the real Journal is used elsewhere)."""

    def __init__(self, next_step: str | None = None) -> None:
        self.entries: list[_Entry] = []
        self.sessions: dict[int, dict[str, object]] = {}
        self._next_step = next_step
        self.closed = False

    def start_session(self, flow: str, language: str, started_at: float) -> int:
        sid = len(self.sessions) + 1
        self.sessions[sid] = {"flow": flow, "language": language, "ended_at": None}
        return sid

    def add_entry(
        self,
        session_id: int,
        step_id: str,
        prompt: str,
        answer: str,
        rating: float | None = None,
        audio: bytes | None = None,
        audio_rate: int | None = None,
        at: float | None = None,
        words: tuple[Word, ...] = (),
        rates: str | None = None,
    ) -> int:
        entry = _Entry(
            len(self.entries) + 1,
            session_id,
            step_id,
            prompt,
            answer,
            rating,
            audio,
            audio_rate,
            words,
            rates,
        )
        self.entries.append(entry)
        return entry.id

    def end_session(self, session_id: int, ended_at: float, next_step: str | None = None) -> None:
        self.sessions[session_id]["ended_at"] = ended_at
        self.sessions[session_id]["next_step"] = next_step

    def last_next_step(self) -> str | None:
        return self._next_step

    def delete_sessions(self, ids: Iterable[int]) -> int:
        gone = [i for i in ids if self.sessions.pop(i, None) is not None]
        self.entries = [e for e in self.entries if e.session_id not in gone]
        return len(gone)

    def close(self) -> None:
        self.closed = True


class FullDiskJournal(MemoryJournal):
    """A MemoryJournal whose disk is full, as the real Journal handles it.

    The next ``full_writes`` write attempts raise ``DiskFull`` and keep the answer in
    memory (``pending_count``); after that space is back, and the next write,
    ``flush_pending()`` or ``end_session`` writes the held answers first, in order.
    """

    def __init__(self, full_writes: int) -> None:
        super().__init__()
        self.full_writes = full_writes
        self._held: list[tuple[int, str, str, str, float | None]] = []

    @property
    def pending_count(self) -> int:
        return len(self._held)

    def flush_pending(self) -> list[int]:
        from voicereflect.journal.errors import DiskFull

        if self._held and self.full_writes > 0:
            self.full_writes -= 1
            raise DiskFull()
        ids = [MemoryJournal.add_entry(self, *held) for held in self._held]
        self._held.clear()
        return ids

    def add_entry(
        self,
        session_id: int,
        step_id: str,
        prompt: str,
        answer: str,
        rating: float | None = None,
        audio: bytes | None = None,
        audio_rate: int | None = None,
        at: float | None = None,
        words: tuple[Word, ...] = (),
        rates: str | None = None,
    ) -> int:
        self._held.append((session_id, step_id, prompt, answer, rating))
        return self.flush_pending()[-1]

    def end_session(self, session_id: int, ended_at: float, next_step: str | None = None) -> None:
        self.flush_pending()
        super().end_session(session_id, ended_at, next_step)
