"""Journals written by older versions open, migrate, and keep every answer."""

from __future__ import annotations

from pathlib import Path

from voicereflect import paths
from voicereflect.journal import db, schema
from voicereflect.journal.store import Journal

T0 = 1_750_000_000.0


def old_journal(path: Path, version: int, answers: list[tuple[str, str]]) -> None:
    """A journal at schema ``version`` holding one session (language, answer) per item."""
    db.create_private_file(path)
    conn = db.connect(path, None)
    try:
        for number, step in enumerate(schema.MIGRATIONS[:version], start=1):
            step(conn)
            conn.execute(f"PRAGMA user_version = {number}")
        for n, (language, answer) in enumerate(answers):
            cur = conn.execute(
                "INSERT INTO sessions(flow, language, started_at, ended_at) VALUES (?, ?, ?, ?)",
                ("checkin", language, T0 + n, T0 + n + 60),
            )
            conn.execute(
                "INSERT INTO entries(session_id, step_id, prompt, answer, rating, at)"
                " VALUES (?, 'feeling', 'How are you?', ?, NULL, ?)",
                (cur.lastrowid, answer, T0 + n + 1),
            )
    finally:
        conn.close()


def test_a_version_1_journal_opens_with_its_answers_and_no_words() -> None:
    path = paths.journal_path()
    old_journal(path, 1, [("en", "tired but hopeful"), ("ko", "친구를 만나서 기뻤다")])
    with Journal.open(path) as journal:
        version = journal._conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == schema.latest_version()
        answers = [journal.session(s.id).entries[0] for s in journal.sessions()]
    assert sorted(e.answer for e in answers) == ["tired but hopeful", "친구를 만나서 기뻤다"]
    assert all(e.words == () for e in answers)
