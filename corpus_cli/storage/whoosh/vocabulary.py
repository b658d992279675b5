"""The indexed words of a Whoosh index, for expansion and did-you-mean."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from corpus_cli.query.tree import Prefix, TextField, Wildcard

#: The unstemmed twin of each searched field, where surface words are indexed.
SURFACE_FIELDS: dict[TextField, str] = {"title": "title_exact", "text": "exact"}


class WhooshVocabulary:
    """A :class:`~corpus_cli.query.expand.Vocabulary` over one open searcher."""

    def __init__(self, searcher: Any) -> None:
        self._searcher = searcher
        self._reader = searcher.reader()

    def languages(self) -> list[str]:
        """The languages of the index's articles (codes, as stored)."""
        return [_text(code) for code in self._reader.lexicon("language")]

    def words_within(
        self, field: TextField, word: str, max_edits: int, prefix_length: int
    ) -> list[str]:
        found = self._reader.terms_within(
            SURFACE_FIELDS[field], word, max_edits, prefix=prefix_length
        )
        return [_text(w) for w in found]

    def words_matching(self, node: Prefix | Wildcard, field: TextField) -> list[str]:
        from whoosh import query

        name = SURFACE_FIELDS[field]
        if isinstance(node, Prefix):
            matcher: Any = query.Prefix(name, node.prefix)
        else:
            matcher = query.Wildcard(name, node.pattern)
        try:
            return [_text(text) for _field, text in matcher.expanded_terms(self._reader)]
        except Exception:
            return []

    def word_counts(self, words: Iterable[str], field: TextField = "text") -> dict[str, int]:
        name = SURFACE_FIELDS[field]
        return {word: self._reader.doc_frequency(name, word) for word in words}

    def near_words(self, word: str, max_edits: int, prefix_length: int = 0) -> dict[str, int]:
        if max_edits == 1:
            # Whoosh's terms_within computes a distance for every word sharing the
            # prefix, in Python: ~0.5 s over dice-modena's 25,000 words without one.
            # The ~600 words one edit away are looked up instead, in ~10 ms.
            start = word[:prefix_length]
            candidates: Iterable[str] = (w for w in _one_edit(word) if w.startswith(start))
        else:
            candidates = (
                _text(w)
                for w in self._reader.terms_within("exact", word, max_edits, prefix=prefix_length)
            )
        counts = {w: self._reader.doc_frequency("exact", w) for w in candidates if w != word}
        return {w: n for w, n in counts.items() if n}


#: The characters an edit may add or put in: folded Italian words are made of these
#: (a word's own other characters are added to them).
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def _one_edit(word: str) -> set[str]:
    """Every string one edit from ``word``: a character deleted, inserted, replaced,
    or two neighbours swapped (Damerau's edits, as :func:`edit_distance` counts)."""
    alphabet = set(_ALPHABET) | set(word)
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {a + b[1:] for a, b in splits if b}
    found |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    found |= {a + c + b[1:] for a, b in splits if b for c in alphabet}
    found |= {a + c + b for a, b in splits for c in alphabet}
    found.discard(word)
    return found


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
