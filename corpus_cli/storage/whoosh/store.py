"""The Whoosh backend: an index folder on disk, the default store.

:class:`WhooshStore` implements :class:`corpus_cli.storage.base.Store`. Queries
arrive as trees; they are expanded against the index's vocabulary, compiled
(``compile.py``) and run here, and nothing of Whoosh leaves this package.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus_cli.errors import (
    ArticleNotFound,
    CorpusError,
    IndexDamaged,
    IndexLocked,
    IndexNotFound,
    IndexUnreadable,
    UsageError,
)
from corpus_cli.model import (
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
from corpus_cli.query.exact import exact_bonus
from corpus_cli.query.expand import match_terms
from corpus_cli.query.languages import prepared
from corpus_cli.query.tree import Query
from corpus_cli.storage.whoosh.failures import (
    cannot_write,
    guarded,
    shown_path,
    translated,
    vanished,
)
from corpus_cli.storage.whoosh.filtering import filter_query, sort_args
from corpus_cli.storage.whoosh.schema import (
    INDEX_NAME,
    SCHEMA_VERSION,
    VERSION_FILE,
    register_legacy_paths,
    schema,
    schema_version,
)
from corpus_cli.storage.whoosh.vocabulary import WhooshVocabulary
from corpus_cli.text.analysis import source_key
from corpus_cli.text.languages import DEFAULT_LANGUAGE

if TYPE_CHECKING:
    # Imported when ingest asks for them: a search never writes.
    from corpus_cli.results import CheckReport, LostFile
    from corpus_cli.storage.whoosh.postings import Preparer
    from corpus_cli.storage.whoosh.writer import WhooshBatch, WhooshLedger


class WhooshStore:
    """An open index folder."""

    def __init__(self, path: Path, ix: Any) -> None:
        self.path = path
        self.location = str(path)
        self._ix = ix

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> WhooshStore:
        """The index at ``path``, as its last commit left it.

        An ingest that commits while this opens the index removes the commit this
        had listed (its table of contents, merged segments): then this opens the new
        commit instead, rather than calling the index damaged.
        """
        from corpus_cli.storage.whoosh.damage import latest_toc

        for _attempt in range(_OPEN_ATTEMPTS - 1):
            try:
                listed = latest_toc(path) if path.is_dir() else None
            except OSError:
                break
            try:
                return cls._open(path)
            except IndexDamaged:
                with contextlib.suppress(OSError):
                    if latest_toc(path) != listed:
                        continue  # a commit landed meanwhile: open that one
                raise
        return cls._open(path)

    @classmethod
    def _open(cls, path: Path) -> WhooshStore:
        register_legacy_paths()
        from whoosh import index

        _check_safe(path)
        try:
            exists = path.is_dir() and index.exists_in(str(path), indexname=INDEX_NAME)
        except Exception:
            raise _damaged(path) from None
        if not exists:
            raise IndexNotFound(
                f"No index at {shown_path(path)}. Run 'corpus ingest PATH' first to build one, "
                "or name another with --index FOLDER."
            )
        version = schema_version(path)
        if version != SCHEMA_VERSION:
            raise IndexUnreadable(_rebuild_message(path, version))
        try:
            ix = index.open_dir(str(path), indexname=INDEX_NAME)
            toc = ix._read_toc()
        except Exception:
            raise IndexDamaged(
                f"The index at {shown_path(path)} is damaged (its table of contents cannot "
                f"be read); run '{_repair_command(path)}' to rebuild it from your files."
            ) from None
        store = cls(path, ix)
        from corpus_cli.storage.whoosh import integrity

        # Sizes only: a few stat calls. The sums are for 'corpus check'.
        ids = [segment.segment_id() for segment in toc.segments]
        toc_file = f"_{INDEX_NAME}_{toc.generation}.toc"
        problems = integrity.verify(path, toc.generation, ids, sums=False, toc=toc_file)
        if problems:
            raise store._named(problems[0].segment, problems[0].describe())
        return store

    @classmethod
    def open_or_create(cls, path: Path) -> WhooshStore:
        register_legacy_paths()
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
            raise _damaged(path) from None
        # A new index takes a folder of its own: it writes dozens of files there and
        # makes the folder private, which is no thing to do to someone's documents.
        # Hidden files (the repository's index/.gitignore) are no obstacle.
        # Nor is a version file alone: a creation cut short before Whoosh's files.
        if any(
            not entry.name.startswith(".") and entry.name != VERSION_FILE
            for entry in path.iterdir()
        ):
            raise UsageError(
                f"{path} holds other files; give --index an empty or new folder for the index."
            )
        # Whoosh's table of contents is a pickle: keep the folder private.
        try:
            os.chmod(path, 0o700)
            # The version first: a reader that finds the table of contents (another
            # command, while this ingest starts) must find the version with it.
            (path / VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n", encoding="ascii")
            ix = index.create_in(str(path), schema(), indexname=INDEX_NAME)
        except OSError as error:
            raise IndexUnreadable(f"Cannot write the index at {path} ({error.strerror}).") from None
        return cls(path, ix)

    def close(self) -> None:
        if self._ix is not None:
            self._ix.close()

    # -- damage --------------------------------------------------------------------

    def _named(self, segment: str | None, what: str) -> IndexDamaged:
        part = f"segment {segment}: {what}" if segment else what
        return IndexDamaged(
            f"The index at {shown_path(self.path)} is damaged ({part}); "
            f"run '{_repair_command(self.path)}' to rebuild that part from your files."
        )

    def _damage(self, error: Exception) -> CorpusError | None:
        """What a failed read means: the damaged part named, or None when nothing is."""
        from corpus_cli.storage.whoosh import damage

        if not self.path.is_dir():
            return vanished(self.path)

        try:
            found = damage.survey(self.path, deep=True)
        except Exception:
            return None
        if found.toc_error is not None:
            return self._named(None, f"its {found.toc_error}")
        for segment in found.segments:
            reason = found.damaged.get(segment.segment_id())
            if reason is not None:
                return self._named(segment.segment_id(), reason)
        if not found.checksums:
            return IndexDamaged(
                f"The index at {shown_path(self.path)} could not be read "
                f"({type(error).__name__}) and may be damaged; run 'corpus check' to find out."
            )
        return None

    def check(self) -> CheckReport:
        from corpus_cli.storage.whoosh import damage

        return damage.report(shown_path(self.path), damage.survey(self.path, deep=True))

    def drop_damaged(self, remember: Callable[[list[LostFile]], None]) -> list[str]:
        """Drop the damaged segments (see damage.py); ``remember`` hears what to read again."""
        from corpus_cli.storage.whoosh import damage

        try:
            dropped, self._ix = damage.drop(self.path, self._ix, remember)
        except OSError as error:
            failed = cannot_write(self.path, error)
            if failed is None:
                raise
            raise failed from None
        return dropped

    @classmethod
    def open_damaged(cls, path: Path) -> WhooshStore:
        """The store even when its table of contents cannot be read, for check and repair."""
        register_legacy_paths()
        from whoosh import index

        _check_safe(path)
        try:
            return cls.open(path)
        except IndexDamaged:
            pass
        try:
            ix = index.open_dir(str(path), indexname=INDEX_NAME)
            ix._read_toc()
        except Exception:
            ix = None
        return cls(path, ix)

    # -- writing -------------------------------------------------------------------

    def _whoosh_writer(self) -> Any:
        from whoosh.index import LockError

        from corpus_cli.storage.whoosh.segments import BulkSegmentWriter

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

    @guarded
    def preparer(self) -> Preparer:
        """An article's text fields as postings (postings.py), made where it is read:
        the writer, in the ingest's main process, then only gathers them. (The
        schema is read from the folder: a folder gone by now is said so.)"""
        from corpus_cli.storage.whoosh.postings import Preparer
        from corpus_cli.storage.whoosh.segments import text_fields

        return Preparer(text_fields(self._ix.schema))

    @guarded
    def ledger(self) -> WhooshLedger:
        from corpus_cli.storage.whoosh.writer import WhooshLedger

        return WhooshLedger(self._ix.searcher(), self)

    @guarded
    def begin(self) -> WhooshBatch:
        from corpus_cli.storage.whoosh.writer import WhooshBatch

        writer = self._whoosh_writer()
        # The batch's own lookups see the index as of taking the lock: another
        # ingest may have committed since any earlier snapshot.
        return WhooshBatch(self._ix.searcher(), writer, self)

    def optimize(self) -> str:
        """Merge all segments into one."""
        segments = self._ix._segments()
        before = len(segments)
        # A merge rewrites every live segment: that much room, give or take.
        with translated(self, needed=_size_of(self.path, segments)):
            self._whoosh_writer().commit(optimize=True)
        self._ix = self._ix.refresh()
        return f"{before} segments merged into {len(self._ix._segments())}."

    # -- reading -------------------------------------------------------------------

    @contextmanager
    def vocabulary(self) -> Iterator[WhooshVocabulary]:
        with self._ix.searcher() as searcher:
            yield WhooshVocabulary(searcher)

    def _compiled(
        self, searcher: Any, query: Query, ranked: bool = False, language: str | None = None
    ) -> tuple[Any, Any, WhooshVocabulary]:
        """(Whoosh query, expanded tree, vocabulary) for ``query`` on this searcher.

        ``ranked``: the query scores its hits, so the exact forms typed count too
        (:mod:`corpus_cli.query.exact`); they never change which articles match.
        """
        from corpus_cli.storage.whoosh.compile import compile_query

        vocabulary = WhooshVocabulary(searcher)
        expanded = prepared(query.root, vocabulary, language)
        compiled = compile_query(expanded)
        bonus = exact_bonus(expanded) if ranked else None
        if bonus is not None:
            from corpus_cli.storage.whoosh.queries import AndMaybe

            compiled = AndMaybe(compiled, compile_query(bonus))
        return compiled.normalize(), expanded, vocabulary

    @guarded
    def search(
        self,
        query: Query,
        filters: Filters | None = None,
        sort: SortOrder = "relevance",
        limit: int | None = 10,
        offset: int = 0,
    ) -> SearchResult:
        with self._ix.searcher() as searcher:
            compiled, expanded, vocabulary = self._compiled(
                searcher, query, sort == "relevance", filters.language if filters else None
            )
            # The query's own date: clauses, ANDed with the filters.
            narrowing = filter_query(narrowed(filters or Filters(), query))
            wanted = None if limit is None else offset + limit
            if sort == "relevance" and not searcher.weighting.use_final:
                from corpus_cli.storage.whoosh.topk import top_hits

                allowed = None if narrowing is None else set(searcher.docs_for_query(narrowing))
                found = top_hits(searcher, compiled, wanted, allowed)
                hits = [
                    Hit(_stored(searcher.stored_fields(docnum)), float(score))
                    for score, docnum in found.hits[offset:]
                ]
                total, exact = found.total, found.exact
            else:
                # A date order needs every match's key: Whoosh's collector, which
                # counts as it goes.
                collector = searcher.collector(
                    limit=wanted, optimize=False, filter=narrowing, **sort_args(sort)
                )
                searcher.search_with_collector(compiled, collector)
                results = collector.results()
                scored = sort == "relevance"
                hits = [
                    Hit(_stored(hit.fields()), float(hit.score or 0.0) if scored else None)
                    for hit in results[offset:]
                ]
                total, exact = len(results), True
            terms = match_terms(expanded, vocabulary)
        return SearchResult(hits, total, terms, total_exact=exact)

    @guarded
    def count(self, query: Query | None, filters: Filters | None = None) -> int:
        with self._ix.searcher() as searcher:
            return len(self._matches(searcher, query, filters))

    @guarded
    def list_articles(
        self, filters: Filters | None = None, sort: SortOrder = "date"
    ) -> list[StoredArticle]:
        from whoosh import query

        with self._ix.searcher() as searcher:
            results = searcher.search(
                query.Every(), filter=filter_query(filters), limit=None, **sort_args(sort)
            )
            return [_stored(hit.fields()) for hit in results]

    @guarded
    def get(self, article_id: str) -> StoredArticle:
        with self._ix.searcher() as searcher:
            fields = searcher.document(id=article_id)
        if fields is None:
            raise _no_article(article_id)
        return _stored(fields)

    def iter_articles(self) -> Iterator[StoredArticle]:
        with translated(self, writes=False), self._ix.searcher() as searcher:
            for fields in searcher.all_stored_fields():
                yield _stored(fields)

    def _matches(self, searcher: Any, query: Query | None, filters: Filters | None) -> list[int]:
        from whoosh import query as whoosh_query

        language = filters.language if filters else None
        compiled = (
            whoosh_query.Every()
            if query is None
            else self._compiled(searcher, query, language=language)[0]
        )
        in_force = narrowed(filters or Filters(), query)
        results = searcher.search(compiled, filter=filter_query(in_force), limit=None, scored=False)
        return list(results.docs())

    # -- counting ------------------------------------------------------------------

    @guarded
    def date_counts(self, query: Query | None, filters: Filters | None = None) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self._ix.searcher() as searcher:
            matches = self._matches(searcher, query, filters)
            if not matches:
                return counts  # Whoosh has no columns to read before the first article
            column = searcher.reader().column_reader("date_value", translate=True)
            for n in matches:
                value = column[n]
                if value:
                    counts[value] = counts.get(value, 0) + 1
        return counts

    @guarded
    def source_summaries(
        self, query: Query | None = None, filters: Filters | None = None
    ) -> list[SourceSummary]:
        filters = narrowed(filters or Filters(), query)
        from whoosh import query as whoosh_query

        found: dict[str, SourceSummary] = {}
        # With --source, an article found by a copy's source counts for that source
        # alone, not for its own.
        wanted = source_key(filters.source) if filters and filters.source is not None else None
        with self._ix.searcher() as searcher:
            matches = self._matches(searcher, query, filters)
            if not matches:
                return []  # Whoosh has no columns to read before the first article
            reader = searcher.reader()
            names = reader.column_reader("source_name", translate=True)
            dates = reader.column_reader("date_value", translate=True)
            copied = set(searcher.docs_for_query(whoosh_query.Term("copied", "yes")))

            def credits(n: int) -> set[tuple[str, str | None]]:
                """(source, date) of each publication of article ``n``: its own, its copies'."""
                found = {(names[n] or "", dates[n] or None)}
                if n in copied:
                    for c in searcher.stored_fields(n).get("copies") or ():
                        found.add((c["source"] or "", c["date"]))
                return {(s, d) for s, d in found if wanted is None or source_key(s) == wanted}

            for n in matches:
                publications = credits(n)
                # An article counts once for each source that published it; the
                # dates of every publication make the source's span.
                for name in {name for name, _ in publications}:
                    entry = found.setdefault(name, SourceSummary(name, 0, None, None))
                    entry.count += 1
                for name, date in publications:
                    entry = found[name]
                    if date is not None:
                        if entry.first_date is None or date < entry.first_date:
                            entry.first_date = date
                        if entry.last_date is None or date > entry.last_date:
                            entry.last_date = date
            if query is not None:
                totals: dict[str, int] = {}
                for n in self._matches(searcher, None, filters):
                    for name in {name for name, _ in credits(n)}:
                        totals[name] = totals.get(name, 0) + 1
                for entry in found.values():
                    entry.total = totals.get(entry.source, 0)
        return sorted(found.values(), key=lambda e: (-e.count, e.source.lower()))

    @guarded
    def cite_counts(self, query: Query | None, filters: Filters | None = None) -> dict[str, int]:
        from whoosh import query as whoosh_query

        counts: dict[str, int] = {}
        with self._ix.searcher() as searcher:
            matched = set(self._matches(searcher, query, filters))
            for raw in searcher.lexicon("cites"):
                name = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                term = whoosh_query.Term("cites", name)
                count = sum(1 for n in searcher.docs_for_query(term) if n in matched)
                if count:
                    counts[name] = count
        return counts

    @guarded
    def stats(self) -> IndexStats:
        from whoosh import query

        with self._ix.searcher() as searcher:

            def count(q: Any) -> int:
                return sum(1 for _ in searcher.docs_for_query(q))

            articles = searcher.doc_count()
            inferred = count(query.Term("date_kind", "inferred"))
            metadata = count(query.Term("date_kind", "metadata"))
            first_date, last_date = _date_span(searcher, query.Every())
            languages = {
                code: count(query.Term("language", code))
                for code in WhooshVocabulary(searcher).languages()
            }
        sources = {s.source: s.count for s in self.source_summaries()}
        return IndexStats(
            articles=articles,
            undated=articles - inferred - metadata,
            dated_by_metadata=metadata,
            dated_by_inference=inferred,
            first_date=first_date,
            last_date=last_date,
            sources=dict(sorted(sources.items())),
            languages={code: n for code, n in sorted(languages.items()) if n},
        )

    @guarded
    def term_frequencies(self, stems: Iterable[str]) -> tuple[dict[str, int], int]:
        with self._ix.searcher() as searcher:
            reader = searcher.reader()
            counts = {stem: int(reader.frequency("text", stem)) for stem in stems}
            return counts, int(reader.field_length("text"))

    @guarded
    def more_like(
        self,
        article_id: str,
        limit: int = 10,
        numterms: int = 25,
        filters: Filters | None = None,
    ) -> list[Hit]:
        """Key terms are the ``numterms`` most distinctive stems of its title and text
        (Whoosh's Bo1 model over the text field); ``Hit.score`` is the BM25F score of
        their OR query."""
        with self._ix.searcher() as searcher:
            docnum = searcher.document_number(id=article_id)
            if docnum is None:
                raise _no_article(article_id)
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
                filter=filter_query(filters),
            )
            return [Hit(_stored(hit.fields()), float(hit.score or 0.0)) for hit in results]

    # -- documents beside the index ------------------------------------------------

    def describe_document(self, name: str) -> str:
        return str(self.path / f"{name}.json")

    def read_document(self, name: str) -> str | None:
        # Beside Whoosh's files, which Whoosh neither reads nor cleans up.
        try:
            return (self.path / f"{name}.json").read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    @guarded
    def write_document(self, name: str, text: str) -> None:
        # A temporary file renamed over the old one: an interrupted write leaves it whole.
        temporary: str | None = None
        try:
            handle, temporary = tempfile.mkstemp(dir=self.path, prefix=f".{name}-", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path / f"{name}.json")
            temporary = None
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)


