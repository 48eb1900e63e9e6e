"""The app in the person's language, keys that do only what they say, a first run that cannot
hang, and footers whole at 80×24."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static
from textual.widgets._footer import FooterKey

from tests.tui.doubles import FakeSession, make_harness
from voicereflect.config import Config, replace_setting
from voicereflect.session import events as ev
from voicereflect.speech.download import CatalogueUnreachable
from voicereflect.tui.app import VoiceReflectApp
from voicereflect.tui.screens.first_run import FirstRunScreen
from voicereflect.tui.screens.home import HomeScreen
from voicereflect.tui.screens.session import SessionScreen
from voicereflect.tui.screens.settings import SettingsScreen

SIZE = (80, 24)


def _korean() -> Config:
    return replace_setting(Config(), "speech", language="ko")


def _footer(app: VoiceReflectApp) -> list[str]:
    return [
        f"{key.key_display} {key.description}".strip()
        for key in app.screen.query(FooterKey)
        if key.display
    ]


def _keys_fit(app: VoiceReflectApp) -> None:
    width = app.size.width
    keys = [k for k in app.screen.query(FooterKey) if k.display]
    assert keys
    for key in keys:
        region = key.region
        assert region.width > 0 and region.right <= width, f"cut: {key.description!r}"
        shown = len(key.key_display) + 1 + _cells(key.description)
        assert region.width >= shown, f"cut: {key.description!r}"


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


async def _to(pilot: Pilot[Any], *keys: str) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


async def _session(pilot: Pilot[Any]) -> tuple[SessionScreen, FakeSession]:
    """Start the check-in from Home; the test plays the runner through the fake."""
    await _to(pilot, "down", "enter")
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    session = screen.session
    assert isinstance(session, FakeSession)
    return screen, session


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize(
    "keys", [(), ("j",), ("i",), ("s",), ("down", "enter"), ("j", "o")], ids=str
)
def test_every_footer_key_is_whole_at_80x24(language: str, keys: tuple[str, ...]) -> None:
    async def scenario() -> None:
        config = replace_setting(Config(), "speech", language=language)
        app = VoiceReflectApp(config, make_harness().services)
        async with app.run_test(size=SIZE) as pilot:
            await _to(pilot, *keys)
            _keys_fit(app)

    asyncio.run(scenario())


def test_first_run_footer_is_whole_at_80x24_in_korean() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(_korean(), make_harness(first_run=True).services)
        async with app.run_test(size=SIZE) as pilot:
            await _to(pilot)
            assert isinstance(app.screen, FirstRunScreen)
            _keys_fit(app)

    asyncio.run(scenario())


def test_a_korean_home_shows_korean_words_and_keys() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(_korean(), make_harness().services)
        async with app.run_test(size=SIZE) as pilot:
            await _to(pilot)
            assert isinstance(app.screen, HomeScreen)
            assert "t 그냥 이야기하기" in _footer(app)
            titles = [str(label.content) for label in app.screen.query(".title").results(Label)]
            assert titles[:1] == ["돌아보기 시작"]

    asyncio.run(scenario())


def test_t_opens_the_text_box_without_typing_a_t_and_typing_hides_the_letter_keys() -> None:
    async def scenario() -> None:
        harness = make_harness()
        app = VoiceReflectApp(Config(), harness.services)
        async with app.run_test(size=SIZE) as pilot:
            screen, session = await _session(pilot)
            session.emit(ev.QuestionAsked("What stood out?", "stood_out"))
            session.emit(ev.StateChanged(ev.SessionState.LISTENING))
            await pilot.pause()
            assert "t Type" in _footer(app)
            await pilot.press("t")
            await pilot.pause()
            typed = screen.query_one("#typed", Input)
            assert typed.has_focus and typed.value == ""
            await pilot.pause()
            footer = _footer(app)
            assert "t Type" not in footer and "r Repeat" not in footer
            await pilot.press(*"tea")
            assert typed.value == "tea"

    asyncio.run(scenario())


def test_with_no_model_the_footer_does_not_offer_t_while_the_box_is_open() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(Config(), make_harness().services)
        async with app.run_test(size=SIZE) as pilot:
            screen, session = await _session(pilot)
            session.emit(ev.StateChanged(ev.SessionState.TYPING))
            await pilot.pause()
            await pilot.pause()
            assert screen.query_one("#typed", Input).has_focus
            assert not any(k.startswith("t ") for k in _footer(app))

    asyncio.run(scenario())


def test_a_notice_is_cleared_when_the_next_answer_ends() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(Config(), make_harness().services)
        async with app.run_test(size=SIZE) as pilot:
            screen, session = await _session(pilot)
            session.emit(ev.ModelReady(0.4))
            await pilot.pause()
            notice = screen.query_one("#notice", Static)
            assert str(notice.content) == "Listening is ready."
            session.emit(ev.QuestionAsked("What stood out?", "stood_out"))
            await pilot.pause()
            assert str(notice.content) == "Listening is ready."  # still true, still shown
            session.emit(ev.AnswerFinished("The garden.", "stood_out", "key"))
            await pilot.pause()
            assert str(notice.content) == ""

    asyncio.run(scenario())


def test_first_run_starts_with_focus_on_the_language() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(Config(), make_harness(first_run=True).services)
        async with app.run_test(size=SIZE) as pilot:
            await _to(pilot)
            assert isinstance(app.screen, FirstRunScreen)
            assert app.focused is app.screen.query_one("#language", Select)
            await pilot.press("enter")  # opens the language list at once
            await pilot.pause()
            assert app.screen.query_one("#language", Select).expanded

    asyncio.run(scenario())


def test_a_failed_download_stops_the_bar_says_why_on_screen_and_offers_retry_and_a_zip() -> None:
    def offline(name: str, progress: object) -> str:
        raise CatalogueUnreachable()

    async def scenario() -> None:
        harness = make_harness(first_run=True)
        services = dataclasses.replace(harness.services, download_model=offline)
        app = VoiceReflectApp(Config(), services)
        async with app.run_test(size=SIZE) as pilot:
            await _to(pilot)
            screen = app.screen
            assert isinstance(screen, FirstRunScreen)
            screen.query_one("#download-choice", Select).value = "vosk-model-small-en-us-0.15"
            await pilot.pause()
            screen.query_one("#download", Button).press()
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert not screen.query_one("#progress", ProgressBar).display
            status = screen.query_one("#download-status", Static)
            assert "offline?" in str(status.content)
            assert status.region.bottom <= SIZE[1] and status.region.height > 0  # on screen
            assert screen.query_one("#retry", Button).display
            assert screen.query_one("#add-zip", Button).display
            assert app.focused is screen.query_one("#retry", Button)
            assert any("offline?" in n.message for n in app._notifications)
            await pilot.press("enter")  # Retry: tried again, failed again, still not stuck
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert not screen.query_one("#progress", ProgressBar).display
            screen.query_one("#add-zip", Button).press()
            await pilot.pause()
            assert app.focused is screen.query_one("#add-path", Input)

    asyncio.run(scenario())


def test_the_passphrase_is_typed_twice_and_can_be_shown() -> None:
    async def scenario() -> None:
        harness = make_harness(first_run=True)
        app = VoiceReflectApp(Config(), harness.services)
        async with app.run_test(size=SIZE) as pilot:
            await _to(pilot)
            screen = app.screen
            assert isinstance(screen, FirstRunScreen)
            first = screen.query_one("#passphrase", Input)
            again = screen.query_one("#passphrase-again", Input)
            first.value, again.value = "river stone", "river stones"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert harness.passphrases == [] and isinstance(app.screen, FirstRunScreen)
            assert "not the same" in str(screen.query_one("#passphrase-status", Static).content)
            assert first.password and again.password
            screen.query_one("#reveal").toggle()  # type: ignore[attr-defined]
            await pilot.pause()
            assert not first.password and not again.password
            again.value = "river stone"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert harness.passphrases == [(None, "river stone")]

    asyncio.run(scenario())


def test_switching_language_in_settings_says_what_is_missing_then_applies_it() -> None:
    async def scenario() -> None:
        harness = make_harness()
        app = VoiceReflectApp(_korean(), harness.services)
        async with app.run_test(size=(100, 40)) as pilot:
            await _to(pilot, "s")
            screen = app.screen
            assert isinstance(screen, SettingsScreen)
            screen.query_one("#language", Select).value = "en"
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.pause()
            assert [c.speech.language for c in harness.saved_configs] == ["en"]
            notes = [n.message for n in app._notifications]
            assert any("No speech model for English" in n for n in notes), notes
            assert isinstance(app.screen, HomeScreen)
            assert "t Just talk" in _footer(app)
            flows = app.screen.query_one("#flows")
            assert "Daily check-in" in str(flows.get_option_at_index(1).prompt)  # type: ignore[attr-defined]

    asyncio.run(scenario())
