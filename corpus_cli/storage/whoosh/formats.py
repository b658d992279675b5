"""How the words of a text field are kept in its postings: smaller than Whoosh's own.

Whoosh's ``Positions`` pickles each posting's position deltas (~17 bytes for a word
seen once in an article, which most postings are), and ``Frequency`` keeps a 4-byte
count beside the weight that already holds it. On 10,000 articles those values were
70 of the index's 153 MB. New indexes use the two formats below instead; an index
written before them keeps Whoosh's (its schema, pickled in its table of contents,
names them), and the writer encodes each index's postings as its own schema says
(``segments._fast_format``).

The classes are pickled by name into every index written with them: their module
and names are part of the index format and must not move.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any, ClassVar

from whoosh import formats

from corpus_cli.storage.whoosh.postings import pack_positions, positions_count, unpack_positions


class PositionArrays(formats.Positions):  # type: ignore[misc]
    """Positions as an array of deltas, 1 to 4 bytes each (``postings.pack_positions``).

    Supports what Whoosh's ``Positions`` does: frequency, weight, positions.
    """

    def encode(self, poslist: list[int]) -> bytes:
        return pack_positions([b - a for a, b in zip([0, *poslist], poslist, strict=False)])

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return unpack_positions(valuestring)

    def decode_frequency(self, valuestring: bytes) -> int:
        return positions_count(valuestring)

    def decode_weight(self, valuestring: bytes) -> float:
        return positions_count(valuestring) * float(self.field_boost)


class Counts(formats.Format):  # type: ignore[misc]
    """How often a word occurs, kept in the posting's weight alone (no value at all).

    Scoring reads a posting's weight, never its value; a surface-word field is
    searched for its words and scored, never for its positions.
    """

    posting_size = 0
    __inittypes__: ClassVar[dict[str, type]] = {"field_boost": float}

    def word_values(self, value: str, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        kwargs["boosts"] = True
        counts: Counter[str] = Counter()
        weights: Counter[str] = Counter()
        for token in formats.tokens(value, analyzer, kwargs):
            counts[token.text] += 1
            weights[token.text] += token.boost
        for word, count in counts.items():
            yield word, count, weights[word] * self.field_boost, b""

    def encode(self, value: Any) -> bytes:
        return b""

    def combine(self, vs: Any) -> bytes:
        return b""
