"""The plain data every layer shares: articles, hits, filters, reports and results.

Nothing here knows an engine, a file format or a terminal: these are dataclasses that
readers produce, stores keep and return, services compute and renderers print.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import FrozenInstanceError, dataclass, field, fields
from typing import Any, Literal

from corpus_cli.errors import BadDate

Precision = Literal["day", "month", "year"]
SortOrder = Literal["relevance", "date", "-date"]
Granularity = Literal["day", "week", "month", "year"]

#: The form of a date of each precision; compiled on first use, as only ingest
#: builds new dates.
_VALUE_FORMS = {
    "day": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
    "month": r"[0-9]{4}-[0-9]{2}",
    "year": r"[0-9]{4}",
}


class Record:
    """Base of the plain data classes: equality by value, a repr, and unhashable.

    Every subclass is a ``@dataclass(eq=False, repr=False)``. Dataclass would write
    these methods anew for each class when the module is imported, ~1 ms a class
    here, in every process; written once here, they cost nothing until called.
    """

    __slots__ = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Record)
            and type(other) is type(self)
            and other._values() == self._values()
        )

    def __repr__(self) -> str:
        values = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))  # type: ignore[arg-type]
        return f"{type(self).__name__}({values})"


class FrozenRecord(Record):
    """A :class:`Record` whose fields, once set, are never set again: a hashable value."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        if name in self.__dict__:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:
        return hash((type(self), self._values()))


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


@dataclass(eq=False, repr=False)
class DateInfo(FrozenRecord):
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
        form = _VALUE_FORMS.get(self.precision)
        if form is None or not re.fullmatch(form, self.value):
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


@dataclass(eq=False, repr=False)
class Article(Record):
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
    #: ISO 639-1 code: from the metadata, else detected, else the corpus default.
    language: str = "it"


@dataclass(eq=False, repr=False)
class FileState(FrozenRecord):
    """What a store remembers of the file an article came from, to skip it next time.

    ``key`` is the file's absolute path; a file whose size and mtime are unchanged
    is not opened again, and one whose bytes hash the same is not re-read.
    """

    key: str
    size: int
    mtime_ns: int
    digest: str


@dataclass(eq=False, repr=False)
class Copy(FrozenRecord):
    """Another publication of a stored article: a record whose text is the article's
    (case, spacing and punctuation aside), from another source, file or headline.

    It is kept on the first article ingest met rather than as an article of its own,
    so that a search finds the text once and still knows who else published it.
    """

    id: str
    path: str
    title: str | None
    #: As written (``2023-04-20``, ``2023-04``, ``2023``), or None when undated.
    date: str | None
    source: str | None
    url: str | None


@dataclass(eq=False, repr=False)
class StoredArticle(Record):
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
    #: Exact copies of this article found in other records, in the order ingest met them.
    copies: tuple[Copy, ...] = ()
    #: ISO 639-1 code of the language the article was analysed in.
    language: str = "it"

    @property
    def chronological_key(self) -> tuple[int, str, str]:
        """Sort key: the first day of the date's period, undated last, then the id."""
        if self.date is None:
            return (1, "", self.id)
        year, _, rest = self.date.partition("-")
        month, _, day = rest.partition("-")
        return (0, f"{year}-{month or '01'}-{day or '01'}", self.id)


