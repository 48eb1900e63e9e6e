"""Speech that the speaker could not play is said again once, and the person is told."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.fakes import EventLog, FakeClock, MemoryJournal, RecordingSpeaker, ScriptedDialogue
from voicereflect.config import Config
from voicereflect.errors import VoicereflectError
from voicereflect.session import Session, SessionParts
from voicereflect.session.controller import UNHEARD
from voicereflect.session.dialogue import Ask
from voicereflect.session.events import Notice, QuestionAsked, SessionState
from voicereflect.speech.tts import NoAudioOutput, SpeechDone, SpeechStalled

QUESTIONS = [Ask("feeling", "How are you feeling?"), Ask("next", "What comes next?")]


class ReportingSpeaker(RecordingSpeaker):
    """Ends each utterance at once, reporting the next of ``outcomes`` (then success)."""

    def __init__(self, outcomes: list[VoicereflectError | None]) -> None:
        super().__init__(auto_finish=True)
        self.outcomes = outcomes
        self.last_result: SpeechDone | None = None

    def speak(self, text: str) -> None:
        error = self.outcomes.pop(0) if self.outcomes else None
        now = time.monotonic()
        self.last_result = SpeechDone(error is None, False, error, now, now)
        super().speak(text)


@pytest.fixture
def sessions() -> Iterator[list[Session]]:
    made: list[Session] = []
    yield made
    for session in made:
        assert session.stop(timeout=3.0)


def start(speaker: ReportingSpeaker, sessions: list[Session]) -> EventLog:
    log = EventLog()
    parts = SessionParts(
        dialogue=ScriptedDialogue(list(QUESTIONS)),
        open_journal=MemoryJournal,
        turn_taker=lambda phrases: pytest.fail("no listening without a microphone"),
        speaker=speaker,
        clock=FakeClock(),
    )
    session = Session(Config(), parts, log)
    sessions.append(session)
    session.start()
    return log


def notices(log: EventLog) -> list[str]:
    return [e.message for e in log.events if isinstance(e, Notice)]


def test_a_question_no_speaker_could_play_is_said_again_once(sessions: list[Session]) -> None:
    speaker = ReportingSpeaker([NoAudioOutput()])
    log = start(speaker, sessions)
    assert log.wait_until(lambda: sessions[0].state is SessionState.TYPING)
    assert speaker.spoken == [QUESTIONS[0].text, QUESTIONS[0].text]
    assert len(log.of(QuestionAsked)) == 1  # shown once; only the sound was tried again
    assert notices(log) == []  # the second time it was heard: nothing to tell


def test_speech_that_fails_twice_is_told_once_and_the_session_goes_on(
    sessions: list[Session],
) -> None:
    speaker = ReportingSpeaker([NoAudioOutput()] * 4)
    log = start(speaker, sessions)
    assert log.wait_until(lambda: sessions[0].state is SessionState.TYPING)
    sessions[0].type_answer("fine")
    log.wait_for(QuestionAsked, 2)
    assert log.wait_until(
        lambda: len(speaker.spoken) == 4 and sessions[0].state is SessionState.TYPING
    )
    assert speaker.spoken == [QUESTIONS[0].text] * 2 + [QUESTIONS[1].text] * 2
    assert notices(log) == [UNHEARD]  # once a session, not at every question


def test_a_stalled_voice_is_not_tried_again_but_told(sessions: list[Session]) -> None:
    speaker = ReportingSpeaker([SpeechStalled()])
    log = start(speaker, sessions)
    assert log.wait_until(lambda: sessions[0].state is SessionState.TYPING)
    assert speaker.spoken == [QUESTIONS[0].text]  # it already took far longer than it should
    assert notices(log) == [UNHEARD]
