"""The ``corpus`` start: hand a read-only command to the index's server, if there is one.

Imported before anything else by every ``corpus`` process, so it imports only
``os``, ``sys``, ``socket``, ``struct`` and ``json`` (about 5 ms together); ``signal``
and ``subprocess`` only on the paths that need them.

:func:`run` returns None whenever the command should run in this process instead:
switched off, not a served command, no index folder, no server yet (one is started
for the next command), a server that does not answer within the timeout, or one
that cannot take our descriptors. Once a server's child has been told to go (and
been given our stdin, stdout and stderr), the command is its: the client waits
for the exit code and never runs it a second time.
"""

from __future__ import annotations

import contextlib
import os
import sys

from corpus_cli.server import routing

#: typing costs ~5 ms at start-up; mypy reads any TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import socket
    from typing import Any

    from corpus_cli.server.protocol import FrameReader


#: The exit code when a server's child vanished mid-command (killed, crashed).
_LOST = 1


def run(argv: list[str]) -> int | None:
    """The exit code of ``argv`` run by a server, or None to run it in-process."""
    environ = os.environ
    if routing.switched_off(environ):
        return None
    found = routing.command_and_index(argv[1:], environ)
    if found is None:
        return None
    try:
        index = routing.absolute(found[1])
    except OSError:
        return None  # the working folder is gone: in-process says so
    if not routing.is_served(index):
        return None
    folder = routing.runtime_dir()
    path = os.path.join(folder, routing.server_key(index) + ".sock")
    timeout = routing.seconds(environ, routing.TIMEOUT_VARIABLE, routing.DEFAULT_TIMEOUT_SECONDS)
    if not routing.private(folder):
        if not os.path.exists(folder):
            start_server(index)
        return None
    import socket

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        try:
            sock.connect(path)
        except (FileNotFoundError, ConnectionRefusedError):
            # None yet, or a stale socket of a server that died: the new server
            # removes it. This command does not wait for the start-up.
            start_server(index)
            return None
        except OSError:
            return None
        return _served(sock, argv)
    finally:
        sock.close()


def start_server(index: str) -> None:
    """Start the server of ``index`` in the background, detached from this terminal."""
    import subprocess

    # No server this time when it cannot start; the command runs in-process anyway.
    # The index goes in the environment, not the arguments: a URI's password would
    # show in every user's process list.
    with contextlib.suppress(OSError):
        subprocess.Popen(
            [sys.executable, "-m", "corpus_cli", "serve", "--quiet"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, routing.SWITCH: "off", "CORPUS_INDEX": index},
        )


def _program_name(argv: list[str]) -> str:
    """The name Click would give itself in this process (``corpus``, ``python -m corpus_cli``)."""
    main = sys.modules.get("__main__")
    package = getattr(main, "__package__", None)
    path = argv[0] if argv else "corpus"
    if not package:
        return os.path.basename(path)
    name = os.path.splitext(os.path.basename(path))[0]
    module = package if name == "__main__" else f"{package}.{name}"
    return f"python -m {module.lstrip('.')}"


def _streams() -> dict[str, list[str]] | None:
    found: dict[str, list[str]] = {}
    for name in ("stdin", "stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or not hasattr(stream, "encoding"):
            return None
        found[name] = [stream.encoding, stream.errors]
    return found


def _served(sock: socket.socket, argv: list[str]) -> int | None:
    from corpus_cli.server import protocol

    streams = _streams()
    try:
        cwd = os.getcwd()
    except OSError:
        return None  # a working folder since deleted: in-process does what it can
    if streams is None:
        return None
    request: dict[str, Any] = {
        "op": "run",
        "argv": argv,
        "prog": _program_name(argv),
        "cwd": cwd,
        "env": dict(os.environ),
        "streams": streams,
    }
    reader = protocol.FrameReader(sock)
    try:
        protocol.send(sock, request)
        ready = reader.read()
        if ready is None or not isinstance(ready.get("pid"), int):
            return None  # a server on its way out, or one that refused us
        # Only a child that answered gets our descriptors: sent with the request, a
        # hung server would hold our stdout open, and a reader of the pipe would wait.
        protocol.send(sock, {"op": "go"}, fds=[0, 1, 2])
    except (OSError, ValueError):
        return None  # timed out, or not a server: nothing has run
    sock.settimeout(None)
    return _follow(sock, reader, ready["pid"])


def _follow(sock: socket.socket, reader: FrameReader, pid: int) -> int:
    """Wait for the child's exit code, paging for it and passing on Ctrl-C."""
    import signal

    from corpus_cli.server import protocol

    def forward(signum: int, frame: object) -> None:
        with contextlib.suppress(OSError):
            os.kill(pid, signum)

    forwarded = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    for signum in forwarded:
        signal.signal(signum, forward)
    while True:
        try:
            message = reader.read()
        except (OSError, ValueError):
            message = None
        if message is None:
            sys.stderr.write(
                "corpus: the search server stopped before the command finished; "
                "run it again (CORPUS_SERVER=off runs it without a server).\n"
            )
            sys.stderr.flush()
            return _LOST
        if "exit" in message:
            code = message["exit"]
            return code if isinstance(code, int) else _LOST
        if "page" in message:
            # The pager reads the keyboard, so it runs here, with Ctrl-C as in-process.
            signal.signal(signal.SIGINT, signal.default_int_handler)
            try:
                _page(message)
            finally:
                signal.signal(signal.SIGINT, forward)
            with contextlib.suppress(OSError):
                protocol.send(sock, {"op": "paged"})


def _page(message: dict[str, Any]) -> None:
    env = message.get("env")
    if isinstance(env, dict):
        os.environ.update({str(k): str(v) for k, v in env.items()})
    import pydoc

    with contextlib.suppress(KeyboardInterrupt):
        pydoc.pager(str(message["page"]))
    with contextlib.suppress(OSError):
        sys.stdout.flush()
