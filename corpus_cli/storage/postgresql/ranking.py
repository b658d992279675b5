"""Scores computed here from the index's statistics: Whoosh's BM25F and Bo1.

``ts_rank`` knows nothing of how rare a word is, nor of how long an article is
against the others. The matches of one word or phrase are narrowed by the impact
tiers (:mod:`.tiers`: :func:`tierable`, :func:`tier_query`, :func:`outside`), those of
other queries by ``ts_rank`` to :data:`CANDIDATES` per hit asked for, and this module
ranks them the way the Whoosh backend does: BM25F (B=0.75, K1=1.2; the title's
occurrences count twice, as the Whoosh schema's field boost makes them), with the counts of
``corpus_stems``/``corpus_words``/``corpus_totals`` and each candidate's term
frequencies read from its vector: :func:`relevance` for a search, :func:`text_bm25`
for ``similar``'s key terms (the text field alone).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from corpus_cli.storage.postgresql import tiers
from corpus_cli.storage.postgresql.bm25 import FIELD_BOOST, TOP_IMPACT, bm25, idf
from corpus_cli.storage.postgresql.compile import Scored
from corpus_cli.storage.postgresql.filtering import SOURCE_MATCH
from corpus_cli.storage.postgresql.vectors import SURFACE, quote
from corpus_cli.storage.postgresql.vocabulary import like_prefix

#: Candidates ts_rank keeps for every hit asked for (at least MIN_CANDIDATES).
CANDIDATES = 10
MIN_CANDIDATES = 100
#: The most matches a search ranks from the impact tiers before it falls back to
#: ts_rank's candidates: scoring one here (its positions read, then BM25F) costs
#: about what ts_rank costs for ten matches.
TIERED_CANDIDATES = 3000
#: A walk down the tiers stops when the last hit of the page scores less than what
#: the last tier leaves outside divided by this: the tiers will not answer that page.
HOPELESS = 1.25
#: A title lexeme in at most this many titles brings all of them in as candidates.
TITLES_AT_ONCE = 1000
#: The score of a match that scores nothing (a boost of 0): above no match at all.
FLOOR = 1e-6
#: What a matching ``source:`` clause adds: the Whoosh backend's source field is not
#: scorable, and such a term scores its weight, 1.
SOURCE_WEIGHT = 1.0


def totals(cursor: Any) -> tuple[int, int, int]:
    """(articles, words of title, words of text) of the whole corpus."""
    cursor.execute("SELECT articles, title_words, text_words FROM corpus_totals")
    articles, titles, words = cursor.fetchone()
    return int(articles), int(titles), int(words)


def key_terms(cursor: Any, counts: Counter[str], numterms: int) -> list[tuple[str, float]]:
    """Whoosh's Bo1 expansion (``whoosh.classify``, not normalised): the ``numterms``
    stems of ``counts`` most distinctive against the texts, with their weights."""
    cursor.execute(
        "SELECT stem, text_count FROM corpus_stems WHERE stem = ANY(%s) AND text_count > 0",
        (list(counts),),
    )
    collection = {str(stem): int(n) for stem, n in cursor.fetchall()}
    articles = max(totals(cursor)[0], 1)
    scored = []
    for stem, weight in counts.items():
        if stem in collection:
            f = collection[stem] / articles
            scored.append((weight * math.log2((1.0 + f) / f) + math.log2(1.0 + f), stem))
    if not scored:
        return []
    top = max(score for score, _ in scored) or 1.0
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(stem, score / top) for score, stem in scored[:numterms]]


#: The articles of a list of (file key, seq): the file keys let a sharded table
#: (Citus) send the question to the shards that hold them, and the primary key
#: (file_key, seq) find each. Its parameters are :func:`rows_params`'s.
ROWS = "a.file_key = ANY(%s::text[]) AND a.seq = ANY(%s::bigint[])"


def rows_params(rows: list[tuple[str, int]]) -> list[list[Any]]:
    """The parameters of :data:`ROWS` (the seqs alone pick the rows: each is unique)."""
    return [sorted({key for key, _ in rows}), [seq for _, seq in rows]]


def text_bm25(
    cursor: Any, rows: list[tuple[str, int]], boosts: dict[str, float]
) -> dict[int, float]:
    """BM25F over the text field of the articles ``rows`` (file key, seq) for the OR of
    ``boosts``' stems, by seq."""
    if not rows:
        return {}
    stems = list(boosts)
    cursor.execute("SELECT stem, text_docs FROM corpus_stems WHERE stem = ANY(%s)", (stems,))
    docs = {str(stem): int(n) for stem, n in cursor.fetchall()}
    articles, _titles, words = totals(cursor)
    average = (words / articles if articles else 0) or 1
    weights = {
        stem: boost * idf(max(articles, 1), docs.get(stem, 0)) for stem, boost in boosts.items()
    }
    cursor.execute(
        "SELECT a.seq, a.text_length, u.lexeme, "
        "(SELECT count(*) FROM unnest(u.weights) AS w(weight) WHERE w.weight = 'D') "
        "FROM corpus_articles a CROSS JOIN LATERAL unnest(a.terms) AS u "
        f"WHERE {ROWS} AND u.lexeme = ANY(%s)",
        [*rows_params(rows), stems],
    )
    scores = dict.fromkeys((seq for _, seq in rows), 0.0)
    for seq, length, lexeme, tf in cursor.fetchall():
        if tf:
            scores[seq] += bm25(weights[lexeme], tf, length, average)
    return scores


