"""F1: what the app does, the keys on every screen, and where the data lives."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown

from voicereflect import paths
from voicereflect.i18n import N_, _
from voicereflect.tui.keys import translate_bindings

HELP = N_(
    """\
# voicereflect help

Speak a reflection. You are asked open questions, aloud and on screen; your words are
written down and kept **only on this computer**.

## Everywhere
| key | does |
| --- | --- |
| F1 | this help |
| F2 | support contacts |
| Ctrl+P | commands (journal, insights, settings, theme…) |
| Esc | back |
| Ctrl+Q | quit |

## While you reflect
| key | does |
| --- | --- |
| Space or Enter | I'm done with this answer |
| 0–9 | a rating, when a question asks for one |
| R | repeat the question |
| S | skip the question |
| P | pause / resume |
| T | type instead of speaking |
| M | mute / unmute the voice |
| E or Esc | end the session (asks first) |

You can also say "I'm done" or "next" to finish an answer; a long silence does too.

## Your data
Everything lives in `{data}`. Nothing is sent anywhere.
"""
)


class HelpScreen(ModalScreen[None]):
    """The keys and a few words on privacy; Esc or F1 closes it."""

    BINDINGS = [Binding("escape,f1,q", "app.pop_screen", N_("Close"))]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Markdown(_(HELP).format(data=paths.data_dir()))
        yield Footer()
