"""The answers so far and the words being spoken now, as the Session screen shows them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static


class Transcript(VerticalScroll):
    """Finished answers, oldest first, and below them the live partial text."""

    DEFAULT_CSS = """
    Transcript { height: 1fr; }
    Transcript > .answer { margin-bottom: 1; }
    Transcript > .question { color: $text-muted; text-style: italic; }
    Transcript > #partial { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="partial", markup=False)

    def add_question(self, text: str) -> None:
        """A question asked, shown above the answer to it."""
        self.mount(Static(text, classes="question", markup=False), before="#partial")

    def add_answer(self, text: str) -> None:
        """A finished answer; clears the partial line."""
        self.mount(Static(text, classes="answer", markup=False), before="#partial")
        self.set_partial("")

    def set_partial(self, text: str) -> None:
        """The words recognised so far in the current stretch of speech."""
        self.query_one("#partial", Static).update(text)
        self.scroll_end(animate=False)

    @property
    def answers(self) -> list[str]:
        """The finished answers' text (for tests and the review)."""
        return [str(s.content) for s in self.query(".answer").results(Static)]
