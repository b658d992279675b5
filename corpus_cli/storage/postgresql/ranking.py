"""Scores computed here from the index's statistics: Whoosh's BM25F and Bo1.

``ts_rank`` knows nothing of how rare a word is. Where that decides the answer
(``similar``: 25 key terms, some in every article), ``ts_rank`` only narrows the
matches to :data:`CANDIDATES` per hit asked for, and this module ranks those the
way the Whoosh backend does: BM25F (B=0.75, K1=1.2) over the text field, each key
term's weight as its boost, with the counts of ``corpus_stems``/``corpus_totals``
and each candidate's term frequencies read from its vector.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

B = 0.75
K1 = 1.2
#: Candidates ts_rank keeps for every hit asked for (at least MIN_CANDIDATES).
CANDIDATES = 10
MIN_CANDIDATES = 100


def bm25(idf: float, tf: float, length: float, average: float) -> float:
    return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * length / average)))


def idf(articles: int, docs: int) -> float:
    """Whoosh's inverse document frequency: log(N / (df + 1)) + 1."""
    return math.log(articles / (docs + 1)) + 1


def totals(cursor: Any) -> tuple[int, int]:
    """(articles, words of text) of the whole corpus."""
    cursor.execute("SELECT articles, text_words FROM corpus_totals")
    articles, words = cursor.fetchone()
    return int(articles), int(words)


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
    articles, words = totals(cursor)
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
