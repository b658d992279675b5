"""Ingest: walk paths, read each file, and add, replace or skip its articles.

Re-running on unchanged input does no index work: each file's size and mtime (and,
when those moved, its content hash) are stored with its articles.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus_cli.articles import (
    Article,
    RecordError,
    UnreadableFile,
    is_supported,
    read_records,
    resolve,
)
from corpus_cli.index import CorpusIndex, IndexWriter

#: Articles per commit: an interrupted ingest keeps every finished batch.
BATCH_ARTICLES = 2000

ProgressCallback = Callable[[int, int, str], None]


@dataclass
class Duplicate:
    path: str
    duplicate_of: str


@dataclass
class Skipped:
    path: str
    reason: str


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    files: int = 0

    @property
    def nothing_done(self) -> bool:
        """True when not a single file could be read (the run as a whole failed)."""
        return self.files > 0 and len(self.skipped) == self.files


@dataclass
class _Source:
    path: Path
    display: str
    fallback_source: str


def discover(paths: Iterable[Path], report: IngestReport) -> list[_Source]:
    """Files under ``paths`` in sorted order; missing paths and loops are reported."""
    found: list[_Source] = []
    for root in paths:
        folder_name = _folder_name(root)
        if not root.exists():
            report.skipped.append(Skipped(str(root), "no such file or folder"))
            continue
        if root.is_file():
            found.append(_Source(root, str(root), folder_name))
            continue
        for file in _walk(root, report):
            if is_supported(file):
                found.append(_Source(file, str(file), folder_name))
            else:
                report.ignored.append(str(file))
    return found


def _folder_name(root: Path) -> str:
    folder = root if root.is_dir() else root.parent
    return folder.resolve().name or str(folder.resolve())


def _walk(root: Path, report: IngestReport) -> Iterator[Path]:
    seen: set[tuple[int, int]] = set()

    def visit(folder: Path) -> Iterator[Path]:
        try:
            info = folder.stat()
        except OSError as error:
            report.skipped.append(Skipped(str(folder), _reason(error)))
            return
        if (info.st_dev, info.st_ino) in seen:
            report.skipped.append(Skipped(str(folder), "symbolic link loop (already visited)"))
            return
        seen.add((info.st_dev, info.st_ino))
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as error:
            report.skipped.append(Skipped(str(folder), _reason(error)))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    yield from visit(path)
                elif entry.is_file():
                    yield path
                elif entry.is_symlink():
                    report.skipped.append(Skipped(str(path), "broken or looping symbolic link"))
            except OSError as error:
                report.skipped.append(Skipped(str(path), _reason(error)))

    yield from visit(root)


def _reason(error: OSError) -> str:
    return f"cannot be read ({(error.strerror or str(error)).lower()})"


_NORMALISE = re.compile(r"\W+")


def content_hash(text: str) -> str:
    """Hash of the text with case, punctuation and spacing ignored: exact copies collide."""
    normal = _NORMALISE.sub(" ", text.lower()).strip()
    return hashlib.blake2b(normal.encode("utf-8"), digest_size=16).hexdigest()


def ingest(
    index: CorpusIndex,
    paths: Iterable[Path],
    *,
    source: str | None = None,
    prune: bool = False,
    today: datetime.date | None = None,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Bring the index in line with the files under ``paths``."""
    report = IngestReport()
    roots = list(paths)
    sources = discover(roots, report)
    report.files = len(sources) + len(report.skipped)
    run = _Run(index, report, source, today)
    try:
        for n, item in enumerate(sources, 1):
            run.file(item)
            if progress is not None:
                progress(n, len(sources), item.display)
        if prune:
            run.prune(roots, {str(item.path.resolve()) for item in sources})
    except BaseException:
        run.abort()
        raise
    run.flush()
    return report


