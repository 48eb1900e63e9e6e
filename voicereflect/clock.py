"""The real clock behind the ``Clock`` protocol."""

from __future__ import annotations

import time


class SystemClock:
    """Monotonic time for durations, wall-clock time for timestamps."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> float:
        return time.time()