@dataclass
class Candidate:
    """A match that ts_rank kept: its row, field lengths, and for each scored clause
    with SQL to tell (``Scored.match``) then each source, whether it holds."""

    file_key: str
    seq: int
    title_length: int
    text_length: int
    matches: tuple[bool, ...]


def candidate_columns(scored: list[Scored], sources: list[str]) -> tuple[str, list[Any]]:
    """The SELECT list of :class:`Candidate` rows, and its parameters."""
    columns = ["a.file_key", "a.seq", "a.title_length", "a.text_length"]
    params: list[Any] = []
    for leaf in scored:
        if leaf.match is not None:
            columns.append(leaf.match[0])
            params += leaf.match[1]
    for folded in sources:
        columns.append(SOURCE_MATCH)
        params.append(folded)
    return ", ".join(columns), params


def candidate(row: tuple[Any, ...]) -> Candidate:
    return Candidate(str(row[0]), int(row[1]), int(row[2]), int(row[3]), tuple(row[4:]))


@dataclass
class Statistics:
    """What BM25 reads of the whole corpus: the titles and the texts that hold each
    lexeme, the number of articles, and the average length of each field."""

    docs: dict[str, tuple[int, int]]
    articles: int
    average: dict[str, float]

    @classmethod
    def of(cls, cursor: Any, stems: list[str], words: list[str]) -> Statistics:
        """Those of ``stems`` and ``words`` (marked surface words)."""
        docs: dict[str, tuple[int, int]] = {}
        if stems:
            cursor.execute(
                "SELECT stem, title_docs, text_docs FROM corpus_stems WHERE stem = ANY(%s)",
                (stems,),
            )
            docs.update((str(stem), (int(t), int(x))) for stem, t, x in cursor.fetchall())
        if words:
            cursor.execute(
                "SELECT word, title_docs, text_docs FROM corpus_words WHERE word = ANY(%s)",
                (sorted(word[len(SURFACE) :] for word in words),),
            )
            docs.update((SURFACE + str(word), (int(t), int(x))) for word, t, x in cursor.fetchall())
        articles, title_words, text_words = (max(n, 1) for n in totals(cursor))
        return cls(docs, articles, {"title": title_words / articles, "text": text_words / articles})

    def idf(self, lexeme: str, field: str) -> float:
        return idf(self.articles, self.docs.get(lexeme, (0, 0))[0 if field == "title" else 1])


def tierable(scored: list[Scored]) -> bool:
    """Whether the tiers can rank a query: one word or one phrase (with any dates,
    sources and exclusions), and no prefix (nothing bounds the words it stands for).

    Several words are left to ts_rank: a match's score is a sum, and the first page is
    made of matches middling in each word, far down the tiers (at 100,000 articles
    ``carabinieri polizia`` would need the 3,000 candidates of five of them).
    """
    if not scored or any(leaf.kind == "prefix" for leaf in scored):
        return False
    return len({leaf.lexemes for leaf in scored if leaf.kind == "stems"}) == 1


def eager_titles(statistics: Statistics, scored: list[Scored]) -> set[str]:
    """The title lexemes of ``scored`` in few enough titles to take every one of those
    articles as a candidate at once; the others' titles are bounded by their idf."""
    return {
        x
        for leaf in scored
        if leaf.field == "title" and leaf.match is None
        for x in leaf.lexemes
        if statistics.docs.get(x, (0, 0))[0] <= TITLES_AT_ONCE
    }


def outside(
    statistics: Statistics,
    scored: list[Scored],
    sources: list[str],
    scheme: tiers.Tiers | None,
    tier: int,
    titles: set[str],
) -> float:
    """More than any match can score that holds none of the scored lexemes in a text
    at ``tier`` or above (:mod:`.tiers`) and none of ``titles`` in its title;
    ``scored`` without prefixes. Without a ``scheme``: more than any match can score."""
    bound = SOURCE_WEIGHT * len(sources)
    top = TOP_IMPACT if scheme is None else scheme.ceiling(tier, statistics.average["text"])
    for leaf in scored:
        if leaf.match is not None:
            bound += leaf.boost
            continue
        for lexeme in leaf.lexemes:
            if leaf.field == "text":
                bound += statistics.idf(lexeme, "text") * leaf.boost * top
            elif lexeme not in titles:
                bound += statistics.idf(lexeme, "title") * leaf.boost * TOP_IMPACT
    # A match outside scores FLOOR at least (a boost of 0): when the page's last hit
    # scores that too, a match outside ties it and may come first.
    return max(bound, FLOOR)


