"""Saved queries with a memory: each run shows only the articles that one has not shown.

The watches are one small JSON document kept by the store beside the articles
(``watches.json`` in a Whoosh index folder), so they go wherever the corpus goes and
survive every ingest. The document is replaced whole on each change, so an
interrupted write leaves the old one intact.

"New" means an article id this watch has not shown before: an article that is
re-ingested, edited or moved under the same id is not new again, and one that was
removed and comes back is not either. The first run shows every current match.

A hit is remembered only once it has been delivered (written to stdout): the
command finds the new hits (:func:`find_new`), records the run, shows the hits one
by one, and records the ones shown (:func:`mark_seen`), also when the reader went
away (a closed pipe) or the user pressed Ctrl-C half-way. A run killed outright
records none of them, so they are new again next time.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from corpus_cli.errors import UsageError, WatchesUnreadable, WatchNotFound
from corpus_cli.model import Filters
from corpus_cli.query.parser import parse
from corpus_cli.results import Watch, WatchResult
from corpus_cli.storage.base import Store

#: The store's name for the document that holds the watches.
DOCUMENT = "watches"
#: 2 keeps each watch's filters as Filters.to_dict() writes them (with --cites).
FORMAT_VERSION = 2
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,39}")


def add_watch(store: Store, name: str, query: str, filters: Filters | None = None) -> Watch:
    """Save a new watch; UsageError for a bad or taken name or a query that cannot run."""
    _check_name(name)
    cleaned = parse(query).text
    watches = _load(store)
    if any(w.name == name for w in watches):
        raise UsageError(
            f"There is already a watch named '{name}'; remove it first or choose another name."
        )
    watch = Watch(name=name, query=cleaned, filters=filters or Filters(), created=_now())
    watches.append(watch)
    _save(store, watches)
    return watch


def list_watches(store: Store) -> list[Watch]:
    """Every saved watch, in the order they were added."""
    return _load(store)


def remove_watch(store: Store, name: str) -> Watch:
    """Delete a watch (and its memory); WatchNotFound when there is none by that name."""
    watches = _load(store)
    for n, watch in enumerate(watches):
        if watch.name == name:
            del watches[n]
            _save(store, watches)
            return watch
    raise _not_found(name)


def reset_watch(store: Store, name: str) -> Watch:
    """Forget what a watch has shown: its next run shows every match again."""
    watches = _load(store)
    for watch in watches:
        if watch.name == name:
            watch.seen = []
            watch.last_run = None
            _save(store, watches)
            return watch
    raise _not_found(name)


def find_new(store: Store, name: str | None = None, limit: int | None = None) -> list[WatchResult]:
    """The hits each watch (or NAME) has not shown yet, oldest first, at most ``limit``
    a watch; records that the watches ran, and nothing of their hits.

    The run is written before any hit is shown, so a store that cannot be written
    (a read-only replica) refuses before a hit is shown and then never marked.
    """
    watches = _load(store)
    chosen = watches if name is None else [w for w in watches if w.name == name]
    if name is not None and not chosen:
        raise _not_found(name)
    now = _now()
    results = []
    for watch in chosen:
        found = store.search(parse(watch.query), watch.filters, limit=None)
        seen = set(watch.seen)
        new = [hit for hit in found.hits if hit.article.id not in seen]
        new.sort(key=lambda hit: hit.article.chronological_key)
        unshown = len(new)
        if limit is not None:
            new = new[:limit]
        watch.last_run = now
        results.append(WatchResult(watch, new, found.total, found.terms, unshown))
    if chosen:
        _save(store, watches)
    return results


def mark_seen(store: Store, delivered: dict[str, list[str]]) -> None:
    """Remember the ids each watch delivered (by name), added to what it had seen.

    The document is read again first, so that a watch added or removed meanwhile
    by another process is kept as that process left it.
    """
    if not any(delivered.values()):
        return
    watches = _load(store)
    for watch in watches:
        ids = delivered.get(watch.name, [])
        seen = set(watch.seen)
        watch.seen.extend(i for i in dict.fromkeys(ids) if i not in seen)
    _save(store, watches)


def run_watch(store: Store, name: str | None = None, limit: int | None = None) -> list[WatchResult]:
    """Run one watch (or all) and remember every hit it returns as shown.

    For callers that deliver what they get whole (a library user); the command
    line marks only what it has written (:func:`find_new`, :func:`mark_seen`).
    """
    results = find_new(store, name, limit)
    mark_seen(store, {r.watch.name: [hit.article.id for hit in r.new] for r in results})
    return results


def unknown_source(store: Store, filters: Filters) -> str | None:
    """The ``--source`` of a watch when no article has it (a misspelling, often)."""
    if filters.source is None:
        return None
    if store.count(None, Filters(source=filters.source)):
        return None
    return filters.source


def _check_name(name: str) -> None:
    if not _NAME.fullmatch(name):
        raise UsageError(
            f"'{name}' cannot name a watch: use 1 to 40 letters (a-z, A-Z), digits, '-' "
            "or '_', not starting with '-'."
        )


def _not_found(name: str) -> WatchNotFound:
    return WatchNotFound(f"No watch named '{name}'; 'corpus watch list' shows the saved ones.")


def _now() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


# -- the state file ----------------------------------------------------------------


def _load(store: Store) -> list[Watch]:
    where = store.describe_document(DOCUMENT)
    try:
        raw = store.read_document(DOCUMENT)
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise WatchesUnreadable(
            f"The saved watches in {where} cannot be read ({reason})."
        ) from None
    if raw is None:
        return []
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
        f"The saved watches in {where} are damaged ({detail}); fix or delete the file."
    )


class _Bad(ValueError):
    """A well-formed JSON file that does not hold watches."""


def _parse(data: Any) -> list[Watch]:
    if not isinstance(data, dict) or not isinstance(data.get("watches"), list):
        raise _Bad("no list of watches")
    # Files without a version predate the field: the first format.
    version = data.get("version", 1)
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
                    # Version 1 named the dates date_from and date_to.
                    date_from=_date(filters, "from" if version > 1 else "date_from", name),
                    date_to=_date(filters, "to" if version > 1 else "date_to", name),
                    source=_optional_string(filters, "source"),
                    cites=_optional_string(filters, "cites"),
                    language=_optional_string(filters, "lang"),
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
    return {
        "name": watch.name,
        "query": watch.query,
        "filters": watch.filters.to_dict(),
        "created": watch.created,
        "last_run": watch.last_run,
        "seen": watch.seen,
    }


def _save(store: Store, watches: list[Watch]) -> None:
    text = json.dumps(
        {"version": FORMAT_VERSION, "watches": [_to_json(w) for w in watches]},
        ensure_ascii=False,
        indent=1,
    )
    try:
        store.write_document(DOCUMENT, text + "\n")
    except OSError as error:
        where = store.describe_document(DOCUMENT)
        raise WatchesUnreadable(
            f"Cannot save the watches in {where} ({error.strerror or error})."
        ) from None
