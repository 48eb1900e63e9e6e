"""Passphrase encryption: nothing readable on disk, wrong passphrase, interrupted conversion."""

from __future__ import annotations

import hashlib
import io
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from voicereflect import cli, paths
from voicereflect.journal.crypto import change_passphrase
from voicereflect.journal.errors import NotEncrypted, PassphraseRequired, WrongPassphrase
from voicereflect.journal.store import Journal, is_encrypted

T0 = 1_750_000_000.0
WORDS = ["lighthouse", "marmalade", "grandmother", "zeppelin", "hopeful", "괜찮아요", "산책"]
ANSWERS = [
    "I walked to the lighthouse and felt hopeful",
    "grandmother made marmalade, a zeppelin flew over",
    "오늘은 산책을 했어요 괜찮아요",
]


def write_answers(journal: Journal, sessions: int = 3) -> None:
    for n in range(sessions):
        session = journal.start_session("check-in", "en", T0 + n)
        for k, answer in enumerate(ANSWERS):
            journal.add_entry(session, f"s{k}", "How was today?", answer, k, at=T0 + n + k)
        journal.end_session(session, T0 + n + 9, next_step="visit grandmother", mood="hopeful")


def leaked_words(directory: Path) -> list[str]:
    """Every readable word in any file under ``directory``, subdirectories included."""
    found = []
    for file in sorted(directory.rglob("*")):
        if file.is_file():
            data = file.read_bytes()
            name = file.relative_to(directory)
            found += [f"{w} in {name}" for w in WORDS if w.encode("utf-8") in data]
    return found


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(monkeypatch: pytest.MonkeyPatch, argv: list[str], stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return cli.main(argv)


def test_an_encrypted_journal_has_no_readable_words_in_any_file_even_while_open() -> None:
    with Journal.open(passphrase="correct horse") as journal:
        write_answers(journal)
        assert (paths.data_dir() / "journal.db-wal").stat().st_size > 0
        assert leaked_words(paths.data_dir()) == []
        assert journal.search("marmalade")
    assert leaked_words(paths.data_dir()) == []
    assert is_encrypted()


def test_setting_a_passphrase_converts_in_place_and_leaves_no_plaintext(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Journal.open() as journal:
        write_answers(journal)
        before = journal.export(None, "json")
    assert leaked_words(paths.data_dir())  # the test can see plaintext when there is some
    assert run_cli(monkeypatch, ["passphrase", "set", "--passphrase-stdin"], "s3cret pass\n") == 0
    assert leaked_words(paths.data_dir()) == []
    assert sorted(p.name for p in paths.data_dir().iterdir() if p.name.startswith(".")) == []
    with pytest.raises(PassphraseRequired):
        Journal.open()
    with Journal.open(passphrase="s3cret pass") as journal:
        assert journal.export(None, "json") == before
        assert [h.entry_id for h in journal.search("lighthouse")]


def test_change_and_remove_keep_every_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    with Journal.open(passphrase="one") as journal:
        write_answers(journal)
        before = journal.export(None, "json")
    assert run_cli(monkeypatch, ["passphrase", "change", "--passphrase-stdin"], "one\ntwo\n") == 0
    with pytest.raises(WrongPassphrase):
        Journal.open(passphrase="one")
    assert run_cli(monkeypatch, ["passphrase", "remove", "--passphrase-stdin"], "two\n") == 0
    with Journal.open() as journal:
        assert journal.export(None, "json") == before


def test_wrong_passphrase_is_a_clear_message_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with Journal.open(passphrase="right") as journal:
        write_answers(journal, sessions=1)
    db_file = paths.journal_path()
    before = digest(db_file)
    with pytest.raises(WrongPassphrase, match="no recovery"):
        Journal.open(passphrase="wrong")
    with pytest.raises(WrongPassphrase):
        change_passphrase(None, "wrong", "new")
    code = run_cli(monkeypatch, ["journal", "list", "--passphrase-stdin"], "wrong\n")
    err = capsys.readouterr().err
    assert code == 2 and "passphrase does not open this journal; nothing was changed" in err
    assert "Traceback" not in err and "hmac" not in err
    code = run_cli(monkeypatch, ["passphrase", "change", "--passphrase-stdin"], "wrong\nnew\n")
    assert code == 2
    assert digest(db_file) == before
    assert not any(p.name.startswith(".") for p in paths.data_dir().iterdir())
    with Journal.open(passphrase="right") as journal:
        assert len(journal.session(1).entries) == len(ANSWERS)


def test_no_passphrase_and_no_terminal_says_how_to_give_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    Journal.open(passphrase="right").close()
    assert run_cli(monkeypatch, ["journal", "list"]) == 2
    assert "--passphrase-stdin" in capsys.readouterr().err


# The child converts the journal and SIGKILLs itself at one point of the conversion, so each
# interruption is exercised deterministically; random-time kills cover the points between.
CONVERT = """
import os, signal, sys
from pathlib import Path
from voicereflect import paths
from voicereflect.journal import crypto

path, old, new, point = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if point == "after-export":
    crypto._verify = die
elif point == "before-link":
    crypto.os.link = die
elif point == "before-rename":
    crypto.os.replace = die
elif point == "after-rename":
    crypto.paths.fsync_dir = die
elif point == "during-scrub":
    crypto._scrub = die
crypto.change_passphrase(path, old or None, new or None)
print("done", flush=True)
"""

OLD_WINS = ["after-export", "before-link", "before-rename"]
NEW_WINS = ["after-rename", "during-scrub"]


def _convert_child(path: Path, old: str, new: str, point: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    return subprocess.Popen(
        [sys.executable, "-c", CONVERT, str(path), old, new, point],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _opens_with(path: Path, candidates: list[str | None]) -> list[str | None]:
    works = []
    for passphrase in candidates:
        try:
            with Journal.open(path, passphrase) as journal:
                assert journal.integrity_check() == "ok"
        except (WrongPassphrase, PassphraseRequired, NotEncrypted):
            continue
        works.append(passphrase)
    return works


@pytest.mark.parametrize("point", OLD_WINS + NEW_WINS)
def test_a_conversion_killed_midway_leaves_the_old_or_the_new_journal(point: str) -> None:
    path = paths.journal_path()
    with Journal.open(path) as journal:
        write_answers(journal)
        before = journal.export(None, "json")
    child = _convert_child(path, "", "new pass", point)
    out, _ = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL and "done" not in out
    expected: str | None = None if point in OLD_WINS else "new pass"
    assert _opens_with(path, [None, "new pass"]) == [expected]
    with Journal.open(path, expected) as journal:
        assert journal.export(None, "json") == before
    # The next open cleaned up: no converting copy, no old plaintext left behind.
    assert not any(p.name.startswith(".") for p in paths.data_dir().iterdir())
    if expected is not None:
        assert leaked_words(paths.data_dir()) == []


def test_conversions_killed_at_random_moments_always_leave_a_readable_journal() -> None:
    path = paths.journal_path()
    with Journal.open(path, "a") as journal:
        for _ in range(20):
            write_answers(journal, sessions=5)
        before = journal.export(None, "json")
    rng = random.Random(7)
    current = "a"
    for n in range(6):
        new = "b" if current == "a" else "a"
        child = _convert_child(path, current, new, "none")
        try:
            child.wait(timeout=rng.uniform(0.05, 0.6))
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        works = _opens_with(path, ["a", "b"])
        assert len(works) == 1, f"kill {n}: opens with {works}"
        current = str(works[0])
        with Journal.open(path, current) as journal:
            assert journal.export(None, "json") == before


def test_the_scan_sees_plaintext_in_subdirectories_and_an_app_export_says_so() -> None:
    from voicereflect.tui.journal_view import JournalAdapter

    with Journal.open(passphrase="correct horse") as journal:
        write_answers(journal, sessions=1)
        adapter = JournalAdapter(journal, lambda: None)
        exported = adapter.export(["1"], "md")
    # An export is plaintext by design (the person asked for a readable copy): the scan finds
    # it, and its name — which the journal screen's notice shows — says it is not encrypted.
    assert exported.parent == paths.data_dir() / "exports"
    assert leaked_words(paths.data_dir())
    assert all(
        hit.endswith(str(Path("exports") / exported.name)) for hit in leaked_words(paths.data_dir())
    )
    assert "NOT-ENCRYPTED" in exported.name
    exported.unlink()
    assert leaked_words(paths.data_dir()) == []
