"""Home: start a reflection, see last time's next step, recent sessions and parts status."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from voicereflect.i18n import N_, _
from voicereflect.tui.keys import translate_bindings
from voicereflect.tui.services import FlowChoice, PartStatus, SessionRow
from voicereflect.tui.widgets.status import PartsStatus

JUST_TALK = "__just_talk__"


class HomeScreen(Screen[None]):
    """The first screen: choose a flow (or just talk) and start."""

    BINDINGS = [
        Binding("t", "just_talk", N_("Just talk")),
        Binding("j", "app.open_journal", N_("Journal")),
        Binding("i", "app.open_insights", N_("Insights")),
        Binding("s", "app.open_settings", N_("Settings")),
    ]

    class StartRequested(Message):
        """The person chose a flow; ``flow`` is None for "just talk"."""

        def __init__(self, flow: str | None) -> None:
            super().__init__()
            self.flow = flow

    class OpenSession(Message):
        """The person chose one of the recent sessions."""

        def __init__(self, session_id: str) -> None:
            super().__init__()
            self.session_id = session_id

    def __init__(
        self,
        flows: list[FlowChoice],
        parts: list[PartStatus],
        recent: list[SessionRow] | None,
        next_step: str | None,
    ) -> None:
        """``recent`` is ``None`` until the journal is open: neither the list nor "No sessions
        yet." shows, so the first frame does not wait for the journal nor say something false.
        """
        super().__init__()
        translate_bindings(self)
        self._flows = flows
        self._parts = parts
        self._recent = recent
        self._next_step = next_step

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home"):
            with Vertical(id="start"):
                yield Label(_("Start a reflection"), classes="title")
                options = [Option(_("Just talk"), id=JUST_TALK)]
                options += [Option(Text(f.title), id=f.id) for f in self._flows]
                yield OptionList(*options, id="flows")
                with Vertical(id="next-step-box"):
                    yield Label(_("Last time, your next step was"), classes="title")
                    yield Static("", id="next-step", markup=False)
            with Vertical(id="side"):
                yield Label(_("Recent"), classes="title")
                yield OptionList(id="recent")
                yield Static(_("No sessions yet."), id="no-recent")
                yield Label(_("Status"), classes="title")
                yield PartsStatus(id="parts")
        yield Footer()

    def on_mount(self) -> None:
        self._fill()

    def _fill(self) -> None:
        self._apply_parts()
        self._apply_journal()
        self.query_one("#flows", OptionList).focus()

    def rebuild(self) -> None:
        """Build the screen again in the current language (after a language switch).

        Home is the bottom screen, which Textual cannot swap for a new one; it composes its
        widgets again instead, with what it was last shown.
        """
        translate_bindings(self)
        self.call_later(self._recompose_and_fill)

    async def _recompose_and_fill(self) -> None:
        await self.recompose()
        self._fill()

    def show_flows(self, flows: list[FlowChoice]) -> None:
        """Show the flows (after the first frame, and after the language changed)."""
        self._flows = flows
        if self.is_mounted:
            options = self.query_one("#flows", OptionList)
            highlighted = options.highlighted  # the person's place stays where it was
            options.clear_options()
            just_talk = Option(_("Just talk"), id=JUST_TALK)
            options.add_options([just_talk, *(Option(Text(f.title), id=f.id) for f in flows)])
            if highlighted is not None:
                options.highlighted = min(highlighted, options.option_count - 1)

    def show_journal(self, recent: list[SessionRow], next_step: str | None) -> None:
        """Refresh the recent sessions and last time's next step (now or once mounted)."""
        self._recent, self._next_step = recent, next_step
        if self.is_mounted:
            self._apply_journal()

    def _apply_journal(self) -> None:
        recent, next_step = self._recent, self._next_step
        options = self.query_one("#recent", OptionList)
        options.clear_options()
        # Text, not str: an option's string is parsed as markup, and these are stored words.
        options.add_options(
            Option(Text(f"{r.started}  {r.title or r.flow}"), id=r.id) for r in recent or ()
        )
        options.display = bool(recent)
        self.query_one("#no-recent", Static).display = recent == []
        self.query_one("#next-step", Static).update(next_step or "")
        self.query_one("#next-step-box", Vertical).display = bool(next_step)

    def show_parts(self, parts: list[PartStatus]) -> None:
        """Refresh the microphone / voice / model lines."""
        self._parts = parts
        if self.is_mounted:
            self._apply_parts()

    def _apply_parts(self) -> None:
        self.query_one(PartsStatus).show(self._parts)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id
        if option_id is None:
            return
        if event.option_list.id == "flows":
            self.post_message(self.StartRequested(None if option_id == JUST_TALK else option_id))
        else:
            self.post_message(self.OpenSession(option_id))

    def action_just_talk(self) -> None:
        """Start an open reflection without choosing a flow."""
        self.post_message(self.StartRequested(None))
