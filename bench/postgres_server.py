"""A throwaway PostgreSQL server for bench.py, from the installed server binaries.

``initdb`` into a temporary folder, the server listening on a Unix socket in that
folder only (no TCP), stopped and deleted at the end (``with running(...)``, which
also covers Ctrl-C). ``initdb`` refuses to run as root: as root the server runs as
the ``postgres`` user that Debian's packages create.

Unlike the tests' server (tests/pg_server.py, which this module does not import: the
bench stands alone), durability is left at the server's defaults (fsync,
synchronous_commit, full_page_writes all on): ingest rates are measured as a real
server would give them. See bench/README.md.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SUPERUSER = "postgres"
PORT = 5432
#: Settings shown with the results: the ones that move ingest and search times.
REPORTED_SETTINGS = [
    "server_version",
    "fsync",
    "synchronous_commit",
    "full_page_writes",
    "wal_level",
    "shared_buffers",
    "work_mem",
    "max_wal_size",
    "jit",
    "default_toast_compression",
]


class Unavailable(Exception):
    """No server can be started here; the message says why, in one sentence."""


class StartFailed(RuntimeError):
    """initdb or the server failed; the message carries their output and the log's end."""


def find_bindir() -> Path | None:
    """The folder of initdb, pg_ctl and postgres: $PG_BINDIR, Debian's, or the PATH's."""
    candidates = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(os.environ["PG_BINDIR"])
    candidates += sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: [int(x) for x in p.split("/")[-2].split(".") if x.isdigit()],
        reverse=True,
    )
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    for folder in candidates:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


class Server:
    """One server in a temporary folder; its socket is in the folder too."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self._as: list[str] = []
        owner: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise Unavailable(
                    "running as root, and there is no 'postgres' user to run initdb as"
                ) from None
            runuser = shutil.which("runuser")
            if runuser is None:
                raise Unavailable("running as root, and there is no runuser to run initdb as")
            self._as = [runuser, "-u", "postgres", "--"]
        # As root, in /tmp: the postgres user must be able to reach the folder.
        self.root = Path(tempfile.mkdtemp(prefix="corpus-bench-pg-", dir="/tmp" if owner else None))
        if owner is not None:
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self.data = self.root / "data"
        self.socket = str(self.root)
        self._admin: Any = None
        self._started = False

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self._as, *args],
            check=True,
            capture_output=True,
            text=True,
            cwd=self.root,
            stdin=subprocess.DEVNULL,
        )

    def start(self) -> None:
        try:
            # --no-sync: initdb does not flush its files to disk before it exits. It
            # saves seconds and changes nothing measured (the server runs with fsync on).
            self._run(
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            )
            options = " ".join(
                [
                    "-c listen_addresses=''",
                    f"-c unix_socket_directories={self.socket}",
                    f"-c port={PORT}",
                ]
            )
            self._started = True
            self._run(
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.root / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            )
        except subprocess.CalledProcessError as error:
            log = self.root / "server.log"
            detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            self.stop()
            raise StartFailed(
                f"the benchmark's PostgreSQL server did not start: {error.stderr}\n{detail}"
            ) from None

    def stop(self) -> None:
        """Stop the server (if it runs) and delete its folder."""
        if self._admin is not None:
            with contextlib.suppress(Exception):
                self._admin.close()
            self._admin = None
        if self._started:
            # Immediate: nothing here is worth a shutdown checkpoint, it is all deleted.
            with contextlib.suppress(subprocess.CalledProcessError):
                self._run(
                    str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"
                )
            self._started = False
        shutil.rmtree(self.root, ignore_errors=True)

    # -- using it --------------------------------------------------------------------

    def uri(self, database: str) -> str:
        """A URI that names a database of this server in full (for ``corpus --index``)."""
        return f"postgresql:///{database}?host={self.socket}&port={PORT}&user={SUPERUSER}"

    def admin(self) -> Any:
        """An autocommit connection as the superuser to the ``postgres`` database."""
        import psycopg2

        if self._admin is None or self._admin.closed:
            self._admin = psycopg2.connect(self.uri("postgres"))
            self._admin.autocommit = True
        return self._admin

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Run one statement in the ``postgres`` database; its rows, if any."""
        cursor = self.admin().cursor()
        cursor.execute(statement, params or None)
        return list(cursor.fetchall()) if cursor.description else []

    def execute(self, database: str, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Run one statement as the superuser in ``database``; its rows, if any."""
        import psycopg2

        connection = psycopg2.connect(self.uri(database))
        try:
            connection.autocommit = True
            cursor = connection.cursor()
            cursor.execute(statement, params or None)
            return list(cursor.fetchall()) if cursor.description else []
        finally:
            connection.close()

    def create_database(self, name: str) -> None:
        self.sql(f'CREATE DATABASE "{name}" TEMPLATE template0')

    def drop_database(self, name: str) -> None:
        self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def settings(self) -> dict[str, str]:
        rows = self.sql(
            "SELECT name, setting, unit FROM pg_settings WHERE name = ANY(%s)",
            (REPORTED_SETTINGS,),
        )
        shown: dict[str, str] = {}
        for name, setting, unit in rows:
            if unit == "8kB":
                setting = f"{int(setting) * 8 // 1024}MB"
            elif unit in ("kB", "MB"):
                setting = f"{setting}{unit}"
            shown[name] = setting
        return {name: shown[name] for name in REPORTED_SETTINGS if name in shown}


@contextlib.contextmanager
def running(bindir: Path) -> Iterator[Server]:
    """A started server, stopped and deleted when the block ends, however it ends."""
    server = Server(bindir)
    try:
        server.start()
        yield server
    finally:
        # A second Ctrl-C (or a SIGTERM) must not cut the clean-up short.
        blocked = {signal.SIGINT, signal.SIGTERM}
        signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
        try:
            server.stop()
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)
