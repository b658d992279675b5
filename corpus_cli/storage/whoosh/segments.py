"""Writing Whoosh segments in bulk: the same bytes as Whoosh's writer, a fraction of the work.

Whoosh's ``SegmentWriter`` turns every (document, word) pair into a tuple, pushes
it through a sorting pool, sorts them all, then feeds them one call at a time to
the postings writer. On a 600-word article that is ~750 postings across the
stemmed and surface fields, and ingest ran at ~60 articles/s. Here the postings
are gathered per term as they come (documents arrive in order, so each term's
list is already sorted), only the terms are sorted at the end, and each block is
written whole in the W3 codec's format. The articles' text fields skip Whoosh's
token objects too: one analysis of the text serves the stemmed and the surface
field. Merged segments are read a block at a time for the same reason.

The segment files are byte for byte those Whoosh writes, save that tiny blocks are
left uncompressed (see COMPRESS_FROM); ``tests/test_segments.py`` compares them, so
Whoosh's readers need nothing of this module. It leans on private attributes of
whoosh-reloaded 2.7's W3 codec, which is why the dependency is pinned below 2.8.
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import io
import os
import pickle
import struct
import tempfile
import zlib
from array import array
from collections.abc import Iterator
from hashlib import md5
from itertools import chain
from operator import sub
from pathlib import Path
from pickle import dumps
from typing import IO, Any

from whoosh import formats
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.filedb.filetables import _lengths as _LENGTHS
from whoosh.filedb.filetables import md5_hash
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from corpus_cli.storage.whoosh import integrity, merging
from corpus_cli.storage.whoosh.analyzer import ItalianAnalyzer
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

#: term bytes -> (document numbers, weights, encoded values), in document order.
_Postings = tuple[list[int], list[float], list[bytes]]

#: W3TermInfo's fixed part: flags, weight, document frequency, min and max length
#: bytes, max weight, first and last document.
_TERMINFO = struct.Struct("!BfIBBfII")

#: Blocks whose pickle is shorter than this are stored uncompressed (readers go by
#: each block's own flag). Whoosh means to skip tiny blocks too, but a slip in its
#: writer compresses all of them: most terms have one or two postings, zlib makes
#: such blocks longer, and each call costs ~19 us of set-up (a quarter of writing).
COMPRESS_FROM = 64

#: The pickle protocol of a block's info and data. Whoosh writes protocol 2, which
#: has no opcode for bytes: each posting's value is pickled as a call to
#: ``_codecs.encode(str, "latin1")``, ~15 bytes of framing around a 2-byte value (and
#: every byte past 127 written as two). Protocol 3 writes bytes as bytes, and
#: without the memo (:class:`_Pickles`); Whoosh reads any protocol (``pickle.loads``).
#: A one-posting block's data: 62 -> 14 bytes. Protocol 2 writes Whoosh's very bytes.
BLOCK_PROTOCOL = 3

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
        self.fields: dict[str, dict[bytes, _Postings]] = {}
        #: Terms whose postings arrived out of document order (merges only).
        self.unordered: set[tuple[str, bytes]] = set()
        self.size = 0
        self._limit = SPILL_POSTINGS if limit is None else limit
        self._tempdir = tempdir
        self._runs: list[IO[bytes]] = []

    def terms_of(self, fieldname: str) -> dict[bytes, _Postings]:
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

    def _sorted(self, fieldname: str, btext: bytes) -> _Postings:
        postings = self.fields[fieldname][btext]
        if (fieldname, btext) not in self.unordered:
            return postings
        order = sorted(range(len(postings[0])), key=postings[0].__getitem__)
        return (
            [postings[0][i] for i in order],
            [postings[1][i] for i in order],
            [postings[2][i] for i in order],
        )

    def terms(self) -> Iterator[tuple[str, bytes, _Postings]]:
        """Every term with its postings, sorted by field and term, each in document order."""
        if not self._runs:
            for fieldname, btext, docs, weights, values in self._held():
                yield fieldname, btext, (docs, weights, values)
            return
        streams = [_read_run(run) for run in self._runs]
        merged = heapq.merge(*streams, self._held(), key=_term_key)
        current: tuple[str, bytes, _Postings] | None = None
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


def _matched(reader: Any, fieldname: str, btext: bytes) -> merging.Postings:
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
            _write_postings(self.fieldwriter, self.schema, self.pool, lengths, self.docnum)
        finally:
            if lengths is not None:
                lengths.close()
        self.fieldwriter.close()


def _add_text(
    found: dict[bytes, _Postings],
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
    found: dict[bytes, _Postings], made: FieldPostings, docnum: int, scale: float
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


class _Pickles:
    """``pickle.dumps`` without the memo, from one reused pickler.

    The memo writes a PUT after every tuple and bytes object (2 bytes each) so that
    a later reference to the same object can GET it; a block's tuples never repeat,
    and its values repeat as equal objects that are the same object or not depending
    on where they were made (one process or another), which made the same postings
    pickle to different bytes. Without it: smaller, and the same bytes for the same
    postings. Reusing one pickler takes ~0.6 us a block against 0.75 for ``dumps``.
    """

    def __init__(self, protocol: int) -> None:
        self._file = io.BytesIO()
        self._pickler = pickle.Pickler(self._file, protocol)
        self._pickler.fast = True

    def __call__(self, obj: object) -> bytes:
        self._file.seek(0)
        self._file.truncate()
        self._pickler.dump(obj)
        return self._file.getvalue()


def _block_pickles() -> Any:
    """How blocks are pickled: see BLOCK_PROTOCOL."""
    if BLOCK_PROTOCOL >= 3:
        return _Pickles(BLOCK_PROTOCOL)
    return functools.partial(dumps, protocol=BLOCK_PROTOCOL)


def _write_postings(
    fieldwriter: Any, schema: Any, pool: TermPool, lengths: Any, doc_count: int
) -> None:
    """Write every term of ``pool`` in the W3 codec's format, block by block.

    What ``W3FieldWriter``/``W3PostingsWriter`` do for one posting at a time,
    done once per block: the same pickled and compressed blocks, the same term
    info, the same term index. A term's blocks go to the postings file in one
    write, and its entry to the term index (``OrderedHashWriter.add``) is made
    here, with the positions counted rather than asked of the files: most terms
    have a posting or two, and those calls were a third of the work per term.
    """
    codec = fieldwriter._codec
    limit = codec._blocklimit
    level = codec._compression
    postfile = fieldwriter._postfile
    write = postfile.file.write
    position = postfile.tell()
    add_term = _TermIndex(fieldwriter._tindex)
    current: str | None = None
    started = False
    doc_lengths: list[int] | None = None
    prefix = b""
    fixed: int | None = None
    byte_of: dict[int | None, int] = {}
    pickled = _block_pickles()
    #: weight -> the weight as a 32-bit float gives it back (the codec's arrays).
    narrowed: dict[float, float] = {}

    def to_byte(length: int | None) -> int:
        found = byte_of.get(length)
        if found is None:
            found = byte_of[length] = length_to_byte(length)
        return found

    for fieldname, btext, (docs, weights, values) in pool.terms():
        if fieldname != current:
            if started:
                fieldwriter.finish_field()
            current = fieldname
            started = fieldname in schema
            if not started:
                continue
            field = schema[fieldname]
            doc_lengths = None
            if lengths is not None and field.scorable:
                length_of = lengths.doc_field_length
                doc_lengths = [length_of(docnum, fieldname) for docnum in range(doc_count)]
            fieldwriter.start_field(fieldname, field)
            prefix = pack_ushort(fieldwriter._fieldid)
            fixed = field.format.fixed_value_size()
        elif not started:
            continue
        if len(docs) == 1:
            # Half the terms of a segment have one posting: the loop below for one
            # block of one, without its lists, slices and sums (the same bytes).
            docnum, weight, value = docs[0], weights[0], values[0]
            weight32 = narrowed.get(weight)
            if weight32 is None:
                weight32 = narrowed[weight] = array("f", (weight,))[0]
            length = doc_lengths[docnum] if doc_lengths is not None else 0
            if fixed is None or fixed < 0:
                mini_value: Any = (value,) if value else ()
            else:
                mini_value = None if fixed == 0 else value
            data = pickled(((docnum,), None if weight32 == 1.0 else weight32, mini_value))
            block_level = level
            if level and len(data) >= COMPRESS_FROM:
                data = zlib.compress(data, level)
            else:
                block_level = 0
            maxweight = max(0, weight)
            length_byte = to_byte(length or None)
            info = pickled((1, docnum, maxweight, block_level, length_byte, to_byte(length)))
            blocks = b"".join((WHOOSH3_HEADER_MAGIC, pack_int(-len(info) - len(data)), info, data))
            write(blocks)
            terminfo = _TERMINFO.pack(
                False,
                0.0 + weight32,
                1,
                length_byte if length else 0,
                to_byte(length),
                maxweight,
                docnum,
                docnum,
            )
            add_term(prefix + btext, terminfo + pack_long(position) + pack_int(len(blocks)))
            position += len(blocks)
            continue
        parts = [WHOOSH3_HEADER_MAGIC]
        total = len(docs)
        term_weight = 0.0
        term_min: int | None = None
        term_max = 0
        term_maxweight: float = 0
        for start in range(0, total, limit):
            end = min(start + limit, total)
            if total <= limit:
                ids, block_weights, block_values = docs, weights, values
            else:
                ids = docs[start:end]
                block_weights = weights[start:end]
                block_values = values[start:end]
            # The codec keeps weights as 32-bit floats until they are pickled.
            narrow = array("f", block_weights).tolist()
            term_weight += sum(narrow)
            block_maxweight = max(0, max(block_weights))
            term_maxweight = max(term_maxweight, block_maxweight)
            block_min: int | None = None
            block_max = 0
            if doc_lengths is not None:
                present = [n for n in map(doc_lengths.__getitem__, ids) if n]
                if present:
                    block_min, block_max = min(present), max(present)
            if block_min is not None:
                term_min = block_min if term_min is None else min(term_min, block_min)
            term_max = max(term_max, block_max)
            block_level = level
            data = pickled((_deltas(ids), _mini_weights(narrow), _mini_values(block_values, fixed)))
            if level and len(data) >= COMPRESS_FROM:
                data = zlib.compress(data, level)
            else:
                block_level = 0
            info = pickled(
                (
                    len(ids),
                    ids[-1],
                    block_maxweight,
                    block_level,
                    to_byte(block_min),
                    to_byte(block_max),
                )
            )
            size = len(info) + len(data)
            parts += (pack_int(-size if end == total else size), info, data)
        blocks = b"".join(parts)
        write(blocks)
        terminfo = _TERMINFO.pack(
            False,
            term_weight,
            total,
            0 if term_min is None else to_byte(term_min),
            to_byte(term_max),
            term_maxweight,
            docs[0],
            docs[-1],
        )
        add_term(prefix + btext, terminfo + pack_long(position) + pack_int(len(blocks)))
        position += len(blocks)
    if started:
        fieldwriter.finish_field()
    add_term.done()


class _TermIndex:
    """``OrderedHashWriter.add`` for keys known to come in order, done in one call.

    The same records, hashes and index as Whoosh's (MD5 hashes, the only kind the
    W3 codec makes), the file position counted instead of asked for each key.
    """

    def __init__(self, writer: Any) -> None:
        if writer.hashfn is not md5_hash:
            raise ValueError("the term index does not hash with MD5")
        self._writer = writer
        self._file = writer.dbfile
        self._write = writer.dbfile.file.write
        self._position: int = writer.dbfile.tell()
        self._index = writer.index.append
        self._buckets = writer.buckets
        self._last = b""

    def __call__(self, key: bytes, value: bytes) -> None:
        position = self._position
        self._index(position)
        record = _LENGTHS.pack(len(key), len(value)) + key + value
        self._write(record)
        # md5_hash: the digest's low 32 bits.
        hashed = int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big")
        self._buckets[hashed & 255].append((hashed, position))
        self._position = position + len(record)
        self._last = key

    def done(self) -> None:
        if self._last:
            self._writer.lastkey = self._last


def _deltas(ids: list[int]) -> tuple[int, ...]:
    if len(ids) == 1:
        return (ids[0],)
    return tuple(map(sub, ids, chain((0,), ids)))


def _mini_weights(weights: list[float]) -> tuple[float, ...] | float | None:
    first = weights[0]
    if first == 1.0 and all(w == 1.0 for w in weights):
        return None
    if all(w == first for w in weights):
        return first
    return tuple(weights)


def _mini_values(values: list[bytes], fixed: int | None) -> tuple[bytes, ...] | bytes | None:
    # Empty values are no values (Whoosh writes those of formats that have some).
    if fixed is None or fixed < 0:
        return tuple(v for v in values if v) if b"" in values else tuple(values)
    if fixed == 0:
        return None
    return b"".join(values)
