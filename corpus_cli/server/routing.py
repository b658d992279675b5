"""Which commands a server takes, for which index, on which socket.

Read by every ``corpus`` start before anything else, so it imports only ``os`` and
``sys``: ``corpus --help`` and the commands that are never served pay nothing more.
"""

from __future__ import annotations

import os
import sys

#: typing costs ~5 ms at start-up; mypy reads any TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

#: Commands handed to the server: they only read the index and never prompt.
#: ingest, optimize and watch write (one writer at a time, and a write should not
#: outlive the command that asked for it); browse owns the terminal's keyboard;
#: serve and server are the server's own.
SERVED_COMMANDS = frozenset(
    {
        "search",
        "list",
        "show",
        "stats",
        "sources",
        "timeline",
        "terms",
        "cites",
        "similar",
        "dups",
    }
)

#: ``CORPUS_SERVER=off`` (or 0, no, false): every command runs in its own process.
SWITCH = "CORPUS_SERVER"
#: Seconds without a command before a server exits by itself.
IDLE_VARIABLE = "CORPUS_SERVER_IDLE"
DEFAULT_IDLE_SECONDS = 600.0
#: Seconds a client waits for a server to take its command before running it itself.
TIMEOUT_VARIABLE = "CORPUS_SERVER_TIMEOUT"
DEFAULT_TIMEOUT_SECONDS = 2.0

#: The group's options and whether each takes a value (``cli.app.GLOBAL_OPTIONS``,
#: repeated here so that the client does not import Click to read them).
GLOBAL_OPTIONS = {"--index": True, "--no-color": False, "--debug": False}
#: The index file every Whoosh index has (``storage.whoosh.schema.VERSION_FILE``).
INDEX_MARKER = "corpus-schema"


def switched_off(environ: Mapping[str, str]) -> bool:
    return environ.get(SWITCH, "").strip().lower() in {"off", "0", "no", "false"}


def seconds(environ: Mapping[str, str], name: str, default: float) -> float:
    try:
        value = float(environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def command_and_index(args: list[str], environ: Mapping[str, str]) -> tuple[str, str] | None:
    """(command, index location) for a served command line, else None.

    Reads the arguments as ``cli.app.globals_first`` and Click would: the group's
    options may stand anywhere before ``--``; anything else before the command
    (``--version``, ``-h``) is not served.
    """
    index: str | None = None
    command: str | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            break
        name, equals, value = arg.partition("=")
        if name in GLOBAL_OPTIONS:
            if GLOBAL_OPTIONS[name]:
                if equals:
                    index = value
                elif i + 1 < len(args):
                    index = args[i + 1]
                    i += 1
                else:
                    return None  # a usage error: in-process says so
            elif equals:
                return None
        elif command is None:
            if arg.startswith("-"):
                return None
            command = arg
        i += 1
    if command not in SERVED_COMMANDS:
        return None
    if index is None:
        index = environ.get("CORPUS_INDEX") or "index"
    return command, index


def runtime_dir() -> str:
    """The private folder of this user's sockets (made 0700 by the server)."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    if base and os.path.isabs(base) and os.path.isdir(base):
        return os.path.join(base, "corpus")
    return os.path.join("/tmp", f"corpus-{os.getuid()}")


def private(folder: str) -> bool:
    """True when ``folder`` is ours and nobody else's: no one else can plant a socket."""
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return info.st_uid == os.getuid() and (info.st_mode & 0o7077) == 0 and os.path.isdir(folder)


def server_key(index: str) -> str:
    """A name for the server of ``index`` run by this interpreter and this code.

    Another venv or another checkout of the code gets a server of its own: the server
    runs the code it started with. FNV-1a, 64 bits: a name, not a secret.
    """
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    where = index if is_postgresql(index) else os.path.realpath(index)
    text = "\0".join([where, package, sys.executable])
    value = 0xCBF29CE484222325
    for byte in text.encode("utf-8", "surrogateescape"):
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


def socket_path(index: str) -> str:
    return os.path.join(runtime_dir(), server_key(index) + ".sock")


def is_postgresql(index: str) -> bool:
    """A PostgreSQL location (``storage.open_store`` reads the same prefixes)."""
    return index.startswith(("postgresql://", "postgres://"))


def is_whoosh_index(index: str) -> bool:
    """An existing Whoosh index folder (not a URI, not a typo)."""
    if is_postgresql(index):
        return False
    return os.path.isfile(os.path.join(index, INDEX_MARKER))


def is_served(index: str) -> bool:
    """Does ``index`` get a server: an existing index folder, or a PostgreSQL location
    (whose server's children each open their own connection)?"""
    return is_postgresql(index) or is_whoosh_index(index)


def absolute(index: str) -> str:
    """``index`` as a server knows it: a folder made absolute, a URI as it is."""
    return index if is_postgresql(index) else os.path.abspath(index)
