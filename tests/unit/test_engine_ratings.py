"""Ratings are what was said: doubtful numbers confirmed, other words kept, re-asks linked."""

from __future__ import annotations

import pytest

from voicereflect.protocols import Word
from voicereflect.reflection import engine as e
from voicereflect.reflection.packs import PromptPack, available_languages, load_pack

NOT_A_NUMBER = {"en": "honestly I have no idea", "ko": "글쎄요"}
NUMBER = {"en": "seven", "ko": "일곱"}
TEXT = {
    "en": "I felt a bit tired after the meeting but I want to go for a walk tomorrow",
    "ko": "회의가 끝나고 좀 피곤했지만 내일은 산책을 하고 싶어요",
}


def spoken(text: str, conf: float = 1.0, low: tuple[str, ...] = ()) -> tuple[Word, ...]:
    """Vosk-like words for ``text``; the words in ``low`` get confidence ``conf``."""
    return tuple(
        Word(w, 0.5 * i, 0.5 * i + 0.4, conf if w in low else 1.0)
        for i, w in enumerate(text.split())
    )


def say(
    state: e.EngineState, text: str, words: tuple[Word, ...] = ()
) -> tuple[e.EngineState, list[e.Action]]:
    state, actions = e.step(state, e.AnswerGiven(text, 1.0, words))
    return state, list(actions)


def saves(actions: list[e.Action]) -> list[e.SaveAnswer]:
    return [a for a in actions if isinstance(a, e.SaveAnswer)]


def last_ask(actions: list[e.Action]) -> e.Ask:
    ask = actions[-1]
    assert isinstance(ask, e.Ask)
    return ask


def at_rating(pack: PromptPack, flow_id: str) -> tuple[e.EngineState, e.Ask]:
    """Answer every question before the flow's first rating step; return it asked."""
    state, actions = e.start(pack, flow_id, at=0.0, nudge_minutes=0)
    for _ in range(100):
        ask = last_ask(actions)
        if ask.kind.startswith("rating"):
            return state, ask
        state, actions = say(state, TEXT[pack.lang])
    raise AssertionError("no rating step reached")


def _rating_flows() -> list[tuple[str, str]]:
    return [
        (lang, f.id)
        for lang in available_languages()
        for f in load_pack(lang).flows
        if any(s.kind.startswith("rating") for s in f.steps)
    ]


@pytest.fixture(scope="module")
def ko() -> PromptPack:
    return load_pack("ko")


@pytest.fixture(scope="module")
def en() -> PromptPack:
    return load_pack("en")


@pytest.mark.parametrize(("lang", "flow_id"), _rating_flows())
def test_a_non_number_answer_is_kept_and_the_number_is_linked_to_its_question(
    lang: str, flow_id: str
) -> None:
    pack = load_pack(lang)
    state, question = at_rating(pack, flow_id)
    state, actions = say(state, NOT_A_NUMBER[lang])
    (kept,) = saves(actions)
    assert (kept.step_id, kept.prompt, kept.answer) == (
        question.step_id, question.text, NOT_A_NUMBER[lang],
    )  # fmt: skip
    assert kept.rating is None and kept.rates is None
    again = last_ask(actions)
    assert again.step_id == question.step_id and again.text != question.text
    state, actions = say(state, NUMBER[lang])
    (number,) = saves(actions)
    assert (number.step_id, number.prompt, number.answer, number.rating) == (
        question.step_id, again.text, NUMBER[lang], 7,
    )  # fmt: skip
    assert number.rates == question.text


def test_a_second_non_number_is_kept_too_and_the_flow_moves_on(en: PromptPack) -> None:
    state, question = at_rating(en, "checkin")
    state, actions = say(state, "hmm I am not sure")
    state, actions = say(state, "still not sure")
    (kept,) = saves(actions)
    assert kept.answer == "still not sure" and kept.rating is None
    assert last_ask(actions).step_id != question.step_id


