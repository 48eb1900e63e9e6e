"""Snapshots of Home, Session (mid-answer) and Journal at 100×30, synthetic text only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from tests.tui.doubles import FakeSession, make_harness
from voicereflect.config import Config
from voicereflect.session import events as ev
from voicereflect.tui.app import VoiceReflectApp

SIZE = (100, 30)
SnapCompare = Callable[..., bool]


class FrozenClock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def test_home(snap_compare: SnapCompare) -> None:
    app = VoiceReflectApp(Config(), make_harness().services)

    async def ready(pilot: Pilot[Any]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_session_mid_answer(snap_compare: SnapCompare) -> None:
    clock = FrozenClock()
    app = VoiceReflectApp(Config(), make_harness(level=0.2).services, monotonic=clock)

    async def mid_answer(pilot: Pilot[Any]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("down", "enter")  # the check-in
        await pilot.pause()
        session = pilot.app.screen.session  # type: ignore[attr-defined]
        assert isinstance(session, FakeSession)
        session.emit(
            ev.QuestionAsked("How are you feeling today, in a few words?", "feeling"),
            ev.StateChanged(ev.SessionState.LISTENING),
            ev.AnswerFinished("Tired but hopeful about the garden.", "feeling", "key"),
            ev.Saved(1, "feeling"),
            ev.QuestionAsked("What stood out for you today?", "stood_out"),
            ev.StateChanged(ev.SessionState.LISTENING),
            ev.PartialText("the tomatoes finally came"),
        )
        clock.now += 83
        pilot.app.screen._tick()  # type: ignore[attr-defined]
        pilot.app.screen.query_one("LevelMeter").poll()  # type: ignore[attr-defined]
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=mid_answer)


def test_journal(snap_compare: SnapCompare) -> None:
    app = VoiceReflectApp(Config(), make_harness().services)

    async def journal(pilot: Pilot[Any]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("j")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=journal)
