"""What to tell the user whose search found nothing, or almost nothing.

- **Did you mean**: the query with each misspelt word replaced by the nearest
  indexed word, counted under the same filters (:class:`Suggestion`).
- **A rare spelling**: a word found in a handful of articles while a near spelling
  is found in many (``carabineri``, 1 article; ``carabinieri``, 431).
- **A filter emptied it**: the query matches articles without the dates, the
  source or the cited outlet (:class:`FilterHint`).
- **An unknown source**: ``--source Gazzetta`` names no source; the closest do
  (:class:`SourceHint`).
- **Words apart**: no article has all the words, though each is in some: how many
  have each alone (:class:`WordsApart`).

Every hint is about few hits, so :func:`hints` asks the store nothing when the
search found more than :data:`RARE_WORD_ARTICLES`: the common path pays nothing.
Words are compared as written (folded, not stemmed): a stem groups words that
are not typos of each other.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from corpus_cli.errors import QuerySyntaxError
from corpus_cli.model import FilterHint, Filters, Hint, SourceHint, Suggestion, WordsApart
from corpus_cli.query.describe import plain_words
from corpus_cli.query.expand import Vocabulary, edit_distance
from corpus_cli.query.parser import parse
from corpus_cli.query.tree import And, AndMaybe, Phrase, Query, Source, Term, leaves
from corpus_cli.storage.base import Store
from corpus_cli.text.analysis import fold, source_key, stem, surface_words

#: How far a did-you-mean word may be from a word that nothing matches: one edit
#: first; two only when none is one edit away, for words longer than SHORT_WORD
#: characters (two edits would change half of ``casa``), and among the words that
#: share its first letter.
SUGGEST_EDITS = 2
SHORT_WORD = 4

#: A word the index has but that is found in at most RARE_WORD_ARTICLES articles,
#: while a spelling one edit away (of another stem: a stem's own forms are found
#: already) is in RARE_WORD_RATIO times as many and at least that many, gets the near
#: spelling suggested even though the search found something. Why these numbers: on
#: dice-modena a typo is in one to three articles (``carabineri`` 1, against
#: ``carabinieri`` 431), and two real words a letter apart are often within a factor
#: of a few (``spazio`` and ``spaccio``, 33 each). Frequency alone tells typos from
#: rare real words poorly, though (``legione``/``regione``, ``solido``/``solito``):
#: of dice-modena's rare words that the ratio flags in searches of at most 3 hits,
#: a sample of 44 held 21 typos. Real words differ mostly in short words and in the
#: first letter, typos seldom there, so the word must have RARE_WORD_MIN_LENGTH
#: characters and keep its first letter: the sample's typos then made 16 of 26.
#: A search finding more than RARE_WORD_ARTICLES is never checked: words ANDed
#: together find at most what the rarest finds, so the typo case stays within it,
#: and a search that finds plenty costs what it did.
RARE_WORD_ARTICLES = 3
RARE_WORD_RATIO = 20
RARE_WORD_MIN_LENGTH = 7
RARE_WORD_EDITS = 1

#: Known sources named when ``--source`` names none: at most this many.
MAX_SOURCES = 3


def hints(store: Store, query: Query, filters: Filters | None, total: int) -> list[Hint]:
    """What to say about a search of ``query`` that found ``total`` articles."""
    if total > RARE_WORD_ARTICLES:
        return []
    filters = filters or Filters()
    found: list[Hint] = []
    if total == 0:
        sources = source_hints(store, query, filters)
        found.extend(sources)
        if not any(hint.option for hint in sources):  # else the source said it all
            blamed = filter_hint(store, query, filters)
            if blamed is not None:
                found.append(blamed)
    suggestion = suggest(store, query, filters, total)
    if suggestion is not None:
        found.append(suggestion)
    elif total == 0 and not found:
        apart = words_apart(store, query, filters)
        if apart is not None:
            found.append(apart)
    return found


#: Words of a query counted one by one for :func:`words_apart`: at most this many.
MAX_WORDS_APART = 6


def words_apart(store: Store, query: Query, filters: Filters) -> WordsApart | None:
    """For a query of words and phrases that must all be in an article (``rapina
    farmacia``) and that found none: each alone, if each is in some article."""
    root = query.root
    if isinstance(root, AndMaybe):
        root = root.required  # the words, without the phrase of them that ranks higher
    if not isinstance(root, And) or not 2 <= len(root.children) <= MAX_WORDS_APART:
        return None
    counted: list[tuple[str, int]] = []
    for child in root.children:
        if isinstance(child, Term) and child.field is None:
            typed = child.word
        elif isinstance(child, Phrase) and child.field is None and not child.gap:
            typed = '"' + " ".join(child.words) + '"'
        else:
            return None
        articles = store.count(Query(typed, child), filters)
        if articles == 0:
            return None  # that word is the trouble: did-you-mean's business
        counted.append((typed, articles))
    return WordsApart(tuple(counted))


# -- did you mean ------------------------------------------------------------------------


def suggest(store: Store, query: Query, filters: Filters | None, total: int) -> Suggestion | None:
    """``query`` with its misspelt words replaced, if that finds more than ``total``.

    With no hits, a word is misspelt when nothing matches it (not even through its
    stem) or when it is rare and a near spelling is common; with hits, only the
    latter. The replacement is the nearest indexed word: fewest edits, then found
    in the most articles (then a doubled or undoubled letter, Italian's commonest
    slip: ``spacio`` is ``spaccio`` before ``spazio``, both in 33 articles).
    """
    words = plain_words(query.root, excluded=False)
    if not words:
        return None
    with store.vocabulary() as vocabulary:
        counts = vocabulary.word_counts({fold(word) for word in words})
    # A word no article has as written may still match through its stem (a plural
    # the texts never use): only one that matches nothing at all is misspelt.
    absent = [word for word in words if counts[fold(word)] == 0]
    unmatched = _unmatched(store, query, absent) if total == 0 and absent else set()
    replaced: dict[str, str] = {}
    rare: list[tuple[str, int]] = []
    with store.vocabulary() as vocabulary:
        for word in words:
            folded = fold(word)
            if word in unmatched:
                best = _nearest(folded, vocabulary.near_words(folded, 1), 1)
                if best is None and len(folded) > SHORT_WORD:
                    # Two edits, among the words of the same first letter: all of them
                    # would be a distance computed for each word of the index (Lucene's
                    # spell checker makes the same trade).
                    near = vocabulary.near_words(folded, SUGGEST_EDITS, prefix_length=1)
                    best = _nearest(folded, near, SUGGEST_EDITS)
                if best is not None:
                    replaced[word] = best[0]
            elif counts[folded] <= RARE_WORD_ARTICLES and len(folded) >= RARE_WORD_MIN_LENGTH:
                common = _common_spelling(folded, counts[folded], vocabulary)
                if common is not None:
                    replaced[word] = common
                    rare.append((word, counts[folded]))
    if not replaced:
        return None
    replaced = {word: _as_written(store, better, word) for word, better in replaced.items()}
    text = query.text
    for word, better in replaced.items():
        # As typed, a whole word: every occurrence (a phrase may repeat a plain word).
        # (The replacement escaped: a word is \w characters, but re reads backslashes.)
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", better.replace("\\", r"\\"), text)
    try:
        corrected = store.count(parse(text), filters)
    except QuerySyntaxError:
        return None
    if corrected <= total:
        return None  # no better: nothing worth a line
    return Suggestion(text, corrected, tuple(rare))


#: Articles read for the way a suggested word is written.
WRITTEN_FORM_ARTICLES = 3


def _as_written(store: Store, folded: str, typed: str) -> str:
    """``folded`` (an indexed word, accents and umlauts folded away: ``ubungen``) as the
    articles write it (``Übungen``), in the case ``typed`` was: all small, or a capital
    first. The folded word when no article shows it."""
    try:
        found = store.search(parse(folded), limit=WRITTEN_FORM_ARTICLES)
    except QuerySyntaxError:
        return folded
    key = fold(folded)
    forms: Counter[str] = Counter()
    for hit in found.hits:
        for text in (hit.article.title or "", hit.article.text):
            forms.update(word for word in surface_words(text) if fold(word) == key)
    if not forms:
        return folded
    written = forms.most_common(1)[0][0]
    if typed.islower():
        return written.lower()
    if typed[:1].isupper() and not typed.isupper():
        return written[:1].upper() + written[1:]
    return written


def _unmatched(store: Store, query: Query, words: list[str]) -> set[str]:
    """The typed words that no article has, in any form their stem stands for."""
    found: set[str] = set()
    for leaf in leaves(query.root, excluded=False):
        if isinstance(leaf, Term) and leaf.field is None and leaf.word in words:
            alone = Query(leaf.word, leaf)
            if store.count(alone) == 0:
                found.add(leaf.word)
        elif isinstance(leaf, Phrase):
            for word, word_stem in zip(leaf.words, leaf.stems, strict=False):
                alone = Query(word, Term(word, (word_stem,)))
                if word in words and store.count(alone) == 0:
                    found.add(word)
    return found


def _nearest(word: str, near: dict[str, int], limit: int) -> tuple[str, int] | None:
    """The best of the ``near`` words (word: articles) within ``limit`` edits of ``word``."""
    ranked = sorted(
        (distance, -articles, not _doubling(word, candidate), candidate)
        for candidate, articles in near.items()
        if articles and (distance := edit_distance(word, candidate)) <= limit
    )
    if not ranked:
        return None
    _distance, articles, _plain, best = ranked[0]
    return best, -articles


def _doubling(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one letter written once or twice."""
    short, long = sorted((a, b), key=len)
    if len(long) != len(short) + 1:
        return False
    for i, char in enumerate(long):
        if long[:i] + long[i + 1 :] == short:
            return (i > 0 and long[i - 1] == char) or (i + 1 < len(long) and long[i + 1] == char)
    return False


