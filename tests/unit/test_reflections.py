"""Reflections keep meaning: negations, owners, person, and the person's own words only;
measured on scripted sessions answered from the labelled corpus (scripts/fidelity_run.py)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import corpus
from voicereflect.protocols import Word
from voicereflect.reflection import engine as e
from voicereflect.reflection.language import korean
from voicereflect.reflection.packs import PromptPack, load_pack
from voicereflect.reflection.reflections import SECOND_PERSON_WORDS, fill

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import fidelity_run  # noqa: E402

PACKS = {lang: load_pack(lang) for lang in ("en", "ko")}
SESSIONS = [
    fidelity_run.drive(PACKS[lang], flow)
    for lang in ("en", "ko")
    for flow in fidelity_run.flows(lang)
]
WORD = re.compile(r"\w+")


def _reflections(session: fidelity_run.Session) -> list[e.Reflect]:
    return [a for a in session.actions if isinstance(a, e.Reflect)]


def _answer(pack: PromptPack, flow: str, text: str) -> tuple[e.EngineState, list[str]]:
    state, _ = e.start(pack, flow, at=0.0, nudge_minutes=0)
    state, actions = e.step(state, e.AnswerGiven(text, 1.0))
    return state, [a.text for a in actions if isinstance(a, e.Reflect)]


@pytest.mark.parametrize("session", SESSIONS, ids=lambda s: f"{s.lang}-{s.flow}")
def test_no_reflection_drops_a_negation_or_an_owner(session: fidelity_run.Session) -> None:
    reflected = _reflections(session)
    assert reflected, "every session reflects something"
    for r in reflected:
        assert fidelity_run.negation_kept(r, session.lang) is not False, r.text
        assert fidelity_run.owner_kept(r, session.lang) is not False, r.text


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_change_and_sustain_talk_agree_with_the_labels(lang: str) -> None:
    agree, total, plain_agree, plain = fidelity_run.corpus_agreement(lang)
    assert agree / total >= 0.9
    assert plain_agree / plain >= 0.9, "also where no balance step sets the side"


@pytest.mark.parametrize("session", SESSIONS, ids=lambda s: f"{s.lang}-{s.flow}")
def test_spoken_summary_is_short_and_reads_no_rating_labels(
    session: fidelity_run.Session,
) -> None:
    (summary,) = [a for a in session.actions if isinstance(a, e.Summarize)]
    assert len(summary.spoken.split()) <= 110
    assert "0 to 10" not in summary.spoken and "0~10" not in summary.spoken
    assert len(summary.text) >= len(summary.spoken), "the full one is on the screen"


@pytest.mark.parametrize("session", SESSIONS, ids=lambda s: f"{s.lang}-{s.flow}")
def test_every_spoken_question_is_one_short_question(session: fidelity_run.Session) -> None:
    for ask in (a for a in session.actions if isinstance(a, e.Ask)):
        assert ask.text.count("?") <= 1 and len(ask.text.split()) <= 25, ask.text


@pytest.mark.parametrize("flow", ["open", "decision"])
def test_open_and_decision_sessions_reflect_before_most_questions(flow: str) -> None:
    for session in (s for s in SESSIONS if s.flow == flow):
        row = fidelity_run.measure(PACKS[session.lang], session)
        # The README's table says where the target of 1.0 is missed and why.
        assert row.per_question >= 0.9, (session.lang, row)


def test_dont_think_i_can_is_said_back_with_its_negation() -> None:
    _, said = _answer(PACKS["en"], "open", "I don't think I can keep doing this job")
    assert said and said[-1].endswith("you don't think you can keep doing this job.")


def test_my_mom_says_stays_with_my_mom_and_is_not_change_talk() -> None:
    state, said = _answer(PACKS["en"], "open", "my mom says i need to stop drinking so much")
    assert len(said) == 1
    assert said[0].lower().endswith("your mom says you need to stop drinking so much.")
    assert state.change_talk == ()


def test_i_have_to_be_honest_is_not_change_talk() -> None:
    state, said = _answer(PACKS["en"], "open", "I have to be honest, I really like my evenings")
    assert state.change_talk == ()
    assert not any("honest" in s for s in said)


def test_both_sides_heard_make_a_double_sided_reflection_ending_on_change() -> None:
    _, said = _answer(PACKS["en"], "open", "i'm not sure i can do it but i want to try")
    (double,) = (s.lower() for s in said)
    assert double.index("you're not sure you can do it") < double.index("you want to try")


def test_feelings_are_reflected_in_the_persons_own_words() -> None:
    _, said = _answer(PACKS["en"], "checkin", "I was so embarrassed and angry at myself")
    assert said[0] in (
        "You felt embarrassed and angry.",
        "That left you feeling embarrassed and angry.",
    )


def test_sick_of_this_is_no_feeling_of_sickness() -> None:
    _, said = _answer(PACKS["en"], "checkin", "I'm sick of this, I'm tired and frustrated")
    assert not any("sick" in s for s in said)
    assert any("tired and frustrated" in s for s in said)


def test_the_last_addition_is_reflected_before_the_goodbye() -> None:
    pack = PACKS["en"]
    state, actions = e.start(pack, "checkin", at=0.0, nudge_minutes=0)
    state, _ = e.step(state, e.AnswerGiven("quite calm after a walk in the park", 1.0))
    state, actions = e.step(state, e.StopRequested(2.0))
    assert isinstance(actions[-1], e.Ask) and actions[-1].step_id == e.MISSED_STEP
    state, actions = e.step(state, e.AnswerGiven("just that i'm scared i'll fail again", 4.0))
    kinds = [type(a).__name__ for a in actions]
    assert kinds[-2:] == ["Reflect", "Finished"]
    assert "you're scared you'll fail again" in actions[-2].text  # type: ignore[union-attr]


def test_a_pause_in_the_recognisers_words_cuts_the_reflected_clause() -> None:
    said = "the talking part went well people asked good questions"
    # One second of silence after "well": the recogniser's times show two clauses.
    words = tuple(
        Word(w, i * 0.4 + (1.0 if i >= 5 else 0.0), i * 0.4 + 0.3 + (1.0 if i >= 5 else 0.0), 0.9)
        for i, w in enumerate(said.split())
    )
    state, _ = e.start(PACKS["en"], "open", at=0.0, nudge_minutes=0)
    _, typed = e.step(state, e.AnswerGiven(said, 1.0))
    _, spoken = e.step(state, e.AnswerGiven(said, 1.0, words))
    typed_back = [a.text.lower() for a in typed if isinstance(a, e.Reflect)]
    spoken_back = [a.text.lower() for a in spoken if isinstance(a, e.Reflect)]
    assert typed_back[0].endswith("the talking part went well people asked good questions.")
    assert spoken_back[0].endswith("people asked good questions."), "one clause, whole"
    assert "went well" not in spoken_back[0]


def test_the_miracle_question_is_said_in_two_turns() -> None:
    pack = PACKS["en"]
    state, actions = e.start(pack, "solution", at=0.0, nudge_minutes=0)
    state, actions = e.step(state, e.AnswerGiven("to feel more like myself again", 1.0))
    tell = [a for a in actions if isinstance(a, e.Tell)]
    ask = actions[-1]
    assert tell and tell[0].text.startswith("Suppose that tonight")
    assert isinstance(ask, e.Ask) and ask.step_id == "miracle" and ask.text.endswith("?")


@pytest.mark.parametrize(
    ("quote", "expected"),
    [("운동하고 싶지 않아요", "“운동하고 싶지 않아요”라고"), ("가족", "“가족”이라고")],
)
def test_korean_particle_follows_the_last_syllable_of_the_quote(quote: str, expected: str) -> None:
    assert fill("“{quote}”{라고} 하셨네요.", quote=quote).startswith(expected)


def test_korean_negated_desire_is_said_back_with_its_negation() -> None:
    state, said = _answer(PACKS["ko"], "open", "사실 운동하고 싶지 않아요")
    assert said and "않" in said[-1] and "싶지" in said[-1]
    assert state.change_talk == ()


def test_korean_reported_words_keep_their_teller() -> None:
    _, said = _answer(PACKS["ko"], "open", "엄마가 어제 전화해서 술 좀 줄이라고 하셨어요")
    assert said and "엄마" in said[-1]


def _frame_words(pack: PromptPack) -> set[str]:
    r = pack.language.reflections
    texts = r.simple + r.double + r.feeling + r.feeling_past + r.last
    return {w.lower() for w in WORD.findall(" ".join(texts))}


ENGLISH_ANSWERS = st.one_of(
    st.sampled_from([a.text for a in corpus.load("en")]),
    st.text(max_size=120),
    st.lists(st.sampled_from(["i", "don't", "my", "mom", "says", "not", "was", "sure", "can",
                              "but", "want", "to", "tired", "and", "we", "never", "sick", "of"]),
             max_size=14).map(" ".join),
)  # fmt: skip


@settings(max_examples=60, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(text=ENGLISH_ANSWERS)
def test_english_reflections_invent_no_word(text: str) -> None:
    pack = PACKS["en"]
    _, said = _answer(pack, "open", text)
    allowed = {w.lower() for w in WORD.findall(text)} | _frame_words(pack) | SECOND_PERSON_WORDS
    for r in said:
        extra = {w.lower() for w in WORD.findall(r)} - allowed
        assert extra == set(), (text, r)


@settings(max_examples=30, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.sampled_from([a.text for a in corpus.load("ko")]))
def test_korean_reflections_invent_no_content_morpheme(text: str) -> None:
    pack = PACKS["ko"]
    _, said = _answer(pack, "open", text)
    r = pack.language.reflections
    frames = " ".join(r.simple + r.double + r.feeling + r.feeling_past + r.last)
    # Kiwi may cut a word differently in another sentence (충분하 / 충분 + 하): a morpheme
    # counts as the person's when it is one of theirs or in what they or the frame said.
    terms = set(korean.terms(text)) | set(korean.terms(re.sub(r"\{\w+\}", " ", frames)))
    for reflection in said:
        extra = {
            m
            for m in korean.terms(reflection)
            if m not in terms and m not in text and m not in frames
        }
        assert extra == set(), (text, reflection)
