"""The session's listener thread: microphone → VAD, recognizer → turn-taker, barge-in, the gate.

The controller opens and closes a ``Gate``; the listener reads the microphone all the time
(so the level meter lives on) but feeds the recognizer only while the gate is open for
listening. While a question is spoken the audio is thrown away, unless the person talks
over it long enough to count as barge-in: then that stretch is kept and fed first once the
gate opens, so their first words are not lost.

Every block goes through the voice-activity detector (when there is one): its silence after
speech times the end of the turn, and sustained loud speech while a question is spoken is a
barge-in (``speech.activity``). Without a VAD the level alone detects barge-in and the
recogniser's words time the pause.
"""

from __future__ import annotations

import collections
import logging
import re
import threading
from collections.abc import Callable, Mapping, Sequence

from voicereflect.errors import VoicereflectError
from voicereflect.i18n import _
from voicereflect.protocols import (
    AudioSource,
    Clock,
    Final,
    Partial,
    RecognitionEvent,
    Recognizer,
    VoiceDetector,
)
from voicereflect.session.events import Command
from voicereflect.session.gate import Gate
from voicereflect.session.listening import (
    ListenerReports,
    RecognizerFactory,
    TurnAnswer,
    TurnTakerFactory,
    TurnTaking,
    VadFactory,
)
from voicereflect.speech.activity import (
    BARGE_IN_THRESHOLD,
    LISTENING,
    VadSettings,
    VoiceActivity,
)

log = logging.getLogger(__name__)

# Audio kept while the model is still loading, or after barge-in, before the gate opens.
_MAX_BUFFER_SECONDS = 15.0
_READ_TIMEOUT = 0.1
_LEAD_IN_SECONDS = 0.5
_VOICE_LEVEL = 0.02  # RMS that counts as someone speaking (not room noise)
_MAX_DRAIN_BLOCKS = 1000  # on end-turn, read at most this many queued blocks at once
_CUE_SECONDS = 1.0  # the "about to move on" cue shows this long before silence ends a turn
# Kept for the answer from before the speech that confirmed a barge-in: the VAD's onset lag.
_BARGE_IN_LEAD_SECONDS = 0.2


def normalise(text: str) -> str:
    """Lower-case words without punctuation, for matching voice commands."""
    return " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split())


