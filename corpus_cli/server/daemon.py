"""The server of one index: warm imports, a fork for each command, an idle exit.

One server per index, interpreter and checkout of the code (``routing.server_key``),
made sure of by an exclusive lock held for the server's life: a second server of the
same index exits at once, and the holder of the lock may remove a socket file left
by one that was killed.

Each command runs in a child forked from the warm server, so nothing one command
changes (the environment, the working folder, caches, a half-read index) is seen by
the next, and each child opens the index as it is now: a commit made by an ingest is
in the next search, with no reopening to get wrong. Before each command the server
checks that its own code and the index are still there and unchanged; when they are
not it declines the command (the client runs it in-process) and exits.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import io
import os
import signal
import socket
import struct
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from corpus_cli.errors import CorpusError
from corpus_cli.server import protocol, routing

#: Runs a command line (without the program name) under a program name; the exit code.
RunCommand = Callable[[list[str], str], int]

_CREDENTIALS = struct.Struct("3i")  # struct ucred: pid, uid, gid
#: How long the server waits for a client's request before dropping it (it is local).
_REQUEST_SECONDS = 1.0


class ServerError(CorpusError):
    """The server cannot start: no private folder for its socket, or one is running."""


@dataclass
class _State:
    index: str
    idle: float
    path: str
    started: float = field(default_factory=time.time)
    commands: int = 0
    last: float = field(default_factory=time.monotonic)
    children: set[int] = field(default_factory=set)
    stopping: bool = False
    code: dict[str, int] = field(default_factory=dict)


def prepare_folder() -> str:
    """The private folder of the sockets, made if needed; ServerError if it is not ours."""
    folder = routing.runtime_dir()
    with contextlib.suppress(FileExistsError):
        os.mkdir(folder, 0o700)
    if not routing.private(folder):
        raise ServerError(
            f"{folder} is not a private folder of this user (mode 0700); "
            "the search server will not put its socket there."
        )
    return folder


@contextlib.contextmanager
def _exclusive(path: str) -> Iterator[bool]:
    """Hold the lock at ``path`` for the block; yields False when another process has it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def serve(
    index: str,
    run_command: RunCommand,
    warm_up: Callable[[], None],
    idle: float,
    announce: Callable[[str], None] | None = None,
    shown: str | None = None,
) -> None:
    """Serve ``index`` until idle for ``idle`` seconds, stopped, or its code changes.

    ``shown`` is the index as messages name it (a URI without its password)."""
    shown = shown or index
    folder = prepare_folder()
    key = routing.server_key(index)
    path = os.path.join(folder, key + ".sock")
    with _exclusive(os.path.join(folder, key + ".lock")) as ours:
        if not ours:
            raise ServerError(f"a search server is already running for {shown}.")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # a socket left by a server that was killed
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(path)
        except OSError as error:
            listener.close()
            raise ServerError(f"cannot listen on {path} ({error.strerror or error}).") from None
        bound = os.stat(path).st_ino
        state = _State(index=index, idle=idle, path=path)
        previous = signal.signal(signal.SIGTERM, _stop_on_signal)
        try:
            os.chmod(path, 0o600)
            listener.listen(16)
            # Clients that come meanwhile wait (up to their timeout) for the warm-up.
            _warm(warm_up)
            state.code = _code_files()
            os.chdir("/")  # hold no folder of the user's; each child goes to its own
            gc.collect()
            gc.freeze()  # the children need not walk what every one of them inherits
            if announce is not None:
                announce(f"serving {shown} on {path} (idle exit after {idle:g} s)")
            _loop(listener, state, run_command)
        except _Stopped:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            listener.close()
            with contextlib.suppress(OSError):
                if os.stat(path).st_ino == bound:  # not a successor's socket
                    os.unlink(path)
            _reap(state, block=True)


class _Stopped(Exception):
    pass


def _stop_on_signal(signum: int, frame: object) -> None:
    raise _Stopped()


def _warm(warm_up: Callable[[], None]) -> None:
    """Import what commands need by running one, its output thrown away."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
    try:
        warm_up()
    except BaseException as error:  # a warm-up that fails only leaves imports cold
        if isinstance(error, KeyboardInterrupt | _Stopped):
            raise
    finally:
        sys.stdout, sys.stderr = saved
    import pydoc  # the children's pager hook replaces its pager

    del pydoc


def _code_files() -> dict[str, int]:
    """Each loaded module of this package and its modification time."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found: dict[str, int] = {}
    for module in list(sys.modules.values()):
        name = getattr(module, "__file__", None)
        if isinstance(name, str) and name.startswith(package):
            with contextlib.suppress(OSError):
                found[name] = os.stat(name).st_mtime_ns
    return found


def _still_current(state: _State) -> bool:
    """Is this server's code what is on disk, and its index still there?

    (A database that is gone makes each command say so, as in-process.)"""
    if not routing.is_served(state.index):
        return False
    for name, mtime in state.code.items():
        try:
            if os.stat(name).st_mtime_ns != mtime:
                return False
        except OSError:
            return False
    return True


