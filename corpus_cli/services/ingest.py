"""Ingest: walk paths, read each file, and add, replace or skip its articles.

Re-running on unchanged input does no index work: each file's size and mtime (and,
when those moved, its content hash) are stored with its articles, and they are
checked against a read-only view of the index. The writer (and its lock) is taken
only when something is to be added or removed, so an unchanged run leaves the index
folder byte for byte as it was and never waits for, or blocks, another ingest.

Work is committed in batches: an interrupted or killed ingest keeps every finished
batch, and the next run carries on from there (finished files are unchanged).
"""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from corpus_cli.errors import IngestInterrupted
from corpus_cli.model import Article, FileState
from corpus_cli.readers import is_supported, os_reason, size_limit, too_large
from corpus_cli.results import Duplicate, IngestReport, Skipped
from corpus_cli.services.discovery import Source, discover
from corpus_cli.services.reading import (
    CHUNK_FILES,
    PARALLEL_FILES,
    FileRead,
    Reader,
    ReadTask,
    default_workers,
)
from corpus_cli.storage.base import Batch, Ledger, Store

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

ProgressCallback = Callable[[int, int, str], None]


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
) -> IngestReport:
    """Bring the store in line with the files under ``paths``.

    ``workers`` processes read the files (None: one a core when there are many
    files, else none); the result is the same with any number. ``fields`` maps a
    record's fields to other input names (``{"text": "corpo"}``, from ``--map``).
    """
    report = IngestReport()
    roots = list(paths)
    found = discover(roots, report)
    report.files = len(found.sources) + report.failed
    if workers is None:
        workers = default_workers() if len(found.sources) >= PARALLEL_FILES else 0
    run = _Run(store, report, source, today, fields)
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
                for item in run.settle(chunk, reads):
                    done += 1
                    if progress is not None:
                        progress(done, len(found.sources), item.display)
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
    previous: int = 0
    file: FileState | None = None

    @property
    def writes(self) -> bool:
        return not self.failed and self.unchanged is None and bool(self.articles or self.previous)


@dataclass
class _File:
    """One file of a chunk: decided already (``plan``), or to be read (``task``)."""

    item: Source
    key: str
    plan: _Plan | None = None
    state: FileState | None = None
    task: ReadTask | None = None


def _tasks(chunk: list[_File]) -> list[ReadTask]:
    return [f.task for f in chunk if f.task is not None]


