"""Text the journal stores and searches: UTF-8-safe answers, literal word queries, passphrases."""

from __future__ import annotations

import re

from voicereflect.i18n import N_
from voicereflect.journal.errors import JournalError

_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text SQLite can store as UTF-8: lone surrogates (undecodable bytes) become U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATES.sub("\ufffd", text)
    return text


def validate_passphrase(passphrase: str) -> str:
    """Reject passphrases SQLCipher would treat as 'no key' or cannot take."""
    if passphrase == "" or "\x00" in passphrase:
        raise JournalError(N_("a passphrase must be non-empty and cannot contain NUL characters"))
    return passphrase


# C0 controls (but newline and tab), DEL, C1 controls, and the bidirectional overrides that can
# make text read differently from what is stored. Each is shown as a visible stand-in.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\n\t]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ESC shows as ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def inert(text: str, *, one_line: bool = False) -> str:
    """Stored text made safe to print on a terminal: control characters shown, not obeyed.

    Escape sequences in an answer (typed, imported or recognised) must not move the cursor,
    clear the screen or retitle the window when the journal is shown.

    Args:
        text: what was stored.
        one_line: also show newlines and tabs (␤ and ␉), for fields printed on one line.
    """
    shown = _CONTROLS.sub(_visible, text)
    if one_line:
        shown = _LINE_BREAKS.sub(lambda m: "\u2424" if m.group() == "\n" else "\u2409", shown)
    return shown
