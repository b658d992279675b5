"""Ingest's side of a Whoosh index: the read-only ledger and batches of changes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from corpus_cli.errors import CorpusError
from corpus_cli.model import Article, FileState
from corpus_cli.storage.whoosh.failures import cannot_write, guarded
from corpus_cli.storage.whoosh.schema import (
    copy_fields,
    document,
    hash_term,
    rebuilt,
    stat_term,
    with_copies,
)

#: Segments an index may reach before its smallest half is merged into one.
MAX_SEGMENTS = 48
#: Bytes of index per character of article text, roughly (dice-modena: 15 MB of
#: index for 2.5 MB of text): what a batch that meets a full disk is said to need.
INDEX_PER_CHAR = 6


class WhooshLedger:
    """What is indexed, as of one searcher's snapshot (a :class:`~..base.Ledger`)."""

    def __init__(self, searcher: Any, store: Any) -> None:
        self._searcher = searcher
        #: For naming the damage a lookup meets (failures.guarded); the WhooshStore.
        self._store = store

    @guarded
    def has_file_stat(self, key: str, size: int, mtime_ns: int) -> bool:
        return self._has_live("file_stat", stat_term(key, size, mtime_ns))

    @guarded
    def has_file_digest(self, key: str, digest: str) -> bool:
        return self._has_live("file_hash", hash_term(key, digest))

    def _has_live(self, field_name: str, value: str) -> bool:
        # Not doc_frequency alone: it still counts deleted articles, so a file
        # reverted to an earlier version would match its deleted self and be skipped.
        if self._never(field_name, value):
            return False
        from whoosh import query

        return any(True for _ in self._searcher.docs_for_query(query.Term(field_name, value)))

    def _never(self, field_name: str, value: str) -> bool:
        """No article, live or deleted, has this term: one look-up in the term index
        answers what a query would (most files and texts of an ingest are new)."""
        return self._searcher.doc_frequency(field_name, value) == 0  # type: ignore[no-any-return]

    @guarded
    def content_owner(self, content_hash: str) -> tuple[str, str, str] | None:
        if self._never("content", content_hash):
            return None
        fields = self._searcher.document(content=content_hash)
        if fields is None:
            return None
        return fields["path"], fields["file"], fields["id"]

    @guarded
    def id_owner(self, article_id: str) -> str | None:
        if self._never("id", article_id):
            return None
        fields = self._searcher.document(id=article_id)
        return None if fields is None else str(fields["file"])

    @guarded
    def files(self) -> set[str]:
        # The lexicon keeps the keys of deleted articles too: check each is live.
        keys = (
            f.decode("utf-8") if isinstance(f, bytes) else f
            for f in self._searcher.lexicon("files")
        )
        return {key for key in keys if self._has_live("files", key)}

    @guarded
    def articles_of_file(self, key: str) -> int:
        if self._never("files", key):
            return 0
        from whoosh import query

        count = sum(1 for _ in self._searcher.docs_for_query(query.Term("file", key)))
        # Stored fields are read only for the few articles with copies from this file.
        for n in self._with_copies_from(key):
            count += sum(1 for c in self._searcher.stored_fields(n)["copies"] if c["file"] == key)
        return count

    def _with_copies_from(self, key: str) -> list[int]:
        """The articles with a copy (or more) from file ``key``, or from their own file."""
        from whoosh import query

        both = query.And([query.Term("files", key), query.Term("copied", "yes")])
        return list(self._searcher.docs_for_query(both))

    @guarded
    def file_sources(self, key: str) -> set[str]:
        from whoosh import query

        found: set[str] = set()
        for n in self._searcher.docs_for_query(query.Term("files", key)):
            stored = self._searcher.stored_fields(n)
            if stored["file"] == key:
                found.add(stored.get("source_name") or "")
            found |= {c["source"] or "" for c in stored.get("copies") or [] if c["file"] == key}
        return found

    def prefetch(
        self, files: Iterable[str] = (), contents: Iterable[str] = (), ids: Iterable[str] = ()
    ) -> None:
        """Nothing to do: every question is a lookup in this process's open searcher."""

    def close(self) -> None:
        self._searcher.close()


