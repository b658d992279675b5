"""The plain data every layer shares: articles, hits, filters, reports and results.

Nothing here knows an engine, a file format or a terminal: these are dataclasses that
readers produce, stores keep and return, services compute and renderers print.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from corpus_cli.errors import BadDate

Precision = Literal["day", "month", "year"]
SortOrder = Literal["relevance", "date", "-date"]
Granularity = Literal["day", "week", "month", "year"]

_VALUE_RE = {
    "day": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    "month": re.compile(r"[0-9]{4}-[0-9]{2}"),
    "year": re.compile(r"[0-9]{4}"),
}


def period_bounds(value: str, precision: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a date written as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    year = int(value[:4])
    if precision == "year":
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    month = int(value[5:7])
    if precision == "month":
        last = calendar.monthrange(year, month)[1]
        return datetime.date(year, month, 1), datetime.date(year, month, last)
    day = datetime.date(year, month, int(value[8:10]))
    return day, day


@dataclass(frozen=True)
class DateInfo:
    """A publication date and how much of it is actually known."""

    #: "2022-12-30", "2022-12" or "2022", matching ``precision``.
    value: str
    precision: Precision
    #: True when read from the article's words, False when from metadata.
    inferred: bool
    #: The words the date was read from (the raw metadata string for metadata dates).
    evidence: str | None

    def __post_init__(self) -> None:
        # Fail at construction, not later in the index, when value and precision disagree.
        pattern = _VALUE_RE.get(self.precision)
        if pattern is None or not pattern.fullmatch(self.value):
            raise ValueError(f"date {self.value!r} does not have precision {self.precision!r}")
        period_bounds(self.value, self.precision)

    @property
    def start(self) -> datetime.date:
        """First day of the period."""
        return period_bounds(self.value, self.precision)[0]

    @property
    def end(self) -> datetime.date:
        """Last day of the period (2022-12 -> 2022-12-31, 2024 -> 2024-12-31)."""
        return period_bounds(self.value, self.precision)[1]


@dataclass
class Article:
    """One article ready for a store: every field resolved or honestly unknown.

    The last three fields are derived once, when the article is built
    (:func:`corpus_cli.readers.resolve`), and every backend stores them alike.
    """

    id: str
    path: str
    text: str
    title: str | None
    date: DateInfo | None
    source: str | None
    url: str | None
    extra: dict[str, Any] = field(default_factory=dict)
    #: The source folded for matching (``--source gazzetta`` finds "Gazzetta").
    source_key: str = ""
    #: Agencies and outlets the title or text names (text/citations.py), sorted.
    cites: tuple[str, ...] = ()
    #: Every year ("2023") and month ("2023-04") the date's period touches.
    periods: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileState:
    """What a store remembers of the file an article came from, to skip it next time.

    ``key`` is the file's absolute path; a file whose size and mtime are unchanged
    is not opened again, and one whose bytes hash the same is not re-read.
    """

    key: str
    size: int
    mtime_ns: int
    digest: str


@dataclass
class StoredArticle:
    """An article as a store returns it."""

    id: str
    path: str
    title: str | None
    date: str | None
    date_precision: str | None
    date_inferred: bool
    date_evidence: str | None
    source: str | None
    url: str | None
    text: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def chronological_key(self) -> tuple[int, str, str]:
        """Sort key: the first day of the date's period, undated last, then the id."""
        if self.date is None:
            return (1, "", self.id)
        year, _, rest = self.date.partition("-")
        month, _, day = rest.partition("-")
        return (0, f"{year}-{month or '01'}-{day or '01'}", self.id)


