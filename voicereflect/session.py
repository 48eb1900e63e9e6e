"""The headless session runner: speak a question, listen, take the turn, save, ask the next.

``Session`` owns two long-lived threads, both stopped by one ``threading.Event``:

* the *controller* runs the dialogue, the speaker and the journal, one command at a time
  from its inbox, so every answer is committed before the next question is spoken;
* the *listener* reads the microphone, feeds the recognizer and the turn-taker, and
  detects barge-in. While a question is spoken the microphone is read and thrown away, so
  the assistant never transcribes itself.

A third, short-lived thread loads the speech model, so the first question is spoken while
the model is still loading. Front ends (the TUI, ``--plain``) see the session only through
``on_event`` and the commands below; every command returns at once.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from voicereflect.clock import SystemClock
from voicereflect.config import Config
from voicereflect.protocols import (
    AudioSource,
    Clock,
    RecognitionEvent,
    Recognizer,
    Speaker,
)
from voicereflect.session_dialogue import Dialogue
from voicereflect.session_events import Command, SessionEvent, SessionState

log = logging.getLogger(__name__)

RecognizerFactory = Callable[[int], Recognizer]
"""``(sample_rate) -> recognizer``; called on the listener thread (one recognizer per thread)."""

RecognizerLoader = Callable[[], RecognizerFactory]
"""Loads the speech model (slow, blocking) and returns a factory of recognizers over it.

Raises a ``VoicereflectError`` (e.g. ``ModelNotFound``) when there is no usable model.
"""

AudioFactory = Callable[[], AudioSource]
"""Opens the microphone; raises a ``VoicereflectError`` when there is none."""


class TurnAnswer(Protocol):
    """A finished turn as the turn-taker reports it."""

    @property
    def text(self) -> str: ...

    @property
    def ended_by(self) -> str: ...


class TurnTaking(Protocol):
    """Joins recognizer finals into one answer and decides when the person's turn is over."""

    def feed(self, event: RecognitionEvent, now: float) -> None: ...

    def end_turn(self) -> None: ...

    def poll(self, now: float) -> TurnAnswer | None: ...


TurnTakerFactory = Callable[[Sequence[str]], TurnTaking]
"""``(end_phrases) -> a fresh turn-taker`` for one answer."""


class JournalWriter(Protocol):
    """What the session writes to the journal (``voicereflect.journal.store.Journal``)."""

    def start_session(self, flow: str, language: str, started_at: float) -> int: ...

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
    ) -> int: ...

    def end_session(
        self, session_id: int, ended_at: float | None = None, next_step: str | None = None
    ) -> None: ...

    def last_next_step(self) -> str | None: ...


@dataclass
class SessionParts:
    """Everything a session is driven by; the real ones come from ``real_parts(config)``.

    Attributes:
        dialogue: The conversation (engine + prompt pack) for this session.
        open_journal: Opens the journal; called on the controller thread (SQLite
            connections belong to the thread that made them).
        speaker: Speech output, or ``None`` when there is no voice (questions only shown).
        open_audio: Opens the microphone, or ``None`` for no microphone (typing).
        load_recognizer: Loads the model in the background, or ``None`` for no model.
        turn_taker: Makes a turn-taker per answer.
        clock: Time for durations and journal timestamps.
    """

    dialogue: Dialogue
    open_journal: Callable[[], JournalWriter]
    turn_taker: TurnTakerFactory
    speaker: Speaker | None = None
    open_audio: AudioFactory | None = None
    load_recognizer: RecognizerLoader | None = None
    clock: Clock = field(default_factory=SystemClock)


@dataclass(frozen=True)
class _Inbox:
    """A message to the controller thread."""

    kind: str
    command: Command | None = None
    text: str = field(default="", repr=False)
    ended_by: str = ""
    audio: bytes | None = field(default=None, repr=False)
    token: int = 0


