"""Shared fixtures: every test gets its own private data dir; network stays off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from voicereflect import paths


@pytest.fixture(autouse=True)
def voicereflect_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point every location at a fresh temp dir, so no test touches the real data."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv(paths.HOME_ENV, str(home))
    yield home
