"""Query terms that depend on what is indexed: fuzzy expansion and the words to highlight.

A fuzzy term (``esercitazone~1``) stands for the indexed words close to it, and a
wildcard for the indexed words it matches; both are resolved against a store's
:class:`Vocabulary`, here, the same way for every backend.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from corpus_cli.errors import QuerySyntaxError
from corpus_cli.model import QueryTerms
from corpus_cli.query.tree import (
    Fuzzy,
    Node,
    Nothing,
    Or,
    Phrase,
    Prefix,
    Surface,
    Term,
    TextField,
    Wildcard,
    leaves,
    rewrite,
)
from corpus_cli.text.analysis import terms
from corpus_cli.text.languages import UNPREFIXED, ordered, surface_form

#: The fields a query without a field scope searches, in the order backends list them.
SEARCHED_FIELDS: tuple[TextField, ...] = ("title", "text")
MAX_FUZZY_EDITS = 2
#: Words a wildcard may highlight: enough for any real query, bounded for ``a*``.
MAX_HIGHLIGHTED_EXPANSIONS = 200
_ENDING = re.compile(r"[aeiou]$")
#: Languages whose nouns and adjectives inflect in their final vowel (esercitazione,
#: esercitazioni; ejercicio, ejercicios is one edit anyway): there a fuzzy term also
#: matches a word that agrees with it once each has lost that vowel. Elsewhere the
#: rule would only add near misses (English ``reference~1`` finding ``referenda``).
FINAL_VOWEL_LANGUAGES = frozenset({"it", "es", "pt"})


class Vocabulary(Protocol):
    """The indexed words (folded, unstemmed) of a field, as of one moment."""

    def languages(self) -> list[str]:
        """The languages (ISO 639-1 codes) of the indexed articles."""
        ...

    def words_within(
        self, field: TextField, word: str, max_edits: int, prefix_length: int
    ) -> list[str]:
        """Candidate words within ``max_edits`` edits of ``word`` sharing its first
        ``prefix_length`` characters; may hold more (they are checked again here)."""
        ...

    def words_matching(self, node: Prefix | Wildcard, field: TextField) -> list[str]:
        """Indexed words the prefix or wildcard matches, in index order."""
        ...

    def word_counts(self, words: Iterable[str], field: TextField = "text") -> dict[str, int]:
        """Articles whose ``field`` has each word (folded, as written); 0 when none has it."""
        ...

    def near_words(self, word: str, max_edits: int, prefix_length: int = 0) -> dict[str, int]:
        """The words of the text within ``max_edits`` edits of ``word`` (as
        :func:`edit_distance` counts them) that share its first ``prefix_length``
        characters, itself left out, each with the articles whose text has it."""
        ...


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count as one edit)."""
    before: list[int] = []
    previous: list[int] = []
    row: list[int] = [*range(1, len(b) + 1), 0]
    for x in range(len(a)):
        before, previous, row = previous, row, [*([0] * len(b)), x + 1]
        for y in range(len(b)):
            row[y] = min(previous[y] + 1, row[y - 1] + 1, previous[y - 1] + (a[x] != b[y]))
            if x and y and a[x] == b[y - 1] and a[x - 1] == b[y] and a[x] != b[y]:
                row[y] = min(row[y], before[y - 2] + 1)
    return row[len(b) - 1]


def _fields(field: TextField | None) -> tuple[TextField, ...]:
    return SEARCHED_FIELDS if field is None else (field,)


def expand_fuzzy(node: Node, vocabulary: Vocabulary, languages: Iterable[str] = ()) -> Node:
    """Replace fuzzy terms by the indexed words they match, ignoring final vowels where
    the language inflects there.

    Italian inflects mostly in the last vowel (esercitazione, esercitazioni), so a
    typo in the singular would otherwise be two edits from the plural in the text:
    a word also matches when the two agree within the distance once each has lost
    its final vowel (in the languages of :data:`FINAL_VOWEL_LANGUAGES`).

    The words are compared as each of ``languages`` (the index's) folds them
    (``manœuvre~1`` is ``manoeuvre~1`` in French): Italian's folding when none is given.
    """
    forms = ordered(languages)
    return rewrite(node, lambda leaf: _expanded(leaf, vocabulary, forms))


