"""Impact tiers: which matches a ranked search must score, told by the GIN index.

A word in most articles (``carabinieri`` is in 74% of the bench's 100,000) cannot be
ranked by reading every match: ``ts_rank`` over 74,000 vectors takes most of a second.
But a match's score is a sum of ``idf * impact`` (:mod:`.bm25`), and the impact of a
word in a text depends on that article alone: how often the word is there, and how
long the text is. So ingest files it. A stem or surface word whose impact in the
text reaches ``edges[t]`` also gets the lexeme ``#d<t><lexeme>`` (no positions) in
the article's vector, for the highest tier it reaches; every stem and word of a
title gets ``#a<lexeme>`` (titles are a few words: a word is there or not).

A ranked search (:meth:`.store.PostgresStore._by_tiers`) asks the GIN index for the
matches that hold a lexeme of the query at tier 0, or in a title when few titles
hold it; scores those exactly (:func:`.ranking.relevance`); and stops when the last
hit of its page scores more than any match outside them can (:func:`.ranking.outside`):
such a match has each of the query's lexemes in its text below ``edges[0]``
(:meth:`Tiers.ceiling` bounds what that makes today) and in its title only where
the title is counted at the highest impact there is. Otherwise it adds tier 1, and
so on. The page is then the page of every match ranked: the same articles, scores
and order. When the tiers would bring in too many matches (several common words,
whose first page is made of middling matches of each) it ranks ts_rank's
candidates, as before the tiers.

Impacts are filed against a reference length fixed when the corpus is made, not the
corpus's average length, which moves as articles come and go: :meth:`Tiers.ceiling`
turns "below an edge at the reference" into a bound at today's average. Positions
that PostgreSQL drops (past 256 of a lexeme) only lower a score, which a bound
survives.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from corpus_cli.storage.postgresql.bm25 import K1, TOP_IMPACT, B, impact

#: The tier lexemes' first character (no analysed word has it): a prefix query
#: (``'.pre':*``) never reaches them.
MARK = "#"
#: A bound's margin for rounding (a band's edge computed twice in floating point).
MARGIN = 1e-9


def lexeme(word: str, tier: int) -> str:
    """The lexeme of ``word`` (a stem, or a marked surface word) at ``tier`` in a text."""
    return f"{MARK}d{tier}{word}"


def titled(word: str) -> str:
    """The lexeme of ``word`` in a title (titles are short: no tiers, only there or not)."""
    return f"{MARK}a{word}"


@dataclass(frozen=True)
class Tiers:
    """A corpus's tiers: the text length its impacts are filed against and the impact
    each tier starts at, highest first. Kept in corpus_meta (:meth:`stored`) when the
    tables are made: the tier lexemes of its vectors mean these and no others."""

    reference: float = 400.0
    #: Finely spaced where first pages of common words end (1.6-1.9 in the bench's
    #: corpora): a search that needs one more tier reads one more thin band. A lexeme
    #: has one tier lexeme at most, so more tiers add none; the last one decides how
    #: many there are (about one in twelve of a 600-word text's lexemes at 1.4).
    edges: tuple[float, ...] = (2.0, 1.9, 1.8, 1.7, 1.6, 1.5, 1.4)

    def stored(self) -> str:
        return " ".join(f"{value:g}" for value in (self.reference, *self.edges))

    @classmethod
    def parse(cls, value: str | None) -> Tiers | None:
        """The tiers stored in corpus_meta (None: the corpus has none)."""
        if not value:
            return None
        reference, *edges = (float(part) for part in value.split())
        return cls(reference, tuple(edges))

    def entries(self, counts: Iterable[tuple[Counter[str], str]], length: int) -> list[str]:
        """The tier lexemes of a text of ``length`` words: ``counts`` holds, for each
        kind of lexeme, the count of each word and the mark its lexeme starts with."""
        if not length:
            return []
        norm = K1 * ((1 - B) + B * length / self.reference)
        # The count that reaches each tier: impact(tf) >= edge, solved for tf; lowest
        # tier first, so that bisect counts the tiers a count reaches.
        needs = [edge * norm / (TOP_IMPACT - edge) for edge in reversed(self.edges)]
        least, last = needs[0], len(needs)
        found: list[str] = []
        for count, mark in counts:
            # Most words of a text are there once and reach no tier: left out in C first.
            for word, tf in [item for item in count.items() if item[1] >= least]:
                found.append(lexeme(mark + word, last - bisect.bisect_right(needs, tf)))
        return found

    def ceiling(self, tier: int, average: float) -> float:
        """The highest impact a lexeme can have today (texts averaging ``average``
        words) in a text where its impact at the reference length was below
        ``edges[tier]``.

        At a count ``f`` that impact fell below the edge for lengths past ``L(f)``,
        where it equals the edge; today's impact is highest at the shortest of those
        (a text holds at least ``f`` words). Along ``L(f)`` today's impact moves one
        way as ``f`` grows (up when today's average is above the reference, down when
        below), so the highest is at a small count or in the limit.
        """
        alpha = TOP_IMPACT / self.edges[tier] - 1
        best = 0.0
        for f in range(1, 65):
            edge = self.reference * (f * alpha - K1 * (1 - B)) / (K1 * B)
            best = max(best, impact(f, max(edge, f), average))
        ratio = self.reference / average
        best = max(best, TOP_IMPACT / (1 + ratio * alpha))
        return best * (1 + MARGIN)
