"""Shared fixtures: every test gets its own private data dir; network stays off."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.netguard import sitecustomize as netguard
from tests.virtual_audio import VirtualAudio, running_virtual_audio
from voicereflect import paths

# These machines are shared and noisy: a wall-clock deadline per example measures the
# neighbours, not the code. Properties that must not stall bound themselves explicitly.
settings.register_profile("voicereflect", deadline=None)
settings.load_profile("voicereflect")

NETGUARD_DIR = Path(__file__).resolve().parent / "netguard"


@pytest.fixture(autouse=True)
def no_network_beyond_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse lookups, datagrams and connections beyond loopback, here and in children.

    pytest-socket (``--allow-hosts`` in pyproject) guards this process's TCP connects; the
    netguard adds lookups and datagrams, and reaches every Python child the tests start
    (the installed ``voicereflect``) through ``sitecustomize`` on ``PYTHONPATH``. The model
    catalogue is pointed at a closed loopback port, so nothing even tries the real one.
    """
    monkeypatch.setattr(socket, "getaddrinfo", netguard.guarded_getaddrinfo)
    monkeypatch.setattr(socket.socket, "sendto", netguard.guarded_sendto)
    monkeypatch.setenv(netguard.ENV, "1")
    pythonpath = os.environ.get("PYTHONPATH")
    monkeypatch.setenv(
        "PYTHONPATH", f"{NETGUARD_DIR}{os.pathsep}{pythonpath}" if pythonpath else str(NETGUARD_DIR)
    )
    monkeypatch.setenv("VOICEREFLECT_MODEL_CATALOGUE", "http://127.0.0.1:9/model-list.json")


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


@pytest.fixture(autouse=True)
def english_between_tests() -> Iterator[None]:
    """The language is process-wide (the app sets it from the config): reset it after each test."""
    yield
    from voicereflect.i18n import use_language

    use_language("en")
