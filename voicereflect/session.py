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

import collections
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from voicereflect.clock import SystemClock
from voicereflect.config import Config
from voicereflect.errors import VoicereflectError
from voicereflect.protocols import AudioSource, Clock, Speaker
from voicereflect.session_dialogue import (
    Ask,
    Dialogue,
    DialogueAction,
    Finish,
    NudgeNote,
    OfferSupport,
    Save,
    Say,
)
from voicereflect.session_events import (
    AnswerFinished,
    Command,
    ModelFailed,
    ModelReady,
    Notice,
    Nudge,
    PartialText,
    QuestionAsked,
    RatingHeard,
    Reflection,
    Saved,
    SessionEnded,
    SessionError,
    SessionEvent,
    SessionState,
    SessionSummary,
    StateChanged,
    SupportOffered,
)
from voicereflect.session_listener import (
    Gate,
    Listener,
    RecognizerFactory,
    TurnTakerFactory,
)

log = logging.getLogger(__name__)

RecognizerLoader = Callable[[], RecognizerFactory]
"""Loads the speech model (slow, blocking) and returns a factory of recognizers over it.

Raises a ``VoicereflectError`` (e.g. ``ModelNotFound``) when there is no usable model.
"""

AudioFactory = Callable[[], AudioSource]
"""Opens the microphone; raises a ``VoicereflectError`` when there is none."""


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
        self, session_id: int, ended_at: float, next_step: str | None = None
    ) -> None: ...

    def last_next_step(self) -> str | None: ...


