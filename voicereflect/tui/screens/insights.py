"""Insights: ratings over time as a plot, recurring themes, the person's own change talk."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Sparkline, Static

from voicereflect.tui.services import JournalView


class InsightsScreen(Screen[None]):
    """What the journal shows over time, always in the person's own words."""

    BINDINGS = [Binding("escape", "app.go_back", "Back")]

    def __init__(self, journal: JournalView) -> None:
        super().__init__()
        self._journal = journal

    def compose(self) -> ComposeResult:
        ratings = self._journal.ratings()
        themes = self._journal.themes()
        quotes = self._journal.change_talk()
        with VerticalScroll(id="insights"):
            yield Label("Ratings over time", classes="title")
            if ratings:
                yield Sparkline([p.value for p in ratings], id="ratings-plot")
                first, last = ratings[0], ratings[-1]
                yield Static(
                    f"{len(ratings)} ratings, from {first.when} ({first.value:g}) "
                    f"to {last.when} ({last.value:g})",
                    id="ratings-range",
                    markup=False,
                )
            else:
                yield Static("No ratings yet.", id="ratings-range")
            yield Label("Recurring themes", classes="title")
            text = "  ".join(f"{name} ×{count}" for name, count in themes)
            yield Static(text or "Not enough sessions yet.", id="themes", markup=False)
            yield Label("In your own words: what you want to change", classes="title")
            if not quotes:
                yield Static("Nothing yet.", id="no-quotes")
            for quote in quotes:
                yield Static(f"{quote.when}  “{quote.text}”", classes="quote", markup=False)
        yield Footer()
