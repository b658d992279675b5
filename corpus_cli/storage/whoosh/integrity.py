"""What a Whoosh index's files must be, recorded at each commit and verified later.

Whoosh writes no checksums: a truncated or altered segment file surfaces as
whatever its decoder trips on ("Block tag error b''"), or not at all. So, as
Lucene's codec footers do, every commit records the size and CRC-32 of each file
of each live segment in ``checksums-<generation>.json``, written to a temporary
file, flushed to disk and renamed before the table of contents of that generation
is, and removed with it. Segment files never change once written: the sums of the
segments a commit keeps are carried over from the generation before.

Beside each segment, ``sources-<segment>.json`` lists the files its articles (and
their copies) came from, with the path as typed and the sources they were given:
the index is the ingest's only ledger, and ``corpus repair`` must know what to
read again when a segment is lost. Neither name matches Whoosh's file patterns, so
Whoosh leaves them alone; :func:`sweep` removes them when their generation or
segment goes.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST = "checksums-{}.json"
SOURCES = "sources-{}.json"
_MANIFEST_RE = re.compile(r"^checksums-([0-9]+)\.json$")
_SOURCES_RE = re.compile(r"^sources-(.+)\.json$")
_CHUNK = 1 << 20

#: file key -> {"path": path as typed, "sources": {source name: articles}}.
Sources = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Problem:
    """One file that is not what the last commit recorded."""

    segment: str | None
    file: str
    #: missing, truncated, grown or altered.
    kind: str

    def describe(self) -> str:
        what = {
            "missing": "is missing",
            "truncated": "is shorter than recorded",
            "grown": "is longer than recorded",
            "altered": "does not match its checksum",
        }[self.kind]
        return f"{self.file} {what}"


def file_sum(path: Path) -> tuple[int, int]:
    """(size, CRC-32) of a file, read a megabyte at a time."""
    crc = 0
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
    return size, crc


def segment_files(folder: Path, segment_id: str, names: Iterable[str] | None = None) -> list[str]:
    prefix = f"{segment_id}."
    listing = os.listdir(folder) if names is None else names
    return sorted(name for name in listing if name.startswith(prefix))


def write_json(folder: Path, name: str, data: object) -> None:
    """Write ``name`` whole or not at all: a temporary file, fsync, rename, fsync of the folder."""
    temporary = folder / f".{name}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, folder / name)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    sync_folder(folder)


def sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def read_json(path: Path) -> Any:
    """The parsed file, or None when it is missing or not JSON (a damaged record)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def read_manifest(folder: Path, generation: int) -> dict[str, list[int]] | None:
    """file name -> [size, crc] recorded by the commit of ``generation`` (None: none was)."""
    data = read_json(folder / MANIFEST.format(generation))
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return None
    return {str(k): list(v) for k, v in data["files"].items()}


def latest_manifest(folder: Path) -> int | None:
    """The newest generation with a checksum record, whatever its table of contents."""
    found = [int(m.group(1)) for name in os.listdir(folder) if (m := _MANIFEST_RE.match(name))]
    return max(found) if found else None


def read_sources(folder: Path, segment_id: str) -> Sources | None:
    data = read_json(folder / SOURCES.format(segment_id))
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return None
    return data["files"]  # type: ignore[no-any-return]


def add_source(found: Sources, key: str, path: str, source: str) -> None:
    entry = found.setdefault(key, {"path": path, "sources": {}})
    entry["sources"][source] = entry["sources"].get(source, 0) + 1


def merge_sources(into: Sources, other: Sources) -> None:
    for key, entry in other.items():
        mine = into.setdefault(key, {"path": entry.get("path") or key, "sources": {}})
        for name, count in (entry.get("sources") or {}).items():
            mine["sources"][name] = mine["sources"].get(name, 0) + int(count)


