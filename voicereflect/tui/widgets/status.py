"""One line per part (microphone, voice, model): working, or what is wrong and the fix."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from voicereflect.tui.services import PartStatus


class PartsStatus(Static):
    """Shows each part's state; a part that does not work says why, never a traceback."""

    def show(self, parts: list[PartStatus]) -> None:
        """Replace the lines with ``parts``."""
        text = Text()
        for i, part in enumerate(parts):
            if i:
                text.append("\n")
            mark, style = ("✓", "green") if part.ok else ("✗", "red")
            text.append(f"{mark} ", style=style)
            text.append(f"{part.name}: ", style="bold")
            text.append(part.detail)
        self.update(text)
