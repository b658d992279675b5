"""Ingest's side of a PostgreSQL corpus: the read-only ledger and batches of changes.

A batch is one transaction on the store's writing connection. ``begin()`` takes a
transaction-level advisory lock (:data:`~.schema.WRITER_LOCK`): a second ingest
waits for the first one's batch to commit instead of failing, then sees what it
committed (READ COMMITTED: every statement reads the latest commit), so two
ingests into one database both complete, with exact totals and no duplicates.
Readers take no lock and are never blocked. The lock and every uncommitted row go
with the transaction when its client dies (``kill -9``) or the server goes away.

Articles are analysed once, in :meth:`PostgresBatch.add`, and sent with COPY every
:data:`FLUSH_ROWS` articles; the word and stem counts of the batch are summed here
and written at :meth:`PostgresBatch.commit`, in the same transaction.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import threading
from collections import Counter
from collections.abc import Iterable
from types import TracebackType
from typing import Any, ClassVar

import psycopg2

from corpus_cli.errors import IndexUnreadable
from corpus_cli.model import Article, FileState
from corpus_cli.storage.postgresql.connection import Server
from corpus_cli.storage.postgresql.schema import WRITER_LOCK
from corpus_cli.storage.postgresql.tiers import Tiers
from corpus_cli.storage.postgresql.vectors import Terms, article_terms

#: Articles analysed before they are sent to the server in one COPY.
FLUSH_ROWS = 250
#: The GIN index of the terms takes new rows into its pending list and merges the
#: list into its tree once it outgrows this (kB); the server's default, 4 MB, is a few
#: hundred articles, and merging a larger list less often cost the server less CPU
#: here (bench/README.md). Set for the ingest's transactions only: searches scan the
#: pending list, and autovacuum or ``corpus optimize`` merge what is left of it.
GIN_PENDING_KB = 16 * 1024
#: Memory for that merge (kB), also for the ingest's transactions alone.
GIN_MERGE_KB = 64 * 1024
COLUMNS = (
    "id, file_key, file_size, file_mtime_ns, file_digest, content_hash, path, title, body, "
    "source_name, source_key, source_keys, url, extra, date_value, date_precision, date_inferred, "
    "date_evidence, date_start, date_end, cites, language, title_length, text_length, terms"
)


#: The columns of corpus_copies that :meth:`PostgresBatch.add_copy` fills.
COPY_COLUMNS = (
    "owner_key, owner_id, id, file_key, file_size, file_mtime_ns, file_digest, content_hash, path, "
    "title, source_name, source_key, url, date_value"
)


def copy_value(value: str | None) -> str:
    """A value in COPY's text format (NUL, which PostgreSQL text cannot hold, as U+FFFD)."""
    if value is None:
        return "\\N"
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    if "\t" in value:
        value = value.replace("\t", "\\t")
    if "\n" in value:
        value = value.replace("\n", "\\n")
    if "\r" in value:
        value = value.replace("\r", "\\r")
    if "\x00" in value:
        value = value.replace("\x00", "\ufffd")
    return value


