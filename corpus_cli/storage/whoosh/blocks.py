"""A segment's postings written in the W3 codec's format, a term at a time.

What ``W3FieldWriter`` and ``W3PostingsWriter`` do for one posting at a time, done
once per block, and the term index's records written in one call each: the files
Whoosh's readers read, with two departures any of them takes (tiny blocks left
uncompressed, blocks pickled with protocol 3 and no memo: see the constants). It
leans on private attributes of whoosh-reloaded 2.7's W3 codec, as ``segments.py``
does, whose writer and merges call :func:`write_postings`.
"""

from __future__ import annotations

import functools
import io
import pickle
import struct
import zlib
from array import array
from collections.abc import Iterable
from hashlib import md5
from itertools import chain
from operator import sub
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.filedb.filetables import _lengths as _LENGTHS
from whoosh.filedb.filetables import md5_hash
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte

#: A term's postings: document numbers, weights and encoded values, in document order.
Postings = tuple[list[int], list[float], list[bytes]]

#: W3TermInfo's fixed part: flags, weight, document frequency, min and max length
#: bytes, max weight, first and last document.
TERMINFO = struct.Struct("!BfIBBfII")

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


def write_postings(
    fieldwriter: Any,
    schema: Any,
    terms: Iterable[tuple[str, bytes, Postings]],
    lengths: Any,
    doc_count: int,
) -> None:
    """Write every term of ``terms`` (sorted by field and term) in the W3 codec's
    format, block by block.

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

    for fieldname, btext, (docs, weights, values) in terms:
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
            terminfo = TERMINFO.pack(
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
        terminfo = TERMINFO.pack(
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
