"""Reading an open journal: lists, sessions, ranked search, trends, audio, exports."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

from voicereflect.i18n import N_
from voicereflect.journal import db, search
from voicereflect.journal.analyzer import parse_query
from voicereflect.journal.errors import JournalError, NoSuchRecord, SearchSyntaxError
from voicereflect.journal.records import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    EntryRecord,
    RatingPoint,
    SearchHit,
    SessionRecord,
    SessionSummary,
    words_from_json,
)

ExportFormat = Literal["md", "json", "txt"]


class JournalReader:
    """The read side of a journal; ``store.Journal`` adds opening and writing.

    Thread-safe: one connection guarded by a lock, so a UI worker thread may write while the
    UI thread reads. Every error a person can cause is a ``JournalError``.
    """

    def __init__(
        self,
        conn: Any,
        path: Path,
        *,
        encrypted: bool,
        read_only: bool,
        locks: list[db.FileLock],
        notices: list[str],
    ) -> None:
        self._conn = conn
        self.path = path
        self.encrypted = encrypted
        self.read_only = read_only
        self.notices = notices
        self._locks = locks
        self._mutex = threading.RLock()

    def close(self) -> None:
        """Close the database, then release the locks (in that order, so no one races in)."""
        with self._mutex:
            if self._conn is None:
                return
            self._conn.close()
            self._conn = None
            for lock in self._locks:
                lock.release()
            self._locks = []

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Any]:
        with self._mutex, db.translated(self.path):
            if self._conn is None:
                raise JournalError(N_("the journal is closed"))
            yield self._conn

    # ----- reading -------------------------------------------------------------------------

    def sessions(
        self,
        since: float | None = None,
        until: float | None = None,
        tag: str | None = None,
        limit: int | None = None,
    ) -> list[SessionSummary]:
        """Sessions newest first, optionally within ``[since, until)`` or with a tag."""
        where: list[str] = []
        params: list[Any] = []
        if since is not None:
            where.append("s.started_at >= ?")
            params.append(float(since))
        if until is not None:
            where.append("s.started_at < ?")
            params.append(float(until))
        if tag is not None:
            where.append("EXISTS (SELECT 1 FROM tags t WHERE t.session_id = s.id AND t.tag = ?)")
            params.append(tag)
        sql = (
            "SELECT s.id, s.flow, s.language, s.started_at, s.ended_at, s.next_step, s.mood,"
            " (SELECT json_group_array(tag ORDER BY tag) FROM tags t WHERE t.session_id = s.id),"
            " (SELECT count(*) FROM entries e WHERE e.session_id = s.id)"
            " FROM sessions s"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY s.started_at DESC, s.id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        with self._reading() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [
            SessionSummary(r[0], r[1], r[2], r[3], r[4], r[5], r[6], tuple(json.loads(r[7])), r[8])
            for r in rows
        ]

    def session(self, session_id: int) -> SessionRecord:
        """One session with all its entries.

        Raises:
            NoSuchRecord: there is no session with that id.
        """
        with self._reading() as conn:
            row = conn.execute(
                "SELECT id, flow, language, started_at, ended_at, next_step, mood"
                " FROM sessions WHERE id = ?",
                (session_id,),
            ).fetchone()
            if row is None:
                raise NoSuchRecord("session", session_id)
            tags = [
                t
                for (t,) in conn.execute(
                    "SELECT tag FROM tags WHERE session_id = ? ORDER BY tag", (session_id,)
                )
            ]
            entries = conn.execute(
                "SELECT e.id, e.session_id, e.step_id, e.prompt, e.answer, e.rating, e.note,"
                " e.at, EXISTS (SELECT 1 FROM audio a WHERE a.entry_id = e.id), e.words, e.rates"
                " FROM entries e WHERE e.session_id = ? ORDER BY e.at, e.id",
                (session_id,),
            ).fetchall()
        return SessionRecord(
            id=row[0],
            flow=row[1],
            language=row[2],
            started_at=row[3],
            ended_at=row[4],
            next_step=row[5],
            mood=row[6],
            tags=tuple(tags),
            entries=tuple(
                EntryRecord(
                    id=e[0],
                    session_id=e[1],
                    step_id=e[2],
                    prompt=e[3],
                    answer=e[4],
                    rating=e[5],
                    note=e[6],
                    at=e[7],
                    has_audio=bool(e[8]),
                    words=words_from_json(e[9]),
                    rates=e[10],
                )
                for e in entries
            ),
        )

    def search(self, query: str, limit: int = 50, *, words: bool = False) -> list[SearchHit]:
        """Entries matching ``query``, best first (FTS5 bm25), with highlighted snippets.

        Words match in any form: the query and the journal go through one analyzer
        (``journal.analyzer``: English lemmas, Korean morphemes), so "walk" finds "walked" and
        "사과" finds "사과하고"; snippets show the person's own words, marked.

        Args:
            query: FTS5 syntax (words, "phrases", prefix*, AND/OR/NOT), or with
                ``words=True`` plain words, each matched as a prefix, all required.
            limit: at most this many hits.
            words: treat the query as literal words; never a syntax error.

        Raises:
            SearchSyntaxError: the query is not valid FTS5 syntax (the query is not echoed).
        """
        parsed = parse_query(query, words=words)
        if not parsed.match.strip():
            return []
        sql = (
            "SELECT e.session_id, e.id, bm25(search_fts, 0.5, 1.0, 0.8), s.started_at,"
            " e.prompt, e.answer, e.note"
            " FROM search_fts JOIN entries e ON e.id = search_fts.rowid"
            " JOIN sessions s ON s.id = e.session_id"
            " WHERE search_fts MATCH ? ORDER BY 3 LIMIT ?"
        )
        try:
            with self._reading() as conn:
                rows = conn.execute(sql, (parsed.match, int(limit))).fetchall()
        except Exception as exc:
            if db.is_syntax_error(exc):
                raise SearchSyntaxError() from None
            raise
        return [
            SearchHit(
                r[0],
                r[1],
                search.snippet(r[4:7], parsed, HIGHLIGHT_START, HIGHLIGHT_END),
                r[2],
                r[3],
            )
            for r in rows
        ]

    def last_next_step(self) -> str | None:
        """The next small step the person chose in their most recent session that has one."""
        with self._reading() as conn:
            row = conn.execute(
                "SELECT next_step FROM sessions WHERE next_step IS NOT NULL AND next_step != ''"
                " ORDER BY started_at DESC, id DESC LIMIT 1"
            ).fetchone()
        return None if row is None else str(row[0])

    def ratings_over_time(self, step_id: str) -> list[RatingPoint]:
        """Every rating given at ``step_id``, oldest first."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT session_id, id, at, rating FROM entries"
                " WHERE step_id = ? AND rating IS NOT NULL ORDER BY at, id",
                (step_id,),
            ).fetchall()
        return [RatingPoint(*r) for r in rows]

    def entry_audio(self, entry_id: int) -> tuple[bytes, int] | None:
        """One answer's stored audio as (16-bit mono PCM, sample rate), or None."""
        with self._reading() as conn:
            row = conn.execute(
                "SELECT pcm, rate FROM audio WHERE entry_id = ?", (entry_id,)
            ).fetchone()
        return None if row is None else (bytes(row[0]), int(row[1]))

    def session_ids(self) -> list[int]:
        """Every session id, oldest first."""
        with self._reading() as conn:
            return [i for (i,) in conn.execute("SELECT id FROM sessions ORDER BY started_at, id")]

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` result ('ok' when healthy)."""
        with self._reading() as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(str(r[0]) for r in rows)

    def export(self, ids: Iterable[int] | None = None, fmt: ExportFormat = "md") -> str:
        """Render sessions (all when ``ids`` is None) as Markdown, JSON or plain text."""
        from voicereflect.journal import export

        records = [self.session(i) for i in (self.session_ids() if ids is None else ids)]
        if fmt == "json":
            audio = {
                e.id: a
                for r in records
                for e in r.entries
                if e.has_audio and (a := self.entry_audio(e.id)) is not None
            }
            return export.to_json(records, audio)
        if fmt == "md":
            return export.to_markdown(records)
        if fmt == "txt":
            return export.to_text(records)
        raise ValueError(f"unknown export format {fmt!r}")

    def share_packet(self, session_ids: Iterable[int], leave_out: Iterable[int] = ()) -> str:
        """Markdown of chosen sessions for a therapist, without the entries in ``leave_out``."""
        from voicereflect.journal import export

        records = [self.session(i) for i in session_ids]
        return export.share_packet(records, set(leave_out))