@dataclass(frozen=True)
class Filters:
    """Restrictions that apply besides the query: a date range, a source, a cited outlet."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    source: str | None = None
    #: An agency or outlet the article names (its name as agencies.txt shows it).
    cites: str | None = None

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise BadDate(
                f"--from {self.date_from} is after --to {self.date_to}: nothing can match."
            )

    @property
    def is_empty(self) -> bool:
        return (
            self.date_from is None
            and self.date_to is None
            and self.source is None
            and self.cites is None
        )

    def to_dict(self) -> dict[str, str | None]:
        """The filters as JSON-ready strings, keyed by their option names."""
        return {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "source": self.source,
            "cites": self.cites,
        }

    @classmethod
    def from_dict(cls, data: dict[str, str | None]) -> Filters:
        """The inverse of :meth:`to_dict`; ValueError for a date that is not YYYY-MM-DD."""
        date_from, date_to = data.get("from"), data.get("to")
        return cls(
            date_from=datetime.date.fromisoformat(date_from) if date_from else None,
            date_to=datetime.date.fromisoformat(date_to) if date_to else None,
            source=data.get("source"),
            cites=data.get("cites"),
        )

    def describe(self) -> str:
        """The filters as the options that set them (``--from 2023-01-01 --source X``)."""
        return " ".join(f"--{name} {value}" for name, value in self.to_dict().items() if value)


@dataclass(frozen=True)
class QueryTerms:
    """What a query matched, in the analyser's terms, for highlighting.

    ``stems`` and ``folded`` are single words (stemmed or surface); ``phrases`` are
    runs of stems that count only when they appear next to each other.
    """

    stems: frozenset[str] = frozenset()
    folded: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not (self.stems or self.folded or self.phrases)


@dataclass
class Hit:
    article: StoredArticle
    #: Relevance; None when hits were sorted by date (no backend scores them then).
    score: float | None


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    terms: QueryTerms


@dataclass
class Explanation:
    """How a query was understood: for ``search --explain``."""

    query: str
    parsed: str
    fields: list[str]
    #: (word as typed, folded, stem) for each plain word.
    words: list[tuple[str, str, str]]
    #: Indexed words that wildcards and fuzzy terms expanded to.
    expansions: list[str]
    phrases: list[list[str]]
    total: int
    suggestion: str | None


@dataclass
class SourceSummary:
    source: str
    count: int
    first_date: str | None
    last_date: str | None
    #: All the source's articles, when ``count`` is of a query's matches.
    total: int | None = None

    @property
    def share(self) -> float | None:
        return self.count / self.total if self.total else None


@dataclass
class IndexStats:
    articles: int
    undated: int
    dated_by_metadata: int
    dated_by_inference: int
    first_date: str | None
    last_date: str | None
    sources: dict[str, int]


# -- ingest ------------------------------------------------------------------------


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
    #: Inputs tried: files found, plus paths and folders that could not be walked.
    files: int = 0
    #: Inputs of which nothing at all could be read.
    failed: int = 0

    @property
    def nothing_done(self) -> bool:
        """True when not a single input could be read (the run as a whole failed)."""
        return self.files > 0 and self.failed == self.files


# -- analysis ----------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodCount:
    """Matching articles in one period, against all articles of that period."""

    period: str
    count: int
    total: int
    #: Articles dated only to a coarser period than the one asked for (a month's
    #: articles under --by day): counted apart, never spread over fake days.
    coarser: bool = False

    @property
    def share(self) -> float | None:
        return self.count / self.total if self.total else None


@dataclass(frozen=True)
class TermScore:
    term: str
    stem: str
    score: float
    count: int


@dataclass(frozen=True)
class KwicLine:
    id: str
    date: str | None
    date_inferred: bool
    source: str | None
    left: str
    match: str
    right: str


@dataclass
class Citation:
    """An agency or outlet and the number of articles that name it."""

    cited: str
    count: int


# -- relations ---------------------------------------------------------------------


@dataclass
class Cluster:
    """Articles that are near-copies of one another."""

    #: Earliest first: by the start of the date period, undated last, then by id.
    ids: list[str]
    #: The lowest estimated Jaccard similarity (of word 5-gram shingles) between any
    #: two members. Clusters grow by chains of similar pairs, so this can be below the
    #: threshold when A is like B and B like C but A less like C.
    similarity: float
    #: The members themselves, in the order of ``ids``.
    articles: list[StoredArticle] = field(default_factory=list)


@dataclass
class Watch:
    name: str
    #: The query as the parser cleaned it.
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
