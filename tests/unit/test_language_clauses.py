"""Clauses, negation, attribution, hedges and person, pinned sentence by sentence and
measured against the labelled corpus (tests/data/corpus)."""

from __future__ import annotations

import pytest

from tests import corpus
from voicereflect.reflection.language import clauses, pause_cuts, quote_particle, second_person


def _texts(text: str, lang: str = "en") -> list[str]:
    return [c.text for c in clauses(text, lang)]


def test_dont_think_i_can_keeps_the_negation_in_one_clause() -> None:
    (c,) = clauses("I don't think I can keep doing this job", "en")
    assert c.text == "I don't think I can keep doing this job"
    assert [t.text for t in c.negations] == ["n't"] and c.own and c.person == 1 and c.whole


def test_my_mom_says_i_need_to_stop_belongs_to_my_mom() -> None:
    (c,) = clauses("my mom says i need to stop", "en")
    assert c.owner == "my mom" and not c.own and c.person == 3


def test_i_have_to_be_honest_is_a_marker_not_the_clause() -> None:
    said = "i have to be honest a few beers is the only time my head goes quiet"
    assert _texts(said) == ["a few beers is the only time my head goes quiet"]


def test_and_my_partner_was_starts_a_clause_and_trailing_so_is_dropped() -> None:
    said = "i got home at five and my partner was on the early shift so"
    assert _texts(said) == ["i got home at five", "my partner was on the early shift"]


def test_tired_and_sad_is_one_clause_not_two() -> None:
    assert _texts("im so tired and sad and i dont know what to do") == [
        "im so tired and sad",
        "i dont know what to do",
    ]


def test_at_five_is_a_fragment_not_a_whole_clause() -> None:
    (c,) = clauses("at five", "en")
    assert not c.whole and c.person == 0


def test_i_think_and_maybe_are_hedges() -> None:
    (c,) = clauses("maybe I think I could try", "en")
    assert c.hedges == ("maybe", "I think")


def test_why_do_i_always_is_a_question_in_the_first_person() -> None:
    (c,) = clauses("why do i always end up doing this to myself", "en")
    assert c.question and c.person == 1


def test_a_pause_in_the_word_times_is_a_boundary() -> None:
    said = "the talking part went well people asked good questions"
    timings = [
        ("the", 0.0, 0.1), ("talking", 0.1, 0.5), ("part", 0.5, 0.7), ("went", 0.7, 0.9),
        ("well", 0.9, 1.2), ("people", 2.0, 2.3), ("asked", 2.3, 2.6), ("good", 2.6, 2.8),
        ("questions", 2.8, 3.3),
    ]  # fmt: skip
    assert _texts(said) == [said], "without times there is nothing to cut on"
    assert [c.text for c in clauses(said, "en", timings)] == [
        "the talking part went well",
        "people asked good questions",
    ]


def test_pause_cuts_skip_words_the_person_edited_out() -> None:
    cuts = pause_cuts("hello there", [("hello", 0.0, 0.4), ("um", 0.5, 0.6), ("there", 2.0, 2.2)])
    assert cuts == frozenset({6})


@pytest.mark.parametrize(
    ("said", "back"),
    [
        ("I'm not sure I can do it", "you're not sure you can do it"),
        ("im not sure i can", "you're not sure you can"),
        ("I was so angry at myself", "you were so angry at yourself"),
        ("i wasn't ready", "you weren't ready"),
        ("My mom says I need to stop", "your mom says you need to stop"),
        ("Priya says I need to stop", "Priya says you need to stop"),
        ("people keep telling me i drink too much", "people keep telling you you drink too much"),
        ("ive been trying", "you've been trying"),
    ],
)
def test_second_person_shifts_the_person_and_the_verb_agrees(said: str, back: str) -> None:
    (c,) = clauses(said, "en")
    assert second_person(c, said) == back


def test_korean_negation_stays_with_its_clause() -> None:
    (c,) = clauses("사실 운동하고 싶지 않아요", "ko")
    assert c.text == "사실 운동하고 싶지 않아요" and [t.text for t in c.negations] == ["않"]


def test_korean_quotation_belongs_to_its_teller() -> None:
    (c,) = clauses("엄마가 술 좀 줄이라고 하셨어요", "ko")
    assert c.owner == "엄마" and c.person == 3


def test_korean_contracted_quotation_and_a_topic_teller() -> None:
    (c,) = clauses("친구들은 제가 너무 예민하대요", "ko")
    assert c.owner == "친구들"


def test_korean_i_said_myself_is_my_own() -> None:
    (c,) = clauses("제가 그만 마시자고 했어요", "ko")
    assert c.own and c.person == 1


def test_korean_whether_or_not_is_no_negation() -> None:
    (c, _) = clauses("담배를 끊을지 말지 고민이에요 사실 끊을 수 있을 것 같지는 않아요", "ko")
    assert not c.negated


def test_unpunctuated_korean_splits_into_whole_sentences() -> None:
    said = "오늘 회사에서 너무 피곤했는데 집에 와서 산책을 했어요 그래서 좀 나아졌어요"
    whole = [c.text for c in clauses(said, "ko") if c.whole]
    assert whole == ["산책을 했어요", "좀 나아졌어요"]


@pytest.mark.parametrize(
    ("quote", "particle", "expected"),
    [
        ("운동하고 싶지 않아요", "라고", "라고"),
        ("가족", "라는", "이라는"),
        ("배우고 싶은", "라고", "이라고"),
    ],
)
def test_quote_particle_follows_the_last_syllable(quote: str, particle: str, expected: str) -> None:
    assert quote_particle(quote, particle) == expected


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_corpus_has_enough_realistic_answers(lang: str) -> None:
    answers = corpus.load(lang)
    assert len(answers) >= {"en": 60, "ko": 30}[lang]
    if lang == "en":
        unpunctuated = [a for a in answers if a.text == a.text.lower() and "." not in a.text]
        assert len(unpunctuated) >= 25, "recogniser-style text: no capitals, no punctuation"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_negation_and_owner_agree_with_every_label(lang: str) -> None:
    for a in corpus.load(lang):
        found = clauses(a.text, lang)
        assert {t.lemma for c in found for t in c.negations} == a.negation, a.text
        owners = [c.owner for c in found if c.owner is not None]
        assert (owners[0].lower() if owners else None) == (
            a.owner.lower() if a.owner is not None else None
        ), a.text


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_clause_count_and_person_agree_with_the_labels(lang: str) -> None:
    answers = corpus.load(lang)
    counts = persons = 0
    for a in answers:
        found = clauses(a.text, lang)
        counts += len(found) == a.clauses
        persons += next((c.person for c in found if c.person), 0) == a.person
    # Run-on speech without word times cannot always be cut (one such answer is labelled).
    assert counts / len(answers) >= 0.95
    assert persons / len(answers) >= 0.95
