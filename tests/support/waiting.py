"""Waiting for what arrives asynchronously, and a port for a server a test starts."""
import socket
import time
from collections.abc import Callable
from typing import Any

HOST = "127.0.0.1"


def wait_for(probe: Callable[[], Any], timeout: float = 15.0, what: str = "condition") -> Any:
    """Poll until probe() returns something truthy: events reach other services asynchronously."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def free_port() -> int:
    """A TCP port nobody listens on now, for a server a test starts."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]
