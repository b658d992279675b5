"""Reading files into articles, in this process or in worker processes beside it.

Reading is most of an ingest's work (decoding, parsing, dating, finding cited
outlets, and for a server backend the analysis) and needs nothing of the index,
so a large ingest hands files to a pool of processes while the main one asks the
index its questions and writes. What comes back is in file order, whatever the
workers' order, so a parallel run adds, numbers and reports exactly what a serial
one does.

A dump (a file of many records, compressed or large) is not one task: the main
process reads its records as a stream and hands them out in pieces
(:class:`PieceTask`), so that no process ever holds more than a few pieces of it.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from corpus_cli.model import Article, Record
from corpus_cli.readers import (
    RawRecord,
    RecordError,
    UnreadableFile,
    mapped_fields,
    read_records,
    resolve,
)
from corpus_cli.readers import record_stem as file_stem
from corpus_cli.text.languages import DEFAULT_LANGUAGE

#: Files handed to a worker at once: large enough that the round trip is small
#: beside the work, small enough that the first results come back soon.
CHUNK_FILES = 32
#: Fewer files than this to read are read here: a pool costs ~0.3 s to start.
PARALLEL_FILES = 256
#: A file of many records larger than this (or compressed) is a dump, streamed in
#: pieces; a smaller one is read whole by one worker, as a single article is.
DUMP_BYTES = 8 * 1024 * 1024
#: Records in a piece of a dump, and the characters of text that also end one: a
#: piece is a worker's task, and a few of them are all of a dump held at once.
PIECE_RECORDS = 200
PIECE_CHARS = 2 * 1024 * 1024

T = TypeVar("T")

_NORMALISE = re.compile(r"\W+")


def content_hash(text: str) -> str:
    """Hash of the text with case, punctuation and spacing ignored: exact copies collide."""
    normal = _NORMALISE.sub(" ", text.lower()).strip()
    return hashlib.blake2b(normal.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(eq=False, repr=False)
class ReadTask(Record):
    """One file to read, with what its articles need besides the file."""

    path: Path
    display: str
    fallback_source: str
    today: datetime.date | None
    #: The store's preparer (:meth:`~corpus_cli.storage.base.Store.preparer`).
    prepare: Callable[[Article], object] | None = None
    #: ``FIELD -> input name`` from ``ingest --map`` (tried before the usual names).
    fields: dict[str, str] | None = None
    #: The language of articles that neither say nor show theirs (``ingest --lang``).
    language: str = DEFAULT_LANGUAGE


#: A record of a file, numbered (good records from 1) with the id it asks for; or
#: why a record could not be read.
Numbered = tuple[int, RawRecord, str] | RecordError


@dataclass(eq=False, repr=False)
class PieceTask(Record):
    """Some consecutive records of a dump, to date and prepare."""

    records: list[Numbered]
    display: str
    fallback_source: str
    today: datetime.date | None
    prepare: Callable[[Article], object] | None = None
    language: str = DEFAULT_LANGUAGE


def numbered(records: Iterable[RawRecord | RecordError], stem: str) -> Iterator[Numbered]:
    """Each good record with its number and wanted id, in order; errors as they come.

    A record without an id is called after the file (``stem``) when it is the only
    good one, else ``stem-n``: the first is held until a second one shows up, so a
    stream decides exactly as a whole read does.
    """
    held: RawRecord | None = None
    n = 0
    for record in records:
        if isinstance(record, RecordError):
            yield record
            continue
        n += 1
        if n == 1:
            held = record
            continue
        if held is not None:
            yield 1, held, held.id or f"{stem}-1"
            held = None
        yield n, record, record.id or f"{stem}-{n}"
    if held is not None:
        yield 1, held, held.id or stem


@dataclass(eq=False, repr=False)
class Entry(Record):
    """One good record of a file: its article (or why it could not be built)."""

    number: int
    digest: str
    article: Article | None
    error: str | None = None
    prepared: object = None


@dataclass(eq=False, repr=False)
class FileRead(Record):
    """What one file holds: its entries, and the records that could not be read."""

    entries: list[Entry] = field(default_factory=list)
    #: Reasons, for the records (or the whole file) that could not be read.
    skipped: list[str] = field(default_factory=list)
    #: Nothing of the file could be read.
    failed: bool = False


def read_file(task: ReadTask) -> FileRead:
    """Read, date and (with ``task.prepare``) prepare every record of one file.

    Never raises for the file's sake: a reader or a library choking on a hostile
    file costs that file (``failed``, with the reason), never the run.
    """
    read = FileRead()
    try:
        with mapped_fields(task.fields):  # the readers ask mapping.py, not their caller
            records = list(numbered(read_records(task.path), file_stem(task.path)))
    except UnreadableFile as error:
        read.skipped.append(str(error))
        read.failed = True
        return read
    except Exception as error:
        read.skipped.append(unexpected(error))
        read.failed = True
        return read
    _resolve_into(read, records, task, task.prepare)
    if not read.entries and read.skipped:
        read.failed = True
    return read


def read_piece(task: PieceTask) -> FileRead:
    """Date and prepare a piece of a dump (never ``failed``: that is the dump's to say)."""
    read = FileRead()
    _resolve_into(read, task.records, task, task.prepare)
    return read


def _resolve_into(
    read: FileRead,
    records: list[Numbered],
    task: ReadTask | PieceTask,
    prepare: Callable[[Article], object] | None,
) -> None:
    for item in records:
        if isinstance(item, RecordError):
            read.skipped.append(item.reason)
            continue
        n, record, wanted = item
        digest = content_hash(record.text)
        try:
            article = resolve(
                record,
                id=wanted,
                path=task.display,
                fallback_source=task.fallback_source,
                today=task.today,
                default_language=task.language,
            )
        except Exception as error:
            read.entries.append(Entry(n, digest, None, f"record {n}: {unexpected(error)}"))
            continue
        prepared = prepare(article) if prepare is not None else None
        read.entries.append(Entry(n, digest, article, None, prepared))


def read_files(tasks: list[ReadTask | PieceTask]) -> list[FileRead]:
    """A chunk of files or pieces, read in order (what one worker is handed)."""
    return [read_piece(task) if isinstance(task, PieceTask) else read_file(task) for task in tasks]


def unexpected(error: Exception) -> str:
    return f"could not be read ({type(error).__name__}: {error})"


def _end_with(parent: int) -> None:
    """In a worker: exit when the ingest that started it is gone.

    A killed ingest (``kill -9``) cannot shut its pool down, and its workers would
    wait on their task queue for ever (they hold its writing end themselves), and
    with them the fork server, holding the terminal or pipe the ingest wrote to.
    """
    import threading
    import time

    def alive() -> bool:
        try:
            # A killed ingest stays a zombie until its own parent reaps it, and a
            # zombie still answers kill(pid, 0): read its state where Linux shows it.
            with open(f"/proc/{parent}/stat", "rb") as stat:
                return stat.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
        except FileNotFoundError:
            return False
        except OSError:  # no /proc here
            try:
                os.kill(parent, 0)
            except (ProcessLookupError, PermissionError):
                return False
            return True

    def watch() -> None:
        while alive():
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="corpus-parent-watch", daemon=True).start()


