"""Journal exports: Markdown, plain text, JSON (``importing`` reads it back), share packets."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from voicereflect.i18n import _, ngettext
from voicereflect.journal.records import EntryRecord, SessionRecord
from voicereflect.journal.text import inert

JSON_FORMAT = "voicereflect-journal"
JSON_VERSION = 1
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def when(ts: float | None) -> str:
    """A timestamp as exports, the CLI and the app show it: local time, to the minute."""
    if ts is None:
        return "—"
    try:
        return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")
    except (OverflowError, OSError, ValueError):
        # Only an old import could store such a time (imports check it now); show the rest.
        return "(no valid date)"


def _rating(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def rating_text(e: EntryRecord) -> str:
    """An entry's rating as shown everywhere ("7", or "7 for “How sure are you?”")."""
    if e.rating is None:
        return ""
    value = _rating(e.rating)
    return _("{value} for “{question}”").format(value=value, question=e.rates) if e.rates else value


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
            if e.rates is not None:
                item["rates"] = e.rates
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
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    # json escapes C0 controls itself; C1 controls and bidi overrides are escaped too, so
    # `cat export.json` cannot drive the terminal and the import still restores them exactly.
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# ----- Markdown and text --------------------------------------------------------------------


def _quote(text: str) -> str:
    """A Markdown block quote that keeps the person's line breaks."""
    return "\n".join("> " + line if line else ">" for line in text.splitlines() or [""])


def _session_heading(r: SessionRecord) -> str:
    return f"## {when(r.started_at)} — {r.flow}"


def _session_facts(r: SessionRecord, *, with_ids: bool) -> list[str]:
    facts = []
    if with_ids:
        facts.append(_("Session {id} · language {language}").format(id=r.id, language=r.language))
    if r.mood:
        facts.append(_mood(r.mood))
    if r.tags:
        facts.append(_("Tags: {tags}").format(tags=", ".join(r.tags)))
    if r.next_step:
        facts.append(_next_step(r.next_step))
    return facts


def _mood(mood: str) -> str:
    return _("Mood: {mood}").format(mood=_(mood))


def _next_step(step: str) -> str:
    return _("Next small step: {step}").format(step=step)


def _rating_line(e: EntryRecord) -> str:
    return _("Rating: {value}").format(value=rating_text(e))


def to_markdown(records: list[SessionRecord]) -> str:
    """A readable Markdown journal, one section per session."""
    n = len(records)
    out = ["# " + ngettext("Journal: {n} session", "Journal: {n} sessions", n).format(n=n), ""]
    for r in records:
        out += [_session_heading(r), ""]
        out += [f"- {fact}" for fact in _session_facts(r, with_ids=True)] + [""]
        for e in r.entries:
            out += [f"**{e.prompt}**" if e.prompt else f"**({e.step_id})**", ""]
            out += [_quote(e.answer), ""]
            if e.rating is not None:
                out += [_rating_line(e), ""]
            if e.note:
                out += [_("Note: {note}").format(note=e.note), ""]
    return inert("\n".join(out).rstrip("\n") + "\n")


def to_text(records: list[SessionRecord]) -> str:
    """Plain text for reading aloud or pasting anywhere."""
    out = []
    for r in records:
        session = _("(session {id})").format(id=r.id)
        out += [f"{when(r.started_at)}  {r.flow}  {session}"]
        out += _session_facts(r, with_ids=False)
        out += [""]
        for e in r.entries:
            out += [e.prompt or e.step_id, "  " + e.answer.replace("\n", "\n  ")]
            if e.rating is not None:
                out += ["  " + _("rating: {value}").format(value=rating_text(e))]
            if e.note:
                out += ["  " + _("note: {note}").format(note=e.note)]
            out += [""]
        out += ["-" * 40, ""]
    return inert("\n".join(out))


def share_packet(records: list[SessionRecord], leave_out: set[int]) -> str:
    """Markdown to hand a therapist: the chosen sessions minus the entries left out.

    Ids, notes and audio are never included; notes were written for the person themselves.
    """
    out = ["# " + _("Reflections I chose to share"), ""]
    for r in records:
        out += [_session_heading(r), ""]
        # Mood and the next step help a conversation; tags and notes stay private.
        facts = [_mood(r.mood)] if r.mood else []
        facts += [_next_step(r.next_step)] if r.next_step else []
        if facts:
            out += [f"- {fact}" for fact in facts] + [""]
        for e in r.entries:
            if e.id in leave_out:
                continue
            out += [f"**{e.prompt}**" if e.prompt else f"**({e.step_id})**", ""]
            out += [_quote(e.answer), ""]
            if e.rating is not None:
                out += [_rating_line(e), ""]
    return inert("\n".join(out).rstrip("\n") + "\n")
