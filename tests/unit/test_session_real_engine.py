"""The session runner over the real reflection engine and the real Journal (scripted audio)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes import (
    EventLog,
    FakeAudioSource,
    FakeClock,
    RecordingSpeaker,
    ScriptedRecognizer,
    silence,
    speech,
)
from voicereflect.config import Config
from voicereflect.journal.store import Journal
from voicereflect.protocols import Recognizer
from voicereflect.reflection.packs import load_pack
from voicereflect.reflection.safety import load_support_contacts
from voicereflect.session import Session, SessionParts
from voicereflect.session.dialogue import EngineDialogue
from voicereflect.session.events import QuestionAsked, Saved, SessionEnded, SessionState
from voicereflect.speech.turns import TurnTaker


@pytest.fixture
def journal() -> Iterator[Journal]:
    with Journal.open() as j:
        yield j


def test_whole_decision_flow_by_voice_saves_every_answer_in_order(journal: Journal) -> None:
    clock = FakeClock()
    source = FakeAudioSource()
    recognizer = ScriptedRecognizer()
    pack = load_pack("en")

    def load() -> object:
        def factory(rate: int) -> Recognizer:
            return recognizer

        return factory

    parts = SessionParts(
        dialogue=EngineDialogue(
            pack, "decision", clock=clock, nudge_minutes=0, contacts=load_support_contacts("en")
        ),
        open_journal=lambda: journal,
        turn_taker=lambda phrases: TurnTaker(4.0, phrases, clock),
        speaker=RecordingSpeaker(),
        open_audio=lambda: source,
        load_recognizer=load,  # type: ignore[arg-type]
        clock=clock,
    )
    log = EventLog()
    session = Session(Config(), parts, log)
    session.start()
    given: list[tuple[str, str]] = []
    try:
        for n in range(1, 40):
            asked_or_ended = log.wait_until(
                lambda n=n: session.ended or len(log.of(QuestionAsked)) >= n
            )
            assert asked_or_ended, "the flow stalled"
            if session.ended:
                break
            asked = log.of(QuestionAsked)[n - 1]
            assert isinstance(asked, QuestionAsked)
            assert log.wait_until(lambda: session.state is SessionState.LISTENING)
            if asked.expects == "rating":
                answer = "7"
            elif asked.expects == "yesno":
                answer = "no"
            else:
                answer = f"answer {n} is that moving city would let me be near my family"
            source.push(speech(answer), level=0.3)
            source.push(silence(), level=0.0)
            assert source.wait_consumed()
            session.end_turn()
            given.append((asked.step, answer))
            log.wait_until(lambda n=n: session.ended or len(log.of(QuestionAsked)) > n)
        assert session.wait_ended(5)
    finally:
        assert session.stop(timeout=3.0)

    ended = log.of(SessionEnded)[0]
    assert isinstance(ended, SessionEnded) and ended.session_id is not None
    record = journal.session(ended.session_id)
    stored = [(e.step_id, e.answer) for e in record.entries]
    # Every answer given is in the journal, in the order given (the engine saves each turn).
    assert stored == [(step, text) for step, text in given if (step, text) in stored]
    assert len(stored) >= 8, stored
    assert len(log.of(Saved)) == len(stored)
    steps = [s for s, _ in stored]
    assert steps.index("decision") < steps.index("importance") < steps.index("next_step")
    assert record.ended_at is not None
    assert record.next_step is not None and record.next_step.startswith("answer")
    ratings = {e.step_id: e.rating for e in record.entries if e.rating is not None}
    assert ratings.get("importance") == 7


@pytest.mark.parametrize(
    ("lang", "word", "command"),
    [
        ("en", "say that again", "repeat"),
        ("en", "skip", "skip"),
        ("ko", "다시", "repeat"),
        ("ko", "그만", "end"),
    ],
)
def test_each_packs_command_words_drive_the_session(lang: str, word: str, command: str) -> None:
    dialogue = EngineDialogue(
        load_pack(lang), "checkin", clock=FakeClock(), nudge_minutes=0, contacts=()
    )
    assert dialogue.voice_commands()[word].value == command
    assert dialogue.end_phrases(), "a pack without end phrases could only end turns by key"


def test_check_in_spelled_with_a_hyphen_is_the_checkin_flow() -> None:
    dialogue = EngineDialogue(
        load_pack("en"), "check-in", clock=FakeClock(), nudge_minutes=0, contacts=()
    )
    assert dialogue.flow_id == "checkin"
