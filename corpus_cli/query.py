"""User queries: parsing into Whoosh queries, filters, and the words to highlight.

The query language is Whoosh's (AND by default, OR, NOT, "phrases", ``*``/``?``
wildcards, ``~`` fuzzy terms, ``title:``/``text:``/``source:`` scoping), adjusted so
that wildcards and fuzzy terms match the words people typed rather than stems.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from corpus_cli.analysis import fold, terms
from corpus_cli.errors import BadDate, QuerySyntaxError

SortOrder = Literal["relevance", "date", "-date"]

#: Fields a user may name in a query, and the index field each stands for.
QUERY_FIELDS = {"title": "title", "text": "text", "source": "source"}
SEARCHED_FIELDS = ("title", "text")
#: The unstemmed twin of each searched field, where wildcards and fuzzy terms go.
SURFACE_FIELDS = {"title": "title_exact", "text": "exact"}
#: Very long queries are almost always pasted text; cut them rather than parse
#: thousands of terms (Whoosh's parser is recursive and slow on them).
MAX_QUERY_CHARS = 1000

_FIELD_PREFIX = re.compile(r"(?:^|(?<=[\s(]))([A-Za-z_][\w-]*):(?=[^\s/])")
_QUOTED = re.compile(r'"[^"]*"')


@dataclass(frozen=True)
class Filters:
    """Restrictions that apply besides the query: a date range and a source."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    source: str | None = None
    #: An agency or outlet the article names (its name as agencies.txt shows it).
    cites: str | None = None

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise BadDate(
                f"--from {self.date_from} is after --to {self.date_to}: nothing can match."
            )

    @property
    def is_empty(self) -> bool:
        return (
            self.date_from is None
            and self.date_to is None
            and self.source is None
            and self.cites is None
        )


@dataclass(frozen=True)
class QueryTerms:
    """What a query matched, in the analyser's terms, for highlighting.

    ``stems`` and ``folded`` are single words (stemmed or surface); ``phrases`` are
    runs of stems that count only when they appear next to each other.
    """

    stems: frozenset[str] = frozenset()
    folded: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not (self.stems or self.folded or self.phrases)


