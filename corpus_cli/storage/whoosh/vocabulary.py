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

    def near_words(self, word: str, max_edits: int) -> dict[str, int]:
        found = self._reader.terms_within("exact", word, max_edits)
        near = (_text(w) for w in found)
        return {w: self._reader.doc_frequency("exact", w) for w in near if w != word}


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
