"""Network guard for the test suite, in the test process and in every Python child.

The test process imports this module from ``tests/conftest.py``; children (the installed
``voicereflect`` run by integration tests) get it through ``PYTHONPATH``, where Python imports
``sitecustomize`` at start-up. Either way, any connection, name lookup or datagram beyond
loopback raises ``OSError`` — so a stray network call anywhere fails the test that made it.
Standard library only: it runs before anything else is importable.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Any

ENV = "VOICEREFLECT_TEST_NETGUARD"
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
_INET = (socket.AF_INET, socket.AF_INET6)

real_getaddrinfo = socket.getaddrinfo
real_connect = socket.socket.connect
real_connect_ex = socket.socket.connect_ex
real_sendto = socket.socket.sendto


def is_loopback(host: Any) -> bool:
    """True for loopback addresses and the names that always mean them."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(what: str, host: Any) -> OSError:
    return OSError(f"network blocked in tests: {what} {host!r}")


def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if host is not None and not is_loopback(host):
        raise _refuse("lookup of", host)
    return real_getaddrinfo(host, *args, **kwargs)


def guarded_connect(sock: socket.socket, address: Any) -> None:
    if sock.family in _INET and not is_loopback(address[0]):
        raise _refuse("connection to", address[0])
    real_connect(sock, address)


def guarded_connect_ex(sock: socket.socket, address: Any) -> int:
    if sock.family in _INET and not is_loopback(address[0]):
        raise _refuse("connection to", address[0])
    return real_connect_ex(sock, address)


def guarded_sendto(sock: socket.socket, data: Any, *args: Any) -> int:
    address = args[-1]
    if sock.family in _INET and not is_loopback(address[0]):
        raise _refuse("datagram to", address[0])
    return real_sendto(sock, data, *args)


def install() -> None:
    """Guard this whole interpreter."""
    socket.getaddrinfo = guarded_getaddrinfo
    socket.socket.connect = guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = guarded_connect_ex  # type: ignore[method-assign]
    socket.socket.sendto = guarded_sendto  # type: ignore[method-assign,assignment]


if os.environ.get(ENV) == "1":
    install()
