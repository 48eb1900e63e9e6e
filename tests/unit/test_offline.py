"""The suite itself runs offline: any connection beyond loopback fails the test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest


def test_a_connection_to_a_public_address_is_refused_by_the_test_harness() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        with pytest.raises(Exception, match="(?i)host|socket|blocked") as caught:
            sock.connect(("192.0.2.1", 80))
    assert "pytest_socket" in type(caught.value).__module__


def test_loopback_stays_usable() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    server.close()


def test_a_name_lookup_beyond_loopback_is_refused() -> None:
    with pytest.raises(OSError, match="network blocked"):
        socket.getaddrinfo("alphacephei.com", 443)
    assert socket.getaddrinfo("localhost", 80)


def test_a_datagram_beyond_loopback_is_refused() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        with pytest.raises(OSError, match="network blocked"):
            sock.sendto(b"x", ("192.0.2.1", 9))
        receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        receiver.bind(("127.0.0.1", 0))
        assert sock.sendto(b"x", receiver.getsockname()) == 1
        assert receiver.recv(1) == b"x"
        receiver.close()


def test_python_children_of_the_tests_are_guarded_too() -> None:
    probe = (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
        "except OSError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=30, check=True
    )
    assert "network blocked in tests" in done.stdout


def test_the_model_catalogue_points_at_a_closed_loopback_port() -> None:
    assert os.environ["VOICEREFLECT_MODEL_CATALOGUE"].startswith("http://127.0.0.1:")
