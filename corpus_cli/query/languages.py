"""A query tree for the languages of an index: each word analysed once per language.

The parser analyses words as Italian (the unprefixed stems every index had before
languages). An index that also holds articles in other languages indexes their stems
with a prefix (:mod:`corpus_cli.text.languages`), so a store hands its tree here with
the languages it holds (or the one ``--lang`` asks for): each word becomes an OR of
its forms in those languages, and a word of one script finds no article of another
by accident. Prefixes and wildcards are matched against the words as written, which
each language folds its own way (German ``ß`` as ``ss``, Russian keeping ``й``): each
becomes an OR of its forms too, one where the languages fold it alike. An index of
Italian alone gets its tree back unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from corpus_cli.errors import QuerySyntaxError
from corpus_cli.query.expand import Vocabulary, expand_fuzzy
from corpus_cli.query.tree import Node, Nothing, Or, Phrase, Prefix, Term, Wildcard, rewrite
from corpus_cli.text.languages import (
    BIGRAMS,
    CJK_RUN,
    UNPREFIXED,
    ordered,
    surface_form,
    terms,
)

#: What makes a pattern a pattern (Whoosh's and fnmatch's glob).
_GLOB = frozenset("*?[")


def prepared(node: Node, vocabulary: Vocabulary, language: str | None = None) -> Node:
    """``node`` ready for a store: fuzzy terms expanded, words in the index's languages
    (``language`` alone when a filter asks for it)."""
    languages = [language] if language else vocabulary.languages()
    return localise(expand_fuzzy(node, vocabulary, languages), languages)


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
        if isinstance(node, Prefix | Wildcard):
            return _either([_pattern(node, language) for language in languages])
        return node

    return rewrite(node, leaf)


def _either(forms: list[Node | None]) -> Node:
    # Languages that fold a pattern alike give one node (values compare equal).
    kept = list(dict.fromkeys(form for form in forms if form is not None))
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


def _pattern(node: Prefix | Wildcard, language: str) -> Node | None:
    """A prefix or wildcard folded as ``language`` folds the words it indexes (without
    what was typed, so that languages folding it alike give equal nodes)."""
    if language == UNPREFIXED:
        return dataclasses.replace(node, written="")
    typed = node.written or (node.prefix if isinstance(node, Prefix) else node.pattern)
    form = surface_form(typed, language)
    if language in BIGRAMS and CJK_RUN.search(form):
        shown = typed + "*" if isinstance(node, Prefix) else typed
        return _cjk_pattern(form, shown, node, language)
    if isinstance(node, Prefix):
        return dataclasses.replace(node, prefix=form, written="")
    return dataclasses.replace(node, pattern=form, written="")


def _cjk_pattern(form: str, typed: str, node: Prefix | Wildcard, language: str) -> Node | None:
    """A pattern of Chinese, Japanese or Korean characters, whose texts no space divides
    into words: a word already matches inside longer runs (``演习`` in ``军事演习``), so
    ``*`` at either end adds nothing; a lone character (``演*``) is that character
    anywhere; a wildcard among the characters has no words to select from."""
    core = form.strip("*")
    if not core or _GLOB & set(core):
        raise QuerySyntaxError(
            f"'{typed}': wildcards inside Chinese, Japanese or Korean words are not "
            f"supported; type the word alone, which also finds it inside longer ones."
        )
    if len(core) == 1:
        return Wildcard(f"*{core}*", node.field, node.boost)
    return _term(Term(core, (), node.field, node.boost), language)
