"""The frames a client and a server exchange on the socket.

A frame is a 4-byte big-endian length and that many bytes of JSON. The client's
first frame carries its stdin, stdout and stderr as SCM_RIGHTS ancillary data.
Imported by the client only once it has a served command (``json`` and ``socket``
cost a few milliseconds that ``corpus --help`` need not pay).
"""

from __future__ import annotations

import json
import socket
import struct

#: typing costs ~5 ms at start-up; mypy reads any TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_HEADER = struct.Struct(">I")
#: A frame larger than this is not ours (a page of output is the largest we send).
MAX_FRAME = 1 << 30


def encode(message: dict[str, Any]) -> bytes:
    data = json.dumps(message).encode("utf-8")
    return _HEADER.pack(len(data)) + data


def send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    data = encode(message)
    if fds:
        sent = socket.send_fds(sock, [data], fds)
        data = data[sent:]
    sock.sendall(data)


class FrameReader:
    """Frames from a socket, and the descriptors that came with the first one."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.fds: list[int] = []
        self._buffer = b""

    def _fill(self, want_fds: int) -> bool:
        if want_fds and not self.fds:
            data, fds, _flags, _addr = socket.recv_fds(self.sock, 1 << 16, want_fds)
            self.fds.extend(fds)
        else:
            data = self.sock.recv(1 << 16)
        if not data:
            return False
        self._buffer += data
        return True

    def read(self, want_fds: int = 0) -> dict[str, Any] | None:
        """The next frame, or None when the other side closed the connection."""
        while len(self._buffer) < _HEADER.size:
            if not self._fill(want_fds):
                return None
        (size,) = _HEADER.unpack_from(self._buffer)
        if size > MAX_FRAME:
            raise ValueError("frame too large")
        while len(self._buffer) < _HEADER.size + size:
            if not self._fill(want_fds):
                return None
        data = self._buffer[_HEADER.size : _HEADER.size + size]
        self._buffer = self._buffer[_HEADER.size + size :]
        message = json.loads(data.decode("utf-8"))
        if not isinstance(message, dict):
            raise ValueError("not a message")
        return message
