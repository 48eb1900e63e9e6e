"""The support card: people to reach, from the user-editable safety contact list."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from voicereflect.tui.services import Contact

INTRO = "If things feel heavy, you don't have to carry them alone. These are people you can reach:"


class SupportScreen(ModalScreen[None]):
    """Shows the support contacts; reachable with F2 from every screen."""

    BINDINGS = [Binding("escape,f2,q", "app.pop_screen", "Close")]

    def __init__(self, contacts: list[Contact], intro: str = INTRO) -> None:
        super().__init__()
        self._contacts = contacts
        self._intro = intro

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Label("Support", classes="title")
            yield Static(self._intro, markup=False)
            if not self._contacts:
                yield Static(
                    "No contacts are set up yet. Your local emergency number is always there.",
                    markup=False,
                )
            for contact in self._contacts:
                line = f"• {contact.name}: {contact.how}"
                if contact.note:
                    line += f" ({contact.note})"
                yield Static(line, classes="contact", markup=False)
        yield Footer()
