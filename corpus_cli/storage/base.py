"""The storage interface: what every backend offers, in the vocabulary of articles.

A backend keeps articles and answers questions about them; it never reads files,
dates articles or draws output. Services, commands and renderers are written
against these Protocols (and :mod:`corpus_cli.model`) only, so a backend slots in
beside Whoosh by implementing them and adding itself to
:func:`corpus_cli.storage.open_store`.

Queries arrive parsed (:class:`~corpus_cli.query.tree.Query`); a backend expands
them against its :class:`~corpus_cli.query.expand.Vocabulary` with the shared
functions of :mod:`corpus_cli.query.expand` and compiles the tree for its engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Protocol

from corpus_cli.model import (
    Article,
    FileState,
    Filters,
    Hit,
    IndexStats,
    SearchResult,
    SortOrder,
    SourceSummary,
    StoredArticle,
)
from corpus_cli.query.expand import Vocabulary
from corpus_cli.query.tree import Query
from corpus_cli.results import CheckReport, LostFile

__all__ = ["Batch", "Ledger", "Store", "Vocabulary"]


class Ledger(Protocol):
    """What is stored, as of one moment: the questions ingest asks before writing.

    A file whose records are kept as copies of other articles (see
    :meth:`Batch.add_copy`) is stored like any other: its state, its records and
    their sources are answered for the copies as for articles.

    A ledger takes no lock and writes nothing, so a run that finds every file
    unchanged leaves the store untouched and never waits for another ingest.
    """

    def has_file_stat(self, key: str, size: int, mtime_ns: int) -> bool:
        """True when articles of file ``key`` with exactly this size and mtime are stored."""
        ...

    def has_file_digest(self, key: str, digest: str) -> bool:
        """True when articles of this file with exactly these bytes are stored."""
        ...

    def articles_of_file(self, key: str) -> int:
        """How many stored records came from the file ``key``: articles and copies."""
        ...

    def file_sources(self, key: str) -> set[str]:
        """The sources of the stored articles of file ``key`` ("" for none), to tell
        whether ``ingest --source NAME`` would relabel them."""
        ...

    def content_owner(self, content_hash: str) -> tuple[str, str, str] | None:
        """(path, file key, id) of the stored article with this normalised text, if any."""
        ...

    def id_owner(self, article_id: str) -> str | None:
        """The file key of the stored article that has this id, if any."""
        ...

    def files(self) -> set[str]:
        """Keys of the files that have stored articles."""
        ...

    def prefetch(
        self, files: Iterable[str] = (), contents: Iterable[str] = (), ids: Iterable[str] = ()
    ) -> None:
        """A hint: the questions about these file keys, content hashes and ids come next.

        A store whose every question is a round trip to a server answers them all
        in one read now; the answers hold until the next call. An embedded store
        may do nothing.
        """
        ...

    def close(self) -> None: ...


class Batch(Ledger, Protocol):
    """One batch of changes, seen by readers all at once at :meth:`commit` or never.

    The ledger methods of a batch answer for the store as of the batch's start
    (taking the writer's lock), not for what the batch itself has added.
    """

    def add(
        self, article: Article, *, file: FileState, content_hash: str, prepared: object = None
    ) -> None:
        """Add one article; ``prepared`` is what :meth:`Store.preparer`'s function made
        of it (in another process, perhaps), or None to do that work here."""
        ...

    def add_copy(self, owner_id: str, copy: Article, *, file: FileState, content_hash: str) -> None:
        """Record ``copy`` (a record of ``file`` with the text of article ``owner_id``,
        stored or added in this batch) as a copy of that article: listed with it, and
        its source matched by ``--source`` and ``source:`` as the article's own."""
        ...

    def delete_file(self, key: str) -> set[str]:
        """Remove every article and every copy that came from the file ``key``.

        The copies of the removed articles go with them: returns the keys of the
        other files that had such copies, which are then no longer stored.
        """
        ...

    def commit(self) -> None: ...

    def abort(self) -> None:
        """Drop the batch whole; what earlier batches committed stays."""
        ...


class Store(Protocol):
    """An open corpus: articles and the questions asked of them."""

    #: Where the store is, as the user named it (a folder, a URI): for messages.
    location: str

    # -- writing -------------------------------------------------------------------

    def ledger(self) -> Ledger:
        """A read-only snapshot for ingest's lookups; close it when done."""
        ...

    def begin(self) -> Batch:
        """Start a batch of changes; raises IndexLocked when another writer holds it."""
        ...

    def preparer(self) -> Callable[[Article], object] | None:
        """A module-level function doing this store's work on one article that needs
        no connection (analysis, say), for ingest to run in worker processes; None
        when the store has no such work. Its result goes to :meth:`Batch.add`."""
        ...

    def optimize(self) -> str:
        """Compact the store for the fastest searches; returns one sentence saying what it did."""
        ...

    # -- damage --------------------------------------------------------------------

    def check(self) -> CheckReport:
        """Every part verified (files against their checksums, every article read)."""
        ...

    def drop_damaged(self, remember: Callable[[list[LostFile]], None]) -> list[str]:
        """Drop what is damaged; returns one sentence per part dropped or fixed.

        ``remember`` is called, before anything changes, with the files whose
        articles go with the damage, for ``corpus repair`` to read them again.
        """
        ...

    # -- reading -------------------------------------------------------------------

    def search(
        self,
        query: Query,
        filters: Filters | None = None,
        sort: SortOrder = "relevance",
        limit: int | None = 10,
        offset: int = 0,
    ) -> SearchResult:
        """The matching articles, best first (or by date); ``total`` counts them all."""
        ...

    def count(self, query: Query | None, filters: Filters | None = None) -> int:
        """How many articles the query (or, with None, the filters alone) matches."""
        ...

    def get(self, article_id: str) -> StoredArticle:
        """One article by id; raises ArticleNotFound."""
        ...

    def list_articles(
        self, filters: Filters | None = None, sort: SortOrder = "date"
    ) -> list[StoredArticle]:
        """Every article the filters let through, by date (undated last either way)."""
        ...

    def iter_articles(self) -> Iterator[StoredArticle]:
        """Every article, in no particular order, read one at a time."""
        ...

    def vocabulary(self) -> AbstractContextManager[Vocabulary]:
        """The indexed words, for fuzzy and wildcard expansion and did-you-mean."""
        ...

    # -- counting ------------------------------------------------------------------

    def date_counts(self, query: Query | None, filters: Filters | None = None) -> dict[str, int]:
        """Matching articles per date as written (``2023``, ``2023-04``, ``2023-04-19``).

        Undated articles are left out.
        """
        ...

    def source_summaries(
        self, query: Query | None = None, filters: Filters | None = None
    ) -> list[SourceSummary]:
        """Each source with its (matching) article count and date span, most first.

        With a query, ``total`` is all of that source's articles within the filters.
        """
        ...

    def cite_counts(self, query: Query | None, filters: Filters | None = None) -> dict[str, int]:
        """Matching articles per outlet they name (recorded at ingest), in lower case."""
        ...

    def stats(self) -> IndexStats: ...

    def term_frequencies(self, stems: Iterable[str]) -> tuple[dict[str, int], int]:
        """Occurrences of each stem in all articles' text, and all words of that text."""
        ...

    def more_like(
        self, article_id: str, limit: int = 10, numterms: int = 25, filters: Filters | None = None
    ) -> list[Hit]:
        """The articles sharing most of one article's key terms, itself excluded.

        Raises ArticleNotFound for an unknown id.
        """
        ...

    # -- documents kept beside the articles (saved watches) ------------------------

    def read_document(self, name: str) -> str | None:
        """A small named text kept with the corpus (None when there is none yet)."""
        ...

    def write_document(self, name: str, text: str) -> None:
        """Replace a named text whole: an interrupted write leaves the old one."""
        ...

    def describe_document(self, name: str) -> str:
        """Where the named text lives, for messages (a path, a table)."""
        ...

    def close(self) -> None: ...
