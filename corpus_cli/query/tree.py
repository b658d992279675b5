"""The query tree: what a query means, in the vocabulary of articles, not of an engine.

:func:`corpus_cli.query.parse` turns a query string into one of these trees, once per
command. Every backend compiles the same tree into its engine's query, and the
highlighter reads it too, so a query means the same thing everywhere.

Leaves carry the analysis the parser already did (stems, folded forms), so neither a
backend nor the highlighter analyses the query again. ``field`` is ``None`` for the
searched fields (title and text, the title weighted higher), else ``"title"``,
``"text"`` or, for :class:`Source` only, ``"source"``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from corpus_cli.model import FrozenRecord

#: A field a query can be scoped to; None stands for both title and text.
TextField = Literal["title", "text"]
#: The most words a proximity phrase (``"a b"~N``) lets stand between two of its words.
#: A bound keeps every backend able to answer it the same way (PostgreSQL spells out
#: each distance), and a wider window is no longer proximity in a news article.
MAX_PHRASE_GAP = 20
#: The most arrangements of distances a proximity phrase may have ((gap + 1) to the
#: number of its words less one): ``"a b"~20`` has 21, ``"a b c d"~7`` 512.
MAX_PHRASE_ARRANGEMENTS = 512


@dataclass(eq=False, repr=False)
class Term(FrozenRecord):
    """One word as typed, matched by its stems (``Cina-Russia`` gives two, both required)."""

    word: str
    stems: tuple[str, ...]
    field: TextField | None = None
    boost: float = 1.0


@dataclass(eq=False, repr=False)
class Phrase(FrozenRecord):
    """Words that must stand side by side, matched by their stems; in order with at
    most ``gap`` other words between each two when ``gap`` is set (``"a b"~3``)."""

    words: tuple[str, ...]
    stems: tuple[str, ...]
    field: TextField | None = None
    boost: float = 1.0
    gap: int = 0


@dataclass(eq=False, repr=False)
class Prefix(FrozenRecord):
    """``esercitaz*``: any word as written (folded, unstemmed) that starts with ``prefix``.

    ``written`` is the text as typed when folding changed it (``Straß``, ``войн``):
    the prefix is folded the Italian way, and an article in another language folds
    its words its own way (:func:`corpus_cli.query.languages.localise`).
    """

    prefix: str
    field: TextField | None = None
    boost: float = 1.0
    written: str = ""


@dataclass(eq=False, repr=False)
class Wildcard(FrozenRecord):
    """``ci?ta``, ``*zione``: a folded pattern of ``?`` (one character) and ``*`` (any run);
    ``written`` as :class:`Prefix`'s."""

    pattern: str
    field: TextField | None = None
    boost: float = 1.0
    written: str = ""


@dataclass(eq=False, repr=False)
class Fuzzy(FrozenRecord):
    """``esercitazone~1``: words as written within ``max_edits`` of ``word`` (folded).

    The first ``prefix_length`` characters must match exactly (none by default);
    ``written`` as :class:`Prefix`'s.
    """

    word: str
    max_edits: int = 1
    prefix_length: int = 0
    field: TextField | None = None
    boost: float = 1.0
    written: str = ""


@dataclass(eq=False, repr=False)
class Surface(FrozenRecord):
    """Exact words as written (folded, unstemmed): what a fuzzy term expands to."""

    words: tuple[str, ...]
    field: TextField | None = None
    boost: float = 1.0


@dataclass(eq=False, repr=False)
class Source(FrozenRecord):
    """``source:"Gazzetta di Modena"``: the article's source, folded, exactly."""

    name: str
    folded: str


@dataclass(eq=False, repr=False)
class And(FrozenRecord):
    children: tuple[Node, ...]


@dataclass(eq=False, repr=False)
class Or(FrozenRecord):
    children: tuple[Node, ...]


@dataclass(eq=False, repr=False)
class Not(FrozenRecord):
    """Excludes what ``child`` matches; only meaningful inside an :class:`And`."""

    child: Node


@dataclass(eq=False, repr=False)
class AndMaybe(FrozenRecord):
    """Matches what ``required`` matches; ``optional`` only adds to the score."""

    required: Node
    optional: Node


@dataclass(eq=False, repr=False)
class Nothing(FrozenRecord):
    """Matches no article (a fuzzy term no indexed word is close to)."""


Leaf = Term | Phrase | Prefix | Wildcard | Fuzzy | Surface | Source | Nothing
Node = Leaf | And | Or | Not | AndMaybe


@dataclass(eq=False, repr=False)
class Query(FrozenRecord):
    """A parsed query: the text as the user typed it (cleaned) and its tree.

    ``date:`` clauses are not in the tree (no backend compiles dates): the parser
    lifts them into the range they allow, ``date_from`` to ``date_to`` (None: open).
    Every store ANDs them into the Filters it is given, with
    :func:`corpus_cli.query.dates.narrowed`, so ``store.count(parse("furto
    date:2020"))`` counts 2020 alone from a notebook as from the command line.
    """

    text: str
    root: Node
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    #: The ``date:`` clauses as typed, for messages.
    dates: tuple[str, ...] = ()


def leaves(node: Node, *, excluded: bool = True) -> Iterator[Leaf]:
    """Every leaf under ``node``, left to right; with ``excluded=False``, none under a Not."""
    if isinstance(node, And | Or):
        for child in node.children:
            yield from leaves(child, excluded=excluded)
    elif isinstance(node, AndMaybe):
        yield from leaves(node.required, excluded=excluded)
        yield from leaves(node.optional, excluded=excluded)
    elif isinstance(node, Not):
        if excluded:
            yield from leaves(node.child, excluded=excluded)
    else:
        yield node


def rewrite(node: Node, leaf: Callable[[Node], Node]) -> Node:
    """``node`` rebuilt with ``leaf`` applied to every node under it that is not a
    connective (And, Or, Not, AndMaybe); the connectives are kept as they are."""
    if isinstance(node, And):
        return And(tuple(rewrite(child, leaf) for child in node.children))
    if isinstance(node, Or):
        return Or(tuple(rewrite(child, leaf) for child in node.children))
    if isinstance(node, Not):
        return Not(rewrite(node.child, leaf))
    if isinstance(node, AndMaybe):
        return AndMaybe(rewrite(node.required, leaf), rewrite(node.optional, leaf))
    return leaf(node)
