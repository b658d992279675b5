"""Saved queries with a memory: each run shows only the articles that one has not shown.

The watches live in ``watches.json`` inside the index folder, beside Whoosh's files
(which Whoosh neither reads nor cleans up), so they go wherever the index goes and
survive every ingest. The file is replaced whole on each change (a temporary file
renamed over it), so an interrupted write leaves the old one intact.

"New" means an article id this watch has not shown before: an article that is
re-ingested, edited or moved under the same id is not new again, and one that was
removed and comes back is not either. The first run shows every current match.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus_cli.errors import (
    IndexNotFound,
    UsageError,
    WatchesUnreadable,
    WatchNotFound,
)
from corpus_cli.index import CorpusIndex, Hit
from corpus_cli.query import Filters, QueryTerms, check_query_text

WATCHES_FILE = "watches.json"
FORMAT_VERSION = 1
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,39}")


@dataclass
class Watch:
    name: str
    #: The query as check_query_text cleaned it.
    query: str
    filters: Filters = field(default_factory=Filters)
    #: ISO 8601 local time with its UTC offset, to the second.
    created: str = ""
    last_run: str | None = None
    #: Ids of the articles already shown, in the order they were first shown.
    seen: list[str] = field(default_factory=list)


@dataclass
class WatchResult:
    watch: Watch
    #: Hits not shown by an earlier run: oldest first (undated last, then by id), each
    #: with its relevance score for the query.
    new: list[Hit]
    #: All the articles the query matches now, new or not.
    total: int
    #: What the query matched, for highlighting the new hits.
    terms: QueryTerms = field(default_factory=QueryTerms)


def watches_path(index_path: Path) -> Path:
    return index_path / WATCHES_FILE


def add_watch(index_path: Path, name: str, query: str, filters: Filters | None = None) -> Watch:
    """Save a new watch; UsageError for a bad or taken name or a query that cannot run."""
    _check_name(name)
    cleaned = _check_query(query)
    watches = _load(index_path)
    if any(w.name == name for w in watches):
        raise UsageError(
            f"There is already a watch named '{name}'; remove it first or choose another name."
        )
    watch = Watch(name=name, query=cleaned, filters=filters or Filters(), created=_now())
    watches.append(watch)
    _save(index_path, watches)
    return watch


def list_watches(index_path: Path) -> list[Watch]:
    """Every saved watch, in the order they were added."""
    return _load(index_path)


def remove_watch(index_path: Path, name: str) -> Watch:
    """Delete a watch (and its memory); WatchNotFound when there is none by that name."""
    watches = _load(index_path)
    for n, watch in enumerate(watches):
        if watch.name == name:
            del watches[n]
            _save(index_path, watches)
            return watch
    raise _not_found(name)


def run_watch(index: CorpusIndex, index_path: Path, name: str | None = None) -> list[WatchResult]:
    """Run one watch (or all), return the hits each has not shown yet, and remember them.

    Nothing is recorded if any query fails: the runs are saved together at the end.
    """
    watches = _load(index_path)
    chosen = watches if name is None else [w for w in watches if w.name == name]
    if name is not None and not chosen:
        raise _not_found(name)
    now = _now()
    results = []
    for watch in chosen:
        found = index.search(watch.query, watch.filters, limit=None)
        seen = set(watch.seen)
        new = [hit for hit in found.hits if hit.article.id not in seen]
        new.sort(key=lambda hit: hit.article.chronological_key)
        watch.seen.extend(hit.article.id for hit in new)
        watch.last_run = now
        results.append(WatchResult(watch, new, found.total, found.terms))
    if chosen:
        _save(index_path, watches)
    return results


def _check_name(name: str) -> None:
    if not _NAME.fullmatch(name):
        raise UsageError(
            f"'{name}' cannot name a watch: use 1 to 40 letters (a-z, A-Z), digits, '-' "
            "or '_', not starting with '-'."
        )


def _check_query(query: str) -> str:
    """The cleaned query, once it is known to parse (QuerySyntaxError otherwise)."""
    from corpus_cli.index import schema
    from corpus_cli.query import parse

    cleaned = check_query_text(query)
    parse(cleaned, schema())
    return cleaned


def _not_found(name: str) -> WatchNotFound:
    return WatchNotFound(f"No watch named '{name}'; 'corpus watch list' shows the saved ones.")


def _now() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


# -- the state file ----------------------------------------------------------------


def _load(index_path: Path) -> list[Watch]:
    path = watches_path(index_path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise WatchesUnreadable(f"The saved watches in {path} cannot be read ({reason}).") from None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as error:
        line = getattr(error, "lineno", None)
        detail = "not valid JSON" + (f" at line {line}" if line else "")
    else:
        try:
            return _parse(data)
        except _Bad as error:
            detail = str(error)
    raise WatchesUnreadable(
        f"The saved watches in {path} are damaged ({detail}); fix or delete the file."
    )


class _Bad(ValueError):
    """A well-formed JSON file that does not hold watches."""


def _parse(data: Any) -> list[Watch]:
    if not isinstance(data, dict) or not isinstance(data.get("watches"), list):
        raise _Bad("no list of watches")
    version = data.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise _Bad(f"format version {version!r}, newer than this corpus understands")
    watches: list[Watch] = []
    names: set[str] = set()
    for item in data["watches"]:
        if not isinstance(item, dict):
            raise _Bad("a watch is not an object")
        name = _string(item, "name")
        if not _NAME.fullmatch(name) or name in names:
            raise _Bad(f"bad or repeated watch name {name!r}")
        names.add(name)
        filters = item.get("filters") or {}
        if not isinstance(filters, dict):
            raise _Bad(f"the filters of '{name}' are not an object")
        seen = item.get("seen", [])
        if not isinstance(seen, list) or not all(isinstance(s, str) for s in seen):
            raise _Bad(f"the seen articles of '{name}' are not a list of ids")
        watches.append(
            Watch(
                name=name,
                query=_string(item, "query"),
                filters=Filters(
                    date_from=_date(filters, "date_from", name),
                    date_to=_date(filters, "date_to", name),
                    source=_optional_string(filters, "source"),
                ),
                created=_optional_string(item, "created") or "",
                last_run=_optional_string(item, "last_run"),
                seen=list(seen),
            )
        )
    return watches


def _string(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise _Bad(f"a watch has no '{key}'")
    return value


def _optional_string(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        raise _Bad(f"'{key}' is not text")
    return value


def _date(filters: dict[str, Any], key: str, name: str) -> datetime.date | None:
    value = _optional_string(filters, key)
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise _Bad(f"the {key} of '{name}' is not a YYYY-MM-DD date") from None


def _to_json(watch: Watch) -> dict[str, Any]:
    f = watch.filters
    return {
        "name": watch.name,
        "query": watch.query,
        "filters": {
            "date_from": f.date_from.isoformat() if f.date_from else None,
            "date_to": f.date_to.isoformat() if f.date_to else None,
            "source": f.source,
        },
        "created": watch.created,
        "last_run": watch.last_run,
        "seen": watch.seen,
    }


def _save(index_path: Path, watches: list[Watch]) -> None:
    path = watches_path(index_path)
    if not index_path.is_dir():
        raise IndexNotFound(
            f"No index at {index_path}. Run 'corpus ingest PATH' first to build one."
        )
    text = json.dumps(
        {"version": FORMAT_VERSION, "watches": [_to_json(w) for w in watches]},
        ensure_ascii=False,
        indent=1,
    )
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=index_path, prefix=".watches-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        raise WatchesUnreadable(
            f"Cannot save the watches in {path} ({error.strerror or error})."
        ) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
