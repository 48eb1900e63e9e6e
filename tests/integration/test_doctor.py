"""`voicereflect doctor` on the real stack: all OK with the virtual devices and Korean model."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.virtual_audio import VirtualAudio
from voicereflect.config import Config, replace_setting, save_config

VOICEREFLECT = Path(sys.executable).with_name("voicereflect")


@pytest.mark.audio
def test_doctor_passes_every_check_with_virtual_devices_and_the_korean_model(
    virtual_audio: VirtualAudio, voicereflect_home: Path
) -> None:
    save_config(replace_setting(Config(), "speech", language="ko"))
    done = subprocess.run(
        [str(VOICEREFLECT), "doctor"],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stdout + done.stderr
    names = " ".join(lines)
    # speech.language = ko, so doctor answers in Korean ("정상" = OK).
    for check in ("PortAudio", "입력 장치", "출력 장치", "음성 합성 목소리", "음성 인식 모델"):
        assert check in names
    assert all(line.startswith("정상 ") for line in lines), done.stdout
    assert "Traceback" not in done.stderr


def test_doctor_names_the_missing_model_and_its_fix(voicereflect_home: Path) -> None:
    save_config(replace_setting(Config(), "speech", model="no-such-model"))
    done = subprocess.run(
        [str(VOICEREFLECT), "doctor"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    bad = [line for line in done.stdout.splitlines() if line.startswith("BAD")]
    assert any("speech model" in line and "no-such-model" in line for line in bad), done.stdout
    assert "Traceback" not in done.stderr
