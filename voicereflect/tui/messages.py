"""Messages that carry the session's events (posted from its threads) into the UI."""

from __future__ import annotations

from textual.message import Message

# Events that arrive many times a second and where only the newest matters.
_COALESCING = frozenset({"PartialText", "Partial", "LevelChanged"})


class SessionEvent(Message):
    """One event from the session runner, posted by its thread with ``post_message``.

    The session emits frozen dataclasses from plain threads; this wrapper is the only thing
    those threads hand to Textual, which makes it safe (``post_message`` is thread-safe).
    """

    def __init__(self, event: object) -> None:
        super().__init__()
        self.event = event
        self.kind = type(event).__name__

    def can_replace(self, message: Message) -> bool:
        # A newer partial transcript makes a queued older one pointless (toolong's pattern).
        return (
            isinstance(message, SessionEvent)
            and self.kind in _COALESCING
            and message.kind == self.kind
        )

    def __repr__(self) -> str:
        # Events carry transcript text; never let a repr (logs, tracebacks) show it.
        return f"SessionEvent({self.kind})"


class DownloadProgress(Message):
    """Bytes of a model download so far; coalesces, only the latest matters."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DownloadProgress)
