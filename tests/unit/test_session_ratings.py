"""Sessions over the real engine and Journal keep every answer to a rating question."""

from __future__ import annotations

from collections.abc import Callable, Iterator

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
from voicereflect.journal.records import EntryRecord
from voicereflect.journal.store import Journal
from voicereflect.protocols import Recognizer
from voicereflect.reflection.packs import available_languages, load_pack
from voicereflect.session import Session, SessionParts
from voicereflect.session.dialogue import EngineDialogue
from voicereflect.session.events import QuestionAsked, SessionEnded, SessionState
from voicereflect.speech.turns import TurnTaker

TEXT = {"en": "I would like to walk more with my sister", "ko": "동생이랑 더 걷고 싶어요"}
NOT_A_NUMBER = {"en": "honestly no idea", "ko": "결정을 앞두면 머리가 하얘져요"}


@pytest.fixture
def journal() -> Iterator[Journal]:
    with Journal.open() as j:
        yield j


def run_flow(
    journal: Journal,
    lang: str,
    flow_id: str,
    reply: Callable[[QuestionAsked, int], str],
    *,
    voice: bool,
    recognizer: ScriptedRecognizer | None = None,
) -> tuple[EntryRecord, ...]:
    """Drive a whole flow, answering each question with ``reply(question, times_asked)``."""
    clock = FakeClock()
    source = FakeAudioSource()

    def load() -> object:
        def factory(rate: int) -> Recognizer:
            assert recognizer is not None
            return recognizer

        return factory

    parts = SessionParts(
        dialogue=EngineDialogue(
            load_pack(lang), flow_id, clock=clock, nudge_minutes=0, contacts=()
        ),
        open_journal=lambda: journal,
        turn_taker=lambda phrases: TurnTaker(4.0, phrases, clock),
        speaker=RecordingSpeaker(),
        open_audio=(lambda: source) if voice else None,
        load_recognizer=load if voice else None,  # type: ignore[arg-type]
        clock=clock,
    )
    log = EventLog()
    session = Session(Config(), parts, log)
    session.start()
    seen: dict[str, int] = {}
    try:
        for n in range(1, 80):
            assert log.wait_until(lambda n=n: session.ended or len(log.of(QuestionAsked)) >= n)
            if session.ended:
                break
            asked = log.of(QuestionAsked)[n - 1]
            assert isinstance(asked, QuestionAsked)
            seen[asked.step] = seen.get(asked.step, 0) + 1
            answer = reply(asked, seen[asked.step])
            if voice:
                assert log.wait_until(lambda: session.state is SessionState.LISTENING)
                source.push(speech(answer), level=0.3)
                source.push(silence(), level=0.0)
                assert source.wait_consumed()
                session.end_turn()
            else:
                session.type_answer(answer)
            assert log.wait_until(lambda n=n: session.ended or len(log.of(QuestionAsked)) > n)
        assert session.wait_ended(5)
    finally:
        assert session.stop(timeout=3.0)
    ended = log.of(SessionEnded)[0]
    assert isinstance(ended, SessionEnded) and ended.session_id is not None
    return journal.session(ended.session_id).entries


def _rating_flows() -> list[tuple[str, str]]:
    return [
        (lang, f.id)
        for lang in available_languages()
        for f in load_pack(lang).flows
        if any(s.kind.startswith("rating") for s in f.steps)
    ]


@pytest.mark.parametrize(("lang", "flow_id"), _rating_flows())
def test_every_rating_flow_keeps_the_words_and_links_the_number(
    journal: Journal, lang: str, flow_id: str
) -> None:
    rated = {s.id for s in load_pack(lang).flow(flow_id).steps if s.kind.startswith("rating")}

    def reply(asked: QuestionAsked, times: int) -> str:
        if asked.expects != "rating":
            return TEXT[lang]
        return NOT_A_NUMBER[lang] if times == 1 else "7"

    entries = run_flow(journal, lang, flow_id, reply, voice=False)
    for step in rated & {e.step_id for e in entries}:
        words, number = [e for e in entries if e.step_id == step]
        assert (words.answer, words.rating, words.rates) == (NOT_A_NUMBER[lang], None, None)
        assert (number.answer, number.rating) == ("7", 7)
        assert number.rates == words.prompt and number.prompt != words.prompt


def test_a_korean_spoken_i_is_confirmed_then_stored_with_its_words(journal: Journal) -> None:
    recognizer = ScriptedRecognizer()

    def reply(asked: QuestionAsked, times: int) -> str:
        if asked.expects != "rating":
            return TEXT["ko"]
        return "이" if times == 1 else "네"

    entries = run_flow(journal, "ko", "checkin", reply, voice=True, recognizer=recognizer)
    (mood,) = [e for e in entries if e.step_id == "mood"]
    assert (mood.answer, mood.rating, mood.rates) == ("이", 2, None)
    assert [w.word for w in mood.words] == ["이"]
    assert all(e.answer != "네" for e in entries)  # the confirmation is not an answer
