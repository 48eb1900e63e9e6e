"""The language layer's tokens and terms on messy, spoken-style English and Korean."""

from __future__ import annotations

import pytest

from voicereflect.reflection.language import terms, tokens


def _lemmas(text: str, lang: str = "en") -> list[str]:
    return [t.lemma for t in tokens(text, lang)]


def test_dont_splits_so_the_negation_is_its_own_token() -> None:
    toks = tokens("i don't think i can keep doing this job", "en")
    assert [(t.text, t.tag) for t in toks[:3]] == [("i", "PRON"), ("do", "AUX"), ("n't", "NEG")]


@pytest.mark.parametrize("typed", ["i dont think so", "i do not think so", "I don’t think so"])
def test_every_spelling_of_dont_has_the_same_lemmas(typed: str) -> None:
    assert _lemmas(typed) == ["i", "do", "not", "think", "so"]


def test_self_harming_has_the_lemma_harm_after_the_hyphen() -> None:
    assert terms("ive been self-harming again", "en") == (
        "i", "have", "be", "self", "harm", "again",
    )  # fmt: skip


def test_walked_and_pills_reduce_to_walk_and_pill() -> None:
    assert terms("walked to the shop for my pills", "en") == (
        "walk", "to", "the", "shop", "for", "my", "pill",
    )  # fmt: skip


def test_spoken_fusions_split_into_their_words() -> None:
    assert _lemmas("im gonna quit cause i wanna sleep") == [
        "i", "be", "go", "to", "quit", "cause", "i", "want", "to", "sleep",
    ]  # fmt: skip


def test_spans_point_back_at_the_persons_own_words() -> None:
    text = "My mom says I can't, honestly."
    for t in tokens(text, "en"):
        assert text[t.start : t.end] == t.text
    assert [t.text for t in tokens(text, "en")][4:] == ["ca", "n't", ",", "honestly", "."]


def test_korean_nouns_are_found_under_any_particle() -> None:
    assert terms("동생이랑 사과하고 대학원에 가서 공부를 했어요", "ko")[:4] == (
        "동생", "사과", "대학원", "가",
    )  # fmt: skip
    assert "공부" in terms("대학원에 가서 공부를 했어요", "ko")


def test_korean_negation_morphemes_are_kept_in_the_tokens() -> None:
    tags = [(t.lemma, t.tag) for t in tokens("사실 운동하고 싶지 않아요", "ko")]
    assert ("싶", "VX") in tags and ("않", "VX") in tags


def test_korean_spans_cover_the_surface_of_each_morpheme() -> None:
    text = "엄마가 그만두라고 하셨어요"
    first = tokens(text, "ko")[0]
    assert (first.lemma, first.tag, text[first.start : first.end]) == ("엄마", "NNG", "엄마")


def test_empty_and_blank_text_have_no_tokens() -> None:
    assert tokens("", "ko") == () and tokens("   ", "en") == ()
