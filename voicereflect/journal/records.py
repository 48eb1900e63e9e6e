"""Frozen records the journal returns: sessions, entries, search hits, rating points."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from voicereflect.protocols import Word


@dataclass(frozen=True)
class EntryRecord:
    """One answer: the prompt asked, what the person said, and what they added later."""

    id: int
    session_id: int
    step_id: str
    prompt: str
    answer: str
    rating: float | None
    note: str | None
    at: float
    has_audio: bool
    words: tuple[Word, ...] = ()
    rates: str | None = None  # the question this rating belongs to, when asked again


@dataclass(frozen=True)
class SessionSummary:
    """A session without its entries, for lists."""

    id: int
    flow: str
    language: str
    started_at: float
    ended_at: float | None
    next_step: str | None
    mood: str | None
    tags: tuple[str, ...]
    entry_count: int


@dataclass(frozen=True)
class SessionRecord:
    """A whole session with its entries in the order they were said."""

    id: int
    flow: str
    language: str
    started_at: float
    ended_at: float | None
    next_step: str | None
    mood: str | None
    tags: tuple[str, ...]
    entries: tuple[EntryRecord, ...]


@dataclass(frozen=True)
class SearchHit:
    """One matching entry; ``snippet`` marks matches with ``HIGHLIGHT_START``/``_END``."""

    session_id: int
    entry_id: int
    snippet: str
    rank: float
    started_at: float


@dataclass(frozen=True)
class RatingPoint:
    """One rating given at a step, for a trend over time."""

    session_id: int
    entry_id: int
    at: float
    rating: float


# Markers chosen from Unicode private use, so they never collide with spoken text; the CLI
# and TUI turn them into their own highlighting.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_END = "\ue001"


def words_to_json(words: tuple[Word, ...]) -> str | None:
    """The stored form of an answer's recognised words (None when there are none)."""
    if not words:
        return None
    return json.dumps([[w.word, w.start, w.end, w.conf] for w in words], ensure_ascii=False)


def words_from_json(raw: Any) -> tuple[Word, ...]:
    """Recognised words back from their stored form; anything malformed reads as none."""
    if not raw:
        return ()
    try:
        items = json.loads(raw) if isinstance(raw, str) else raw
        return tuple(Word(str(w), float(s), float(e), float(c)) for w, s, e, c in items)
    except (TypeError, ValueError):
        return ()
