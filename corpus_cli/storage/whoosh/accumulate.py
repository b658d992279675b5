"""Every match's score a posting list at a time, as Whoosh's matchers would give it.

Whoosh scores a query document by document: each match costs a dozen Python calls
down the matcher tree (``next``, ``is_active``, ``id``, ``score`` on every node),
~8 µs, so a word in 74% of 10,000 articles took ~60 of a search's ~75 ms even with
the window bounds of ``topk.py``, which hardly ever prune a BM25 query (a block's
bound takes its most frequent posting's weight with its shortest document's length).

Here each posting list is read a block at a time into ``{docnum: score}`` (BM25F
written out inline: one expression per posting), and the tree's nodes combine those
dicts with the very arithmetic their ``score()`` does, in the same order (``a + b``, ``s * boost``,
``0.0 + s1 * boost + s2 * boost`` for an array union), so every score is the one
Whoosh's walk gives, bit for bit. Knowing every match also gives an exact total.

A tree with a node this module does not know (:func:`readable` says so before any
posting is read) is walked as before (``topk.top_hits``); the exception is the
optional side of an AND-MAYBE (the exact forms' and the phrase's bonus), which is
asked only about the documents its required side matched, as Whoosh's matcher asks.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Iterable
from itertools import accumulate
from typing import Any

from corpus_cli.storage.whoosh.lean_import import import_whoosh

import_whoosh()

from whoosh.codec.whoosh3 import W3LeafMatcher  # noqa: E402
from whoosh.matching import binary, combo, mcore, wrappers  # noqa: E402
from whoosh.query.spans import SpanNear2  # noqa: E402
from whoosh.scoring import BM25FScorer, WeightLengthScorer  # noqa: E402

from corpus_cli.storage.whoosh.formats import PositionArrays  # noqa: E402
from corpus_cli.storage.whoosh.postings import adjacent  # noqa: E402
from corpus_cli.storage.whoosh.queries import MaybeMatcher, PhraseMatcher  # noqa: E402

#: A document number and its score.
Scores = dict[int, float]

_NULL = type(mcore.NullMatcher)
#: What a phrase (whoosh.query.Phrase, phrase.Phrase) matches with: its words'
#: postings intersected, then their positions checked.
_PHRASES = (SpanNear2.SpanNear2Matcher, PhraseMatcher)


def scores(matcher: Any, only: Collection[int] | None = None) -> Scores | None:
    """Each document ``matcher`` matches, with its score; None where not known here.
    With ``only``, the documents among those alone (the others are not scored).

    Consumes the matcher (and its children) either way: a caller that gets None
    must make a new one.
    """
    kind = type(matcher)
    if kind is _NULL:
        return {}
    if kind is W3LeafMatcher:
        return _leaf(matcher, only)
    if kind is binary.UnionMatcher:
        a, b = scores(matcher.a, only), scores(matcher.b, only)
        if a is None or b is None:
            return None
        out = dict(b)
        for docnum, score in a.items():
            other = out.get(docnum)
            out[docnum] = score if other is None else score + other
        return out
    if kind is binary.IntersectionMatcher:
        return _intersection(matcher, only)
    if kind in _PHRASES:
        return _phrase(matcher, only)
    if kind is binary.AndMaybeMatcher or kind is MaybeMatcher:
        a = scores(matcher.a, only)
        if a is None:
            return None
        return _maybe(a, matcher.b)
    if kind is binary.AndNotMatcher:
        a = scores(matcher.a, only)
        if a is None:
            return None
        excluded = scores(matcher.b, a)
        if excluded is None:
            return None
        return {docnum: score for docnum, score in a.items() if docnum not in excluded}
    if kind is combo.ArrayUnionMatcher:
        return _array_union(matcher, only)
    if kind is wrappers.WrappingMatcher:
        return _boosted(scores(matcher.child, only), matcher.boost)
    if kind is wrappers.FilterMatcher:
        child = scores(matcher.child, only)
        if child is None:
            return None
        ids, exclude = matcher._ids, matcher._exclude
        kept = {d: s for d, s in child.items() if (d in ids) != exclude}
        return _boosted(kept, matcher.boost)
    return None


def _leaf(matcher: Any, only: Collection[int] | None = None) -> Scores | None:
    """A posting list's scores (of the documents in ``only``, if given)."""
    scorer = matcher.scorer
    if not _weight_and_length(scorer):
        return None  # not a weight-and-length scorer (BM25F): its own score() only
    out: Scores = {}
    while matcher.is_active():
        first, ids, weights = _block(matcher)
        postings: Iterable[tuple[int, float]] = zip(ids[first:], weights[first:], strict=True)
        if only is not None:
            postings = ((d, w) for d, w in postings if d in only)
        _score_into(out, scorer, postings)
        matcher._next_block()
    return out


def _weight_and_length(scorer: Any) -> bool:
    return isinstance(scorer, WeightLengthScorer) and "dfl" in vars(scorer)


