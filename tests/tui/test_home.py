"""Home: flows to start, last time's next step, recent sessions, and parts status."""

from __future__ import annotations

import asyncio

from textual.message import Message
from textual.widgets import OptionList, Static

from tests.tui.doubles import make_harness, posted
from voicereflect.config import Config
from voicereflect.tui.app import VoiceReflectApp
from voicereflect.tui.screens.home import HomeScreen
from voicereflect.tui.screens.session import SessionScreen
from voicereflect.tui.services import PartStatus


def test_home_shows_next_step_recent_sessions_and_status() -> None:
    async def scenario() -> None:
        harness = make_harness()
        app = VoiceReflectApp(Config(), harness.services)
        async with app.run_test() as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            home = app.screen
            assert isinstance(home, HomeScreen)
            assert "Walk to the park" in str(home.query_one("#next-step", Static).content)
            recent = home.query_one("#recent", OptionList)
            assert recent.option_count == 2
            parts = str(home.query_one("#parts", Static).content)
            assert "microphone" in parts and "VirtualMicrophone" in parts

    asyncio.run(scenario())


def test_choosing_a_flow_posts_start_requested_and_opens_the_session() -> None:
    async def scenario() -> None:
        harness = make_harness()
        app = VoiceReflectApp(Config(), harness.services)
        seen: list[Message] = []
        async with app.run_test(message_hook=seen.append) as pilot:
            await pilot.pause()
            await pilot.press("down", "enter")  # "Just talk" is first, check-in second
            await pilot.pause()
            starts = posted(seen, HomeScreen.StartRequested)
            assert [getattr(m, "flow", "?") for m in starts] == ["checkin"]
            assert isinstance(app.screen, SessionScreen)
            assert harness.sessions and harness.sessions[0].started

    asyncio.run(scenario())


def test_just_talk_key_starts_without_a_flow() -> None:
    async def scenario() -> None:
        harness = make_harness()
        app = VoiceReflectApp(Config(), harness.services)
        seen: list[Message] = []
        async with app.run_test(message_hook=seen.append) as pilot:
            await pilot.press("t")
            await pilot.pause()
            starts = posted(seen, HomeScreen.StartRequested)
            assert [getattr(m, "flow", "?") for m in starts] == [None]

    asyncio.run(scenario())


def test_a_missing_microphone_and_model_are_explained_on_home() -> None:
    async def scenario() -> None:
        parts = [
            PartStatus("microphone", False, "no input device — you can type your answers"),
            PartStatus("model", False, "no speech model — run 'voicereflect models download'"),
        ]
        harness = make_harness(parts=parts)
        app = VoiceReflectApp(Config(), harness.services)
        async with app.run_test() as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            text = str(app.screen.query_one("#parts", Static).content)
            assert "no input device" in text and "no speech model" in text

    asyncio.run(scenario())


def test_flow_from_the_command_line_starts_that_session_at_once() -> None:
    async def scenario() -> None:
        harness = make_harness()
        app = VoiceReflectApp(Config(), harness.services, flow="decision")
        async with app.run_test() as pilot:
            await pilot.pause()
            assert isinstance(app.screen, SessionScreen)
            assert [s.flow for s in harness.sessions] == ["decision"]

    asyncio.run(scenario())


def test_home_is_drawn_before_the_journal_opens_and_says_nothing_false_meanwhile() -> None:
    # Start-up (issue 16): the journal opens after Home's first frame, then fills its lists.
    async def scenario() -> None:
        harness = make_harness()
        app = VoiceReflectApp(Config(), harness.services)
        at_open: list[tuple[bool, bool, bool]] = []

        def open_journal(passphrase: str | None) -> object:
            home = app.screen
            assert isinstance(home, HomeScreen)
            recent = home.query_one("#recent", OptionList)
            no_recent = home.query_one("#no-recent", Static)
            at_open.append((home.is_mounted, recent.display, no_recent.display))
            return harness.journal

        harness.services.open_journal = open_journal  # type: ignore[assignment]
        async with app.run_test() as pilot:
            await pilot.pause()
            assert at_open == [(True, False, False)]  # neither sessions nor "No sessions yet."
            assert app.screen.query_one("#recent", OptionList).option_count == 2

    asyncio.run(scenario())


def test_a_key_that_needs_the_journal_before_it_opened_opens_it_first() -> None:
    async def scenario() -> None:
        harness = make_harness()
        opened: list[str | None] = []

        def open_journal(passphrase: str | None) -> object:
            opened.append(passphrase)
            return harness.journal

        harness.services.open_journal = open_journal  # type: ignore[assignment]
        app = VoiceReflectApp(Config(), harness.services)
        async with app.run_test() as pilot:
            assert opened == []  # Home is up; the journal waits for the first refresh
            app.action_open_journal()
            await pilot.pause()
            assert type(app.screen).__name__ == "JournalScreen"
            await pilot.pause()
            assert opened == [None]  # once, not again after the first frame

    asyncio.run(scenario())
