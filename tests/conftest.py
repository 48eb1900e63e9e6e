"""Shared fixtures: every test gets its own private data dir; network stays off."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from tests.virtual_audio import VirtualAudio, running_virtual_audio
from voicereflect import paths

# These machines are shared and noisy: a wall-clock deadline per example measures the
# neighbours, not the code. Properties that must not stall bound themselves explicitly.
settings.register_profile("voicereflect", deadline=None)
settings.load_profile("voicereflect")

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _is_loopback(host: Any) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str) or host in _LOOPBACK_NAMES:
        return isinstance(host, str)
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_network_beyond_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse name lookups and datagrams to anything but loopback.

    pytest-socket (``--allow-hosts`` in pyproject) guards TCP connects only; this closes the
    rest, so a stray lookup or UDP packet anywhere fails the test that made it.
    """
    real_getaddrinfo = socket.getaddrinfo
    real_sendto = socket.socket.sendto

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(host):
            raise OSError(f"network blocked in tests: lookup of {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    def guarded_sendto(sock: socket.socket, data: Any, *args: Any) -> int:
        address = args[-1]
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            raise OSError(f"network blocked in tests: datagram to {address[0]!r}")
        return real_sendto(sock, data, *args)

    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    monkeypatch.setattr(socket.socket, "sendto", guarded_sendto)


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
