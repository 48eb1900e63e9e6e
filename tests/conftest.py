"""Shared fixtures: every test gets its own private data dir; network stays off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.virtual_audio import VirtualAudio, running_virtual_audio
from voicereflect import paths


@pytest.fixture(autouse=True)
def voicereflect_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point every location at a fresh temp dir, so no test touches the real data."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv(paths.HOME_ENV, str(home))
    yield home


@pytest.fixture(scope="session")
def virtual_audio() -> VirtualAudio:
    """The PulseAudio virtual mic and speaker (fails, never skips, when they are missing)."""
    try:
        return running_virtual_audio()
    except RuntimeError as exc:
        pytest.fail(str(exc))
