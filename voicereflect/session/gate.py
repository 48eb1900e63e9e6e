"""The gate between the controller and the listener: whether the microphone is listened to."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class GateView:
    """A consistent snapshot of the gate."""

    mode: str  # "closed" | "speaking" | "listening"
    token: int
    end_requested: bool
    phrases: tuple[str, ...]


class Gate:
    """Whether the microphone is listened to; the controller writes, the listener reads.

    Every opening gets a new ``token``: a finished turn carries the token it was heard
    under, so an answer that arrives after the question moved on is recognised and dropped.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._mode = "closed"
        self._token = 0
        self._end_token = -1
        self._phrases: tuple[str, ...] = ()

    def view(self) -> GateView:
        with self._lock:
            return GateView(self._mode, self._token, self._end_token == self._token, self._phrases)

    def listen(self, phrases: tuple[str, ...] = (), new_turn: bool = True) -> int:
        """Open for an answer; a new turn unless resuming the same one. Returns the token."""
        with self._lock:
            if new_turn:
                self._token += 1
            self._mode = "listening"
            self._phrases = phrases
            return self._token

    def speaking(self) -> None:
        """A question is being spoken: ignore the mic, watch for barge-in."""
        with self._lock:
            self._token += 1
            self._mode = "speaking"

    def close(self, new_turn: bool = True) -> None:
        """Stop listening; ``new_turn=False`` (pause) keeps the turn heard so far."""
        with self._lock:
            if new_turn:
                self._token += 1
            self._mode = "closed"

    def request_end(self) -> bool:
        """Ask the listener to end the current turn; False if not listening."""
        with self._lock:
            if self._mode != "listening":
                return False
            self._end_token = self._token
            return True

    def is_current(self, token: int, mode: str = "listening") -> bool:
        with self._lock:
            return self._token == token and self._mode == mode