class _Run:
    """The state of one ingest: the open batch and what this run has already seen."""

    def __init__(
        self,
        index: CorpusIndex,
        report: IngestReport,
        source: str | None,
        today: datetime.date | None,
    ) -> None:
        self.index = index
        self.report = report
        self.source = source
        self.today = today
        self._context: Any = None
        self._writer: IndexWriter | None = None
        self._pending = 0
        self._ids: dict[str, str] = {}
        self._hashes: dict[str, str] = {}
        self._replaced: set[str] = set()

    @property
    def writer(self) -> IndexWriter:
        if self._writer is None:
            self._context = self.index.writer()
            self._writer = self._context.__enter__()
        return self._writer

    def flush(self) -> None:
        """Commit the open batch."""
        if self._context is not None:
            context, self._context, self._writer = self._context, None, None
            context.__exit__(None, None, None)
        self._pending = 0
        self._ids.clear()
        self._hashes.clear()
        self._replaced.clear()

    def abort(self) -> None:
        """Drop the open batch whole; committed batches stay."""
        if self._writer is not None:
            writer, self._context, self._writer = self._writer, None, None
            writer.cancel()

    def file(self, item: _Source) -> None:
        key = str(item.path.resolve())
        try:
            info = item.path.stat()
        except OSError as error:
            self.report.skipped.append(Skipped(item.display, _reason(error)))
            return
        stat_state = f"stat:{key}|{info.st_size}|{info.st_mtime_ns}"
        writer = self.writer
        if writer.knows_file_state(stat_state):
            self.report.unchanged += writer.articles_of_file(key)
            return
        try:
            data_hash = _file_hash(item.path)
        except OSError as error:
            self.report.skipped.append(Skipped(item.display, _reason(error)))
            return
        hash_state = f"hash:{key}|{data_hash}"
        if writer.knows_file_state(hash_state):
            self.report.unchanged += writer.articles_of_file(key)
            return
        articles = self._read(item, key)
        if articles is None:
            return
        previous = writer.articles_of_file(key)
        if previous:
            writer.delete_file(key)
            self._replaced.add(key)
        added = 0
        for article in articles:
            digest = content_hash(article.text)
            original = self._duplicate_of(digest, key)
            if original is not None:
                self.report.duplicates.append(Duplicate(item.display, original))
                continue
            writer.add(article, file_key=key, states=(stat_state, hash_state), content_hash=digest)
            self._hashes[digest] = article.path
            added += 1
        if previous:
            self.report.updated += min(previous, added)
            self.report.added += max(0, added - previous)
            self.report.removed += max(0, previous - added)
        else:
            self.report.added += added
        self._pending += added
        if self._pending >= BATCH_ARTICLES:
            self.flush()

    def _read(self, item: _Source, key: str) -> list[Article] | None:
        fallback = self.source or item.fallback_source
        articles: list[Article] = []
        try:
            records = list(read_records(item.path))
        except UnreadableFile as error:
            self.report.skipped.append(Skipped(item.display, str(error)))
            return None
        good = [r for r in records if not isinstance(r, RecordError)]
        for record in records:
            if isinstance(record, RecordError):
                self.report.skipped.append(Skipped(item.display, record.reason))
        for n, record in enumerate(good, 1):
            wanted = record.id or (item.path.stem if len(good) == 1 else f"{item.path.stem}-{n}")
            articles.append(
                resolve(
                    record,
                    id=self._unique_id(wanted, key),
                    path=item.display,
                    fallback_source=fallback,
                    today=self.today,
                )
            )
        return articles

    def _unique_id(self, wanted: str, key: str) -> str:
        candidate, n = wanted, 1
        while True:
            owner = self._ids.get(candidate)
            if owner is None:
                indexed = self.writer.id_owner(candidate)
                owner = None if indexed is None or indexed in self._replaced else indexed
            if owner is None or owner == key:
                self._ids[candidate] = key
                return candidate
            n += 1
            candidate = f"{wanted}-{n}"

    def _duplicate_of(self, digest: str, key: str) -> str | None:
        if digest in self._hashes:
            return self._hashes[digest]
        owner = self.writer.content_owner(digest)
        if owner is None or owner[1] == key or owner[1] in self._replaced:
            return None
        return owner[0]

    def prune(self, roots: list[Path], present: set[str]) -> None:
        prefixes = [str(root.resolve()) for root in roots]
        writer = self.writer
        for key in sorted(writer.files()):
            inside = any(key == p or key.startswith(p.rstrip(os.sep) + os.sep) for p in prefixes)
            if inside and key not in present:
                self.report.removed += writer.articles_of_file(key)
                writer.delete_file(key)


def _file_hash(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
