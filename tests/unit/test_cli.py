"""The command line: version, help everywhere, config, and one-line errors."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from voicereflect import __version__
from voicereflect.cli import build_parser, main


def _subcommand_paths(parser: argparse.ArgumentParser, prefix: list[str]) -> list[list[str]]:
    found = [prefix]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found += _subcommand_paths(child, [*prefix, name])
    return found


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"voicereflect {__version__}"


@pytest.mark.parametrize("command", _subcommand_paths(build_parser(), []), ids=" ".join)
def test_every_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    assert "usage: voicereflect" in capsys.readouterr().out


def test_config_path_is_inside_voicereflect_home(
    voicereflect_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(voicereflect_home / "config.toml")


def test_bad_config_is_one_line_and_an_exit_code(
    voicereflect_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (voicereflect_home / "config.toml").write_text("[voice]\nrate = 'fast'\n")
    assert main(["config", "show"]) == 78
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("voicereflect: ")
    assert "Traceback" not in err


def test_installed_console_script_runs() -> None:
    script = Path(sys.executable).with_name("voicereflect")
    out = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert __version__ in out.stdout


def test_a_closed_pipe_ends_quietly_without_a_traceback(voicereflect_home: Path) -> None:
    script = Path(sys.executable).with_name("voicereflect")
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte, as with `| head -c0`
    try:
        done = subprocess.run(
            [str(script), "config", "show"], stdout=write_end, stderr=subprocess.PIPE, timeout=60
        )
    finally:
        os.close(write_end)
    assert b"Traceback" not in done.stderr
    assert done.returncode == 141


def test_a_bad_setting_is_reported_in_the_language_the_file_names(
    voicereflect_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (voicereflect_home / "config.toml").write_text(
        '[speech]\nlanguage = "ko"\n[voice]\nrate = 9000\n'
    )
    assert main(["config", "show"]) == 78
    err = capsys.readouterr().err
    assert err.startswith("voicereflect: ") and "'voice.rate'은(는)" in err and "9000이에요" in err
