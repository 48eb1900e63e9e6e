"""Ctrl+P in the person's language: Textual's own commands, prompts and "no matches"."""

from __future__ import annotations

import asyncio
import re

import pytest
from textual.app import App
from textual.command import CommandInput, CommandList
from textual.widgets import KeyPanel

from tests.tui.doubles import make_harness
from voicereflect.config import Config, replace_setting
from voicereflect.i18n import _, use_language
from voicereflect.tui import textual_texts
from voicereflect.tui.app import VoiceReflectApp

SIZE = (80, 24)
HANGUL = re.compile(r"[가-힣]")


def _korean() -> Config:
    return replace_setting(Config(), "speech", language="ko")


def test_every_textual_command_kept_is_listed_and_translated() -> None:
    """A Textual upgrade that renames a command or rewrites its help fails here."""

    async def scenario() -> None:
        app = VoiceReflectApp(_korean(), make_harness().services)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            textual = list(App.get_system_commands(app, app.screen))
            kept = [c for c in textual if c.title in textual_texts.KEPT_SYSTEM_COMMANDS]
            assert {c.title for c in kept} >= {"Theme", "Quit", "Keys"}
            for command in kept:
                assert command.help in textual_texts.SYSTEM_COMMAND_HELP, command.help
            shown = list(app.get_system_commands(app.screen))
            assert all(HANGUL.search(c.title) and HANGUL.search(c.help) for c in shown), [
                (c.title, c.help) for c in shown if not HANGUL.search(c.title + c.help)
            ]
            titles = [c.title for c in shown]
            assert "테마" in titles and "종료" in titles and "키" in titles
            assert "Screenshot" not in titles  # it would write the transcript to a file

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("language", "prompt", "nothing"),
    [
        ("en", "Search for commands…", "No matches found"),
        ("ko", "명령 찾기…", "맞는 항목이 없어요"),
    ],
)
def test_the_palette_prompts_and_says_no_matches_in_the_ui_language(
    language: str, prompt: str, nothing: str
) -> None:
    async def scenario() -> None:
        config = replace_setting(Config(), "speech", language=language)
        app = VoiceReflectApp(config, make_harness().services)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.press("ctrl+p")
            await pilot.pause()
            box = app.screen.query_one(CommandInput)
            assert box.placeholder == prompt
            await pilot.press(*"zzqx")
            await pilot.pause(0.8)  # Textual waits 0.5 s before saying there is nothing
            options = app.screen.query_one(CommandList)
            shown = [
                str(options.get_option_at_index(i).prompt.renderable)
                for i in range(options.option_count)
            ]
            assert any(nothing in text for text in shown), shown

    asyncio.run(scenario())


def test_the_theme_picker_prompts_in_korean() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(_korean(), make_harness().services)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.app.workers.wait_for_complete()
            app.action_change_theme()
            await pilot.pause()
            assert app.screen.query_one(CommandInput).placeholder == "테마 찾기…"

    asyncio.run(scenario())


def test_the_palette_key_is_described_in_korean() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(_korean(), make_harness().services)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.app.workers.wait_for_complete()
            (binding,) = app._bindings.key_to_bindings["ctrl+p"]
            assert (binding.description, binding.tooltip) == ("명령", "명령 팔레트를 열어요")

    asyncio.run(scenario())


def test_textual_texts_are_marked_for_the_catalog() -> None:
    use_language("ko")
    try:
        for text in [*textual_texts.KEPT_SYSTEM_COMMANDS, *textual_texts.SYSTEM_COMMAND_HELP]:
            assert HANGUL.search(_(text)), text
    finally:
        use_language("en")


def test_the_keys_panel_lists_textual_keys_in_korean() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(_korean(), make_harness().services)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            app.action_show_help_panel()
            await pilot.pause()
            app.screen.query_one(KeyPanel)
            shown = [
                binding.description
                for _node, binding, _enabled, _tip in app.screen.active_bindings.values()
                if binding.description and not binding.system
            ]
            assert shown and all(HANGUL.search(text) for text in shown), shown
            assert "위로 스크롤" in shown or "위" in shown

    asyncio.run(scenario())


def test_every_key_textual_can_list_is_in_the_catalog() -> None:
    """A Textual upgrade that adds or rewords a key of a widget the app uses fails here."""
    import textual.app
    import textual.command
    import textual.containers
    import textual.screen
    import textual.widgets
    import textual.widgets._select

    modules = [textual.app, textual.command, textual.containers, textual.screen, textual.widgets]
    modules.append(textual.widgets._select)
    found = set()
    for name in textual_texts.WIDGETS:
        cls = next(getattr(m, name) for m in modules if hasattr(m, name))
        for bindings in cls._merged_bindings.key_to_bindings.values():
            found |= {b.description for b in bindings if b.description}
            found |= {b.tooltip for b in bindings if b.tooltip}
    listed = set(textual_texts.KEY_DESCRIPTIONS)
    assert found <= listed, sorted(found - listed)


def test_recent_sessions_are_titled_in_the_language_home_was_built_in() -> None:
    """The real wiring: Home lists the flows, then opens the journal (before any probe)."""
    from voicereflect.tui.wiring import RealParts

    parts = RealParts()
    parts.flows("ko")
    pack = parts.pack()
    assert pack is not None and next(f.title for f in pack.flows if f.id == "open") == (
        "자유롭게 이야기하기"
    )
