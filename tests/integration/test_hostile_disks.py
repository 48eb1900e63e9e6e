"""The installed ``voicereflect`` on a full disk and on a read-only one (issue 14, tmpfs mounts)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from voicereflect import paths
from voicereflect.journal.store import Journal

EXE = Path(sys.executable).parent / "voicereflect"
T0 = 1_750_000_000.0
PLAIN_CONFIG = '[audio]\ninput_device = "no-such-device"\n[voice]\nmuted = true\n'


@pytest.fixture
def disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A 4 MB tmpfs holding the data dir (mounting needs root, as in CI)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], check=True)
    try:
        home = mount / "home"
        monkeypatch.setenv(paths.HOME_ENV, str(home))
        paths.ensure_private_dir(home)
        (home / "config.toml").write_text(PLAIN_CONFIG)
        with Journal.open() as journal:
            sid = journal.start_session("checkin", "en", T0)
            journal.add_entry(sid, "feeling", "How are you?", "calm after the walk", at=T0 + 1)
            journal.end_session(sid, T0 + 2)
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
    done = subprocess.run(
        [str(EXE), *args], input=stdin, capture_output=True, text=True, timeout=60
    )
    return done.returncode, done.stdout, done.stderr


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def fill(mount: Path) -> Path:
    filler = mount / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 65536)  # unbuffered: the last partial block is no surprise
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


def fake_model(path: Path) -> Path:
    for name in ("am/final.mdl", "conf/mfcc.conf", "conf/model.conf", "graph/HCLr.fst"):
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(os.urandom(200_000))
    return path


def test_a_full_disk_says_so_and_what_to_do_and_the_journal_opens_once_space_is_free(
    disk: Path, tmp_path: Path
) -> None:
    filler = fill(disk)
    for args in [("journal", "list"), ("journal", "tag", "1", "kept")]:
        code, _, err = run(*args)
        assert code == 5, (args, err)
        assert "the disk is full" in one_line(err) and "is damaged" not in err, args

    # Plain mode says so before the first question, so nothing typed is thrown away.
    code, out, err = run("--plain", "--flow", "checkin", stdin="an answer\n/end\n")
    assert code == 5 and "the disk is full" in one_line(err)
    assert "How are you" not in out

    code, _, err = run("models", "add", str(fake_model(tmp_path / "vosk-model-x")))
    assert code == 4 and "the disk is full" in one_line(err)
    assert [p.name for p in (disk / "home" / "models").iterdir()] == []  # no partial copy

    filler.unlink()
    code, out, err = run("journal", "list")
    assert code == 0 and "checkin" in out, err


def test_a_read_only_data_dir_can_be_read_and_writing_says_why_it_cannot(disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    for args in [
        ("journal", "list"),
        ("journal", "show", "1"),
        ("journal", "search", "walk"),
        ("journal", "export", "--format", "txt"),
    ]:
        code, out, err = run(*args)
        assert code == 0 and ("checkin" in out or "walk" in out), (args, err)
    for args, stdin in [
        (("journal", "tag", "1", "x"), ""),
        (("passphrase", "set", "--passphrase-stdin"), "a new passphrase\n"),
        (("--plain", "--flow", "checkin"), "an answer\n/end\n"),
    ]:
        code, out, err = run(*args, stdin=stdin)
        assert code == 6, (args, out, err)
        assert "read-only disk" in one_line(err) and "reading still works" in err, args
        assert "session failed" not in out + err and "How are you" not in out


def test_the_app_on_a_read_only_data_dir_starts_reads_the_journal_and_says_why_it_cannot_save(
    disk: Path,
) -> None:
    from voicereflect.tui.stderr import stderr_to_log
    from voicereflect.tui.wiring import real_services

    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    with stderr_to_log():  # the log cannot be created: fd 2 goes nowhere, no OSError
        pass
    adapter = real_services().open_journal(None)
    try:
        assert [r.flow for r in adapter.recent(10)] == ["checkin"]
        assert any("read-only disk" in n for n in adapter.notices)
    finally:
        adapter.close()