def default_workers() -> int:
    """One reading process per core the process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Reader:
    """Reads chunks of tasks, here or in a pool, and gives results back in order.

    With a pool, up to two chunks a worker are in flight while the caller works
    on the results of earlier ones; the pool's processes come from a fork server,
    so they inherit neither the caller's threads nor its open connections.
    """

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._pool: Any = None
        self._flight: deque[Any] = deque()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _executor(self) -> Any:
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([__name__, "corpus_cli.services.preload"])
            self._pool = ProcessPoolExecutor(
                self._workers,
                mp_context=context,
                initializer=_end_with,
                initargs=(os.getpid(),),
            )
        return self._pool

    def map(
        self, chunks: Iterable[T], tasks_of: Callable[[T], list[ReadTask | PieceTask]]
    ) -> Iterator[tuple[T, list[FileRead]]]:
        """Each chunk with the reads of its tasks, in the chunks' order.

        ``chunks`` is drawn from only as the window has room, so what makes a chunk
        (the caller's questions to the index) runs a few chunks ahead of the reads
        it gets back, never the whole run ahead.
        """
        if self._workers <= 1:
            for chunk in chunks:
                yield chunk, read_files(tasks_of(chunk))
            return
        pool = self._executor()
        window = 2 * self._workers
        for chunk in chunks:
            self._flight.append((chunk, pool.submit(read_files, tasks_of(chunk))))
            if len(self._flight) >= window:
                done, future = self._flight.popleft()
                yield done, future.result()
        while self._flight:
            done, future = self._flight.popleft()
            yield done, future.result()

    def close(self) -> None:
        for _, future in self._flight:
            future.cancel()
        self._flight.clear()
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.shutdown(wait=True, cancel_futures=True)
