"""A query tree for the languages of an index: each word analysed once per language.

The parser analyses words as Italian (the unprefixed stems every index had before
languages). An index that also holds articles in other languages indexes their stems
with a prefix (:mod:`corpus_cli.text.languages`), so a store hands its tree here with
the languages it holds (or the one ``--lang`` asks for): each word becomes an OR of
its forms in those languages, and a word of one script finds no article of another
by accident. An index of Italian alone gets its tree back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable

from corpus_cli.query.expand import Vocabulary, expand_fuzzy
from corpus_cli.query.tree import Node, Nothing, Or, Phrase, Term, rewrite
from corpus_cli.text.languages import BIGRAMS, UNPREFIXED, ordered, terms


def prepared(node: Node, vocabulary: Vocabulary, language: str | None = None) -> Node:
    """``node`` ready for a store: fuzzy terms expanded, words in the index's languages
    (``language`` alone when a filter asks for it)."""
    expanded = expand_fuzzy(node, vocabulary)
    return localise(expanded, [language] if language else vocabulary.languages())


def localise(node: Node, languages: Iterable[str]) -> Node:
    """``node`` with its words and phrases matched in each of ``languages``."""
    wanted = ordered(languages)
    if not wanted or wanted == [UNPREFIXED]:
        return node
    return _localise(node, wanted)


def _localise(node: Node, languages: list[str]) -> Node:
    def leaf(node: Node) -> Node:
        if isinstance(node, Term):
            return _either([_term(node, language) for language in languages])
        if isinstance(node, Phrase):
            return _either([_phrase(node, language) for language in languages])
        return node

    return rewrite(node, leaf)


def _either(forms: list[Node | None]) -> Node:
    kept = [form for form in forms if form is not None]
    if not kept:
        return Nothing()
    return kept[0] if len(kept) == 1 else Or(tuple(kept))


def _term(node: Term, language: str) -> Node | None:
    if language == UNPREFIXED:
        return node
    stems = tuple(terms(node.word, language))
    if not stems:
        return None
    if language in BIGRAMS and len(stems) > 1:
        # 军事演习 is the phrase of its bigrams, as Lucene's CJK analyzer queries it.
        return Phrase((node.word,), stems, node.field, node.boost)
    return Term(node.word, stems, node.field, node.boost)


def _phrase(node: Phrase, language: str) -> Node | None:
    if language == UNPREFIXED:
        return node
    stems = tuple(terms(" ".join(node.words), language))
    if not stems:
        return None
    if len(stems) == 1:
        return Term(" ".join(node.words), stems, node.field, node.boost)
    return Phrase(node.words, stems, node.field, node.boost, node.gap)
