"""Writing Whoosh segments in bulk: the same bytes as Whoosh's writer, a fraction of the work.

Whoosh's ``SegmentWriter`` turns every (document, word) pair into a tuple, pushes
it through a sorting pool, sorts them all, then feeds them one call at a time to
the postings writer. On a 600-word article that is ~750 postings across the
stemmed and surface fields, and ingest ran at ~60 articles/s. Here the postings
are gathered per term as they come (documents arrive in order, so each term's
list is already sorted), only the terms are sorted at the end, and each block is
written whole in the W3 codec's format (``blocks.py``). The articles' text fields
skip Whoosh's token objects too: one analysis of the text serves the stemmed and
the surface field. Merged segments are read front to back (``merging.py``).

The segment files are those Whoosh writes, save for what ``blocks.py`` says (tiny
blocks uncompressed, blocks pickled with protocol 3): with those two set as Whoosh
has them, ``tests/test_segments.py`` compares them byte for byte, so Whoosh's
readers need nothing of this module. It leans on private attributes of
whoosh-reloaded 2.7's W3 codec, which is why the dependency is pinned below 2.8.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from whoosh import formats
from whoosh.writing import SegmentWriter

from corpus_cli.storage.whoosh import integrity, merging
from corpus_cli.storage.whoosh.analyzer import ItalianAnalyzer
from corpus_cli.storage.whoosh.blocks import Postings, write_postings
from corpus_cli.storage.whoosh.formats import Counts, PositionArrays
from corpus_cli.storage.whoosh.postings import (
    COUNTS,
    FREQUENCY,
    PICKLED_POSITIONS,
    POSITION_ARRAYS,
    FieldPostings,
    Prepared,
    field_postings,
    unpickled,
)
from corpus_cli.storage.whoosh.schema import TEXT_SOURCES
from corpus_cli.text.languages import DEFAULT_LANGUAGE

#: Postings a segment's pool holds in memory (~70 bytes each) before it writes them
#: to a run on disk: a batch of new articles stays in memory, a big merge does not.
SPILL_POSTINGS = 2_500_000

#: The same, once segments are being merged into the new one (at a commit past
#: MAX_SEGMENTS): a merge reads tens of thousands of articles' postings, and holding
#: 2.5 million of them took an ingest of 112,547 articles to 435 MB at its merge
#: (bench/dump.py), past the 400 MB an ingest may take. Runs on disk cost the
#: merge a little time instead.
MERGE_SPILL_POSTINGS = 1_000_000


class TermPool:
    """Postings grouped by field and term, for one segment; spilled to disk past a limit.

    Documents only ever arrive in increasing order (new articles, then merged
    segments renumbered after them), so a term's postings in an earlier run all
    come before its postings in a later one: the runs are merged by term alone.
    """

    def __init__(self, tempdir: str | None = None, limit: int | None = None) -> None:
        self.fields: dict[str, dict[bytes, Postings]] = {}
        #: Terms whose postings arrived out of document order (merges only).
        self.unordered: set[tuple[str, bytes]] = set()
        self.size = 0
        self._limit = SPILL_POSTINGS if limit is None else limit
        self._tempdir = tempdir
        self._runs: list[IO[bytes]] = []

    def terms_of(self, fieldname: str) -> dict[bytes, Postings]:
        found = self.fields.get(fieldname)
        if found is None:
            found = self.fields[fieldname] = {}
        return found

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """Whoosh's pool interface: one (field, term, document, weight, value) posting."""
        fieldname, btext, docnum, weight, value = item
        if docnum < 0:
            return  # Whoosh's marker for spelling words; no field here uses them
        postings = self.terms_of(fieldname).get(btext)
        if postings is None:
            self.fields[fieldname][btext] = ([docnum], [weight], [value or b""])
        else:
            if postings[0][-1] > docnum:
                self.unordered.add((fieldname, btext))
            postings[0].append(docnum)
            postings[1].append(weight)
            postings[2].append(value or b"")
        self.grew(1)

    def limit_to(self, postings: int) -> None:
        """Hold at most ``postings`` from now on (spilling at once when past it)."""
        self._limit = min(self._limit, postings)
        if self.size >= self._limit:
            self._spill()

    def grew(self, postings: int) -> None:
        """Count ``postings`` more; past the limit, write what is held to a run on disk."""
        self.size += postings
        if self.size >= self._limit:
            self._spill()

    def _spill(self) -> None:
        # Closed in cleanup(); unlinked at once, so a crash leaves nothing behind.
        run = tempfile.TemporaryFile(dir=self._tempdir)  # noqa: SIM115
        for item in self._held():
            pickle.dump(item, run, pickle.HIGHEST_PROTOCOL)
        run.flush()
        self._runs.append(run)
        self.fields.clear()
        self.unordered.clear()
        self.size = 0

    def _held(self) -> Iterator[tuple[str, bytes, list[int], list[float], list[bytes]]]:
        for fieldname in sorted(self.fields):
            for btext in sorted(self.fields[fieldname]):
                yield (fieldname, btext, *self._sorted(fieldname, btext))

    def _sorted(self, fieldname: str, btext: bytes) -> Postings:
        postings = self.fields[fieldname][btext]
        if (fieldname, btext) not in self.unordered:
            return postings
        order = sorted(range(len(postings[0])), key=postings[0].__getitem__)
        return (
            [postings[0][i] for i in order],
            [postings[1][i] for i in order],
            [postings[2][i] for i in order],
        )

    def terms(self) -> Iterator[tuple[str, bytes, Postings]]:
        """Every term with its postings, sorted by field and term, each in document order."""
        if not self._runs:
            for fieldname, btext, docs, weights, values in self._held():
                yield fieldname, btext, (docs, weights, values)
            return
        streams = [_read_run(run) for run in self._runs]
        merged = heapq.merge(*streams, self._held(), key=_term_key)
        current: tuple[str, bytes, Postings] | None = None
        for fieldname, btext, docs, weights, values in merged:
            if current is not None and current[0] == fieldname and current[1] == btext:
                current[2][0].extend(docs)
                current[2][1].extend(weights)
                current[2][2].extend(values)
                continue
            if current is not None:
                yield current
            current = (fieldname, btext, (docs, weights, values))
        if current is not None:
            yield current

    def add_segment(self, reader: Any, startdoc: int, docmap: dict[int, int] | None) -> None:
        """Every live posting of a segment being merged in, read front to back
        (merging.py). Every term is in W3 blocks: whoosh-reloaded 2.7.5 cannot inline
        postings (it calls ``set_inline``, the term info has ``set_inlined``), but a
        term whose postings were inlined anyway is read by Whoosh's own matcher."""
        deleted = reader.deleted_docs_set
        for fieldname, btext, read in merging.segment_terms(reader):
            if read is None:
                read = _matched(reader, fieldname, btext)
            postings = self.terms_of(fieldname).get(btext)
            if postings is None:
                postings = self.fields[fieldname][btext] = ([], [], [])
            docs, weights, values = postings
            before = len(docs)
            ids, read_weights, read_values = read
            if not deleted and docmap is None:
                docs += [startdoc + docnum for docnum in ids]
                weights += read_weights
                values += read_values
            else:
                for i, docnum in enumerate(ids):
                    if docnum in deleted:
                        continue
                    docs.append(docmap[docnum] if docmap is not None else startdoc + docnum)
                    weights.append(read_weights[i])
                    values.append(read_values[i])
            if not docs:
                del self.fields[fieldname][btext]  # every posting was deleted
            elif 0 < before < len(docs) and docs[before - 1] > docs[before]:
                self.unordered.add((fieldname, btext))
            self.grew(len(docs) - before)

    def cleanup(self) -> None:
        self.fields.clear()
        self.unordered.clear()
        self.size = 0
        for run in self._runs:
            run.close()
        self._runs.clear()