class Session:
    """One reflection session, headless; see the module docstring for the threads.

    Args:
        config: Settings (pause length, muted, keep_audio, language).
        parts: The injected parts (real or test doubles).
        on_event: Called with each ``SessionEvent`` from the session's threads; it must
            return quickly and must not call back into the session synchronously in a way
            that blocks (posting a message is ideal).
        barge_in: Whether the person speaking during a question cancels it.
        barge_in_level: Microphone RMS (0..1) that counts as the person speaking.
        barge_in_seconds: How long the level must stay above it (audio time, not wall time).
    """

    def __init__(
        self,
        config: Config,
        parts: SessionParts,
        on_event: Callable[[SessionEvent], None],
        *,
        barge_in: bool = True,
        barge_in_level: float = 0.08,
        barge_in_seconds: float = 0.3,
    ) -> None:
        self._config = config
        self._parts = parts
        self._emit_cb = on_event
        self._barge_in = barge_in
        self._barge_in_level = barge_in_level
        self._barge_in_seconds = barge_in_seconds
        self._stop = threading.Event()
        self._inbox: queue.Queue[_Inbox] = queue.Queue()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._state = SessionState.STARTING
        self._muted = config.voice.muted or parts.speaker is None
        self._level = 0.0
        self._dropped = 0
        self._ended = threading.Event()
        self._started = False
        # Shared between the controller (writer) and listener (reader), under _lock.
        self._gate = "closed"  # "closed" | "speaking" | "listening"
        self._listen_token = 0
        self._end_turn_token = -1
        self._phrases: tuple[str, ...] = ()
        self._mic_ok = parts.open_audio is not None
        self._model_ok = parts.load_recognizer is not None
        self._recognizer_factory: RecognizerFactory | None = None
        self._model_ready = threading.Event()

    # ---- what the UI polls -------------------------------------------------------------

    @property
    def level(self) -> float:
        """Microphone RMS of the latest block, 0..1 (0 when there is no microphone)."""
        return self._level

    @property
    def dropped_blocks(self) -> int:
        """Audio blocks the microphone dropped because the session fell behind."""
        return self._dropped

    @property
    def state(self) -> SessionState:
        """The current state (the same as the last ``StateChanged``)."""
        return self._state

    @property
    def muted(self) -> bool:
        """Whether questions are shown without being spoken."""
        return self._muted

    @property
    def ended(self) -> bool:
        """True once ``SessionEnded`` has been emitted."""
        return self._ended.is_set()

    def wait_ended(self, timeout: float) -> bool:
        """Block until the session has ended (everything saved); False on timeout."""
        return self._ended.wait(timeout)

    # ---- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        """Start the threads: model loading, the microphone, and the first question."""
        raise NotImplementedError

    def stop(self, timeout: float = 3.0) -> bool:
        """Stop every thread (saving what is finished); never hangs.

        Args:
            timeout: Total seconds to wait for the threads.

        Returns:
            True if every thread finished within ``timeout``.
        """
        raise NotImplementedError

    # ---- commands (all return at once; the controller thread does the work) -------------

    def end_turn(self) -> None:
        """The person is done with this answer (a key, or an empty line in plain mode)."""
        self._post(_Inbox("command", Command.END_TURN))

    def repeat(self) -> None:
        """Say the current question again; what was said of the answer so far is dropped."""
        self._post(_Inbox("command", Command.REPEAT))

    def skip(self) -> None:
        """Skip the current question."""
        self._post(_Inbox("command", Command.SKIP))

    def pause(self) -> None:
        """Stop speaking and listening until ``resume()``."""
        self._post(_Inbox("command", Command.PAUSE))

    def resume(self) -> None:
        """Carry on after ``pause()``."""
        self._post(_Inbox("command", Command.RESUME))

    def end(self) -> None:
        """End the session: finish the current answer, save it, close (the UI confirms)."""
        self._post(_Inbox("command", Command.END))

    def type_answer(self, text: str) -> None:
        """Answer the current question with typed text (works with no mic and no model)."""
        self._post(_Inbox("typed", text=text))

    def rate(self, value: int) -> None:
        """Answer a rating question with a number (a digit key)."""
        self.type_answer(str(value))

    def interrupt(self) -> None:
        """A key was pressed: stop speaking now and listen."""
        self._post(_Inbox("interrupt"))

    def set_muted(self, muted: bool) -> None:
        """Show questions without speaking them (``True``), or speak them again."""
        self._post(_Inbox("mute" if muted else "unmute"))

    def _post(self, message: _Inbox) -> None:
        self._inbox.put(message)
