"""Exact forms first: the clause that ranks articles holding the very words typed higher.

A word is matched by its stem, so ``furto`` also finds ``furti``; at equal relevance
otherwise, the articles that hold ``furto`` as typed (after case and accent folding)
should come first, and a phrase typed exactly above its inflected variants. Every
backend adds :func:`exact_bonus` of a query to the score of its matches, never to
what matches: the clause only ever scores articles the query found anyway, since an
exact word always carries its own stem.

A phrase's bonus is its words present as typed, not the words side by side: the
backends keep surface words without their positions (an index of positions for
every surface word would double its size), and an article holding a stemmed variant
of a phrase rarely also holds each exact word elsewhere.
"""

from __future__ import annotations

from corpus_cli.query.tree import And, AndMaybe, Node, Not, Or, Phrase, Surface, Term
from corpus_cli.text.analysis import fold, stem, terms

#: The weight of the exact-form clause beside the query's own. Measured with
#: bench/precision.py on dice-modena: enough to lift an article holding the typed form
#: above one that only holds an inflection, not so much that one exact word outweighs
#: the other words of a longer query.
EXACT_BOOST = 0.5


def exact_bonus(node: Node) -> Node | None:
    """The exact-form clause for ``node``'s positive words and phrases; None if none helps.

    A word whose folded form is its own stem (``gas``, ``modena`` in most corpora:
    short words and words without an inflection ending) gets no clause: every article
    the stem matches holds that very form, so the clause would only cost time.
    """
    clauses: list[Node] = []
    _collect(node, clauses)
    unique = list({repr(clause): clause for clause in clauses}.values())
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else Or(tuple(unique))


def _collect(node: Node, clauses: list[Node]) -> None:
    if isinstance(node, Term):
        forms = tuple(dict.fromkeys(terms(node.word, stemmed=False)))
        if forms and any(stem(form) != form for form in forms):
            clauses.append(Surface(forms, node.field, EXACT_BOOST))
    elif isinstance(node, Phrase):
        forms = tuple(dict.fromkeys(fold(word) for word in node.words))
        if any(stem(form) != form for form in forms):
            words = [Surface((form,), node.field, EXACT_BOOST) for form in forms]
            clauses.append(words[0] if len(words) == 1 else And(tuple(words)))
    elif isinstance(node, And | Or):
        for child in node.children:
            _collect(child, clauses)
    elif isinstance(node, AndMaybe):
        # The optional part is the phrase of a list of words: its words are the list's.
        _collect(node.required, clauses)
    elif isinstance(node, Not):
        return  # an excluded word is in no article found
