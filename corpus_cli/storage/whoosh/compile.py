"""The query tree (:mod:`corpus_cli.query.tree`) as a Whoosh query over the index's fields.

Words and phrases go to the stemmed fields (``title``, ``text``); prefixes, wildcards,
fuzzy terms and the words fuzzy terms expanded to go to their unstemmed, folded twins
(``title_exact``, ``exact``); sources to ``source``. An unscoped clause is an OR over
title then text, the shape Whoosh's MultifieldParser gave it. Once normalised, a
query is the very Whoosh query corpus ran before the tree existed (but where
corpus_cli/query/parser.py departs from Whoosh on purpose), so scores and ranks are
unchanged; tests/test_query_parser.py holds a table of them.
"""

from __future__ import annotations

from typing import Any

from corpus_cli.storage.whoosh.lean_import import import_whoosh

import_whoosh()

from whoosh import query as wq  # noqa: E402

from corpus_cli.query.tree import (  # noqa: E402
    And,
    AndMaybe,
    Fuzzy,
    Node,
    Not,
    Nothing,
    Or,
    Phrase,
    Prefix,
    Source,
    Surface,
    Term,
    TextField,
    Wildcard,
)
from corpus_cli.storage.whoosh import queries  # noqa: E402

SEARCHED_FIELDS: tuple[TextField, ...] = ("title", "text")
#: The unstemmed twin of each searched field.
SURFACE_FIELDS: dict[TextField, str] = {"title": "title_exact", "text": "exact"}


def compile_query(node: Node) -> Any:
    """The Whoosh query for ``node`` (call ``.normalize()`` on it before searching)."""
    return _compile(node, per_field_boost=False)


def _compile(node: Node, per_field_boost: bool) -> Any:
    if isinstance(node, Term | Phrase | Prefix | Wildcard | Fuzzy | Surface):
        if node.field is not None:
            return _leaf(node, node.field, node.boost)
        if per_field_boost:
            return queries.Or([_leaf(node, field, node.boost) for field in SEARCHED_FIELDS])
        # A boost typed on an unscoped word (``cina^2``) was the boost of the OR.
        return queries.Or([_leaf(node, field, 1.0) for field in SEARCHED_FIELDS], boost=node.boost)
    if isinstance(node, Source):
        return wq.Term("source", node.folded)
    if isinstance(node, Nothing):
        return wq.NullQuery
    if isinstance(node, And):
        if _only_exclusions_left(node):
            # Whoosh's normalising drops a clause that matches nothing from an AND;
            # with only exclusions left (``rapinatori~ NOT gas`` once the fuzzy term
            # found no word), the query would be every article but the excluded ones.
            return wq.NullQuery
        children = []
        for child in node.children:
            children.append(_compile(child, False))
        return wq.And(children)
    if isinstance(node, Or):
        children = []
        for child in node.children:  # a loop, not a comprehension: one frame per level
            children.append(_compile(child, False))
        return queries.Or(children)
    if isinstance(node, Not):
        return wq.Not(_compile(node.child, False))
    if isinstance(node, AndMaybe):
        # The optional phrase of a plain list of words boosts each field's phrase:
        # that is how corpus built it, where Whoosh would boost the OR.
        optional = _compile(node.optional, isinstance(node.optional, Phrase))
        return queries.AndMaybe(_compile(node.required, False), optional)
    raise TypeError(f"not a query node: {node!r}")


def _only_exclusions_left(node: And) -> bool:
    positive = [child for child in node.children if not isinstance(child, Not)]
    return 0 < len(positive) < len(node.children) and all(map(_matches_nothing, positive))


def _matches_nothing(node: Node) -> bool:
    """Whether ``node`` compiles to a query that Whoosh normalises to its NullQuery."""
    if isinstance(node, Nothing):
        return True
    if isinstance(node, And):
        return _only_exclusions_left(node) or all(map(_matches_nothing, node.children))
    if isinstance(node, Or):
        return all(map(_matches_nothing, node.children))
    if isinstance(node, Not):
        return _matches_nothing(node.child)
    if isinstance(node, AndMaybe):
        return _matches_nothing(node.required)
    return False


def _leaf(
    node: Term | Phrase | Prefix | Wildcard | Fuzzy | Surface, field: TextField, boost: float
) -> Any:
    if isinstance(node, Term):
        if len(node.stems) == 1:
            return wq.Term(field, node.stems[0], boost=boost)
        # A word the analyser splits (Cina-Russia) needs all its stems.
        return wq.And([wq.Term(field, stem, boost=boost) for stem in node.stems])
    if isinstance(node, Phrase):
        # Whoosh's slop is the greatest distance between two words: 1 side by side.
        return queries.Phrase(field, list(node.stems), slop=node.gap + 1, boost=boost)
    surface = SURFACE_FIELDS[field]
    if isinstance(node, Prefix):
        return wq.Prefix(surface, node.prefix, boost=boost)
    if isinstance(node, Wildcard):
        if node.pattern == "*":
            # Whoosh made a lone * "any word of the field" before moving wildcards
            # to the surface fields, so it stayed on the stemmed field.
            return wq.Every(field, boost=boost)
        return wq.Wildcard(surface, node.pattern, boost=boost)
    if isinstance(node, Fuzzy):
        return wq.FuzzyTerm(
            surface, node.word, boost=boost, maxdist=node.max_edits, prefixlength=node.prefix_length
        )
    return queries.Or([wq.Term(surface, word, boost=boost) for word in sorted(node.words)])
