"""Vosk JSON parsing that never trusts the shape it is given (pitfall V8)."""

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
