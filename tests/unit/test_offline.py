"""The suite itself runs offline: any connection beyond loopback fails the test."""

from __future__ import annotations

import socket

import pytest


def test_a_connection_to_a_public_address_is_refused_by_the_test_harness() -> None:
    with pytest.raises(Exception, match="(?i)host|socket|blocked") as caught:
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    assert "pytest_socket" in type(caught.value).__module__


def test_loopback_stays_usable() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    server.close()
