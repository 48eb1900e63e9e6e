"""The next small step from last session opens the next one, in the person's words."""

from __future__ import annotations

import pytest

from voicereflect.reflection import engine as e
from voicereflect.reflection.continuity import opening_for, second_person
from voicereflect.reflection.packs import load_pack


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("I'll call my sister on Sunday", "call your sister on Sunday"),
        ("I will go to bed before midnight", "go to bed before midnight"),
        ("I'm going to ask my manager about it", "ask your manager about it"),
        ("Maybe I could write to my old teacher.", "write to your old teacher"),
        ("I want to tidy my desk myself", "tidy your desk yourself"),
    ],
)
def test_first_person_becomes_second_person(said: str, expected: str) -> None:
    assert second_person(said) == expected


@pytest.mark.parametrize(
    "said",
    ["walk more", "ask you about it later", "", "Sunday: call mum", "I " + "very " * 40 + "much"],
)
def test_unsafe_rewrites_are_refused(said: str) -> None:
    assert second_person(said) is None


def test_opening_in_english_speaks_to_the_person() -> None:
    text = opening_for("I'll call my sister on Sunday", "en")
    assert text == "Last time you said you'd call your sister on Sunday. How did that go?"


def test_opening_quotes_when_it_cannot_rewrite_safely() -> None:
    text = opening_for("walk more, maybe", "en")
    assert text == "Last time, your next small step was “walk more, maybe”. How did that go?"


def test_opening_in_korean_quotes_the_persons_words() -> None:
    text = opening_for("내일 언니한테 전화할게요", "ko")
    assert text is not None and "“내일 언니한테 전화할게요”" in text and text.endswith("?")


def test_no_previous_step_means_no_opening() -> None:
    assert opening_for(None, "en") is None
    assert opening_for("   ", "en") is None


def test_session_opens_with_last_step_then_the_flow() -> None:
    pack = load_pack("en")
    state, actions = e.start(pack, "checkin", at=0.0, previous_next_step="I'll rest on Saturday")
    assert actions == (
        e.Ask(
            e.CONTINUITY_STEP, "Last time you said you'd rest on Saturday. How did that go?", "text"
        ),
    )
    state, actions = e.step(state, e.AnswerGiven("I did, and it helped a lot", 1.0))
    assert actions[0] == e.SaveAnswer(
        e.CONTINUITY_STEP, actions[0].prompt, "I did, and it helped a lot"
    )  # type: ignore[union-attr]
    assert isinstance(actions[-1], e.Ask) and actions[-1].step_id == "feeling"


def test_next_small_step_is_available_for_the_next_session() -> None:
    pack = load_pack("en")
    state, _ = e.start(pack, "values", at=0.0, nudge_minutes=0)
    while state.step is not None and state.step.id != "small_choice":
        kind = state.step.kind
        said = "six" if kind == "rating0_10" else "that is what I keep coming back to most days"
        state, _ = e.step(state, e.AnswerGiven(said, 1.0))
    state, _ = e.step(state, e.AnswerGiven("I'll leave work at five on Thursday", 2.0))
    assert state.next_small_step == "I'll leave work at five on Thursday"
    opening = opening_for(state.next_small_step, pack.language)
    assert opening == "Last time you said you'd leave work at five on Thursday. How did that go?"
