"""Finding the damaged parts of a Whoosh index, naming them, and dropping them.

A segment is damaged when one of its files differs from what the commit recorded
(:mod:`.integrity`) or when reading it whole fails: its stored fields, every
posting block, every column and length. A damaged segment is dropped from the
index by a commit that keeps the others; the files its articles came from are
read again by ``corpus repair`` (:mod:`corpus_cli.services.repair`). A table of
contents that cannot be read leaves nothing to keep: the index is emptied and
every file the records name is read again.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus_cli.results import CheckReport, LostFile
from corpus_cli.storage.whoosh import integrity
from corpus_cli.storage.whoosh.schema import INDEX_NAME


@dataclass
class Survey:
    """The state of every part of one index folder."""

    toc_error: str | None = None
    generation: int | None = None
    segments: list[Any] = field(default_factory=list)
    #: segment id -> why it is damaged (one clause).
    damaged: dict[str, str] = field(default_factory=dict)
    #: Names of the files that differ from their record.
    bad_files: set[str] = field(default_factory=set)
    checksums: bool = True
    files: int = 0
    articles: int = 0
    orphans: list[str] = field(default_factory=list)


def toc_name(generation: int | None) -> str:
    return f"_{INDEX_NAME}_{generation}.toc" if generation is not None else "(none found)"


def latest_toc(path: Path) -> int | None:
    pattern = re.compile(rf"^_{INDEX_NAME}_([0-9]+)\.toc$")
    found = [int(m.group(1)) for name in os.listdir(path) if (m := pattern.match(name))]
    return max(found) if found else None


def survey(path: Path, *, deep: bool) -> Survey:
    """Look at every part; ``deep`` also reads every segment whole and sums every file."""
    from whoosh import index

    found = Survey(generation=latest_toc(path))
    try:
        ix = index.open_dir(str(path), indexname=INDEX_NAME)
        toc = ix._read_toc()
    except Exception as error:
        found.toc_error = (
            f"table of contents {toc_name(found.generation)} cannot be read ({_kind(error)})"
        )
        return found
    found.generation = toc.generation
    found.segments = list(toc.segments)
    ids = [segment.segment_id() for segment in found.segments]
    name = toc_name(toc.generation)
    problems = integrity.verify(path, toc.generation, ids, sums=deep, toc=name)
    if problems is None:
        found.checksums = not found.segments  # an empty index has nothing to sum
    else:
        found.files = len(integrity.read_manifest(path, toc.generation) or {})
        for problem in problems:
            found.bad_files.add(problem.file)
            if problem.file == name:
                # Read, but not as written: which segments it names is in doubt.
                found.toc_error = f"table of contents {problem.describe()}"
                return found
            if problem.segment is not None and problem.segment not in found.damaged:
                found.damaged[problem.segment] = problem.describe()
    for segment in found.segments:
        found.articles += segment.doc_count()
        if deep and segment.segment_id() not in found.damaged:
            reason = read_segment(ix.storage, toc.schema, segment)
            if reason is not None:
                found.damaged[segment.segment_id()] = reason
    found.orphans = integrity.orphans(path, INDEX_NAME, ids)
    return found


def read_segment(storage: Any, schema: Any, segment: Any) -> str | None:
    """Why the segment cannot be read whole, or None when every part of it reads."""
    from whoosh.reading import SegmentReader

    part = "it"
    try:
        reader = SegmentReader(storage, schema, segment)
    except Exception as error:
        return f"it cannot be opened ({_kind(error)})"
    try:
        part = "its stored articles"
        for docnum in range(segment.doc_count_all()):
            if not segment.is_deleted(docnum):
                reader.stored_fields(docnum)
        part = "its word lengths"
        scorable = [name for name, f in schema.items() if f.scorable]
        for docnum in range(segment.doc_count_all()):
            for name in scorable:
                reader.doc_field_length(docnum, name)
        part = "its postings"
        for fieldname, btext in reader.all_terms():
            if fieldname not in schema:
                continue
            matcher = reader._terms.matcher(fieldname, btext, schema[fieldname].format)
            while matcher.is_active():
                matcher._read_ids()
                matcher._read_weights()
                matcher._read_values()
                matcher._next_block()
        part = "its columns"
        for name, f in schema.items():
            if f.column_type and reader.has_column(name):
                for _ in reader.column_reader(name, translate=False):
                    pass
    except Exception as error:
        return f"{part} cannot be read ({_kind(error)})"
    finally:
        with contextlib.suppress(Exception):
            reader.close()
    return None


def _kind(error: BaseException) -> str:
    text = str(error)
    name = type(error).__name__
    return f"{name}: {text}" if text and len(text) < 60 else name


def report(location: str, found: Survey) -> CheckReport:
    result = CheckReport(location, articles=found.articles, parts=len(found.segments))
    result.files = found.files
    if found.toc_error is not None:
        result.problems.append(f"The index's {found.toc_error}.")
    for segment in found.segments:
        reason = found.damaged.get(segment.segment_id())
        if reason is not None:
            result.problems.append(
                f"Segment {segment.segment_id()} ({segment.doc_count()} articles): {reason}."
            )
    if found.toc_error is None and not found.checksums:
        result.notes.append(
            "The index predates checksums: its files' sizes and sums were not verified "
            "(the next ingest or optimize records them)."
        )
    if found.orphans:
        result.notes.append(
            f"{len(found.orphans)} files left by an interrupted write are not part of the "
            "index (the next commit or repair removes them)."
        )
    return result


def lost_files(sources: integrity.Sources) -> list[LostFile]:
    """The files to read again, each with the source most of its articles had."""
    lost = []
    for key, entry in sorted(sources.items()):
        names = entry.get("sources") or {}
        fallback = max(names, key=lambda n: (names[n], n)) if names else ""
        lost.append(LostFile(key, str(entry.get("path") or key), fallback))
    return lost


def salvage_sources(
    storage: Any, schema: Any, segment: Any, trusted: bool = True
) -> integrity.Sources:
    """What a damaged segment's record says it held, or what its stored fields still tell.

    ``trusted``: the record matches its checksum (a record altered in place may
    still parse, with a wrong path in it).
    """
    folder = Path(storage.folder)
    found = integrity.read_sources(folder, segment.segment_id()) if trusted else None
    if found is not None:
        return found
    from whoosh.reading import SegmentReader

    found = {}
    try:
        reader = SegmentReader(storage, schema, segment)
    except Exception:
        return found
    try:
        for docnum in range(segment.doc_count_all()):
            try:
                fields = reader.stored_fields(docnum)
            except Exception:
                continue
            key = fields.get("file")
            if key:
                integrity.add_source(
                    found, key, fields.get("path") or key, fields.get("source_name") or ""
                )
            for c in fields.get("copies") or ():
                integrity.add_source(found, c["file"], c["path"] or c["file"], c["source"] or "")
    finally:
        with contextlib.suppress(Exception):
            reader.close()
    return found


def drop(
    path: Path, ix: Any | None, remember: Callable[[list[LostFile]], None]
) -> tuple[list[str], Any]:
    """Drop the damaged segments (or everything, when the table of contents is lost).

    ``remember`` is given the files to read again before anything is changed, so
    that a repair killed half-way can be finished. Returns what was dropped (one
    sentence each) and the index as it now is.
    """
    from whoosh import index

    from corpus_cli.storage.whoosh.segments import BulkSegmentWriter

    found = survey(path, deep=True)
    if found.toc_error is not None:
        return _start_afresh(path, found, remember)
    if ix is None:
        ix = index.open_dir(str(path), indexname=INDEX_NAME)
    # The writer holds the lock from here: no ingest changes what is surveyed.
    writer = BulkSegmentWriter(ix, compound=False)
    try:
        found = survey(path, deep=True)
        damaged = [s for s in found.segments if s.segment_id() in found.damaged]
        if not damaged:
            writer.cancel()
            for name in found.orphans:
                with contextlib.suppress(OSError):
                    (path / name).unlink()
            return [], ix
        toc = ix._read_toc()
        sources: integrity.Sources = {}
        for segment in damaged:
            record = integrity.SOURCES.format(segment.segment_id())
            salvaged = salvage_sources(
                ix.storage, toc.schema, segment, trusted=record not in found.bad_files
            )
            integrity.merge_sources(sources, salvaged)
        lost = lost_files(sources)
        remember(lost)
        writer.segments = [s for s in writer.segments if s.segment_id() not in found.damaged]
        writer._setup_doc_offsets()
        writer.commit(merge=False)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    dropped = [
        f"Dropped segment {s.segment_id()} ({s.doc_count()} articles): "
        f"{found.damaged[s.segment_id()]}."
        for s in damaged
    ]
    return dropped, ix.refresh()


def _start_afresh(
    path: Path, found: Survey, remember: Callable[[list[LostFile]], None]
) -> tuple[list[str], Any]:
    """An index whose table of contents is lost: emptied, its files all to read again."""
    from whoosh import index
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    from corpus_cli.errors import IndexDamaged, IndexLocked
    from corpus_cli.storage.whoosh.schema import schema

    lock = FileStorage(str(path)).lock(f"{INDEX_NAME}_WRITELOCK")
    if not lock.acquire():
        raise IndexLocked(
            f"Another 'corpus' command is writing to {path}; run this again when it has finished."
        )
    try:
        sources: integrity.Sources = {}
        # The segments of the last commit's record, if it survives; else every
        # record there is (some perhaps of a commit that never finished).
        last = integrity.latest_manifest(path)
        recorded = integrity.read_manifest(path, last) if last is not None else None
        names = list(recorded) if recorded is not None else os.listdir(path)
        for name in names:
            if name.startswith("sources-") and name.endswith(".json"):
                record = integrity.read_json(path / name)
                if isinstance(record, dict) and isinstance(record.get("files"), dict):
                    integrity.merge_sources(sources, record["files"])
        lost = lost_files(sources)
        if not lost:
            # Emptying it would gain nothing: say what to do instead.
            raise IndexDamaged(
                f"The index at {path} has lost its {found.toc_error} and is older than "
                "the records of the files it held; delete the folder and run 'corpus "
                "ingest' on your files again."
            )
        remember(lost)
        # An empty table of a newer generation first, then the old files go: killed
        # at any moment, the folder holds an index that opens.
        generation = max(latest_toc(path) or 0, integrity.latest_manifest(path) or 0) + 1
        integrity.record(path, generation, [], {})
        TOC(schema(), [], generation).write(FileStorage(str(path)), INDEX_NAME)
        _empty_folder(path, keep=generation)
        fresh = index.open_dir(str(path), indexname=INDEX_NAME)
        return [f"The index's {found.toc_error}: every article is read again from its file."], fresh
    finally:
        lock.release()


def _empty_folder(path: Path, keep: int) -> None:
    """Remove Whoosh's files and the records of them, but generation ``keep``'s.

    The documents beside them (watches, the pending repair) stay.
    """
    spared = {toc_name(keep), integrity.MANIFEST.format(keep), f"{INDEX_NAME}_WRITELOCK"}
    pattern = re.compile(
        rf"^_?{INDEX_NAME}_[0-9a-zA-Z]+[._]|^checksums-[0-9]+\.json$|^sources-.+\.json$"
    )
    for name in os.listdir(path):
        if pattern.match(name) and name not in spared:
            with contextlib.suppress(OSError):
                (path / name).unlink()
