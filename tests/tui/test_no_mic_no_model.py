"""No microphone, no model: the app starts, says why, and typing mode saves an entry."""

from __future__ import annotations

import asyncio

from textual.message import Message
from textual.widgets import Input, Static

from tests.tui.waiting import MessageWaiter
from voicereflect.config import Config, replace_setting, save_config
from voicereflect.journal.store import Journal
from voicereflect.session import events as ev
from voicereflect.tui.app import VoiceReflectApp
from voicereflect.tui.messages import SessionEvent
from voicereflect.tui.screens.review import ReviewScreen
from voicereflect.tui.screens.session import SessionScreen
from voicereflect.tui.wiring import real_services


def _is(kind: type[object], **fields: object) -> object:
    def predicate(message: Message) -> bool:
        if not isinstance(message, SessionEvent) or not isinstance(message.event, kind):
            return False
        return all(getattr(message.event, k) == v for k, v in fields.items())

    return predicate


def test_without_mic_and_model_typing_saves_an_entry_in_the_real_journal() -> None:
    config = Config()
    config = replace_setting(config, "audio", input_device="no-such-microphone-xyz")
    config = replace_setting(config, "speech", language="en", model="/nonexistent/vosk-model")
    config = replace_setting(config, "voice", muted=True)  # CI has no speaker either
    # No tones either: a cue thread still playing when the test process exits would race
    # PortAudio's atexit teardown (run_app waits for cues; this test does not use run_app).
    config = replace_setting(
        config, "audio", input_device="no-such-microphone-xyz", sound_cues=False
    )
    save_config(config)  # a saved config: not a first run
    answer = "I walked to the river and felt calmer"

    async def scenario() -> None:
        app = VoiceReflectApp(config, real_services())
        waiter = MessageWaiter()
        async with app.run_test(message_hook=waiter.hook) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            status = str(app.screen.query_one("#parts", Static).content)
            assert "microphone" in status and "type your answers" in status
            assert "model" in status and "/nonexistent/vosk-model" in status

            await pilot.press("t")  # just talk
            await waiter.wait_for(_is(ev.StateChanged, state=ev.SessionState.TYPING))
            await waiter.wait_for(_is(ev.QuestionAsked))
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SessionScreen)
            assert screen.query_one("#typed", Input).has_focus
            notices = [
                m.event.message
                for m in waiter.seen
                if isinstance(m, SessionEvent) and isinstance(m.event, ev.Notice | ev.ModelFailed)
            ]
            assert any("microphone" in n for n in notices), notices
            assert any("model" in n for n in notices), notices

            await pilot.press(*answer, "enter")
            await waiter.wait_for(_is(ev.Saved))
            await pilot.press("escape", "y")  # the answer box has focus: Esc, not "e"
            await waiter.wait_for(_is(ev.SessionEnded))
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
        assert app.journal is not None
        app.journal.close()

    asyncio.run(scenario())
    with Journal.open(read_only=True) as journal:
        sessions = journal.sessions()
        assert len(sessions) == 1
        answers = [e.answer for e in journal.session(sessions[0].id).entries]
    assert answer in answers
