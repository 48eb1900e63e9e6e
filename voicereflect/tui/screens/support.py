"""The support card: people to reach, from the user-editable safety contact list."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from voicereflect.i18n import N_, _
from voicereflect.tui.keys import translate_bindings
from voicereflect.tui.services import Contact

INTRO = N_(
    "If things feel heavy, you don't have to carry them alone. These are people you can reach:"
)


class SupportScreen(ModalScreen[None]):
    """Shows the support contacts; reachable with F2 from every screen.

    Opened by a session after risk language, it also takes the choice that follows by key:
    1 hear the contacts again, 2 go on, 3 stop for today (``choose`` passes it on).
    """

    BINDINGS = [
        Binding("escape,f2,q", "app.pop_screen", N_("Close")),
        Binding("1", "choose(1)", N_("Contacts again")),
        Binding("2", "choose(2)", N_("Go on")),
        Binding("3", "choose(3)", N_("Stop for today")),
    ]

    def __init__(
        self,
        contacts: list[Contact],
        intro: str | None = None,
        choose: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__()
        translate_bindings(self)
        self._contacts = contacts
        self._intro = intro or _(INTRO)
        self._choose = choose

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The choice keys exist only on a card a session opened (not on F2's).
        return self._choose is not None if action == "choose" else True

    def action_choose(self, value: int) -> None:
        """1, 2 or 3: answer the session's support choice."""
        if self._choose is not None:
            choose = self._choose
            if value != 1:
                self.app.pop_screen()  # going on or stopping: the card has done its part
            choose(value)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Label(_("Support"), classes="title")
            yield Static(self._intro, markup=False)
            if not self._contacts:
                yield Static(
                    _("No contacts are set up yet. Your local emergency number is always there."),
                    markup=False,
                )
            for contact in self._contacts:
                line = f"• {contact.name}: {contact.how}"
                if contact.note:
                    line += f" ({contact.note})"
                yield Static(line, classes="contact", markup=False)
        yield Footer()
