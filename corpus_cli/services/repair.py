"""``corpus check`` and ``corpus repair``: the index is a cache of the user's files.

The backend finds its damage and drops it (:meth:`Store.drop_damaged`), telling
first which files' articles go with it; this service then removes what is left
of those files' articles anywhere else and reads the files again with ingest, so
that each comes back whole, as a clean ingest would have made it. The list of
files still to read is kept beside the index (a document named ``repair``) from
before anything is dropped until they are read: a repair that is killed is
finished by the next one.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from corpus_cli.results import CheckReport, IngestReport, LostFile, RepairReport
from corpus_cli.services.discovery import Discovery, Source
from corpus_cli.services.ingest import ProgressCallback, ingest_found
from corpus_cli.storage.base import Store

#: The name of the document that lists the files an unfinished repair must read.
PENDING = "repair"


def check(store: Store) -> CheckReport:
    report = store.check()
    if pending(store):
        report.problems.append("A repair was interrupted; run 'corpus repair' to finish it.")
    return report


def pending(store: Store) -> list[LostFile]:
    """The files an interrupted repair has still to read again."""
    text = store.read_document(PENDING)
    try:
        rows = json.loads(text) if text else []
    except ValueError:
        rows = []
    return [LostFile(r["key"], r["path"], r["source"]) for r in rows if isinstance(r, dict)]


def _keep(store: Store, files: list[LostFile]) -> None:
    rows = [{"key": f.key, "path": f.path, "source": f.source} for f in files]
    store.write_document(PENDING, json.dumps(rows, ensure_ascii=False))


def repair(
    store: Store,
    *,
    progress: ProgressCallback | None = None,
    today: datetime.date | None = None,
) -> RepairReport:
    """Drop what is damaged and read its articles' files again."""
    report = RepairReport(store.location)
    files = {f.key: f for f in pending(store)}

    def remember(lost: list[LostFile]) -> None:
        for f in lost:
            files.setdefault(f.key, f)
        _keep(store, list(files.values()))

    report.dropped = store.drop_damaged(remember)
    if not files:
        return report
    # What is left of these files' articles elsewhere goes too (a dump spans
    # segments; an article may hold copies from them): each is read whole again.
    batch = store.begin()
    try:
        orphans: set[str] = set()
        for key in files:
            orphans |= batch.delete_file(key)
        batch.commit()
    except BaseException:
        batch.abort()
        raise
    extra = [LostFile(k, k, Path(k).parent.name) for k in sorted(orphans - files.keys())]
    if extra:
        remember(extra)
    found = Discovery([], [])
    for f in sorted(files.values(), key=lambda f: f.key):
        if Path(f.key).is_file():
            found.sources.append(Source(Path(f.key), f.path, f.source))
        else:
            report.gone.append(f.path)
    ingested = ingest_found(store, found, IngestReport(), [], progress=progress, today=today)
    report.ingest = ingested
    report.reread = len(found.sources)
    report.restored = ingested.added + ingested.updated
    _keep(store, [])
    return report
