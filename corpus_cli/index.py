"""The article index: everything that touches Whoosh's storage lives here.

Its public face is small (open, add/replace/delete through :class:`IndexWriter`,
search, list, get, stats) so that another backend can stand beside it later.
"""

from __future__ import annotations

import calendar
import datetime
import os
import re
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus_cli.errors import (
    ArticleNotFound,
    IndexLocked,
    IndexNotFound,
    IndexUnreadable,
    UsageError,
)
from corpus_cli.query import Filters, QueryTerms, SortOrder

if TYPE_CHECKING:
    # Types only: importing the readers would compile the date patterns in
    # every search process, which never reads a file.
    from corpus_cli.articles import Article
    from corpus_cli.dates import DateInfo

INDEX_NAME = "corpus"
#: Bumped when the schema changes in a way older indexes cannot serve.
SCHEMA_VERSION = 6
_NO_DATE_LOW = 0
_NO_DATE_HIGH = 99_999_999


@dataclass
class StoredArticle:
    """An article as the index returns it."""

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


@dataclass
class Hit:
    article: StoredArticle
    #: BM25F relevance; None when hits were sorted by date (Whoosh then scores none).
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


def schema() -> Any:
    from whoosh import columns, fields

    from corpus_cli.analysis import ItalianAnalyzer

    stemmed = ItalianAnalyzer(stemmed=True)
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        # Where the article came from: the absolute file key identifies it across
        # runs from other working folders; ``path`` is what the user typed.
        file=fields.ID(stored=True),
        file_stat=fields.ID(),
        file_hash=fields.ID(),
        content=fields.ID(stored=True),
        path=fields.STORED(),
        title=fields.TEXT(analyzer=stemmed, stored=True, field_boost=2.0),
        text=fields.TEXT(analyzer=stemmed, stored=True),
        # Surface words, unstemmed, for wildcards and fuzzy terms. ``exact`` is fed
        # the very string ``text`` is, so the analyser's memo spares a second pass.
        exact=fields.TEXT(analyzer=ItalianAnalyzer(stemmed=False), phrase=False),
        title_exact=fields.TEXT(analyzer=ItalianAnalyzer(stemmed=False), phrase=False),
        source=fields.ID(),
        source_name=fields.ID(stored=True, sortable=True),
        url=fields.STORED(),
        date=fields.STORED(),
        date_precision=fields.STORED(),
        date_inferred=fields.STORED(),
        date_evidence=fields.STORED(),
        date_kind=fields.ID(),
        # Every year ("y2023") and month ("m2023-04") the date's period touches: a
        # bounded range filters on a few of these terms instead of two numeric
        # ranges, which Whoosh expands into dozens of terms over every article.
        date_periods=fields.KEYWORD(scorable=False),
        date_start=fields.NUMERIC(int, bits=32),
        date_end=fields.NUMERIC(int, bits=32),
        # Sort keys are columns only: indexing them as numeric terms cost eight
        # postings each per article and no query ever searches them.
        sort_asc=fields.COLUMN(columns.NumericColumn("I")),
        sort_desc=fields.COLUMN(columns.NumericColumn("I")),
        # The date as written ("2023-04", "2023-04-19"), as a column: counting by
        # period reads it for thousands of hits without unpickling stored text.
        date_value=fields.ID(sortable=True),
        extra=fields.STORED(),
        # The agencies and outlets the article names (citations.py), for --cites.
        cites=fields.KEYWORD(commas=True, lowercase=True, scorable=False),
    )


def _day_number(value: Any) -> int:
    return int(value.strftime("%Y%m%d"))


