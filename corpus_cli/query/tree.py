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

from dataclasses import dataclass
from typing import Literal

#: A field a query can be scoped to; None stands for both title and text.
TextField = Literal["title", "text"]


@dataclass(frozen=True)
class Term:
    """One word as typed, matched by its stems (``Cina-Russia`` gives two, both required)."""

    word: str
    stems: tuple[str, ...]
    field: TextField | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Words that must stand side by side, matched by their stems."""

    words: tuple[str, ...]
    stems: tuple[str, ...]
    field: TextField | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    """``esercitaz*``: any word as written (folded, unstemmed) that starts with ``prefix``."""

    prefix: str
    field: TextField | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Wildcard:
    """``ci?ta``, ``*zione``: a folded pattern of ``?`` (one character) and ``*`` (any run)."""

    pattern: str
    field: TextField | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Fuzzy:
    """``esercitazone~1``: words as written within ``max_edits`` of ``word`` (folded).

    The first ``prefix_length`` characters must match exactly (none by default).
    """

    word: str
    max_edits: int = 1
    prefix_length: int = 0
    field: TextField | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Surface:
    """Exact words as written (folded, unstemmed): what a fuzzy term expands to."""

    words: tuple[str, ...]
    field: TextField | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Source:
    """``source:"Gazzetta di Modena"``: the article's source, folded, exactly."""

    name: str
    folded: str


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """Excludes what ``child`` matches; only meaningful inside an :class:`And`."""

    child: Node


@dataclass(frozen=True)
class AndMaybe:
    """Matches what ``required`` matches; ``optional`` only adds to the score."""

    required: Node
    optional: Node


@dataclass(frozen=True)
class Nothing:
    """Matches no article (a fuzzy term no indexed word is close to)."""


Leaf = Term | Phrase | Prefix | Wildcard | Fuzzy | Surface | Source | Nothing
Node = Leaf | And | Or | Not | AndMaybe


@dataclass(frozen=True)
class Query:
    """A parsed query: the text as the user typed it (cleaned) and its tree."""

    text: str
    root: Node
