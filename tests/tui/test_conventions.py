"""App-wide conventions: help, support, palette without Screenshot, crash privacy, fd 2."""

from __future__ import annotations

import asyncio
import os
import stat
import sys
from pathlib import Path

import pytest
from textual.widgets import Markdown, Static

from tests.tui.doubles import make_harness
from voicereflect import paths
from voicereflect.config import Config
from voicereflect.tui.app import VoiceReflectApp, crash_report
from voicereflect.tui.screens.help import HelpScreen
from voicereflect.tui.screens.home import HomeScreen
from voicereflect.tui.screens.support import SupportScreen
from voicereflect.tui.stderr import stderr_to_log

CANARY = "canary-7f3a-my-private-words"


def test_f1_help_and_f2_support_work_on_every_screen() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(Config(), make_harness().services)
        async with app.run_test() as pilot:
            for key in ["j", "i", "s", "t"]:  # journal, insights, settings, session
                await pilot.press("escape") if not isinstance(app.screen, HomeScreen) else None
                await pilot.press(key)
                await pilot.press("f1")
                assert isinstance(app.screen, HelpScreen)
                assert app.screen.query_one(Markdown)
                await pilot.press("escape", "f2")
                assert isinstance(app.screen, SupportScreen)
                texts = " ".join(str(s.content) for s in app.screen.query(Static))
                assert "Crisis line: call 000-000 (any time)" in texts
                await pilot.press("escape")
                while not isinstance(app.screen, HomeScreen):
                    app.pop_screen()
                    await pilot.pause()

    asyncio.run(scenario())


def test_palette_has_app_commands_and_no_screenshot() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(Config(), make_harness().services)
        async with app.run_test() as pilot:
            await pilot.pause()
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert "Screenshot" not in titles
            for wanted in [
                "Journal",
                "Insights",
                "Settings",
                "Support",
                "Help",
                "Quit",
                "Start: Daily check-in",
                "Light / dark",
            ]:
                assert wanted in titles
            await pilot.press("ctrl+p")
            await pilot.press(*"screensh")
            await pilot.pause()
            shown = " ".join(str(s.content) for s in app.screen.query(Static))
            assert "Save an SVG" not in shown

    asyncio.run(scenario())


def test_light_dark_command_switches_theme() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(Config(), make_harness().services)
        async with app.run_test() as pilot:
            assert app.theme == "textual-dark"
            app.action_toggle_dark()
            await pilot.pause()
            assert app.theme == "textual-light"

    asyncio.run(scenario())


def test_a_crash_never_shows_locals_or_the_exception_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    class Boom(HomeScreen):
        def action_just_talk(self) -> None:
            transcript = CANARY  # a local, as transcript text would be
            raise ValueError(f"bad answer {transcript}")

    async def scenario() -> None:
        harness = make_harness()
        app = VoiceReflectApp(Config(), harness.services)
        app.get_default_screen = lambda: Boom([], [], [], None)  # type: ignore[method-assign]
        try:
            async with app.run_test() as pilot:
                await pilot.press("t")
                await pilot.pause()
        except ValueError:
            pass  # run_test re-raises the app's exception for the test framework

    asyncio.run(scenario())
    rendered = capsys.readouterr().err  # what Textual printed on its way out
    assert "ValueError" in rendered and "action_just_talk" in rendered
    assert CANARY not in rendered


def test_crash_report_without_an_exception_is_just_the_note() -> None:
    assert "bug" in crash_report(None).plain


def test_fd2_goes_to_a_private_log_and_comes_back(tmp_path: Path) -> None:
    before = os.fstat(2)
    original = sys.__stderr__
    with stderr_to_log() as log:
        os.write(2, b"ALSA lib pcm.c: noise from native code\n")
        assert log == paths.log_path()
        # Textual draws on sys.__stderr__: it must still reach the terminal, not the log.
        drawn_on = os.fstat(sys.__stderr__.fileno())  # type: ignore[union-attr]
        assert (drawn_on.st_dev, drawn_on.st_ino) == (before.st_dev, before.st_ino)
    assert sys.__stderr__ is original
    after = os.fstat(2)
    assert (before.st_dev, before.st_ino) == (after.st_dev, after.st_ino)
    assert b"noise from native code" in log.read_bytes()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_a_locked_journal_asks_for_the_passphrase_and_retries_a_wrong_one() -> None:
    from voicereflect.journal.errors import PassphraseRequired, WrongPassphrase
    from voicereflect.tui.screens.session import SessionScreen
    from voicereflect.tui.screens.unlock import UnlockScreen

    harness = make_harness()
    tried: list[str | None] = []

    def open_journal(passphrase: str | None) -> object:
        tried.append(passphrase)
        if passphrase is None:
            raise PassphraseRequired(paths.journal_path())
        if passphrase != "open sesame":
            raise WrongPassphrase()
        return harness.journal

    harness.services.open_journal = open_journal  # type: ignore[assignment]

    async def scenario() -> None:
        app = VoiceReflectApp(Config(), harness.services, flow="checkin")
        async with app.run_test() as pilot:
            await pilot.pause()
            assert isinstance(app.screen, UnlockScreen)
            assert not harness.sessions  # `--flow` waits until the journal is open
            await pilot.press(*"guess", "enter")
            await pilot.pause()
            assert isinstance(app.screen, UnlockScreen)
            assert "does not open" in str(app.screen.query_one("#unlock-problem", Static).content)
            await pilot.press(*"open sesame", "enter")
            await pilot.pause()
            assert isinstance(app.screen, SessionScreen)
            assert app.journal is harness.journal and len(harness.sessions) == 1

    asyncio.run(scenario())
    assert tried == [None, "guess", "open sesame"]