@dataclass(eq=False, repr=False)
class Filters(FrozenRecord):
    """Restrictions that apply besides the query: a date range, a source, a cited outlet."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    source: str | None = None
    #: An agency or outlet the article names (its name as agencies.txt shows it).
    cites: str | None = None
    #: ISO 639-1 code: only articles in this language (``--lang``).
    language: str | None = None

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
            and self.language is None
        )

    def to_dict(self) -> dict[str, str | None]:
        """The filters as JSON-ready strings, keyed by their option names (``lang`` only
        when given, so that the rows and watches of before languages keep their keys)."""
        given: dict[str, str | None] = {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "source": self.source,
            "cites": self.cites,
        }
        if self.language is not None:
            given["lang"] = self.language
        return given

    def describe(self) -> str:
        """The filters as the options that set them (``--from 2023-01-01 --source X``)."""
        return " ".join(f"--{name} {value}" for name, value in self.to_dict().items() if value)


@dataclass(eq=False, repr=False)
class Window(FrozenRecord):
    """Which of a command's matches it shows: ``limit`` of them (None: all) from ``offset``.

    ``default_limit`` is true when the limit is the screen's default rather than the
    user's (the view then says how to see every match); ``page`` is the page number
    when ``--page`` chose the window, so that the view names the next page the same way.
    """

    offset: int = 0
    limit: int | None = None
    default_limit: bool = False
    page: int | None = None

    @property
    def paged(self) -> bool:
        """True when the window starts past the first match, or was asked as a page."""
        return self.offset > 0 or self.page is not None


@dataclass(eq=False, repr=False)
class QueryTerms(FrozenRecord):
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


@dataclass(eq=False, repr=False)
class Hit(Record):
    article: StoredArticle
    #: Relevance; None when hits were sorted by date (no backend scores them then).
    score: float | None


@dataclass(eq=False, repr=False)
class SearchResult(Record):
    hits: list[Hit]
    #: The number of matches, or with ``total_exact`` False a lower bound: a ranked
    #: search that skipped what could not reach its page counts only so far (the
    #: Whoosh backend past 10,000 matches). ``Store.count`` is always exact.
    total: int
    terms: QueryTerms
    total_exact: bool = True


@dataclass(eq=False, repr=False)
class Explanation(Record):
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
    #: What the query excludes (``-auto``, ``NOT auto``), each part as the tree reads it.
    excluded: list[str] = field(default_factory=list)
    #: The filters the matches were counted under: the options and the query's date:.
    filters: Filters = field(default_factory=Filters)
    #: Each plain word's stem (as ``words``) with the indexed words that have that stem,
    #: each with the articles whose text has it, most first: ``{stem: [(word, n), ...]}``.
    forms: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    #: What to tell the user besides (did-you-mean, a filter that emptied the result).
    hints: list[Hint] = field(default_factory=list)
    #: Each plain word's index terms in the index's languages other than Italian (or
    #: the one --lang names): ``{word: [(language, analysis, terms), ...]}``.
    languages: dict[str, list[tuple[str, str, list[str]]]] = field(default_factory=dict)


@dataclass(eq=False, repr=False)
class Suggestion(FrozenRecord):
    """The query with its misspelt (or rare, where a near spelling is common) words
    replaced by the nearest indexed ones: ``carabinieri modena`` for ``carabineri modena``."""

    text: str
    #: The articles ``text`` matches, under the same filters.
    total: int
    #: The typed words replaced although they are indexed: (word as typed, its articles).
    rare: tuple[tuple[str, int], ...] = ()


@dataclass(eq=False, repr=False)
class FilterHint(FrozenRecord):
    """No hits because of the filters: the query matches articles without some of them."""

    filters: Filters
    #: (``"dates"``, ``"source"``, ``"cites"``, or ``"filters"`` for all of them at
    #: once, articles the query matches without it), for each filter whose removal
    #: alone gives hits; ``"filters"`` only when no single one does.
    without: tuple[tuple[str, int], ...]


@dataclass(eq=False, repr=False)
class SourceHint(FrozenRecord):
    """A source named (``--source`` or ``source:``) that no article has."""

    typed: str
    #: True for ``--source``, False for ``source:`` in the query.
    option: bool
    #: The known sources most like it, each with its articles, best first (maybe none).
    closest: tuple[tuple[str, int], ...]


@dataclass(eq=False, repr=False)
class WordsApart(FrozenRecord):
    """No article has all the words of a query, though each is in some: the words (or
    phrases), as typed, each with the articles it is in alone, under the same filters."""

    words: tuple[tuple[str, int], ...]


Hint = Suggestion | FilterHint | SourceHint | WordsApart


@dataclass(eq=False, repr=False)
class SourceSummary(Record):
    source: str
    count: int
    first_date: str | None
    last_date: str | None
    #: All the source's articles, when ``count`` is of a query's matches.
    total: int | None = None

    @property
    def share(self) -> float | None:
        return self.count / self.total if self.total else None


@dataclass(eq=False, repr=False)
class IndexStats(Record):
    articles: int
    undated: int
    dated_by_metadata: int
    dated_by_inference: int
    first_date: str | None
    last_date: str | None
    sources: dict[str, int]
    #: Articles by language (ISO 639-1 code).
    languages: dict[str, int] = field(default_factory=dict)
