"""A microphone level bar that polls its source, so audio never floods the message queue."""

from __future__ import annotations

import math
from collections.abc import Callable

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class LevelMeter(Widget):
    """Shows the latest microphone level as a bar, read 15 times a second.

    The audio thread only stores a float (``session.level``); this widget reads it on a
    timer (pitfall T11) instead of receiving one message per audio block.
    """

    DEFAULT_CSS = """
    LevelMeter { height: 1; width: 1fr; }
    LevelMeter > .level-meter--bar { color: $success; }
    """
    COMPONENT_CLASSES = {"level-meter--bar"}

    level: reactive[float] = reactive(0.0)
    """The level shown, 0..1 on a perceptual (dB) scale."""

    def __init__(
        self,
        source: Callable[[], float] | None = None,
        *,
        interval: float = 1 / 15,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._source = source
        self._interval = interval
        self._polling = False

    def on_mount(self) -> None:
        if self._source is not None:
            self._start_polling()

    def _start_polling(self) -> None:
        if not self._polling:
            self._polling = True
            self.set_interval(self._interval, self.poll)

    def set_source(self, source: Callable[[], float] | None) -> None:
        """Read from ``source`` from now on (``None`` shows silence)."""
        self._source = source
        if source is None:
            self.level = 0.0
        elif self.is_mounted:
            self._start_polling()

    def poll(self) -> None:
        """Read the source once; rms 0..1 becomes 0..1 over a 60 dB range."""
        if self._source is None:
            return
        rms = max(0.0, min(1.0, float(self._source())))
        db = 20 * math.log10(rms) if rms > 1e-6 else -60.0
        self.level = max(0.0, min(1.0, (db + 60) / 60))

    def render(self) -> Text:
        width = max(1, self.size.width - 6)
        filled = round(self.level * width)
        style = self.get_component_rich_style("level-meter--bar")
        bar = Text("█" * filled, style=style)
        bar.append("·" * (width - filled), style="dim")
        bar.append(f" {round(self.level * 100):3d}%")
        return bar
