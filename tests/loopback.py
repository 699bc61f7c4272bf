"""Talking to a server of our own on 127.0.0.1: a free port for it, and an opener that reaches
it directly. Shared by the `mkdocs serve` tests and the rebuild bench."""

from __future__ import annotations

import socket
import urllib.request

__all__ = ["OPENER", "free_port"]

#: Straight to the loopback server, whatever proxy the environment names.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    """A port of 127.0.0.1 nothing listens on now (the system picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
