"""The journal store: sessions and answers, durable per answer, searchable, private on disk.

Durability: WAL + ``synchronous=FULL`` and one transaction per answer, so a kill loses at
most the answer being spoken. One writer at a time (a ``flock`` on ``journal.db.lock``);
read-only opens (``journal list`` while the app runs) take a shared lock on
``journal.db.readers`` instead, which only a passphrase change waits for.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voicereflect import paths
from voicereflect.i18n import N_
from voicereflect.journal import db, schema, search
from voicereflect.journal.errors import (
    DiskFull,
    JournalCorrupt,
    JournalError,
    JournalLocked,
    JournalNewer,
    JournalReadOnly,
    NoJournal,
    NoSuchRecord,
    NotEncrypted,
    PassphraseRequired,
    SearchSyntaxError,
    WrongPassphrase,
)
from voicereflect.journal.reading import ExportFormat, JournalReader
from voicereflect.journal.records import (
    EntryRecord,
    RatingPoint,
    SearchHit,
    SessionRecord,
    SessionSummary,
    words_to_json,
)
from voicereflect.journal.text import clean_text, validate_passphrase
from voicereflect.protocols import Word

__all__ = [
    "DiskFull",
    "EntryRecord",
    "Journal",
    "JournalCorrupt",
    "JournalError",
    "JournalLocked",
    "NoJournal",
    "NotEncrypted",
    "PassphraseRequired",
    "RatingPoint",
    "SearchHit",
    "SearchSyntaxError",
    "SessionRecord",
    "SessionSummary",
    "WrongPassphrase",
    "ExportFormat",
    "clean_text",
    "is_encrypted",
]

_UNSET: Any = object()


def is_encrypted(path: Path | None = None) -> bool:
    """Whether the journal at ``path`` needs a passphrase (so a UI knows to ask for one)."""
    path = paths.journal_path() if path is None else path
    return db.file_kind(path) is db.FileKind.ENCRYPTED


class _Outdated(Exception):
    """A read-only open found a journal an older version wrote (internal to ``open``)."""


@dataclass(frozen=True)
class _PendingEntry:
    """An answer that could not be written (disk full), kept in memory until it can."""

    session_id: int
    step_id: str
    prompt: str
    answer: str
    rating: float | None
    audio: bytes | None
    audio_rate: int | None
    at: float
    words: str | None
    rates: str | None


class Journal(JournalReader):
    """An open journal. Use ``Journal.open(...)`` as a context manager.

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
        super().__init__(
            conn, path, encrypted=encrypted, read_only=read_only, locks=locks, notices=notices
        )
        self._pending: list[_PendingEntry] = []

    # ----- opening and closing -------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        passphrase: str | None = None,
        *,
        read_only: bool = False,
        on_notice: Callable[[str], None] | None = None,
        on_progress: search.Progress | None = None,
    ) -> Journal:
        """Open (creating if needed) the journal, migrated to the current schema.

        A journal last written by an older version is migrated and its search index rebuilt
        first, even when opened ``read_only`` (unless another process is writing it, which
        has done so already); ``on_progress`` hears how far the rebuild has got.

        Args:
            path: the database file; defaults to ``paths.journal_path()``.
            passphrase: for an encrypted journal, or to create a new one encrypted.
            read_only: open for reading alongside a running writer; never creates.
            on_notice: called with each notice (permissions repaired, leftovers removed);
                notices are also kept in ``Journal.notices``.
            on_progress: ``(answers done, answers in all)`` while the search index is rebuilt.

        Raises:
            JournalLocked: another process is writing (or converting) the journal.
            PassphraseRequired, WrongPassphrase, NotEncrypted: passphrase problems.
            JournalCorrupt: the file is damaged; it is left untouched.
            NoJournal: ``read_only`` and there is no journal yet.
        """
        path = (paths.journal_path() if path is None else Path(path)).absolute()
        try:
            return cls._open(path, passphrase, read_only, on_notice, on_progress, upgrade=True)
        except _Outdated:
            pass
        try:
            cls._open(path, passphrase, False, None, on_progress, upgrade=True).close()
        except JournalLocked:
            pass  # the writer holding it brought it up to date when it opened it
        return cls._open(path, passphrase, read_only, on_notice, on_progress, upgrade=False)

    @classmethod
    def _open(
        cls,
        path: Path,
        passphrase: str | None,
        read_only: bool,
        on_notice: Callable[[str], None] | None,
        on_progress: search.Progress | None,
        *,
        upgrade: bool,
    ) -> Journal:
        if passphrase is not None:
            validate_passphrase(passphrase)
        notices: list[str] = []
        locks: list[db.FileLock] = []
        try:
            try:
                notices.extend(_secure_location(path))
            except OSError as exc:
                raise db.os_error(exc, path) from None
            kind = db.file_kind(path)
            if read_only:
                if kind is db.FileKind.MISSING:
                    raise NoJournal(path)
                locks.append(db.reader_lock(path))
            else:
                locks.append(db.writer_lock(path))
                notices.extend(_clean_leftovers(path))
                kind = db.file_kind(path)
                if kind is db.FileKind.MISSING:
                    try:
                        db.create_private_file(path)
                    except OSError as exc:
                        raise db.os_error(exc, path) from None
            if kind is db.FileKind.PLAIN and passphrase is not None:
                raise NotEncrypted(path)
            conn = db.connect(path, passphrase, read_only=read_only)
            try:
                with db.translated(path):
                    version = conn.execute("PRAGMA user_version").fetchone()[0]
                    if version > schema.latest_version():
                        raise JournalNewer(path, version, schema.latest_version())
                    if not read_only:
                        schema.migrate(conn)
                        search.reindex(conn, on_progress)
                    elif upgrade and (
                        version < schema.latest_version() or not search.index_ready(conn)
                    ):
                        raise _Outdated()
                notices.extend(db.tighten([path, *db.sidecars(path)]))
            except BaseException:
                conn.close()
                raise
        except BaseException:
            for lock in locks:
                lock.release()
            raise
        if on_notice is not None:
            for notice in notices:
                on_notice(notice)
        return cls(
            conn,
            path,
            encrypted=passphrase is not None,
            read_only=read_only,
            locks=locks,
            notices=notices,
        )

    def close(self) -> None:
        """Close the database and release the locks.

        A last attempt is made to write answers held back by a full disk; callers that care
        check ``pending_count`` first (after a failed attempt it is still non-zero).
        """
        with self._mutex:
            if self._conn is not None and self._pending:
                with contextlib.suppress(JournalError):
                    self.flush_pending()
            super().close()

    # ----- plumbing ------------------------------------------------------------------------

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Any]:
        """One committed transaction; rolled back whole on any failure."""
        if self.read_only and not db.writable_dir(self.path):
            raise JournalReadOnly(self.path)
        if self.read_only:
            raise JournalError(N_("this journal was opened read-only; close the app to change it"))
        with self._reading() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _checkpoint(self) -> None:
        """Move the WAL into the database and truncate it, so deleted pages leave the WAL."""
        with self._reading() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()

    def _require(self, conn: Any, table: str, ident: int) -> None:
        row = conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (ident,)).fetchone()
        if row is None:
            raise NoSuchRecord("session" if table == "sessions" else "entry", ident)

    # ----- writing -------------------------------------------------------------------------

    def start_session(self, flow: str, language: str, started_at: float) -> int:
        """Record the start of a session and return its id (committed)."""
        with self._writing() as conn:
            cur = conn.execute(
                "INSERT INTO sessions(flow, language, started_at) VALUES (?, ?, ?)",
                (clean_text(flow), clean_text(language), float(started_at)),
            )
            return int(cur.lastrowid)

    def add_entry(
        self,
        session_id: int,
        step_id: str,
        prompt: str,
        answer: str,
        rating: float | None = None,
        audio: bytes | None = None,
        audio_rate: int | None = None,
        at: float | None = None,
        words: tuple[Word, ...] = (),
        rates: str | None = None,
    ) -> int:
        """Save one answer, committed and durable before this returns; returns its id.

        ``words`` are the recogniser's words of a spoken answer (times, confidences);
        ``rates`` the question a rating belongs to when it was given to a re-asked question.

        Answers held back by an earlier full disk are written first, in order.

        Raises:
            DiskFull: nothing could be written; this answer is kept in memory
                (``pending_count``) and retried by the next call or ``flush_pending()``.
        """
        if audio is not None and not audio_rate:
            raise ValueError("audio needs its sample rate")
        pending = _PendingEntry(
            session_id,
            clean_text(step_id),
            clean_text(prompt),
            clean_text(answer),
            None if rating is None else float(rating),
            None if audio is None else bytes(audio),
            audio_rate,
            time.time() if at is None else float(at),
            words_to_json(words),
            None if rates is None else clean_text(rates),
        )
        with self._mutex:
            self._pending.append(pending)
            ids = self.flush_pending()
            return ids[-1]

    @property
    def pending_count(self) -> int:
        """Answers kept in memory because the disk was full."""
        return len(self._pending)

    def flush_pending(self) -> list[int]:
        """Write answers held back by a full disk; returns their new ids, in order.

        Raises:
            DiskFull: still no space; the answers stay in memory.
        """
        ids: list[int] = []
        with self._mutex:
            while self._pending:
                item = self._pending[0]
                try:
                    entry_id = self._insert_entry(item)
                except (DiskFull, JournalLocked):
                    raise  # transient: keep it in memory and retry later
                except BaseException:
                    self._pending.pop(0)  # this entry can never be written; don't block others
                    raise
                self._pending.pop(0)
                ids.append(entry_id)
        return ids

    def _insert_entry(self, item: _PendingEntry) -> int:
        with self._writing() as conn:
            self._require(conn, "sessions", item.session_id)
            cur = conn.execute(
                "INSERT INTO entries"
                "(session_id, step_id, prompt, answer, rating, at, words, rates)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    item.session_id,
                    item.step_id,
                    item.prompt,
                    item.answer,
                    item.rating,
                    item.at,
                    item.words,
                    item.rates,
                ),
            )
            entry_id = int(cur.lastrowid)
            search.index_entry(conn, entry_id, item.prompt, item.answer, None)
            if item.audio is not None:
                conn.execute(
                    "INSERT INTO audio(entry_id, rate, pcm) VALUES (?, ?, ?)",
                    (entry_id, item.audio_rate, item.audio),
                )
        return entry_id

    def end_session(
        self,
        session_id: int,
        ended_at: float,
        next_step: str | None = None,
        mood: str | None = None,
    ) -> None:
        """Record the end of a session, with the next small step the person chose.

        Answers held back by a full disk are written first.
        """
        self.flush_pending()
        with self._writing() as conn:
            self._require(conn, "sessions", session_id)
            conn.execute(
                "UPDATE sessions SET ended_at = ?, next_step = coalesce(?, next_step),"
                " mood = coalesce(?, mood) WHERE id = ?",
                (
                    float(ended_at),
                    None if next_step is None else clean_text(next_step),
                    None if mood is None else clean_text(mood),
                    session_id,
                ),
            )

    def update_entry(
        self,
        entry_id: int,
        *,
        answer: str = _UNSET,
        note: str | None = _UNSET,
        rating: float | None = _UNSET,
    ) -> None:
        """Correct an answer, or add a note or rating to it afterwards."""
        changes: list[tuple[str, Any]] = []
        if answer is not _UNSET:
            changes.append(("answer", clean_text(answer)))
        if note is not _UNSET:
            changes.append(("note", None if note is None else clean_text(note)))
        if rating is not _UNSET:
            changes.append(("rating", None if rating is None else float(rating)))
        if not changes:
            return
        with self._writing() as conn:
            self._require(conn, "entries", entry_id)
            assignments = ", ".join(f"{column} = ?" for column, _ in changes)
            conn.execute(
                f"UPDATE entries SET {assignments} WHERE id = ?",
                [value for _, value in changes] + [entry_id],
            )
            row = conn.execute(
                "SELECT prompt, answer, note FROM entries WHERE id = ?", (entry_id,)
            ).fetchone()
            search.index_entry(conn, entry_id, *row)

    def tag(self, session_id: int, *tags: str) -> None:
        """Add tags to a session (adding one it already has is fine)."""
        with self._writing() as conn:
            self._require(conn, "sessions", session_id)
            conn.executemany(
                "INSERT OR IGNORE INTO tags(session_id, tag) VALUES (?, ?)",
                [(session_id, clean_text(t).strip()) for t in tags if t.strip()],
            )

    def untag(self, session_id: int, *tags: str) -> None:
        """Remove tags from a session."""
        with self._writing() as conn:
            conn.executemany(
                "DELETE FROM tags WHERE session_id = ? AND tag = ?",
                [(session_id, clean_text(t).strip()) for t in tags],
            )

    def set_mood(self, session_id: int, mood: str | None) -> None:
        """Set or clear the mood the person gave the session."""
        with self._writing() as conn:
            self._require(conn, "sessions", session_id)
            conn.execute(
                "UPDATE sessions SET mood = ? WHERE id = ?",
                (None if mood is None else clean_text(mood), session_id),
            )

    def delete_sessions(self, ids: Iterable[int]) -> int:
        """Delete sessions with their entries, audio and index terms; returns how many.

        ``secure_delete`` zeroes the freed pages, FTS5 secure-delete removes the terms, and
        the WAL is checkpointed and truncated so no copy of the pages stays behind in it.
        """
        wanted = sorted(set(ids))
        with self._writing() as conn:
            count = 0
            for session_id in wanted:
                count += conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount
        self._checkpoint()
        return count

    def drop_audio(self, entry_id: int) -> bool:
        """Delete one answer's audio (the words stay); True if there was audio."""
        with self._writing() as conn:
            dropped = conn.execute("DELETE FROM audio WHERE entry_id = ?", (entry_id,)).rowcount
        self._checkpoint()
        return bool(dropped)

    # ----- import ------------------------------------------------------------------------------

    def import_json(self, text: str) -> list[int]:
        """Add the sessions of a JSON export, in one transaction; returns their ids here.

        Ids are kept when free, so importing into an empty journal restores it exactly.

        Raises:
            ImportFormatError: the text is not a voicereflect JSON export (nothing imported).
        """
        from voicereflect.journal import importing

        sessions = importing.parse_json(text)
        new_ids = []
        with self._writing() as conn:
            for item in sessions:
                new_ids.append(importing.insert_session(conn, item))
        return new_ids


def _secure_location(path: Path) -> list[str]:
    """Make the journal's directory private; the whole data dir when it lives there."""
    parent = path.parent
    root = paths.data_dir()
    if parent == root or root in parent.parents:
        paths.ensure_private_dir(root)
        paths.ensure_private_dir(parent)
        return [
            f"{r.path} was readable by others (mode {r.old_mode:o}); "
            f"it is now private ({r.new_mode:o})"
            for r in paths.repair_private_tree(root)
        ]
    # Outside the data dir (a path the person chose) only create the directory: tightening
    # an existing one could lock them out of, say, their home directory.
    parent.mkdir(mode=paths.DIR_MODE, parents=True, exist_ok=True)
    return []


def _clean_leftovers(path: Path) -> list[str]:
    """Remove what an interrupted passphrase change left; the journal itself is intact."""
    from voicereflect.journal.crypto import remove_leftovers

    removed = remove_leftovers(path)
    if not removed:
        return []
    return [
        "an interrupted passphrase change was cleaned up; the journal itself is intact "
        "(if your passphrase no longer opens it, the new one you typed will)"
    ]
