"""Journals written by older versions open, migrate, and keep every answer."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_a_version_3_journal_is_re_indexed_on_open_with_progress() -> None:
    path = paths.journal_path()
    answers = [("ko", f"{n}번째 날 동생이랑 사과하고 화해했어요") for n in range(450)]
    old_journal(path, 3, [*answers, ("en", "I walked by the river")])
    seen: list[tuple[int, int]] = []
    with Journal.open(path, on_progress=lambda done, total: seen.append((done, total))) as journal:
        assert len(journal.search("사과", words=True, limit=1000)) == 450
        assert len(journal.search("walk")) == 1
    assert seen == [(200, 451), (400, 451), (451, 451)]
    with Journal.open(path, on_progress=lambda done, total: seen.append((done, total))):
        pass
    assert len(seen) == 3, "an index already built is not rebuilt"


def test_reading_an_old_journal_brings_it_up_to_date_first() -> None:
    path = paths.journal_path()
    old_journal(path, 1, [("en", "tired but hopeful"), ("ko", "대학원에 가고 싶어요")])
    with Journal.open(path, read_only=True) as journal:
        assert journal.read_only
        assert [h.snippet for h in journal.search("대학원")] == ["\ue000대학원에\ue001 가고 싶어요"]
        assert all(journal.session(s.id).entries[0].rates is None for s in journal.sessions())


def test_the_app_start_shows_the_re_indexing_of_an_old_journal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from voicereflect.journal.prepare import prepare_for_app

    old_journal(paths.journal_path(), 3, [("en", "I walked"), ("ko", "사과하고 싶어요")])
    prepare_for_app()
    assert "re-indexing your journal for search: 2 of 2 answers" in capsys.readouterr().err
    prepare_for_app()
    assert capsys.readouterr().err == ""


def test_empty_sessions_an_older_version_kept_are_dropped_once() -> None:
    path = paths.journal_path()
    old_journal(path, 4, [("en", "tired but hopeful")])
    conn = db.connect(path, None)
    try:
        for n, (mood, next_step) in enumerate([(None, None), ("calm", None), (None, "rest")]):
            conn.execute(
                "INSERT INTO sessions(flow, language, started_at, mood, next_step)"
                " VALUES ('checkin', 'en', ?, ?, ?)",
                (T0 + 100 + n, mood, next_step),
            )
    finally:
        conn.close()
    with Journal.open(path) as journal:
        counts = sorted(
            (s.entry_count, s.mood or "", s.next_step or "") for s in journal.sessions()
        )
    assert counts == [(0, "", "rest"), (0, "calm", ""), (1, "", "")]
