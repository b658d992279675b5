"""The query tree (:mod:`corpus_cli.query.tree`) as SQL over ``corpus_articles``.

Text leaves become ``tsquery`` literals over the article's ``terms`` vector
(:mod:`.vectors`): a word its stems (``'stem'``, several stems ANDed within one
field), a phrase its stems side by side (``<->``), a prefix the surface words that
start with it (``'.pre':*``), a fuzzy term's or a wildcard's expansion the OR of
surface words. A field scope is a weight: ``:A`` the title, ``:D`` the text.
Sources (``source_keys @> ...``: the article's own or a copy's) and a lone ``*``
are SQL; every subtree that is text alone stays one tsquery, so one GIN index scan
answers it.

Clauses that match nothing are dropped as Whoosh's normalising drops them (from
an AND or an OR; an AND left with exclusions only matches nothing), so the two
backends answer alike.

Ranking is in two steps. ``ts_rank`` over the OR of the positive leaves (an
AND-MAYBE's optional part included, title weighted twice the text) picks the
candidates in SQL; :mod:`.ranking` scores those as the Whoosh backend does (BM25F),
from :attr:`Compiled.scored`: each positive leaf in each field it is searched in.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from corpus_cli.query.exact import exact_bonus
from corpus_cli.query.expand import Vocabulary, expand_fuzzy
from corpus_cli.query.tree import (
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
from corpus_cli.storage.postgresql.filtering import SOURCE_MATCH
from corpus_cli.storage.postgresql.tiers import titled
from corpus_cli.storage.postgresql.vectors import SURFACE, quote

#: ts_rank's weights, in its order {D, C, B, A}: a title match (A) counts twice a text
#: match (D), as the Whoosh schema's field_boost of 2 on the title makes it.
RANK_WEIGHTS = "{0.5, 0, 0, 1.0}"
#: ts_rank normalisation 1: divided by 1 + the log of the article's length.
RANK_NORMALISATION = 1
#: ts_rank of a 600-word article is of the order of 0.01-0.1; scaled so that a
#: matching Source clause (:data:`SOURCE_SCORE`, it has no terms to rank) weighs
#: about as much as a word when the candidates are picked.
RANK_SCALE = 10.0
SOURCE_SCORE = 0.1

_WEIGHT = {None: "", "title": "A", "text": "D"}
_FIELD_SQL = {
    None: "(a.title_length > 0 OR a.text_length > 0)",
    "title": "a.title_length > 0",
    "text": "a.text_length > 0",
}


class WordSource(Vocabulary, Protocol):
    """The store's vocabulary, which also expands a wildcard over several fields at once."""

    def matching(self, node: Prefix | Wildcard, fields: tuple[TextField, ...]) -> list[str]: ...


@dataclass(frozen=True)
class Scored:
    """A positive leaf of a query in one field, as :mod:`.ranking` scores it.

    ``kind`` "stems": BM25 of each stem of ``lexemes`` at its count of positions in
    the field, where all of them are in it (a word the analyser splits needs all its
    stems) and, for a phrase (``gap`` not None), side by side or at most ``gap``
    words apart, in order; "words": BM25 of each marked surface word the field
    holds, scored as the Whoosh backend's unboosted surface fields; "prefix": the same
    of every surface word that starts with ``lexemes[0]``; "constant": ``boost``
    where ``match`` (SQL and its parameters) holds. The others are told from the
    positions of their lexemes in the article's vector.
    """

    kind: Literal["stems", "words", "prefix", "constant"]
    field: TextField
    lexemes: tuple[str, ...]
    boost: float
    match: tuple[str, tuple[Any, ...]] | None = None
    gap: int | None = None


@dataclass
class Compiled:
    """A query as a WHERE condition and a score expression, each with its parameters;
    with ``ranked``, the leaves and sources that score a match."""

    where: str
    params: list[Any] = field(default_factory=list)
    score: str = "1.0"
    score_params: list[Any] = field(default_factory=list)
    scored: list[Scored] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


#: A compiled part: a tsquery literal, or SQL with parameters.
@dataclass(frozen=True)
class _Ts:
    query: str


@dataclass(frozen=True)
class _Sql:
    sql: str
    params: tuple[Any, ...] = ()


_Part = _Ts | _Sql


