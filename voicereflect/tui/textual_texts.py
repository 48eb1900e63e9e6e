"""Textual's own words in the person's language: the palette's system commands and prompts.

Textual writes these in English in its source, so they are marked here, under the same
English text, for the catalog; ``_`` finds them by that text when they are shown.
``tests/unit/test_i18n.py`` fails when an installed Textual says something not listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

from rich.align import Align
from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette
from textual.dom import DOMNode
from textual.widgets.option_list import Option

from voicereflect.i18n import N_, _
from voicereflect.tui.keys import translate_bindings

# Textual's system commands we keep, by their English titles; "Screenshot" is dropped on
# purpose: it would write the visible transcript to an SVG file outside the private data
# dir (pitfall T10).
KEPT_SYSTEM_COMMANDS = (N_("Theme"), N_("Quit"), N_("Keys"), N_("Maximize"), N_("Minimize"))

# What Textual says of them (Textual 8.2), for the catalog.
SYSTEM_COMMAND_HELP = (
    N_("Change the current theme"),
    N_("Quit the application as soon as possible"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize the focused widget"),
)

COMMANDS_PLACEHOLDER = N_("Search for commands…")
THEMES_PLACEHOLDER = N_("Search for themes…")
PALETTE = N_("Commands")
PALETTE_TOOLTIP = N_("Open the command palette")
NO_MATCHES = N_("No matches found")

# The keys of Textual's widgets and screens the app uses (Textual 8.2), as the Keys panel
# lists them; their group title too.
KEY_DESCRIPTIONS = (
    N_("Bottom"),
    N_("Copy"),
    N_("Copy selected text"),
    N_("Cursor down"),
    N_("Cursor down select"),
    N_("Cursor left"),
    N_("Cursor left select"),
    N_("Cursor left word select"),
    N_("Cursor line end"),
    N_("Cursor line end select"),
    N_("Cursor line start"),
    N_("Cursor line start select"),
    N_("Cursor page down"),
    N_("Cursor page up"),
    N_("Cursor right"),
    N_("Cursor right select"),
    N_("Cursor right word select"),
    N_("Cursor up"),
    N_("Cursor up select"),
    N_("Cursor word left"),
    N_("Cursor word right"),
    N_("Cut"),
    N_("Cut selected text"),
    N_("Delete all to the left"),
    N_("Delete all to the right"),
    N_("Delete character left"),
    N_("Delete character right"),
    N_("Delete left to start of word"),
    N_("Delete line"),
    N_("Delete right to start of word"),
    N_("Delete to line end"),
    N_("Delete to line start"),
    N_("Dismiss menu"),
    N_("Down"),
    N_("End"),
    N_("Exit the command palette"),
    N_("First"),
    N_("Focus Next"),
    N_("Focus Previous"),
    N_("Go to bottom"),
    N_("Go to end"),
    N_("Go to start"),
    N_("Go to top"),
    N_("Home"),
    N_("Last"),
    N_("Move cursor left"),
    N_("Move cursor left a word"),
    N_("Move cursor left a word and select"),
    N_("Move cursor left and select"),
    N_("Move cursor right a word"),
    N_("Move cursor right a word and select"),
    N_("Move cursor right and select"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Next command"),
    N_("Next page"),
    N_("Page Down"),
    N_("Page Left"),
    N_("Page Right"),
    N_("Page Up"),
    N_("Page down"),
    N_("Page up"),
    N_("Paste"),
    N_("Paste text from the clipboard"),
    N_("Press button"),
    N_("Previous command"),
    N_("Previous page"),
    N_("Quit"),
    N_("Quit the app and return to the command prompt."),
    N_("Redo"),
    N_("Scroll Down"),
    N_("Scroll End"),
    N_("Scroll Home"),
    N_("Scroll Left"),
    N_("Scroll Right"),
    N_("Scroll Up"),
    N_("Select"),
    N_("Select all"),
    N_("Select line"),
    N_("Select line end"),
    N_("Select line start"),
    N_("Show menu"),
    N_("Submit"),
    N_("Toggle"),
    N_("Top"),
    N_("Undo"),
    N_("Up"),
)
GROUP_TITLES = (N_("Input"),)
# Textual's widgets and screens whose keys the Keys panel can list (checked by the tests).
WIDGETS = (
    "App",
    "Screen",
    "ModalScreen",
    "VerticalScroll",
    "ScrollableContainer",
    "Button",
    "Footer",
    "Input",
    "Select",
    "SelectOverlay",
    "Switch",
    "TextArea",
    "DataTable",
    "OptionList",
    "CommandPalette",
    "CommandInput",
    "CommandList",
)


def translate_keys(node: DOMNode) -> None:
    """Show the keys of ``node`` and everything in it in the person's language."""
    for each in node.walk_children(with_self=True):
        translate_bindings(each)
        title = type(each).BINDING_GROUP_TITLE
        if title:
            each.BINDING_GROUP_TITLE = _(title)


class Palette(CommandPalette):
    """Textual's command palette, saying "no matches" in the person's language."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual 8.2's own, with its one English text translated (it is built inline).
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                text = Text(_(NO_MATCHES), style="not bold")
                option = Option(Align.center(text), disabled=True, id=self._NO_MATCHES)
                self.query_one(CommandList).add_option(option)
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def system_commands(textual: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's own commands that are kept, with their titles and help translated."""
    for command in textual:
        if command.title in KEPT_SYSTEM_COMMANDS:
            yield SystemCommand(_(command.title), _(command.help), command.callback)


class TranslatedPalette(App[int]):
    """An App whose command palette key, prompts and theme picker speak the UI language."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Textual's own palette key (it adds one only when none is bound), with a
        # description and tooltip that can be translated.
        Binding(
            "ctrl+p",
            "command_palette",
            PALETTE,
            show=False,
            priority=True,
            tooltip=PALETTE_TOOLTIP,
        ),
    ]

    def action_command_palette(self) -> None:
        """Textual's command palette, its prompt in the person's language."""
        if self.use_command_palette and not self.screen.has_class("--textual-command-palette"):
            placeholder = _(COMMANDS_PLACEHOLDER)
            self.push_screen(Palette(id="--command-palette", placeholder=placeholder))

    def action_show_help_panel(self) -> None:
        """Textual's Keys panel, listing its own widgets' keys in the person's language."""
        translate_keys(self.screen)
        super().action_show_help_panel()

    def search_themes(self) -> None:
        """Textual's theme picker, its prompt in the person's language."""
        from textual.theme import ThemeProvider

        self.push_screen(
            CommandPalette(providers=[ThemeProvider], placeholder=_(THEMES_PLACEHOLDER))
        )