def record(
    folder: Path,
    generation: int,
    segment_ids: list[str],
    new: dict[str, Sources],
) -> None:
    """Write the sources of the ``new`` segments and the checksums of ``generation``.

    Called before the table of contents of ``generation`` is written: a crash in
    between leaves a record no table refers to, which the next commit replaces.
    """
    names = os.listdir(folder)
    for segment_id, sources in new.items():
        # Whoosh does not flush what it writes: the table of contents must not
        # outlive, on a power cut, the segment files it names.
        for name in segment_files(folder, segment_id, names):
            fsync_file(folder / name)
        write_json(folder, SOURCES.format(segment_id), {"files": sources})
    names = os.listdir(folder)
    previous = read_manifest(folder, generation - 1) or {}
    files: dict[str, list[int]] = {}
    for segment_id in segment_ids:
        wanted = [*segment_files(folder, segment_id, names), SOURCES.format(segment_id)]
        for name in wanted:
            if name not in names:
                continue  # a segment of an index older than these records
            if segment_id not in new and name in previous:
                files[name] = previous[name]
            else:
                size, crc = file_sum(folder / name)
                files[name] = [size, crc]
    write_json(folder, MANIFEST.format(generation), {"generation": generation, "files": files})


def sweep(folder: Path, generation: int, segment_ids: Iterable[str]) -> None:
    """Remove the records of other generations and of segments no longer live."""
    live = set(segment_ids)
    for name in os.listdir(folder):
        manifest = _MANIFEST_RE.match(name)
        sources = _SOURCES_RE.match(name)
        stale = (manifest is not None and int(manifest.group(1)) != generation) or (
            sources is not None and sources.group(1) not in live
        )
        if stale:
            with contextlib.suppress(OSError):
                (folder / name).unlink()


def add_toc(folder: Path, generation: int, toc: str) -> None:
    """Add the table of contents just written to its generation's record.

    It cannot be summed before it exists; a crash before this leaves it unsummed,
    which :func:`verify` accepts.
    """
    data = read_json(folder / MANIFEST.format(generation))
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return
    data["files"][toc] = list(file_sum(folder / toc))
    write_json(folder, MANIFEST.format(generation), data)


def verify(
    folder: Path, generation: int, segment_ids: list[str], *, sums: bool, toc: str = ""
) -> list[Problem] | None:
    """The files of the live segments that differ from the record (None: no record).

    Without ``sums`` only sizes are compared: a few stat calls, cheap enough for
    every command to make when it opens the index. ``toc``: the name of the table
    of contents, checked too when the record has it (its problem has no segment).
    """
    recorded = read_manifest(folder, generation)
    if recorded is None:
        return None
    problems: list[Problem] = []
    owner: dict[str, str | None] = {toc: None} if toc else {}
    for segment_id in segment_ids:
        for name in recorded:
            if name.startswith(f"{segment_id}.") or name == SOURCES.format(segment_id):
                owner[name] = segment_id
    for name, (size, crc) in sorted(recorded.items()):
        if name not in owner:
            continue
        path = folder / name
        try:
            actual = path.stat().st_size
        except FileNotFoundError:
            problems.append(Problem(owner[name], name, "missing"))
            continue
        if actual != size:
            problems.append(Problem(owner[name], name, "truncated" if actual < size else "grown"))
        elif sums and file_sum(path)[1] != crc:
            problems.append(Problem(owner[name], name, "altered"))
    return problems


def orphans(folder: Path, index_name: str, segment_ids: Iterable[str]) -> list[str]:
    """Segment files no live segment owns: what an interrupted write left."""
    live = {f"{segment_id}." for segment_id in segment_ids}
    pattern = re.compile(rf"^({index_name}_[0-9a-z]+)\.|^_{index_name}_[0-9]+\.toc\.")
    found = []
    for name in os.listdir(folder):
        match = pattern.match(name)
        if match and not any(name.startswith(prefix) for prefix in live):
            found.append(name)
    return sorted(found)