def _common_spelling(word: str, articles: int, vocabulary: Vocabulary) -> str | None:
    """A spelling one edit from a rare ``word`` that is far commoner and is another
    word (not a form of the same stem, which the search finds already)."""
    near = {
        candidate: n
        for candidate, n in vocabulary.near_words(word, RARE_WORD_EDITS, prefix_length=1).items()
        if stem(candidate) != stem(word)
    }
    best = _nearest(word, near, RARE_WORD_EDITS)
    if best is None or best[1] < RARE_WORD_RATIO * max(articles, 1):
        return None
    return best[0]


# -- filters and sources -----------------------------------------------------------------


def filter_hint(store: Store, query: Query, filters: Filters) -> FilterHint | None:
    """Which filters emptied a search that found nothing, if the query alone finds some."""
    active = [name for name in ("source", "cites", "dates") if _without(filters, name) != filters]
    if not active:
        return None
    # Stores AND the query's own date: clauses into the filters: without the dates
    # means without those too.
    undated = dataclasses.replace(query, date_from=None, date_to=None)
    unfiltered = store.count(undated)
    if unfiltered == 0:
        return None
    if len(active) == 1:
        return FilterHint(filters, ((active[0], unfiltered),))
    each = [
        (name, store.count(undated if name == "dates" else query, _without(filters, name)))
        for name in active
    ]
    blamed = tuple((name, n) for name, n in each if n)
    return FilterHint(filters, blamed or (("filters", unfiltered),))


