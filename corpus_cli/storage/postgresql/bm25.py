"""Whoosh's BM25F, one term in one field at a time, as this backend computes it.

A term's score in a field is ``idf * impact``: the inverse document frequency, the
same for every article, times the *impact*, what the term's count and the field's
length make of it. :mod:`.ranking` scores candidates with :func:`bm25`;
:mod:`.tiers` files each article's impacts in bands at ingest, so that a search can
leave out the articles whose impacts are too low to reach its first page.
"""

from __future__ import annotations

import math

B = 0.75
K1 = 1.2
#: Whoosh's field boost of each searched field (the stemmed title's is 2; the
#: surface fields have none), by (kind of lexeme, field).
FIELD_BOOST = {("stems", "title"): 2.0}
#: The highest impact there is (an endless count in an empty field).
TOP_IMPACT = K1 + 1


def impact(tf: float, length: float, average: float) -> float:
    """BM25's saturation of ``tf`` occurrences in a field of ``length`` words, where
    fields average ``average`` words: 0 for none, 1 for one in an average field, up
    to :data:`TOP_IMPACT`."""
    return (tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * length / average))


def bm25(idf: float, tf: float, length: float, average: float) -> float:
    return idf * impact(tf, length, average)


def idf(articles: int, docs: int) -> float:
    """Whoosh's inverse document frequency: log(N / (df + 1)) + 1."""
    return math.log(articles / (docs + 1)) + 1
