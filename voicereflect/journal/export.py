"""Journal exports: Markdown, plain text, JSON (which imports back exactly), share packets."""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from voicereflect.journal.errors import ImportFormatError
from voicereflect.journal.records import (
    EntryRecord,
    SessionRecord,
    words_from_json,
    words_to_json,
)

JSON_FORMAT = "voicereflect-journal"
JSON_VERSION = 1


def when(ts: float | None) -> str:
    """A timestamp as exports, the CLI and the app show it: local time, to the minute."""
    return "—" if ts is None else datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def _rating(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# ----- JSON ---------------------------------------------------------------------------------


def to_json(records: list[SessionRecord], audio: Mapping[int, tuple[bytes, int]]) -> str:
    """Everything needed to restore these sessions, audio included (base64)."""
    sessions = []
    for r in records:
        entries = []
        for e in r.entries:
            item: dict[str, Any] = {
                "id": e.id,
                "step_id": e.step_id,
                "prompt": e.prompt,
                "answer": e.answer,
                "rating": e.rating,
                "note": e.note,
                "at": e.at,
            }
            if e.words:
                item["words"] = [[w.word, w.start, w.end, w.conf] for w in e.words]
            if e.id in audio:
                pcm, rate = audio[e.id]
                item["audio"] = {"rate": rate, "pcm": base64.b64encode(pcm).decode("ascii")}
            entries.append(item)
        sessions.append(
            {
                "id": r.id,
                "flow": r.flow,
                "language": r.language,
                "started_at": r.started_at,
                "ended_at": r.ended_at,
                "next_step": r.next_step,
                "mood": r.mood,
                "tags": list(r.tags),
                "entries": entries,
            }
        )
    doc = {"format": JSON_FORMAT, "version": JSON_VERSION, "sessions": sessions}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


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


def _field(obj: Mapping[str, Any], key: str, kinds: tuple[type, ...], where: str) -> Any:
    if key not in obj:
        raise ImportFormatError(f"{where} has no '{key}'")
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, kinds):
        names = " or ".join("null" if k is type(None) else k.__name__ for k in kinds)
        raise ImportFormatError(f"{where}: '{key}' should be {names}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ImportFormatError(f"{where}: '{key}' is not a finite number")
    return value


def _number(obj: Mapping[str, Any], key: str, where: str, *, optional: bool = False) -> Any:
    kinds: tuple[type, ...] = (int, float, type(None)) if optional else (int, float)
    value = _field(obj, key, kinds, where)
    return None if value is None else float(value)


def parse_json(text: str) -> list[ImportedSession]:
    """Validate and read a JSON export; errors name the place, never the text."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"not valid JSON at line {exc.lineno}") from None
    if not isinstance(doc, dict) or doc.get("format") != JSON_FORMAT:
        raise ImportFormatError("it does not say it is a voicereflect journal")
    if doc.get("version") != JSON_VERSION:
        raise ImportFormatError(f"version {doc.get('version')!r} is not one this version reads")
    raw_sessions = doc.get("sessions")
    if not isinstance(raw_sessions, list):
        raise ImportFormatError("'sessions' is not a list")
    out = []
    opt_str = (str, type(None))
    for n, s in enumerate(raw_sessions, start=1):
        where = f"session #{n}"
        if not isinstance(s, dict):
            raise ImportFormatError(f"{where} is not an object")
        tags = _field(s, "tags", (list,), where)
        if not all(isinstance(t, str) for t in tags):
            raise ImportFormatError(f"{where}: tags must be strings")
        entries = []
        for m, e in enumerate(_field(s, "entries", (list,), where), start=1):
            ewhere = f"{where}, entry #{m}"
            if not isinstance(e, dict):
                raise ImportFormatError(f"{ewhere} is not an object")
            audio = None
            if e.get("audio") is not None:
                a = _field(e, "audio", (dict,), ewhere)
                try:
                    pcm = base64.b64decode(_field(a, "pcm", (str,), ewhere), validate=True)
                except binascii.Error:
                    raise ImportFormatError(f"{ewhere}: audio is not base64") from None
                audio = (pcm, int(_field(a, "rate", (int,), ewhere)))
            record = EntryRecord(
                id=_field(e, "id", (int,), ewhere),
                session_id=0,
                step_id=_field(e, "step_id", (str,), ewhere),
                prompt=_field(e, "prompt", (str,), ewhere),
                answer=_field(e, "answer", (str,), ewhere),
                rating=_number(e, "rating", ewhere, optional=True),
                note=_field(e, "note", opt_str, ewhere),
                at=_number(e, "at", ewhere),
                has_audio=audio is not None,
                words=words_from_json(e.get("words")),
            )
            entries.append(ImportedEntry(record, audio))
        session = SessionRecord(
            id=_field(s, "id", (int,), where),
            flow=_field(s, "flow", (str,), where),
            language=_field(s, "language", (str,), where),
            started_at=_number(s, "started_at", where),
            ended_at=_number(s, "ended_at", where, optional=True),
            next_step=_field(s, "next_step", opt_str, where),
            mood=_field(s, "mood", opt_str, where),
            tags=tuple(tags),
            entries=tuple(e.record for e in entries),
        )
        out.append(ImportedSession(session, tuple(entries)))
    return out


def _free_id(conn: Any, table: str, wanted: int) -> int | None:
    """Keep an exported id when it is free here, so a restore is exact; else let SQLite pick."""
    taken = conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (wanted,)).fetchone()
    return None if taken or wanted <= 0 else wanted


def insert_session(conn: Any, item: ImportedSession) -> int:
    """Insert one imported session inside the caller's transaction; returns its id."""
    from voicereflect.journal.text import clean_text

    r = item.record
    cur = conn.execute(
        "INSERT INTO sessions(id, flow, language, started_at, ended_at, next_step, mood)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            _free_id(conn, "sessions", r.id),
            clean_text(r.flow),
            clean_text(r.language),
            r.started_at,
            r.ended_at,
            None if r.next_step is None else clean_text(r.next_step),
            None if r.mood is None else clean_text(r.mood),
        ),
    )
    session_id = int(cur.lastrowid)
    conn.executemany(
        "INSERT OR IGNORE INTO tags(session_id, tag) VALUES (?, ?)",
        [(session_id, clean_text(t)) for t in r.tags],
    )
    for imported in item.entries:
        e = imported.record
        cur = conn.execute(
            "INSERT INTO entries(id, session_id, step_id, prompt, answer, rating, note, at, words)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                _free_id(conn, "entries", e.id),
                session_id,
                clean_text(e.step_id),
                clean_text(e.prompt),
                clean_text(e.answer),
                e.rating,
                None if e.note is None else clean_text(e.note),
                e.at,
                words_to_json(e.words),
            ),
        )
        if imported.audio is not None:
            pcm, rate = imported.audio
            conn.execute(
                "INSERT INTO audio(entry_id, rate, pcm) VALUES (?, ?, ?)",
                (int(cur.lastrowid), rate, pcm),
            )
    return session_id


