"""Reading a JSON export back: every field checked (type, range, size) before anything is written.

An import is refused whole, with one line naming the first bad field and never its text, so
a hostile or damaged file cannot put a value into the journal that a later list, search or
export would choke on (a timestamp of 1e300, an id beyond SQLite's integers).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from voicereflect.journal import search
from voicereflect.journal.errors import ImportFormatError
from voicereflect.journal.export import JSON_FORMAT, JSON_VERSION
from voicereflect.journal.records import EntryRecord, SessionRecord, words_to_json
from voicereflect.journal.text import clean_text
from voicereflect.protocols import Word

MAX_ID = 2**63 - 1  # SQLite's largest INTEGER
LATEST_TIME = 253_402_300_799.0  # 9999-12-31 23:59:59 UTC: the last time a date can show
MAX_RATING = 100.0  # the widest scale a flow asks (0-100)
MAX_LONG = 10_000_000  # characters in an answer, prompt or note
MAX_SHORT = 10_000  # characters in a flow, language, step, mood, tag or next step
MAX_TAGS = 1_000
RATES = (8_000, 192_000)  # audio sample rates a microphone gives


@dataclass(frozen=True)
class ImportedEntry:
    """An entry read from a JSON export, with its audio if it had any."""

    record: EntryRecord
    audio: tuple[bytes, int] | None


@dataclass(frozen=True)
class ImportedSession:
    """A session read from a JSON export."""

    record: SessionRecord
    entries: tuple[ImportedEntry, ...]


def _bad(where: str, key: str, problem: str) -> ImportFormatError:
    return ImportFormatError(f"{where}: '{key}' {problem}")


def _get(obj: Mapping[str, Any], key: str, where: str, *, optional: bool) -> Any:
    if key not in obj:
        if optional:
            return None
        raise ImportFormatError(f"{where} has no '{key}'")
    return obj[key]


def _text(
    obj: Mapping[str, Any], key: str, where: str, *, limit: int, optional: bool = False
) -> str | None:
    value = _get(obj, key, where, optional=optional)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise _bad(where, key, "should be text" + (" or null" if optional else ""))
    if len(value) > limit:
        raise _bad(where, key, f"is longer than {limit:,} characters")
    return clean_text(value)


def _integer(obj: Mapping[str, Any], key: str, where: str, low: int, high: int) -> int:
    value = _get(obj, key, where, optional=False)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(where, key, "should be a whole number")
    if not low <= value <= high:
        raise _bad(where, key, f"is outside {low:,} to {high:,}")
    return value


def _number(
    obj: Mapping[str, Any],
    key: str,
    where: str,
    high: float,
    *,
    kind: str = "a number",
    optional: bool = False,
) -> float | None:
    """A finite number from 0 to ``high`` (a time: ``kind`` says so in the message)."""
    value = _get(obj, key, where, optional=optional)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad(where, key, f"should be {kind}" + (" or null" if optional else ""))
    if not (math.isfinite(value) and 0 <= value <= high):
        raise _bad(where, key, f"is not {kind} from 0 to {high:,.0f}")
    return float(value)


def _time(obj: Mapping[str, Any], key: str, where: str, *, optional: bool = False) -> Any:
    return _number(obj, key, where, LATEST_TIME, kind="a time in seconds", optional=optional)


def _audio(e: Mapping[str, Any], where: str) -> tuple[bytes, int] | None:
    a = e.get("audio")
    if a is None:
        return None
    if not isinstance(a, dict):
        raise _bad(where, "audio", "should be an object or null")
    rate = _integer(a, "rate", f"{where}, audio", *RATES)
    encoded = _text(a, "pcm", f"{where}, audio", limit=2**31)
    try:
        pcm = base64.b64decode(encoded or "", validate=True)
    except binascii.Error:
        raise _bad(where, "audio", "is not base64") from None
    return pcm, rate


def _words(e: Mapping[str, Any], where: str) -> tuple[Word, ...]:
    """The recogniser's words of a spoken answer: [word, start, end, confidence] each."""
    raw = e.get("words")
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_LONG // 10:
        raise _bad(where, "words", "should be a list of [word, start, end, confidence]")
    words = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, list) or len(item) != 4:
            raise _bad(where, "words", f"item #{n} should be [word, start, end, confidence]")
        fields = dict(zip(("word", "start", "end", "conf"), item, strict=True))
        at = f"{where}, word #{n}"
        words.append(
            Word(
                _text(fields, "word", at, limit=MAX_SHORT) or "",
                _time(fields, "start", at),
                _time(fields, "end", at),
                _number(fields, "conf", at, 1.0) or 0.0,
            )
        )
    return tuple(words)


