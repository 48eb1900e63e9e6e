"""The suite's network guard (pytest-socket ``--allow-hosts``) really refuses non-loopback."""

from __future__ import annotations

import socket

import pytest
from pytest_socket import SocketConnectBlockedError


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_a_tcp_connect_to_a_non_loopback_address_fails_the_test() -> None:
    # 192.0.2.1 is TEST-NET-1 (RFC 5737): never routed, so even a broken guard sends nothing
    # anywhere real. The guard must refuse before the kernel is asked.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        with pytest.raises(SocketConnectBlockedError):
            sock.connect(("192.0.2.1", 80))


def test_loopback_stays_allowed() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5) as client:
            accepted, _ = server.accept()
            with accepted:
                client.sendall(b"ok")
                assert accepted.recv(2) == b"ok"