# ----- Markdown and text --------------------------------------------------------------------


def _quote(text: str) -> str:
    """A Markdown block quote that keeps the person's line breaks."""
    return "\n".join("> " + line if line else ">" for line in text.splitlines() or [""])


def _session_heading(r: SessionRecord) -> str:
    return f"## {when(r.started_at)} — {r.flow}"


def _session_facts(r: SessionRecord, *, with_ids: bool) -> list[str]:
    facts = []
    if with_ids:
        facts.append(f"Session {r.id} · language {r.language}")
    if r.mood:
        facts.append(f"Mood: {r.mood}")
    if r.tags:
        facts.append("Tags: " + ", ".join(r.tags))
    if r.next_step:
        facts.append(f"Next small step: {r.next_step}")
    return facts


def to_markdown(records: list[SessionRecord]) -> str:
    """A readable Markdown journal, one section per session."""
    out = ["# Journal", ""]
    for r in records:
        out += [_session_heading(r), ""]
        out += [f"- {fact}" for fact in _session_facts(r, with_ids=True)] + [""]
        for e in r.entries:
            out += [f"**{e.prompt}**" if e.prompt else f"**({e.step_id})**", ""]
            out += [_quote(e.answer), ""]
            if e.rating is not None:
                out += [f"Rating: {_rating(e.rating)}", ""]
            if e.note:
                out += [f"Note: {e.note}", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def to_text(records: list[SessionRecord]) -> str:
    """Plain text for reading aloud or pasting anywhere."""
    out = []
    for r in records:
        out += [f"{when(r.started_at)}  {r.flow}  (session {r.id})"]
        out += _session_facts(r, with_ids=False)
        out += [""]
        for e in r.entries:
            out += [e.prompt or e.step_id, "  " + e.answer.replace("\n", "\n  ")]
            if e.rating is not None:
                out += [f"  rating: {_rating(e.rating)}"]
            if e.note:
                out += [f"  note: {e.note}"]
            out += [""]
        out += ["-" * 40, ""]
    return "\n".join(out)


def share_packet(records: list[SessionRecord], leave_out: set[int]) -> str:
    """Markdown to hand a therapist: the chosen sessions minus the entries left out.

    Ids, notes and audio are never included; notes were written for the person themselves.
    """
    out = ["# Reflections I chose to share", ""]
    for r in records:
        out += [_session_heading(r), ""]
        # Mood and the next step help a conversation; tags and notes stay private.
        facts = [f"Mood: {r.mood}"] if r.mood else []
        facts += [f"Next small step: {r.next_step}"] if r.next_step else []
        if facts:
            out += [f"- {fact}" for fact in facts] + [""]
        for e in r.entries:
            if e.id in leave_out:
                continue
            out += [f"**{e.prompt}**" if e.prompt else f"**({e.step_id})**", ""]
            out += [_quote(e.answer), ""]
            if e.rating is not None:
                out += [f"Rating: {_rating(e.rating)}", ""]
    return "\n".join(out).rstrip("\n") + "\n"
