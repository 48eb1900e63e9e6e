"""config.toml: defaults, round trip, and errors that name the file and the key."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest

from voicereflect.config import (
    Config,
    ConfigError,
    load_config,
    render_config,
    replace_setting,
    save_config,
)


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "absent.toml") == Config()


def test_defaults_are_documented() -> None:
    assert load_config().speech.pause_seconds == 4.0
    text = render_config(Config())
    assert "pause_seconds = 4.0" in text
    assert "silence that ends a turn" in text


def test_saved_config_round_trips_and_is_private(voicereflect_home: Path) -> None:
    changed = replace_setting(Config(), "voice", rate=140, voice="ko")
    changed = replace_setting(changed, "speech", end_words=['that\'s "all"', "끝"])
    path = save_config(changed)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_config() == changed
    tomllib.loads(path.read_text())  # valid TOML for people who edit it by hand


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[voice]\nrate = 'fast'\n", "'voice.rate' must be int"),
        ("[voice]\nspeed = 3\n", "unknown setting 'voice.speed'"),
        ("[sound]\nx = 1\n", "unknown section [sound]"),
        ("[voice\n", "is not valid TOML"),
        ("[speech]\nend_words = [1]\n", "'speech.end_words' must be a list of strings"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_an_int_is_accepted_where_a_float_is_expected(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[speech]\npause_seconds = 3\n")
    assert load_config(path).speech.pause_seconds == 3.0
