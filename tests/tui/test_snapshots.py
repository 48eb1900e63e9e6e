"""Snapshots at 80×24 in English and Korean (Home, Session mid-answer, First run, Insights,
Journal), synthetic text only; and every footer key whole at that size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.doubles import FakeSession, make_harness
from voicereflect.config import Config, replace_setting
from voicereflect.session import events as ev
from voicereflect.tui.app import VoiceReflectApp

SIZE = (80, 24)
SnapCompare = Callable[..., bool]
LANGUAGES = ["en", "ko"]
# The Session snapshot's synthetic question and answers, in each language.
SESSION_TEXT = {
    "en": (
        "How are you feeling today, in a few words?",
        "Tired but hopeful about the garden.",
        "What stood out for you today?",
        "the tomatoes finally came",
    ),
    "ko": (
        "오늘 기분은 어떠세요? 몇 마디로 말해 주세요.",
        "피곤하지만 정원 때문에 기대돼요.",
        "오늘 가장 기억에 남는 건 뭐예요?",
        "드디어 토마토가 열렸어요",
    ),
}


class FrozenClock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def _config(language: str) -> Config:
    return replace_setting(Config(), "speech", language=language)


async def _settled(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("language", LANGUAGES)
def test_home(snap_compare: SnapCompare, language: str) -> None:
    app = VoiceReflectApp(_config(language), make_harness().services)
    assert snap_compare(app, terminal_size=SIZE, run_before=_settled)


@pytest.mark.parametrize("language", LANGUAGES)
def test_session_mid_answer(snap_compare: SnapCompare, language: str) -> None:
    clock = FrozenClock()
    app = VoiceReflectApp(_config(language), make_harness(level=0.2).services, monotonic=clock)
    first, answer, second, partial = SESSION_TEXT[language]

    async def mid_answer(pilot: Pilot[Any]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("down", "enter")  # the check-in
        await pilot.pause()
        session = pilot.app.screen.session  # type: ignore[attr-defined]
        assert isinstance(session, FakeSession)
        session.emit(
            ev.QuestionAsked(first, "feeling"),
            ev.StateChanged(ev.SessionState.LISTENING),
            ev.AnswerFinished(answer, "feeling", "key"),
            ev.Saved(1, "feeling"),
            ev.QuestionAsked(second, "stood_out"),
            ev.StateChanged(ev.SessionState.LISTENING),
            ev.PartialText(partial),
        )
        clock.now += 83
        pilot.app.screen._tick()  # type: ignore[attr-defined]
        pilot.app.screen.query_one("LevelMeter").poll()  # type: ignore[attr-defined]
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=mid_answer)


@pytest.mark.parametrize("language", LANGUAGES)
def test_first_run(snap_compare: SnapCompare, language: str) -> None:
    app = VoiceReflectApp(_config(language), make_harness(first_run=True).services)
    assert snap_compare(app, terminal_size=SIZE, run_before=_settled)


async def _insights(pilot: Pilot[Any]) -> None:
    await _settled(pilot)
    await pilot.press("i")
    await pilot.pause()


@pytest.mark.parametrize("language", LANGUAGES)
def test_insights(snap_compare: SnapCompare, language: str) -> None:
    app = VoiceReflectApp(_config(language), make_harness().services)
    assert snap_compare(app, terminal_size=SIZE, run_before=_insights)


def test_insights_light(snap_compare: SnapCompare) -> None:
    config = replace_setting(_config("en"), "ui", theme="textual-light")
    app = VoiceReflectApp(config, make_harness().services)
    assert snap_compare(app, terminal_size=SIZE, run_before=_insights)


def test_journal(snap_compare: SnapCompare) -> None:
    app = VoiceReflectApp(Config(), make_harness().services)

    async def journal(pilot: Pilot[Any]) -> None:
        await _settled(pilot)
        await pilot.press("j")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=journal)