def test_korean_i_spoken_alone_is_confirmed_before_it_is_stored(ko: PromptPack) -> None:
    state, question = at_rating(ko, "checkin")
    state, actions = say(state, "이", spoken("이"))
    assert saves(actions) == []
    confirm = last_ask(actions)
    assert confirm.text == "2점으로 들었어요. 맞아요?" and confirm.step_id == question.step_id
    assert confirm.grammar_hint and {"네", "아니요", "일곱"} <= set(confirm.grammar_hint)
    state, actions = say(state, "네", spoken("네"))
    (kept,) = saves(actions)
    assert (kept.prompt, kept.answer, kept.rating, kept.rates) == (question.text, "이", 2, None)
    assert kept.words == spoken("이")


def test_a_spoken_correction_replaces_the_misheard_number(ko: PromptPack) -> None:
    state, question = at_rating(ko, "checkin")
    state, actions = say(state, "이", spoken("이"))
    state, actions = say(state, "일곱", spoken("일곱"))
    (kept,) = saves(actions)
    assert (kept.prompt, kept.answer, kept.rating) == (question.text, "일곱", 7)
    assert last_ask(actions).step_id != question.step_id


def test_a_low_confidence_number_word_is_confirmed_and_a_digit_key_answers(
    en: PromptPack,
) -> None:
    state, question = at_rating(en, "checkin")
    state, actions = say(state, "about seven", spoken("about seven", 0.52, ("seven",)))
    assert saves(actions) == [] and last_ask(actions).text == "I heard 7 — is that right?"
    state, actions = say(state, "6")  # typed: a digit key
    (kept,) = saves(actions)
    assert (kept.prompt, kept.answer, kept.rating) == (question.text, "6", 6)


def test_a_clear_number_and_a_typed_one_are_stored_without_asking(
    en: PromptPack, ko: PromptPack
) -> None:
    state, _ = at_rating(en, "checkin")
    _, actions = say(state, "about seven", spoken("about seven", 0.52, ("about",)))
    assert [s.rating for s in saves(actions)] == [7]
    state, _ = at_rating(ko, "checkin")
    _, actions = say(state, "이")  # typed: the person chose the keys
    assert [s.rating for s in saves(actions)] == [2]
    _, actions = say(state, "이 점", spoken("이 점"))
    assert [s.rating for s in saves(actions)] == [2]


def test_no_to_the_confirmation_asks_for_the_number_and_links_it(en: PromptPack) -> None:
    state, question = at_rating(en, "checkin")
    state, _ = say(state, "seven", spoken("seven", 0.4, ("seven",)))
    state, actions = say(state, "no", spoken("no"))
    again = last_ask(actions)
    assert saves(actions) == [] and again.text == "What number from 0 to 10 fits best?"
    state, actions = say(state, "eight", spoken("eight"))
    (kept,) = saves(actions)
    assert (kept.prompt, kept.rating, kept.rates) == (again.text, 8, question.text)


def test_a_number_never_made_clear_is_kept_as_words_with_no_rating(en: PromptPack) -> None:
    state, question = at_rating(en, "checkin")
    state, _ = say(state, "seven", spoken("seven", 0.4, ("seven",)))
    state, actions = say(state, "hmm", spoken("hmm"))
    assert last_ask(actions).text == "I heard 7 — is that right?"
    state, actions = say(state, "hmm", spoken("hmm"))
    (kept,) = saves(actions)
    assert (kept.prompt, kept.answer, kept.rating) == (question.text, "seven", None)


def test_skipping_the_confirmation_keeps_the_words_unrated(ko: PromptPack) -> None:
    state, question = at_rating(ko, "checkin")
    state, _ = say(state, "이", spoken("이"))
    state, actions = e.step(state, e.Skipped(2.0))
    (kept,) = saves(list(actions))
    assert (kept.step_id, kept.answer, kept.rating) == (question.step_id, "이", None)


def test_the_summary_quotes_the_correction_not_the_misheard_word(ko: PromptPack) -> None:
    state, _ = at_rating(ko, "checkin")
    state, _ = say(state, "이", spoken("이"))
    state, _ = say(state, "일곱", spoken("일곱"))
    state, actions = e.step(state, e.StopRequested(3.0))
    (summary,) = [a for a in actions if isinstance(a, e.Summarize)]
    assert "“일곱”" in summary.text and "“이”" not in summary.text
