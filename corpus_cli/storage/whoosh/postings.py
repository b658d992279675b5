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
from dataclasses import dataclass
from pickle import dumps
from struct import Struct

from corpus_cli.model import Article
from corpus_cli.text.languages import DEFAULT_LANGUAGE, terms

#: whoosh.system.pack_uint: a posting's frequency, as Whoosh encodes it.
pack_uint = Struct("!I").pack
#: pack_uint(n) for the small frequencies nearly every posting has.
PACKED = [pack_uint(n) for n in range(256)]

#: One text's postings: its length in words, and side by side its terms (UTF-8),
#: their counts and their encoded values (frequency, with positions or not).
FieldPostings = tuple[int, list[bytes], list[int], list[bytes]]

#: What the preparer sends for an article: field name -> (length of the string
#: analysed, language, the string's postings), pickled (see Preparer).
Prepared = dict[str, tuple[int, str, FieldPostings]]


def field_postings(text: str, language: str, stemmed: bool, kind: str) -> FieldPostings:
    """The postings of ``text`` in a field of ``kind`` ('positions' or 'frequency'),
    as Whoosh's ``field.index`` would make them."""
    words = terms(text, language, stemmed=stemmed)
    counts: dict[str, int] = {}
    values: list[bytes]
    if kind == "frequency":
        for word in words:
            counts[word] = counts.get(word, 0) + 1
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
