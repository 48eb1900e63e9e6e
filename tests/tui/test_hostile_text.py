"""Stored text with escape sequences and markup is shown inert on every screen (issue 14)."""

from __future__ import annotations

import asyncio
import re

from textual.app import App
from textual.widgets import DataTable

from tests.tui.doubles import make_harness
from voicereflect.config import Config
from voicereflect.journal.store import Journal
from voicereflect.reflection.packs import load_pack
from voicereflect.tui.app import VoiceReflectApp
from voicereflect.tui.journal_view import JournalAdapter
from voicereflect.tui.screens.insights import InsightsScreen
from voicereflect.tui.screens.journal import JournalScreen
from voicereflect.tui.screens.review import ReviewScreen

ESC = "\x1b"
HOSTILE = f"ESC {ESC}[2J{ESC}]0;PWNED\x07 [bold]loud[/bold] \x9b31m"
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def hostile_adapter() -> JournalAdapter:
    journal = Journal.open()
    at = 1_750_000_000.0
    sid = journal.start_session(f"flow {HOSTILE}", "en", at)
    journal.add_entry(sid, "s", f"prompt {HOSTILE}", f"I want to {HOSTILE} change", at=at + 1)
    journal.tag(sid, f"tag {HOSTILE}")
    journal.set_mood(sid, f"mood {HOSTILE}")
    journal.end_session(sid, at + 2, next_step=f"step {HOSTILE}")
    pack = load_pack("en")
    return JournalAdapter(journal, lambda: pack)


def screen_text(app: App[None]) -> str:
    """What the terminal would be sent for the current screen, as text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def assert_inert(text: str) -> None:
    assert ESC not in text and not CONTROLS.search(text), repr(CONTROLS.findall(text))
    assert "␛[2J" in text  # shown, so the person sees what was stored


def test_escape_sequences_and_markup_in_the_journal_are_shown_inert_on_every_screen() -> None:
    async def scenario() -> None:
        harness = make_harness(journal=hostile_adapter())  # type: ignore[arg-type]
        app = VoiceReflectApp(Config(), harness.services)
        async with app.run_test(size=(200, 50)) as pilot:
            await pilot.pause()
            home = screen_text(app)
            assert_inert(home)
            assert "[bold]loud[/bold]" in home  # markup in a title is text, not style

            await pilot.press("j")
            assert isinstance(app.screen, JournalScreen)
            await pilot.pause()
            listing = screen_text(app)
            assert_inert(listing)
            assert "[bold]loud[/bold]" in listing

            await pilot.press("slash", *"loud", "enter")
            await pilot.pause()
            assert app.screen.query_one(DataTable).row_count == 1
            assert_inert(screen_text(app))

            await pilot.press("o")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            assert_inert(screen_text(app))

            await pilot.press("escape", "escape", "escape")
            app.push_screen(InsightsScreen(app.journal))  # type: ignore[arg-type]
            await pilot.pause()
            assert_inert(screen_text(app))

    asyncio.run(scenario())
