"""With no sound device at all, the CLI and MicSource say so in one line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

VOICEREFLECT = Path(sys.executable).with_name("voicereflect")


@pytest.fixture
def no_sound(tmp_path: Path) -> dict[str, str]:
    """An environment where PortAudio finds nothing: no sound server, and (CI) no cards.

    A custom empty ALSA config would hide real cards too, but PortAudio aborts on one, so a
    machine with a sound card cannot simulate this state.
    """
    cards = Path("/proc/asound/cards")
    if cards.exists() and "no soundcards" not in cards.read_text() and cards.read_text().strip():
        pytest.skip("this machine has a sound card; 'no device' cannot be simulated here")
    env = dict(os.environ)
    env["PULSE_SERVER"] = f"unix:{tmp_path}/no-such-socket"
    env.pop("PULSE_SOURCE", None)
    env["VOICEREFLECT_HOME"] = str(tmp_path / "home")
    return env


def test_devices_says_there_are_none_in_one_line(no_sound: dict[str, str]) -> None:
    done = subprocess.run(
        [str(VOICEREFLECT), "devices"], env=no_sound, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("voicereflect: no sound devices found")


def test_mic_source_raises_no_input_device(no_sound: dict[str, str]) -> None:
    code = (
        "from voicereflect.audio.capture import MicSource, NoInputDevice\n"
        "try:\n"
        "    MicSource().start()\n"
        "except NoInputDevice as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=no_sound, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "no microphone found — plug one in or pick one with 'voicereflect devices'"
    )


def test_doctor_reports_the_missing_devices(no_sound: dict[str, str]) -> None:
    done = subprocess.run(
        [str(VOICEREFLECT), "doctor"], env=no_sound, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    lines = {line.split("  ")[1].strip(): line for line in done.stdout.splitlines()}
    assert lines["PortAudio present"].startswith("OK")
    assert lines["input device"].startswith("BAD") and "no microphone" in lines["input device"]
    assert lines["output device"].startswith("BAD") and "no speaker" in lines["output device"]
    assert "Traceback" not in done.stderr