def _block(matcher: Any) -> tuple[int, Any, Any]:
    """Where the matcher is in its block, and the block's ids and weights.

    ``W3LeafMatcher._read_ids`` sums the ids' deltas with a Python generator, a
    call per posting; ``itertools.accumulate`` gives the same ids from C.
    """
    if matcher._ids is None:
        if matcher._data is None:
            matcher._read_data()
        deltas = matcher._data[0]
        matcher._ids = deltas if matcher._byteids else tuple(accumulate(deltas))
    matcher._read_weights()
    return matcher._i, matcher._ids, matcher._weights


def _score_into(out: Scores, scorer: Any, postings: Iterable[tuple[int, float]]) -> Scores:
    """Each (document, weight) posting's score put in ``out``."""
    length = scorer.dfl
    if type(scorer) is BM25FScorer:
        # whoosh.scoring.bm25 written out, the same operations in the same order
        # (so the same floats), without two calls per posting.
        idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        k1_1, one_b = k1 + 1, 1 - b
        for docnum, tf in postings:
            out[docnum] = idf * ((tf * k1_1) / (tf + k1 * (one_b + b * length(docnum) / avgfl)))
    else:
        score = scorer._score
        for docnum, tf in postings:
            out[docnum] = score(tf, length(docnum))
    return out


def _phrase(matcher: Any, only: Collection[int] | None = None) -> Scores | None:
    """A phrase's documents: its words' intersection (scored as the matcher's tree
    of intersections adds them up), kept where the positions follow each other.

    Each word's list is read whole (ids, weights and values a block at a time), but
    only the documents holding every word are scored and their positions decoded: a
    phrase of two common words matches a fraction of either word's documents.
    """
    if not (matcher.ordered and matcher.mindist == 1):
        return None
    read: list[tuple[Any, Any, dict[int, float], dict[int, Any]]] = []
    for word in matcher.ms:
        leaf, deleted = _posting_list(word)
        if leaf is None or not _weight_and_length(leaf.scorer):
            return None
        weights: dict[int, float] = {}
        values: dict[int, Any] = {}
        while leaf.is_active():
            first, ids, block_weights = _block(leaf)
            leaf._read_values()
            weights.update(zip(ids[first:], block_weights[first:], strict=True))
            values.update(zip(ids[first:], leaf._values[first:], strict=True))
            leaf._next_block()
        for docnum in deleted:
            weights.pop(docnum, None)
        read.append((word, leaf, weights, values))
    common = set(min(read, key=lambda word: len(word[2]))[2])
    if only is not None:
        common.intersection_update(only)
    for _, _, found, _ in read:
        common.intersection_update(found)
    scored = {
        id(word): _score_into({}, leaf.scorer, ((d, found[d]) for d in common))
        for word, leaf, found, _ in read
    }
    together = _intersected(matcher.child, scored)
    if together is None:
        return None
    slop = matcher.slop
    out: Scores = {}
    if slop == 1 and all(type(leaf.format) is PositionArrays for _, leaf, _, _ in read):
        # Words one apart, read from the packed positions (formats.py) as sets.
        packed = [values for _, _, _, values in read]
        for docnum, score in together.items():
            if adjacent([values[docnum] for values in packed]):
                out[docnum] = score
        return _boosted(out, matcher.boost)
    decoders = [(leaf.format.decode_positions, values) for _, leaf, _, values in read]
    for docnum, score in together.items():
        if _follow([decode(values[docnum]) for decode, values in decoders], slop):
            out[docnum] = score
    return _boosted(out, matcher.boost)


def _posting_list(word: Any) -> tuple[Any, Collection[int]]:
    """A phrase word's posting list, and the deleted documents left out of it (a
    segment with deletions wraps each list in a FilterMatcher); None if neither."""
    if type(word) is W3LeafMatcher:
        return word, ()
    if (
        type(word) is wrappers.FilterMatcher
        and word._exclude
        and word.boost == 1.0
        and type(word.child) is W3LeafMatcher
    ):
        return word.child, word._ids
    return None, ()


def _intersected(node: Any, leaves: dict[int, Scores]) -> Scores | None:
    """The scores of a tree of intersections over leaves already read."""
    if id(node) in leaves:
        return leaves[id(node)]
    if type(node) is not binary.IntersectionMatcher:
        return None
    a, b = _intersected(node.a, leaves), _intersected(node.b, leaves)
    if a is None or b is None:
        return None
    return _both(a, b)


def _follow(positions: list[list[int]], slop: int) -> bool:
    """Does each word come 1 to ``slop`` positions after the one before it, somewhere?

    What SpanNear2 (ordered, at least 1 apart) finds for single words: a chain of
    spans, each extended by a next word past its end and within ``slop`` of it.
    """
    if slop == 1:
        # Each word right after the one before: the same chains, by set arithmetic.
        chain = set(positions[0])
        for following in positions[1:]:
            chain = {end + 1 for end in chain}.intersection(following)
            if not chain:
                return False
        return True
    ends = positions[0]
    for following in positions[1:]:
        reached = set()
        for end in ends:
            j = bisect_right(following, end)
            while j < len(following) and following[j] - end <= slop:
                reached.add(following[j])
                j += 1
        if not reached:
            return False
        ends = sorted(reached)
    return True