def _term_key(item: tuple[str, bytes, Any, Any, Any]) -> tuple[str, bytes]:
    return item[0], item[1]


def _read_run(run: IO[bytes]) -> Iterator[tuple[str, bytes, list[int], list[float], list[bytes]]]:
    run.seek(0)
    while True:
        try:
            yield pickle.load(run)
        except EOFError:
            return


def _matched(reader: Any, fieldname: str, btext: bytes) -> Postings:
    """A term's postings as Whoosh's matcher reads them, a block at a time."""
    matcher = reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)
    docs: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        matcher._read_values()
        docs += matcher._ids
        weights += matcher._weights
        values += [value or b"" for value in matcher._values]
        matcher._next_block()
    return docs, weights, values


#: The encoding of each format the fast path can make the postings of (postings.py).
_FAST_FORMATS = {
    formats.Positions: PICKLED_POSITIONS,
    formats.Frequency: FREQUENCY,
    PositionArrays: POSITION_ARRAYS,
    Counts: COUNTS,
}


def _fast_format(field: Any) -> str | None:
    """How ``field``'s postings are encoded when it can take the fast path, else None."""
    if not isinstance(field.analyzer, ItalianAnalyzer):
        return None
    if field.vector or field.separate_spelling():
        return None
    return _FAST_FORMATS.get(type(field.format))


