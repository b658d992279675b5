"""What a failed read or write of a Whoosh index means, in one sentence for the user."""

from __future__ import annotations

import errno
import functools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from corpus_cli.errors import CannotWrite, CorpusError

_P = ParamSpec("_P")
_R = TypeVar("_R")


def guarded(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Turn what Whoosh raises on a damaged file into one sentence naming the part
    (see :func:`translated`); for a method of the store or of one of its parts."""

    @functools.wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with translated(getattr(args[0], "_store", args[0])):
            return method(*args, **kwargs)

    return wrapper


@contextmanager
def translated(store: Any, needed: int | None = None, writes: bool = True) -> Iterator[None]:
    """What fails inside, as the user should hear it: a write the folder refused
    (``writes``; ``needed``: roughly the bytes it wanted) or the damaged part named.

    An error that neither explains (the checksums find no damage) is not the user's
    but a fault of ours, and goes on as it was.
    """
    try:
        yield
    except (CorpusError, KeyboardInterrupt):
        raise
    except Exception as error:
        if writes and isinstance(error, OSError):
            found: CorpusError | None = cannot_write(store.path, error, needed)
        else:
            found = store._damage(error)
        if found is None:
            raise
        raise found from None


def cannot_write(path: Path, error: OSError, needed: int | None = None) -> CannotWrite | None:
    """One sentence for a write the folder refused, or None for another failure.

    ``needed``: roughly how many bytes the failed write wanted.
    """
    where = shown_path(path)
    kept = "the index is as its last commit left it"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        room = f" (about {_megabytes(needed)} more are needed)" if needed else ""
        return CannotWrite(
            f"No space left on the disk of {where}{room}; {kept}: free some space "
            "and run the command again."
        )
    if error.errno == errno.EROFS:
        return CannotWrite(
            f"{where} is on a read-only file system; {kept}: make it writable "
            "or name another folder with --index."
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return CannotWrite(f"No permission to write in {where}; {kept}.")
    if error.errno in (errno.ENOENT, errno.ESTALE) and not path.is_dir():
        return vanished(path)
    return None


def vanished(path: Path) -> CannotWrite:
    return CannotWrite(
        f"The index folder {shown_path(path)} was removed while corpus was using it; "
        "run 'corpus ingest' again to build it anew."
    )


def _megabytes(size: int) -> str:
    return f"{max(1, round(size / 1_000_000))} MB"


def shown_path(path: Path) -> str:
    """``index`` as ``./index``: a bare relative name reads as a word in a sentence."""
    text = str(path)
    if path.is_absolute() or text.startswith("."):
        return text
    return f".{os.sep}{text}"
