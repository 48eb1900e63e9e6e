"""Session screen: events from the runner's threads become text; keys become commands."""

from __future__ import annotations

import asyncio

from textual.message import Message
from textual.widgets import Input, Label, Static

from tests.fakes import (
    FakeAudioSource,
    FakeClock,
    MemoryJournal,
    ScriptedDialogue,
    ScriptedRecognizer,
    speech,
)
from tests.tui.doubles import FakeSession, make_harness, posted
from tests.tui.waiting import MessageWaiter
from voicereflect.config import Config, replace_setting
from voicereflect.session import Session, SessionParts
from voicereflect.session import events as ev
from voicereflect.session.dialogue import Ask
from voicereflect.speech.turns import TurnTaker
from voicereflect.tui.app import VoiceReflectApp
from voicereflect.tui.messages import SessionEvent
from voicereflect.tui.screens.confirm import ConfirmScreen
from voicereflect.tui.screens.review import ReviewScreen
from voicereflect.tui.screens.session import SessionScreen
from voicereflect.tui.screens.support import SupportScreen
from voicereflect.tui.widgets.level_meter import LevelMeter
from voicereflect.tui.widgets.transcript import Transcript


class Ticker:
    """A settable monotonic clock for the elapsed time."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _open_session(app: VoiceReflectApp, pilot: object) -> FakeSession:
    # Through the UI, so the screen runs in the app's context (and message_hook sees it).
    await pilot.press("t")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, SessionScreen)
    return _last(app)


def _last(app: VoiceReflectApp) -> FakeSession:
    session = app.screen.session  # type: ignore[attr-defined]
    assert isinstance(session, FakeSession)
    return session


def test_events_from_a_thread_show_question_state_partial_and_answer() -> None:
    async def scenario() -> None:
        harness = make_harness()
        app = VoiceReflectApp(Config(), harness.services)
        seen: list[Message] = []
        async with app.run_test(message_hook=seen.append) as pilot:
            session = await _open_session(app, pilot)
            session.emit_from_thread(
                ev.QuestionAsked("How are you feeling today?", "feeling"),
                ev.StateChanged(ev.SessionState.LISTENING),
                ev.PartialText("tired but"),
            )
            await pilot.pause()
            screen = app.screen
            assert "How are you feeling" in str(screen.query_one("#question", Static).content)
            assert str(screen.query_one("#state", Label).content) == "listening"
            assert screen.has_class("-listening")
            assert "tired but" in str(screen.query_one("#partial", Static).content)
            session.emit_from_thread(
                ev.AnswerFinished("tired but hopeful", "feeling", "key"), ev.Saved(1, "feeling")
            )
            await pilot.pause()
            assert screen.query_one(Transcript).answers == ["tired but hopeful"]
            assert str(screen.query_one("#partial", Static).content) == ""
            assert "Saved" in str(screen.query_one("#notice", Static).content)
            kinds = [m.kind for m in posted(seen, SessionEvent)]  # type: ignore[attr-defined]
            assert "QuestionAsked" in kinds and "AnswerFinished" in kinds

    asyncio.run(scenario())


def test_keys_send_the_session_commands() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(Config(), make_harness().services)
        async with app.run_test() as pilot:
            session = await _open_session(app, pilot)
            await pilot.press("space", "enter", "r", "s", "p", "m")
            await pilot.pause()
            assert session.names == ["end_turn", "end_turn", "repeat", "skip", "pause", "set_muted"]
            assert session.commands[-1] == ("set_muted", True)
            assert "muted" in str(app.screen.query_one("#muted", Label).content)
            session.emit(ev.StateChanged(ev.SessionState.PAUSED))
            await pilot.pause()
            await pilot.press("p")
            assert session.names[-1] == "resume"

    asyncio.run(scenario())


def test_digits_answer_rating_questions_only() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(Config(), make_harness().services)
        async with app.run_test() as pilot:
            session = await _open_session(app, pilot)
            session.emit(ev.QuestionAsked("What stood out?", "stood_out"))
            await pilot.pause()
            await pilot.press("7")
            assert "type_answer" not in session.names
            session.emit(ev.QuestionAsked("How important, 0 to 10?", "importance", "rating"))
            await pilot.pause()
            await pilot.press("7")
            assert session.commands[-1] == ("type_answer", "7")

    asyncio.run(scenario())


def test_type_instead_sends_the_typed_answer() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(Config(), make_harness().services)
        async with app.run_test() as pilot:
            session = await _open_session(app, pilot)
            await pilot.press("t")
            typed = app.screen.query_one("#typed", Input)
            assert typed.display and typed.has_focus
            await pilot.press(*"a calm walk", "enter")
            await pilot.pause()
            # Space went into the text, not to "done with this answer".
            assert session.commands == [("type_answer", "a calm walk")]

    asyncio.run(scenario())


def test_end_asks_first_and_only_ends_on_yes() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(Config(), make_harness().services)
        async with app.run_test() as pilot:
            session = await _open_session(app, pilot)
            await pilot.press("e")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            assert "end" not in session.names
            await pilot.press("escape")  # Esc on the session also means "end", and asks
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await pilot.pause()
            assert session.names == ["end"]

    asyncio.run(scenario())


def test_level_meter_polls_the_session_level() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(Config(), make_harness(level=0.0).services)
        async with app.run_test() as pilot:
            session = await _open_session(app, pilot)
            meter = app.screen.query_one(LevelMeter)
            session.level = 0.5  # the audio thread only stores a float
            meter.poll()
            assert meter.level > 0.8
            session.level = 0.0
            meter.poll()
            assert meter.level == 0.0

    asyncio.run(scenario())


def test_elapsed_time_counts_from_the_start() -> None:
    async def scenario() -> None:
        ticker = Ticker()
        app = VoiceReflectApp(Config(), make_harness().services, monotonic=ticker)
        async with app.run_test() as pilot:
            await _open_session(app, pilot)
            ticker.now += 75
            app.screen._tick()  # type: ignore[attr-defined]
            await pilot.pause()
            assert str(app.screen.query_one("#elapsed", Label).content) == "01:15"

    asyncio.run(scenario())


def test_support_offered_shows_the_card_and_ended_opens_review() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(Config(), make_harness().services)
        async with app.run_test() as pilot:
            session = await _open_session(app, pilot)
            session.emit_from_thread(
                ev.SupportOffered("You matter.", ("Crisis line: call 000-000",))
            )
            await pilot.pause()
            assert isinstance(app.screen, SupportScreen)
            texts = [str(s.content) for s in app.screen.query(Static)]
            assert any("Crisis line" in t for t in texts)
            await pilot.press("escape")
            session.emit_from_thread(ev.SessionEnded(1, ev.SessionSummary(2, 0, 60.0)))
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            await pilot.pause()
            assert session.stopped

    asyncio.run(scenario())


def _typed(session: FakeSession) -> list[object]:
    return [arg for name, arg in session.commands if name == "type_answer"]


def test_support_card_takes_the_choice_by_key_and_closes_when_the_session_goes_on() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(Config(), make_harness().services)
        async with app.run_test() as pilot:
            session = await _open_session(app, pilot)
            choices = ("hearing the contacts again", "going on", "stopping for today")
            session.emit_from_thread(ev.SupportOffered("Thank you for telling me.", ("A: 1",)))
            session.emit_from_thread(
                ev.QuestionAsked("Which?", "_support", "choice", 0, 0, choices)
            )
            await pilot.pause()
            assert isinstance(app.screen, SupportScreen)
            await pilot.press("1")  # hear them again: the card stays
            await pilot.pause()
            assert _typed(session) == ["1"] and isinstance(app.screen, SupportScreen)
            await pilot.press("2")  # go on: the card closes
            await pilot.pause()
            assert _typed(session) == ["1", "2"] and isinstance(app.screen, SessionScreen)
            # Chosen by voice instead: the next question closes the card.
            session.emit_from_thread(ev.SupportOffered("Thank you.", ("A: 1",)))
            await pilot.pause()
            assert isinstance(app.screen, SupportScreen)
            session.emit_from_thread(ev.QuestionAsked("And now?", "feeling"))
            await pilot.pause()
            assert isinstance(app.screen, SessionScreen)

    asyncio.run(scenario())


def test_the_f2_card_has_no_choice_keys() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(Config(), make_harness().services)
        async with app.run_test() as pilot:
            session = await _open_session(app, pilot)
            await pilot.press("f2")
            await pilot.pause()
            assert isinstance(app.screen, SupportScreen)
            await pilot.press("2")
            await pilot.pause()
            assert _typed(session) == [] and isinstance(app.screen, SupportScreen)

    asyncio.run(scenario())


def test_partial_text_messages_coalesce() -> None:
    older = SessionEvent(ev.PartialText("a"))
    newer = SessionEvent(ev.PartialText("a b"))
    answer = SessionEvent(ev.AnswerFinished("a b", "s", "key"))
    assert newer.can_replace(older)
    assert not answer.can_replace(newer)
    assert not newer.can_replace(answer)
    assert "a b" not in repr(newer)


def test_sound_cues_for_listening_and_saved_unless_turned_off() -> None:
    async def scenario(cues_on: bool) -> list[str]:
        harness = make_harness()
        config = replace_setting(Config(), "audio", sound_cues=cues_on)
        app = VoiceReflectApp(config, harness.services)
        async with app.run_test() as pilot:
            session = await _open_session(app, pilot)
            session.emit(
                ev.StateChanged(ev.SessionState.SPEAKING),
                ev.StateChanged(ev.SessionState.LISTENING),
                ev.StateChanged(ev.SessionState.THINKING),
                ev.StateChanged(ev.SessionState.LISTENING),  # after a pause: no new tone
                ev.Saved(1, "feeling"),
            )
            await pilot.pause()
        return harness.cues

    assert asyncio.run(scenario(True)) == ["listening", "saved"]
    assert asyncio.run(scenario(False)) == []


def test_session_fits_80_by_24() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(Config(), make_harness().services)
        async with app.run_test(size=(80, 24)) as pilot:
            session = await _open_session(app, pilot)
            session.emit(
                ev.QuestionAsked("What stood out for you today?", "stood_out"),
                ev.PartialText("the tomatoes"),
            )
            await pilot.pause()
            screen = app.screen
            for selector in ["#state", "#elapsed", "#question", "#level", "#notice", "Footer"]:
                region = screen.query_one(selector).region
                assert region.height >= 1 and region.right <= 80 and region.bottom <= 24, selector
            assert screen.query_one("#partial").region.bottom <= 24

    asyncio.run(scenario())


def test_a_key_while_the_question_is_spoken_interrupts_instead_of_ending_the_turn() -> None:
    async def scenario() -> None:
        app = VoiceReflectApp(Config(), make_harness().services)
        async with app.run_test() as pilot:
            session = await _open_session(app, pilot)
            session.emit(ev.StateChanged(ev.SessionState.SPEAKING))
            await pilot.pause()
            await pilot.press("space")
            assert session.names == ["interrupt"]
            await pilot.press("t")
            assert session.names == ["interrupt", "interrupt"]

    asyncio.run(scenario())


def test_quitting_mid_answer_saves_the_words_already_recognised() -> None:
    # A real Session on scripted parts: the person speaks, then quits (no Space, no "end").
    source = FakeAudioSource()
    recognizer = ScriptedRecognizer()
    journal = MemoryJournal()
    clock = FakeClock()
    parts = SessionParts(
        dialogue=ScriptedDialogue([Ask("feeling", "How are you feeling?"), Ask("next", "And?")]),
        open_journal=lambda: journal,
        turn_taker=lambda phrases: TurnTaker(4.0, phrases, clock),
        speaker=None,
        open_audio=lambda: source,
        load_recognizer=lambda: lambda rate: recognizer,
        clock=clock,
    )
    harness = make_harness()
    sessions: list[Session] = []

    def real_session(config: Config, flow: str | None, on_event: object) -> Session:
        session = Session(config, parts, on_event)  # type: ignore[arg-type]
        sessions.append(session)
        return session

    harness.services.session_factory = real_session  # type: ignore[assignment]

    def heard(message: Message) -> bool:
        return isinstance(message, SessionEvent) and isinstance(message.event, ev.PartialText)

    async def scenario() -> None:
        app = VoiceReflectApp(Config(), harness.services)
        waiter = MessageWaiter()
        async with app.run_test(message_hook=waiter.hook) as pilot:
            await pilot.press("t")
            await waiter.wait_for(
                lambda m: isinstance(m, SessionEvent) and isinstance(m.event, ev.ModelReady)
            )
            source.push(speech("tired but"), level=0.3)
            source.push(speech("more hopeful", final=False), level=0.3)
            await waiter.wait_for(heard)
            assert journal.entries == []
            await pilot.press("ctrl+q")

    asyncio.run(scenario())
    assert [e.answer for e in journal.entries] == ["tired but more hopeful"]
    assert journal.sessions[1]["ended_at"] is not None
    assert sessions and sessions[0].ended


def test_the_closing_cue_shows_before_silence_ends_the_turn_and_speech_clears_it() -> None:
    async def scenario() -> None:
        harness = make_harness()
        app = VoiceReflectApp(Config(), harness.services)
        async with app.run_test() as pilot:
            session = await _open_session(app, pilot)
            session.emit_from_thread(ev.StateChanged(ev.SessionState.THINKING))
            session.emit_from_thread(ev.TurnClosing(True))
            await pilot.pause()
            screen = app.screen
            assert screen.has_class("-closing")
            assert "moving on in a moment" in str(screen.query_one("#state", Label).content)
            session.emit_from_thread(ev.TurnClosing(False))
            await pilot.pause()
            assert not screen.has_class("-closing")
            assert str(screen.query_one("#state", Label).content) == "thinking pause"

    asyncio.run(scenario())


def test_vad_speech_shows_hearing_you_while_listening() -> None:
    async def scenario() -> None:
        harness = make_harness()
        app = VoiceReflectApp(Config(), harness.services)
        async with app.run_test() as pilot:
            session = await _open_session(app, pilot)
            session.emit_from_thread(ev.StateChanged(ev.SessionState.LISTENING))
            session.voice_probability = 0.97
            screen = app.screen
            assert isinstance(screen, SessionScreen)
            screen._poll_voice()
            await pilot.pause()
            assert str(screen.query_one("#state", Label).content) == "listening · hearing you"
            session.voice_probability = 0.02
            screen._poll_voice()
            await pilot.pause()
            assert str(screen.query_one("#state", Label).content) == "listening"

    asyncio.run(scenario())