def text_array(values: tuple[str, ...] | list[str]) -> str:
    """A ``text[]`` literal."""
    quoted = ('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "{" + ",".join(quoted) + "}"


def _numbers(values: Iterable[int]) -> str:
    """An integer array literal: one parameter, not one per element, for the server to parse."""
    return "{" + ",".join(map(str, values)) + "}"


def cites_of(article: Article) -> list[str]:
    """The outlets an article names, as Whoosh's lower-cased KEYWORD field keeps them."""
    return sorted({c.strip().lower() for c in article.cites if c.strip()})


def records(select: str, where: str) -> str:
    """``select`` from every stored record of a file, article or copy, that matches
    ``where``: each half filtered by itself, so that under Citus the articles' half
    goes to the one shard of the file (the copies live beside their articles and
    their half asks every shard, one index lookup in each)."""
    return (
        f"SELECT {select} FROM corpus_articles WHERE {where} "
        f"UNION ALL SELECT {select} FROM corpus_copies WHERE {where}"
    )


_SOURCE = "coalesce(source_name, '') AS name"


class Statements:
    """The ledger's questions, prepared once per connection: ingest asks several for
    every file, and planning them again each time cost more than answering them."""

    QUESTIONS: ClassVar[dict[str, str]] = {
        "corpus_has_stat": (
            records("1", "file_key = $1 AND file_size = $2 AND file_mtime_ns = $3") + " LIMIT 1"
        ),
        "corpus_has_digest": records("1", "file_key = $1 AND file_digest = $2") + " LIMIT 1",
        "corpus_of_file": (
            f"SELECT coalesce(sum(n), 0) FROM ({records('count(*) AS n', 'file_key = $1')}) AS r"
        ),
        "corpus_file_sources": (
            "SELECT coalesce(array_agg(DISTINCT name), '{}') "
            f"FROM ({records(_SOURCE, 'file_key = $1')}) AS r"
        ),
        "corpus_content_owner": (
            "SELECT path, file_key, id FROM corpus_articles WHERE content_hash = $1 "
            "ORDER BY seq LIMIT 1"
        ),
        "corpus_id_owner": "SELECT file_key FROM corpus_articles WHERE id = $1",
    }

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self._prepared: set[str] = set()

    def one(self, name: str, params: tuple[Any, ...]) -> Any:
        cursor = self.cursor
        if name not in self._prepared:
            cursor.execute(f"PREPARE {name} AS {self.QUESTIONS[name]}")
            self._prepared.add(name)
        cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)
        return cursor.fetchone()


class PostgresLedger:
    """What is stored, as of each question (a :class:`~corpus_cli.storage.base.Ledger`).

    The questions go to the store's reading connection (autocommit, READ COMMITTED):
    each sees the last commit. A batch asks them there too, holding the writer's
    lock, so they answer for the store as of the batch's start.

    Each question is a round trip (~0.3 ms here, five for a new file): ingest
    :meth:`prefetch`-es the keys, hashes and ids of a few dozen files in three
    queries, and questions about those are answered from what came back.
    """

    def __init__(self, statements: Statements, server: Server, writing: bool = False) -> None:
        self._statements = statements
        self._server = server
        self._writing = writing
        # Prefetched answers, each for exactly the keys asked (absent: none stored).
        self._files: dict[str, list[tuple[int, int, str, int, list[str]]]] | None = None
        self._contents: dict[str, tuple[str, str, str]] | None = None
        self._ids: dict[str, str] | None = None
        self._asked: tuple[set[str], set[str], set[str]] = (set(), set(), set())

    def _one(self, name: str, params: tuple[Any, ...]) -> Any:
        with self._server.errors(self._writing):
            return self._statements.one(name, params)

    def prefetch(
        self, files: Iterable[str] = (), contents: Iterable[str] = (), ids: Iterable[str] = ()
    ) -> None:
        keys, hashes, names = set(files), set(contents), set(ids)
        self._asked = (keys, hashes, names)
        self._files = self._contents = self._ids = None
        with self._server.errors(self._writing):
            cursor = self._statements.cursor
            if keys:
                state = "file_key, file_size, file_mtime_ns, file_digest, source_name"
                cursor.execute(
                    "SELECT file_key, file_size, file_mtime_ns, file_digest, count(*), "
                    "array_agg(DISTINCT coalesce(source_name, '')) "
                    f"FROM ({records(state, 'file_key = ANY(%(keys)s::text[])')}) AS r "
                    "GROUP BY 1, 2, 3, 4",
                    {"keys": text_array(sorted(keys))},
                )
                self._files = {}
                for key, size, mtime, digest, count, names in cursor.fetchall():
                    self._files.setdefault(key, []).append((size, mtime, digest, count, names))
            if hashes:
                # The first stored article of each content, picked here (the last row
                # of a content is the one kept): DISTINCT ON is not one of the
                # queries Citus spreads over its shards.
                cursor.execute(
                    "SELECT content_hash, path, file_key, id FROM corpus_articles "
                    "WHERE content_hash = ANY(%s::text[]) ORDER BY seq DESC",
                    (text_array(sorted(hashes)),),
                )
                self._contents = {h: (str(p), str(k), str(i)) for h, p, k, i in cursor.fetchall()}
            if names:
                cursor.execute(
                    "SELECT id, file_key FROM corpus_articles WHERE id = ANY(%s::text[])",
                    (text_array(sorted(names)),),
                )
                self._ids = {str(i): str(k) for i, k in cursor.fetchall()}

    def _states(self, key: str) -> list[tuple[int, int, str, int, list[str]]] | None:
        """The prefetched states of file ``key``, or None when it was not prefetched."""
        if self._files is None or key not in self._asked[0]:
            return None
        return self._files.get(key, [])

    def has_file_stat(self, key: str, size: int, mtime_ns: int) -> bool:
        states = self._states(key)
        if states is not None:
            return any(s[0] == size and s[1] == mtime_ns for s in states)
        return self._one("corpus_has_stat", (key, size, mtime_ns)) is not None

    def has_file_digest(self, key: str, digest: str) -> bool:
        states = self._states(key)
        if states is not None:
            return any(s[2] == digest for s in states)
        return self._one("corpus_has_digest", (key, digest)) is not None

    def articles_of_file(self, key: str) -> int:
        states = self._states(key)
        if states is not None:
            return sum(s[3] for s in states)
        return int(self._one("corpus_of_file", (key,))[0])

    def file_sources(self, key: str) -> set[str]:
        states = self._states(key)
        if states is not None:
            return {str(name) for s in states for name in s[4]}
        return {str(name) for name in self._one("corpus_file_sources", (key,))[0]}

    def content_owner(self, content_hash: str) -> tuple[str, str, str] | None:
        if self._contents is not None and content_hash in self._asked[1]:
            return self._contents.get(content_hash)
        row = self._one("corpus_content_owner", (content_hash,))
        return None if row is None else (str(row[0]), str(row[1]), str(row[2]))

    def id_owner(self, article_id: str) -> str | None:
        if self._ids is not None and article_id in self._asked[2]:
            return self._ids.get(article_id)
        row = self._one("corpus_id_owner", (article_id,))
        return None if row is None else str(row[0])

    def files(self) -> set[str]:
        with self._server.errors(self._writing):
            cursor = self._statements.cursor
            cursor.execute(
                "SELECT file_key FROM corpus_articles UNION SELECT file_key FROM corpus_copies"
            )
            return {str(row[0]) for row in cursor.fetchall()}

    def close(self) -> None:
        """Nothing to release: a ledger asks its questions on the store's connection."""


