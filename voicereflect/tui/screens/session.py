"""Session: the question, a live level, the words as they come, and the keys to steer."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

from voicereflect.i18n import N_, _
from voicereflect.reflection.engine import SUPPORT_STEP
from voicereflect.session import events as ev
from voicereflect.tui.keys import translate_bindings
from voicereflect.tui.messages import SessionEvent
from voicereflect.tui.screens.confirm import ConfirmScreen
from voicereflect.tui.services import SessionControl
from voicereflect.tui.widgets.level_meter import LevelMeter
from voicereflect.tui.widgets.transcript import Transcript

STATE_LABELS = {
    ev.SessionState.STARTING: N_("starting…"),
    ev.SessionState.SPEAKING: N_("speaking"),
    ev.SessionState.LISTENING: N_("listening"),
    ev.SessionState.THINKING: N_("thinking pause"),
    ev.SessionState.PAUSED: N_("paused"),
    ev.SessionState.SAVING: N_("saving"),
    ev.SessionState.TYPING: N_("type your answer"),
    ev.SessionState.ENDED: N_("ended"),
}
HEARING_LABEL = N_("listening · hearing you")
CLOSING_LABEL = N_("moving on in a moment — keep talking, or press Space")
_HEARING = 0.5  # VAD speech probability shown as "hearing you"


# Actions whose keys are letters, digits or space: while the text box has focus those keys
# are the person's text, so the footer must not offer them.
TYPING_KEYS = frozenset({"done", "repeat", "skip", "pause", "type", "mute", "rate"})


class SessionScreen(Screen[None]):
    """One reflection session, driven by the session runner's events.

    The runner's threads never touch this screen: the App passes them a callback that
    posts a ``SessionEvent`` here, and the level meter polls ``session.level`` (and
    the state label ``session.voice_probability``, for "hearing you").
    """

    BINDINGS = [
        Binding("space,enter", "done", N_("Done"), priority=False),
        Binding("r", "repeat", N_("Repeat")),
        Binding("s", "skip", N_("Skip")),
        Binding("p", "pause", N_("Pause")),
        Binding("t", "type", N_("Type")),
        Binding("m", "mute", N_("Mute"), show=False),  # in F1's help: the footer fits 80
        Binding("e,escape", "end", N_("End")),
        *[Binding(str(d), f"rate({d})", show=False) for d in range(10)],
    ]

    state: reactive[ev.SessionState] = reactive(ev.SessionState.STARTING)
    elapsed: reactive[int] = reactive(0)
    muted: reactive[bool] = reactive(False)
    hearing: reactive[bool] = reactive(False)
    closing: reactive[bool] = reactive(False)
    """Silence is about to end the turn: a soft cue, cancelled by speech."""

    class Finished(Message):
        """The session is over; ``session_id`` is what it was saved as (None: nothing)."""

        def __init__(self, session_id: int | None) -> None:
            super().__init__()
            self.session_id = session_id

    class Support(Message):
        """Risk language was heard; the App shows the support card.

        ``choose(n)`` answers the choice that follows (1: the contacts again, 2: go on,
        3: stop for today), as the digit keys do on this screen.
        """

        def __init__(
            self, message: str, contacts: tuple[str, ...], choose: Callable[[int], None]
        ) -> None:
            super().__init__()
            self.message = message
            self.contacts = contacts
            self.choose = choose

    class SupportDone(Message):
        """The session went on past the support choice; the App closes the card."""

    def __init__(
        self,
        session: SessionControl,
        monotonic: Callable[[], float],
        muted: bool = False,
        cue: Callable[[str], object] | None = None,
    ) -> None:
        super().__init__()
        translate_bindings(self)
        self.session = session
        self._monotonic = monotonic
        self._started = monotonic()
        self._expects = "text"
        self._choices: tuple[str, ...] = ()
        self._support_shown = False
        self._ended = False
        self._cue = cue
        self.set_reactive(SessionScreen.muted, muted)

    def compose(self) -> ComposeResult:
        with Horizontal(id="session-bar"):
            yield Label("", id="state")
            yield Label("", id="muted")
            yield Label("00:00", id="elapsed")
        yield Static("", id="question", markup=False)
        yield LevelMeter(lambda: self.session.level, id="level")
        yield Transcript(id="transcript")
        yield Input(placeholder=_("Type your answer, Enter to send"), id="typed")
        yield Static("", id="notice", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#typed", Input).display = False
        self.set_interval(1.0, self._tick)
        self.set_interval(0.2, self._poll_voice)
        self.watch_state(self.state)
        self.watch_muted(self.muted)
        self.session.start()

    def on_unmount(self) -> None:
        # Leaving (or quitting) mid-session: save what is finished, then stop the threads.
        if not self._ended:
            self.session.end()
        self.session.stop(timeout=3.0)

    def _tick(self) -> None:
        self.elapsed = int(self._monotonic() - self._started)

    def watch_elapsed(self, seconds: int) -> None:
        minutes, secs = divmod(seconds, 60)
        self.query_one("#elapsed", Label).update(f"{minutes:02d}:{secs:02d}")

    def _poll_voice(self) -> None:
        self.hearing = self.session.voice_probability >= _HEARING

    def _show_state(self) -> None:
        label = STATE_LABELS[self.state]
        listening = self.state in (ev.SessionState.LISTENING, ev.SessionState.THINKING)
        if listening and self.closing:
            label = CLOSING_LABEL
        elif listening and self.hearing:
            label = HEARING_LABEL
        self.query_one("#state", Label).update(_(label))

    def watch_hearing(self) -> None:
        self._show_state()

    def watch_closing(self, closing: bool) -> None:
        self.set_class(closing, "-closing")
        self._show_state()

    def watch_state(self, state: ev.SessionState) -> None:
        self._show_state()
        for s in ev.SessionState:
            self.set_class(s is state, f"-{s.value}")
        if state is ev.SessionState.TYPING:
            self._show_input()

    def watch_muted(self, muted: bool) -> None:
        self.query_one("#muted", Label).update(_("voice muted") if muted else "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the text box has focus, letter and digit keys type into it: hide their keys."""
        if action in TYPING_KEYS and self.query_one("#typed", Input).has_focus:
            return False
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    def _show_input(self) -> None:
        typed = self.query_one("#typed", Input)
        typed.display = True
        typed.focus()

    # Events from the session runner (posted from its threads).

    def on_session_event(self, message: SessionEvent) -> None:
        message.stop()
        event = message.event
        transcript = self.query_one(Transcript)
        if isinstance(event, ev.AnswerFinished):
            self._notice("")  # a notice lasts until the next answer ("Saved." is then its own)
        if isinstance(event, ev.QuestionAsked):
            self._expects = event.expects
            self._choices = event.choices
            if self._support_shown and event.step != SUPPORT_STEP:
                self._support_shown = False  # the person chose to go on: close the card
                self.post_message(self.SupportDone())
            self.query_one("#question", Static).update(event.text)
            transcript.add_question(event.text)
        elif isinstance(event, ev.Reflection):
            self.query_one("#question", Static).update(event.text)
            transcript.add_question(event.text)
        elif isinstance(event, ev.StateChanged):
            # A tone when the person may start talking, not after each thinking pause.
            if event.state is ev.SessionState.LISTENING and self.state in (
                ev.SessionState.STARTING,
                ev.SessionState.SPEAKING,
            ):
                self._play("listening")
            self.state = event.state
        elif isinstance(event, ev.TurnClosing):
            self.closing = event.closing
        elif isinstance(event, ev.PartialText):
            transcript.set_partial(event.text)
        elif isinstance(event, ev.AnswerFinished):
            self.closing = False
            if event.text:
                transcript.add_answer(event.text)
            else:
                transcript.set_partial("")
        elif isinstance(event, ev.RatingHeard):
            self._notice(_("Rating: {value}").format(value=event.value))
        elif isinstance(event, ev.Saved):
            self._notice(_("Saved."))
            self._play("saved")
        elif isinstance(event, ev.SupportOffered):
            self._support_shown = True
            self.post_message(self.Support(event.message, event.contacts, self._choose_support))
        elif isinstance(event, ev.Nudge | ev.Notice):
            self._notice(event.text if isinstance(event, ev.Nudge) else event.message)
        elif isinstance(event, ev.ModelReady):
            self._notice(_("Listening is ready."))
        elif isinstance(event, ev.ModelFailed | ev.SessionError):
            self._notice(event.message)
        elif isinstance(event, ev.SessionEnded):
            self._ended = True
            self.post_message(self.Finished(event.session_id))

    def _play(self, cue: str) -> None:
        if self._cue is not None:
            self._cue(cue)

    def _notice(self, text: str) -> None:
        self.query_one("#notice", Static).update(text)

    # Keys.

    def action_done(self) -> None:
        """Space/Enter: stop the question being spoken, or finish this answer."""
        if self.state is ev.SessionState.SPEAKING:
            self.session.interrupt()  # a key while it speaks means "let me talk now"
        else:
            self.session.end_turn()

    def action_repeat(self) -> None:
        self.session.repeat()

    def action_skip(self) -> None:
        self.session.skip()

    def action_pause(self) -> None:
        if self.state is ev.SessionState.PAUSED:
            self.session.resume()
        else:
            self.session.pause()

    def action_type(self) -> None:
        """Type instead of speaking (the microphone keeps listening too)."""
        if self.state is ev.SessionState.SPEAKING:
            self.session.interrupt()
        self._show_input()

    def action_mute(self) -> None:
        self.muted = not self.muted
        self.session.set_muted(self.muted)

    def _choose_support(self, value: int) -> None:
        # Typed while the card is being read, it cuts the reading and answers the choice.
        self.session.type_answer(str(value))

    def action_rate(self, value: int) -> None:
        """A digit key: a rating, or an option of a choice, when the question asks for one."""
        if self._expects == "rating" or (
            self._expects == "choice" and 1 <= value <= len(self._choices)
        ):
            self.session.type_answer(str(value))
        else:
            self._notice(_("This question doesn't ask for a number."))

    @on(Input.Submitted, "#typed")
    def _typed(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text:
            self.session.type_answer(text)
            event.input.clear()

    def action_end(self) -> None:
        """End the session, after asking."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.session.end()

        self.app.push_screen(
            ConfirmScreen(_("End this session? Everything so far is saved."), yes=_("End")),
            answered,
        )
