"""Asking a running server about itself: ``corpus server status`` and ``corpus server stop``."""

from __future__ import annotations

import os
import socket
from typing import Any

from corpus_cli.server import protocol, routing


def ask(index: str, op: str, timeout: float = 2.0) -> dict[str, Any] | None:
    """The reply of the server of ``index`` to ``op``, or None when none is running."""
    path = routing.socket_path(index)
    if not routing.private(os.path.dirname(path)):
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(path)
            protocol.send(sock, {"op": op})
            return protocol.FrameReader(sock).read()
        except (OSError, ValueError):
            return None


def status(index: str) -> dict[str, Any] | None:
    return ask(index, "status")


def stop(index: str, wait: float = 5.0) -> int | None:
    """Stop the server of ``index``; its pid, or None when none was running.

    Returns once the server has exited (or ``wait`` seconds have passed), so that a
    command right after it finds no server.
    """
    import time

    reply = ask(index, "stop")
    if reply is None or not isinstance(reply.get("stopping"), int):
        return None
    pid: int = reply["stopping"]
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        except PermissionError:
            break
        time.sleep(0.02)
    return pid
