"""Connecting to the server, and the driver's errors as one plain sentence each.

Every error of psycopg2 that leaves this package becomes an
:class:`~corpus_cli.errors.IndexUnreadable` (exit code 1), or a
:class:`~corpus_cli.errors.CannotWrite` when the server's disk is full, whose message
names the server and the database, never the password: libpq's own messages do not
carry it, and the URI is shown only through :func:`redact`.
"""

from __future__ import annotations

import getpass
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg2
import psycopg2.extensions

from corpus_cli.errors import CannotWrite, CorpusError, IndexUnreadable

#: Seconds to wait for the server when the URI does not say (libpq waits forever).
CONNECT_TIMEOUT = 10
#: SQLSTATEs with a sentence of their own.
INSUFFICIENT_PRIVILEGE = "42501"
READ_ONLY_TRANSACTION = "25006"
UNDEFINED_TABLE = "42P01"
#: Class 53, insufficient resources: the server is short of disk, memory or a limit.
DISK_FULL = "53100"
INSUFFICIENT_RESOURCES = "53"

_PASSWORD_IN_NETLOC = re.compile(r"^([a-z]+://[^/@:]*):[^/@]*@", re.IGNORECASE)
_PASSWORD_PARAM = re.compile(r"([?&])password=[^&]*&?", re.IGNORECASE)


def redact(uri: str) -> str:
    """``uri`` without its password (``postgresql://bob:pw@h/db`` -> ``postgresql://bob@h/db``)."""
    uri = _PASSWORD_IN_NETLOC.sub(r"\1@", uri)
    return _PASSWORD_PARAM.sub(r"\1", uri).rstrip("?&")


def close_all() -> None:
    """Close every connection of this process that is still open (``corpus serve``
    does before it forks: a child must not share its parent's socket)."""
    import gc

    gc.collect()
    for found in gc.get_objects():
        if isinstance(found, psycopg2.extensions.connection) and not found.closed:
            found.close()


