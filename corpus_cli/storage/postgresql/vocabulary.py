"""The indexed words of a corpus (``corpus_words``), for expansion and did-you-mean.

Words are compared in the ``C`` collation, code point by code point, so "in index
order" is the order of Whoosh's lexicon. Edit distances are Levenshtein's, as
Whoosh's automata count them (a transposition is two edits): with the
``fuzzystrmatch`` extension the server computes them, else they are computed here
over the words that share the prefix and are of a length that can be near enough.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from typing import Any

from corpus_cli.query.expand import edit_distance
from corpus_cli.query.tree import Prefix, TextField, Wildcard

#: fuzzystrmatch's levenshtein() takes strings of at most this many characters.
_LEVENSHTEIN_MAX = 255
_DOCS = {"title": "title_docs", "text": "text_docs"}
_LIKE_SPECIAL = re.compile(r"([\\%_])")


def like_prefix(prefix: str) -> str:
    """A LIKE pattern (ESCAPE '\\') for the words starting with ``prefix``."""
    return _LIKE_SPECIAL.sub(r"\\\1", prefix) + "%"


def _like_of_glob(pattern: str) -> str:
    """A LIKE pattern that every word the glob matches also matches (maybe more)."""
    head, bracket, _ = pattern.partition("[")
    out = []
    for char in head:
        if char == "*":
            out.append("%")
        elif char == "?":
            out.append("_")
        else:
            out.append(_LIKE_SPECIAL.sub(r"\\\1", char))
    if bracket or not out or out[-1] != "%":
        out.append("%" if bracket else "")
    return "".join(out)


def _field_condition(fields: Iterable[TextField]) -> str:
    return "(" + " OR ".join(f"{_DOCS[f]} > 0" for f in fields) + ")"


def levenshtein(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once it must exceed it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        row = [i]
        best = i
        for j, y in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x != y))
            row.append(cost)
            best = min(best, cost)
        if best > limit:
            return limit + 1
        previous = row
    return previous[-1]


#: The languages of the articles, from the small table ingest keeps: one row a
#: language (a distinct over the articles, or the skip scan of their index that
#: was here before, would read every shard under Citus for every query).
LANGUAGES_SQL = "SELECT language FROM corpus_languages WHERE articles > 0 ORDER BY language"


class PostgresVocabulary:
    """A :class:`~corpus_cli.query.expand.Vocabulary` over one connection."""

    def __init__(self, cursor: Any, fuzzystrmatch: bool) -> None:
        self._cursor = cursor
        self._server_distance = fuzzystrmatch

    def languages(self) -> list[str]:
        """The languages of the index's articles."""
        return self._words(LANGUAGES_SQL, [])

    def _words(self, sql: str, params: list[Any]) -> list[str]:
        self._cursor.execute(sql, params)
        return [row[0] for row in self._cursor.fetchall()]

    def _near(
        self, fields: Iterable[TextField], word: str, max_edits: int, prefix: str, order: str
    ) -> list[tuple[str, int]]:
        """The words of ``fields`` within the distance, each with its articles' count."""
        conditions = [_field_condition(fields), "length(word) BETWEEN %s AND %s"]
        params: list[Any] = [max(len(word) - max_edits, 0), len(word) + max_edits]
        if prefix:
            conditions.append("word LIKE %s ESCAPE '\\'")
            params.append(like_prefix(prefix))
        server = self._server_distance and len(word) + max_edits <= _LEVENSHTEIN_MAX
        if server:
            conditions.append("levenshtein_less_equal(word, %s, %s) <= %s")
            params += [word, max_edits, max_edits]
        self._cursor.execute(
            f"SELECT word, text_docs FROM corpus_words WHERE {' AND '.join(conditions)} "
            f"ORDER BY {order}",
            params,
        )
        found: list[tuple[str, int]] = self._cursor.fetchall()
        if server:
            return found
        return [(w, n) for w, n in found if levenshtein(w, word, max_edits) <= max_edits]

    def words_within(
        self, field: TextField, word: str, max_edits: int, prefix_length: int
    ) -> list[str]:
        near = self._near((field,), word, max_edits, word[:prefix_length], "word")
        return [w for w, _docs in near]

    def words_matching(self, node: Prefix | Wildcard, field: TextField) -> list[str]:
        return self.matching(node, (field,))

    def matching(self, node: Prefix | Wildcard, fields: Iterable[TextField]) -> list[str]:
        """The words of any of ``fields`` that a prefix or wildcard matches, in order."""
        condition = _field_condition(fields)
        if isinstance(node, Prefix):
            return self._words(
                f"SELECT word FROM corpus_words WHERE {condition} AND word LIKE %s ESCAPE '\\' "
                "ORDER BY word",
                [like_prefix(node.prefix)],
            )
        # Whoosh's Wildcard: fnmatch's glob (``*``, ``?``, ``[...]``), matched whole.
        found = self._words(
            f"SELECT word FROM corpus_words WHERE {condition} AND word LIKE %s ESCAPE '\\' "
            "ORDER BY word",
            [_like_of_glob(node.pattern)],
        )
        glob = re.compile(fnmatch.translate(node.pattern))
        return [word for word in found if glob.match(word)]

    def word_counts(self, words: Iterable[str], field: TextField = "text") -> dict[str, int]:
        wanted = list(dict.fromkeys(words))
        self._cursor.execute(
            f"SELECT word, {_DOCS[field]} FROM corpus_words WHERE word = ANY(%s)", (wanted,)
        )
        found = dict(self._cursor.fetchall())
        return {word: found.get(word, 0) for word in wanted}

    def near_words(self, word: str, max_edits: int, prefix_length: int = 0) -> dict[str, int]:
        # Levenshtein counts a transposition as two edits: twice the distance finds
        # every word within it as edit_distance counts, which then keeps those.
        near = self._near(("text",), word, 2 * max_edits, word[:prefix_length], "word")
        return {
            w: n
            for w, n in near
            if w != word
            and abs(len(w) - len(word)) <= max_edits
            and edit_distance(w, word) <= max_edits
        }
