"""The base of every error a user can cause, turned by the CLI into one line and an exit code."""

from __future__ import annotations

from voicereflect.i18n import _


class VoicereflectError(Exception):
    """An error with a message written for the person using voicereflect.

    Subclasses live beside the code that raises them (``ModelNotFound`` in
    ``speech.models``, ``JournalLocked`` in ``journal.store``...). The message must never
    contain transcript text or a passphrase: it is printed and may be logged.

    The message is an English template marked with ``N_`` and its values are keyword fields:
    ``AudioFileError(N_("{name}: no such file"), name=name)``. ``message`` translates it
    each time it is read, so it is in the language of whoever shows it (an error raised
    before the UI language was chosen, or shown after it changed, is still right). A
    message built from another (already translated) text passes through unchanged.
    """

    exit_code: int = 1

    def __init__(self, message: str, **fields: object) -> None:
        super().__init__(message)
        self.template = message
        self.fields = fields

    @property
    def message(self) -> str:
        """The message in the current UI language."""
        text = _(self.template)
        return text.format(**self.fields) if self.fields else text

    def __str__(self) -> str:
        return self.message
