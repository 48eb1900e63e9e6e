"""Text the journal stores and searches: UTF-8-safe answers, literal word queries, passphrases."""

from __future__ import annotations

import re

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
        raise JournalError("a passphrase must be non-empty and cannot contain NUL characters")
    return passphrase


def words_query(query: str) -> str:
    """An FTS5 query matching every whitespace-separated word as a prefix, syntax-safe."""
    # FTS5 reads a query as a C string: a NUL would end it inside a quoted term.
    terms = [w.replace('"', '""') for w in clean_text(query).replace("\x00", " ").split()]
    return " ".join(f'"{t}"*' for t in terms if t)
