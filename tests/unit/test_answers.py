"""Spoken and typed ratings, yes/no, skip and turn-ending phrases, in English and Korean."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicereflect.reflection.answers import (
    is_skip,
    matches_command,
    parse_rating,
    parse_yes_no,
    rating_words,
    strip_end_phrase,
)
from voicereflect.reflection.language import preload
from voicereflect.reflection.safety import mentions_risk


@pytest.mark.parametrize(
    ("text", "lang", "scale", "expected"),
    [
        ("seven", "en", 10, 7),
        ("7", "en", 10, 7),
        ("a seven", "en", 10, 7),
        ("about 6", "en", 10, 6),
        ("Maybe a five out of ten.", "en", 10, 5),
        ("zero", "en", 10, 0),
        ("ten", "en", 10, 10),
        ("sixty five", "en", 100, 65),
        ("sixty-five percent", "en", 100, 65),
        ("65%", "en", 100, 65),
        ("a hundred", "en", 100, 100),
        ("7.5", "en", 10, 8),
        ("일곱", "ko", 10, 7),
        ("칠", "ko", 10, 7),
        ("7점", "ko", 10, 7),
        ("칠 점이요", "ko", 10, 7),
        ("네 점", "ko", 10, 4),
        ("열", "ko", 10, 10),
        ("음 한 여섯 정도요", "ko", 10, 6),
        ("육십", "ko", 100, 60),
        ("육십오", "ko", 100, 65),
        ("육십 오", "ko", 100, 65),
        ("예순다섯", "ko", 100, 65),
        ("백", "ko", 100, 100),
        ("80퍼센트", "ko", 100, 80),
    ],
)
def test_rating_is_read_from_words_and_digits(
    text: str, lang: str, scale: int, expected: int
) -> None:
    assert parse_rating(text, lang, scale) == expected


@pytest.mark.parametrize(
    ("text", "lang", "scale"),
    [
        ("eleven", "en", 10),
        ("I really don't know", "en", 10),
        ("", "en", 10),
        ("a hundred and fifty", "en", 100),
        ("네", "ko", 10),  # "yes", not "four", without 점
        ("잘 모르겠어요", "ko", 10),
        ("백오십", "ko", 100),
    ],
)
def test_rating_is_none_when_unsure_or_out_of_range(text: str, lang: str, scale: int) -> None:
    assert parse_rating(text, lang, scale) is None


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("yes", "en", True),
        ("Yeah, sure.", "en", True),
        ("yep", "en", True),
        ("nope", "en", False),
        ("no", "en", False),
        ("I don't think so", "en", False),
        ("not really", "en", False),
        ("yes and no", "en", None),
        ("banana", "en", None),
        ("네", "ko", True),
        ("응 계속할게요", "ko", True),
        ("아니요", "ko", False),
        ("아뇨 괜찮아요", "ko", False),
        ("네가 그랬잖아", "ko", None),  # "네가" is "you", not "yes"
    ],
)
def test_yes_no(text: str, lang: str, expected: bool | None) -> None:
    assert parse_yes_no(text, lang) is expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("skip", "en", True),
        ("Pass.", "en", True),
        ("skip this one", "en", True),
        ("next question", "en", True),
        ("I passed the exam and skipped lunch", "en", False),
        ("넘어가요", "ko", True),
        ("패스", "ko", True),
        ("넘어갈게요", "ko", True),
        ("그 일은 넘어가기 힘들었어요", "ko", False),
        ("", "en", False),
    ],
)
def test_skip(text: str, lang: str, expected: bool) -> None:
    assert is_skip(text, lang) is expected


def test_turn_ending_phrase_is_removed_and_the_words_before_kept() -> None:
    assert strip_end_phrase("I slept badly. I'm done.", ["i'm done", "next"]) == (
        "I slept badly",
        True,
    )
    assert strip_end_phrase("오늘은 피곤했어요 다 했어요", ["다 했어요"]) == (
        "오늘은 피곤했어요",
        True,
    )
    assert strip_end_phrase("the context was next", ["xt"]) == ("the context was next", False)
    assert strip_end_phrase("nothing to end", ["i'm done"]) == ("nothing to end", False)


def test_voice_command_must_be_the_whole_answer() -> None:
    assert matches_command("Repeat.", ["repeat"])
    assert not matches_command("please repeat the part about work", ["repeat"])


@pytest.mark.parametrize(("lang", "scale"), [("en", 10), ("en", 100), ("ko", 10), ("ko", 100)])
def test_rating_grammar_words_are_all_understood(lang: str, scale: int) -> None:
    words = rating_words(lang, scale)
    numbers = [w for w in words if parse_rating(w, lang, scale) is not None]
    assert len(numbers) >= 10
    assert len(words) == len(set(words))


@pytest.fixture(scope="module")
def korean_analyzer_loaded() -> None:
    # Risk reading analyses Korean with Kiwi, loaded once (~1 s): not inside a deadline.
    preload("ko")


@settings(max_examples=200, deadline=2000)
@given(text=st.text(max_size=500), lang=st.sampled_from(["en", "ko", "xx"]))
def test_parsers_never_crash_and_stay_in_range(
    korean_analyzer_loaded: None, text: str, lang: str
) -> None:
    for scale in (10, 100):
        value = parse_rating(text, lang, scale)
        assert value is None or 0 <= value <= scale
    assert parse_yes_no(text, lang) in (True, False, None)
    assert is_skip(text, lang) in (True, False)
    assert mentions_risk(text, lang) in (True, False)
    stripped, ended = strip_end_phrase(text, ["i'm done", "다 했어요"])
    assert len(stripped) <= len(text)
