"""Insights: ratings over time as a chart, recurring themes, the person's own change talk."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static
from textual_plotext import PlotextPlot

from voicereflect.i18n import N_, _, ngettext
from voicereflect.tui.keys import translate_bindings
from voicereflect.tui.services import JournalView, RatingPoint

# The theme names of the prompt packs' lexicons (``[themes.<name>]``), shown translated.
THEMES = {
    "work": N_("work"),
    "family": N_("family"),
    "sleep": N_("sleep"),
    "health": N_("health"),
    "relationships": N_("relationships"),
    "money": N_("money"),
    "study": N_("study"),
    "feelings": N_("feelings"),
}
SCALE = (0, 10)  # every rating step is 0–10 (``rating0_10``)


class RatingsChart(PlotextPlot):
    """Ratings by date on a fixed 0–10 scale, with both axes labelled; follows the theme."""

    def __init__(self, points: list[RatingPoint], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._points = points

    def on_mount(self) -> None:
        plt = self.plt
        plt.date_form("Y-m-d")
        dates = [p.when[:10] for p in self._points]
        plt.plot(dates, [p.value for p in self._points], marker="dot")
        plt.ylim(*SCALE)
        plt.yticks(list(range(SCALE[0], SCALE[1] + 1, 2)))
        plt.xlabel(_("date"))
        plt.ylabel(_("rating (0–10)"))


class InsightsScreen(Screen[None]):
    """What the journal shows over time, always in the person's own words."""

    BINDINGS = [Binding("escape", "app.go_back", N_("Back"))]

    def __init__(self, journal: JournalView) -> None:
        super().__init__()
        translate_bindings(self)
        self._journal = journal

    def compose(self) -> ComposeResult:
        ratings = self._journal.ratings()
        themes = self._journal.themes()
        quotes = self._journal.change_talk()
        with VerticalScroll(id="insights"):
            yield Label(_("Ratings over time"), classes="title")
            if ratings:
                yield RatingsChart(ratings, id="ratings-plot")
                first, last = ratings[0], ratings[-1]
                yield Static(
                    ngettext(
                        "{n} rating of “{label}”, from {first} ({low:g}) to {last} ({high:g})",
                        "{n} ratings of “{label}”, from {first} ({low:g}) to {last} ({high:g})",
                        len(ratings),
                    ).format(
                        n=len(ratings),
                        label=first.label,
                        first=first.when[:10],
                        low=first.value,
                        last=last.when[:10],
                        high=last.value,
                    ),
                    id="ratings-range",
                    markup=False,
                )
            else:
                yield Static(_("No ratings yet."), id="ratings-range")
            yield Label(_("Recurring themes"), classes="title")
            text = "  ".join(
                _("{theme} ×{count}").format(theme=_(THEMES.get(name, name)), count=count)
                for name, count in themes
            )
            yield Static(text or _("Not enough sessions yet."), id="themes", markup=False)
            yield Label(_("In your own words: what you want to change"), classes="title")
            if not quotes:
                yield Static(_("Nothing yet."), id="no-quotes")
            for quote in quotes:
                yield Static(f"{quote.when}  “{quote.text}”", classes="quote", markup=False)
        yield Footer()
