"""Finding the files to ingest: folders walked in sorted order, loops and oddities reported."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from corpus_cli.readers import is_supported, os_reason
from corpus_cli.results import IngestReport, Skipped


@dataclass
class Source:
    path: Path
    display: str
    fallback_source: str


@dataclass
class Discovery:
    sources: list[Source]
    #: Resolved folders that could not be listed: --prune keeps what was under them.
    unlisted: list[str]


def discover(paths: Iterable[Path], report: IngestReport) -> Discovery:
    """Files under ``paths`` in sorted order; missing paths and loops are reported."""
    found = Discovery([], [])
    for root in paths:
        if not root.exists():
            fail(report, str(root), "no such file or folder")
            continue
        folder_name = _folder_name(root)
        if root.is_file():
            found.sources.append(Source(root, str(root), folder_name))
            continue
        for file in _walk(root, report, found.unlisted):
            if is_supported(file):
                found.sources.append(Source(file, str(file), folder_name))
            else:
                report.ignored.append(str(file))
    return found


def fail(report: IngestReport, path: str, reason: str) -> None:
    report.skipped.append(Skipped(path, reason))
    report.failed += 1


def _folder_name(root: Path) -> str:
    folder = root if root.is_dir() else root.parent
    return folder.resolve().name or str(folder.resolve())


def _walk(root: Path, report: IngestReport, unlisted: list[str]) -> Iterator[Path]:
    seen: set[tuple[int, int]] = set()

    def visit(folder: Path) -> Iterator[Path]:
        try:
            info = folder.stat()
            if folder != root and folder.is_symlink():
                # A link to the folder it is in, or to one above: walking it would
                # come back here (or read everything around the folder asked for).
                target, here = folder.resolve(strict=True), folder.parent.resolve(strict=True)
                if target == here or target in here.parents:
                    fail(report, str(folder), "symbolic link loop (links to a folder above it)")
                    return
        except RuntimeError:  # resolve() on a loop of links, before Python 3.13
            fail(report, str(folder), "broken or looping symbolic link")
            return
        except OSError as error:
            fail(report, str(folder), os_reason(error))
            unlisted.append(os.path.abspath(folder))
            return
        if (info.st_dev, info.st_ino) in seen:
            fail(report, str(folder), "the same folder as one already read (a symbolic link)")
            return
        seen.add((info.st_dev, info.st_ino))
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as error:
            fail(report, str(folder), os_reason(error))
            unlisted.append(str(folder.resolve()))
            return
        for entry in entries:
            if entry.name.startswith("."):
                # .git, .DS_Store, editors' swap files: never articles, but the
                # user may wonder where a folder went (--verbose lists them).
                report.hidden.append(str(Path(entry.path)))
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    yield from visit(path)
                elif entry.is_file():
                    yield path
                elif entry.is_symlink():
                    fail(report, str(path), "broken or looping symbolic link")
                elif is_supported(path):
                    fail(report, str(path), "not a regular file (a pipe, socket or device)")
                else:
                    report.ignored.append(str(path))
            except OSError as error:
                fail(report, str(path), os_reason(error))

    yield from visit(root)