class WhooshBatch(WhooshLedger):
    """One Whoosh writer: its changes are committed together or not at all.

    Articles are handed to the writer at :meth:`commit`: until then a copy may
    still be added to one (a Whoosh writer cannot change a document it was given).
    An article of an earlier batch that gains or loses a copy is deleted and
    written again, from its stored fields, in this batch.
    """

    def __init__(self, searcher: Any, writer: Any, store: Any) -> None:
        super().__init__(searcher, store)
        self._writer = writer
        self._done = False
        #: id -> document, to write at commit, in the order they came.
        self._pending: dict[str, dict[str, Any]] = {}
        #: Ids of the committed articles this batch deleted (or took into _pending).
        self._taken: set[str] = set()
        #: File key -> ids of the documents in _pending that came from it or have a
        #: copy from it (some perhaps gone since: look them up again).
        self._by_file: dict[str, set[str]] = {}

    def add(
        self, article: Article, *, file: FileState, content_hash: str, prepared: object = None
    ) -> None:
        doc = document(article, file, content_hash)
        if prepared is not None:
            # The article's postings (postings.Preparer), for the writer to gather;
            # Whoosh leaves fields named with "_" out of the document.
            doc["_postings"] = prepared
        self._put(doc)

    def add_copy(self, owner_id: str, copy: Article, *, file: FileState, content_hash: str) -> None:
        doc = self._take(owner_id)
        if doc is None:
            raise KeyError(f"no article {owner_id!r} to keep a copy on")
        self._put(with_copies(doc, [*(doc.get("copies") or []), copy_fields(copy, file)]))

    def _put(self, doc: dict[str, Any]) -> None:
        self._pending[doc["id"]] = doc
        for key in [doc["file"], *(c["file"] for c in doc.get("copies") or [])]:
            self._by_file.setdefault(key, set()).add(doc["id"])

    def _take(self, article_id: str) -> dict[str, Any] | None:
        """The document of an article, moved into _pending if it was committed before."""
        if article_id in self._pending:
            return self._pending[article_id]
        if article_id in self._taken:
            return None
        stored = self._searcher.document(id=article_id)
        if stored is None:
            return None
        self._writer.delete_by_term("id", article_id)
        self._taken.add(article_id)
        doc = rebuilt(stored)
        self._put(doc)
        return doc

    def delete_file(self, key: str) -> set[str]:
        from whoosh import query

        orphans: set[str] = set()
        # The file's own articles go by one deletion of their term; stored fields
        # are read only for the articles that have copies.
        own = any(True for _ in self._searcher.docs_for_query(query.Term("file", key)))
        for n in self._with_copies_from(key):
            stored = self._searcher.stored_fields(n)
            article_id = stored["id"]
            if article_id in self._taken:
                continue  # deleted already, or its document is in _pending
            if stored["file"] == key:
                self._taken.add(article_id)
                orphans |= {c["file"] for c in stored.get("copies") or []}
            else:
                self._take(article_id)  # one of its copies is from this file
        if own:
            self._writer.delete_by_term("file", key)
        for article_id in self._by_file.pop(key, set()):
            doc = self._pending.get(article_id)
            if doc is None:
                continue
            copies = doc.get("copies") or []
            if doc["file"] == key:
                del self._pending[article_id]
                orphans |= {c["file"] for c in copies}
            elif any(c["file"] == key for c in copies):
                self._put(with_copies(doc, [c for c in copies if c["file"] != key]))
        orphans.discard(key)
        return orphans

    def commit(self) -> None:
        if not self._done:
            self._done = True
            self._searcher.close()
            size = sum(
                len(d.get("text") or "") + len(d.get("title") or "") for d in self._pending.values()
            )
            try:
                for doc in self._pending.values():
                    self._writer.add_document(**doc)
                self._pending.clear()
                self._writer.commit(mergetype=merge_smallest)
            except OSError as error:
                failed = cannot_write(self._store.path, error, INDEX_PER_CHAR * size)
                self._writer_gone()
                if failed is None:
                    raise
                raise failed from None
            except (CorpusError, KeyboardInterrupt):
                self._writer_gone()
                raise
            except Exception as error:
                self._writer_gone()
                found = self._store._damage(error)
                if found is None:
                    raise
                raise found from None

    def _writer_gone(self) -> None:
        """After a failed commit: the writer has put its files away (segments.py)."""
        self._pending.clear()
        if not self._writer.is_closed:
            import contextlib

            with contextlib.suppress(Exception):
                self._writer.cancel()

    def abort(self) -> None:
        if not self._done:
            self._done = True
            self._searcher.close()
            self._pending.clear()
            self._writer.cancel()


def merge_smallest(writer: Any, segments: list[Any]) -> list[Any]:
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
