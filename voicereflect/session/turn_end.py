"""How a turn ends, for the listener: recognition events into the answer, and the pause.

``TurnEnd`` passes what the recogniser heard on to the turn-taker (a whole utterance that is
a voice command is reported instead), shows the cue a second before silence ends the turn,
flushes the decoder then, and reports the answer. It holds no audio: the listener decides
what the decoder is fed, and asks ``holding`` whether the cue's second is still silent.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from voicereflect.protocols import Clock, Final, Partial, RecognitionEvent, Recognizer
from voicereflect.session.events import Command
from voicereflect.session.gate import Gate
from voicereflect.session.listening import ListenerReports, TurnAnswer, TurnTaking
from voicereflect.speech.activity import VoiceActivity

log = logging.getLogger(__name__)

CUE_SECONDS = 1.0  # the "about to move on" cue shows this long before silence ends a turn


def normalise(text: str) -> str:
    """Lower-case words without punctuation, for matching voice commands."""
    return " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split())


class TurnEnd:
    """The listener's turn ending (see the module docstring); used on its thread only.

    Attributes:
        closing: The cue shows (and the decoder was flushed for it).
    """

    def __init__(
        self,
        *,
        reports: ListenerReports,
        clock: Clock,
        gate: Gate,
        commands: Mapping[str, Command],
    ) -> None:
        self._reports = reports
        self._clock = clock
        self._gate = gate
        self._commands = {normalise(k): v for k, v in commands.items()}
        self.closing = False

    def holding(self, heard: VoiceActivity, turn: TurnTaking) -> bool:
        """Whether the cue's second goes on: its audio is held from the decoder (see listener)."""
        left = turn.seconds_left(self._clock.monotonic())
        return left is not None and left <= CUE_SECONDS and not heard.speaking

    def set_closing(self, token: int, closing: bool) -> None:
        if closing != self.closing:
            self.closing = closing
            self._reports.turn_closing(token, closing)

    def poll(
        self, recognizer: Recognizer | None, turn: TurnTaking, token: int, finals: list[str]
    ) -> TurnAnswer | None:
        """The answer if silence has ended the turn; shows or clears the cue before it does."""
        now = self._clock.monotonic()
        left = turn.seconds_left(now)
        closing = left is not None and left <= CUE_SECONDS
        answer: TurnAnswer | None = None
        if closing and not self.closing and recognizer is not None:
            # Take the decoder's words now, a second early: finishing an utterance that
            # ran on through background talk took Vosk a few hundred ms at the very end.
            early = recognizer.finish()
            if early is not None:
                answer = self.hear(early, turn, token, finals)
        self.set_closing(token, closing)
        if answer is not None or left is None or left > 0:
            return answer
        if recognizer is not None:
            # Without a VAD the last words may still be in the decoder (with one, it was
            # flushed at the cue and held from since): the answer must not lose them.
            last = recognizer.finish()
            if last is not None:
                answer = self.hear(last, turn, token, finals)
        return answer if answer is not None else turn.poll(now)

    def save_unfinished(
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
                answer = self.hear(last, turn, token, finals)
        ended_by = answer.ended_by if answer is not None else "mic-lost"
        if answer is None:
            answer = turn.end_turn()
        if answer.text.strip():
            self._reports.heard_turn(
                token, answer.text, ended_by, bytes(audio) if audio else None, answer.words
            )

    def hear(
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
