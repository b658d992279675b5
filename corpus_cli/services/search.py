"""Around a search: the words to highlight, and how a query was understood (with the
indexed words each stem matched); hits read a page at a time for exports, and the note
on lower-case operator words. Did-you-mean and the other hints: :mod:`.hints`."""

from __future__ import annotations

from collections.abc import Iterator

from corpus_cli.errors import QuerySyntaxError
from corpus_cli.model import (
    Explanation,
    Filters,
    QueryTerms,
    SearchResult,
    SortOrder,
    Suggestion,
)
from corpus_cli.query.describe import describe, excluded_parts, fields_of, plain_words
from corpus_cli.query.expand import Vocabulary, match_terms
from corpus_cli.query.languages import prepared
from corpus_cli.query.parser import as_operators, parse
from corpus_cli.query.tree import Prefix, Query
from corpus_cli.storage.base import Store
from corpus_cli.text.analysis import fold, stem
from corpus_cli.text.languages import UNPREFIXED, ordered
from corpus_cli.text.languages import describe as describe_analysis
from corpus_cli.text.languages import terms as analysed

#: Hits read from the store at once when every match is exported. The articles of
#: one page (their whole text, ~10 MB) are all an export holds in memory, whatever
#: the number of matches. Each further page is one more search, which costs less
#: than the page's snippets: on dice-modena a search of all 1,091 articles took
#: 0.05 s and 500 snippets 0.36 s (~0.7 ms each); a search of 73,000 matches at
#: 100,000 articles takes ~0.8 s, the 2,000 snippets of a page ~1.4 s.
EXPORT_PAGE = 2000

#: How much the counts of the two readings of ``furto or rapina`` (or as a word,
#: or as OR) must differ for a note: by this factor, or one of them zero and the
#: other not. Lower-case or/and/not are words (the language is Whoosh's); the note
#: is for the user who meant the operator, whose results then differ several-fold
#: (or are none at all), not for one whose corpus has the word (English text).
OPERATOR_HINT_RATIO = 3

_ADVICE = {
    "or": "OR for either word",
    "and": "AND (or nothing) for both words",
    "not": "NOT or -word to leave a word out",
}


def highlight_terms(store: Store, query: Query) -> QueryTerms:
    """What ``query`` matches, for marking it in an article shown whole."""
    with store.vocabulary() as vocabulary:
        return match_terms(prepared(query.root, vocabulary), vocabulary)


def search_pages(
    store: Store,
    query: Query,
    filters: Filters | None = None,
    sort: SortOrder = "relevance",
    limit: int | None = None,
    offset: int = 0,
    page: int = EXPORT_PAGE,
) -> Iterator[SearchResult]:
    """The hits from ``offset`` on (``limit`` of them, None: all), ``page`` at a time.

    Each page is one search (the store's order is total, ties broken by insertion,
    so pages neither overlap nor skip); the first one comes even when nothing matches.
    """
    remaining = limit
    while True:
        size = page if remaining is None else min(page, remaining)
        result = store.search(query, filters, sort=sort, limit=size, offset=offset)
        yield result
        offset += len(result.hits)
        if remaining is not None:
            remaining -= len(result.hits)
        # A total that is only a lower bound tells nothing of where the matches end.
        ended = result.total_exact and offset >= result.total
        if len(result.hits) < size or remaining == 0 or ended:
            return


def operator_hint(
    store: Store, query: Query, filters: Filters | None, total: int | None
) -> str | None:
    """A note when lower-case or/and/not, read as operators, would change a lot.

    ``total`` is what the query found with them as words (None: not known exactly,
    then counted here). The other reading is one count more, asked only of queries
    that have such a word.
    """
    rewritten = as_operators(query.text)
    if rewritten is None:
        return None
    if total is None:
        total = store.count(query, filters)
    text, words = rewritten
    try:
        other = store.count(parse(text), filters)
    except QuerySyntaxError:
        return None  # as operators it is no query (``not furto``): words it is
    low, high = sorted((total, other))
    if high == 0 or (low > 0 and high < OPERATOR_HINT_RATIO * low):
        return None
    quoted = " and ".join(f"'{word}'" for word in words)
    verb = "was searched as a word" if len(words) == 1 else "were searched as words"
    advice = ", ".join(_ADVICE[word] for word in words)
    articles = "article matches" if other == 1 else "articles match"
    return f"{quoted} {verb}; use {advice} ({other} {articles} {text})."


def explain(store: Store, query: Query, filters: Filters | None = None) -> Explanation:
    """How ``query`` was understood: its tree, the forms of its words, what it matched."""
    from corpus_cli.services.hints import hints

    total = store.count(query, filters)
    words = [(w, fold(w), stem(fold(w))) for w in plain_words(query.root)]
    language = filters.language if filters else None
    with store.vocabulary() as vocabulary:
        terms = match_terms(prepared(query.root, vocabulary, language), vocabulary)
        forms = {word_stem: stem_forms(vocabulary, word_stem) for _w, _f, word_stem in words}
        spoken = [language] if language else vocabulary.languages()
    others = [code for code in ordered(spoken) if code != UNPREFIXED]
    analyses = {
        word: [(code, describe_analysis(code), analysed(word, code)) for code in others]
        for word, _f, _s in words
        if others
    }
    found = hints(store, query, filters, total)
    suggestion = next((h.text for h in found if isinstance(h, Suggestion)), None)
    return Explanation(
        query=query.text,
        parsed=describe(query.root),
        fields=fields_of(query.root),
        words=words,
        expansions=sorted(terms.folded),
        phrases=[list(p) for p in terms.phrases],
        total=total,
        suggestion=suggestion,
        excluded=excluded_parts(query.root),
        filters=filters or Filters(),
        forms=forms,
        hints=found,
        languages=analyses,
    )


def stem_forms(vocabulary: Vocabulary, word_stem: str) -> list[tuple[str, int]]:
    """The words of the texts whose stem is ``word_stem``, each with the articles whose
    text has it, most first.

    A stem is the start of its words, but for a letter Snowball rewrites
    (``incidenza`` has the stem ``incident``): the words that share the stem but its
    last letter are the candidates, each stemmed again to keep those of this stem.
    """
    prefix = word_stem if len(word_stem) <= 3 else word_stem[:-1]
    words = [
        word
        for word in vocabulary.words_matching(Prefix(prefix), "text")
        if stem(word) == word_stem
    ]
    counts = vocabulary.word_counts(words)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
