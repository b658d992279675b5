"""Ingest: walk paths, read each file, and add, replace or skip its articles.

Re-running on unchanged input does no index work: each file's size and mtime (and,
when those moved, its content hash) are stored with its articles, and they are
checked against a read-only view of the index. The writer (and its lock) is taken
only when something is to be added or removed, so an unchanged run leaves the index
folder byte for byte as it was and never waits for, or blocks, another ingest.

Work is committed in batches: an interrupted or killed ingest keeps every finished
batch, and the next run carries on from there (finished files are unchanged).

A dump (a file of many records: large, or compressed) is streamed in pieces and
may span many batches. Its articles are stored with a file state no file has
(:data:`PARTIAL`) but for the very last one, which is held back until the end and
carries the real size, mtime and hash: so the ledger knows the dump as ingested
only once the batch holding its end is committed. An ingest killed inside a dump
leaves its first articles searchable; the next run finds the dump unknown, deletes
them with its first batch and reads the dump again, so nothing is twice.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from corpus_cli.errors import IngestInterrupted
from corpus_cli.model import Article, FileState
from corpus_cli.readers import (
    RawRecord,
    RecordError,
    UnreadableFile,
    holds_records,
    is_compressed,
    is_supported,
    mapped_fields,
    os_reason,
    read_records,
    record_stem,
    size_limit,
    too_large,
)
from corpus_cli.results import Duplicate, IngestReport, Skipped
from corpus_cli.services import reading
from corpus_cli.services.discovery import Discovery, Source, discover
from corpus_cli.services.reading import (
    CHUNK_FILES,
    PARALLEL_FILES,
    FileRead,
    Numbered,
    PieceTask,
    Reader,
    ReadTask,
    default_workers,
    numbered,
    read_file,
    unexpected,
)
from corpus_cli.storage.base import Batch, Ledger, Store
from corpus_cli.text.languages import DEFAULT_LANGUAGE

#: Articles in a run's first commit: an interrupted ingest keeps every finished
#: batch, and a small first one makes a new corpus searchable within seconds.
BATCH_ARTICLES = 500
#: Each commit doubles the batch up to this. Every commit writes a segment, and a
#: segment costs per distinct word in it: on 3,000 articles batches of 2,000 ran
#: ~20% faster than batches of 500 (and searches have fewer segments to visit).
MAX_BATCH_ARTICLES = 2000
#: Characters of article text per commit, so that batches of long articles stay
#: small too: a batch's postings are held in memory until it is committed
#: (~200 MB at 12 M characters), and an interruption throws the batch away.
BATCH_CHARS = 12 * 1024 * 1024

#: The start of the digest stored with the articles of a dump before its last one
#: (then the dump's own digest): no file hashes to it, so the dump is read again
#: until the batch with its end commits, and a run that finds it knows it resumes
#: an interrupted ingest of these very bytes, not replaces an older version.
PARTIAL = "partial:"

#: Called as ``progress(files_done, files, path, records)``; ``records`` is how many
#: records of the dump being read are done so far (0 for other files).
ProgressCallback = Callable[[int, int, str, int], None]


def ingest(
    store: Store,
    paths: Iterable[Path],
    *,
    source: str | None = None,
    prune: bool = False,
    today: datetime.date | None = None,
    progress: ProgressCallback | None = None,
    workers: int | None = None,
    fields: dict[str, str] | None = None,
    language: str | None = None,
) -> IngestReport:
    """Bring the store in line with the files under ``paths``.

    ``workers`` processes read the files (None: one a core when there are many
    files, else none); the result is the same with any number. ``fields`` maps a
    record's fields to other input names (``{"text": "corpo"}``, from ``--map``).
    ``language`` is the corpus default (``--lang``): the language of articles that
    neither state theirs nor show it clearly (None: Italian).
    """
    report = IngestReport()
    roots = list(paths)
    found = discover(roots, report)
    return ingest_found(
        store, found, report, roots, source, prune, today, progress, workers, fields, language
    )


def ingest_found(
    store: Store,
    found: Discovery,
    report: IngestReport,
    roots: list[Path],
    source: str | None = None,
    prune: bool = False,
    today: datetime.date | None = None,
    progress: ProgressCallback | None = None,
    workers: int | None = None,
    fields: dict[str, str] | None = None,
    language: str | None = None,
) -> IngestReport:
    """:func:`ingest` of files already found (``corpus repair`` names them itself)."""
    report.files = len(found.sources) + report.failed
    if workers is None:
        many = len(found.sources) >= PARALLEL_FILES
        workers = default_workers() if many or any(map(_is_dump, found.sources)) else 0
    run = _Run(store, report, source, today, fields, language or DEFAULT_LANGUAGE)
    try:
        if prune:
            # Removals first: a file that moved, or the copy of a deleted file, is
            # then added in this same run rather than reported as a duplicate of
            # an article that is about to go.
            present = {str(item.path.resolve()) for item in found.sources}
            run.prune(roots, present, found.unlisted)
        with Reader(workers) as reader:
            done = 0
            chunks = run.examine(found.sources)
            for chunk, reads in reader.map(chunks, _tasks):
                for step in run.settle(chunk, reads):
                    done += step.finished
                    if progress is not None:
                        progress(done, len(found.sources), step.display, step.records)
        run.read_orphans()
        run.flush()
    except KeyboardInterrupt:
        run.abort()
        raise IngestInterrupted(_kept(run.committed)) from None
    except BaseException:
        run.abort()
        raise
    return report


def _kept(committed: int) -> str:
    """What Ctrl-C left: the articles of the batches committed before it."""
    if not committed:
        return "interrupted before the first batch was written; no article of this run was kept."
    kept = (
        "1 article written before it is"
        if committed == 1
        else (f"{committed} articles written before it are")
    )
    return f"interrupted; {kept} kept. Run the same ingest again to add the rest."


@dataclass
class _Plan:
    """What one file means for the index, decided before anything is changed."""

    skipped: list[Skipped] = field(default_factory=list)
    #: Nothing of the file could be read: its indexed articles (if any) are kept.
    failed: bool = False
    unchanged: int | None = None
    articles: list[tuple[Article, str, object]] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    #: (id of the article copied, the copy, its content hash) for each duplicate record.
    copies: list[tuple[str, Article, str]] = field(default_factory=list)
    previous: int = 0
    file: FileState | None = None
    #: Articles of an unchanged file re-read for ``--source`` whose source it changes
    #: (None: not such a file).
    relabelled: int | None = None

    @property
    def writes(self) -> bool:
        return (
            not self.failed
            and self.unchanged is None
            and bool(self.articles or self.copies or self.previous)
        )


@dataclass
class _Dump:
    """A dump being ingested piece by piece: what its pieces share."""

    key: str
    file: FileState
    #: Articles of the file stored before this run (None until the first piece).
    previous: int = 0
    #: The stored articles are an interrupted ingest's of these bytes, not an older
    #: version's: they are not reported as updated.
    resumed: bool = False
    #: The previous articles are deleted (in the open batch or a committed one).
    deleted: bool = False
    unchanged: int | None = None
    added: int = 0
    records: int = 0
    good: int = 0
    skipped: int = 0
    #: The last article so far, written with the next piece (or, with the real file
    #: state, as the dump's last).
    held: tuple[Article, str, object] | None = None
    #: The ids this run gave the dump's articles: a piece's ledger answers were read
    #: before the batches of the pieces just before it were committed, and a commit
    #: forgets the open batch's ids, so a repeated id would otherwise pass twice.
    ids: set[str] = field(default_factory=set)
    #: Copies (owner id, copy, content hash) of the held article, written after it.
    waiting: list[tuple[str, Article, str]] = field(default_factory=list)
    #: Copies kept so far, which ledgers count among the dump's records.
    copies: int = 0
    #: Unchanged, but read again for ``--source`` (see _Plan.relabelled): the sources
    #: its records had, and how many of the records written have another now.
    relabel: bool = False
    stored_sources: set[str] | None = None
    relabelled: int = 0

    @property
    def partial(self) -> FileState:
        return FileState(self.key, -1, -1, PARTIAL + self.file.digest)


@dataclass
class _Piece:
    dump: _Dump
    first: bool
    last: bool


@dataclass
class _File:
    """One file of a chunk: decided already (``plan``), or to be read (``task``)."""

    item: Source
    key: str
    plan: _Plan | None = None
    state: FileState | None = None
    task: ReadTask | PieceTask | None = None
    #: Stored and unchanged, but read again: ``--source`` may relabel its articles.
    relabel: bool = False
    #: A dump, to be read in pieces rather than as one task.
    dump: bool = False
    #: Which piece of a dump this is.
    piece: _Piece | None = None


@dataclass
class _Step:
    """A file done (``finished``), or a piece of a dump, for the progress bar."""

    display: str
    finished: bool
    records: int = 0


def _tasks(chunk: list[_File]) -> list[ReadTask | PieceTask]:
    return [f.task for f in chunk if f.task is not None]


def _is_dump(item: Source) -> bool:
    if not holds_records(item.path):
        return False
    if is_compressed(item.path):
        return True
    try:
        return item.path.stat().st_size > reading.DUMP_BYTES
    except OSError:
        return False


class _Run:
    """The state of one ingest: the open batch and what this run has already seen."""

    def __init__(
        self,
        store: Store,
        report: IngestReport,
        source: str | None,
        today: datetime.date | None,
        fields: dict[str, str] | None = None,
        language: str = DEFAULT_LANGUAGE,
    ) -> None:
        self.store = store
        self.language = language
        self.report = report
        self.source = source
        self.today = today
        self.fields = fields or None
        self._prepare = store.preparer()
        self._view: Ledger | None = None
        self._writer: Batch | None = None
        self._pending = 0
        self._pending_chars = 0
        #: Articles written by the batches committed so far (what Ctrl-C keeps).
        self.committed = 0
        self._batch = BATCH_ARTICLES
        # What the open batch has added or deleted, which neither the view nor the
        # writer's own searcher (both snapshots of the last commit) can see.
        self._ids: dict[str, str] = {}
        # Content hash -> (path, id) of the article the open batch added with it.
        self._hashes: dict[str, tuple[str, str]] = {}
        self._replaced: set[str] = set()
        # File key -> the path it was first met under in this run (symbolic links).
        self._seen: dict[str, str] = {}
        # Files whose copies went with the article they copied (that article's file
        # changed or was pruned): no longer stored, whatever the snapshots say, so
        # they are read again in this run. Kept across batches.
        self._orphans: set[str] = set()
        # Stored files found unchanged so far, to read again if they become orphans.
        self._unchanged: dict[str, _File] = {}
        # The dump being ingested piece by piece, if any.
        self._dump: _Dump | None = None

    @property
    def state(self) -> Ledger:
        """What the index holds: the open writer's snapshot, else a read-only view."""
        if self._writer is not None:
            return self._writer
        if self._view is None:
            self._view = self.store.ledger()
        return self._view

    def _open_writer(self) -> Batch:
        if self._writer is None:
            self._close_view()
            self._writer = self.store.begin()
        return self._writer

    def _close_view(self) -> None:
        if self._view is not None:
            view, self._view = self._view, None
            view.close()

    def flush(self) -> None:
        """Commit the open batch, if anything was changed."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.commit()
            self.committed += self._pending
        self._close_view()
        self._pending = self._pending_chars = 0
        self._ids.clear()
        self._hashes.clear()
        self._replaced.clear()
        dump = self._dump
        if dump is not None and dump.held is not None:
            # Not written yet, and so in no snapshot: still this run's to avoid.
            self._remember(dump.held, dump.key)

    def abort(self) -> None:
        """Drop the open batch whole; committed batches stay."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.abort()
        self._close_view()

    # -- before reading: what can be decided from the stat and the bytes ------------

    def examine(self, sources: list[Source]) -> Iterator[list[_File]]:
        """The files in chunks, each decided as far as it can be without reading it.

        Files whose size and mtime (or, those moved, whose bytes) match what is
        stored are unchanged and never read; the rest become read tasks.
        """
        for first in range(0, len(sources), CHUNK_FILES):
            chunk = [self._first_look(item) for item in sources[first : first + CHUNK_FILES]]
            looked = [f for f in chunk if f.plan is None]
            state = self.state
            state.prefetch(files=[f.key for f in looked])
            for f in looked:
                self._against_store(f, state)
            # Dumps go in pieces of their own, in file order with the rest.
            files: list[_File] = []
            for f in chunk:
                if not f.dump:
                    files.append(f)
                    continue
                if files:
                    yield files
                    files = []
                yield from self._pieces(f)
            if files:
                yield files

    def _first_look(self, item: Source) -> _File:
        key = str(item.path.resolve())
        f = _File(item, key)
        first = self._seen.setdefault(key, item.display)
        if first != item.display:
            # The same file again under another name (a symbolic link): nothing to do.
            f.plan = _Plan(duplicates=[Duplicate(item.display, first)], unchanged=0)
            return f
        if not is_supported(item.path):
            kind = item.path.suffix or item.path.name
            f.plan = _failed(f"unsupported file type '{kind}'", item)
            return f
        try:
            info = item.path.stat()
        except OSError as error:
            f.plan = _failed(os_reason(error), item)
            return f
        limit = size_limit(item.path)
        if limit is not None and info.st_size > limit:
            # Skipped unread: not even hashed.
            f.plan = _failed(too_large(info.st_size, limit), item)
            return f
        f.state = FileState(key, info.st_size, info.st_mtime_ns, "")
        return f

    def _against_store(self, f: _File, state: Ledger) -> None:
        assert f.state is not None
        orphan = f.key in self._orphans
        known = not orphan and state.has_file_stat(f.key, f.state.size, f.state.mtime_ns)
        if known and not self._relabels(f.key, state):
            f.plan = _Plan(unchanged=state.articles_of_file(f.key))
            return
        try:
            digest = _file_hash(f.item.path)
        except OSError as error:
            f.plan = _failed(os_reason(error), f.item)
            return
        if not known and not orphan and state.has_file_digest(f.key, digest):
            # Touched, not changed.
            known = True
            if not self._relabels(f.key, state):
                f.plan = _Plan(unchanged=state.articles_of_file(f.key))
                return
        f.state = FileState(f.key, f.state.size, f.state.mtime_ns, digest)
        f.relabel = known
        if _is_dump(f.item):
            # (read in pieces by _pieces; an unchanged one read again for --source
            # is relabelled there)
            f.dump = True
            return
        f.task = self._task(f)

    def _task(self, f: _File) -> ReadTask:
        return ReadTask(
            f.item.path,
            f.item.display,
            self.source or f.item.fallback_source,
            self.today,
            self._prepare,
            self.fields,
            self.language,
        )

    def _relabels(self, key: str, state: Ledger) -> bool:
        """Whether an unchanged file must be read again for ``--source``: some of its
        articles have another source, which the option may be what gave them (only
        reading it tells whether their source came from the file itself)."""
        return self.source is not None and state.file_sources(key) != {self.source}

    def _next_piece(self, records: Iterator[Numbered]) -> list[Numbered]:
        """The next piece of a dump's records, read with ``--map``'s names.

        The readers ask mapping.py (here as in the reading processes), and records are
        read only here. The names are set around each read, not held by the generator
        of pieces across its yields: a generator closed in another context (an ingest
        ended part-way) could not take them back ("Token was created in a different
        Context"), and between yields they would leak to whatever else runs.
        """
        with mapped_fields(self.fields):
            return _next_piece(records)

    def _pieces(self, f: _File) -> Iterator[list[_File]]:
        """A dump's records, read here as a stream, in pieces for the readers.

        One piece is read ahead, to know which piece is the last; the reader's
        window holds a few more. A dump that cannot be opened is one failed file.
        """
        assert f.state is not None
        records = numbered(_guarded(f.item.path), record_stem(f.item.path))
        try:
            piece = self._next_piece(records)
        except UnreadableFile as error:
            yield [_File(f.item, f.key, plan=_failed(str(error), f.item))]
            return
        dump = _Dump(f.key, f.state, relabel=f.relabel)
        first = True
        while True:
            following = self._next_piece(records)
            task = PieceTask(
                piece,
                f.item.display,
                self.source or f.item.fallback_source,
                self.today,
                self._prepare,
                self.language,
            )
            last = not following
            yield [_File(f.item, f.key, state=f.state, task=task, piece=_Piece(dump, first, last))]
            if last:
                return
            piece, first = following, False

    # -- after reading: duplicates, ids, and the writes --------------------------------

    def settle(self, chunk: list[_File], reads: list[FileRead]) -> Iterator[_Step]:
        """Decide and apply each file (or piece) of a chunk in order; yields each when done."""
        got = iter(reads)
        files = [(f, next(got) if f.task is not None else None) for f in chunk]
        self._prefetch(files)
        for n, (f, read) in enumerate(files):
            if f.piece is not None:
                assert read is not None
                self._settle_piece(f, f.piece, read)
                yield _Step(f.item.display, f.piece.last, f.piece.dump.records)
                continue
            if read is None:
                assert f.plan is not None
                if f.plan.unchanged is not None and f.state is not None:
                    if f.key in self._orphans:
                        # Its copies went with an article changed or pruned after
                        # this chunk was looked at: it is new again.
                        self._read_again(f)
                        yield _Step(f.item.display, True)
                        continue
                    self._unchanged[f.key] = f
                self._apply(f.plan, f.key)
                yield _Step(f.item.display, True)
                continue
            plan = self._plan(f, read)
            if plan.writes and self._writer is None:
                # Decide again against what the writer sees: another ingest may
                # have committed between the view's answers and taking the lock.
                self._open_writer()
                self._prefetch(files[n:])
                plan = self._plan(f, read)
            self._apply(plan, f.key)
            yield _Step(f.item.display, True)

    def _read_again(self, f: _File) -> None:
        """Read and apply, here and now, a file whose stored copies are gone."""
        assert f.state is not None
        try:
            digest = _file_hash(f.item.path)
        except OSError as error:
            self._apply(_failed(os_reason(error), f.item), f.key)
            return
        f.state = FileState(f.key, f.state.size, f.state.mtime_ns, digest)
        f.relabel = False
        f.task = self._task(f)
        read = read_file(f.task)
        self._prefetch([(f, read)])
        self._apply(self._plan(f, read), f.key)

    def read_orphans(self) -> None:
        """Read again the files found unchanged earlier in this run whose copies went
        with the article they copied later in it (that article's file came after)."""
        for key in [k for k in self._unchanged if k in self._orphans]:
            f = self._unchanged.pop(key)
            assert f.plan is not None and f.plan.unchanged is not None
            self.report.unchanged -= f.plan.unchanged
            self._read_again(f)

    def _prefetch(self, files: list[tuple[_File, FileRead | None]]) -> None:
        read = [(f, r) for f, r in files if r is not None]
        entries = [e for _, r in read for e in r.entries]
        self.state.prefetch(
            files=[f.key for f, _ in read],
            contents=[e.digest for e in entries],
            ids=[e.article.id for e in entries if e.article is not None],
        )

    def _plan(self, f: _File, read: FileRead) -> _Plan:
        assert f.state is not None
        item, key, state = f.item, f.key, self.state
        orphan = key in self._orphans
        if (
            not orphan
            and (
                state.has_file_stat(key, f.state.size, f.state.mtime_ns)
                or state.has_file_digest(key, f.state.digest)
            )
            and not (f.relabel and self._relabels(key, state))
        ):
            return _Plan(unchanged=state.articles_of_file(key))
        plan = _Plan(file=f.state)
        plan.skipped = [Skipped(item.display, reason) for reason in read.skipped]
        if read.failed:
            plan.failed = True
            return plan
        # An orphan's records went with the article they copied.
        plan.previous = 0 if orphan else state.articles_of_file(key)
        self._plan_entries(plan, item, key, read)
        if f.relabel:
            # An unchanged file read again for --source: rewritten only when the
            # option changes a source, and then its articles are relabelled, not updated.
            stored = state.file_sources(key)
            written = [a for a, _, _ in plan.articles] + [c for _, c, _ in plan.copies]
            plan.relabelled = sum(1 for a in written if (a.source or "") not in stored)
            if not plan.relabelled:
                return _Plan(unchanged=plan.previous)
            # Its copies were stored and reported before: now they are relabelled.
            plan.duplicates = []
        return plan

    def _plan_entries(self, plan: _Plan, item: Source, key: str, read: FileRead) -> None:
        """Sort a read's entries into articles (with unique ids), copies of articles
        already there (reported as duplicates) and skips."""
        ids_here: set[str] = set()
        # Content hash -> (path, id) of this file's article with it (None: unreadable).
        hashes_here: dict[str, tuple[str, str | None]] = {}
        for entry in read.entries:
            original = hashes_here.get(entry.digest) or self._duplicate_of(entry.digest, key)
            article = entry.article
            if original is not None:
                # Still reported as a duplicate; kept as a copy of the first article.
                plan.duplicates.append(Duplicate(item.display, original[0]))
                if article is not None and original[1] is not None:
                    plan.copies.append((original[1], article, entry.digest))
                continue
            if article is None:
                hashes_here[entry.digest] = (item.display, None)
                plan.skipped.append(Skipped(item.display, entry.error or "could not be read"))
                continue
            unique = self._unique_id(article.id, key, ids_here)
            if unique != article.id:
                article = replace(article, id=unique)
            hashes_here[entry.digest] = (item.display, unique)
            plan.articles.append((article, entry.digest, entry.prepared))

    def _settle_piece(self, f: _File, piece: _Piece, read: FileRead) -> None:
        """Decide and write one piece of a dump (see the module's note on PARTIAL)."""
        dump, item, key = piece.dump, f.item, f.key
        if piece.first:
            self._dump = dump
            if not self._dump_unchanged(dump):
                # A changed dump writes (its articles, or the removal of the old
                # ones): decide again under the writer, as _plan does.
                self._open_writer()
                self._prefetch([(f, read)])
                self._dump_unchanged(dump)
        if dump.unchanged is not None:
            if piece.last:
                self.report.unchanged += dump.unchanged
                self._dump = None
            return
        dump.records += len(read.entries) + len(read.skipped)
        dump.good += len(read.entries)
        dump.skipped += len(read.skipped)
        plan = _Plan(skipped=[Skipped(item.display, reason) for reason in read.skipped])
        if self._writer is None and read.entries:
            self._open_writer()
            self._prefetch([(f, read)])
        self._plan_entries(plan, item, key, read)
        self.report.skipped.extend(plan.skipped)
        if dump.stored_sources is not None:
            # Its copies were stored and reported before: now they are relabelled.
            written = [a for a, _, _ in plan.articles] + [c for _, c, _ in plan.copies]
            dump.relabelled += sum(
                1 for a in written if (a.source or "") not in dump.stored_sources
            )
        else:
            self.report.duplicates.extend(plan.duplicates)
        queue = [dump.held] if dump.held is not None else []
        queue.extend(plan.articles)
        dump.held = None
        dump.added += len(plan.articles)
        if not piece.last and queue:
            dump.held = queue.pop()
            self._remember(dump.held, key)
        failed = piece.last and not dump.good and dump.skipped > 0
        if dump.previous and not dump.deleted and (queue or (piece.last and not failed)):
            writer = self._open_writer()
            self._orphans |= writer.delete_file(key)
            self._replaced.add(key)
            dump.deleted = True
        for number, (article, digest, prepared) in enumerate(queue, 1):
            final = piece.last and number == len(queue)
            self._add(article, digest, prepared, dump.file if final else dump.partial, key)
        # Copies of records of the dump itself (or of articles already indexed), kept
        # as copies as those of separate files are; one of the article held back
        # waits for it. Only those of the last piece, committed with the dump's last
        # article, carry the dump's real state.
        held = dump.held[0].id if dump.held is not None else None
        ready = [c for c in [*dump.waiting, *plan.copies] if c[0] != held]
        dump.waiting = [c for c in [*dump.waiting, *plan.copies] if c[0] == held]
        for owner, copy, digest in ready:
            self._open_writer().add_copy(
                owner, copy, file=dump.file if piece.last else dump.partial, content_hash=digest
            )
            self._pending += 1
            dump.copies += 1
        if piece.last:
            self._dump = None
            report = self.report
            if failed:
                # Nothing of it could be read: its indexed articles (if any) stay.
                report.failed += 1
            elif dump.stored_sources is not None:
                report.relabelled += dump.relabelled
                report.unchanged += dump.added + dump.copies - dump.relabelled
            elif dump.previous and not dump.resumed:
                # As for a file: its records are its articles and its copies.
                records = dump.added + dump.copies
                report.updated += min(dump.previous, records)
                report.added += max(0, min(dump.added, records - dump.previous))
                report.removed += max(0, dump.previous - records)
            else:
                report.added += dump.added
        self._maybe_flush()

    def _dump_unchanged(self, dump: _Dump) -> bool:
        state, file = self.state, dump.file
        known = state.has_file_stat(dump.key, file.size, file.mtime_ns) or state.has_file_digest(
            dump.key, file.digest
        )
        if known and not (dump.relabel and self._relabels(dump.key, state)):
            dump.unchanged = state.articles_of_file(dump.key)
            return True
        dump.unchanged = None
        dump.stored_sources = state.file_sources(dump.key) if known else None
        dump.previous = state.articles_of_file(dump.key)
        dump.resumed = dump.previous > 0 and state.has_file_digest(dump.key, dump.partial.digest)
        return False

    def _add(
        self, article: Article, digest: str, prepared: object, file: FileState, key: str
    ) -> None:
        self._open_writer().add(article, file=file, content_hash=digest, prepared=prepared)
        self._remember((article, digest, prepared), key)
        self._pending += 1
        self._pending_chars += len(article.text)

    def _remember(self, planned: tuple[Article, str, object], key: str) -> None:
        """What the open batch (or a held article) adds, which no snapshot shows yet."""
        article, digest, _ = planned
        self._ids[article.id] = key
        if self._dump is not None and self._dump.key == key:
            self._dump.ids.add(article.id)
        self._hashes[digest] = (article.path, article.id)

    def _maybe_flush(self) -> None:
        if self._pending >= self._batch or self._pending_chars >= BATCH_CHARS:
            self.flush()
            self._batch = min(2 * self._batch, MAX_BATCH_ARTICLES)

    def _own(self, key: str) -> bool:
        """True when what the store shows of file ``key`` is this run's: a dump whose
        earlier pieces were committed after its old articles went (or it had none)."""
        dump = self._dump
        if dump is None or dump.key != key:
            return False
        return not dump.previous or (dump.deleted and key not in self._replaced)

    def _apply(self, plan: _Plan, key: str) -> None:
        report = self.report
        report.skipped.extend(plan.skipped)
        if plan.failed:
            report.failed += 1
            return
        report.duplicates.extend(plan.duplicates)
        if plan.unchanged is not None:
            report.unchanged += plan.unchanged
            return
        if not plan.writes:
            return
        writer = self._open_writer()
        if plan.previous:
            self._orphans |= writer.delete_file(key)
            self._replaced.add(key)
        assert plan.file is not None  # set for every file whose records were read
        for article, digest, prepared in plan.articles:
            self._add(article, digest, prepared, plan.file, key)
        for owner, copy, digest in plan.copies:
            writer.add_copy(owner, copy, file=plan.file, content_hash=digest)
            self._pending += 1
        added = len(plan.articles)
        # A file's records, as ledgers count them: its articles and its copies.
        records = added + len(plan.copies)
        if plan.relabelled is not None:
            report.relabelled += plan.relabelled
            report.unchanged += records - plan.relabelled
        elif plan.previous:
            report.updated += min(plan.previous, records)
            report.added += max(0, min(added, records - plan.previous))
            report.removed += max(0, plan.previous - records)
        else:
            report.added += added
        self._maybe_flush()

    def _unique_id(self, wanted: str, key: str, ids_here: set[str]) -> str:
        """``wanted``, or ``wanted-2``, ``-3``...: an id no other article has."""
        candidate, n = wanted, 1
        while True:
            dump = self._dump
            if dump is not None and dump.key == key and candidate in dump.ids:
                owner: str | None = key
            elif candidate not in ids_here:
                owner = self._ids.get(candidate)
                if owner is None:
                    indexed = self.state.id_owner(candidate)
                    # This file's own old articles are about to be replaced.
                    if (
                        indexed is not None
                        and indexed not in self._replaced
                        and (indexed != key or self._own(key))
                    ):
                        owner = indexed
                if owner is None:
                    ids_here.add(candidate)
                    return candidate
            n += 1
            candidate = f"{wanted}-{n}"

    def _duplicate_of(self, digest: str, key: str) -> tuple[str, str] | None:
        """(path, id) of the article already stored or added with this text, if any."""
        if digest in self._hashes:
            return self._hashes[digest]
        owner = self.state.content_owner(digest)
        if owner is None or owner[1] in self._replaced:
            return None
        if owner[1] == key and not self._own(key):
            return None  # this file's own old article, about to be replaced
        return owner[0], owner[2]

    # -- removals ------------------------------------------------------------------

    def prune(self, roots: list[Path], present: set[str], unlisted: list[str]) -> None:
        """Remove the articles of files under ``roots`` that are gone."""

        def under(key: str, folders: list[str]) -> bool:
            return any(key == p or key.startswith(p.rstrip(os.sep) + os.sep) for p in folders)

        prefixes = [str(root.resolve()) for root in roots]

        def gone(state: Ledger) -> list[str]:
            return [
                key
                for key in sorted(state.files())
                if under(key, prefixes) and key not in present and not under(key, unlisted)
            ]

        if not gone(self.state):
            return
        writer = self._open_writer()
        for key in gone(writer):
            self.report.removed += writer.articles_of_file(key)
            self._orphans |= writer.delete_file(key)
            self._replaced.add(key)


def _failed(reason: str, item: Source) -> _Plan:
    return _Plan(skipped=[Skipped(item.display, reason)], failed=True)


def _file_hash(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _guarded(path: Path) -> Iterator[RawRecord | RecordError]:
    """A dump's records; a failure inside a reader ends them with one error, never
    the run (``UnreadableFile`` before the first record still fails the file)."""
    records = read_records(path)
    count = 0
    try:
        for record in records:
            count += 1
            yield record
    except UnreadableFile:
        if count:
            yield RecordError("could not be read further")
            return
        raise
    except Exception as error:
        yield RecordError(f"after record {count}: {unexpected(error)}")


def _next_piece(records: Iterator[Numbered]) -> list[Numbered]:
    """Up to PIECE_RECORDS records, or fewer whose text reaches PIECE_CHARS."""
    piece: list[Numbered] = []
    chars = 0
    for item in itertools.islice(records, reading.PIECE_RECORDS):
        piece.append(item)
        if not isinstance(item, RecordError):
            chars += len(item[1].text)
            if chars >= reading.PIECE_CHARS:
                break
    return piece
