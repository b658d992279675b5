"""An article's postings, made where the article is read: the writer only gathers them.

Analysing an article's text fields (words, stems, their counts and positions in
Whoosh's encoding) was three quarters of what the main process of an ingest did
per article, one core for all while the reading processes waited on it. The
store's preparer (:class:`Preparer`) does it in the reading processes instead, and
sends each article's postings back as one pickle; ``segments.py`` adds them to its
pool as they are, or makes them itself with :func:`field_postings` for a document
that came without (one written again from its stored fields), so both ways give
the same bytes.

This module does not import Whoosh: the reading processes never load it.
"""

from __future__ import annotations

import pickle
import sys
from array import array
from dataclasses import dataclass
from itertools import accumulate
from pickle import dumps
from struct import Struct

from corpus_cli.model import Article
from corpus_cli.text.languages import DEFAULT_LANGUAGE, terms

#: whoosh.system.pack_uint: a posting's frequency, as Whoosh encodes it.
pack_uint = Struct("!I").pack
#: pack_uint(n) for the small frequencies nearly every posting has.
PACKED = [pack_uint(n) for n in range(256)]

#: How a field's postings are encoded (``segments._fast_format``): as Whoosh's own
#: ``Positions`` (pickled position deltas) and ``Frequency`` (a 4-byte count), which
#: indexes written before formats.py keep, or as formats.py's two, which new indexes
#: use.
PICKLED_POSITIONS = "positions"
FREQUENCY = "frequency"
POSITION_ARRAYS = "position arrays"
COUNTS = "counts"
#: The array types of position deltas, smallest first, and the largest delta each holds.
_ARRAY_TYPES = (("B", 0xFF), ("H", 0xFFFF), ("I", 0xFFFF_FFFF))
_SWAP = sys.byteorder != "little"


def pack_positions(steps: list[int]) -> bytes:
    """Position deltas as one type byte and an array of them, little-endian.

    Each delta takes 1, 2 or 4 bytes (the smallest type that holds the largest),
    where Whoosh's pickle took ~2 each plus ~13 for the list: 3 bytes instead of 17
    for the word seen once in an article, which most postings are. C packs it and
    C unpacks it (:func:`unpack_positions`), as it did the pickle.
    """
    top = max(steps)
    code = next((code for code, limit in _ARRAY_TYPES if top <= limit), None)
    if code is None:
        raise ValueError(f"a position delta of {top} is past what an index keeps")
    packed = array(code, steps)
    if _SWAP:
        packed.byteswap()
    return code.encode("ascii") + packed.tobytes()


#: The type byte of positions packed one byte each.
_ONE_BYTE = ord("B")
#: pack_positions([p]) for the first positions, made once.
_ONCE_BELOW = 1024
_ONCE = [b"B" + bytes((p,)) for p in range(256)] + [
    b"H" + p.to_bytes(2, "little") for p in range(256, _ONCE_BELOW)
]


def unpack_positions(value: bytes) -> list[int]:
    """The positions :func:`pack_positions` packed the deltas of."""
    steps = array(chr(value[0]), value[1:])
    if _SWAP:
        steps.byteswap()
    return list(accumulate(steps))


def adjacent(values: list[bytes]) -> bool:
    """Do the words whose packed positions these are follow each other, each right
    after the one before it, somewhere? (A phrase's words, slop 1.)

    Read from the packed values: a word seen once below position 256 (most words of
    a text) is its second byte, with no array made.
    """
    chain = _positions_set(values[0])
    for value in values[1:]:
        chain = {end + 1 for end in chain}.intersection(_positions_set(value))
        if not chain:
            return False
    return True


def _positions_set(value: bytes) -> set[int]:
    if len(value) == 2 and value[0] == _ONE_BYTE:  # one position, one byte
        return {value[1]}
    return set(unpack_positions(value))


def positions_count(value: bytes) -> int:
    """How many positions a :func:`pack_positions` value holds, without unpacking it."""
    return (len(value) - 1) // array(chr(value[0])).itemsize


#: One text's postings: its length in words, and side by side its terms (UTF-8),
#: their counts and their encoded values (frequency, with positions or not).
FieldPostings = tuple[int, list[bytes], list[int], list[bytes]]

#: What the preparer sends for an article: field name -> (length of the string
#: analysed, language, the string's postings), pickled (see Preparer).
Prepared = dict[str, tuple[int, str, FieldPostings]]


def field_postings(text: str, language: str, stemmed: bool, kind: str) -> FieldPostings:
    """The postings of ``text`` in a field whose postings are encoded as ``kind``
    (one of the four above), as Whoosh's ``field.index`` would make them."""
    words = terms(text, language, stemmed=stemmed)
    counts: dict[str, int] = {}
    values: list[bytes]
    if kind in (FREQUENCY, COUNTS):
        for word in words:
            counts[word] = counts.get(word, 0) + 1
        if kind == COUNTS:
            values = [b""] * len(counts)  # the count is the posting's weight
        else:
            values = [PACKED[n] if n < 256 else pack_uint(n) for n in counts.values()]
    else:
        # Positions: each word's positions as deltas from its previous occurrence.
        deltas: dict[str, list[int]] = {}
        last: dict[str, int] = {}
        for position, word in enumerate(words):
            previous = last.get(word)
            if previous is None:
                deltas[word] = [position]
            else:
                deltas[word].append(position - previous)
            last[word] = position
        values = []
        if kind == POSITION_ARRAYS:
            for word, steps in deltas.items():
                n = counts[word] = len(steps)
                # Most words occur once in a text: their value is one of a few hundred.
                if n == 1 and steps[0] < _ONCE_BELOW:
                    values.append(_ONCE[steps[0]])
                else:
                    values.append(pack_positions(steps))
        else:
            for word, steps in deltas.items():
                n = counts[word] = len(steps)
                values.append((PACKED[n] if n < 256 else pack_uint(n)) + dumps(steps, 2))
    return len(words), [word.encode("utf-8") for word in counts], list(counts.values()), values


@dataclass(frozen=True)
class Preparer:
    """The Whoosh store's preparer: an article's text fields as postings, pickled.

    ``fields`` holds, per field the writer can take postings for, its name, the
    article attribute it is written from, its kind and whether it is stemmed (from
    the schema: ``WhooshStore.preparer``). The result is one bytes object, which is
    what a batch holds per article until its commit: a fraction of the memory the
    lists would take.
    """

    fields: tuple[tuple[str, str, str, bool], ...]

    def __call__(self, article: Article) -> bytes:
        language = article.language or DEFAULT_LANGUAGE
        out: Prepared = {}
        for name, attribute, kind, stemmed in self.fields:
            text = getattr(article, attribute) or ""
            out[name] = (len(text), language, field_postings(text, language, stemmed, kind))
        return pickle.dumps(out, pickle.HIGHEST_PROTOCOL)


def unpickled(prepared: object) -> Prepared | None:
    """What a preparer made, or None if ``prepared`` is not that."""
    if not isinstance(prepared, bytes):
        return None
    found = pickle.loads(prepared)
    return found if isinstance(found, dict) else None
