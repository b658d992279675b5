"""The top hits of a ranked search, and its total.

Each segment's matcher tree is first read a posting list at a time by
``accumulate.py``: every match scored as Whoosh scores it, and counted. A tree of a
shape that module does not know is walked document by document as below, which
scores only what can reach the page and counts exactly up to a threshold, giving a
true lower bound past it.

Whoosh's own collector scores every match (``optimize=False``), or skips blocks
with its block-quality optimisations (``optimize=True``), which then cost a second
walk over every match to count them, and whose skipping for an OR or an AND bounds
a block of one list by the block the other list is in *now*, which a later block
of the other list may beat: a document could be skipped that belongs in the top N.

The walk does both, over the same matchers (so the same scores, in the same
order, ties broken by document number) as Whoosh's collector:

- a *window* is the stretch of document numbers every posting list of the query is
  in one block for; :func:`window_bound` adds up (or takes the largest of, as the
  matcher does with the scores) the lists' block qualities (the best score a block's
  most frequent and shortest posting could have) into a bound no document in the
  window can beat;
- once N hits are held, a window whose bound is not above the N-th best score
  cannot place a document (a tie loses to the earlier document already held), so
  its documents are counted without being scored;
- once more than :data:`EXACT_UP_TO` matches are counted, such windows are skipped
  whole (a block's header is read, not its postings), and the total becomes a lower
  bound: "more than 10,000", as Elasticsearch's ``track_total_hits`` has it.

What is scored is scored faster: each BM25F posting list gets its field's lengths
as one list read once (:func:`_read_lengths_once`), the same numbers Whoosh reads
one byte at a time.

A matcher whose score this module cannot bound (a constant score, say) bounds its
windows at infinity: those are scored, as before.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from corpus_cli.storage.whoosh.accumulate import readable, scores
from corpus_cli.storage.whoosh.lean_import import import_whoosh
from corpus_cli.storage.whoosh.queries import MaybeMatcher, PhraseMatcher

import_whoosh()

from whoosh.matching import binary, combo, mcore, wrappers  # noqa: E402

#: Matches counted one by one; past this, a total is "more than EXACT_UP_TO". As
#: Elasticsearch's default ``track_total_hits``: a number no reader checks one by one.
EXACT_UP_TO = 10_000

_INFINITE = math.inf
#: No document number reaches this: the window of a matcher that has no blocks.
_LAST = 1 << 62

# Matchers whose score is the sum of their two children's (a child that does not
# match the document adds nothing).
_ADDITIVE = (
    binary.UnionMatcher,
    binary.IntersectionMatcher,
    binary.AndMaybeMatcher,
    MaybeMatcher,
)


@dataclass
class TopHits:
    """The best ``(score, docnum)`` first, and how many documents matched."""

    hits: list[tuple[float, int]]
    total: int
    #: False: ``total`` is a lower bound (more than :data:`EXACT_UP_TO` matched).
    exact: bool


def top_hits(
    searcher: Any, query: Any, limit: int | None, allowed: Collection[int] | None
) -> TopHits:
    """The ``limit`` best-scored documents ``query`` matches (None: all of them),
    among ``allowed`` (top-level document numbers; None: every document)."""
    context = searcher.context()  # what Whoosh's collector searches with: same matchers
    heap: list[tuple[float, int]] = []  # (score, -docnum): the N-th best at heap[0]
    # No room at all (limit 0): every window is one that cannot place a document.
    full = limit is not None and limit < 1
    floor = _INFINITE if full else 0.0  # the N-th best score, once N are held
    counted = 0
    skipped = False
    for subsearcher, offset in searcher.leaf_searchers():
        matcher = query.matcher(subsearcher, context)
        _read_lengths_once(matcher, subsearcher)
        # Asked first, so that a tree scores() cannot read is not half read for nothing.
        found = scores(matcher) if readable(matcher) else None
        if found is not None:
            # Every match and its score, a posting list at a time (accumulate.py).
            if allowed is not None:
                found = {d: s for d, s in found.items() if offset + d in allowed}
            counted += len(found)
            if limit is None or limit > 0:
                ranked = [(score, -(offset + docnum)) for docnum, score in found.items()]
                # The N best by score, then the earlier document: what the walk keeps.
                heap = heapq.nlargest(limit, heap + ranked) if limit else heap + ranked
                heapq.heapify(heap)
                if limit is not None and len(heap) >= limit:
                    full, floor = True, heap[0][0]
            continue
        matcher = query.matcher(subsearcher, context)  # the first was used up
        _read_lengths_once(matcher, subsearcher)
        bound, last = _INFINITE, -1
        while matcher.is_active():
            docnum = matcher.id()
            if full:
                if docnum > last:
                    bound, last = window_bound(matcher)
                if bound <= floor:
                    # Nothing in the window can place: count it, or past the
                    # threshold, skip it.
                    if counted > EXACT_UP_TO:
                        if last >= _LAST:
                            break
                        skipped = True
                        matcher.skip_to(last + 1)
                    else:
                        if allowed is None or offset + docnum in allowed:
                            counted += 1
                        matcher.next()
                    continue
            if allowed is None or offset + docnum in allowed:
                counted += 1
                score = matcher.score()
                # As Whoosh's TopCollector: a later document must beat the N-th, not tie.
                if not full:
                    heapq.heappush(heap, (score, -(offset + docnum)))
                    if limit is not None and len(heap) >= limit:
                        full = True
                        floor = heap[0][0]
                elif score > floor:
                    heapq.heapreplace(heap, (score, -(offset + docnum)))
                    floor = heap[0][0]
            matcher.next()
    heap.sort(reverse=True)
    hits = [(score, -negated) for score, negated in heap]
    if skipped:
        return TopHits(hits, EXACT_UP_TO, exact=False)
    return TopHits(hits, counted, exact=True)


def window_bound(matcher: Any) -> tuple[float, int]:
    """(bound, last): no document from the matcher's current one to ``last`` scores
    above ``bound``. Every posting list is read in its current block only."""
    if not matcher.is_active():
        return 0.0, _LAST
    kind = type(matcher)
    if isinstance(matcher, mcore.LeafMatcher) and hasattr(matcher, "block_max_id"):
        if not matcher.supports_block_quality():
            return _INFINITE, matcher.id()
        return matcher.block_quality(), matcher.block_max_id()
    if kind in _ADDITIVE:
        a_bound, a_last = window_bound(matcher.a)
        b_bound, b_last = window_bound(matcher.b)
        return a_bound + b_bound, min(a_last, b_last)
    if kind is binary.DisjunctionMaxMatcher:
        a_bound, a_last = window_bound(matcher.a)
        b_bound, b_last = window_bound(matcher.b)
        return max(a_bound, b_bound), min(a_last, b_last)
    if kind is combo.ArrayUnionMatcher and matcher._scored:
        # An OR of several words in a small segment: it has already scored its current
        # part of the segment (up to _limit) into an array, the best of which bounds it.
        return matcher.block_quality(), matcher._limit - 1
    if kind is binary.AndNotMatcher:
        return window_bound(matcher.a)  # its score is its first child's
    if kind is PhraseMatcher:
        # Scored as WrappingMatcher scores (its child's score times its boost);
        # it overrides score() only to start itself.
        bound, last = window_bound(matcher.child)
        return bound * matcher.boost, last
    if isinstance(matcher, wrappers.WrappingMatcher) and kind.score is _WRAPPED_SCORE:
        # A phrase (its score is its words'), a boost, the deleted documents left out.
        bound, last = window_bound(matcher.child)
        return bound * matcher.boost, last
    return _INFINITE, matcher.id()


_WRAPPED_SCORE = wrappers.WrappingMatcher.score


def _read_lengths_once(matcher: Any, subsearcher: Any) -> None:
    """Give each BM25F posting list of ``matcher`` its field's lengths as one list.

    A scorer reads a document's field length through five calls down to a one-byte
    read from the segment's file, per document it scores: a fifth of a term's time.
    The list holds the very values that path returns (the byte decoded), read in
    one go, so scores are unchanged. Anything not laid out as expected is left on Whoosh's own path.
    """
    from whoosh.scoring import WeightLengthScorer

    lists: dict[str, Any] = {}
    pending = [matcher]
    while pending:
        node = pending.pop()
        pending.extend(node.children())
        scorer = getattr(node, "scorer", None)
        if not isinstance(scorer, WeightLengthScorer) or "dfl" not in vars(scorer):
            continue
        term = node.term() if isinstance(node, mcore.LeafMatcher) else None
        if not term:
            continue
        field = term[0]
        if field not in lists:
            lists[field] = _lengths(subsearcher, field)
        if lists[field] is not None:
            scorer.dfl = lists[field].__getitem__


def _lengths(subsearcher: Any, field: str) -> list[int | None] | None:
    """Each document's length of ``field`` as the scorer reads it (None where the
    column has 0, as Whoosh's reader returns), or None when the segment does not keep
    lengths as Whoosh 2.7's one-byte column."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.util.numeric import byte_to_length

    try:
        perdoc = subsearcher.reader()._perdoc
        column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        if column is None or column._fixedlen != 1:
            return None
        raw = column._dbfile.get(column._basepos, column._count)
    except AttributeError:
        return None
    table = [byte_to_length(n) if n else None for n in range(256)]
    lengths = [table[n] for n in raw]
    # Past the column's end the reader gives its default, 0.
    return lengths + [None] * (subsearcher.doc_count_all() + 1 - len(lengths))
