"""The PostgreSQL backend's store: a corpus in a database, named by a connection URI.

:class:`PostgresStore` implements :class:`corpus_cli.storage.base.Store`. Queries
arrive as trees; they are expanded against ``corpus_words`` (``query.expand``),
compiled to SQL (``compile.py``) and run here. Every driver error becomes one
plain sentence (``connection.py``).
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import psycopg2

from corpus_cli.errors import ArticleNotFound, IndexNotFound, IndexUnreadable
from corpus_cli.model import (
    Article,
    Copy,
    Filters,
    Hit,
    IndexStats,
    SearchResult,
    SortOrder,
    SourceSummary,
    StoredArticle,
)
from corpus_cli.query.dates import narrowed
from corpus_cli.query.expand import match_terms
from corpus_cli.query.languages import prepared
from corpus_cli.query.tree import Query
from corpus_cli.results import CheckReport, LostFile
from corpus_cli.storage.postgresql import ranking
from corpus_cli.storage.postgresql.compile import RANK_WEIGHTS, Compiled, compile_query
from corpus_cli.storage.postgresql.connection import INSUFFICIENT_PRIVILEGE, Server
from corpus_cli.storage.postgresql.filtering import filter_sql, order_by
from corpus_cli.storage.postgresql.schema import (
    SAME_ANALYSIS,
    SCHEMA_VERSION,
    WITHOUT_TIERS,
    WRITER_LOCK,
    create,
    extensions,
    stored_tiers,
    stored_version,
    tables_exist,
)
from corpus_cli.storage.postgresql.tiers import Tiers
from corpus_cli.storage.postgresql.vectors import quote
from corpus_cli.storage.postgresql.vocabulary import PostgresVocabulary
from corpus_cli.text.analysis import source_key
from corpus_cli.text.analysis import terms as analysed_terms
from corpus_cli.text.languages import DEFAULT_LANGUAGE

if TYPE_CHECKING:
    # Imported when ingest asks for them: a search never writes.
    from corpus_cli.storage.postgresql.writer import PostgresBatch, PostgresLedger, Statements

#: The columns a StoredArticle is made of, in the order :func:`_stored` reads them.
STORED = (
    "a.id, a.path, a.title, a.date_value, a.date_precision, a.date_inferred, "
    "a.date_evidence, a.source_name, a.url, a.body, a.extra, a.copies, a.language"
)
#: Rows fetched at a time by :meth:`PostgresStore.iter_articles`'s server-side cursor.
ITER_ROWS = 200


class PostgresStore:
    """An open corpus in one database (the tables of the current schema)."""

    def __init__(
        self,
        server: Server,
        connection: Any,
        installed: set[str],
        tiers: Tiers | None = None,
    ) -> None:
        self.location = server.location
        self._server = server
        self._connection = connection
        self._cursor = connection.cursor()
        self._statements: Statements | None = None
        self._writer: Any = None
        self._index_only = False
        self._fuzzystrmatch = "fuzzystrmatch" in installed
        #: The impact tiers of the vectors (None: a corpus made before them).
        self._tiers = tiers

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, uri: str) -> PostgresStore:
        server = Server(uri)
        connection = server.connect()
        try:
            with server.errors():
                cursor = connection.cursor()
                if not tables_exist(cursor):
                    raise IndexNotFound(
                        f"No corpus in {server.where}. Run 'corpus ingest PATH' first to build one."
                    )
                version = stored_version(cursor)
                if version not in (SCHEMA_VERSION, WITHOUT_TIERS):
                    # Version 1 indexed Snowball stems: its words would match other words;
                    # version 3, today's words in tables whose keys Citus cannot spread.
                    why = ""
                    if version is not None and version < SAME_ANALYSIS:
                        why = ", with another analysis of the words,"
                    elif version is not None and version < SCHEMA_VERSION:
                        why = ", with an older layout of its tables,"
                    raise IndexUnreadable(
                        f"The corpus in {server.where} has schema version {version}{why} and "
                        f"this corpus reads versions {WITHOUT_TIERS} and {SCHEMA_VERSION}; "
                        "ingest your files into a new database (or schema) to rebuild it."
                    )
                installed = extensions(cursor)
                tiers = stored_tiers(cursor)
        except BaseException:
            connection.close()
            raise
        return cls(server, connection, installed, tiers)

    @classmethod
    def open_or_create(cls, uri: str) -> PostgresStore:
        server = Server(uri)
        connection = server.connect()
        try:
            _create_if_missing(server, connection)
        finally:
            connection.close()
        return cls.open(uri)

    def close(self) -> None:
        for connection in (self._connection, self._writer):
            if connection is not None and not connection.closed:
                connection.close()

    # -- writing -------------------------------------------------------------------

    def _prepared(self) -> Statements:
        from corpus_cli.storage.postgresql.writer import Statements

        if self._statements is None:
            self._statements = Statements(self._cursor)
        return self._statements

    def preparer(self) -> Callable[[Article], object]:
        """The analysis of an article into its vector and word counts: the bulk of an
        ingest's work, which needs no connection and so can run in worker processes."""
        from corpus_cli.storage.postgresql.vectors import prepare

        if self._tiers is None:
            return prepare
        # A partial of a module's function: it goes to the reading processes by pickle.
        return functools.partial(prepare, tiers=self._tiers)

    def ledger(self) -> PostgresLedger:
        from corpus_cli.storage.postgresql.writer import PostgresLedger

        return PostgresLedger(self._prepared(), self._server)

    def begin(self) -> PostgresBatch:
        from corpus_cli.storage.postgresql.writer import PostgresBatch

        if self._writer is None or self._writer.closed:
            self._writer = self._server.connect()
            self._writer.autocommit = False
        return PostgresBatch.begin(self._writer, self._prepared(), self._server, tiers=self._tiers)

    def optimize(self) -> str:
        """VACUUM ANALYZE the corpus tables: folds the GIN index's pending entries into
        it, drops dead rows and refreshes the planner's statistics."""
        with self._server.errors(writing=True):
            for table in ("corpus_articles", "corpus_words", "corpus_stems"):
                self._cursor.execute(f"VACUUM (ANALYZE) {table}")
        return "Vacuumed and analysed the corpus tables (PostgreSQL has no segments to merge)."

    # -- damage --------------------------------------------------------------------

    def check(self) -> CheckReport:
        from corpus_cli.storage.postgresql import integrity

        with self._server.errors():
            report, _ = integrity.survey(self._cursor, self.location)
        # Every article read whole, as a command would read it.
        report.articles = sum(1 for _ in self.iter_articles())
        return report

    def drop_damaged(self, remember: Callable[[list[LostFile]], None]) -> list[str]:
        from corpus_cli.storage.postgresql import integrity
        from corpus_cli.storage.postgresql.schema import WRITER_LOCK

        connection = self._server.connect()
        try:
            with self._server.errors(writing=True):
                connection.autocommit = False
                cursor = connection.cursor()
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))
                _, lost = integrity.survey(cursor, self.location)
                remember(lost)
                done = []
                dropped = integrity.drop_dangling(cursor)
                if dropped:
                    done.append(f"Dropped {dropped} copies kept on articles that are gone.")
                if integrity.fix_totals(cursor):
                    done.append("Set the totals the ranking reads from the articles table.")
                connection.commit()
        finally:
            connection.close()
        return done

    # -- reading -------------------------------------------------------------------

    def _vocabulary(self) -> PostgresVocabulary:
        return PostgresVocabulary(self._cursor, self._fuzzystrmatch)

    @contextmanager
    def vocabulary(self) -> Iterator[PostgresVocabulary]:
        with self._server.errors():
            yield self._vocabulary()

    def _compiled(
        self, query: Query, ranked: bool = False, filters: Filters | None = None
    ) -> tuple[Compiled | None, Any, PostgresVocabulary]:
        vocabulary = self._vocabulary()
        expanded = prepared(query.root, vocabulary, filters.language if filters else None)
        compiled = compile_query(expanded, vocabulary, ranked, title_marks=self._tiers is not None)
        return compiled, expanded, vocabulary

    def _where(self, compiled: Compiled | None, filters: Filters | None) -> tuple[str, list[Any]]:
        # Beside words, the GIN index of the terms must choose the rows (filtering.py).
        words = compiled is not None and "a.terms @@" in compiled.where
        conditions, params = filter_sql(filters, indexed=not words)
        if compiled is not None:
            conditions.insert(0, compiled.where)
            params = compiled.params + params
        return " AND ".join(conditions) or "true", params

    def search(
        self,
        query: Query,
        filters: Filters | None = None,
        sort: SortOrder = "relevance",
        limit: int | None = 10,
        offset: int = 0,
    ) -> SearchResult:
        filters = narrowed(filters or Filters(), query)  # the query's own date: clauses
        with self._server.errors():
            scored = sort == "relevance"
            compiled, expanded, vocabulary = self._compiled(query, scored, filters)
            terms = match_terms(expanded, vocabulary)
            if compiled is None:
                return SearchResult([], 0, terms)
            where, params = self._where(compiled, filters)
            if scored:
                hits, total = self._ranked(compiled, where, params, limit, offset)
                return SearchResult(hits, total, terms)
            # One query reads the stored fields of the page's rows: under Citus each
            # shard sends its top rows and the coordinator merges them. The total is
            # a count of its own (a window over every match is not pushed down to
            # shards), asked only when the page does not tell it.
            self._matching(
                f"SELECT {STORED} FROM corpus_articles a WHERE {where} "
                f"ORDER BY {order_by(sort)} LIMIT %s OFFSET %s",
                [*params, limit, offset],
                text=True,
            )
            rows = self._cursor.fetchall()
            if rows and (limit is None or len(rows) < limit):
                total = offset + len(rows)  # the last page: every match is on it or before
            elif not rows and not offset and limit != 0:
                total = 0
            else:
                total = self._count_where(where, params, text=True)
        return SearchResult([Hit(_stored(row), None) for row in rows], total, terms)

    def _ranked(
        self, compiled: Compiled, where: str, params: list[Any], limit: int | None, offset: int
    ) -> tuple[list[Hit], int]:
        """The page of hits by relevance, and the total: BM25F (``ranking.py``) of the
        matches that the impact tiers say can reach the page (``tiers.py``), else of
        ts_rank's best candidates (every match when all are asked for)."""
        total: int | None = None
        if limit and self._tiers is not None and ranking.tierable(compiled.scored):
            total = self._count_where(where, params, text=True)
            tiered = self._by_tiers(compiled, where, params, offset + limit, total)
            if tiered is not None:
                return self._page(tiered, offset, limit), total
        wanted = (
            None
            if limit is None
            else max(ranking.MIN_CANDIDATES, ranking.CANDIDATES * (offset + limit))
        )
        columns, column_params = ranking.candidate_columns(compiled.scored, compiled.sources)
        # A query of no words (``*``, sources) has a constant score: insertion order.
        order = order_by("relevance", compiled.score) if compiled.score_params else "a.seq"
        # What scores a candidate is asked of the candidates alone: in the SELECT list of
        # the query that ranks every match, each would be computed for every match.
        self._matching(
            f"SELECT {columns} FROM (SELECT a.file_key, a.seq, a.title_length, a.text_length, "
            f"a.terms, a.source_keys FROM corpus_articles a WHERE {where} "
            f"ORDER BY {order} LIMIT %s) a",
            [*column_params, *params, *compiled.score_params, wanted],
            text=True,
        )
        candidates = [ranking.candidate(row) for row in self._cursor.fetchall()]
        if total is None:
            if wanted is None or len(candidates) < wanted:
                total = len(candidates)
            else:
                total = self._count_where(where, params, text=True)
        scores = ranking.relevance(self._cursor, candidates, compiled.scored, compiled.sources)
        candidates.sort(key=lambda c: (-scores[c.seq], c.seq))
        return self._page([(c, scores[c.seq]) for c in candidates], offset, limit), total

    def _by_tiers(
        self, compiled: Compiled, where: str, params: list[Any], wanted: int, total: int
    ) -> list[tuple[ranking.Candidate, float]] | None:
        """The ``wanted`` best matches in order with their scores, read tier by tier
        (``tiers.py``) until no match outside can score as high as the last of them;
        None when that would mean ranking more than ``ranking.TIERED_CANDIDATES``
        matches, or ranking few (the query is :func:`ranking.tierable`)."""
        scored = compiled.scored
        if total <= ranking.MIN_CANDIDATES:
            return None  # few enough to rank them all
        scheme = self._tiers
        assert scheme is not None
        statistics = ranking.Statistics.of(
            self._cursor,
            sorted({x for leaf in scored if leaf.kind == "stems" for x in leaf.lexemes}),
            sorted({x for leaf in scored if leaf.kind == "words" for x in leaf.lexemes}),
        )
        columns, column_params = ranking.candidate_columns(scored, compiled.sources)
        if ranking.highest(statistics, scored, compiled.sources) <= ranking.FLOOR:
            # Nothing can score (boosts of 0): every match ties, in insertion order.
            self._matching(
                f"SELECT {columns} FROM corpus_articles a WHERE {where} ORDER BY a.seq LIMIT %s",
                [*column_params, *params, wanted],
                text=True,
            )
            first = [ranking.candidate(row) for row in self._cursor.fetchall()]
            scores = ranking.relevance(self._cursor, first, scored, compiled.sources, statistics)
            return [(c, scores[c.seq]) for c in first]
        titles = ranking.eager_titles(statistics, scored)
        last_tier = len(scheme.edges) - 1
        floor = ranking.outside(statistics, scored, compiled.sources, scheme, last_tier, titles)
        found: dict[int, tuple[ranking.Candidate, float]] = {}
        for tier in range(len(scheme.edges)):
            marks = ranking.tier_query(scored, tier, titles if tier == 0 else set())
            if not marks:
                continue  # a title scope and titles too common to take at once
            self._matching(
                f"SELECT {columns} FROM corpus_articles a "
                f"WHERE {where} AND a.terms @@ %s::tsquery LIMIT %s",
                [*column_params, *params, marks, ranking.TIERED_CANDIDATES + 1],
                text=True,
            )
            new = [ranking.candidate(row) for row in self._cursor.fetchall()]
            new = [c for c in new if c.seq not in found]
            if len(found) + len(new) > ranking.TIERED_CANDIDATES:
                return None
            scores = ranking.relevance(self._cursor, new, scored, compiled.sources, statistics)
            found.update((c.seq, (c, scores[c.seq])) for c in new)
            best = sorted(found.values(), key=lambda item: (-item[1], item[0].seq))
            if len(best) == total:
                return best
            bound = ranking.outside(statistics, scored, compiled.sources, scheme, tier, titles)
            if len(best) >= wanted:
                last = best[wanted - 1][1]
                if last > bound:
                    return best[:wanted]
                if last * ranking.HOPELESS < floor and len(best) >= 10 * wanted:
                    # Many candidates, and their best still far below what even the
                    # last tier leaves outside: the page's scores come from many
                    # middling matches (several common words, a phrase bonus), which
                    # no tier narrows down.
                    return None
        return None

    def _page(
        self, ranked: list[tuple[ranking.Candidate, float]], offset: int, limit: int | None
    ) -> list[Hit]:
        """The hits of a page of ranked candidates, with their stored fields."""
        page = ranked[offset:] if limit is None else ranked[offset : offset + limit]
        if not page:
            return []
        self._cursor.execute(
            f"SELECT a.seq, {STORED} FROM corpus_articles a WHERE {ranking.ROWS}",
            ranking.rows_params([(c.file_key, c.seq) for c, _ in page]),
        )
        found = {int(row[0]): _stored(row[1:]) for row in self._cursor.fetchall()}
        return [Hit(found[c.seq], score) for c, score in page]

    def _matching(self, sql: str, params: list[Any], text: bool) -> None:
        """Run a query over the articles; ``text`` when a query's terms select them.

        The planner does not know that testing ``terms @@ query`` on a row means
        decompressing its vector, and scans the whole table for a word in most
        articles: at 10,000 articles, 373 ms for one in three out of four, where the
        GIN index's bitmap took 163 ms. Text queries are run without sequential
        scans; the setting is changed in the same round trip, only when it changes.
        """
        if text != self._index_only:
            setting = "SET enable_seqscan = off; " if text else "RESET enable_seqscan; "
            sql = setting + sql
            self._index_only = text
        self._cursor.execute(sql, params)

    def _count_where(self, where: str, params: list[Any], text: bool) -> int:
        self._matching(f"SELECT count(*) FROM corpus_articles a WHERE {where}", params, text)
        return int(self._cursor.fetchone()[0])

    def count(self, query: Query | None, filters: Filters | None = None) -> int:
        filters = narrowed(filters or Filters(), query)
        with self._server.errors():
            compiled = None
            if query is not None:
                compiled = self._compiled(query, filters=filters)[0]
                if compiled is None:
                    return 0
            return self._count_where(*self._where(compiled, filters), text=compiled is not None)

    def get(self, article_id: str) -> StoredArticle:
        with self._server.errors():
            self._cursor.execute(
                f"SELECT {STORED} FROM corpus_articles a WHERE a.id = %s", (article_id,)
            )
            row = self._cursor.fetchone()
        if row is None:
            raise _no_article(article_id)
        return _stored(row)

    def list_articles(
        self, filters: Filters | None = None, sort: SortOrder = "date"
    ) -> list[StoredArticle]:
        where, params = self._where(None, filters)
        order = order_by(sort) if sort != "relevance" else "a.seq"
        with self._server.errors():
            self._matching(
                f"SELECT {STORED} FROM corpus_articles a WHERE {where} ORDER BY {order}",
                params,
                text=False,
            )
            return [_stored(row) for row in self._cursor.fetchall()]

    def iter_articles(self) -> Iterator[StoredArticle]:
        # A server-side cursor, in a transaction of its own connection: constant
        # memory however large the corpus, and the store's connection stays free.
        connection = self._server.connect()
        try:
            with self._server.errors():
                connection.autocommit = False
                cursor = connection.cursor(name="corpus_iter_articles")
                cursor.itersize = ITER_ROWS
                cursor.execute(f"SELECT {STORED} FROM corpus_articles a")
                for row in cursor:
                    yield _stored(row)
        finally:
            connection.close()

    # -- counting ------------------------------------------------------------------

    def _grouped(
        self, select: str, query: Query | None, filters: Filters | None, extra: str = ""
    ) -> list[tuple[Any, ...]]:
        compiled = None
        if query is not None:
            compiled = self._compiled(query, filters=filters)[0]
            if compiled is None:
                return []
        where, params = self._where(compiled, filters)
        self._matching(f"{select} WHERE {where}{extra} GROUP BY 1", params, compiled is not None)
        return list(self._cursor.fetchall())

    def date_counts(self, query: Query | None, filters: Filters | None = None) -> dict[str, int]:
        filters = narrowed(filters or Filters(), query)
        with self._server.errors():
            rows = self._grouped(
                "SELECT a.date_value, count(*) FROM corpus_articles a",
                query,
                filters,
                " AND a.date_value IS NOT NULL",
            )
        return {str(value): int(n) for value, n in rows}

    def source_summaries(
        self, query: Query | None = None, filters: Filters | None = None
    ) -> list[SourceSummary]:
        filters = narrowed(filters or Filters(), query)
        with self._server.errors():
            rows = self._credited(query, filters)
            found = [SourceSummary(str(s), int(n), first, last) for s, n, first, last in rows]
            if query is not None and found:
                totals = {s: n for s, n, _, _ in self._credited(None, filters)}
                for entry in found:
                    entry.total = int(totals.get(entry.source, 0))
        return sorted(found, key=lambda e: (-e.count, e.source.lower()))

    def _credited(self, query: Query | None, filters: Filters | None) -> list[tuple[Any, ...]]:
        """(source, articles, first date, last date) over the matches, each article
        counted once for its own source and once for each other source of its copies;
        with ``--source``, for that source alone."""
        compiled = None
        if query is not None:
            compiled = self._compiled(query, filters=filters)[0]
            if compiled is None:
                return []
        where, params = self._where(compiled, filters)
        only, wanted = "", []
        if filters is not None and filters.source is not None:
            only, wanted = "WHERE p.key = %s", [source_key(filters.source)]
        # A copy is stored beside its article (owner_key is the article's file_key):
        # the join and both halves of the union are per shard under Citus.
        self._matching(
            "SELECT p.name, count(DISTINCT p.seq), min(p.date), max(p.date) FROM ("
            "SELECT a.file_key, a.seq, coalesce(a.source_name, '') AS name, "
            f"a.source_key AS key, a.date_value AS date FROM corpus_articles a WHERE {where} "
            "UNION ALL SELECT a.file_key, a.seq, coalesce(c.source_name, ''), c.source_key, "
            "c.date_value FROM corpus_articles a JOIN corpus_copies c "
            f"ON c.owner_key = a.file_key AND c.owner_id = a.id WHERE {where}"
            f") AS p {only} GROUP BY 1",
            [*params, *params, *wanted],
            compiled is not None,
        )
        return list(self._cursor.fetchall())

    def cite_counts(self, query: Query | None, filters: Filters | None = None) -> dict[str, int]:
        filters = narrowed(filters or Filters(), query)
        with self._server.errors():
            rows = self._grouped(
                "SELECT c.name, count(*) FROM corpus_articles a "
                "CROSS JOIN LATERAL unnest(a.cites) AS c(name)",
                query,
                filters,
            )
        return {str(name): int(n) for name, n in rows}

    def stats(self) -> IndexStats:
        with self._server.errors():
            cursor = self._cursor
            self._matching(
                "SELECT count(*), "
                "count(*) FILTER (WHERE a.date_value IS NOT NULL AND a.date_inferred), "
                "count(*) FILTER (WHERE a.date_value IS NOT NULL AND NOT a.date_inferred) "
                "FROM corpus_articles a",
                [],
                text=False,
            )
            articles, inferred, metadata = cursor.fetchone()
            ends = []
            for sort in ("date", "-date"):  # the first and the last date, as --sort lists them
                cursor.execute(
                    f"SELECT a.date_value FROM corpus_articles a ORDER BY {order_by(sort)} LIMIT 1"
                )
                row = cursor.fetchone()
                ends.append(row[0] if row else None)
            first_date, last_date = ends
            cursor.execute(
                "SELECT language, count(*) FROM corpus_articles GROUP BY language ORDER BY 1"
            )
            languages = {str(code): int(n) for code, n in cursor.fetchall()}
        sources = {s.source: s.count for s in self.source_summaries()}
        return IndexStats(
            articles=int(articles),
            undated=int(articles) - int(inferred) - int(metadata),
            dated_by_metadata=int(metadata),
            dated_by_inference=int(inferred),
            first_date=first_date,
            last_date=last_date,
            sources=dict(sorted(sources.items())),
            languages=languages,
        )

    def term_frequencies(self, stems: Iterable[str]) -> tuple[dict[str, int], int]:
        wanted = list(dict.fromkeys(stems))
        with self._server.errors():
            self._cursor.execute(
                "SELECT stem, text_count FROM corpus_stems WHERE stem = ANY(%s)", (wanted,)
            )
            found = {str(stem): int(n) for stem, n in self._cursor.fetchall()}
            self._cursor.execute("SELECT text_words FROM corpus_totals")
            total = int(self._cursor.fetchone()[0])
        return {stem: found.get(stem, 0) for stem in wanted}, total

    def more_like(
        self,
        article_id: str,
        limit: int = 10,
        numterms: int = 25,
        filters: Filters | None = None,
    ) -> list[Hit]:
        """Key terms are the ``numterms`` most distinctive stems of its title and text,
        chosen as the Whoosh backend chooses them (Bo1 over the texts' stem counts);
        ``Hit.score`` is the BM25F score of their OR query over the text (``ranking.py``)
        among the best candidates by ts_rank."""
        with self._server.errors():
            cursor = self._cursor
            cursor.execute(
                "SELECT a.seq, a.title, a.body FROM corpus_articles a WHERE a.id = %s",
                (article_id,),
            )
            row = cursor.fetchone()
            if row is None:
                raise _no_article(article_id)
            seq, title, body = row
            text = "\n".join(part for part in (title, body) if part)
            if not text.strip():
                return []
            key = dict(ranking.key_terms(cursor, Counter(analysed_terms(text)), numterms))
            if not key:
                return []
            tsquery = " | ".join(f"{quote(stem)}:D" for stem in key)
            where, params = self._where(None, filters)
            wanted = max(ranking.MIN_CANDIDATES, ranking.CANDIDATES * limit)
            cursor.execute(
                "SELECT a.file_key, a.seq FROM corpus_articles a "
                f"WHERE a.terms @@ %s::tsquery AND a.seq <> %s AND {where} "
                "ORDER BY ts_rank(%s, a.terms, %s::tsquery, 0) DESC, a.seq LIMIT %s",
                [tsquery, seq, *params, RANK_WEIGHTS, tsquery, wanted],
            )
            candidates = [(str(k), int(s)) for k, s in cursor.fetchall()]
            scores = ranking.text_bm25(cursor, candidates, key)
            best = sorted(candidates, key=lambda c: (-scores[c[1]], c[1]))[:limit]
            cursor.execute(
                f"SELECT a.seq, {STORED} FROM corpus_articles a WHERE {ranking.ROWS}",
                ranking.rows_params(best),
            )
            found = {int(r[0]): _stored(r[1:]) for r in cursor.fetchall()}
        return [Hit(found[s], scores[s]) for _, s in best]

    # -- documents kept beside the articles ----------------------------------------

    def describe_document(self, name: str) -> str:
        return f"the row '{name}' of table corpus_documents in {self._server.where}"

    def read_document(self, name: str) -> str | None:
        with self._server.errors():
            self._cursor.execute("SELECT body FROM corpus_documents WHERE name = %s", (name,))
            row = self._cursor.fetchone()
        return None if row is None else str(row[0])

    def write_document(self, name: str, text: str) -> None:
        # One statement in autocommit: the old text stays whole until it commits.
        with self._server.errors(writing=True):
            self._cursor.execute(
                "INSERT INTO corpus_documents (name, body) VALUES (%s, %s) "
                "ON CONFLICT (name) DO UPDATE SET body = EXCLUDED.body, updated = now()",
                (name, text.replace("\x00", "\ufffd")),
            )


