"""What the browser asks of the corpus, with no screen in it: open, search a page,
count by period and by source, export.

Everything here runs in worker threads of the app, one call at a time: a
:class:`Session` holds one store, and stores promise nothing about being used by
two threads at once, so every call takes the session's lock. Nothing here knows
Textual, and nothing knows a backend: the store interface and the services only.
"""

from __future__ import annotations

import dataclasses
import datetime
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from corpus_cli.errors import CorpusError
from corpus_cli.model import Filters, IndexStats, SearchResult, SortOrder, SourceSummary

if TYPE_CHECKING:
    from corpus_cli.query import Query
    from corpus_cli.storage.base import Store

T = TypeVar("T")

#: Hits read at once after the first page. The first page is what a keystroke waits
#: for, and each hit's fragment costs 1-2 ms on articles of 600 words
#: (text/snippets.py), so the first page is only what the screen shows (the app asks
#: for that many) and the next one is read when typing pauses.
PAGE = 30

Granularity = Literal["year", "month", "day"]
Wanted = Callable[[], bool] | None


class Superseded(Exception):
    """A call no longer wanted when its turn at the store came: a newer search replaced it."""


@dataclasses.dataclass(frozen=True)
class Request:
    """One search as the screen asks for it: the words typed, the narrowing, the order."""

    text: str
    filters: Filters = dataclasses.field(default_factory=Filters)
    sort: SortOrder = "relevance"


@dataclasses.dataclass(frozen=True)
class Parsed:
    """A request whose text was understood: the tree, and the filters with its date: clauses."""

    request: Request
    query: Query
    filters: Filters


@dataclasses.dataclass(frozen=True)
class Bar:
    """One period of the timeline: its label (``2019``, ``2019-04``, ``2019-04-12``), its
    matches, and the days it covers (what choosing it narrows to)."""

    period: str
    count: int
    first: datetime.date
    last: datetime.date


@dataclasses.dataclass(frozen=True)
class Timeline:
    by: Granularity
    bars: tuple[Bar, ...]
    #: Matches dated only to a period coarser than ``by`` (a year, under months): they
    #: have no bar, and the screen says how many.
    coarser: int = 0


class Session:
    """One open corpus for the browser (see the module's docstring)."""

    def __init__(self, location: str) -> None:
        self.location = location
        self._store: Store | None = None
        self._lock = threading.Lock()
        self.stats: IndexStats | None = None

    # -- opening and closing ------------------------------------------------------------

    def open(self) -> None:
        """Open the store; raises the store's errors (IndexNotFound, IndexUnreadable...)."""
        from corpus_cli.storage import open_store

        with self._lock:
            if self._store is None:
                self._store = open_store(self.location)

    def read_stats(self) -> IndexStats:
        """What the store holds (kept for the timeline's first and last dates)."""
        self.stats = self._call(lambda s: s.stats())
        return self.stats

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def _call(self, work: Callable[[Store], T], wanted: Wanted = None) -> T:
        """``work`` on the store, in turn; not at all if ``wanted()`` says it is no longer
        wanted by then (Superseded). A call already running is not interrupted: no store
        can be asked to stop through its interface; its answer is dropped by the caller."""
        with self._lock:
            if wanted is not None and not wanted():
                raise Superseded()
            if self._store is None:
                raise CorpusError("The index is not open.")
            return work(self._store)

    # -- reading ------------------------------------------------------------------------

    @staticmethod
    def parse(request: Request) -> Parsed:
        """The request's text as a query; QuerySyntaxError (a message for the user) if not one."""
        from corpus_cli.query import parse
        from corpus_cli.query.dates import narrowed

        query = parse(request.text)
        # The query's own date: clauses are an AND with the narrowing, as on the command line.
        return Parsed(request, query, narrowed(request.filters, query))

    def search(
        self, parsed: Parsed, offset: int = 0, limit: int = PAGE, wanted: Wanted = None
    ) -> SearchResult:
        sort = parsed.request.sort
        return self._call(
            lambda s: s.search(parsed.query, parsed.filters, sort, limit, offset), wanted
        )

    def sources(self, parsed: Parsed | None, filters: Filters) -> list[SourceSummary]:
        """Each source with its matches under ``filters`` (the narrowing but the source)."""
        query = parsed.query if parsed is not None else None
        if parsed is not None:
            from corpus_cli.query.dates import narrowed

            filters = narrowed(filters, parsed.query)
        return self._call(lambda s: s.source_summaries(query, filters))

    def timeline(self, parsed: Parsed, bars: int, wanted: Wanted = None) -> Timeline:
        """The matches per period, in at most ``bars`` periods: days for a range of a few
        weeks, months when they fit, years otherwise."""
        from corpus_cli.services.analytics import timeline

        by = self._granularity(parsed.filters, bars)
        rows = self._call(lambda s: timeline(s, parsed.query, by, parsed.filters), wanted)
        regular = [row for row in rows if not row.coarser]
        coarser = sum(row.count for row in rows if row.coarser)
        out = []
        for row in regular:
            first, last = _period_days(row.period, by)
            out.append(Bar(row.period, row.count, first, last))
        return Timeline(by, tuple(out), coarser)

    def _granularity(self, filters: Filters, bars: int) -> Granularity:
        # The statistics are read after the first search, to show hits sooner; a
        # timeline counted before they arrive must not guess years for want of them.
        stats = self.stats if self.stats is not None else self.read_stats()
        first = filters.date_from or _day(stats.first_date if stats else None, end=False)
        last = filters.date_to or _day(stats.last_date if stats else None, end=True)
        if first is None or last is None:
            return "year"
        last = min(last, datetime.date.today())
        first = min(first, last)
        days = (last - first).days + 1
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        if days <= bars:
            return "day"
        if months <= bars:
            return "month"
        return "year"

    def export(self, parsed: Parsed, path: Path) -> int:
        """Every hit of the search, as ``search --json`` (or ``--format csv`` for a ``.csv``
        path) writes them, into ``path``; returns how many."""
        from corpus_cli.render import Output, Terminal
        from corpus_cli.services.search import search_pages

        fmt = "csv" if path.suffix.lower() == ".csv" else "jsonl"

        def write(store: Store) -> int:
            pages = search_pages(store, parsed.query, parsed.filters, parsed.request.sort)
            written = 0

            def counted() -> Iterator[SearchResult]:
                nonlocal written
                for page in pages:
                    written += len(page.hits)
                    yield page

            with path.open("w", encoding="utf-8", newline="") as file:
                Output(Terminal(stdout=file), fmt).search_rows(counted())
            return written

        return self._call(write)


def _day(value: str | None, *, end: bool) -> datetime.date | None:
    if value is None:
        return None
    from corpus_cli.text.dates import parse_cli_date

    return parse_cli_date(value, end=end)


def _period_days(period: str, by: Granularity) -> tuple[datetime.date, datetime.date]:
    from corpus_cli.text.dates import parse_cli_date

    return parse_cli_date(period), parse_cli_date(period, end=True)