def _loop(listener: socket.socket, state: _State, run_command: RunCommand) -> None:
    listener.settimeout(min(1.0, state.idle))
    while not state.stopping:
        _reap(state)
        if not state.children and time.monotonic() - state.last > state.idle:
            return
        try:
            conn, _ = listener.accept()
        except (TimeoutError, InterruptedError):
            # An index deleted or code updated while idle: go now, not at the idle exit.
            if not _still_current(state):
                return
            continue
        with conn:
            _handle(conn, listener, state, run_command)


def _reap(state: _State, block: bool = False) -> None:
    for pid in list(state.children):
        try:
            done, _status = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            state.children.discard(pid)
            state.last = time.monotonic()


def _peer_is_us(conn: socket.socket) -> bool:
    try:
        raw = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _CREDENTIALS.size)
    except OSError:
        return False
    uid: int = _CREDENTIALS.unpack(raw)[1]
    return uid == os.getuid()


def _handle(
    conn: socket.socket, listener: socket.socket, state: _State, run_command: RunCommand
) -> None:
    # The folder is private already; the peer's uid is checked all the same, for a
    # socket reached some other way (a folder made less private later, a bind mount).
    if not _peer_is_us(conn):
        return
    conn.settimeout(_REQUEST_SECONDS)
    reader = protocol.FrameReader(conn)
    try:
        request = reader.read()
        if request is None:
            return
        op = request.get("op")
        if op == "status":
            protocol.send(conn, _status(state))
        elif op == "stop":
            state.stopping = True
            protocol.send(conn, {"stopping": os.getpid()})
        elif op == "run":
            if not _still_current(state):
                state.stopping = True
                protocol.send(conn, {"declined": "the server's code or index changed"})
                return
            pid = os.fork()
            if pid == 0:
                _child(conn, listener, reader, request, run_command)
            state.children.add(pid)
            state.commands += 1
            state.last = time.monotonic()
    except (OSError, ValueError):
        pass  # the client went away, or is no client; it runs the command itself


def _status(state: _State) -> dict[str, Any]:
    return {
        "pid": os.getpid(),
        "index": state.index,
        "socket": state.path,
        "python": sys.executable,
        "started": state.started,
        "uptime_seconds": round(time.time() - state.started, 1),
        "commands": state.commands,
        "commands_running": len(state.children),
        "idle_seconds": round(time.monotonic() - state.last, 1),
        "idle_exit_seconds": state.idle,
    }


def _child(
    conn: socket.socket,
    listener: socket.socket,
    reader: protocol.FrameReader,
    request: dict[str, Any],
    run_command: RunCommand,
) -> None:
    """Run one command as the client's process would have; never returns."""
    code = 1
    try:
        listener.close()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        conn.settimeout(None)
        protocol.send(conn, {"pid": os.getpid()})
        go = reader.read(want_fds=3)
        if go is None or go.get("op") != "go" or len(reader.fds) != 3:
            os._exit(0)  # the client gave up waiting and runs the command itself
        code = _run(conn, reader, request, reader.fds, run_command)
        protocol.send(conn, {"exit": code})
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _run(
    conn: socket.socket,
    reader: protocol.FrameReader,
    request: dict[str, Any],
    fds: list[int],
    run_command: RunCommand,
) -> int:
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    fds.clear()
    env = {str(k): str(v) for k, v in request["env"].items()}
    os.environ.clear()
    os.environ.update(env)
    time.tzset()
    streams = request["streams"]
    sys.stdin = _stream(0, "r", *streams["stdin"])
    sys.stdout = _stream(1, "w", *streams["stdout"])
    sys.stderr = _stream(2, "w", *streams["stderr"])
    argv = [str(arg) for arg in request["argv"]]
    sys.argv = argv
    _page_through(conn, reader, env)
    try:
        os.chdir(request["cwd"])
        code = run_command(argv[1:], str(request["prog"]))
    except SystemExit as done:
        code = _exit_code(done)
    except KeyboardInterrupt:
        code = 130
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = 120  # as Python's own exit does when the last flush fails
    return code


def _exit_code(done: SystemExit) -> int:
    if done.code is None:
        return 0
    if isinstance(done.code, int):
        return done.code
    sys.stderr.write(f"{done.code}\n")
    return 1


def _stream(fd: int, mode: str, encoding: str, errors: str) -> IO[str]:
    """The text stream Python would have made for ``fd`` in the client's process."""
    buffer = open(fd, mode + "b", closefd=False)  # noqa: SIM115 - lives as long as the child
    interactive = os.isatty(fd)
    return io.TextIOWrapper(
        buffer,
        encoding=encoding,
        errors=errors,
        newline="\n",
        # Python line-buffers stdout on a terminal and stderr always (3.9+).
        line_buffering=interactive or fd == 2,
    )


def _page_through(conn: socket.socket, reader: protocol.FrameReader, env: dict[str, str]) -> None:
    """Have pydoc's pager (what Rich pages with) run in the client, which owns the keyboard."""
    import pydoc

    def pager(text: str, title: str = "") -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        changed = {k: v for k, v in os.environ.items() if env.get(k) != v}
        protocol.send(conn, {"page": text, "env": changed})
        if reader.read() is None:
            raise BrokenPipeError("the client went away while paging")

    pydoc.pager = pager
