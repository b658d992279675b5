"""A throwaway PostgreSQL server for the tests, from the installed server binaries.

``initdb`` into a temporary folder, the server listening on a Unix socket in that
folder only (no TCP), durability off (fsync, full-page writes: nothing here has to
survive a crash of the machine), stopped and deleted at the end of the session.
``initdb`` refuses to run as root: as root the server runs as the ``postgres``
user that Debian's packages create.

One server serves the whole session (the contract suite and tests/test_postgresql.py
share it through :func:`shared`); each test gets databases of its own.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

#: The role that must give a password (tests/test_postgresql.py's wrong-password test).
PASSWORD_ROLE = "corpus_pw"
PASSWORD = "s3cret-Pa55"
SUPERUSER = "postgres"
PORT = 5432

_databases = itertools.count(1)


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


class PostgresServer:
    """One server in a temporary folder: its socket is in the folder too."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self._as: list[str] = []
        owner: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root, and there is no 'postgres' user to run initdb as")
            runuser = shutil.which("runuser")
            if runuser is None:
                pytest.skip("running as root, and there is no runuser to run initdb as postgres")
            self._as = [runuser, "-u", "postgres", "--"]
        self.root = Path(tempfile.mkdtemp(prefix="corpus-pg-", dir="/tmp" if owner else None))
        if owner is not None:
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self.data = self.root / "data"
        self.socket = str(self.root)
        self.port = PORT
        self._admin: Any = None
        self._options = ""

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self._as, *args], check=True, capture_output=True, text=True, cwd=self.root
        )

    def start(self) -> None:
        try:
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
            hba = self.data / "pg_hba.conf"
            # As the server's owner: the server must be able to read its own file.
            lines = f"local all {PASSWORD_ROLE} scram-sha-256\\nlocal all all trust\\n"
            self._run("sh", "-c", f"printf '{lines}' > {hba}")
            self._options = " ".join(
                [
                    "-c listen_addresses=''",
                    f"-c unix_socket_directories={self.socket}",
                    f"-c port={self.port}",
                    "-c fsync=off",
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                    "-c max_connections=60",
                    "-c shared_buffers=64MB",
                ]
            )
            self._start()
        except subprocess.CalledProcessError as error:
            log = self.root / "server.log"
            detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            self.remove()
            raise RuntimeError(f"the test server did not start: {error.stderr}\n{detail}") from None
        self.admin().cursor().execute(f"CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD %s", (PASSWORD,))

    def stop(self) -> None:
        self.halt()
        self.remove()

    def halt(self) -> None:
        """Stop the server and keep its folder (a test may restart it, or unmount parts)."""
        self._close_admin()
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")

    def restart(self) -> None:
        """Start a server that stopped (or died) again on the same folder."""
        self._close_admin()
        self._start()

    def _start(self) -> None:
        log = str(self.root / "server.log")
        pg_ctl = str(self.bindir / "pg_ctl")
        options = ["-o", self._options, "-w", "-t", "60"]
        self._run(pg_ctl, "-D", str(self.data), "-l", log, *options, "start")

    def _close_admin(self) -> None:
        if self._admin is not None:
            with contextlib.suppress(Exception):
                self._admin.close()
            self._admin = None

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    # -- using it --------------------------------------------------------------------

    @property
    def env(self) -> dict[str, str]:
        """libpq's variables that make ``postgresql:///name`` mean a database here."""
        return {"PGHOST": self.socket, "PGPORT": str(self.port), "PGUSER": SUPERUSER}

    def uri(self, database: str, user: str = SUPERUSER) -> str:
        """A URI that names this server in full (for subprocesses and other users)."""
        return f"postgresql:///{database}?host={self.socket}&port={self.port}&user={user}"

    def admin(self) -> Any:
        """An autocommit connection as the superuser to the ``postgres`` database."""
        import psycopg2

        if self._admin is None or self._admin.closed:
            self._admin = psycopg2.connect(self.uri("postgres"))
            self._admin.autocommit = True
        return self._admin

    def create_database(self, prefix: str = "corpus", owner: str | None = None) -> str:
        """A new empty database; returns its name."""
        name = f"{prefix}_{os.getpid()}_{next(_databases)}"
        owned = f" OWNER {owner}" if owner else ""
        self.admin().cursor().execute(f"CREATE DATABASE {name}{owned} TEMPLATE template0")
        return name

    def drop_database(self, name: str) -> None:
        self.admin().cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def execute(self, database: str, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Run one statement as the superuser in ``database``; its rows, if any."""
        import psycopg2

        connection = psycopg2.connect(self.uri(database))
        try:
            connection.autocommit = True
            cursor = connection.cursor()
            cursor.execute(sql, params)
            return list(cursor.fetchall()) if cursor.description else []
        finally:
            connection.close()


_shared: dict[str, Any] = {"server": None, "users": 0}


def shared(request: pytest.FixtureRequest) -> PostgresServer:
    """The session's server, started by the first session fixture that asks for it.

    Skips (with the reason) where no PostgreSQL server binaries are installed.
    """
    bindir = find_bindir()
    if bindir is None:
        pytest.skip(
            "no PostgreSQL server binaries (initdb, pg_ctl) found: install Debian's "
            "'postgresql' package, or set PG_BINDIR"
        )
    if _shared["server"] is None:
        server = PostgresServer(bindir)
        server.start()
        _shared["server"] = server
    _shared["users"] += 1

    def release() -> None:
        _shared["users"] -= 1
        if _shared["users"] == 0 and _shared["server"] is not None:
            _shared["server"].stop()
            _shared["server"] = None

    request.addfinalizer(release)
    server: PostgresServer = _shared["server"]
    return server


def one_line_error(result: Result) -> str:
    """The single ``corpus: ...`` line of a command that failed with exit code 1."""
    assert result.exit_code == 1, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("corpus: "), line
    assert "Traceback" not in result.output
    return line
