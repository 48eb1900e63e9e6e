"""Asks for the journal's passphrase when it is encrypted; dismisses with it (or None)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from voicereflect.i18n import N_, _
from voicereflect.tui.keys import translate_bindings


class UnlockScreen(ModalScreen[str | None]):
    """A password field; Esc continues without the journal."""

    BINDINGS = [Binding("escape", "cancel", N_("Without journal"))]

    def __init__(self, problem: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self._problem = problem

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(_("Your journal is locked. Passphrase:"))
            yield Input(password=True, id="unlock")
            yield Static(self._problem, id="unlock-problem", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value
        # Clear the widget at once so the passphrase does not linger in the UI.
        event.input.value = ""
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