class Server:
    """A connection URI, and the words that name its server and database in messages."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.location = redact(uri)
        try:
            self.params: dict[str, str] = dict(psycopg2.extensions.parse_dsn(uri))
        except psycopg2.Error as error:
            raise IndexUnreadable(
                f"'{self.location}' is not a PostgreSQL connection URI ({_reason(error)})."
            ) from None
        env = os.environ
        host = self.params.get("host") or env.get("PGHOST") or ""
        port = self.params.get("port") or env.get("PGPORT") or "5432"
        self.user = self.params.get("user") or env.get("PGUSER") or _login()
        self.database = self.params.get("dbname") or env.get("PGDATABASE") or self.user
        if not host:
            self.name = "the local PostgreSQL server"
        elif host.startswith("/"):
            self.name = f"the PostgreSQL server on socket {host}"
        else:
            self.name = f"the PostgreSQL server at {host}:{port}"

    @property
    def where(self) -> str:
        """``database 'x' on the PostgreSQL server at host:port``."""
        return f"database '{self.database}' on {self.name}"

    def connect(self) -> Any:
        """A new connection in autocommit mode; IndexUnreadable when there is none to be had."""
        extra: dict[str, Any] = {}
        if "connect_timeout" not in self.params and "PGCONNECT_TIMEOUT" not in os.environ:
            extra["connect_timeout"] = CONNECT_TIMEOUT
        if "application_name" not in self.params and "PGAPPNAME" not in os.environ:
            extra["application_name"] = "corpus"
        try:
            connection = psycopg2.connect(self.uri, **extra)
            connection.autocommit = True
            # JIT compiles a query whose estimated cost passes jit_above_cost: 5-70 ms
            # spent on every search whose text part disables sequential scans (their
            # cost becomes 1e10, small tables included) and on any ranking of many
            # matches, where the query itself takes a few milliseconds.
            connection.cursor().execute("SET jit = off")
        except psycopg2.Error as error:
            raise IndexUnreadable(self._connect_failure(error)) from None
        return connection

    def _connect_failure(self, error: psycopg2.Error) -> str:
        reason = _reason(error)
        lowered = reason.lower()
        if "does not exist" in lowered and "database" in lowered:
            return (
                f"There is no database '{self.database}' on {self.name}; "
                f"create it first (createdb {self.database}) or name another one."
            )
        if "role" in lowered and "does not exist" in lowered:
            return f"{_capital(self.name)} has no role '{self.user}'."
        if "password authentication failed" in lowered:
            return f"{_capital(self.name)} refused the password of role '{self.user}'."
        if "no password supplied" in lowered:
            return (
                f"{_capital(self.name)} asks role '{self.user}' for a password; "
                "put it in ~/.pgpass or PGPASSWORD."
            )
        if "connection refused" in lowered or "no such file or directory" in lowered:
            return f"Cannot connect to {self.name} ({lowered}); is it running?"
        return f"Cannot connect to {self.where} ({reason})."

    def failure(self, error: psycopg2.Error, writing: bool) -> CorpusError:
        """The error, with its sentence, for one raised while a command talked to the server."""
        code = getattr(error, "pgcode", None) or ""
        reason = _reason(error)
        kept = (
            "what was being written was rolled back, and the corpus is as its last commit left it"
            if writing
            else "nothing was changed"
        )
        # psycopg2 files class 53 under OperationalError, which below means a lost
        # connection: these errors end one statement, and the connection stays up.
        # ENOSPC reaches the client as 53100 (errcode_for_file_access); the words are
        # a fallback for a server that files it otherwise.
        if code == DISK_FULL or "no space left on device" in reason.lower():
            return CannotWrite(
                f"{_capital(self.name)} ran out of disk space for database '{self.database}'; "
                f"{kept}: free some space on the server and run the command again."
            )
        if code.startswith(INSUFFICIENT_RESOURCES):
            return IndexUnreadable(
                f"{_capital(self.name)} could not finish the command on database "
                f"'{self.database}' for want of resources ({reason}); {kept}: run it again "
                "when the server is less busy, or ask its administrator."
            )
        return IndexUnreadable(self._message(error, code, reason, writing))

    def _message(self, error: psycopg2.Error, code: str, reason: str, writing: bool) -> str:
        if code == INSUFFICIENT_PRIVILEGE:
            doing = "write to" if writing else "read"
            return f"Role '{self.user}' may not {doing} the corpus in {self.where} ({reason})."
        if code == READ_ONLY_TRANSACTION:
            return (
                f"The {self.where} is read-only here (a standby, or a read-only session); "
                "run the commands that write against the primary."
            )
        if code == UNDEFINED_TABLE:
            return f"The corpus tables in {self.where} are gone or incomplete ({reason})."
        lost = (
            isinstance(error, psycopg2.OperationalError | psycopg2.InterfaceError)
            or code.startswith(("08", "57P"))
            or _broke(error)
        )
        if lost:
            kept = (
                "; the batch being written was rolled back, and the next 'corpus ingest' "
                "carries on from the last committed one"
                if writing
                else ""
            )
            return f"The connection to {self.name} was lost ({reason}){kept}."
        return f"{_capital(self.name)} refused a command on {self.where} ({reason})."

    @contextmanager
    def errors(self, writing: bool = False) -> Iterator[None]:
        """Turn the driver's errors inside the block into one of the core's."""
        try:
            yield
        except psycopg2.Error as error:
            raise self.failure(error, writing) from None


def _reason(error: BaseException) -> str:
    """The first line of a libpq or server message, without its prefixes."""
    text = str(error).strip() or type(error).__name__
    line = text.splitlines()[0].strip()
    if " failed: " in line:
        line = line.split(" failed: ", 1)[1]
    for prefix in ("FATAL:", "ERROR:"):
        if line.startswith(prefix):
            line = line[len(prefix) :].strip()
    return line.rstrip(".") or type(error).__name__


def _broke(error: psycopg2.Error) -> bool:
    """Whether the error closed its connection: a COPY whose server died says only
    DatabaseError, with no SQLSTATE."""
    cursor = getattr(error, "cursor", None)
    if cursor is not None and cursor.connection.closed:
        return True
    return not getattr(error, "pgcode", None) and "closed the connection" in str(error)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "?"
