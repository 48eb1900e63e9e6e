"""The journal under stress: full disk, odd text, hostile searches, deletion, file modes."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicereflect import paths
from voicereflect.journal.errors import DiskFull, SearchSyntaxError
from voicereflect.journal.store import Journal

T0 = 1_750_000_000.0


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def private_files() -> dict[str, int]:
    return {p.name: mode(p) for p in paths.data_dir().iterdir() if p.is_file()}


def test_full_disk_keeps_the_answer_in_memory_and_saves_it_when_space_returns() -> None:
    # A tiny tmpfs needs root and a mount; PRAGMA max_page_count makes SQLite itself hit
    # SQLITE_FULL on the next page it needs, the same error path as a full filesystem.
    with Journal.open() as journal:
        session = journal.start_session("check-in", "en", T0)
        first = journal.add_entry(session, "a", "p", "saved before the disk filled", at=T0)
        pages = journal._conn.execute("PRAGMA page_count").fetchone()[0]
        journal._conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(DiskFull, match="kept in memory") as caught:
            journal.add_entry(session, "b", "p", "long answer " * 4000, at=T0 + 1)
        assert "long answer" not in str(caught.value)  # messages never carry the words
        assert journal.pending_count == 1
        assert [e.id for e in journal.session(session).entries] == [first]
        assert journal.integrity_check() == "ok"
        journal._conn.execute("PRAGMA max_page_count = 1000000")
        journal.add_entry(session, "c", "p", "after space was freed", at=T0 + 2)
        answers = [e.answer for e in journal.session(session).entries]
    assert answers[0] == "saved before the disk filled"
    assert answers[1].startswith("long answer long answer")
    assert answers[2] == "after space was freed"


def test_end_session_writes_held_back_answers_first() -> None:
    with Journal.open() as journal:
        session = journal.start_session("check-in", "en", T0)
        pages = journal._conn.execute("PRAGMA page_count").fetchone()[0]
        journal._conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(DiskFull):
            journal.add_entry(session, "b", "p", "x" * 100_000, at=T0 + 1)
        journal._conn.execute("PRAGMA max_page_count = 1000000")
        journal.end_session(session, T0 + 9, next_step="rest")
        assert journal.pending_count == 0
        assert len(journal.session(session).entries) == 1


def test_undecodable_text_is_stored_with_replacement_characters_not_an_error() -> None:
    # Lone surrogates are what os.fsdecode/surrogateescape produce from bytes that are not
    # UTF-8; SQLite cannot store them, so they become U+FFFD and the rest is kept.
    weird = "caf\udce9 au lait \udcff end"
    with Journal.open() as journal:
        session = journal.start_session("check-in", "en", T0)
        entry = journal.add_entry(session, "a", "p\udc80", weird, at=T0)
        stored = journal.session(session).entries[0]
    assert stored.id == entry
    assert stored.answer == "caf\ufffd au lait \ufffd end"
    assert stored.prompt == "p\ufffd"


def test_very_long_answers_and_nul_characters_round_trip_and_are_searchable() -> None:
    long_answer = ("river " * 200_000) + "needle\x00tail"
    with Journal.open() as journal:
        session = journal.start_session("check-in", "en", T0)
        journal.add_entry(session, "a", "p", long_answer, at=T0)
        assert journal.session(session).entries[0].answer == long_answer
        hits = journal.search("needle")
        assert len(hits) == 1 and len(hits[0].snippet) < 400
        exported = journal.export(None, "json")
    with Journal.open(paths.data_dir() / "copy.db") as copy:
        copy.import_json(exported)
        assert copy.session(session).entries[0].answer == long_answer


@pytest.fixture(scope="module")
def searchable(tmp_path_factory: pytest.TempPathFactory) -> Journal:
    journal = Journal.open(tmp_path_factory.mktemp("search") / "journal.db")
    session = journal.start_session("check-in", "en", T0)
    for n, text in enumerate(["don't panic", 'a "quoted" word', "NEAR the AND gate", "친구"]):
        journal.add_entry(session, f"s{n}", "prompt", text, at=T0 + n)
    yield journal
    journal.close()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_any_search_string_gives_results_or_a_friendly_syntax_error(
    searchable: Journal, query: str
) -> None:
    try:
        hits = searchable.search(query)
    except SearchSyntaxError as exc:
        assert exc.message == SearchSyntaxError().message
    else:
        assert all(hit.entry_id > 0 for hit in hits)
    # As plain words, nothing is ever a syntax error.
    assert isinstance(searchable.search(query, words=True), list)


@pytest.mark.parametrize(
    "query",
    ['"', "(", "AND", "NEAR(", "a OR", "*", "col:x", "{a b}:c", "^", "-x", "'; DROP TABLE x;--"],
)
def test_known_hostile_searches_are_friendly(searchable: Journal, query: str) -> None:
    try:
        searchable.search(query)
    except SearchSyntaxError as exc:
        assert exc.message == SearchSyntaxError().message  # fixed text; the query is not echoed
    assert searchable.session(searchable.session_ids()[0]).entries  # nothing was harmed


def test_deleted_words_leave_no_trace_in_any_file() -> None:
    with Journal.open() as journal:
        keep = journal.start_session("check-in", "en", T0)
        journal.add_entry(keep, "a", "p", "ordinary words stay", at=T0)
        gone = journal.start_session("check-in", "en", T0 + 1)
        journal.add_entry(
            gone,
            "a",
            "p",
            "quixotically zymurgical secret",
            at=T0 + 1,
            audio=b"AUDIOMARKER" * 50,
            audio_rate=8000,
        )
        journal.delete_sessions([gone])
        assert journal.search("zymurgical") == []
        for file in paths.data_dir().iterdir():
            data = file.read_bytes()
            for word in (b"quixotically", b"zymurgical", b"AUDIOMARKER"):
                assert word not in data, f"{word!r} still in {file.name}"
        assert journal.session(keep).entries[0].answer == "ordinary words stay"


def test_every_write_path_leaves_only_private_files(tmp_path: Path) -> None:
    import os

    os.umask(0o022)  # as if a library caller never set the private umask
    try:
        with Journal.open() as journal:
            session = journal.start_session("check-in", "en", T0)
            journal.add_entry(session, "a", "p", "words", at=T0, audio=b"\0\0", audio_rate=8000)
            assert (paths.data_dir() / "journal.db-wal").exists()
            journal.tag(session, "x")
            journal.delete_sessions([session])
            modes = private_files()
        assert mode(paths.data_dir()) == 0o700
        assert modes and all(m == 0o600 for m in modes.values()), modes
        assert {"journal.db", "journal.db-wal", "journal.db-shm", "journal.db.lock"} <= set(modes)
        with Journal.open(read_only=True) as reader:
            reader.sessions()
        assert all(m == 0o600 for m in private_files().values())
    finally:
        os.umask(0o077)


def test_loose_permissions_are_repaired_with_a_notice() -> None:
    Journal.open().close()
    db_file = paths.journal_path()
    db_file.chmod(0o644)
    paths.data_dir().chmod(0o755)
    notices: list[str] = []
    with Journal.open(on_notice=notices.append) as journal:
        assert journal.notices == notices
    assert mode(db_file) == 0o600 and mode(paths.data_dir()) == 0o700
    assert any("journal.db" in n and "private" in n for n in notices)
