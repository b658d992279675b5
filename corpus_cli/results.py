"""What the services hand back: reports of ingest, counts, concordances, clusters, watches.

Plain dataclasses like those of :mod:`corpus_cli.model`, kept apart from them so
that a search, which needs none of these, does not pay for creating their classes
(each class costs start-up time; see :class:`corpus_cli.model.Record`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corpus_cli.model import Filters, FrozenRecord, Hit, QueryTerms, Record, StoredArticle

# -- ingest ------------------------------------------------------------------------


@dataclass(eq=False, repr=False)
class Duplicate(Record):
    path: str
    duplicate_of: str


@dataclass(eq=False, repr=False)
class Skipped(Record):
    path: str
    reason: str


@dataclass(eq=False, repr=False)
class IngestReport(Record):
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    #: Articles of unchanged files whose source ``ingest --source NAME`` changed.
    relabelled: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    #: Hidden files and folders (a name starting with "."), left out unread.
    hidden: list[str] = field(default_factory=list)
    #: Inputs tried: files found, plus paths and folders that could not be walked.
    files: int = 0
    #: Inputs of which nothing at all could be read.
    failed: int = 0

    @property
    def nothing_done(self) -> bool:
        """True when not a single input could be read (the run as a whole failed)."""
        return self.files > 0 and self.failed == self.files


# -- analysis ----------------------------------------------------------------------


@dataclass(eq=False, repr=False)
class PeriodCount(FrozenRecord):
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


@dataclass(eq=False, repr=False)
class TermScore(FrozenRecord):
    term: str
    stem: str
    score: float
    count: int


@dataclass(eq=False, repr=False)
class KwicLine(FrozenRecord):
    id: str
    date: str | None
    date_inferred: bool
    source: str | None
    left: str
    match: str
    right: str


@dataclass(eq=False, repr=False)
class Citation(Record):
    """An agency or outlet and the number of articles that name it."""

    cited: str
    count: int


# -- relations ---------------------------------------------------------------------


@dataclass(eq=False, repr=False)
class Cluster(Record):
    """Articles that are near-copies of one another."""

    #: Earliest first: by the start of the date period, undated last, then by id.
    ids: list[str]
    #: The lowest estimated Jaccard similarity (of word 5-gram shingles) between any
    #: two members. Clusters grow by chains of similar pairs, so this can be below the
    #: threshold when A is like B and B like C but A less like C.
    similarity: float
    #: The members themselves, in the order of ``ids``.
    articles: list[StoredArticle] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class Watch(Record):
    name: str
    #: The query as the parser cleaned it.
    query: str
    filters: Filters = field(default_factory=Filters)
    #: ISO 8601 local time with its UTC offset, to the second.
    created: str = ""
    last_run: str | None = None
    #: Ids of the articles already shown, in the order they were first shown.
    seen: list[str] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class WatchResult(Record):
    watch: Watch
    #: Hits not shown by an earlier run: oldest first (undated last, then by id), each
    #: with its relevance score for the query.
    new: list[Hit]
    #: All the articles the query matches now, new or not.
    total: int
    #: What the query matched, for highlighting the new hits.
    terms: QueryTerms = field(default_factory=QueryTerms)
    #: How many hits are new in all (``new`` holds the first of them under --limit).
    unshown: int | None = None

    @property
    def new_total(self) -> int:
        return len(self.new) if self.unshown is None else self.unshown


# -- check and repair --------------------------------------------------------------


@dataclass(eq=False, repr=False)
class CheckReport(Record):
    """What ``corpus check`` found: each problem and note is one sentence."""

    location: str
    articles: int = 0
    #: Parts looked at: segments of a Whoosh index, tables of a database.
    parts: int = 0
    #: What a part is called ("segment", "table"), for the report.
    part: str = "segment"
    #: Files whose size and checksum were compared with the record of the last commit.
    files: int = 0
    problems: list[str] = field(default_factory=list)
    #: Worth knowing, not damage: an index older than checksums, leftover files.
    notes: list[str] = field(default_factory=list)

    @property
    def damaged(self) -> bool:
        return bool(self.problems)


@dataclass(eq=False, repr=False)
class LostFile(Record):
    """A file whose articles a repair dropped, to be read again."""

    key: str
    #: The path as it was typed at ingest (the articles' ``path``).
    path: str
    #: The source its articles fell back to when their records named none.
    source: str


@dataclass(eq=False, repr=False)
class RepairReport(Record):
    location: str
    #: One sentence per part dropped or fixed.
    dropped: list[str] = field(default_factory=list)
    #: Files read again, and the articles their ingest added.
    reread: int = 0
    restored: int = 0
    #: Files whose articles were lost with the damage and that no longer exist.
    gone: list[str] = field(default_factory=list)
    ingest: IngestReport | None = None