class _Run:
    """The state of one ingest: the open batch and what this run has already seen."""

    def __init__(
        self,
        store: Store,
        report: IngestReport,
        source: str | None,
        today: datetime.date | None,
        fields: dict[str, str] | None = None,
    ) -> None:
        self.store = store
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
        self._hashes: dict[str, str] = {}
        self._replaced: set[str] = set()
        # File key -> the path it was first met under in this run (symbolic links).
        self._seen: dict[str, str] = {}

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
            yield chunk

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
        if info.st_size > limit:
            # Skipped unread: not even hashed.
            f.plan = _failed(too_large(info.st_size, limit), item)
            return f
        f.state = FileState(key, info.st_size, info.st_mtime_ns, "")
        return f

    def _against_store(self, f: _File, state: Ledger) -> None:
        assert f.state is not None
        if state.has_file_stat(f.key, f.state.size, f.state.mtime_ns):
            f.plan = _Plan(unchanged=state.articles_of_file(f.key))
            return
        try:
            digest = _file_hash(f.item.path)
        except OSError as error:
            f.plan = _failed(os_reason(error), f.item)
            return
        if state.has_file_digest(f.key, digest):
            # Touched, not changed.
            f.plan = _Plan(unchanged=state.articles_of_file(f.key))
            return
        f.state = FileState(f.key, f.state.size, f.state.mtime_ns, digest)
        f.task = ReadTask(
            f.item.path,
            f.item.display,
            self.source or f.item.fallback_source,
            self.today,
            self._prepare,
            self.fields,
        )

    # -- after reading: duplicates, ids, and the writes --------------------------------

    def settle(self, chunk: list[_File], reads: list[FileRead]) -> Iterator[Source]:
        """Decide and apply each file of a chunk in order; yields each when done."""
        got = iter(reads)
        files = [(f, next(got) if f.task is not None else None) for f in chunk]
        self._prefetch(files)
        for n, (f, read) in enumerate(files):
            if read is None:
                assert f.plan is not None
                self._apply(f.plan, f.key)
                yield f.item
                continue
            plan = self._plan(f, read)
            if plan.writes and self._writer is None:
                # Decide again against what the writer sees: another ingest may
                # have committed between the view's answers and taking the lock.
                self._open_writer()
                self._prefetch(files[n:])
                plan = self._plan(f, read)
            self._apply(plan, f.key)
            yield f.item

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
        if state.has_file_stat(key, f.state.size, f.state.mtime_ns) or state.has_file_digest(
            key, f.state.digest
        ):
            return _Plan(unchanged=state.articles_of_file(key))
        plan = _Plan(file=f.state)
        plan.skipped = [Skipped(item.display, reason) for reason in read.skipped]
        if read.failed:
            plan.failed = True
            return plan
        plan.previous = state.articles_of_file(key)
        ids_here: set[str] = set()
        hashes_here: dict[str, str] = {}
        for entry in read.entries:
            original = hashes_here.get(entry.digest) or self._duplicate_of(entry.digest, key)
            if original is not None:
                plan.duplicates.append(Duplicate(item.display, original))
                continue
            hashes_here[entry.digest] = item.display
            article = entry.article
            if article is None:
                plan.skipped.append(Skipped(item.display, entry.error or "could not be read"))
                continue
            unique = self._unique_id(article.id, key, ids_here)
            if unique != article.id:
                article = replace(article, id=unique)
            plan.articles.append((article, entry.digest, entry.prepared))
        return plan

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
            writer.delete_file(key)
            self._replaced.add(key)
        assert plan.file is not None  # set for every file whose records were read
        for article, digest, prepared in plan.articles:
            writer.add(article, file=plan.file, content_hash=digest, prepared=prepared)
            self._ids[article.id] = key
            self._hashes[digest] = article.path
            self._pending += 1
            self._pending_chars += len(article.text)
        added = len(plan.articles)
        if plan.previous:
            report.updated += min(plan.previous, added)
            report.added += max(0, added - plan.previous)
            report.removed += max(0, plan.previous - added)
        else:
            report.added += added
        if self._pending >= self._batch or self._pending_chars >= BATCH_CHARS:
            self.flush()
            self._batch = min(2 * self._batch, MAX_BATCH_ARTICLES)

    def _unique_id(self, wanted: str, key: str, ids_here: set[str]) -> str:
        """``wanted``, or ``wanted-2``, ``-3``...: an id no other article has."""
        candidate, n = wanted, 1
        while True:
            if candidate not in ids_here:
                owner = self._ids.get(candidate)
                if owner is None:
                    indexed = self.state.id_owner(candidate)
                    # This file's own old articles are about to be replaced.
                    if indexed is not None and indexed != key and indexed not in self._replaced:
                        owner = indexed
                if owner is None:
                    ids_here.add(candidate)
                    return candidate
            n += 1
            candidate = f"{wanted}-{n}"

    def _duplicate_of(self, digest: str, key: str) -> str | None:
        if digest in self._hashes:
            return self._hashes[digest]
        owner = self.state.content_owner(digest)
        if owner is None or owner[1] == key or owner[1] in self._replaced:
            return None
        return owner[0]

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
            writer.delete_file(key)
            self._replaced.add(key)


def _failed(reason: str, item: Source) -> _Plan:
    return _Plan(skipped=[Skipped(item.display, reason)], failed=True)


def _file_hash(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
