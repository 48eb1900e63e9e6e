"""The baseline for start-up: the smallest Textual app that draws a line of text."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Hello(App[None]):
    """One line of text; Ctrl+Q quits (Textual's own binding)."""

    def compose(self) -> ComposeResult:
        yield Static("voicereflect start-up baseline: a minimal Textual app")


if __name__ == "__main__":
    Hello().run()
