"""The non-directive guard over every text of every pack, and proof that the guard bites."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from voicereflect.reflection.guard import advice_in, check_pack
from voicereflect.reflection.packs import available_languages, load_pack, parse_flow


@pytest.mark.parametrize("lang", available_languages())
def test_every_shipped_text_asks_or_reflects_and_never_advises(lang: str) -> None:
    problems = check_pack(load_pack(lang))
    assert problems == [], "\n".join(f"{p.where}: {p.problem}: {p.text}" for p in problems)


@pytest.mark.parametrize(
    "text",
    [
        "You should go for a walk.",
        "You must tell your boss?",
        "What do you need to do? You need to rest.",
        "The best thing is to sleep early.",
        "Try to relax before bed.",
        "Make sure you drink water.",
        "Don't worry about it.",
        "Take a deep breath. How do you feel?",
        "I suggest talking to her.",
        "Why don't you call your sister?",
        "일찍 자야 해요.",
        "산책을 해 보세요.",
        "걱정하지 마세요.",
        "쉬는 게 좋겠어요.",
    ],
)
def test_advice_and_directives_are_caught(text: str) -> None:
    assert advice_in(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "What would you like to do next?",
        "How did that feel for you?",
        "What might be a next small step for you, if any?",
        "Suppose that tonight a miracle happens. What would you notice?",
        "오늘 기분이 어떠세요?",
        "다음에 해 볼 수 있는 작은 걸음이 있다면 뭐예요?",
    ],
)
def test_open_questions_pass(text: str) -> None:
    assert advice_in(text) is None


def _bad_pack_file(tmp_path: Path) -> Path:
    user = tmp_path / "user" / "en"
    user.mkdir(parents=True)
    (user / "bad.toml").write_text(
        """
id = "bad"
title = "Bad"

[[steps]]
id = "advice"
prompts = ["You should go to bed earlier."]

[[steps]]
id = "statement"
prompts = ["Today was a day."]

[[steps]]
id = "fine"
prompts = ["What stood out today?"]
""",
        encoding="utf-8",
    )
    return tmp_path / "user"


def test_guard_fails_on_a_bad_pack(tmp_path: Path) -> None:
    user = _bad_pack_file(tmp_path)
    pack = load_pack("en")
    bad = parse_flow(tomllib.loads((user / "en" / "bad.toml").read_text()), Path("en/bad.toml"))
    problems = check_pack(dataclasses.replace(pack, flows=(*pack.flows, bad)))
    where: dict[str, str] = {}
    for p in problems:
        where[p.where] = where.get(p.where, "") + p.problem
    assert "gives advice" in where["en/bad.toml: steps.advice.prompts[0]"]
    assert "neither a question nor a reflection" in where["en/bad.toml: steps.statement.prompts[0]"]
    assert not any("steps.fine" in w for w in where), "the open question is not flagged"


def test_guard_checks_language_frame_texts_too() -> None:
    pack = load_pack("en")
    frames = dataclasses.replace(pack.language.reflections, simple=("So you feel tired.",))
    language = dataclasses.replace(
        pack.language,
        reflections=frames,  # a paraphrase, not the person's words
        nudge="You should take a break now.",
    )
    problems = check_pack(dataclasses.replace(pack, language=language))
    assert any(p.where.endswith("reflections.simple[0]") for p in problems)
    assert any(p.where.endswith("session.nudge") for p in problems)


def test_a_users_flow_that_gives_advice_is_named_and_skipped_the_others_still_work(
    tmp_path: Path,
) -> None:
    pack = load_pack("en", user_dir=_bad_pack_file(tmp_path))
    assert "bad" not in [f.id for f in pack.flows] and "checkin" in [f.id for f in pack.flows]
    (skipped,) = pack.skipped
    assert "bad.toml" in skipped and "gives advice" in skipped and "should" in skipped
