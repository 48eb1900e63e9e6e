"""Settings save through replace_setting/save_config; First run sets everything up."""

from __future__ import annotations

import asyncio

from textual.message import Message
from textual.widgets import Input, Label, OptionList, ProgressBar, Select, Static, Switch

from tests.tui.doubles import make_harness, posted
from voicereflect.config import Config, replace_setting
from voicereflect.tui.app import VoiceReflectApp
from voicereflect.tui.screens.first_run import FirstRunScreen
from voicereflect.tui.screens.home import HomeScreen
from voicereflect.tui.screens.settings import SettingsScreen
from voicereflect.tui.widgets.level_meter import LevelMeter


def test_settings_save_every_field_and_apply_the_theme() -> None:
    async def scenario() -> None:
        harness = make_harness()
        app = VoiceReflectApp(Config(), harness.services)
        seen: list[Message] = []
        async with app.run_test(size=(100, 40), message_hook=seen.append) as pilot:
            await pilot.press("s")
            screen = app.screen
            assert isinstance(screen, SettingsScreen)
            screen.query_one("#voice", Select).value = "en-gb"
            screen.query_one("#rate", Input).value = "140"
            screen.query_one("#volume", Input).value = "0.6"
            screen.query_one("#mic", Select).value = "VirtualMicrophone"
            screen.query_one("#pause", Input).value = "6"
            screen.query_one("#keep-audio", Switch).value = True
            screen.query_one("#cues", Switch).value = False
            screen.query_one("#dark", Switch).value = False
            await pilot.press("ctrl+s")
            await pilot.pause()
            [saved] = harness.saved_configs
            assert (saved.voice.voice, saved.voice.rate, saved.voice.volume) == ("en-gb", 140, 0.6)
            assert saved.audio.input_device == "VirtualMicrophone"
            assert saved.speech.pause_seconds == 6.0
            assert saved.audio.keep_audio and not saved.audio.sound_cues
            assert saved.ui.theme == "textual-light"
            assert posted(seen, SettingsScreen.Saved)
            assert app.theme == "textual-light" and app.config == saved

    asyncio.run(scenario())


def test_settings_passphrase_change_clears_the_fields() -> None:
    async def scenario() -> None:
        harness = make_harness()
        app = VoiceReflectApp(Config(), harness.services)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.press("s")
            screen = app.screen
            screen.query_one("#new-pass", Input).value = "correct horse"
            screen._change_passphrase()  # type: ignore[attr-defined]
            await pilot.pause()
            assert harness.passphrases == [(None, "correct horse")]
            assert screen.query_one("#new-pass", Input).value == ""
            assert "changed" in str(screen.query_one("#settings-status", Static).content)

    asyncio.run(scenario())


def test_first_run_downloads_tests_mic_plays_voice_and_saves() -> None:
    async def scenario() -> None:
        harness = make_harness(first_run=True)
        app = VoiceReflectApp(Config(), harness.services)
        seen: list[Message] = []
        async with app.run_test(size=(100, 50), message_hook=seen.append) as pilot:
            screen = app.screen
            assert isinstance(screen, FirstRunScreen)
            assert "No speech model yet" in str(screen.query_one("#models", Static).content)

            screen.query_one("#download-choice", Select).value = "vosk-model-small-en-us-0.15"
            screen._download()  # type: ignore[attr-defined]
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert harness.downloads == ["vosk-model-small-en-us-0.15"]
            bar = screen.query_one(ProgressBar)
            assert bar.total == 100 and bar.progress == 100
            assert "Installed vosk-model-small-en-us-0.15" in str(
                screen.query_one("#download-status", Static).content
            )

            screen._toggle_mic()  # type: ignore[attr-defined]
            meter = screen.query_one("#mic-level", LevelMeter)
            meter.poll()
            assert meter.level > 0.8  # FakeMic level 0.5
            screen._toggle_mic()  # type: ignore[attr-defined]
            assert harness.mics[0].stopped

            screen.query_one("#language", Select).value = "ko"
            await pilot.pause()
            assert "vosk-model-small-ko-0.22" in str(screen.query_one("#models", Static).content)
            screen._sample()  # type: ignore[attr-defined]
            assert harness.sampler.spoken == ["안녕하세요. 목소리가 잘 들리나요?"]

            screen.query_one("#passphrase", Input).value = "a long passphrase"
            screen.query_one("#passphrase-again", Input).value = "a long passphrase"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert harness.passphrases == [(None, "a long passphrase")]
            assert [c.speech.language for c in harness.saved_configs] == ["ko"]
            assert posted(seen, FirstRunScreen.Done)
            assert isinstance(app.screen, HomeScreen)
            assert app.config.speech.language == "ko"
            flows = app.screen.query_one("#flows", OptionList)
            assert str(flows.get_option_at_index(1).prompt) == "오늘의 체크인"  # Korean flows now
            # Home was built under first run in English: it is built again in Korean.
            keys = {b.description for _n, b, _e, _t in app.screen.active_bindings.values()}
            assert "일기장" in keys and "Journal" not in keys

    asyncio.run(scenario())


def _labels(screen: FirstRunScreen) -> str:
    return " ".join(str(label.content) for label in screen.query(Label).results(Label))


def test_first_run_shows_itself_in_the_language_picked_and_keeps_what_was_typed() -> None:
    async def scenario() -> None:
        harness = make_harness(first_run=True)
        app = VoiceReflectApp(Config(), harness.services)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            assert isinstance(screen, FirstRunScreen)
            assert "Welcome to voicereflect" in _labels(screen)
            screen.query_one("#passphrase", Input).value = "a long passphrase"
            screen.query_one("#language", Select).value = "ko"
            await pilot.pause()
            labels = _labels(screen)
            assert "voicereflect에 오신 걸 환영해요" in labels and "1. 언어" in labels
            assert "Welcome" not in labels and "Speech model" not in labels
            assert screen.query_one("#language", Select).value == "ko"
            assert screen.query_one("#passphrase", Input).value == "a long passphrase"
            assert app.focused is screen.query_one("#language", Select)
            footer = {b.description for _n, b, _e, _t in screen.active_bindings.values()}
            assert "완료" in footer and "Done" not in footer
            # Back to English: the screen follows again.
            screen.query_one("#language", Select).value = "en"
            await pilot.pause()
            assert "Welcome to voicereflect" in _labels(screen)

    asyncio.run(scenario())


def test_first_run_keeps_the_screen_language_that_ui_language_fixes() -> None:
    async def scenario() -> None:
        harness = make_harness(first_run=True)
        config = replace_setting(Config(), "ui", language="en")
        app = VoiceReflectApp(config, harness.services)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            assert isinstance(screen, FirstRunScreen)
            screen.query_one("#language", Select).value = "ko"
            await pilot.pause()
            assert "Welcome to voicereflect" in _labels(screen)
            assert "vosk-model-small-ko-0.22" in str(screen.query_one("#models", Static).content)
            screen.query_one("#passphrase", Input).value = ""
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert app.config.speech.language == "ko" and app.config.ui.language == "en"

    asyncio.run(scenario())
