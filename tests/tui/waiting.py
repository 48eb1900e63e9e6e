"""Waiting on messages the app dispatches, without sleeping: a ``message_hook`` with events."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.message import Message


class MessageWaiter:
    """Records every message (pass ``hook`` to ``run_test``) and wakes waiters on a match."""

    def __init__(self) -> None:
        self.seen: list[Message] = []
        self._waiting: list[tuple[Callable[[Message], bool], asyncio.Event]] = []

    def hook(self, message: Message) -> None:
        self.seen.append(message)
        for predicate, event in self._waiting:
            if predicate(message):
                event.set()

    async def wait_for(self, predicate: Callable[[Message], bool], timeout: float = 20) -> None:
        """Until a message matching ``predicate`` is (or already was) dispatched."""
        if any(predicate(m) for m in self.seen):
            return
        event = asyncio.Event()
        self._waiting.append((predicate, event))
        try:
            await asyncio.wait_for(event.wait(), timeout)
        finally:
            self._waiting.remove((predicate, event))