def _create_if_missing(server: Server, connection: Any) -> None:
    """The corpus tables in an empty database, made under the writer's lock."""
    try:
        with server.errors(writing=True):
            cursor = connection.cursor()
            if tables_exist(cursor):
                return
            connection.autocommit = False
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))
            if tables_exist(cursor):
                connection.rollback()
                return
            try:
                missing = create(cursor)
            except psycopg2.Error as error:
                if getattr(error, "pgcode", None) == INSUFFICIENT_PRIVILEGE:
                    connection.rollback()
                    raise IndexUnreadable(
                        f"Role '{server.user}' may not create the corpus tables in "
                        f"{server.where}; ingest first as the database's owner, or a role "
                        "with CREATE on its schema."
                    ) from None
                raise
            connection.commit()
    except BaseException:
        if not connection.closed:
            connection.rollback()
        raise
    if missing:
        import logging

        names = ", ".join(missing)
        # With no logging set up, Python prints a warning's message alone on stderr.
        logging.getLogger(__name__).warning(
            "corpus: note: %s could not be created in %s (a superuser can run "
            "CREATE EXTENSION); fuzzy terms, wildcards and did-you-mean work without, "
            "more slowly.",
            names,
            server.where,
        )


def _no_article(article_id: str) -> ArticleNotFound:
    return ArticleNotFound(f"No article with id '{article_id}' in the corpus.")


def _stored(row: tuple[Any, ...]) -> StoredArticle:
    return StoredArticle(
        id=row[0],
        path=row[1] or "",
        title=row[2] or None,
        date=row[3],
        date_precision=row[4],
        date_inferred=bool(row[5]),
        date_evidence=row[6],
        source=row[7] or None,
        url=row[8],
        text=row[9] or "",
        extra=json.loads(row[10]) if row[10] else {},
        copies=tuple(
            Copy(c["id"], c["path"], c["title"], c["date"], c["source"], c["url"])
            for c in json.loads(row[11] or "[]")
        ),
        language=row[12] or DEFAULT_LANGUAGE,
    )