def _intersection(matcher: Any, only: Collection[int] | None = None) -> Scores | None:
    a_matcher, b_matcher = matcher.a, matcher.b
    # NOT x AND y: the inverse side is known by what it leaves out.
    if type(a_matcher) is wrappers.InverseMatcher or type(b_matcher) is wrappers.InverseMatcher:
        inverse_first = type(a_matcher) is wrappers.InverseMatcher
        inverse, other = (a_matcher, b_matcher) if inverse_first else (b_matcher, a_matcher)
        if type(other) is wrappers.InverseMatcher:
            return None
        kept = scores(other, only)
        if kept is None:
            return None
        excluded = scores(inverse.child, kept)
        if excluded is None:
            return None
        weight, missing, limit = inverse._weight, inverse.missing, inverse.limit
        start = inverse.id()  # where the inverse began (past missing documents)
        out: Scores = {}
        for docnum, score in kept.items():
            if docnum in excluded or missing(docnum) or not start <= docnum < limit:
                continue
            out[docnum] = weight + score if inverse_first else score + weight
        return out
    a = scores(a_matcher, only)
    if a is None:
        return None
    b = scores(b_matcher, a)
    if b is None:
        return None
    return _both(a, b)


def _both(a: Scores, b: Scores) -> Scores:
    """The documents in both, scored ``a + b`` (IntersectionMatcher.score)."""
    if len(b) < len(a):
        return {d: a[d] + s for d, s in b.items() if d in a}
    return {d: s + b[d] for d, s in a.items() if d in b}


def _maybe(a: Scores, b_matcher: Any) -> Scores:
    """a AND MAYBE b: a's documents, b's score added where b matches too."""
    # Only where a matched: b's other documents would be scored for nothing.
    b = scores(b_matcher, a) if readable(b_matcher) else None
    if b is not None:
        return {d: s + b[d] if d in b else s for d, s in a.items()}
    # b is a phrase, say: asked at a's documents only, in order, as AndMaybeMatcher does.
    out = dict(a)
    for docnum in sorted(a):
        if not b_matcher.is_active():
            break
        if b_matcher.id() < docnum:
            b_matcher.skip_to(docnum)
            if not b_matcher.is_active():
                break
        if b_matcher.id() == docnum:
            out[docnum] = a[docnum] + b_matcher.score()
    return out


def readable(matcher: Any) -> bool:
    """Will :func:`scores` read ``matcher`` whole (never None), knowing every node of
    it? Asked before reading, so that nothing is read for a tree it cannot finish."""
    kind = type(matcher)
    if kind is _NULL:
        return True
    if kind is W3LeafMatcher:
        scorer = matcher.scorer
        return isinstance(scorer, WeightLengthScorer) and "dfl" in vars(scorer)
    if kind in (binary.UnionMatcher, binary.AndNotMatcher):
        return readable(matcher.a) and readable(matcher.b)
    if kind is binary.IntersectionMatcher:
        inverse = wrappers.InverseMatcher
        if type(matcher.a) is inverse:
            other = matcher.b
            return type(other) is not inverse and readable(matcher.a.child) and readable(other)
        if type(matcher.b) is inverse:
            return readable(matcher.b.child) and readable(matcher.a)
        return readable(matcher.a) and readable(matcher.b)
    if kind is binary.AndMaybeMatcher or kind is MaybeMatcher:
        return readable(matcher.a)
    if kind in _PHRASES:
        words = [_posting_list(m)[0] for m in matcher.ms]
        return (
            matcher.ordered
            and matcher.mindist == 1
            and all(word is not None and readable(word) for word in words)
        )
    if kind is combo.ArrayUnionMatcher:
        return bool(matcher._scored) and all(readable(m) for m in matcher._submatchers)
    if kind in (wrappers.WrappingMatcher, wrappers.FilterMatcher):
        return readable(matcher.child)
    return False


def _array_union(matcher: Any, only: Collection[int] | None = None) -> Scores | None:
    if not matcher._scored:
        return None
    boost = matcher._boost
    out: Scores = {}
    # The matcher read a part of the segment into its array when it was made (or
    # moved): those scores are the array's, from its current document on; the
    # children are past the part.
    part, offset = matcher._a, matcher._offset
    for i in range(matcher._docnum - offset, matcher._limit - offset):
        if part[i] > 0:
            out[offset + i] = part[i]
    for child in matcher._submatchers:
        found = scores(child, only)
        if found is None:
            return None
        for docnum, score in found.items():
            out[docnum] = out.get(docnum, 0.0) + score * boost
    return {d: s for d, s in out.items() if s > 0 and (only is None or d in only)}


def _boosted(found: Scores | None, boost: float) -> Scores | None:
    if found is None or boost == 1.0:
        return found
    return {docnum: score * boost for docnum, score in found.items()}
