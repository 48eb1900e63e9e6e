"""The journal's schema as a registered list of migrations, tracked by ``PRAGMA user_version``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Migration = Callable[[Any], None]

ANALYZER_VERSION = 1
"""The search analyzer's terms (``journal.analyzer``): bump when they change, and journals are
re-indexed on open. Kept here so the app's start checks it without loading the analyzer."""

MIGRATIONS: list[Migration] = []


def migration(func: Migration) -> Migration:
    """Register ``func`` as the next migration; its position + 1 is the version it produces."""
    MIGRATIONS.append(func)
    return func


def latest_version() -> int:
    """The schema version this code writes."""
    return len(MIGRATIONS)


@migration
def create_tables(conn: Any) -> None:
    """Version 1: sessions, entries, audio, tags and the full-text index over what was said."""
    conn.execute(
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            flow TEXT NOT NULL,
            language TEXT NOT NULL,
            started_at REAL NOT NULL,
            ended_at REAL,
            next_step TEXT,
            mood TEXT
        )"""
    )
    conn.execute("CREATE INDEX sessions_started ON sessions(started_at)")
    conn.execute(
        """CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            step_id TEXT NOT NULL,
            prompt TEXT NOT NULL,
            answer TEXT NOT NULL,
            rating REAL,
            note TEXT,
            at REAL NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX entries_session ON entries(session_id, at)")
    conn.execute("CREATE INDEX entries_step ON entries(step_id, at)")
    # Audio lives in the same database so a passphrase covers it; one row per entry so it
    # can be dropped on its own.
    conn.execute(
        """CREATE TABLE audio (
            entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
            rate INTEGER NOT NULL,
            pcm BLOB NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE tags (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (session_id, tag)
        ) WITHOUT ROWID"""
    )
    conn.execute("CREATE INDEX tags_tag ON tags(tag)")
    # External-content FTS5: the text is stored once (in entries); triggers keep the index in
    # step. 'secure-delete' makes FTS5 remove a deleted row's terms from the index itself
    # instead of adding delete markers, so deleted words do not linger in old segments.
    conn.execute(
        """CREATE VIRTUAL TABLE entries_fts USING fts5(
            prompt, answer, note,
            content='entries', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        )"""
    )
    conn.execute("INSERT INTO entries_fts(entries_fts, rank) VALUES ('secure-delete', 1)")
    conn.execute(
        """CREATE TRIGGER entries_ai AFTER INSERT ON entries BEGIN
            INSERT INTO entries_fts(rowid, prompt, answer, note)
            VALUES (new.id, new.prompt, new.answer, new.note);
        END"""
    )
    conn.execute(
        """CREATE TRIGGER entries_ad AFTER DELETE ON entries BEGIN
            INSERT INTO entries_fts(entries_fts, rowid, prompt, answer, note)
            VALUES ('delete', old.id, old.prompt, old.answer, old.note);
        END"""
    )
    conn.execute(
        """CREATE TRIGGER entries_au AFTER UPDATE OF prompt, answer, note ON entries BEGIN
            INSERT INTO entries_fts(entries_fts, rowid, prompt, answer, note)
            VALUES ('delete', old.id, old.prompt, old.answer, old.note);
            INSERT INTO entries_fts(rowid, prompt, answer, note)
            VALUES (new.id, new.prompt, new.answer, new.note);
        END"""
    )


@migration
def add_words(conn: Any) -> None:
    """Version 2: the recognised words of a spoken answer, with their times and confidences.

    JSON ``[[word, start, end, conf], ...]`` (see ``records.words_to_json``); NULL when typed.
    """
    conn.execute("ALTER TABLE entries ADD COLUMN words TEXT")


@migration
def add_rates(conn: Any) -> None:
    """Version 3: for a number given when a rating question was asked again, that question."""
    conn.execute("ALTER TABLE entries ADD COLUMN rates TEXT")


@migration
def analyzed_search(conn: Any) -> None:
    """Version 4: search over lemmas and morphemes (``journal.search``) replaces entries_fts.

    The index holds the analyzed terms (FTS5 secure-delete removes a deleted entry's terms;
    a contentless table would leave them behind), filled by the store as it writes and, for a
    journal that had entries before, by ``search.reindex`` when it next opens.
    """
    for trigger in ("entries_ai", "entries_ad", "entries_au"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.execute("DROP TABLE IF EXISTS entries_fts")
    conn.execute(
        """CREATE VIRTUAL TABLE search_fts USING fts5(
            prompt, answer, note,
            tokenize='unicode61 remove_diacritics 2'
        )"""
    )
    conn.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('secure-delete', 1)")
    conn.execute(
        """CREATE TRIGGER entries_search_ad AFTER DELETE ON entries BEGIN
            DELETE FROM search_fts WHERE rowid = old.id;
        END"""
    )
    conn.execute(
        """CREATE TABLE search_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            analyzer INTEGER NOT NULL,
            upto INTEGER NOT NULL
        )"""
    )
    conn.execute("INSERT INTO search_state(id, analyzer, upto) VALUES (1, 0, 0)")


@migration
def drop_empty_sessions(conn: Any) -> None:
    """Version 5: sessions older versions kept with no answer (listed as "0 answers") go.

    Only those with nothing of the person's in them: no answer, next step, mood or tag. From
    now on the session runner does not keep a session in which nothing was said.
    """
    conn.execute(
        "DELETE FROM sessions WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.session_id ="
        " sessions.id) AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.session_id = sessions.id)"
        " AND coalesce(next_step, '') = '' AND coalesce(mood, '') = ''"
    )


def migrate(conn: Any) -> int:
    """Bring the schema up to date, one migration per transaction; returns the new version.

    The caller has already checked the stored version is not newer than this code knows.
    """
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            # PRAGMA cannot take a bound parameter; number is our own int.
            conn.execute(f"PRAGMA user_version = {int(number)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return max(version, len(MIGRATIONS))
