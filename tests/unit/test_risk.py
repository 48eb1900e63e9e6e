"""The risk reader on a labelled set of real-sounding speech, and the readings that steer it."""

from __future__ import annotations

import pytest

from tests.risk_utterances import (
    EN,
    EN_LAST,
    EN_LATER,
    KO,
    KO_LAST,
    KO_LATER,
    recognised,
    report,
    score,
)
from voicereflect.reflection.risk import assess


@pytest.mark.parametrize(
    ("lang", "data"), [("en", EN + EN_LATER + EN_LAST), ("ko", KO + KO_LATER + KO_LAST)]
)
def test_labelled_set_recall_and_false_alarms(lang: str, data: tuple[tuple[str, str], ...]) -> None:
    s = score(data, lang)
    print(f"\n{lang}: recall {s.recall:.1%} ({s.caught}/{s.positives}), false alarms "
          f"{s.false_alarm_rate:.1%} ({s.false_alarms}/{s.negatives})")  # fmt: skip
    assert s.recall >= 0.95, report()
    assert s.false_alarm_rate <= 0.05, report()
    assert s.check_ins_right >= 0.9 * s.check_ins, report()


def test_the_set_is_big_enough_and_varied() -> None:
    for data, at_least in ((EN + EN_LATER + EN_LAST, 80), (KO + KO_LATER + KO_LAST, 50)):
        labels = [label for label, _ in data]
        assert len(data) >= at_least
        assert {"risk", "none", "third_party", "negated"} <= set(labels)
        assert len({text for _, text in data}) == len(data), "no utterance twice"


def test_recognised_form_has_no_punctuation_or_capitals() -> None:
    assert recognised("I'm not suicidal, just tired.") == "i'm not suicidal just tired"
    assert recognised("i've been self-harming again") == "i've been self harming again"


@pytest.mark.parametrize(
    ("text", "lang", "reading", "family"),
    [
        ("i've been self-harming again", "en", "risk", "self_harm"),
        ("looking up how many pills it would take", "en", "risk", "method"),
        ("I wrote goodbye letters", "en", "risk", "plan"),
        ("I'd rather be dead", "en", "risk", "wish_dead"),
        ("I won't be a burden for much longer", "en", "risk", "wish_dead"),
        ("my friend tried to kill herself", "en", "third_party", "past_behaviour"),
        ("I'm not suicidal, just tired", "en", "negated", "active_thoughts"),
        ("그냥 다 끝내고 싶어요", "ko", "risk", "active_thoughts"),
        ("내가 없어지면 다들 더 편해질 것 같아요", "ko", "risk", "wish_dead"),
        ("동생이 죽고 싶대요", "ko", "third_party", "wish_dead"),
        ("죽고 싶지는 않아요", "ko", "negated", "wish_dead"),
        ("I want to die", "ko", "risk", "wish_dead"),  # English inside a Korean session
        ("요즘 죽고 싶어요", "en", "risk", "wish_dead"),  # and Korean inside an English one
    ],
)
def test_reading_and_family(text: str, lang: str, reading: str, family: str) -> None:
    finding = assess(text, lang)
    assert finding is not None and (finding.reading, finding.family) == (reading, family)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("killing time", "en"),
        ("dying to tell her", "en"),
        ("더워 죽겠어요", "ko"),
        ("배고파 죽겠어요", "ko"),
        ("my dog had an overdose of chocolate", "en"),
        ("At work we had a suicide prevention training. It felt meaningful", "en"),
        ("회사에서 자살 예방 교육을 받았어요", "ko"),
        ("", "en"),
        ("   ", "ko"),
    ],
)
def test_idioms_intensifiers_and_education_are_nothing(text: str, lang: str) -> None:
    assert assess(text, lang) is None


def test_the_persons_own_risk_outranks_a_denial_in_the_same_answer() -> None:
    finding = assess("I'm not suicidal but some nights I hope I don't wake up", "en")
    assert finding is not None and finding.reading == "risk"


def test_a_first_person_statement_counts_even_in_an_education_context() -> None:
    finding = assess("after the prevention training I realised I want to kill myself", "en")
    assert finding is not None and finding.reading == "risk"


def test_cant_stop_thinking_is_not_a_denial() -> None:
    finding = assess("i cant stop thinking about killing myself", "en")
    assert finding is not None and finding.reading == "risk"


def test_a_long_answer_is_read_whole() -> None:
    text = "today was fine and I went to work. " * 300 + "I want to end my life"
    finding = assess(text, "en")
    assert finding is not None and finding.reading == "risk"