def text_fields(schema: Any) -> tuple[tuple[str, str, str, bool], ...]:
    """What ``postings.Preparer`` makes for ``schema``: per text field the writer takes
    postings for, its name, the article attribute it is written from, its kind and
    whether it is stemmed."""
    out = []
    for name, attribute in TEXT_SOURCES.items():
        if name not in schema:
            continue
        field = schema[name]
        fast = _fast_format(field)
        if fast is not None:
            out.append((name, attribute, fast, bool(field.analyzer.stemmed)))
    return tuple(out)


class BulkSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """A ``SegmentWriter`` that gathers postings per term and writes them in bulk."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        # Replaces Whoosh's PostingPool, which has written nothing yet.
        self.pool = TermPool(tempdir=getattr(self.storage, "folder", None))
        self._fast = {name: _fast_format(field) for name, field in self.schema.items()}
        #: The files the new segment's articles and copies came from (integrity.py).
        self._sources: integrity.Sources = {}

    def _note_sources(self, fields: Any) -> None:
        key = fields.get("file")
        if key:
            integrity.add_source(
                self._sources, key, fields.get("path") or key, fields.get("source_name") or ""
            )
        for c in fields.get("copies") or ():
            integrity.add_source(
                self._sources, c["file"], c["path"] or c["file"], c["source"] or ""
            )

    def add_reader(self, reader: Any) -> None:
        super().add_reader(reader)
        segment = reader.segment() if hasattr(reader, "segment") else None
        found = (
            None if segment is None else integrity.read_sources(self._folder, segment.segment_id())
        )
        if found is not None:
            integrity.merge_sources(self._sources, found)
        else:
            # A segment of an index older than these records: its stored fields say.
            for fields in reader.all_stored_fields():
                self._note_sources(fields)

    @property
    def _folder(self) -> Path:
        return Path(self.storage.folder)

    def _commit_toc(self, segments: list[Any]) -> None:
        ids = [segment.segment_id() for segment in segments]
        new = {self.newsegment.segment_id(): self._sources} if self._added else {}
        integrity.record(self._folder, self.generation, ids, new)
        super()._commit_toc(segments)
        integrity.add_toc(self._folder, self.generation, f"_{self.indexname}_{self.generation}.toc")
        integrity.sweep(self._folder, self.generation, ids)

    def commit(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().commit(*args, **kwargs)
        except BaseException:
            self._discard()
            raise

    def cancel(self) -> None:
        try:
            super().cancel()
        finally:
            self._discard()

    def _discard(self) -> None:
        """Leave the folder as the last commit left it: no half-written segment behind.

        Once this generation's table of contents is in place the commit happened,
        and nothing is removed.
        """
        folder = self._folder
        toc = f"_{self.indexname}_{self.generation}.toc"
        with contextlib.suppress(OSError):
            if (folder / toc).exists():
                return
            doomed = [
                *integrity.segment_files(folder, self.newsegment.segment_id()),
                integrity.SOURCES.format(self.newsegment.segment_id()),
                integrity.MANIFEST.format(self.generation),
                *(name for name in os.listdir(folder) if name.startswith(f"{toc}.")),
            ]
            for name in doomed:
                with contextlib.suppress(OSError):
                    (folder / name).unlink()
        if not self.is_closed:
            with contextlib.suppress(Exception):
                for closing in (self.perdocwriter, self.fieldwriter):
                    if not closing.is_closed:
                        closing.close()
            with contextlib.suppress(Exception):
                self.pool.cleanup()
            with contextlib.suppress(Exception):
                self._finish()

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        # The article's language picks the analysis of its text and title fields.
        language = fields.get("language") or DEFAULT_LANGUAGE
        # Postings made by the reading processes (postings.py), if any came.
        prepared: Prepared = unpickled(fields.get("_postings")) or {}
        self._check_fields(schema, fieldnames)

        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    fast = self._fast.get(fieldname)
                    if fast is not None and isinstance(value, str):
                        found = pool.terms_of(fieldname)
                        made = prepared.get(fieldname)
                        if made is not None and made[:2] == (len(value), language):
                            scale = field.format.field_boost * boost
                            length, added = _add_postings(found, made[2], docnum, scale)
                        else:
                            length, added = _add_text(
                                found, field, value, docnum, boost, fast, language
                            )
                        pool.grew(added)
                        if not field.scorable:
                            length = 0
                    else:
                        for btext, freq, weight, vbytes in field.index(value):
                            if field.scorable:
                                length += freq
                            pool.add((fieldname, btext, docnum, weight * boost, vbytes))
                    if field.separate_spelling():
                        spellfield = field.spelling_fieldname(fieldname)
                        for word in field.spellable_words(value):
                            pool.add((spellfield, word.encode("utf-8"), 0, 1, None))
                if field.vector:
                    raise NotImplementedError("term vectors are not written in bulk")
                stored_value = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(
                    fieldname, field, stored_value if field.stored else None, length
                )
                column = field.column_type
                if column and stored_value is not None:
                    perdocwriter.add_column_value(
                        fieldname, column, field.to_column_value(stored_value)
                    )
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._note_sources(fields)
        self._added = True
        self.docnum += 1

    def add_postings_to_pool(self, reader: Any, startdoc: int, docmap: Any) -> None:
        self.pool.limit_to(MERGE_SPILL_POSTINGS)
        if merging.readable(reader) and hasattr(reader, "deleted_docs_set"):
            self.pool.add_segment(reader, startdoc, docmap)
        else:
            super().add_postings_to_pool(reader, startdoc, docmap)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        try:
            write_postings(self.fieldwriter, self.schema, self.pool.terms(), lengths, self.docnum)
        finally:
            if lengths is not None:
                lengths.close()
        self.fieldwriter.close()


def _add_text(
    found: dict[bytes, Postings],
    field: Any,
    text: str,
    docnum: int,
    boost: float,
    fast: str,
    language: str = DEFAULT_LANGUAGE,
) -> tuple[int, int]:
    """Add one text's postings, as ``field.index`` would make them.

    Returns the text's length in words and the number of postings added.
    """
    made = field_postings(text, language, field.analyzer.stemmed, fast)
    return _add_postings(found, made, docnum, field.format.field_boost * boost)


def _add_postings(
    found: dict[bytes, Postings], made: FieldPostings, docnum: int, scale: float
) -> tuple[int, int]:
    """Add one text's postings (postings.field_postings): its length, the postings added."""
    length, words, counts, values = made
    get = found.get
    for btext, count, value in zip(words, counts, values, strict=True):
        weight = float(count) * scale
        postings = get(btext)
        if postings is None:
            found[btext] = ([docnum], [weight], [value])
        else:
            postings[0].append(docnum)
            postings[1].append(weight)
            postings[2].append(value)
    return length, len(values)
