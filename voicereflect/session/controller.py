"""The session's controller thread: runs the dialogue, speaks, listens via the gate, saves.

Every answer is committed to the journal before anything else is spoken; commands arrive
through the inbox, so they are handled one at a time, in order, on this thread only.
"""

from __future__ import annotations

import collections
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from voicereflect.config import Config
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_, _
from voicereflect.journal.errors import DiskFull, JournalLocked
from voicereflect.protocols import Word
from voicereflect.session.dialogue import (
    Ask,
    DialogueAction,
    Finish,
    NudgeNote,
    OfferSupport,
    Save,
    Say,
)
from voicereflect.session.events import (
    AnswerFinished,
    Command,
    Notice,
    Nudge,
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
from voicereflect.session.gate import Gate
from voicereflect.session.parts import JournalWriter, SessionParts
from voicereflect.speech.tts import NoAudioOutput, unplayed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Inbox:
    """A message to the controller thread."""

    kind: str
    command: Command | None = None
    text: str = field(default="", repr=False)
    ended_by: str = ""
    audio: bytes | None = field(default=None, repr=False)
    token: int = 0
    words: tuple[Word, ...] = field(default=(), repr=False)


# Told once a session when speech could not be played, so the person knows to read instead.
UNHEARD = N_(
    "speech could not be played: read the questions on screen ('voicereflect doctor' checks sound)"
)
_POLL = 0.05  # the controller's inbox wait: how quickly it notices speech has finished
_TICK_SECONDS = 1.0
# How long end() waits for the words being spoken to be decoded and saved. On a busy
# machine the decoder can run seconds behind the microphone; past this, end anyway.
_END_TURN_GRACE = 15.0


def _held_message(error: DiskFull | JournalLocked) -> str:
    """What to tell the person when the journal could not write and holds the answer."""
    if isinstance(error, DiskFull):
        return error.message
    return _("your answer is kept in memory and will be saved with the next one — {reason}").format(
        reason=error.message
    )


class Controller:
    """The controller thread's work: dialogue, speaker and journal, one message at a time.

    Only ``run`` (on the controller thread) touches its state; other threads talk to it
    through the inbox and read ``state``/``muted``.
    """

    def __init__(
        self,
        config: Config,
        parts: SessionParts,
        *,
        gate: Gate,
        emit: Callable[[SessionEvent], None],
        inbox: queue.Queue[Inbox],
        stop: threading.Event,
        ended: threading.Event,
        sample_rate: Callable[[], int],
    ) -> None:
        self._config = config
        self._parts = parts
        self._gate = gate
        self._emit = emit
        self._inbox = inbox
        self._stop = stop
        self._ended = ended
        self._sample_rate = sample_rate
        self._state_lock = threading.Lock()
        self.state = SessionState.STARTING
        self.muted = config.voice.muted or parts.speaker is None
        self._mic_ok = parts.open_audio is not None
        self._model_ok = parts.load_recognizer is not None
        self._journal: JournalWriter | None = None
        self._session_id: int | None = None
        self._pending: collections.deque[DialogueAction] = collections.deque()
        self._ask: Ask | None = None
        self._ask_spoken = False
        self._speaking: str | None = None  # None | "ask" | "say"
        self._spoken = ""  # what is being spoken, to say it again if no speaker could play it
        self._retry = False  # whether that may still be tried once more
        self._unheard_told = False  # the person has been told speech could not be played
        self._paused = False
        self._end_after_turn = False
        self._closing = False  # _end_now has run: the goodbye may still be being said
        self._end_deadline = 0.0
        self._answers = 0
        self._skipped = 0
        self._next_step: str | None = None
        self._started_at = 0.0
        self._last_tick = 0.0

    def _set_state(self, state: SessionState) -> None:
        with self._state_lock:
            if state is self.state or self.state is SessionState.ENDED:
                return
            self.state = state
            self._emit(StateChanged(state))

    def set_state_if_listening(self, token: int, state: SessionState) -> None:
        # The listener's view of the state may be stale: only the open turn may change it.
        with self._state_lock:
            if not self._gate.is_current(token) or state is self.state:
                return
            if self.state not in (SessionState.LISTENING, SessionState.THINKING):
                return
            self.state = state
            self._emit(StateChanged(state))

    def run(self) -> None:
        clock = self._parts.clock
        try:
            self._journal = self._parts.open_journal()
            previous = self._journal.last_next_step()
            self._started_at = clock.monotonic()
            self._last_tick = self._started_at
            self._session_id = self._journal.start_session(
                self._parts.dialogue.flow_id, self._parts.dialogue.language, clock.now()
            )
            for notice in self._parts.notices:
                self._emit(Notice(notice))
            if self._parts.speaker is None:
                self._emit(Notice(_("no voice: questions are shown, not spoken")))
            self._pending.extend(self._parts.dialogue.begin(previous))
            self._advance()
            while not self._stop.is_set() and not self._ended.is_set():
                try:
                    message: Inbox | None = self._inbox.get(timeout=_POLL)
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
            self._emit(
                SessionError(
                    _("the session stopped unexpectedly ({error})").format(error=type(exc).__name__)
                )
            )
        finally:
            self._close()

    def _close(self) -> None:
        self._gate.close()
        self.cancel_speech_quietly()
        try:
            if not self._ended.is_set():
                self._finish()
        except Exception as exc:
            log.error("session end not recorded: %s", type(exc).__name__)
            self._ended.set()
        # The journal is not closed here: whoever opened it may share it (the TUI does).
        self._stop.set()

    def _handle(self, message: Inbox) -> None:
        kind = message.kind
        if kind == "turn":
            if self._ask is not None and self._gate.is_current(message.token):
                self._take_answer(message.text, message.ended_by, message.audio, message.words)
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
            self.muted = kind == "mute" or self._parts.speaker is None
            if self.muted and self._speaking is not None:
                self.cancel_speech_quietly()
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
                self._handle(Inbox("interrupt"))
            else:
                self._gate.request_end()
        elif command is Command.REPEAT and self._ask is not None:
            self.cancel_speech_quietly()
            self._speaking = None
            self._gate.close()
            self._paused = False
            self._pending.appendleft(self._ask)
            self._ask = None
            self._advance()
        elif command is Command.SKIP and self._ask is not None:
            self.cancel_speech_quietly()
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
                self.cancel_speech_quietly()
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
                self._end_deadline = time.monotonic() + _END_TURN_GRACE
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
        self.cancel_speech_quietly()
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
        self.cancel_speech_quietly()
        self._speaking = None
        self._paused = False
        self._gate.close()
        self._take_answer(text, "typed", None)

    def _take_answer(
        self, text: str, ended_by: str, audio: bytes | None, words: tuple[Word, ...] = ()
    ) -> None:
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
            actions = self._parts.dialogue.answer(ask.step, text, words)
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
        rate = self._sample_rate() if keep is not None else None
        try:
            entry_id = self._journal.add_entry(
                self._session_id,
                save.step,
                save.prompt,
                save.answer,
                rating=save.rating,
                audio=keep,
                audio_rate=rate,
                at=self._parts.clock.now(),
                words=save.words,
                rates=save.rates,
            )
        except (DiskFull, JournalLocked) as exc:
            # The journal keeps the answer in memory and writes it with the next one (or
            # at the end): say so and carry on, rather than end the session over it.
            self._answers += 1
            self._emit(Notice(_held_message(exc)))
            return
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
                    QuestionAsked(
                        action.text,
                        action.step,
                        action.expects,
                        action.low,
                        action.high,
                        action.choices,
                    )
                )
                if not silent and self._speak(action.text, "ask"):
                    self._ask_spoken = False
                    return
                self._ask_spoken = True
                self._listen()
                return
            if isinstance(action, Say):
                self._emit(Reflection(action.text))
                if not silent and self._speak(action.spoken or action.text, "say"):
                    return
            elif isinstance(action, OfferSupport):
                self._emit(SupportOffered(action.message, action.contacts))
                # Said aloud too: a person using the app by voice may not see the screen.
                if not silent and action.spoken and self._speak(action.spoken, "say"):
                    return
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
        if self.muted or speaker is None:
            return False
        self._gate.speaking()
        self._speaking = kind
        self._spoken, self._retry = text, True
        self._set_state(SessionState.SPEAKING)
        speaker.speak(text)
        return True

    def _check_speech(self) -> None:
        speaker = self._parts.speaker
        if self._speaking is None or speaker is None or speaker.is_speaking:
            return
        failure = unplayed(speaker)
        if isinstance(failure, NoAudioOutput) and self._retry:
            # espeak-ng could not open the speaker (a sound server still starting, a
            # connection refused): say it once more rather than go on as if it was heard.
            log.info("speech not played (%s); saying it again", type(failure).__name__)
            self._retry = False
            speaker.speak(self._spoken)
            return
        if failure is not None and not self._unheard_told:
            self._unheard_told = True
            self._emit(Notice(_(UNHEARD)))
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
        if self._closing:
            # Ended again while the goodbye is said (plain mode's close path does so when
            # the input ends): the goodbye is not started over; it finishes the session,
            # unless it no longer plays (a pause cut it short).
            if self._speaking is None:
                self._finish()
            return
        self._closing = True
        self.cancel_speech_quietly()
        self._speaking = None
        self._gate.close()
        self._ask = None
        self._pending.clear()
        self._paused = False
        farewell = ""
        for action in self._parts.dialogue.end():
            # Closing words are shown, not spoken: the person asked to stop. Only the
            # contacts, when risk came up, are said once more before the session ends.
            if isinstance(action, Say):
                self._emit(Reflection(action.text))
            elif isinstance(action, OfferSupport):
                self._emit(SupportOffered(action.message, action.contacts))
                farewell = action.spoken
            elif isinstance(action, Finish):
                self._next_step = action.next_step or self._next_step
        if farewell and self._speak(farewell, "farewell"):
            return  # _check_speech finishes when it has been said (a key cuts it short)
        self._finish()

    def _finish(self) -> None:
        if self._ended.is_set():
            return
        self._gate.close()
        if self._journal is not None and self._session_id is not None and not self._answers:
            # Nothing was said: no empty session is kept in the journal.
            try:
                self._journal.delete_sessions([self._session_id])
            except (DiskFull, JournalLocked) as exc:
                log.warning("empty session not removed: %s", type(exc).__name__)
            self._session_id = None
        elif self._journal is not None and self._session_id is not None:
            self._set_state(SessionState.SAVING)
            try:
                self._journal.end_session(
                    self._session_id, self._parts.clock.now(), next_step=self._next_step
                )
            except (DiskFull, JournalLocked) as exc:
                # Still no space: the held answers stay in memory; whoever closes the
                # journal tells the person (see pending_count). The session is over anyway.
                self._emit(Notice(_held_message(exc)))
        duration = self._parts.clock.monotonic() - self._started_at if self._started_at else 0.0
        self._set_state(SessionState.ENDED)
        self._ended.set()
        summary = SessionSummary(self._answers, self._skipped, duration, self._next_step)
        self._emit(SessionEnded(self._session_id, summary))

    def cancel_speech_quietly(self) -> None:
        speaker = self._parts.speaker
        if speaker is None:
            return
        try:
            speaker.cancel()
        except Exception as exc:
            log.warning("speaker cancel failed: %s", type(exc).__name__)