class PostgresBatch(PostgresLedger):
    """One transaction holding the writer's lock; committed whole or rolled back.

    Its changes go to the store's writing connection; its ledger questions to the
    reading one, which sees the last commit before the lock and none of this batch's
    own rows or deletions (ingest keeps track of those itself).
    """

    def __init__(
        self,
        connection: Any,
        statements: Statements,
        server: Server,
        tiers: Tiers | None = None,
    ) -> None:
        super().__init__(statements, server, writing=True)
        self._connection = connection
        self._tiers = tiers
        self._cursor = connection.cursor()
        self._rows: list[str] = []
        # This batch's change to corpus_words (articles whose title and whose text have
        # each word, its occurrences in texts) and to corpus_stems (the same of each stem).
        self._title_docs: Counter[str] = Counter()
        self._text_docs: Counter[str] = Counter()
        self._text_count: Counter[str] = Counter()
        self._stem_title_docs: Counter[str] = Counter()
        self._stem_docs: Counter[str] = Counter()
        self._stem_count: Counter[str] = Counter()
        self._articles = 0
        self._title_words = 0
        self._text_words = 0
        self._languages: Counter[str] = Counter()
        self._sending: _Copy | None = None
        #: Copies to insert once the articles sent before them are in (rows of COPY_COLUMNS).
        self._copies: list[tuple[Any, ...]] = []
        self._done = False

    @classmethod
    def begin(
        cls,
        connection: Any,
        statements: Statements,
        server: Server,
        tiers: Tiers | None = None,
    ) -> PostgresBatch:
        """A batch; ``tiers``: the corpus's impact tiers (None: it has none)."""
        batch = cls(connection, statements, server, tiers)
        with server.errors(writing=True):
            cursor = batch._cursor
            cursor.execute(
                "SELECT current_setting('transaction_read_only') = 'on', "
                "has_table_privilege('corpus_articles', 'INSERT, UPDATE, DELETE') "
                "AND has_table_privilege('corpus_copies', 'INSERT, DELETE') "
                "AND has_table_privilege('corpus_words', 'INSERT, UPDATE, DELETE') "
                "AND has_table_privilege('corpus_stems', 'INSERT, UPDATE, DELETE') "
                "AND has_table_privilege('corpus_totals', 'UPDATE') "
                "AND has_table_privilege('corpus_languages', 'INSERT, UPDATE, DELETE')"
            )
            read_only, allowed = cursor.fetchone()
            if read_only or not allowed:
                connection.rollback()
                if read_only:
                    raise IndexUnreadable(
                        f"The {server.where} is read-only here (a standby, or a read-only "
                        "session); ingest into the primary."
                    )
                raise IndexUnreadable(
                    f"Role '{server.user}' may search the corpus in {server.where} but not "
                    "change it; ingest as its owner, or a role granted INSERT, UPDATE and "
                    "DELETE on its tables."
                )
            cursor.execute(
                "SELECT set_config('gin_pending_list_limit', %s, true), "
                "set_config('work_mem', %s, true)",
                (f"{GIN_PENDING_KB}kB", f"{GIN_MERGE_KB}kB"),
            )
            # Queue behind another ingest's batch rather than fail: it is released
            # when that transaction ends, however it ends.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))
        return batch

    # -- changes -------------------------------------------------------------------

    def add(
        self, article: Article, *, file: FileState, content_hash: str, prepared: object = None
    ) -> None:
        if isinstance(prepared, Terms):
            terms = prepared
        else:
            terms = article_terms(
                article.title, article.text, language=article.language, tiers=self._tiers
            )
        date = article.date
        fields = [
            article.id,
            file.key,
            str(file.size),
            str(file.mtime_ns),
            file.digest,
            content_hash,
            article.path,
            article.title,
            article.text,
            article.source or None,
            article.source_key,
            text_array([article.source_key]),
            article.url,
            json.dumps(article.extra, ensure_ascii=False, default=str),
            date.value if date else None,
            date.precision if date else None,
            "t" if date and date.inferred else "f",
            date.evidence if date else None,
            date.start.isoformat() if date else None,
            date.end.isoformat() if date else None,
            text_array(cites_of(article)),
            article.language,
            str(terms.title_length),
            str(terms.text_length),
            terms.vector,
        ]
        self._rows.append("\t".join(map(copy_value, fields)))
        self._count(terms, 1)
        self._languages[article.language] += 1
        if len(self._rows) >= FLUSH_ROWS:
            self._flush()

    def add_copy(self, owner_id: str, copy: Article, *, file: FileState, content_hash: str) -> None:
        self._copies.append(
            (
                owner_id,
                copy.id,
                file.key,
                file.size,
                file.mtime_ns,
                file.digest,
                content_hash,
                copy.path,
                copy.title,
                copy.source or None,
                copy.source_key,
                copy.url,
                copy.date.value if copy.date else None,
            )
        )

    def _flush_copies(self) -> None:
        """Insert the copies added so far, after the articles they may be copies of."""
        if not self._copies:
            return
        self._flush(wait=True)
        copies, self._copies = self._copies, []
        with self._server.errors(writing=True):
            cursor = self._cursor
            # A copy is stored under its article's file key (the distribution column
            # under Citus), read here: this batch's own articles are among them.
            cursor.execute(
                "SELECT id, file_key FROM corpus_articles WHERE id = ANY(%s::text[])",
                (text_array(sorted({c[0] for c in copies})),),
            )
            keys = {str(i): str(k) for i, k in cursor.fetchall()}
            # An owner that is gone leaves its copy dangling, as 'corpus check' reports.
            rows = [(keys.get(c[0], ""), *c) for c in copies]
            cursor.executemany(
                f"INSERT INTO corpus_copies ({COPY_COLUMNS}) "
                f"VALUES ({', '.join(['%s'] * len(rows[0]))})",
                rows,
            )
            self._refresh({(row[0], row[1]) for row in rows})

    def _refresh(self, owners: set[tuple[str, str]]) -> None:
        """Write the copies of these articles (file key, id) into their own rows
        (sources and JSON): one statement that each shard runs on its own rows."""
        if not owners:
            return
        self._cursor.execute(
            "UPDATE corpus_articles a SET "
            "source_keys = ARRAY[a.source_key] || coalesce(("
            "  SELECT array_agg(c.source_key ORDER BY c.seq) FROM corpus_copies c "
            "  WHERE c.owner_key = a.file_key AND c.owner_id = a.id), '{}'), "
            "copies = coalesce(("
            "  SELECT json_agg(json_build_object('id', c.id, 'path', c.path, "
            "  'title', c.title, 'date', c.date_value, 'source', c.source_name, "
            "  'url', c.url) ORDER BY c.seq)::text FROM corpus_copies c "
            "  WHERE c.owner_key = a.file_key AND c.owner_id = a.id), '[]') "
            "WHERE a.file_key = ANY(%s::text[]) AND a.id = ANY(%s::text[])",
            (
                text_array(sorted({key for key, _ in owners})),
                text_array(sorted({owner for _, owner in owners})),
            ),
        )

    def delete_file(self, key: str) -> set[str]:
        self._flush_copies()
        self._flush(wait=True)
        with self._server.errors(writing=True):
            cursor = self._cursor
            cursor.execute(
                "DELETE FROM corpus_copies WHERE file_key = %s RETURNING owner_key, owner_id",
                (key,),
            )
            owners = {(str(row[0]), str(row[1])) for row in cursor.fetchall()}
            cursor.execute(
                "DELETE FROM corpus_articles WHERE file_key = %s "
                "RETURNING id, title, body, language",
                (key,),
            )
            removed = cursor.fetchall()
            ids = [str(row[0]) for row in removed]
            orphans: set[str] = set()
            if ids:
                # The copies of the removed articles go with them.
                cursor.execute(
                    "DELETE FROM corpus_copies WHERE owner_key = %s "
                    "AND owner_id = ANY(%s::text[]) RETURNING file_key",
                    (key, text_array(ids)),
                )
                orphans = {str(row[0]) for row in cursor.fetchall()}
            self._refresh({owner for owner in owners if owner[0] != key})
        for _, title, body, language in removed:
            self._count(article_terms(title, body, with_vector=False, language=language), -1)
            self._languages[str(language)] -= 1
        orphans.discard(key)
        return orphans

    def _count(self, terms: Terms, sign: int) -> None:
        self._articles += sign
        self._title_words += sign * terms.title_length
        self._text_words += sign * terms.text_length
        # Counter.update counts in C; removals are rare enough for subtract().
        change = Counter.update if sign > 0 else Counter.subtract
        change(self._title_docs, set(terms.title_words))
        change(self._text_docs, set(terms.text_words))
        change(self._text_count, terms.text_words)
        change(self._stem_title_docs, set(terms.title_stems))
        change(self._stem_docs, set(terms.text_stems))
        change(self._stem_count, terms.text_stems)

    def _flush(self, wait: bool = False) -> None:
        """Send the analysed rows; the server stores them while the next are analysed."""
        self._wait()
        if self._rows:
            data = ("\n".join(self._rows) + "\n").encode("utf-8", "replace")
            self._rows = []
            self._sending = _Copy(self._cursor, data)
            self._sending.start()
        if wait:
            self._wait()

    def _wait(self) -> None:
        """Wait for the COPY in flight, if any; its error is raised here."""
        sending, self._sending = self._sending, None
        if sending is not None:
            sending.join()
            if sending.error is not None:
                with self._server.errors(writing=True):
                    raise sending.error

    def _write_counts(self) -> None:
        cursor = self._cursor
        title, text, count = self._title_docs, self._text_docs, self._text_count
        words = sorted(w for w in title.keys() | text.keys() if title[w] or text[w] or count[w])
        if words:
            cursor.execute(
                "INSERT INTO corpus_words AS w (word, title_docs, text_docs, text_count) "
                "SELECT * FROM unnest(%s::text[], %s::integer[], %s::integer[], %s::bigint[]) "
                "ON CONFLICT (word) DO UPDATE SET title_docs = w.title_docs + EXCLUDED.title_docs, "
                "text_docs = w.text_docs + EXCLUDED.text_docs, "
                "text_count = w.text_count + EXCLUDED.text_count",
                (
                    text_array(words),
                    _numbers(title[w] for w in words),
                    _numbers(text[w] for w in words),
                    _numbers(count[w] for w in words),
                ),
            )
            fewer = [w for w in words if title[w] < 0 or text[w] < 0]
            if fewer:
                cursor.execute(
                    "DELETE FROM corpus_words "
                    "WHERE word = ANY(%s::text[]) AND title_docs <= 0 AND text_docs <= 0",
                    (text_array(fewer),),
                )
        titles, docs, count = self._stem_title_docs, self._stem_docs, self._stem_count
        stems = sorted(s for s in titles.keys() | docs.keys() if titles[s] or docs[s] or count[s])
        if stems:
            cursor.execute(
                "INSERT INTO corpus_stems AS s (stem, title_docs, text_docs, text_count) "
                "SELECT * FROM unnest(%s::text[], %s::integer[], %s::integer[], %s::bigint[]) "
                "ON CONFLICT (stem) DO UPDATE SET title_docs = s.title_docs + EXCLUDED.title_docs, "
                "text_docs = s.text_docs + EXCLUDED.text_docs, "
                "text_count = s.text_count + EXCLUDED.text_count",
                (
                    text_array(stems),
                    _numbers(titles[s] for s in stems),
                    _numbers(docs[s] for s in stems),
                    _numbers(count[s] for s in stems),
                ),
            )
            fewer = [s for s in stems if titles[s] < 0 or docs[s] < 0]
            if fewer:
                cursor.execute(
                    "DELETE FROM corpus_stems "
                    "WHERE stem = ANY(%s::text[]) AND title_docs <= 0 AND text_docs <= 0",
                    (text_array(fewer),),
                )
        if self._articles or self._title_words or self._text_words:
            cursor.execute(
                "UPDATE corpus_totals SET articles = articles + %s, "
                "title_words = title_words + %s, text_words = text_words + %s",
                (self._articles, self._title_words, self._text_words),
            )
        languages = sorted(code for code, n in self._languages.items() if n)
        if languages:
            cursor.execute(
                "INSERT INTO corpus_languages AS l (language, articles) "
                "SELECT * FROM unnest(%s::text[], %s::bigint[]) "
                "ON CONFLICT (language) DO UPDATE SET articles = l.articles + EXCLUDED.articles",
                (text_array(languages), _numbers(self._languages[c] for c in languages)),
            )
            cursor.execute("DELETE FROM corpus_languages WHERE articles <= 0")

    # -- the end -------------------------------------------------------------------

    def commit(self) -> None:
        if self._done:
            return
        self._done = True
        try:
            self._flush_copies()
            self._flush(wait=True)
            with self._server.errors(writing=True):
                self._write_counts()
                self._connection.commit()
        except BaseException:
            self._rollback()
            raise

    def abort(self) -> None:
        if not self._done:
            self._done = True
            self._rollback()

    def _rollback(self) -> None:
        self._rows = []
        self._copies = []
        with contextlib.suppress(Exception):
            self._wait()
        # When the connection is gone, the server has rolled the transaction back.
        with contextlib.suppress(Exception):
            self._connection.rollback()