@dataclass
class SessionParts:
    """Everything a session is driven by; the real ones come from ``real_parts(config)``.

    Attributes:
        dialogue: The conversation (engine + prompt pack) for this session.
        open_journal: Returns the journal to write to; called on the controller thread.
            The session never closes it: the opener owns it (and may share it).
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


def real_parts(config: Config, flow: str | None, *, passphrase: str | None = None) -> SessionParts:
    """The real parts for ``config`` (see ``voicereflect.session_setup.real_parts``)."""
    from voicereflect.session_setup import real_parts as build

    return build(config, flow, passphrase=passphrase)


@dataclass(frozen=True)
class _Inbox:
    """A message to the controller thread."""

    kind: str
    command: Command | None = None
    text: str = field(default="", repr=False)
    ended_by: str = ""
    audio: bytes | None = field(default=None, repr=False)
    token: int = 0


_POLL = 0.05  # the controller's inbox wait: how quickly it notices speech has finished
_TICK_SECONDS = 1.0


class Session:
    """One reflection session, headless; see the module docstring for the threads.

    Args:
        config: Settings (pause length, muted, keep_audio).
        parts: The injected parts (real or test doubles).
        on_event: Called with each ``SessionEvent`` from the session's threads; it must
            return quickly (posting a message is ideal). It may call the session's commands.
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
        self._on_event = on_event
        self._stop = threading.Event()
        self._ended = threading.Event()
        self._inbox: queue.Queue[_Inbox] = queue.Queue()
        self._state_lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._state = SessionState.STARTING
        self._muted = config.voice.muted or parts.speaker is None
        self._gate = Gate()
        self._mic_ok = parts.open_audio is not None
        self._model_ok = parts.load_recognizer is not None
        self._recognizer_factory: RecognizerFactory | None = None
        self._listener: Listener | None = None
        if parts.open_audio is not None:
            self._listener = Listener(
                open_audio=parts.open_audio,
                recognizer_factory=lambda: self._recognizer_factory,
                turn_taker=parts.turn_taker,
                end_phrases=list(parts.dialogue.end_phrases()),
                commands=dict(parts.dialogue.voice_commands()),
                gate=self._gate,
                reports=_Reports(self),
                clock=parts.clock,
                stop=self._stop,
                keep_audio=config.audio.keep_audio,
                barge_in=barge_in,
                barge_in_level=barge_in_level,
                barge_in_seconds=barge_in_seconds,
            )
        # Controller-thread state (touched by no other thread).
        self._journal: JournalWriter | None = None
        self._session_id: int | None = None
        self._pending: collections.deque[DialogueAction] = collections.deque()
        self._ask: Ask | None = None
        self._ask_spoken = False
        self._speaking: str | None = None  # None | "ask" | "say"
        self._paused = False
        self._end_after_turn = False
        self._end_deadline = 0.0
        self._answers = 0
        self._skipped = 0
        self._next_step: str | None = None
        self._started_at = 0.0
        self._last_tick = 0.0

    # ---- what the UI polls -------------------------------------------------------------

    @property
    def level(self) -> float:
        """Microphone RMS of the latest block, 0..1 (0 when there is no microphone)."""
        return self._listener.level if self._listener is not None else 0.0

    @property
    def dropped_blocks(self) -> int:
        """Audio blocks the microphone dropped because the session fell behind."""
        return self._listener.dropped_blocks if self._listener is not None else 0

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
        if self._threads:
            raise RuntimeError("a session can be started only once")
        targets: list[tuple[str, Callable[[], None]]] = []
        if self._parts.load_recognizer is not None:
            targets.append(("model", self._load_model))
        if self._listener is not None:
            targets.append(("listener", self._listener.run))
        targets.append(("controller", self._run_controller))
        for name, target in targets:
            # Daemon threads: a stuck driver call must never keep the process alive.
            thread = threading.Thread(target=target, name=f"session-{name}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def stop(self, timeout: float = 3.0) -> bool:
        """Stop every thread (finished answers are already saved); never hangs.

        A session not yet ended is closed in the journal on the way out.

        Args:
            timeout: Total seconds to wait for the threads.

        Returns:
            True if every thread finished within ``timeout``.
        """
        self._stop.set()
        if self._parts.speaker is not None:
            self._cancel_speech_quietly()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            if thread.name == "session-model":
                continue  # loading a model cannot be interrupted; it is a daemon thread
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self._threads if t.name != "session-model")

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

    # ---- events ------------------------------------------------------------------------

    def _emit(self, event: SessionEvent) -> None:
        try:
            self._on_event(event)
        except Exception as exc:  # a broken view must not stop the saving
            log.error("on_event failed: %s", type(exc).__name__)

    def _set_state(self, state: SessionState) -> None:
        with self._state_lock:
            if state is self._state or self._state is SessionState.ENDED:
                return
            self._state = state
            self._emit(StateChanged(state))

    def _set_state_if_listening(self, token: int, state: SessionState) -> None:
        # The listener's view of the state may be stale: only the open turn may change it.
        with self._state_lock:
            if not self._gate.is_current(token) or state is self._state:
                return
            if self._state not in (SessionState.LISTENING, SessionState.THINKING):
                return
            self._state = state
            self._emit(StateChanged(state))

    # ---- model loading thread ----------------------------------------------------------

    def _load_model(self) -> None:
        loader = self._parts.load_recognizer
        assert loader is not None
        began = self._parts.clock.monotonic()
        try:
            factory = loader()
        except VoicereflectError as exc:
            self._model_failed(exc.message)
            return
        except Exception as exc:
            log.error("model load failed: %s", type(exc).__name__)
            self._model_failed(f"the speech model could not be loaded ({type(exc).__name__})")
            return
        self._recognizer_factory = factory
        self._emit(ModelReady(self._parts.clock.monotonic() - began))

    def _model_failed(self, message: str) -> None:
        self._emit(ModelFailed(message))
        fix = message.split(" — ", 1)[1] if " — " in message else message
        self._emit(Notice(f"no speech model: type your answers — {fix}"))
        self._post(_Inbox("no-model"))

    # ---- controller thread -------------------------------------------------------------

    def _run_controller(self) -> None:
        clock = self._parts.clock
        try:
            self._journal = self._parts.open_journal()
            previous = self._journal.last_next_step()
            self._started_at = clock.monotonic()
            self._last_tick = self._started_at
            self._session_id = self._journal.start_session(
                self._parts.dialogue.flow_id, self._parts.dialogue.language, clock.now()
            )
            if self._parts.speaker is None:
                self._emit(Notice("no voice: questions are shown, not spoken"))
            self._pending.extend(self._parts.dialogue.begin(previous))
            self._advance()
            while not self._stop.is_set() and not self._ended.is_set():
                try:
                    message: _Inbox | None = self._inbox.get(timeout=_POLL)
                except queue.Empty:
                    message = None
                if message is not None:
                    self._handle(message)
                self._check_speech()
                self._check_end_deadline()
                self._tick()
        except VoicereflectError as exc:
            self._emit(SessionError(exc.message))
        except Exception as exc:
            # Never the exception text: it could quote an answer.
            log.error("session failed: %s", type(exc).__name__)
            self._emit(SessionError(f"the session stopped unexpectedly ({type(exc).__name__})"))
        finally:
            self._close()

    def _close(self) -> None:
        self._gate.close()
        self._cancel_speech_quietly()
        try:
            if not self._ended.is_set():
                self._finish()
        except Exception as exc:
            log.error("session end not recorded: %s", type(exc).__name__)
            self._ended.set()
        # The journal is not closed here: whoever opened it may share it (the TUI does).
        self._stop.set()

    def _handle(self, message: _Inbox) -> None:
        kind = message.kind
        if kind == "turn":
            if self._ask is not None and self._gate.is_current(message.token):
                self._take_answer(message.text, message.ended_by, message.audio)
        elif kind == "typed":
            self._typed(message.text)
        elif kind == "command" and message.command is not None:
            self._command(message.command, message.token)
        elif kind == "voice":
            # A voice command counts only for the turn it was heard in.
            if message.command is not None and self._gate.is_current(message.token):
                self._command(message.command, message.token)
        elif kind in ("interrupt", "barge-in"):
            if self._speaking is not None:
                self._cut_speech()
        elif kind in ("mute", "unmute"):
            self._muted = kind == "mute" or self._parts.speaker is None
            if self._muted and self._speaking is not None:
                self._cancel_speech_quietly()
        elif kind == "no-model":
            self._model_ok = False
            self._input_unavailable()
        elif kind == "no-mic":
            self._mic_ok = False
            self._input_unavailable()

    def _input_unavailable(self) -> None:
        if self._gate.view().mode == "listening":
            self._gate.close()
            self._set_state(SessionState.TYPING)

    def _command(self, command: Command, token: int) -> None:
        if command is Command.END_TURN:
            if self._speaking is not None:
                self._handle(_Inbox("interrupt"))
            else:
                self._gate.request_end()
        elif command is Command.REPEAT and self._ask is not None:
            self._cancel_speech_quietly()
            self._speaking = None
            self._gate.close()
            self._paused = False
            self._pending.appendleft(self._ask)
            self._ask = None
            self._advance()
        elif command is Command.SKIP and self._ask is not None:
            self._cancel_speech_quietly()
            self._speaking = None
            self._gate.close()
            step, self._ask = self._ask.step, None
            self._skipped += 1
            self._paused = False
            self._pending.extend(self._parts.dialogue.skip(step))
            self._advance()
        elif command is Command.PAUSE and not self._paused:
            self._paused = True
            if self._speaking is not None:
                self._cancel_speech_quietly()
                self._speaking = None
            self._gate.close(new_turn=False)
            self._set_state(SessionState.PAUSED)
        elif command is Command.RESUME and self._paused:
            self._paused = False
            if self._ask is not None and not self._ask_spoken:
                self._pending.appendleft(self._ask)
                self._ask = None
                self._advance()
            elif self._ask is not None:
                self._listen(new_turn=False)
            else:
                self._advance()
        elif command is Command.END:
            if self._gate.request_end():
                # Save the words of the answer being spoken first (see _take_answer).
                self._end_after_turn = True
                self._end_deadline = time.monotonic() + 2.0
            else:
                self._end_now()

    def _check_end_deadline(self) -> None:
        # The listener answers an end-turn request within a read timeout; this is the
        # safety net if it has died, so that end() always ends.
        if self._end_after_turn and time.monotonic() > self._end_deadline:
            self._end_after_turn = False
            self._end_now()

    def _cut_speech(self) -> None:
        """Stop speaking now; go straight to listening, showing what follows unspoken."""
        self._cancel_speech_quietly()
        kind, self._speaking = self._speaking, None
        if kind == "ask" and self._ask is not None:
            self._ask_spoken = True
            self._listen()
        else:
            self._advance(silent=True)

    def _typed(self, text: str) -> None:
        if self._ask is None and self._speaking is not None:
            # Typed during a reflection: show what follows silently and answer the question.
            self._cut_speech()
        if self._ask is None:
            return
        self._cancel_speech_quietly()
        self._speaking = None
        self._paused = False
        self._gate.close()
        self._take_answer(text, "typed", None)

    def _take_answer(self, text: str, ended_by: str, audio: bytes | None) -> None:
        ask = self._ask
        assert ask is not None and self._journal is not None and self._session_id is not None
        self._ask = None
        self._gate.close()
        text = text.strip()
        self._emit(AnswerFinished(text, ask.step, ended_by))
        if not text:
            # Done with nothing said (or an empty line typed): the question is skipped.
            self._skipped += 1
            actions = self._parts.dialogue.skip(ask.step)
        else:
            actions = self._parts.dialogue.answer(ask.step, text)
            for save in (a for a in actions if isinstance(a, Save)):
                self._save(ask, save, audio)
        self._pending.extend(a for a in actions if not isinstance(a, Save))
        if self._end_after_turn:
            self._end_after_turn = False
            self._end_now()
        else:
            self._advance()

    def _save(self, ask: Ask, save: Save, audio: bytes | None) -> None:
        assert self._journal is not None and self._session_id is not None
        if save.rating is not None and ask.expects == "rating":
            self._emit(RatingHeard(save.rating, save.step))
        self._set_state(SessionState.SAVING)
        # The recording belongs to the answer that was spoken, not to a follow-up's save.
        keep = audio if self._config.audio.keep_audio and audio and save.step == ask.step else None
        rate = self._listener.sample_rate if keep is not None and self._listener else None
        entry_id = self._journal.add_entry(
            self._session_id,
            save.step,
            save.prompt,
            save.answer,
            rating=save.rating,
            audio=keep,
            audio_rate=rate,
            at=self._parts.clock.now(),
        )
        self._answers += 1
        self._emit(Saved(entry_id, save.step))

    def _advance(self, silent: bool = False) -> None:
        """Run pending actions until one needs waiting for (speech, or an answer)."""
        if self._paused:
            return
        while self._pending and not self._ended.is_set():
            action = self._pending.popleft()
            if isinstance(action, Ask):
                self._ask = action
                self._emit(
                    QuestionAsked(action.text, action.step, action.expects, action.low, action.high)
                )
                if not silent and self._speak(action.text, "ask"):
                    self._ask_spoken = False
                    return
                self._ask_spoken = True
                self._listen()
                return
            if isinstance(action, Say):
                self._emit(Reflection(action.text))
                if not silent and self._speak(action.text, "say"):
                    return
            elif isinstance(action, OfferSupport):
                self._emit(SupportOffered(action.message, action.contacts))
            elif isinstance(action, NudgeNote):
                self._emit(Nudge(action.text))
            elif isinstance(action, Finish):
                self._next_step = action.next_step
                self._finish()
                return
            elif isinstance(action, Save) and self._ask is not None:
                self._save(self._ask, action, None)
        if self._ask is None and not self._pending and self._speaking is None:
            # A flow that ran out of steps without saying so is over all the same.
            self._finish()

    def _speak(self, text: str, kind: str) -> bool:
        speaker = self._parts.speaker
        if self._muted or speaker is None:
            return False
        self._gate.speaking()
        self._speaking = kind
        self._set_state(SessionState.SPEAKING)
        speaker.speak(text)
        return True

    def _check_speech(self) -> None:
        speaker = self._parts.speaker
        if self._speaking is None or speaker is None or speaker.is_speaking:
            return
        kind, self._speaking = self._speaking, None
        if kind == "ask" and self._ask is not None:
            self._ask_spoken = True
            self._listen()
        else:
            self._advance()

    def _listen(self, new_turn: bool = True) -> None:
        if self._paused or self._ask is None:
            return
        if self._mic_ok and self._model_ok:
            self._gate.listen(self._ask.phrases, new_turn=new_turn)
            self._set_state(SessionState.LISTENING)
        else:
            self._gate.close()
            self._set_state(SessionState.TYPING)

    def _tick(self) -> None:
        now = self._parts.clock.monotonic()
        if now - self._last_tick < _TICK_SECONDS:
            return
        self._last_tick = now
        for action in self._parts.dialogue.tick(now - self._started_at):
            if isinstance(action, NudgeNote):
                self._emit(Nudge(action.text))
            elif isinstance(action, OfferSupport):
                self._emit(SupportOffered(action.message, action.contacts))

    def _end_now(self) -> None:
        self._cancel_speech_quietly()
        self._speaking = None
        self._gate.close()
        self._ask = None
        self._pending.clear()
        for action in self._parts.dialogue.end():
            # Closing words are shown, not spoken: the person asked to stop.
            if isinstance(action, Say):
                self._emit(Reflection(action.text))
            elif isinstance(action, OfferSupport):
                self._emit(SupportOffered(action.message, action.contacts))
            elif isinstance(action, Finish):
                self._next_step = action.next_step or self._next_step
        self._finish()

    def _finish(self) -> None:
        if self._ended.is_set():
            return
        self._gate.close()
        if self._journal is not None and self._session_id is not None:
            self._set_state(SessionState.SAVING)
            self._journal.end_session(
                self._session_id, self._parts.clock.now(), next_step=self._next_step
            )
        duration = self._parts.clock.monotonic() - self._started_at if self._started_at else 0.0
        self._set_state(SessionState.ENDED)
        self._ended.set()
        summary = SessionSummary(self._answers, self._skipped, duration, self._next_step)
        self._on_event_final(SessionEnded(self._session_id, summary))

    def _on_event_final(self, event: SessionEnded) -> None:
        self._emit(event)

    def _cancel_speech_quietly(self) -> None:
        speaker = self._parts.speaker
        if speaker is None:
            return
        try:
            speaker.cancel()
        except Exception as exc:
            log.warning("speaker cancel failed: %s", type(exc).__name__)


class _Reports:
    """The listener's reports, turned into controller messages and view events."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def heard_turn(self, token: int, text: str, ended_by: str, audio: bytes | None) -> None:
        self._s._post(_Inbox("turn", text=text, ended_by=ended_by, audio=audio, token=token))

    def heard_command(self, token: int, command: Command) -> None:
        self._s._post(_Inbox("voice", command=command, token=token))

    def heard_partial(self, token: int, text: str, thinking: bool) -> None:
        if not self._s._gate.is_current(token):
            return
        self._s._emit(PartialText(text))
        state = SessionState.THINKING if thinking else SessionState.LISTENING
        self._s._set_state_if_listening(token, state)

    def barged_in(self) -> None:
        self._s._post(_Inbox("barge-in"))

    def mic_lost(self, message: str) -> None:
        self._s._emit(Notice(message))
        self._s._post(_Inbox("no-mic"))

    def recognizer_failed(self, message: str) -> None:
        self._s._emit(ModelFailed(message))
        self._s._post(_Inbox("no-model"))