def compile_query(
    node: Node, words: WordSource, ranked: bool = False, title_marks: bool = False
) -> Compiled | None:
    """The SQL for ``node`` (fuzzy terms expanded already); None when nothing can match.

    ``title_marks``: the vectors mark the lexemes of titles (:func:`.tiers.titled`); a
    clause scoped to the title also asks for those, so that the GIN index finds its
    few titles instead of every article that has the word, each one then read to see
    where the word is (3 s for ``title:carabinieri`` at 100,000 articles).

    ``ranked``: also what ranks the matches. ``score`` picks the candidates: one
    ``ts_rank`` over the OR of the positive leaves and the exact forms typed
    (:mod:`corpus_cli.query.exact`); each ``ts_rank`` decompresses every match's
    vector anew, so one call costs half of two. ``scored`` and ``sources`` are
    what :mod:`.ranking` scores the candidates by.
    """
    resolved = resolve(node, words)
    if resolved is None:
        return None
    where = _sql(_compile(resolved, title_marks))
    compiled = Compiled(where.sql, list(where.params))
    if not ranked:
        return compiled
    clauses = _scored_clauses(resolved)
    leaves = [_leaf(c) for c in clauses if isinstance(c, Term | Phrase | Prefix | Surface)]
    compiled.sources = list(dict.fromkeys(c.folded for c in clauses if isinstance(c, Source)))
    bonus = exact_bonus(resolved)
    for clause in clauses + (_scored_clauses(bonus) if bonus else []):
        if not isinstance(clause, Source):
            compiled.scored.extend(_in_fields(clause))
    if bonus is not None:
        exact = _compile(bonus)
        assert isinstance(exact, _Ts)  # surface words only: one tsquery
        leaves.append(exact.query)
    scores: list[str] = []
    if leaves:
        scores.append(f"{RANK_SCALE} * ts_rank(%s, a.terms, %s::tsquery, {RANK_NORMALISATION})")
        compiled.score_params += [RANK_WEIGHTS, " | ".join(dict.fromkeys(leaves))]
    for folded in compiled.sources:
        scores.append(f"CASE WHEN {SOURCE_MATCH} THEN {SOURCE_SCORE} ELSE 0 END")
        compiled.score_params.append(folded)
    if scores:
        compiled.score = f"({' + '.join(scores)})"
    return compiled


# -- resolving: wildcards to words, clauses that match nothing dropped --------------


def resolve(node: Node, words: WordSource) -> Node | None:
    """``node`` with wildcards expanded and empty clauses dropped, Whoosh's way (None: nothing)."""
    if isinstance(node, Nothing):
        return None
    if isinstance(node, Term | Phrase):
        return node if node.stems else None
    if isinstance(node, Prefix):
        if not node.prefix:
            return Wildcard("*", node.field, node.boost)
        return node
    if isinstance(node, Wildcard):
        return _wildcard(node, words)
    if isinstance(node, Fuzzy):  # the store expands them first; this is for other callers
        return resolve(expand_fuzzy(node, words), words)
    if isinstance(node, Surface):
        return node if node.words else None
    if isinstance(node, Source):
        return node
    if isinstance(node, Not):
        child = resolve(node.child, words)
        return None if child is None else Not(child)
    if isinstance(node, AndMaybe):
        required = resolve(node.required, words)
        if required is None:
            return None
        optional = resolve(node.optional, words)
        return required if optional is None else AndMaybe(required, optional)
    if isinstance(node, And | Or):
        children = []
        for child in node.children:  # a loop, not a comprehension: one frame per level
            kept = resolve(child, words)
            if kept is not None:
                children.append(kept)
        if not children:
            return None
        dropped = len(children) < len(node.children)
        if isinstance(node, And) and dropped and all(isinstance(c, Not) for c in children):
            # Whoosh: an AND whose every positive clause matched nothing.
            return None
        if len(children) == 1:
            return children[0]
        return type(node)(tuple(children))
    raise TypeError(f"not a query node: {node!r}")


def _wildcard(node: Wildcard, words: WordSource) -> Node | None:
    pattern = node.pattern
    if pattern == "*":
        return node  # any word of the field: SQL on the field's length
    if not any(char in pattern for char in "*?["):
        # Whoosh turns a wildcard without wildcards into the word itself.
        return Surface((pattern,), node.field, node.boost)
    if pattern.endswith("*") and not any(char in pattern[:-1] for char in "*?["):
        return Prefix(pattern[:-1], node.field, node.boost)
    fields: tuple[TextField, ...] = ("title", "text") if node.field is None else (node.field,)
    found = words.matching(node, fields)
    return Surface(tuple(found), node.field, node.boost) if found else None


# -- compiling ----------------------------------------------------------------------


def _leaf(node: Term | Phrase | Prefix | Surface) -> str:
    weight = _WEIGHT[node.field]
    mark = f":{weight}" if weight else ""
    if isinstance(node, Term):
        if len(node.stems) == 1:
            return quote(node.stems[0]) + mark
        # A word the analyser splits (Cina-Russia) needs all its stems in one field.
        fields = [":A", ":D"] if not weight else [mark]
        groups = ["(" + " & ".join(quote(s) + m for s in node.stems) + ")" for m in fields]
        return "(" + " | ".join(groups) + ")"
    if isinstance(node, Phrase):
        if len(node.stems) == 1:
            return quote(node.stems[0]) + mark
        # Title and text positions never come near (vectors.TITLE_TEXT_GAP), so an
        # unscoped phrase needs no weight.
        if not node.gap:
            return "(" + " <-> ".join(quote(s) + mark for s in node.stems) + ")"
        # tsquery has no "within N": each distance is spelled out, word by word, from
        # where the words before it ended (as Whoosh's slop counts it). The parser
        # bounds the arrangements (query.tree.MAX_PHRASE_ARRANGEMENTS).
        near = quote(node.stems[0]) + mark
        for stem in node.stems[1:]:
            word = quote(stem) + mark
            near = "(" + " | ".join(f"{near} <{d}> {word}" for d in range(1, node.gap + 2)) + ")"
        return near
    if isinstance(node, Prefix):
        return f"{quote(SURFACE + node.prefix)}:*{weight}"
    return "(" + " | ".join(quote(SURFACE + w) + mark for w in sorted(node.words)) + ")"


