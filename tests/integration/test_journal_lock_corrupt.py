"""Another process holding the journal, and a damaged journal file: clear messages, no harm."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from voicereflect import cli, paths
from voicereflect.journal import db
from voicereflect.journal.errors import JournalCorrupt, JournalLocked
from voicereflect.journal.store import Journal

T0 = 1_750_000_000.0

HOLD_JOURNAL = """
import sys
from voicereflect.journal.store import Journal
with Journal.open() as journal:
    print("ready", flush=True)
    sys.stdin.readline()
"""

# A foreign program (an sqlite3 shell, a backup tool) holding a write transaction: it does
# not know our lock file, so SQLite's own lock is what we meet.
HOLD_SQLITE = """
import sys, sqlcipher3
conn = sqlcipher3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("ready", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


def _hold(script: str, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    child = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None and child.stdout.readline() == "ready\n"
    return child


def _release(child: subprocess.Popen[str]) -> None:
    child.communicate("\n", timeout=30)
    assert child.returncode == 0


def run_cli(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    return cli.main(argv)


def test_a_second_writer_is_told_who_holds_the_journal_and_readers_still_work(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with Journal.open() as journal:
        journal.start_session("check-in", "en", T0)
    child = _hold(HOLD_JOURNAL)
    try:
        with pytest.raises(JournalLocked, match=f"pid {child.pid}.*close it first"):
            Journal.open()
        assert run_cli(monkeypatch, ["journal", "tag", "1", "x"]) == 3
        assert "another voicereflect is writing" in capsys.readouterr().err
        assert run_cli(monkeypatch, ["journal", "list"]) == 0  # reading alongside is fine
        assert "check-in" in capsys.readouterr().out
    finally:
        _release(child)
    with Journal.open() as journal:
        journal.tag(1, "x")
        assert journal.session(1).tags == ("x",)


def test_a_foreign_sqlite_lock_keeps_the_answer_and_saves_it_afterwards(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 100)
    with Journal.open() as journal:
        session = journal.start_session("check-in", "en", T0)
        child = _hold(HOLD_SQLITE, str(paths.journal_path()))
        try:
            with pytest.raises(JournalLocked, match="close it first"):
                journal.add_entry(session, "a", "p", "said while locked", at=T0)
            assert journal.pending_count == 1
        finally:
            _release(child)
        journal.add_entry(session, "b", "p", "said after", at=T0 + 1)
        answers = [e.answer for e in journal.session(session).entries]
    assert answers == ["said while locked", "said after"]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _damaged_journal() -> Path:
    with Journal.open() as journal:
        for n in range(30):
            session = journal.start_session("check-in", "en", T0 + n)
            journal.add_entry(session, "a", "p", f"answer number {n} " * 40, at=T0 + n)
    path = paths.journal_path()
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):  # every page after the header page
        data[offset + 8 : offset + 200] = os.urandom(192)
    path.write_bytes(bytes(data))
    return path


def test_a_damaged_database_is_reported_by_name_and_left_untouched(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _damaged_journal()
    before = _digest(path)
    with pytest.raises(JournalCorrupt) as caught:
        with Journal.open() as journal:
            journal.sessions()
            journal.search("answer")
    message = caught.value.message
    assert str(path) in message and "not modified" in message and "move it aside" in message
    assert run_cli(monkeypatch, ["journal", "list"]) == 4
    err = capsys.readouterr().err
    assert "damaged" in err and "Traceback" not in err
    assert _digest(path) == before


@pytest.mark.parametrize("content", [b"this is not a database\n", b"\x00" * 8192])
def test_a_file_that_is_not_a_journal_is_not_mistaken_for_an_encrypted_one(
    content: bytes,
) -> None:
    path = paths.journal_path()
    paths.ensure_private_dir(path.parent)
    path.write_bytes(content)
    with pytest.raises(JournalCorrupt, match="not modified"):
        Journal.open()
    assert path.read_bytes() == content
