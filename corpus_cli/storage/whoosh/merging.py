"""Reading a segment that is being merged: its term index and postings file front to back.

Whoosh reads a merged segment term by term as a search would: a hash lookup in the
term index for each term (an MD5 and a few seeks), a matcher for its postings (a
seek and a read per block). Most terms of a segment have a posting or two, so that
was ~60 us a term, three quarters of a merge. A merge wants every term anyway, in
the order the files hold them: here the term index's records are read one after
another and each term's postings are sliced out of the same megabyte of the
postings file, a block decoded as Whoosh's ``W3LeafMatcher`` decodes it.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from array import array
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermsReader
from whoosh.filedb.filetables import _lengths as _LENGTHS

from corpus_cli.storage.whoosh.blocks import TERMINFO, Postings

#: After W3TermInfo's fixed part (blocks.TERMINFO): the postings' offset and length.
_POINTER = struct.Struct("!qi")
#: A block's length: negative for a term's last block.
_BLOCK = struct.Struct("!i")
#: Bytes read from a file at once.
WINDOW = 1 << 20


class _Window:
    """Reads of a Whoosh file that mostly go forwards, served from one buffer."""

    def __init__(self, file: Any) -> None:
        self._file = file
        self._start = 0
        self._buffer = b""

    def get(self, position: int, length: int) -> bytes:
        offset = position - self._start
        if offset < 0 or offset + length > len(self._buffer):
            self._buffer = self._file.get(position, max(length, WINDOW))
            self._start = position
            offset = 0
        if len(self._buffer) < offset + length:
            raise ValueError("a segment file ends inside a record")
        return self._buffer[offset : offset + length]


def readable(reader: Any) -> bool:
    """Whether :func:`segment_terms` can read this reader's segment (the W3 codec's)."""
    return isinstance(getattr(reader, "_terms", None), W3TermsReader)


def segment_terms(reader: Any) -> Iterator[tuple[str, bytes, Postings | None]]:
    """Every term of a W3 segment reader, in the term index's order, with its postings.

    The postings are ``None`` for a term whose postings are kept in its term info
    (which whoosh-reloaded 2.7.5 never writes): the caller reads those as Whoosh does.
    """
    terms = reader._terms
    tindex = terms._tindex
    names = terms._fieldunmap
    schema = reader.schema
    fixed_sizes: dict[str, int | None] = {}
    records = _Window(tindex.dbfile)
    postings = _Window(terms._postfile)
    position, end = tindex.startofdata, tindex.endofdata
    header = _LENGTHS.size
    while position < end:
        key_length, value_length = _LENGTHS.unpack(records.get(position, header))
        record = records.get(position + header, key_length + value_length)
        position += header + key_length + value_length
        fieldname = names[int.from_bytes(record[:2], "big")]
        btext = record[2:key_length]
        value = record[key_length:]
        if value[0]:  # postings inlined in the term info
            yield fieldname, btext, None
            continue
        offset, length = _POINTER.unpack_from(value, TERMINFO.size)
        fixed = fixed_sizes.get(fieldname, -1)
        if fixed == -1:
            fixed = fixed_sizes[fieldname] = schema[fieldname].format.fixed_value_size()
        yield fieldname, btext, _blocks(postings.get(offset, length), fixed)


def _blocks(data: bytes, fixed: int | None) -> Postings:
    """A term's blocks decoded, as W3LeafMatcher's ``_read_ids``/``_weights``/``_values``."""
    if data[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError("a posting list does not start with the W3 header")
    docs: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    stream = io.BytesIO(data)
    position = 4
    while True:
        (size,) = _BLOCK.unpack_from(data, position)
        position += _BLOCK.size
        last = size < 0
        end = position + abs(size)
        stream.seek(position)
        count, _, _, compression, _, _ = pickle.load(stream)
        block = data[stream.tell() : end]
        if compression:
            block = zlib.decompress(block)
        deltas, mini_weights, mini_values = pickle.loads(block)
        docs += accumulate(deltas)
        if mini_weights is None:
            weights += [1.0] * count
        elif isinstance(mini_weights, float):
            # The reader widens a float32 array, as here.
            weights += array("f", [mini_weights]).tolist() * count
        else:
            weights += mini_weights
        if fixed is None or fixed < 0:
            # Whoosh's writer leaves empty values out of the tuple.
            if len(mini_values) == count:
                values += [value or b"" for value in mini_values]
            elif not mini_values:
                values += [b""] * count
            else:
                raise ValueError("a block holds values for some of its postings only")
        elif fixed == 0:
            values += [b""] * count
        else:
            values += [mini_values[i : i + fixed] for i in range(0, len(mini_values), fixed)]
        position = end
        if last:
            return docs, weights, values
