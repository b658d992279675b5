"""Domain errors of the core.

The CLI maps each class to one exit code and prints ``str(error)`` as the
single-sentence message, so messages are written for the user, not the developer.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """The process's exit codes, as the CLI contract defines them."""

    OK = 0
    #: An operational problem: the index is missing or unreadable, I/O failed.
    ERROR = 1
    #: The user's input is wrong: a bad option, date or query.
    USAGE = 2
    #: Ctrl-C.
    INTERRUPTED = 130


class CorpusError(Exception):
    """Base of every error the core raises on purpose."""

    exit_code = ExitStatus.ERROR


class UsageError(CorpusError):
    """Something the user typed cannot be understood."""

    exit_code = ExitStatus.USAGE


class BadDate(UsageError):
    """A date given on the command line is not YYYY, YYYY-MM or YYYY-MM-DD."""


class QuerySyntaxError(UsageError):
    """A query cannot be parsed or is empty."""


class IndexNotFound(CorpusError):
    """There is no index at the given folder."""


class IndexUnreadable(CorpusError):
    """The index exists but cannot be opened (corrupt, foreign, unsafe)."""


class IndexLocked(CorpusError):
    """Another process is writing to the index."""


class ArticleNotFound(CorpusError):
    """No article has the requested id."""


class WatchNotFound(CorpusError):
    """No saved watch has the requested name (exit 1, like an unknown article id)."""


class WatchesUnreadable(CorpusError):
    """The saved watches (watches.json) cannot be read, parsed or written."""


class IngestInterrupted(CorpusError):
    """Ctrl-C during an ingest: the message says what the finished batches kept."""

    exit_code = ExitStatus.INTERRUPTED


class IndexDamaged(IndexUnreadable):
    """Part of the index is damaged: the message names it and says to run ``corpus repair``."""


class CannotWrite(CorpusError):
    """A write failed for want of room, or on a read-only or vanished folder.

    The message names the folder and, for a full disk, roughly the space needed;
    the index is as its last commit left it.
    """