class CorpusIndex:
    """An open index folder."""

    def __init__(self, path: Path, ix: Any) -> None:
        self.path = path
        self._ix = ix

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> CorpusIndex:
        from whoosh import index

        _check_safe(path)
        try:
            exists = path.is_dir() and index.exists_in(str(path), indexname=INDEX_NAME)
        except Exception:
            raise IndexUnreadable(f"The index at {path} is damaged and cannot be opened.") from None
        if not exists:
            raise IndexNotFound(f"No index at {path}. Run 'corpus ingest PATH' first to build one.")
        try:
            ix = index.open_dir(str(path), indexname=INDEX_NAME)
        except Exception as error:
            raise IndexUnreadable(
                f"The index at {path} cannot be opened ({type(error).__name__})."
            ) from None
        if _schema_version(path) != SCHEMA_VERSION:
            raise IndexUnreadable(
                f"The index at {path} was built by an older version of corpus; "
                f"delete the folder and run 'corpus ingest' again to rebuild it."
            )
        return cls(path, ix)

    @classmethod
    def open_or_create(cls, path: Path) -> CorpusIndex:
        from whoosh import index

        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise IndexUnreadable(
                f"Cannot create the index folder {path} ({error.strerror})."
            ) from None
        try:
            if index.exists_in(str(path), indexname=INDEX_NAME):
                return cls.open(path)
        except IndexNotFound:
            pass
        except IndexUnreadable:
            raise
        except Exception:
            raise IndexUnreadable(f"The index at {path} is damaged and cannot be opened.") from None
        # A new index takes a folder of its own: it writes dozens of files there and
        # makes the folder private, which is no thing to do to someone's documents.
        # Hidden files (the repository's index/.gitignore) are no obstacle.
        if any(not entry.name.startswith(".") for entry in path.iterdir()):
            raise UsageError(
                f"{path} holds other files; give --index an empty or new folder for the index."
            )
        # Whoosh's table of contents is a pickle: keep the folder private.
        try:
            os.chmod(path, 0o700)
            ix = index.create_in(str(path), schema(), indexname=INDEX_NAME)
            (path / _VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n", encoding="ascii")
        except OSError as error:
            raise IndexUnreadable(f"Cannot write the index at {path} ({error.strerror}).") from None
        return cls(path, ix)

    # -- writing -------------------------------------------------------------------

    def _whoosh_writer(self) -> Any:
        from whoosh.index import LockError

        from corpus_cli.segments import BulkSegmentWriter

        try:
            # Separate segment files are read in place; a compound file is copied
            # whole into memory by every searcher that opens it.
            writer = BulkSegmentWriter(self._ix, compound=False)
        except LockError:
            raise IndexLocked(
                f"Another 'corpus ingest' is writing to {self.path}; "
                "run this again when it has finished."
            ) from None
        return writer

    @contextmanager
    def writer(self) -> Iterator[IndexWriter]:
        writer = IndexWriter(self, self._whoosh_writer())
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        else:
            writer.commit()

    def optimize(self) -> tuple[int, int]:
        """Merge all segments into one; returns the segment counts before and after."""
        before = len(self._ix._segments())
        self._whoosh_writer().commit(optimize=True)
        self._ix = self._ix.refresh()
        return before, len(self._ix._segments())

    def view(self) -> IndexView:
        """A read-only snapshot for ingest's lookups; close it when done."""
        return IndexView(self)

    # -- reading -------------------------------------------------------------------

    def search(
        self,
        text: str,
        filters: Filters | None = None,
        sort: SortOrder = "relevance",
        limit: int | None = 10,
    ) -> SearchResult:
        from corpus_cli.query import expand_fuzzy, parse, query_terms

        parsed = parse(text, self._ix.schema)
        with self._ix.searcher() as searcher:
            parsed = expand_fuzzy(parsed, searcher.reader()).normalize()
            # optimize=False: Whoosh would skip low-scoring blocks, then walk every
            # match again to count them (for a phrase, checking positions twice).
            # Scoring all as it counts is ~30% quicker for a phrase, ~20% for a term.
            collector = searcher.collector(
                limit=limit, optimize=False, filter=_filter_query(filters), **_sort_args(sort)
            )
            _count_every_match(collector)
            searcher.search_with_collector(parsed, collector)
            results = collector.results()
            scored = sort == "relevance"
            hits = [
                Hit(_stored(hit.fields()), float(hit.score or 0.0) if scored else None)
                for hit in results
            ]
            total = len(results)
            terms = query_terms(parsed, searcher.reader())
        return SearchResult(hits, total, terms)

    def list_articles(
        self, filters: Filters | None = None, sort: SortOrder = "date"
    ) -> list[StoredArticle]:
        from whoosh import query

        with self._ix.searcher() as searcher:
            results = searcher.search(
                query.Every(), filter=_filter_query(filters), limit=None, **_sort_args(sort)
            )
            return [_stored(hit.fields()) for hit in results]

    def get(self, article_id: str) -> StoredArticle:
        with self._ix.searcher() as searcher:
            fields = searcher.document(id=article_id)
        if fields is None:
            raise ArticleNotFound(f"No article with id '{article_id}' in the index.")
        return _stored(fields)

    def query_terms(self, text: str) -> QueryTerms:
        from corpus_cli.query import expand_fuzzy, parse, query_terms

        parsed = parse(text, self._ix.schema)
        with self._ix.searcher() as searcher:
            return query_terms(expand_fuzzy(parsed, searcher.reader()), searcher.reader())

    def date_values(self, text: str | None, filters: Filters | None = None) -> list[str | None]:
        """The date (as written, or None) of every article ``text`` matches, or of all."""
        with self._ix.searcher() as searcher:
            matches = self._matches(searcher, text, filters)
            if not matches:
                return []
            column = searcher.reader().column_reader("date_value", translate=True)
            return [column[n] or None for n in matches]

    def explain(self, text: str, filters: Filters | None = None) -> Explanation:
        from corpus_cli.analysis import fold, stem
        from corpus_cli.query import (
            SEARCHED_FIELDS,
            SURFACE_FIELDS,
            expand_fuzzy,
            parse,
            plain_words,
            query_terms,
        )

        parsed = parse(text, self._ix.schema)
        with self._ix.searcher() as searcher:
            expanded = expand_fuzzy(parsed, searcher.reader()).normalize()
            terms = query_terms(expanded, searcher.reader())
            total = len(searcher.search(expanded, filter=_filter_query(filters), limit=1))
        surface = set(SURFACE_FIELDS.values())
        fields = sorted({f for f, _ in _query_fields(parsed)} - surface | set(SEARCHED_FIELDS))
        words = [(w, fold(w), stem(fold(w))) for w in plain_words(text)]
        return Explanation(
            query=text,
            parsed=str(parsed),
            fields=fields,
            words=words,
            expansions=sorted(terms.folded),
            phrases=[list(p) for p in terms.phrases],
            total=total,
            suggestion=self.suggest(text) if total == 0 else None,
        )

    def cite_counts(self, text: str | None, filters: Filters | None = None) -> dict[str, int]:
        """Articles (among those ``text`` and ``filters`` match) per outlet they name.

        Read from the outlets recorded at ingest, so this agrees with ``--cites``.
        Keys are the outlets' names in lower case.
        """
        from whoosh import query

        counts: dict[str, int] = {}
        with self._ix.searcher() as searcher:
            matched = set(self._matches(searcher, text, filters))
            for raw in searcher.lexicon("cites"):
                name = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                term = query.Term("cites", name)
                count = sum(1 for n in searcher.docs_for_query(term) if n in matched)
                if count:
                    counts[name] = count
        return counts

    def term_frequencies(self, stems: Iterable[str]) -> tuple[dict[str, int], int]:
        """Occurrences of each stem in the whole index, and all words indexed."""
        with self._ix.searcher() as searcher:
            reader = searcher.reader()
            counts = {stem: int(reader.frequency("text", stem)) for stem in stems}
            return counts, int(reader.field_length("text"))

    def suggest(self, text: str) -> str | None:
        """The query with unknown words replaced by the index's nearest ones, if any."""
        from corpus_cli.analysis import fold
        from corpus_cli.query import plain_words

        changed = False
        out = text
        with self._ix.searcher() as searcher:
            reader = searcher.reader()
            corrector = searcher.corrector("exact")
            for word in plain_words(text):
                folded = fold(word)
                if reader.doc_frequency("exact", folded):
                    continue
                best = corrector.suggest(folded, limit=1, maxdist=2)
                if best:
                    out = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", best[0], out, count=1)
                    changed = True
        return out if changed else None

    def _matches(self, searcher: Any, text: str | None, filters: Filters | None) -> list[int]:
        from whoosh import query

        from corpus_cli.query import expand_fuzzy, parse

        if text is None:
            parsed = query.Every()
        else:
            parsed = expand_fuzzy(parse(text, self._ix.schema), searcher.reader()).normalize()
        results = searcher.search(parsed, filter=_filter_query(filters), limit=None, scored=False)
        return list(results.docs())

    def sources(
        self, text: str | None = None, filters: Filters | None = None
    ) -> list[SourceSummary]:
        """Each source with its article count and date span, most articles first.

        With a query, counts and spans are of the matching articles, and ``total`` is
        all of that source's articles (within the same filters).
        """
        found: dict[str, SourceSummary] = {}
        with self._ix.searcher() as searcher:
            matches = self._matches(searcher, text, filters)
            if not matches:
                return []  # Whoosh has no columns to read before the first article
            reader = searcher.reader()
            names = reader.column_reader("source_name", translate=True)
            dates = reader.column_reader("date_value", translate=True)
            for n in matches:
                name = names[n] or ""
                date = dates[n] or None
                entry = found.setdefault(name, SourceSummary(name, 0, None, None))
                entry.count += 1
                if date is not None:
                    if entry.first_date is None or date < entry.first_date:
                        entry.first_date = date
                    if entry.last_date is None or date > entry.last_date:
                        entry.last_date = date
            if text is not None:
                totals: dict[str, int] = {}
                for n in self._matches(searcher, None, filters):
                    totals[names[n] or ""] = totals.get(names[n] or "", 0) + 1
                for entry in found.values():
                    entry.total = totals.get(entry.source, 0)
        return sorted(found.values(), key=lambda e: (-e.count, e.source.lower()))

    def stats(self) -> IndexStats:
        from whoosh import query

        with self._ix.searcher() as searcher:

            def count(q: Any) -> int:
                return sum(1 for _ in searcher.docs_for_query(q))

            articles = searcher.doc_count()
            inferred = count(query.Term("date_kind", "inferred"))
            metadata = count(query.Term("date_kind", "metadata"))
            first_date, last_date = _date_span(searcher, query.Every())
        sources = {s.source: s.count for s in self.sources()}
        return IndexStats(
            articles=articles,
            undated=articles - inferred - metadata,
            dated_by_metadata=metadata,
            dated_by_inference=inferred,
            first_date=first_date,
            last_date=last_date,
            sources=dict(sorted(sources.items())),
        )

    # -- relations: similar articles, duplicates, citations (relations.py) --

    def iter_articles(self) -> Iterator[StoredArticle]:
        """Every article, unsorted (index order), read one at a time."""
        with self._ix.searcher() as searcher:
            for fields in searcher.all_stored_fields():
                yield _stored(fields)

    def more_like(
        self,
        article_id: str,
        limit: int = 10,
        numterms: int = 25,
        filters: Filters | None = None,
    ) -> list[Hit]:
        """The articles sharing most of ``article_id``'s key terms, itself excluded.

        Key terms are the ``numterms`` most distinctive stems of its title and text
        (Whoosh's Bo1 model over the text field); ``Hit.score`` is the BM25F score of
        their OR query. Raises ArticleNotFound for an unknown id.
        """
        with self._ix.searcher() as searcher:
            docnum = searcher.document_number(id=article_id)
            if docnum is None:
                raise ArticleNotFound(f"No article with id '{article_id}' in the index.")
            fields = searcher.stored_fields(docnum)
            text = "\n".join(part for part in (fields.get("title"), fields.get("text")) if part)
            if not text.strip():
                return []
            results = searcher.more_like(
                docnum,
                "text",
                text=text,
                top=limit,
                numterms=numterms,
                filter=_filter_query(filters),
            )
            return [Hit(_stored(hit.fields()), float(hit.score or 0.0)) for hit in results]


class IndexView:
    """What is indexed, as of one moment: the questions ingest asks before writing.

    Takes no lock and writes nothing, so a run that finds every file unchanged
    leaves the index untouched and never waits for another ingest.
    """

    def __init__(self, index: CorpusIndex) -> None:
        self._searcher = index._ix.searcher()

    def knows_file_state(self, state: str) -> bool:
        """True when a file with exactly this stat or hash signature is indexed."""
        field_name = "file_stat" if state.startswith("stat:") else "file_hash"
        return self._has_live(field_name, state)

    def _has_live(self, field_name: str, value: str) -> bool:
        # Not doc_frequency: it still counts deleted articles, so a file reverted
        # to an earlier version would match its deleted self and be skipped.
        from whoosh import query

        return any(True for _ in self._searcher.docs_for_query(query.Term(field_name, value)))

    def content_owner(self, content_hash: str) -> tuple[str, str] | None:
        """(path, file key) of the indexed article with this normalised text, if any."""
        fields = self._searcher.document(content=content_hash)
        if fields is None:
            return None
        return fields["path"], fields["file"]

    def id_owner(self, article_id: str) -> str | None:
        """The file key of the indexed article that has this id, if any."""
        fields = self._searcher.document(id=article_id)
        return None if fields is None else str(fields["file"])

    def files(self) -> set[str]:
        """Keys of the files that have live articles (the lexicon keeps deleted ones)."""
        keys = (
            f.decode("utf-8") if isinstance(f, bytes) else f for f in self._searcher.lexicon("file")
        )
        return {key for key in keys if self._has_live("file", key)}

    def articles_of_file(self, file_key: str) -> int:
        from whoosh import query

        return sum(1 for _ in self._searcher.docs_for_query(query.Term("file", file_key)))

    def close(self) -> None:
        self._searcher.close()


class IndexWriter(IndexView):
    """One batch of changes, committed together or not at all."""

    def __init__(self, index: CorpusIndex, writer: Any) -> None:
        super().__init__(index)
        self._writer = writer
        self._done = False

    def delete_file(self, file_key: str) -> None:
        self._writer.delete_by_term("file", file_key)

    def add(
        self, article: Article, *, file_key: str, states: tuple[str, str], content_hash: str
    ) -> None:
        from corpus_cli.citations import outlets_named

        date = article.date
        self._writer.add_document(
            id=article.id,
            file=file_key,
            file_stat=states[0],
            file_hash=states[1],
            content=content_hash,
            path=article.path,
            title=article.title or "",
            text=article.text,
            exact=article.text,
            title_exact=article.title or "",
            source=_fold_source(article.source),
            source_name=article.source or "",
            url=article.url,
            extra=article.extra,
            cites=",".join(sorted(outlets_named(_full_text(article.title, article.text)))),
            **_date_fields(date),
        )

    def commit(self) -> None:
        if not self._done:
            self._done = True
            self._searcher.close()
            self._writer.commit(mergetype=_merge_smallest)

    def cancel(self) -> None:
        if not self._done:
            self._done = True
            self._searcher.close()
            self._writer.cancel()


def _count_every_match(collector: Any) -> None:
    """Keep Whoosh's top-N collector from dropping matches it then fails to count.

    As the N-th best score rises, Whoosh "replaces" the query's matcher with one
    that leaves out whatever cannot reach it (a field's branch of an OR, say). The
    top N stay right, but the total it counts falls short: 21,619 of the 21,996
    articles on 30,000 bench articles, 72,956 of 73,330 on 100,000.
    """
    from whoosh.collectors import ScoredCollector

    while collector is not None:
        if isinstance(collector, ScoredCollector):
            collector.replace = 0
        collector = getattr(collector, "child", None)


def _query_fields(node: Any) -> list[tuple[str, Any]]:
    try:
        return list(node.iter_all_terms())
    except Exception:
        return []


#: Segments an index may reach before its smallest half is merged into one.
MAX_SEGMENTS = 48


def _merge_smallest(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: leave segments alone until there are many, then merge.

    Whoosh's own policy (MERGE_SMALL) rewrote an ever larger segment as an ingest
    went on: at 10,000 articles in batches of 500 it spent more time merging than
    indexing (394 s against 175 s without merges), while searches over 20
    segments were as fast as over 4. Merging the smaller half once there are
    MAX_SEGMENTS keeps each posting rewritten a bounded number of times.
    """
    from whoosh.reading import SegmentReader

    if len(segments) < MAX_SEGMENTS:
        return segments
    by_size = sorted(segments, key=lambda segment: segment.doc_count_all())
    half = len(by_size) // 2
    for segment in by_size[:half]:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return by_size[half:]


def _date_span(searcher: Any, within: Any) -> tuple[str | None, str | None]:
    """The first and last dates among the articles ``within`` matches (undated ignored)."""
    first = searcher.search(within, limit=1, sortedby="sort_asc")
    last = searcher.search(within, limit=1, sortedby="sort_desc", reverse=True)
    return (
        first[0].get("date") if len(first) else None,
        last[0].get("date") if len(last) else None,
    )


def _date_fields(date: DateInfo | None) -> dict[str, Any]:
    if date is None:
        return {
            "date": None,
            "date_precision": None,
            "date_inferred": False,
            "date_evidence": None,
            "date_kind": "none",
            # Written even when empty: Whoosh skips a segment's column when no
            # document of it has a value, which misaligns a multi-segment read.
            "date_value": "",
            "sort_asc": _NO_DATE_HIGH,
            "sort_desc": _NO_DATE_LOW,
        }
    start = _day_number(date.start)
    return {
        "date": date.value,
        "date_precision": date.precision,
        "date_inferred": date.inferred,
        "date_evidence": date.evidence,
        "date_kind": "inferred" if date.inferred else "metadata",
        "date_value": date.value,
        "date_periods": " ".join(_period_tokens(date.start, date.end)),
        "date_start": start,
        "date_end": _day_number(date.end),
        "sort_asc": start,
        "sort_desc": start,
    }


def _months(first: datetime.date, last: datetime.date) -> Iterator[tuple[int, int]]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _period_tokens(start: datetime.date, end: datetime.date) -> list[str]:
    years = [f"y{y}" for y in range(start.year, end.year + 1)]
    return years + [f"m{y}-{m:02d}" for y, m in _months(start, end)]


def _date_filter(date_from: datetime.date | None, date_to: datetime.date | None) -> list[Any]:
    """Queries for "the article's period overlaps [date_from, date_to]"."""
    from whoosh import query

    # Overlap, not containment: a 2022-12 article matches --from 2022-12-15.
    starts_in_time = query.NumericRange("date_start", None, _day_number(date_to or _LAST_DAY))
    ends_in_time = query.NumericRange("date_end", _day_number(date_from or _FIRST_DAY), None)
    if date_from is None or date_to is None:
        return [q for q, given in ((starts_in_time, date_to), (ends_in_time, date_from)) if given]
    # A bounded range: whole years and months are single terms; only a month the
    # range covers in part needs the day-level check.
    whole_years = {
        y
        for y in range(date_from.year, date_to.year + 1)
        if datetime.date(y, 1, 1) >= date_from and datetime.date(y, 12, 31) <= date_to
    }
    terms: list[Any] = [query.Term("date_periods", f"y{y}") for y in sorted(whole_years)]
    for y, m in _months(date_from, date_to):
        if y in whole_years:
            continue
        month = query.Term("date_periods", f"m{y}-{m:02d}")
        first = datetime.date(y, m, 1)
        last = datetime.date(y, m, calendar.monthrange(y, m)[1])
        if first >= date_from and last <= date_to:
            terms.append(month)
        else:
            terms.append(query.And([month, starts_in_time, ends_in_time]))
    return [terms[0] if len(terms) == 1 else query.Or(terms)]


_FIRST_DAY = datetime.date(1, 1, 1)
_LAST_DAY = datetime.date(9999, 12, 31)


def _full_text(title: str | None, text: str) -> str:
    return f"{title}\n{text}" if title else text


def _fold_source(source: str | None) -> str:
    from corpus_cli.analysis import fold

    return fold(" ".join((source or "").split()))


def _filter_query(filters: Filters | None) -> Any:
    from whoosh import query

    if filters is None:
        return None
    parts = _date_filter(filters.date_from, filters.date_to)
    if filters.source is not None:
        parts.append(query.Term("source", _fold_source(filters.source)))
    if filters.cites is not None:
        parts.append(query.Term("cites", filters.cites.lower()))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else query.And(parts)


def _sort_args(sort: SortOrder) -> dict[str, Any]:
    # Undated articles carry sentinel keys so that they come last both ways.
    if sort == "date":
        return {"sortedby": "sort_asc"}
    if sort == "-date":
        return {"sortedby": "sort_desc", "reverse": True}
    return {}


def _stored(fields: dict[str, Any]) -> StoredArticle:
    return StoredArticle(
        id=fields["id"],
        path=fields.get("path") or "",
        title=fields.get("title") or None,
        date=fields.get("date"),
        date_precision=fields.get("date_precision"),
        date_inferred=bool(fields.get("date_inferred")),
        date_evidence=fields.get("date_evidence"),
        source=fields.get("source_name") or None,
        url=fields.get("url"),
        text=fields.get("text") or "",
        extra=fields.get("extra") or {},
    )


_VERSION_FILE = "corpus-schema"


def _schema_version(path: Path) -> int | None:
    try:
        return int((path / _VERSION_FILE).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def _check_safe(path: Path) -> None:
    """Refuse index folders others could have written: their pickles can run code."""
    try:
        info = path.stat()
    except OSError:
        return
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise IndexUnreadable(
            f"The index at {path} belongs to another user; open only indexes you built."
        )
    if info.st_mode & stat.S_IWOTH:
        raise IndexUnreadable(
            f"The index at {path} is writable by other users; run 'chmod 700 {path}' "
            "if you trust its contents."
        )
