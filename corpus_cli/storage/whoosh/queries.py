"""The Whoosh queries corpus compiles to, made to be read a posting list at a time.

An OR is a binary tree of unions in every segment: Whoosh's automatic choice scores
an OR of three or more clauses in a segment of up to 5,000 documents into an array as
its matcher is made, one document at a time, before ``accumulate.py`` can read it.

A phrase and an AND-MAYBE make the same matchers as Whoosh's, with one step put off.
Whoosh's phrase matcher (``SpanNear2Matcher``) walks its words' intersection to the
first document where they stand side by side as soon as it is made, reading
positions document by document. For a rare phrase of common words that is nearly
the whole intersection, before a search can read it a posting list at a time
(``accumulate.py``): over a quarter of the time of ``carabinieri polizia`` on
10,000 articles, profiled (its ranking adds the two words as a phrase). Here that
first walk waits until something asks where the matcher is. An AND-MAYBE matcher
moves its optional side (the phrase, in that query) to its required side's first
document as it is made: put off too.
"""

from __future__ import annotations

from typing import Any

from corpus_cli.storage.whoosh.lean_import import import_whoosh

import_whoosh()

from whoosh import matching  # noqa: E402
from whoosh import query as wq  # noqa: E402
from whoosh.matching import wrappers  # noqa: E402
from whoosh.matching.binary import AndMaybeMatcher, IntersectionMatcher  # noqa: E402
from whoosh.query.spans import SpanNear2  # noqa: E402
from whoosh.util import make_binary_tree  # noqa: E402


class _Deferred:
    """What both matchers below share: every question about where they are first runs
    the ``_start()`` their Whoosh class ran when it was made."""

    def _start(self) -> None:
        raise NotImplementedError

    def is_active(self) -> bool:
        self._start()
        return bool(super().is_active())  # type: ignore[misc]

    def id(self) -> int:
        self._start()
        return int(super().id())  # type: ignore[misc]

    def next(self) -> Any:
        self._start()
        return super().next()  # type: ignore[misc]

    def skip_to(self, id: int) -> Any:
        self._start()
        return super().skip_to(id)  # type: ignore[misc]

    def score(self) -> float:
        self._start()
        return float(super().score())  # type: ignore[misc]

    def weight(self) -> Any:
        self._start()
        return super().weight()  # type: ignore[misc]

    def value(self) -> Any:
        self._start()
        return super().value()  # type: ignore[misc]

    def all_ids(self) -> Any:
        self._start()
        return super().all_ids()  # type: ignore[misc]

    def block_quality(self) -> Any:
        self._start()
        return super().block_quality()  # type: ignore[misc]

    def max_quality(self) -> Any:
        self._start()
        return super().max_quality()  # type: ignore[misc]

    def skip_to_quality(self, minquality: float) -> Any:
        self._start()
        return super().skip_to_quality(minquality)  # type: ignore[misc]

    def matching_terms(self, id: int | None = None) -> Any:
        self._start()
        return super().matching_terms(id)  # type: ignore[misc]

    def replace(self, minquality: float = 0) -> Any:
        self._start()
        return super().replace(minquality)  # type: ignore[misc]


class PhraseMatcher(_Deferred, SpanNear2.SpanNear2Matcher):  # type: ignore[misc]
    """``SpanNear2Matcher``, started on first use."""

    def __init__(self, ms: list[Any], slop: int = 1, ordered: bool = True, mindist: int = 1):
        self.ms = ms
        self.slop = slop
        self.ordered = ordered
        self.mindist = mindist
        # SpanWrappingMatcher.__init__ without its _find_next().
        wrappers.WrappingMatcher.__init__(self, make_binary_tree(IntersectionMatcher, ms))
        self._spans = None
        self._pending = True

    def _start(self) -> None:
        if self._pending:
            self._pending = False
            if wrappers.WrappingMatcher.is_active(self):
                self._find_next()

    def spans(self) -> Any:
        self._start()
        return super().spans()

    def reset(self) -> None:
        self.child.reset()
        self._spans = None
        self._pending = True


class _LazySpanNear2(SpanNear2):  # type: ignore[misc]
    SpanNear2Matcher = PhraseMatcher


class Phrase(wq.Phrase):  # type: ignore[misc]
    """``whoosh.query.Phrase``, matched with :class:`PhraseMatcher`."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        # whoosh.query.Phrase.matcher, with the lazy SpanNear2.
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            raise wq.QueryError(f"Phrase search: {fieldname!r} field has no positions")
        words = []
        reader = searcher.reader()
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (fieldname, word) not in reader:
                return matching.NullMatcher()  # a word no document has
            words.append(wq.Term(fieldname, word))
        q = _LazySpanNear2(words, slop=self.slop, ordered=True, mindist=1)
        m = q.matcher(searcher, context)
        if self.boost != 1.0:
            m = matching.WrappingMatcher(m, boost=self.boost)
        return m


class MaybeMatcher(_Deferred, AndMaybeMatcher):  # type: ignore[misc]
    """``AndMaybeMatcher``, its optional side moved to the first match on first use."""

    def __init__(self, a: Any, b: Any):
        # AndMaybeMatcher.__init__ without its _first_b().
        super(AndMaybeMatcher, self).__init__(a, b)
        self._pending = True

    def _start(self) -> None:
        if self._pending:
            self._pending = False
            self._first_b()

    def reset(self) -> None:
        self.a.reset()
        self.b.reset()
        self._pending = True


class AndMaybe(wq.AndMaybe):  # type: ignore[misc]
    """``whoosh.query.AndMaybe``, matched with :class:`MaybeMatcher`."""

    matcherclass = MaybeMatcher


class Or(wq.Or):  # type: ignore[misc]
    """``whoosh.query.Or``, matched as a binary tree of unions in every segment."""

    matcher_type = wq.Or.DEFAULT_MATCHER