def _repair_command(path: Path) -> str:
    return f"corpus repair --index {shown_path(path)}"


def _size_of(path: Path, segments: list[Any]) -> int | None:
    prefixes = tuple(f"{segment.segment_id()}." for segment in segments)
    try:
        return sum(
            (path / name).stat().st_size for name in os.listdir(path) if name.startswith(prefixes)
        )
    except OSError:
        return None


def _damaged(path: Path) -> IndexUnreadable:
    return IndexDamaged(
        f"The index at {shown_path(path)} is damaged (its table of contents cannot be read); "
        f"run '{_repair_command(path)}' to rebuild it from your files."
    )


def _no_article(article_id: str) -> ArticleNotFound:
    return ArticleNotFound(f"No article with id '{article_id}' in the index.")


def _date_span(searcher: Any, within: Any) -> tuple[str | None, str | None]:
    """The first and last dates among the articles ``within`` matches (undated ignored)."""
    first = searcher.search(within, limit=1, sortedby="sort_asc")
    last = searcher.search(within, limit=1, sortedby="sort_desc", reverse=True)
    return (
        first[0].get("date") if len(first) else None,
        last[0].get("date") if len(last) else None,
    )


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
        language=fields.get("language") or DEFAULT_LANGUAGE,
        copies=tuple(
            Copy(c["id"], c["path"], c["title"], c["date"], c["source"], c["url"])
            for c in fields.get("copies") or ()
        ),
    )


#: How many commits landing one after the other while the index is opened are
#: followed before its damage is believed (each is a whole batch: seconds apart).
_OPEN_ATTEMPTS = 5


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


def _rebuild_message(path: Path, version: int | None) -> str:
    """Why an index of another version cannot serve, and the two commands that rebuild it."""
    if version is not None and version > SCHEMA_VERSION:
        why = "by a newer version of corpus than this one"
    else:
        # Version 6 and earlier indexed Snowball stems; the words found would differ.
        why = "by an older version of corpus, with another analysis of the words"
    return (
        f"The index at {path} was built {why}; delete the folder and run "
        "'corpus ingest' on your files again to rebuild it."
    )