def highest(statistics: Statistics, scored: list[Scored], sources: list[str]) -> float:
    """More than any match can score (``scored`` without prefixes)."""
    return outside(statistics, scored, sources, None, 0, set())


def tier_query(scored: list[Scored], tier: int, titles: set[str]) -> str:
    """The tsquery of the articles that hold a scored lexeme at ``tier`` in a text, or
    one of ``titles`` in a title."""
    marks = {tiers.lexeme(x, tier) for leaf in scored if leaf.field == "text" for x in leaf.lexemes}
    marks.update(tiers.titled(x) for x in titles)
    return " | ".join(quote(mark) for mark in sorted(marks))


def relevance(
    cursor: Any,
    candidates: list[Candidate],
    scored: list[Scored],
    sources: list[str],
    statistics: Statistics | None = None,
) -> dict[int, float]:
    """The BM25F score of each candidate (by seq) for a query's scored leaves and
    sources: what the Whoosh backend's score would be, up to its byte-rounded lengths.
    ``statistics``: those of the query's stems and words, when known already."""
    if not candidates:
        return {}
    stems = sorted({x for leaf in scored if leaf.kind == "stems" for x in leaf.lexemes})
    words = sorted({x for leaf in scored if leaf.kind == "words" for x in leaf.lexemes})
    prefixes = sorted({x for leaf in scored if leaf.kind == "prefix" for x in leaf.lexemes})
    lexemes = stems + words
    if prefixes:  # the surface words that start with them, from the vocabulary's index
        likes = " OR ".join(["word LIKE %s ESCAPE '\\'"] * len(prefixes))
        cursor.execute(
            f"SELECT word FROM corpus_words WHERE {likes}",
            [like_prefix(prefix[len(SURFACE) :]) for prefix in prefixes],
        )
        lexemes += sorted({SURFACE + str(row[0]) for row in cursor.fetchall()} - set(words))
    # The positions of each lexeme in the title and the text of each candidate. unnest()
    # of a whole vector makes a row of every lexeme (~600 an article); setweight() marks
    # the query's lexemes B (the vectors use A and D only) and ts_filter() keeps those:
    # 6x faster. A title's positions are its first (vectors.py), up to its length.
    places: dict[int, dict[str, tuple[list[int], list[int]]]] = {c.seq: {} for c in candidates}
    if lexemes:
        rows = [(c.file_key, c.seq) for c in candidates]
        cursor.execute(
            "SELECT a.seq, a.title_length, u.lexeme, u.positions FROM corpus_articles a "
            "CROSS JOIN LATERAL unnest(ts_filter(setweight(a.terms, 'B', %s), '{b}')) AS u "
            f"WHERE {ROWS}",
            [lexemes, *rows_params(rows)],
        )
        for seq, title_length, lexeme, positions in cursor.fetchall():
            split = bisect.bisect_right(positions, title_length)  # positions come sorted
            places[seq][lexeme] = (positions[:split], positions[split:])
    if statistics is None:
        found_words = {x for held in places.values() for x in held if x.startswith(SURFACE)}
        statistics = Statistics.of(cursor, stems, sorted(found_words))
    docs, articles = statistics.docs, statistics.articles
    average = statistics.average
    scores: dict[int, float] = {}
    for found in candidates:
        score = 0.0
        lengths = {"title": found.title_length, "text": found.text_length}
        held = places[found.seq]
        told = iter(found.matches)
        for leaf in scored:
            if leaf.match is not None:
                score += leaf.boost if next(told) else 0.0
                continue
            side = 0 if leaf.field == "title" else 1
            if leaf.kind == "stems" and not _holds(held, leaf.lexemes, side, leaf.gap):
                continue
            boost = FIELD_BOOST.get((leaf.kind, leaf.field), 1.0)
            if leaf.kind == "prefix":
                its = [x for x in held if x.startswith(leaf.lexemes[0])]
            else:
                its = list(leaf.lexemes)
            for lexeme in its:
                tf = len(held[lexeme][side]) if lexeme in held else 0
                if tf:
                    weight = idf(articles, docs.get(lexeme, (0, 0))[side]) * leaf.boost
                    score += bm25(weight, tf * boost, lengths[leaf.field], average[leaf.field])
        for matches in told:
            score += SOURCE_WEIGHT if matches else 0.0
        scores[found.seq] = score or FLOOR  # a match scores above nothing, as before
    return scores


def _holds(
    held: dict[str, tuple[list[int], list[int]]], stems: tuple[str, ...], side: int, gap: int | None
) -> bool:
    """Whether the field (``side`` 0 the title, 1 the text) holds every stem, and for a
    phrase (``gap`` not None) holds them in order, each at most ``gap + 1`` positions
    after the one before, as the phrase's tsquery asks."""
    if any(not held.get(stem, ((), ()))[side] for stem in stems):
        return False
    if gap is None or len(stems) < 2:
        return True
    ends = set(held[stems[0]][side])
    for stem in stems[1:]:
        ends = {p for p in held[stem][side] if any(1 <= p - q <= gap + 1 for q in ends)}
        if not ends:
            return False
    return True
