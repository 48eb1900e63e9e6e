"""The base of every error a user can cause, turned by the CLI into one line and an exit code."""

from __future__ import annotations


class VoicereflectError(Exception):
    """An error with a message written for the person using voicereflect.

    Subclasses live beside the code that raises them (``ModelNotFound`` in
    ``speech.models``, ``JournalLocked`` in ``journal.store``...). The message must never
    contain transcript text or a passphrase: it is printed and may be logged.
    """

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
