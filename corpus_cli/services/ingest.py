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
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from corpus_cli.model import Article, FileState
from corpus_cli.readers import (
    RecordError,
    UnreadableFile,
    is_supported,
    os_reason,
    read_records,
    resolve,
    size_limit,
    too_large,
)
from corpus_cli.results import Duplicate, IngestReport, Skipped
from corpus_cli.services.discovery import Source, discover
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


_NORMALISE = re.compile(r"\W+")


def content_hash(text: str) -> str:
    """Hash of the text with case, punctuation and spacing ignored: exact copies collide."""
    normal = _NORMALISE.sub(" ", text.lower()).strip()
    return hashlib.blake2b(normal.encode("utf-8"), digest_size=16).hexdigest()


def ingest(
    store: Store,
    paths: Iterable[Path],
    *,
    source: str | None = None,
    prune: bool = False,
    today: datetime.date | None = None,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Bring the store in line with the files under ``paths``."""
    report = IngestReport()
    roots = list(paths)
    found = discover(roots, report)
    report.files = len(found.sources) + report.failed
    run = _Run(store, report, source, today)
    try:
        if prune:
            # Removals first: a file that moved, or the copy of a deleted file, is
            # then added in this same run rather than reported as a duplicate of
            # an article that is about to go.
            present = {str(item.path.resolve()) for item in found.sources}
            run.prune(roots, present, found.unlisted)
        for n, item in enumerate(found.sources, 1):
            run.file(item)
            if progress is not None:
                progress(n, len(found.sources), item.display)
        run.flush()
    except BaseException:
        run.abort()
        raise
    return report


@dataclass
class _Plan:
    """What one file means for the index, decided before anything is changed."""

    skipped: list[Skipped] = field(default_factory=list)
    #: Nothing of the file could be read: its indexed articles (if any) are kept.
    failed: bool = False
    unchanged: int | None = None
    articles: list[tuple[Article, str]] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    previous: int = 0
    file: FileState | None = None

    @property
    def writes(self) -> bool:
        return not self.failed and self.unchanged is None and bool(self.articles or self.previous)


class _Run:
    """The state of one ingest: the open batch and what this run has already seen."""

    def __init__(
        self,
        store: Store,
        report: IngestReport,
        source: str | None,
        today: datetime.date | None,
    ) -> None:
        self.store = store
        self.report = report
        self.source = source
        self.today = today
        self._view: Ledger | None = None
        self._writer: Batch | None = None
        self._pending = 0
        self._pending_chars = 0
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

    # -- one file ------------------------------------------------------------------

    def file(self, item: Source) -> None:
        key = str(item.path.resolve())
        first = self._seen.setdefault(key, item.display)
        if first != item.display:
            # The same file again under another name (a symbolic link).
            self.report.duplicates.append(Duplicate(item.display, first))
            return
        plan = self._plan(item, key)
        if plan.writes and self._writer is None:
            # Decide again against what the writer sees: another ingest may have
            # committed between the view's snapshot and taking the lock.
            self._open_writer()
            plan = self._plan(item, key)
        self._apply(plan, key)

    def _plan(self, item: Source, key: str) -> _Plan:
        plan = _Plan()
        if not is_supported(item.path):
            kind = item.path.suffix or item.path.name
            return self._failed(plan, item, f"unsupported file type '{kind}'")
        try:
            info = item.path.stat()
        except OSError as error:
            return self._failed(plan, item, os_reason(error))
        limit = size_limit(item.path)
        if info.st_size > limit:
            # Skipped unread: not even hashed.
            return self._failed(plan, item, too_large(info.st_size, limit))
        state = self.state
        if state.has_file_stat(key, info.st_size, info.st_mtime_ns):
            plan.unchanged = state.articles_of_file(key)
            return plan
        try:
            data_hash = _file_hash(item.path)
        except OSError as error:
            return self._failed(plan, item, os_reason(error))
        if state.has_file_digest(key, data_hash):
            # Touched, not changed.
            plan.unchanged = state.articles_of_file(key)
            return plan
        plan.file = FileState(key, info.st_size, info.st_mtime_ns, data_hash)
        try:
            records = list(read_records(item.path))
        except UnreadableFile as error:
            return self._failed(plan, item, str(error))
        except Exception as error:
            # A reader or a library choking on a hostile file must cost that file,
            # never the run.
            return self._failed(plan, item, _unexpected(error))
        good = [r for r in records if not isinstance(r, RecordError)]
        for record in records:
            if isinstance(record, RecordError):
                plan.skipped.append(Skipped(item.display, record.reason))
        if not good and plan.skipped:
            plan.failed = True
            return plan
        plan.previous = state.articles_of_file(key)
        fallback = self.source or item.fallback_source
        ids_here: set[str] = set()
        hashes_here: dict[str, str] = {}
        for n, record in enumerate(good, 1):
            digest = content_hash(record.text)
            original = hashes_here.get(digest) or self._duplicate_of(digest, key)
            if original is not None:
                plan.duplicates.append(Duplicate(item.display, original))
                continue
            hashes_here[digest] = item.display
            wanted = record.id or (item.path.stem if len(good) == 1 else f"{item.path.stem}-{n}")
            try:
                article = resolve(
                    record,
                    id=self._unique_id(wanted, key, ids_here),
                    path=item.display,
                    fallback_source=fallback,
                    today=self.today,
                )
            except Exception as error:
                plan.skipped.append(Skipped(item.display, f"record {n}: {_unexpected(error)}"))
                continue
            plan.articles.append((article, digest))
        return plan

    @staticmethod
    def _failed(plan: _Plan, item: Source, reason: str) -> _Plan:
        plan.skipped.append(Skipped(item.display, reason))
        plan.failed = True
        return plan

    def _apply(self, plan: _Plan, key: str) -> None:
        report = self.report
        report.skipped.extend(plan.skipped)
        if plan.failed:
            report.failed += 1
            return
        if plan.unchanged is not None:
            report.unchanged += plan.unchanged
            return
        report.duplicates.extend(plan.duplicates)
        if not plan.writes:
            return
        writer = self._open_writer()
        if plan.previous:
            writer.delete_file(key)
            self._replaced.add(key)
        for article, digest in plan.articles:
            assert plan.file is not None  # set for every file whose records were read
            writer.add(article, file=plan.file, content_hash=digest)
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


def _unexpected(error: Exception) -> str:
    return f"could not be read ({type(error).__name__}: {error})"


def _file_hash(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