def _in_title(node: Term | Phrase | Prefix | Surface) -> str:
    """The title marks a title-scoped leaf needs (see :func:`compile_query`)."""
    if isinstance(node, Term | Phrase):
        return " & ".join(quote(titled(stem)) for stem in dict.fromkeys(node.stems))
    if isinstance(node, Prefix):
        return f"{quote(titled(SURFACE + node.prefix))}:*"
    return "(" + " | ".join(quote(titled(SURFACE + w)) for w in sorted(node.words)) + ")"


def _compile(node: Node, title_marks: bool = False) -> _Part:
    if isinstance(node, Term | Phrase | Prefix | Surface):
        if title_marks and node.field == "title":
            return _Ts(f"({_leaf(node)} & {_in_title(node)})")
        return _Ts(_leaf(node))
    if isinstance(node, Wildcard):  # the lone *
        return _Sql(_FIELD_SQL[node.field])
    if isinstance(node, Source):
        return _Sql(SOURCE_MATCH, (node.folded,))
    if isinstance(node, Not):
        inner = _compile(node.child, title_marks)
        if isinstance(inner, _Ts):
            return _Ts(f"!{inner.query}" if inner.query.startswith("(") else f"!({inner.query})")
        return _Sql(f"NOT ({inner.sql})", inner.params)
    if isinstance(node, AndMaybe):
        return _compile(node.required, title_marks)
    if isinstance(node, And | Or):
        parts = []
        for child in node.children:
            parts.append(_compile(child, title_marks))
        return _combine(parts, "&" if isinstance(node, And) else "|")
    raise TypeError(f"not a query node: {node!r}")


def _combine(parts: list[_Part], operator: str) -> _Part:
    texts = [part.query for part in parts if isinstance(part, _Ts)]
    others = [part for part in parts if isinstance(part, _Sql)]
    merged = _Ts("(" + f" {operator} ".join(texts) + ")") if texts else None
    if not others:
        assert merged is not None
        return merged
    pieces = ([_sql(merged)] if merged else []) + others
    joiner = " AND " if operator == "&" else " OR "
    params: tuple[Any, ...] = ()
    for piece in pieces:
        params += piece.params
    return _Sql("(" + joiner.join(f"({piece.sql})" for piece in pieces) + ")", params)


def _sql(part: _Part) -> _Sql:
    if isinstance(part, _Sql):
        return part
    return _Sql("a.terms @@ %s::tsquery", (part.query,))


def _scored_clauses(
    node: Node,
) -> list[Term | Phrase | Prefix | Surface | Wildcard | Not | Source]:
    """The clauses that add to a match's score: the leaves and sources not under a NOT
    (an AND-MAYBE's optional part included), and the NOTs themselves (in Whoosh an
    excluded clause scores its boost, 1, where it holds: ``rapina -furto`` scores one
    more than ``rapina``)."""
    if isinstance(node, Term | Phrase | Prefix | Surface | Wildcard | Not | Source):
        return [node]
    if isinstance(node, AndMaybe):
        return _scored_clauses(node.required) + _scored_clauses(node.optional)
    if isinstance(node, And | Or):
        found = []
        for child in node.children:  # a loop, not a comprehension: one frame per level
            found += _scored_clauses(child)
        return found
    return []


def _in_fields(node: Term | Phrase | Prefix | Surface | Wildcard | Not) -> list[Scored]:
    """``node`` scored in each field it searches, as Whoosh's OR over title and text."""
    if isinstance(node, Not):
        holds = _sql(_compile(node))
        return [Scored("constant", "text", (), 1.0, (holds.sql, holds.params))]
    fields: tuple[TextField, ...] = ("title", "text") if node.field is None else (node.field,)
    scored = []
    for name in fields:
        scoped = dataclasses.replace(node, field=name)
        if isinstance(scoped, Wildcard):  # the lone *: a field with words
            scored.append(Scored("constant", name, (), node.boost, (_FIELD_SQL[name], ())))
            continue
        if isinstance(scoped, Term):
            scored.append(Scored("stems", name, scoped.stems, node.boost))
        elif isinstance(scoped, Phrase):
            scored.append(Scored("stems", name, scoped.stems, node.boost, gap=scoped.gap))
        elif isinstance(scoped, Surface):
            words = tuple(SURFACE + word for word in scoped.words)
            scored.append(Scored("words", name, words, node.boost))
        else:
            scored.append(Scored("prefix", name, (SURFACE + scoped.prefix,), node.boost))
    return scored