def _entry(e: Any, where: str) -> ImportedEntry:
    if not isinstance(e, dict):
        raise ImportFormatError(f"{where} is not an object")
    audio = _audio(e, where)
    record = EntryRecord(
        id=_integer(e, "id", where, 1, MAX_ID),
        session_id=0,
        step_id=_text(e, "step_id", where, limit=MAX_SHORT) or "",
        prompt=_text(e, "prompt", where, limit=MAX_LONG) or "",
        answer=_text(e, "answer", where, limit=MAX_LONG) or "",
        rating=_number(e, "rating", where, MAX_RATING, optional=True),
        note=_text(e, "note", where, limit=MAX_LONG, optional=True),
        at=_time(e, "at", where),
        has_audio=audio is not None,
        words=_words(e, where),
        rates=_text(e, "rates", where, limit=MAX_LONG, optional=True),
    )
    return ImportedEntry(record, audio)


def _session(s: Any, where: str) -> ImportedSession:
    if not isinstance(s, dict):
        raise ImportFormatError(f"{where} is not an object")
    tags = _get(s, "tags", where, optional=False)
    if not isinstance(tags, list) or len(tags) > MAX_TAGS:
        raise _bad(where, "tags", f"should be a list of at most {MAX_TAGS:,} tags")
    checked_tags = tuple(_text({"tags": t}, "tags", where, limit=MAX_SHORT) or "" for t in tags)
    raw_entries = _get(s, "entries", where, optional=False)
    if not isinstance(raw_entries, list):
        raise _bad(where, "entries", "should be a list")
    entries = tuple(_entry(e, f"{where}, entry #{m}") for m, e in enumerate(raw_entries, 1))
    session = SessionRecord(
        id=_integer(s, "id", where, 1, MAX_ID),
        flow=_text(s, "flow", where, limit=MAX_SHORT) or "",
        language=_text(s, "language", where, limit=MAX_SHORT) or "",
        started_at=_time(s, "started_at", where),
        ended_at=_time(s, "ended_at", where, optional=True),
        next_step=_text(s, "next_step", where, limit=MAX_SHORT, optional=True),
        mood=_text(s, "mood", where, limit=MAX_SHORT, optional=True),
        tags=checked_tags,
        entries=tuple(e.record for e in entries),
    )
    return ImportedSession(session, entries)


def parse_json(text: str) -> list[ImportedSession]:
    """Validate and read a JSON export; errors name the place and field, never the text.

    Raises:
        ImportFormatError: the first problem found; nothing is imported.
    """
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"not valid JSON at line {exc.lineno}") from None
    except RecursionError:
        raise ImportFormatError("its JSON is nested too deeply") from None
    except ValueError:  # e.g. an integer with more digits than Python converts
        raise ImportFormatError("it holds a number too large to read") from None
    if not isinstance(doc, dict) or doc.get("format") != JSON_FORMAT:
        raise ImportFormatError("it does not say it is a voicereflect journal")
    if doc.get("version") != JSON_VERSION:
        raise ImportFormatError("its 'version' is not one this voicereflect reads")
    raw_sessions = doc.get("sessions")
    if not isinstance(raw_sessions, list):
        raise ImportFormatError("'sessions' is not a list")
    return [_session(s, f"session #{n}") for n, s in enumerate(raw_sessions, start=1)]


def _free_id(conn: Any, table: str, wanted: int) -> int | None:
    """Keep an exported id when it is free here, so a restore is exact; else let SQLite pick."""
    taken = conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (wanted,)).fetchone()
    return None if taken else wanted


def insert_session(conn: Any, item: ImportedSession) -> int:
    """Insert one checked session inside the caller's transaction; returns its id."""
    r = item.record
    cur = conn.execute(
        "INSERT INTO sessions(id, flow, language, started_at, ended_at, next_step, mood)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            _free_id(conn, "sessions", r.id),
            r.flow,
            r.language,
            r.started_at,
            r.ended_at,
            r.next_step,
            r.mood,
        ),
    )
    session_id = int(cur.lastrowid)
    conn.executemany(
        "INSERT OR IGNORE INTO tags(session_id, tag) VALUES (?, ?)",
        [(session_id, t) for t in r.tags],
    )
    for imported in item.entries:
        e = imported.record
        cur = conn.execute(
            "INSERT INTO entries"
            "(id, session_id, step_id, prompt, answer, rating, note, at, words, rates)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                _free_id(conn, "entries", e.id),
                session_id,
                e.step_id,
                e.prompt,
                e.answer,
                e.rating,
                e.note,
                e.at,
                words_to_json(e.words),
                e.rates,
            ),
        )
        search.index_entry(conn, int(cur.lastrowid), e.prompt, e.answer, e.note)
        if imported.audio is not None:
            pcm, rate = imported.audio
            conn.execute(
                "INSERT INTO audio(entry_id, rate, pcm) VALUES (?, ?, ?)",
                (int(cur.lastrowid), rate, pcm),
            )
    return session_id
