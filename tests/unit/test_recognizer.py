"""Grammar presets and Vosk JSON parsing that never trusts the shape it is given (pitfall V8)."""

from __future__ import annotations

import json

import pytest

from voicereflect.protocols import Word
from voicereflect.speech import recognizer as rec


@pytest.mark.parametrize("raw", ["", "not json", "[1, 2]", "null", '{"text": 5}'])
def test_malformed_results_give_no_text_instead_of_raising(raw: str) -> None:
    data = rec._loads(raw)
    assert rec._text_of(data) == ""
    assert rec._words_of(data, 0.0) == ()


def test_alternatives_shape_uses_the_best_alternative() -> None:
    raw = json.dumps(
        {"alternatives": [{"text": "i am here", "confidence": 0.9}, {"text": "i'm here"}]}
    )
    assert rec._text_of(rec._loads(raw)) == "i am here"


def test_words_are_put_on_the_stream_clock_and_bad_items_skipped() -> None:
    raw = json.dumps(
        {
            "result": [
                {"word": "hello", "start": 0.5, "end": 0.9, "conf": 0.8},
                {"word": 3},
                "junk",
                {"word": "there", "start": "x", "end": 1.2},
                {"word": "you", "start": 1.0, "end": 1.3},
            ],
            "text": "hello there you",
        }
    )
    assert rec._words_of(rec._loads(raw), 10.0) == (
        Word("hello", 10.5, 10.9, 0.8),
        Word("you", 11.0, 11.3, 1.0),
    )


def test_kaldi_markers_are_not_words() -> None:
    assert rec._text_of({"text": "[unk] seven [5]"}) == "seven"
    assert rec._text_of({"partial": " [unk] "}, "partial") == ""


@pytest.mark.parametrize("language", ["en", "en-us", "ko"])
def test_every_preset_lets_a_person_skip(language: str) -> None:
    skip = rec.grammar_preset("skip", language)
    for kind in ("rating", "yes_no"):
        assert set(skip) <= set(rec.grammar_preset(kind, language))


def test_ratings_cover_zero_to_ten_in_each_language() -> None:
    for language in ("en", "ko"):
        assert set(rec.RATINGS[language].values()) == set(range(11))
    assert rec.parse_rating("seven", "en") == 7
    assert rec.parse_rating("일곱", "ko") == 7
    assert rec.parse_rating("열", "ko") == 10
    assert rec.parse_rating("10", "en") == 10
    assert rec.parse_rating("skip", "en") is None


def test_yes_no_parsing() -> None:
    assert rec.parse_yes_no("yes", "en") is True
    assert rec.parse_yes_no("not really", "en") is False
    assert rec.parse_yes_no("아니요", "ko") is False
    assert rec.parse_yes_no("네", "ko") is True
    assert rec.parse_yes_no("skip", "en") is None


def test_unknown_preset_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown grammar preset"):
        rec.grammar_preset("colours", "en")
