"""The real Textual app, headless, with the real parts, watched from the benchmark.

``VoiceReflectApp`` runs under Textual's ``run_test`` (its own event loop, a headless
driver) with ``real_services()``: the real session runner, microphone, espeak-ng voice,
Vosk model and journal. The session factory is wrapped so the benchmark sees every
session event (with its ``time.monotonic()``) and can poll the running session.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable
from typing import Any

from voicereflect.config import load_config


@dataclasses.dataclass
class AppWatch:
    """What the benchmark learns about one headless run of the app."""

    events: list[tuple[float, Any]] = dataclasses.field(default_factory=list)
    session: Any = None
    first_paint: float | None = None
    peak_samples: list[float] = dataclasses.field(default_factory=list)

    def first(self, kind: str, state: str | None = None) -> float | None:
        """``time.monotonic()`` of the first event of class ``kind`` (and ``state``)."""
        for at, event in self.events:
            if type(event).__name__ != kind:
                continue
            if state is None or getattr(getattr(event, "state", None), "value", None) == state:
                return at
        return None


def run_headless(
    flow: str,
    seconds: float,
    until: Callable[[AppWatch], bool] | None = None,
    tick: Callable[[AppWatch], None] | None = None,
    size: tuple[int, int] = (120, 40),
    before_stop: Callable[[AppWatch], None] | None = None,
) -> AppWatch:
    """Run the app on ``flow`` for up to ``seconds`` (or until ``until(watch)``), then quit.

    Args:
        flow: The flow to start at once (as ``voicereflect --flow``).
        seconds: Longest run.
        until: Stop early when this returns True (checked every 50 ms).
        tick: Called every 50 ms on the app's event loop (keep it quick).
        size: Terminal size.
        before_stop: Called while everything still runs, just before the session stops
            (read the session's counters here).
    """
    from voicereflect.tui.app import VoiceReflectApp
    from voicereflect.tui.wiring import real_services

    watch = AppWatch()
    services = real_services()
    make_session = services.session_factory

    def session_factory(config: Any, flow_id: str | None, on_event: Any) -> Any:
        def seen(event: Any) -> None:
            watch.events.append((time.monotonic(), event))
            on_event(event)

        watch.session = make_session(config, flow_id, seen)
        return watch.session

    services = dataclasses.replace(services, session_factory=session_factory)
    app = VoiceReflectApp(load_config(), services, flow=flow)

    def hook(message: Any) -> None:
        # Textual posts Ready to the app right after the first frame went to the driver.
        if watch.first_paint is None and type(message).__name__ == "Ready":
            watch.first_paint = time.monotonic()

    async def drive() -> None:
        async with app.run_test(headless=True, size=size, message_hook=hook) as pilot:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                if tick is not None:
                    tick(watch)
                if until is not None and until(watch):
                    break
                await asyncio.sleep(0.05)
            if before_stop is not None:
                before_stop(watch)
            if watch.session is not None:
                watch.session.stop()
            await pilot.press("ctrl+q")

    asyncio.run(drive())
    return watch