def check_query_text(text: str) -> str:
    """Reject what cannot be a query, with one sentence; return the cleaned text."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise QuerySyntaxError("The query is empty: give at least one word to search for.")
    if len(cleaned) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(
            f"The query is {len(cleaned)} characters long; the limit is {MAX_QUERY_CHARS}."
        )
    unquoted = _QUOTED.sub(" ", cleaned)
    for match in _FIELD_PREFIX.finditer(unquoted):
        name = match.group(1)
        if name.lower() not in QUERY_FIELDS:
            known = ", ".join(f"{f}:" for f in QUERY_FIELDS)
            raise QuerySyntaxError(f"Unknown field '{name}:' in the query; use one of {known}.")
    return cleaned


def parse(text: str, schema: Any) -> Any:
    """Parse ``text`` into a Whoosh query over ``schema``; raise QuerySyntaxError."""
    from whoosh import query as q

    cleaned = check_query_text(text)
    parsed = _plain_query(cleaned, q)
    if parsed is None:
        parsed = _parse_with_whoosh(cleaned, schema, q)
    return _prefer_adjacent(cleaned, parsed, q)


_PLAIN_QUERY = re.compile(r"[^\W\d_]\w*(?:\s+[^\W\d_]\w*)*")


def _plain_query(cleaned: str, q: Any) -> Any:
    """What Whoosh's parser makes of plain words, without loading it (None otherwise).

    Most queries are a word or two; the parser's import and first parse cost ~11 ms
    of a cold search. tests/test_query_language.py checks both give the same query.
    """
    words = cleaned.split()
    if not _PLAIN_QUERY.fullmatch(cleaned) or _OPERATORS & set(words):
        return None
    clauses = []
    for word in words:
        stems = terms(word)
        if len(stems) != 1:
            return None
        clauses.append(q.Or([q.Term(name, stems[0]) for name in SEARCHED_FIELDS]))
    return (clauses[0] if len(clauses) == 1 else q.And(clauses)).normalize()


def _parse_with_whoosh(cleaned: str, schema: Any, q: Any) -> Any:
    from whoosh import qparser

    parser = qparser.MultifieldParser(list(SEARCHED_FIELDS), schema, group=qparser.AndGroup)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    # Lower-case field names typed in capitals (Title:) still mean the field.
    cleaned = _FIELD_PREFIX.sub(lambda m: m.group(1).lower() + ":", cleaned)
    try:
        parsed = parser.parse(cleaned)
    except Exception as error:  # Whoosh raises assorted errors on odd syntax
        raise QuerySyntaxError(f"The query could not be understood ({error}).") from None
    parsed = _to_surface_fields(parsed, q).normalize()
    if parsed is q.NullQuery or not _has_positive_terms(parsed, q):
        raise QuerySyntaxError(
            "The query has no words to search for (only operators or exclusions)."
        )
    return parsed


_PLAIN_WORDS = re.compile(r"[^\W\d_][\w'’]*(?:\s+[^\W\d_][\w'’]*)+")
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})


def _prefer_adjacent(cleaned: str, parsed: Any, q: Any) -> Any:
    """For a plain list of words, rank articles where they stand together first.

    BM25 ignores proximity, so "esercitazioni congiunte" would rank an article with
    the two words far apart as high as one with the very phrase; an optional phrase
    clause only adds to the score, never removes a hit.
    """
    if not _PLAIN_WORDS.fullmatch(cleaned) or _OPERATORS & set(cleaned.split()):
        return parsed
    stems = terms(cleaned)
    if len(stems) < 2:
        return parsed
    phrase = q.Or([q.Phrase(f, stems, boost=2.0) for f in SEARCHED_FIELDS])
    return q.AndMaybe(parsed, phrase)


_WORD_TOKEN = re.compile(r"(?<![\w:*?~])([^\W\d_][\w'’]*)(?![\w:*?~])")


_SOURCE_CLAUSE = re.compile(r'source:(?:"[^"]*"|\S+)', re.I)


def plain_words(text: str) -> list[str]:
    """The ordinary words of a query: no operators, sources, wildcards or fuzzy terms."""
    text = _SOURCE_CLAUSE.sub(" ", text)
    return [w for w in _WORD_TOKEN.findall(text) if w not in _OPERATORS]


def _to_surface_fields(node: Any, q: Any) -> Any:
    """Send wildcard and fuzzy terms to the unstemmed field; fold source names."""
    if isinstance(node, (q.Wildcard, q.Prefix, q.FuzzyTerm)) and node.fieldname in SEARCHED_FIELDS:
        copy = node.copy()
        copy.fieldname = SURFACE_FIELDS[node.fieldname]
        copy.text = fold(node.text)
        return copy
    if isinstance(node, q.Term) and node.fieldname == "source":
        return q.Term("source", fold(node.text))
    if node.is_leaf():
        return node
    return node.apply(lambda child: _to_surface_fields(child, q))


def _has_positive_terms(node: Any, q: Any) -> bool:
    if isinstance(node, q.Not):
        return False
    if node.is_leaf():
        return node is not q.NullQuery
    if isinstance(node, q.AndNot):
        return _has_positive_terms(node.a, q)
    return any(_has_positive_terms(child, q) for child in node.children())


_ENDING = re.compile(r"[aeiou]$")
MAX_FUZZY_EDITS = 2
_SURFACE = frozenset(SURFACE_FIELDS.values())


def expand_fuzzy(node: Any, reader: Any) -> Any:
    """Replace fuzzy terms by the indexed words they match, ignoring final vowels.

    Italian inflects mostly in the last vowel (esercitazione, esercitazioni), so a
    typo in the singular would otherwise be two edits from the plural in the text:
    a word also matches when the two agree within the distance once each has lost
    its final vowel.
    """
    from whoosh import query as q
    from whoosh.support.levenshtein import distance

    if isinstance(node, q.FuzzyTerm) and node.fieldname in _SURFACE:
        wanted, limit = node.text, node.maxdist
        if limit > MAX_FUZZY_EDITS:
            # The candidates grow with every edit allowed: ~6 took 25 s on 5 articles.
            raise QuerySyntaxError(
                f"'{wanted}~{limit}' allows too many edits; use ~1 or ~{MAX_FUZZY_EDITS}."
            )
        stem_wanted = _ENDING.sub("", wanted)
        # Short words differ in their last vowel too often (rapina, rapida).
        forgive_ending = len(stem_wanted) >= 7
        prefix = node.prefixlength
        words = [
            word
            for word in reader.terms_within(node.fieldname, wanted, limit + 1, prefix=prefix)
            if distance(word, wanted, limit + 1) <= limit
            or (forgive_ending and distance(_ENDING.sub("", word), stem_wanted, limit + 1) <= limit)
        ]
        if not words:
            return q.NullQuery
        return q.Or([q.Term(node.fieldname, w, boost=node.boost) for w in sorted(words)])
    if node.is_leaf():
        return node
    return node.apply(lambda child: expand_fuzzy(child, reader))


def query_terms(node: Any, reader: Any) -> QueryTerms:
    """The stems, surface words and phrases a parsed query looks for, NOT branches excluded.

    Wildcard and fuzzy terms are expanded against the index's own vocabulary, so the
    highlighter marks the very words they matched.
    """
    from whoosh import query as q

    stems: set[str] = set()
    folded: set[str] = set()
    phrases: list[tuple[str, ...]] = []

    def walk(n: Any) -> None:
        if isinstance(n, q.Not):
            return
        if isinstance(n, q.AndNot):
            walk(n.a)
            return
        if isinstance(n, q.Phrase):
            if n.fieldname in SEARCHED_FIELDS:
                phrases.append(tuple(n.words))
            return
        if isinstance(n, (q.Wildcard, q.Prefix, q.FuzzyTerm)):
            if n.fieldname in _SURFACE:
                folded.update(
                    text if isinstance(text, str) else text.decode("utf-8")
                    for _field, text in _expand(n, reader)
                )
            return
        if isinstance(n, q.Term):
            if n.fieldname in SEARCHED_FIELDS:
                stems.add(n.text)
            elif n.fieldname in _SURFACE:
                folded.add(n.text)
            return
        if not n.is_leaf():
            for child in n.children():
                walk(child)

    walk(node)
    return QueryTerms(frozenset(stems), frozenset(folded), tuple(dict.fromkeys(phrases)))


def _expand(node: Any, reader: Any) -> list[tuple[str, Any]]:
    try:
        return list(node.expanded_terms(reader))[:200]
    except Exception:
        return []
