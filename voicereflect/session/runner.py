"""``Session``: one reflection session's threads, its commands, and how it starts and stops.

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
import time
from collections.abc import Callable

from voicereflect.config import Config
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import _
from voicereflect.protocols import Word
from voicereflect.session.controller import Controller, Inbox
from voicereflect.session.events import (
    Command,
    MicrophoneLost,
    ModelFailed,
    ModelReady,
    Notice,
    PartialText,
    SessionEvent,
    SessionState,
    TurnClosing,
)
from voicereflect.session.gate import Gate
from voicereflect.session.listener import Listener
from voicereflect.session.listening import RecognizerFactory
from voicereflect.session.parts import (
    SessionParts,
)

log = logging.getLogger(__name__)

# The part of stop()'s timeout spent letting a running session end (and save the answer
# in progress); the rest is for the threads to finish once it has.
_END_SHARE_OF_STOP = 0.8

# Barge-in: the assistant's voice from the speakers, 12 dB down, stays below this level
# (its loudest 0.16 s reached 0.06 over 20 espeak-ng prompts; a person at the microphone
# reached it within 0.23 s: scripts/bench_vad.py). The minimum is longer than the 0.064 s
# that starts speech while listening: Pipecat's interruption is stricter than its turns.
BARGE_IN_LEVEL = 0.08
BARGE_IN_SECONDS = 0.16


class Session:
    """One reflection session, headless; see the module docstring for the threads.

    Args:
        config: Settings (pause length, muted, keep_audio).
        parts: The injected parts (real or test doubles).
        on_event: Called with each ``SessionEvent`` from the session's threads; it must
            return quickly (posting a message is ideal). It may call the session's commands.
        barge_in: Whether the person speaking during a question cancels it.
        barge_in_level: Microphone RMS (0..1) the person's speech must reach over
            ``barge_in_seconds`` (their own voice from the speakers is quieter).
        barge_in_seconds: How long speech must last (audio time, not wall time): VAD speech
            frames in a row, or without a VAD, blocks at ``barge_in_level``.
    """

    def __init__(
        self,
        config: Config,
        parts: SessionParts,
        on_event: Callable[[SessionEvent], None],
        *,
        barge_in: bool = True,
        barge_in_level: float = BARGE_IN_LEVEL,
        barge_in_seconds: float = BARGE_IN_SECONDS,
    ) -> None:
        self._parts = parts
        self._on_event = on_event
        self._stop = threading.Event()
        self._ended = threading.Event()
        self._inbox: queue.Queue[Inbox] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._gate = Gate()
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
                open_vad=parts.open_vad,
            )
        self._controller = Controller(
            config,
            parts,
            gate=self._gate,
            emit=self._emit,
            inbox=self._inbox,
            stop=self._stop,
            ended=self._ended,
            sample_rate=lambda: self._listener.sample_rate if self._listener else 0,
        )

    # ---- what the UI polls -------------------------------------------------------------

    @property
    def level(self) -> float:
        """Microphone RMS of the latest block, 0..1 (0 when there is no microphone)."""
        return self._listener.level if self._listener is not None else 0.0

    @property
    def voice_probability(self) -> float:
        """Speech probability of the latest VAD frame, 0..1 (0 without a VAD): "hearing you"."""
        return self._listener.voice_probability if self._listener is not None else 0.0

    @property
    def dropped_blocks(self) -> int:
        """Audio blocks the microphone dropped because the session fell behind."""
        return self._listener.dropped_blocks if self._listener is not None else 0

    @property
    def state(self) -> SessionState:
        """The current state (the same as the last ``StateChanged``)."""
        return self._controller.state

    @property
    def muted(self) -> bool:
        """Whether questions are shown without being spoken."""
        return self._controller.muted

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
        elif self._parts.prepare is not None:
            targets.append(("prepare", self._prepare))
        if self._listener is not None:
            targets.append(("listener", self._listener.run))
        targets.append(("controller", self._controller.run))
        for name, target in targets:
            # Daemon threads: a stuck driver call must never keep the process alive.
            thread = threading.Thread(target=target, name=f"session-{name}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def stop(self, timeout: float = 3.0) -> bool:
        """End the session if it has not ended, then stop every thread; never hangs.

        A session still running is ended first, as ``end()`` does, so the words of an
        answer being spoken are decoded and saved; that wait is bounded by part of
        ``timeout``. Past it the threads are stopped anyway and the session is closed in
        the journal on the way out.

        Args:
            timeout: Total seconds to wait: for the session to end, then for the threads.

        Returns:
            True if every thread finished within ``timeout``.
        """
        deadline = time.monotonic() + timeout
        controller = next((t for t in self._threads if t.name == "session-controller"), None)
        running = controller is not None and controller.is_alive() and not self._ended.is_set()
        if running and controller is not threading.current_thread():
            # Setting the stop flag first would end the controller's loop before it reads
            # END, and the answer in progress would be lost (quitting mid-answer).
            self.end()
            self._ended.wait(timeout * _END_SHARE_OF_STOP)
        self._stop.set()
        self._controller.cancel_speech_quietly()
        for thread in self._threads:
            if thread.name == "session-model":
                continue  # loading a model cannot be interrupted; it is a daemon thread
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self._threads if t.name != "session-model")

    # ---- commands (all return at once; the controller thread does the work) -------------

    def end_turn(self) -> None:
        """The person is done with this answer (a key, or an empty line in plain mode)."""
        self._post(Inbox("command", Command.END_TURN))

    def repeat(self) -> None:
        """Say the current question again; what was said of the answer so far is dropped."""
        self._post(Inbox("command", Command.REPEAT))

    def skip(self) -> None:
        """Skip the current question."""
        self._post(Inbox("command", Command.SKIP))

    def pause(self) -> None:
        """Stop speaking and listening until ``resume()``."""
        self._post(Inbox("command", Command.PAUSE))

    def resume(self) -> None:
        """Carry on after ``pause()``."""
        self._post(Inbox("command", Command.RESUME))

    def end(self) -> None:
        """End the session: finish the current answer, save it, close (the UI confirms)."""
        self._post(Inbox("command", Command.END))

    def type_answer(self, text: str) -> None:
        """Answer the current question with typed text (works with no mic and no model)."""
        self._post(Inbox("typed", text=text))

    def rate(self, value: int) -> None:
        """Answer a rating question with a number (a digit key)."""
        self.type_answer(str(value))

    def interrupt(self) -> None:
        """A key was pressed: stop speaking now and listen."""
        self._post(Inbox("interrupt"))

    def set_muted(self, muted: bool) -> None:
        """Show questions without speaking them (``True``), or speak them again."""
        self._post(Inbox("mute" if muted else "unmute"))

    def _post(self, message: Inbox) -> None:
        self._inbox.put(message)

    # ---- events ------------------------------------------------------------------------

    def _emit(self, event: SessionEvent) -> None:
        try:
            self._on_event(event)
        except Exception as exc:  # a broken view must not stop the saving
            log.error("on_event failed: %s", type(exc).__name__)

    # ---- model loading thread ----------------------------------------------------------

    def _load_model(self) -> None:
        loader = self._parts.load_recognizer
        assert loader is not None
        began = self._parts.clock.monotonic()
        try:
            factory = loader()
        except VoicereflectError as exc:
            self._model_failed(exc.message)
        except Exception as exc:
            log.error("model load failed: %s", type(exc).__name__)
            self._model_failed(
                _("the speech model could not be loaded ({error})").format(error=type(exc).__name__)
            )
        else:
            self._recognizer_factory = factory
            self._emit(ModelReady(self._parts.clock.monotonic() - began))
        # After the model, not beside it: on two cores both loads at once delay the first turn.
        self._prepare()

    def _prepare(self) -> None:
        """``SessionParts.prepare``: the language analyzer loaded before the first answer.

        Without it the first answer's save loaded Kiwi on the controller thread: the person
        waited ~1.5 s longer for the first turn to end (scripts/bench_vad.py's outlier).
        """
        prepare = self._parts.prepare
        if prepare is None:
            return
        try:
            prepare()
        except Exception as exc:  # the first answer loads it instead
            log.warning("preparing the session failed: %s", type(exc).__name__)

    def _model_failed(self, message: str) -> None:
        self._emit(ModelFailed(message))
        fix = message.split(" — ", 1)[1] if " — " in message else message
        self._emit(Notice(_("no speech model: type your answers — {fix}").format(fix=fix)))
        self._post(Inbox("no-model"))


class _Reports:
    """The listener's reports, turned into controller messages and view events."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def heard_turn(
        self,
        token: int,
        text: str,
        ended_by: str,
        audio: bytes | None,
        words: tuple[Word, ...] = (),
    ) -> None:
        self._s._post(
            Inbox("turn", text=text, ended_by=ended_by, audio=audio, token=token, words=words)
        )

    def heard_command(self, token: int, command: Command) -> None:
        self._s._post(Inbox("voice", command=command, token=token))

    def heard_partial(self, token: int, text: str, thinking: bool) -> None:
        if not self._s._gate.is_current(token):
            return
        self._s._emit(PartialText(text))
        state = SessionState.THINKING if thinking else SessionState.LISTENING
        self._s._controller.set_state_if_listening(token, state)

    def barged_in(self) -> None:
        self._s._post(Inbox("barge-in"))

    def turn_closing(self, token: int, closing: bool) -> None:
        # Clearing the cue is always right; showing it only for the turn being heard.
        if not closing or self._s._gate.is_current(token):
            self._s._emit(TurnClosing(closing))

    def mic_lost(self, message: str) -> None:
        self._s._emit(MicrophoneLost(message))
        self._s._post(Inbox("no-mic"))

    def recognizer_failed(self, message: str) -> None:
        self._s._emit(ModelFailed(message))
        self._s._post(Inbox("no-model"))
