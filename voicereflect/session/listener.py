"""The session's listener thread: microphone → VAD, recognizer → turn-taker, barge-in, the gate.

The controller opens and closes a ``Gate``; the listener reads the microphone all the time
(so the level meter lives on) but feeds the recognizer only while the gate is open for
listening. While a question is spoken the audio is thrown away, unless the person talks
over it long enough to count as barge-in: then that stretch is kept and fed first once the
gate opens, so their first words are not lost.

Every block goes through the voice-activity detector (when there is one), on its own thread
beside the decoder (``session.vad_worker``): its silence after speech times the end of the
turn, and sustained loud speech while a question is spoken is a barge-in
(``speech.activity``). Without a VAD the level alone detects barge-in and the recogniser's
words time the pause.

End of turn on the VAD's clock: when the cue shows (a second before the pause is over) the
decoder is flushed, and the audio of that second, silence to the VAD, is held back from it.
If the person speaks again it is decoded after all; if the pause runs out the answer is
reported at once, not after Vosk has decoded and finished a second of noise (over babble
that took it up to 0.25 s, more when it ran behind).
"""

from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Callable, Mapping, Sequence

from voicereflect.errors import VoicereflectError
from voicereflect.i18n import _
from voicereflect.protocols import (
    AudioSource,
    Clock,
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
from voicereflect.session.turn_end import TurnEnd
from voicereflect.session.vad_worker import VadWorker
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
# Kept for the answer from before the speech that confirmed a barge-in: the VAD's onset lag.
_BARGE_IN_LEAD_SECONDS = 0.2


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
        self._gate = gate
        self._reports = reports
        self._stop = stop
        self._keep_audio = keep_audio
        self._barge_in = barge_in
        self._barge_in_level = barge_in_level
        self._barge_in_seconds = barge_in_seconds
        self._open_vad = open_vad
        self._vad: VadWorker | None = None
        self._end = TurnEnd(reports=reports, clock=clock, gate=gate, commands=commands)
        self.level = 0.0
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
            detector = self._load_vad()
            self._vad = VadWorker(detector) if detector is not None else None
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
            if self._vad is not None:
                self._vad.close()

    @property
    def voice_probability(self) -> float:
        """The highest VAD speech probability of the latest block ("hearing you")."""
        return self._vad.probability if self._vad is not None else 0.0

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
        return self._vad.collect(), self._vad.frame_seconds

    def _hear_frames(self, heard: VoiceActivity, turn: TurnTaking, level: float) -> None:
        """The VAD's frames of the latest block into the silence count that ends the turn."""
        assert self._vad is not None
        heard.feed(self._vad.collect(), self._vad.frame_seconds, level)
        turn.hear_voice(heard.silence_seconds if heard.heard else None)

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
        held: list[bytes] = []  # the cue's second, held from the decoder (module doc)
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
                self._end.save_unfinished(recognizer, turn, turn_token, turn_done, finals, audio)
                raise
            if block is None:
                self._end.save_unfinished(recognizer, turn, turn_token, turn_done, finals, audio)
                self._reports.mic_lost(_("the microphone stopped: type your answers"))
                return
            level = source.level
            if block:
                self.blocks_read += 1
                self.level = level
                self.dropped_blocks = source.dropped_blocks
                if self._vad is not None:
                    self._vad.submit(block)  # worked out while this block is decoded
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
                if barge.feed(*self._frames(block, level), level):
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
                held.clear()
                self._end.set_closing(turn_token, False)
                if not barged:
                    waiting.clear()
                    waiting_bytes = 0
                barged = False
            if turn is None or turn_done:
                continue
            blocks = [block] if block else []
            if view.end_requested:
                # The key came after the last words: take everything already captured, so
                # a decoder running behind real time does not cut the answer short.
                while (more := source.read(0.0)) and len(blocks) < _MAX_DRAIN_BLOCKS:
                    blocks.append(more)
            vad_done = not block or self._vad is None
            hold = self._end.closing and self._vad is not None and not view.end_requested
            if hold and not vad_done:
                # In the cue's second: has the VAD heard speech again? Then it is decoded.
                self._hear_frames(heard, turn, level)
                vad_done = True
                hold = self._end.holding(heard, turn)
            if hold:
                held.extend(blocks)
                blocks = []
            elif held:
                blocks = [*held, *blocks]
                held.clear()
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
                        answer = self._end.hear(event, turn, turn_token, finals)
                if answer is not None:
                    # An end phrase: start the next answer with an empty decoder.
                    recognizer.finish()
            else:
                answer = None
            if not vad_done:
                self._hear_frames(heard, turn, level)
            if answer is None and view.end_requested and (recognizer is not None or not waiting):
                if recognizer is not None:
                    last = recognizer.finish()
                    if last is not None:
                        answer = self._end.hear(last, turn, turn_token, finals)
                if answer is None:
                    answer = turn.end_turn()
            if answer is None:
                answer = self._end.poll(recognizer, turn, turn_token, finals)
            if answer is not None:
                if held and self._keep_audio:
                    audio += b"".join(held)  # never decoded (VAD silence), still recorded
                held.clear()
                self._end.set_closing(turn_token, False)
                turn_done = True
                self._reports.heard_turn(
                    turn_token,
                    answer.text,
                    answer.ended_by,
                    bytes(audio) if audio else None,
                    answer.words,
                )