class Listener:
    """The loop of the listener thread (see the module docstring)."""

    def __init__(
        self,
        *,
        open_audio: Callable[[], AudioSource],
        recognizer_factory: Callable[[], RecognizerFactory | None],
        turn_taker: TurnTakerFactory,
        end_phrases: Sequence[str],
        commands: Mapping[str, Command],
        gate: Gate,
        reports: ListenerReports,
        clock: Clock,
        stop: threading.Event,
        keep_audio: bool,
        barge_in: bool,
        barge_in_level: float,
        barge_in_seconds: float,
        open_vad: VadFactory | None = None,
    ) -> None:
        self._open_audio = open_audio
        self._factory = recognizer_factory
        self._turn_taker = turn_taker
        self._end_phrases = tuple(end_phrases)
        self._commands = {normalise(k): v for k, v in commands.items()}
        self._gate = gate
        self._reports = reports
        self._clock = clock
        self._stop = stop
        self._keep_audio = keep_audio
        self._barge_in = barge_in
        self._barge_in_level = barge_in_level
        self._barge_in_seconds = barge_in_seconds
        self._open_vad = open_vad
        self._vad: VoiceDetector | None = None
        self._closing = False
        self.level = 0.0
        self.voice_probability = 0.0  # of the latest VAD frame ("hearing you")
        self.dropped_blocks = 0
        self.sample_rate = 0
        self.blocks_read = 0
        self.blocks_discarded = 0

    def run(self) -> None:
        """Read the microphone until stopped or the source ends; never raises."""
        try:
            source = self._open_audio()
            source.start()
        except VoicereflectError as exc:
            self._reports.mic_lost(
                _("no microphone: type your answers ({reason})").format(reason=exc.message)
            )
            return
        except Exception as exc:  # a driver failure must not kill the session
            log.warning("microphone failed to open: %s", type(exc).__name__)
            self._reports.mic_lost(_("no microphone: type your answers"))
            return
        try:
            self.sample_rate = source.sample_rate
            self._vad = self._load_vad()
            self._loop(source)
        except VoicereflectError as exc:
            self._reports.mic_lost(
                _("the microphone stopped: type your answers ({reason})").format(reason=exc.message)
            )
        except Exception as exc:
            log.error("listener failed: %s", type(exc).__name__)
            self._reports.mic_lost(_("the microphone stopped: type your answers"))
        finally:
            try:
                source.stop()
            except Exception as exc:
                log.warning("microphone did not stop cleanly: %s", type(exc).__name__)

    def _load_vad(self) -> VoiceDetector | None:
        if self._open_vad is None:
            return None
        try:
            return self._open_vad(self.sample_rate)
        except VoicereflectError as exc:
            # Still usable: the level detects barge-in, the words time the pause.
            log.warning("no voice-activity detector: %s", exc.message)
            return None

    def _bytes_for(self, seconds: float) -> int:
        return int(seconds * self.sample_rate) * 2

    def _barge_in_settings(self) -> VadSettings:
        if self._vad is None:  # one "frame" per block, 1.0 when loud enough
            return VadSettings(0.5, self._barge_in_seconds, self._barge_in_level)
        return VadSettings(BARGE_IN_THRESHOLD, self._barge_in_seconds, self._barge_in_level)

    def _frames(self, block: bytes, level: float) -> tuple[list[float], float]:
        """The speech probabilities of the frames ``block`` completed, and a frame's length."""
        if self._vad is None:
            return [1.0 if level >= self._barge_in_level else 0.0], len(
                block
            ) / 2 / self.sample_rate
        probs = self._vad.probabilities(block)
        if probs:
            self.voice_probability = max(probs)
        return probs, self._vad.frame_seconds

    def _set_closing(self, token: int, closing: bool) -> None:
        if closing != self._closing:
            self._closing = closing
            self._reports.turn_closing(token, closing)

    def _loop(self, source: AudioSource) -> None:
        recognizer: Recognizer | None = None
        grammar: tuple[str, ...] = ()
        turn: TurnTaking | None = None
        turn_token = -1
        turn_done = False
        finals: list[str] = []
        audio = bytearray()
        # Audio waiting for the recognizer: heard before the model was ready, or the
        # barge-in stretch spoken over the question.
        waiting: collections.deque[bytes] = collections.deque()
        waiting_bytes = 0
        # The latest blocks spoken over a question, until a barge-in is confirmed.
        recent: collections.deque[bytes] = collections.deque()
        recent_bytes = 0
        recent_limit = self._bytes_for(self._barge_in_seconds + _BARGE_IN_LEAD_SECONDS)
        barge = VoiceActivity(self._barge_in_settings())
        heard = VoiceActivity(LISTENING)
        barged = False
        voiced = False
        limit = self._bytes_for(_MAX_BUFFER_SECONDS)
        lead_in = self._bytes_for(_LEAD_IN_SECONDS)

        while not self._stop.is_set():
            try:
                block = source.read(_READ_TIMEOUT)
            except Exception:
                # Unplugged (DeviceLost) or a driver failure: the sentences already heard
                # of this answer are still an answer; run() reports the lost microphone.
                self._save_unfinished_turn(recognizer, turn, turn_token, turn_done, finals, audio)
                raise
            if block is None:
                self._save_unfinished_turn(recognizer, turn, turn_token, turn_done, finals, audio)
                self._reports.mic_lost(_("the microphone stopped: type your answers"))
                return
            probs: list[float] = []
            frame_seconds = 0.0
            if block:
                self.blocks_read += 1
                self.level = source.level
                self.dropped_blocks = source.dropped_blocks
                probs, frame_seconds = self._frames(block, source.level)
            view = self._gate.view()

            if view.mode == "speaking":
                if not block:
                    continue
                self.blocks_discarded += 1
                if not self._barge_in:
                    continue
                if barged:
                    # Keep what they say while the controller silences the speaker.
                    if waiting_bytes < limit:
                        waiting.append(block)
                        waiting_bytes += len(block)
                    continue
                recent.append(block)
                recent_bytes += len(block)
                while recent_bytes > recent_limit:
                    recent_bytes -= len(recent.popleft())
                if barge.feed(probs, frame_seconds, source.level):
                    barged = True
                    waiting.extend(recent)
                    waiting_bytes += recent_bytes
                    recent.clear()
                    recent_bytes = 0
                    self._reports.barged_in()
                continue
            if recent:
                recent.clear()
                recent_bytes = 0
                barge.reset()

            if view.mode != "listening":
                if block:
                    self.blocks_discarded += 1
                if view.token != turn_token and not barged:
                    waiting.clear()
                    waiting_bytes = 0
                continue

            if view.token != turn_token:
                # A new question: a fresh turn. Audio kept from barge-in belongs to it.
                turn = self._turn_taker(self._end_phrases)
                turn_token, turn_done, finals = view.token, False, []
                audio = bytearray()
                voiced = barged
                heard.reset()
                self._set_closing(turn_token, False)
                if not barged:
                    waiting.clear()
                    waiting_bytes = 0
                barged = False
            if turn is None or turn_done:
                continue
            if self._vad is not None and probs:
                heard.feed(probs, frame_seconds, source.level)
                turn.hear_voice(heard.silence_seconds if heard.heard else None)
            blocks = [block] if block else []
            if view.end_requested:
                # The key came after the last words: take everything already captured, so
                # a decoder running behind real time does not cut the answer short.
                while (more := source.read(0.0)) and len(blocks) < _MAX_DRAIN_BLOCKS:
                    blocks.append(more)
            for pcm in blocks:
                waiting.append(pcm)
                waiting_bytes += len(pcm)
                if recognizer is None and not voiced:
                    # Before the model is ready keep only a short lead-in of silence, so
                    # the decoder does not start far behind with seconds of nothing.
                    voiced = source.level >= _VOICE_LEVEL
                    while not voiced and waiting_bytes > lead_in:
                        waiting_bytes -= len(waiting.popleft())
                while waiting_bytes > limit:
                    waiting_bytes -= len(waiting.popleft())

            if recognizer is None:
                factory = self._factory()
                if factory is not None:
                    try:
                        recognizer = factory(self.sample_rate)
                    except VoicereflectError as exc:
                        self._reports.recognizer_failed(exc.message)
                        return
                    grammar = ()
            if recognizer is not None:
                if view.phrases != grammar:
                    recognizer.set_grammar(view.phrases or None)
                    grammar = view.phrases
                answer: TurnAnswer | None = None
                while waiting and answer is None:
                    pcm = waiting.popleft()
                    waiting_bytes -= len(pcm)
                    if self._keep_audio:
                        audio += pcm
                    event = recognizer.accept(pcm)
                    if event is not None:
                        answer = self._hear(event, turn, turn_token, finals)
                if answer is not None:
                    # An end phrase: start the next answer with an empty decoder.
                    recognizer.finish()
            else:
                answer = None
            if answer is None and view.end_requested and (recognizer is not None or not waiting):
                if recognizer is not None:
                    last = recognizer.finish()
                    if last is not None:
                        answer = self._hear(last, turn, turn_token, finals)
                if answer is None:
                    answer = turn.end_turn()
            if answer is None:
                answer = self._poll(recognizer, turn, turn_token, finals)
            if answer is not None:
                self._set_closing(turn_token, False)
                turn_done = True
                self._reports.heard_turn(
                    turn_token,
                    answer.text,
                    answer.ended_by,
                    bytes(audio) if audio else None,
                    answer.words,
                )

    def _poll(
        self, recognizer: Recognizer | None, turn: TurnTaking, token: int, finals: list[str]
    ) -> TurnAnswer | None:
        """The answer if silence has ended the turn; shows or clears the cue before it does."""
        now = self._clock.monotonic()
        left = turn.seconds_left(now)
        closing = left is not None and left <= _CUE_SECONDS
        answer: TurnAnswer | None = None
        if closing and not self._closing and recognizer is not None:
            # Take the decoder's words now, a second early: finishing an utterance that
            # ran on through background talk took Vosk a few hundred ms at the very end.
            early = recognizer.finish()
            if early is not None:
                answer = self._hear(early, turn, token, finals)
        self._set_closing(token, closing)
        if answer is not None or left is None or left > 0:
            return answer
        if recognizer is not None:
            # The last words may still be in the decoder: the answer must not lose them.
            last = recognizer.finish()
            if last is not None:
                answer = self._hear(last, turn, token, finals)
        return answer if answer is not None else turn.poll(now)

    def _save_unfinished_turn(
        self,
        recognizer: Recognizer | None,
        turn: TurnTaking | None,
        token: int,
        done: bool,
        finals: list[str],
        audio: bytearray,
    ) -> None:
        """The microphone is gone mid-answer: report the words heard so far as the answer.

        Only an open turn that heard something is reported (ended by ``"mic-lost"``), and
        before the lost microphone is, so the controller saves it and then asks the next
        question in typing mode. An answer with nothing heard stays open to be typed.
        """
        if turn is None or done or not self._gate.is_current(token):
            return
        answer: TurnAnswer | None = None
        if recognizer is not None:
            try:
                last = recognizer.finish()
            except Exception as exc:  # the words already final are enough
                log.warning("recognizer did not finish: %s", type(exc).__name__)
                last = None
            if last is not None:
                answer = self._hear(last, turn, token, finals)
        ended_by = answer.ended_by if answer is not None else "mic-lost"
        if answer is None:
            answer = turn.end_turn()
        if answer.text.strip():
            self._reports.heard_turn(
                token, answer.text, ended_by, bytes(audio) if audio else None, answer.words
            )

    def _hear(
        self, event: RecognitionEvent, turn: TurnTaking, token: int, finals: list[str]
    ) -> TurnAnswer | None:
        """Pass one recognition event on; the answer if it ended the turn.

        A whole utterance that is a voice command is reported, not taken as answer text.
        """
        now = self._clock.monotonic()
        if isinstance(event, Final):
            command = self._commands.get(normalise(event.text))
            if command is not None and not finals:
                self._reports.heard_command(token, command)
                return None
            answer = turn.feed(event, now)
            if answer is None and event.text.strip():
                finals.append(event.text.strip())
                self._reports.heard_partial(token, " ".join(finals), True)
            return answer
        if isinstance(event, Partial) and event.text.strip():
            turn.feed(event, now)
            self._reports.heard_partial(token, " ".join([*finals, event.text.strip()]), False)
        return None