class _Copy(threading.Thread):
    """One COPY of analysed rows, on the batch's connection, beside the analysis.

    psycopg2 lets go of the GIL while it waits for the server, so the ingest goes on
    reading and analysing the next articles meanwhile (the server has a core of its
    own). One COPY is in flight at a time, and the connection is used by nothing else
    until it is done.
    """

    def __init__(self, cursor: Any, data: bytes) -> None:
        super().__init__(name="corpus-copy", daemon=True)
        self._cursor = cursor
        self._data = data
        self.error: BaseException | None = None

    def run(self) -> None:
        # When the server dies inside a COPY (a PANIC on a full disk), psycopg2 2.9
        # meets a second error while raising the first and prints it through
        # sys.excepthook (pq_raise's PyErr_Print): a traceback-like block before the
        # one sentence. The first error is raised here all the same.
        previous = sys.excepthook
        sys.excepthook = _quiet_driver(previous)
        try:
            self._cursor.copy_expert(
                f"COPY corpus_articles ({COLUMNS}) FROM STDIN", io.BytesIO(self._data), size=1 << 20
            )
        except BaseException as error:
            self.error = error
        finally:
            sys.excepthook = previous
            self._data = b""


def _quiet_driver(previous: Any) -> Any:
    """``previous``, but silent on the driver's errors and on those they caused."""

    def hook(
        kind: type[BaseException], value: BaseException, traceback: TracebackType | None
    ) -> None:
        if isinstance(value, psycopg2.Error) or isinstance(value.__cause__, psycopg2.Error):
            return
        previous(kind, value, traceback)

    return hook
