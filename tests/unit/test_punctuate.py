"""English transcripts get sentence capitals, "I" and full stops; other languages stay as said."""

from __future__ import annotations

import pytest

from voicereflect.speech.punctuate import punctuate, punctuate_en


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("i think i'm ready", "I think I'm ready."),
        (
            "i've tried and i'd do it again but i'll rest",
            "I've tried and I'd do it again but I'll rest.",
        ),
        ("it is still in the list", "It is still in the list."),
        ("hello. is it time? yes i guess", "Hello. Is it time? Yes I guess."),
        ("  spaced   out  words ", "Spaced out words."),
        ("already done!", "Already done!"),
        ("", ""),
    ],
)
def test_punctuate_en_capitalises_sentences_and_i_and_ends_with_a_stop(
    raw: str, expected: str
) -> None:
    assert punctuate_en(raw) == expected


def test_words_containing_i_are_not_capitalised() -> None:
    assert punctuate_en("if it is mine") == "If it is mine."


def test_other_languages_are_untouched() -> None:
    assert punctuate("오늘 은 좋아요", "ko") == "오늘 은 좋아요"
    assert punctuate("i am here", "en-us") == "I am here."
