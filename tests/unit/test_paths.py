"""Private locations: one override moves everything, and what is created stays private."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from voicereflect import paths


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_voicereflect_home_moves_every_location(voicereflect_home: Path) -> None:
    for location in (
        paths.data_dir(),
        paths.config_path(),
        paths.models_dir(),
        paths.user_prompts_dir(),
        paths.journal_path(),
        paths.log_path(),
    ):
        assert location.is_relative_to(voicereflect_home)


def test_write_private_creates_a_0600_file_in_a_0700_dir(voicereflect_home: Path) -> None:
    target = voicereflect_home / "nested" / "notes.txt"
    paths.write_private(target, b"private words")
    assert target.read_bytes() == b"private words"
    assert _mode(target) == 0o600
    assert _mode(target.parent) == 0o700


def test_write_private_replaces_atomically_and_leaves_no_temp(voicereflect_home: Path) -> None:
    target = voicereflect_home / "a.txt"
    paths.write_private(target, b"old")
    paths.write_private(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in voicereflect_home.iterdir()] == ["a.txt"]


def test_failed_write_keeps_the_old_file_and_removes_the_temp(
    voicereflect_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = voicereflect_home / "a.txt"
    paths.write_private(target, b"old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        paths.write_private(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in voicereflect_home.iterdir()] == ["a.txt"]


def test_repair_tightens_loose_modes_and_reports_them(voicereflect_home: Path) -> None:
    loose_dir = voicereflect_home / "exports"
    loose_dir.mkdir(mode=0o755)
    loose_dir.chmod(0o755)
    loose_file = loose_dir / "x.md"
    loose_file.write_text("x")
    loose_file.chmod(0o644)
    repairs = paths.repair_private_tree()
    assert {r.path for r in repairs} >= {loose_dir, loose_file}
    assert _mode(loose_dir) == 0o700
    assert _mode(loose_file) == 0o600
    assert paths.repair_private_tree() == []


def test_shipped_prompts_are_found_from_a_checkout() -> None:
    assert (paths.shipped_prompts_dir() / "en").is_dir()