def _expanded(node: Node, vocabulary: Vocabulary, languages: list[str]) -> Node:
    if isinstance(node, Fuzzy):
        if node.max_edits > MAX_FUZZY_EDITS:
            # The candidates grow with every edit allowed: ~6 took 25 s on 5 articles.
            raise QuerySyntaxError(
                f"'{node.word}~{node.max_edits}' allows too many edits; "
                f"use ~1 or ~{MAX_FUZZY_EDITS}."
            )
        # One form where the languages fold the word alike, Italian's own first; its
        # final vowel forgiven when one of those languages inflects there.
        typed = node.written or node.word
        forms: dict[str, bool] = {}
        for code in languages or [UNPREFIXED]:
            form = node.word if code == UNPREFIXED else surface_form(typed, code)
            forms[form] = forms.get(form, False) or code in FINAL_VOWEL_LANGUAGES
        expanded = [_fuzzy_words(node, forms, field, vocabulary) for field in _fields(node.field)]
        near: Node = expanded[0] if len(expanded) == 1 else Or(tuple(expanded))
        # Fuzzy widens: the word itself, by its stem as always, and its near spellings
        # (rapinatori~1 must find all that rapinatori finds, and more). The word as
        # typed, for the stems of other languages (войны, whose Italian folding is воины).
        stems = tuple(terms(node.word))
        if not stems:
            return near
        others = any(code != UNPREFIXED for code in languages)
        word = Term(typed if others else node.word, stems, node.field, node.boost)
        return word if isinstance(near, Nothing) else Or((word, near))
    return node


def _fuzzy_words(
    node: Fuzzy, forms: dict[str, bool], field: TextField, vocabulary: Vocabulary
) -> Node:
    words: set[str] = set()
    for wanted, final_vowel in forms.items():
        limit = node.max_edits
        stem_wanted = _ENDING.sub("", wanted)
        # Short words differ in their last vowel too often (rapina, rapida).
        forgive_ending = final_vowel and len(stem_wanted) >= 7
        words.update(
            word
            # A prefix longer than the word (a~2/3) means the whole word.
            for word in vocabulary.words_within(
                field, wanted, limit + 1, min(node.prefix_length, len(wanted))
            )
            if edit_distance(word, wanted) <= limit
            or (forgive_ending and edit_distance(_ENDING.sub("", word), stem_wanted) <= limit)
        )
    if not words:
        return Nothing()
    return Surface(tuple(sorted(words)), field, node.boost)


def match_terms(node: Node, vocabulary: Vocabulary) -> QueryTerms:
    """The stems, surface words and phrases a query looks for, NOT branches excluded.

    Wildcards are expanded against the index's own vocabulary (fuzzy terms should be
    expanded already), so the highlighter marks the very words they matched.
    """
    stems: set[str] = set()
    folded: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    for leaf in leaves(node, excluded=False):
        if isinstance(leaf, Fuzzy):
            leaf_terms = match_terms(expand_fuzzy(leaf, vocabulary), vocabulary)
            folded.update(leaf_terms.folded)
        elif isinstance(leaf, Term):
            # Several stems of one typed word (Cina-Russia) are each a term.
            stems.update(leaf.stems)
        elif isinstance(leaf, Phrase):
            if len(leaf.stems) == 1 or leaf.gap:
                # Words near each other are marked each where it stands.
                stems.update(leaf.stems)
            elif leaf.stems:
                phrases.append(leaf.stems)
        elif isinstance(leaf, Surface):
            folded.update(leaf.words)
        elif isinstance(leaf, Prefix | Wildcard):
            for field in _fields(leaf.field):
                found = vocabulary.words_matching(leaf, field)[:MAX_HIGHLIGHTED_EXPANSIONS]
                folded.update(found)
    return QueryTerms(frozenset(stems), frozenset(folded), tuple(dict.fromkeys(phrases)))
