"""`voicereflect say` when speech cannot work: one clear line and a non-zero exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

VOICEREFLECT = Path(sys.executable).with_name("voicereflect")


def _say(env: dict[str, str], *args: str, text: str = "hello") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VOICEREFLECT), "say", *args],
        input=text,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _env(tmp_path: Path, **changes: str) -> dict[str, str]:
    env = dict(os.environ)
    env["VOICEREFLECT_HOME"] = str(tmp_path / "home")
    env.update(changes)
    return env


def test_without_espeak_ng_say_names_the_package(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    done = _say(_env(tmp_path, PATH=str(empty)), "-")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "voicereflect: espeak-ng is not installed, so questions cannot be spoken — install it "
        "with 'sudo apt install espeak-ng' (or mute speech with voice.muted = true)"
    ]


def test_without_a_speaker_say_says_so_instead_of_alsa_noise(tmp_path: Path) -> None:
    done = _say(_env(tmp_path, PULSE_SERVER=f"unix:{tmp_path}/no-such-socket"), "-")
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("voicereflect: no speaker could be opened")


def test_unknown_voice_points_to_the_list(tmp_path: Path) -> None:
    done = _say(_env(tmp_path), "--voice", "xx-nope", "-")
    assert done.returncode != 0
    assert "there is no voice 'xx-nope'" in done.stderr
    assert "Traceback" not in done.stderr


def test_private_text_is_never_on_the_command_line(tmp_path: Path) -> None:
    # A stand-in espeak-ng records its argv: the text must only arrive on stdin.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "espeak-ng"
    fake.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/argv\ncat > {tmp_path}/stdin\n')
    fake.chmod(0o700)
    env = _env(tmp_path, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    done = _say(env, "-", text="my secret thought")
    assert done.returncode == 0, done.stderr
    assert "secret" not in (tmp_path / "argv").read_text()
    assert (tmp_path / "stdin").read_text() == "my secret thought"


def test_list_voices_filters_by_language(tmp_path: Path) -> None:
    done = _say(_env(tmp_path), "--list-voices", "ko")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "ko"
