"""Around a search: the words to highlight, did-you-mean, and how a query was understood."""

from __future__ import annotations

import re

from corpus_cli.model import Explanation, Filters, QueryTerms
from corpus_cli.query.describe import describe, fields_of, plain_words
from corpus_cli.query.expand import Vocabulary, expand_fuzzy, match_terms
from corpus_cli.query.tree import Query
from corpus_cli.storage.base import Store
from corpus_cli.text.analysis import fold, stem

#: How far a did-you-mean suggestion may be from the word typed.
SUGGEST_EDITS = 2


def highlight_terms(store: Store, query: Query) -> QueryTerms:
    """What ``query`` matches, for marking it in an article shown whole."""
    with store.vocabulary() as vocabulary:
        return match_terms(expand_fuzzy(query.root, vocabulary), vocabulary)


def suggest(store: Store, query: Query) -> str | None:
    """The query with unknown words replaced by the index's nearest ones, if any."""
    with store.vocabulary() as vocabulary:
        return _suggest(query, vocabulary)


def _suggest(query: Query, vocabulary: Vocabulary) -> str | None:
    changed = False
    out = query.text
    for word in plain_words(query.root):
        folded = fold(word)
        if vocabulary.knows(folded):
            continue
        best = vocabulary.nearest(folded, SUGGEST_EDITS)
        if best:
            out = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", best, out)
            changed = True
    return out if changed else None


def explain(store: Store, query: Query, filters: Filters | None = None) -> Explanation:
    """How ``query`` was understood: its tree, the forms of its words, what it matched."""
    total = store.count(query, filters)
    with store.vocabulary() as vocabulary:
        terms = match_terms(expand_fuzzy(query.root, vocabulary), vocabulary)
        suggestion = _suggest(query, vocabulary) if total == 0 else None
    return Explanation(
        query=query.text,
        parsed=describe(query.root),
        fields=fields_of(query.root),
        words=[(w, fold(w), stem(fold(w))) for w in plain_words(query.root)],
        expansions=sorted(terms.folded),
        phrases=[list(p) for p in terms.phrases],
        total=total,
        suggestion=suggestion,
    )