def _without(filters: Filters, name: str) -> Filters:
    if name == "dates":
        return dataclasses.replace(filters, date_from=None, date_to=None)
    return dataclasses.replace(filters, **{name: None})


def source_hints(store: Store, query: Query, filters: Filters) -> list[SourceHint]:
    """The sources named (``--source``, then ``source:`` in the query) that no article has."""
    typed: list[tuple[str, str, bool]] = []
    if filters.source is not None:
        typed.append((filters.source, source_key(filters.source), True))
    for leaf in leaves(query.root, excluded=False):
        if isinstance(leaf, Source):
            typed.append((leaf.name, leaf.folded, False))
    if not typed:
        return []
    known = {source_key(s.source): (s.source, s.count) for s in store.source_summaries()}
    return [
        SourceHint(name, option, _closest_sources(key, known))
        for name, key, option in typed
        if key not in known
    ]


def _closest_sources(key: str, known: dict[str, tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    """The known sources whose folded name holds ``key``, most articles first; else those
    within a few edits of it (or of their start, as long as ``key``), nearest first."""
    if not key:
        return ()
    holding = sorted((-n, name) for k, (name, n) in known.items() if key in k)
    if holding:
        return tuple((name, -n) for n, name in holding[:MAX_SOURCES])
    limit = max(1, len(key) // 3)
    near = []
    for k, (name, n) in known.items():
        distance = min(edit_distance(key, k), edit_distance(key, k[: len(key)]))
        if distance <= limit:
            near.append((distance, -n, name))
    return tuple((name, -n) for _d, n, name in sorted(near)[:MAX_SOURCES])
