"""Questions around a query: attention over time, characteristic words, concordance, outlets.

Built on the storage interface alone, so they work the same on every backend.
"""

from __future__ import annotations

import datetime
import math
import re
from collections import Counter

from corpus_cli.model import Filters, Granularity, SortOrder
from corpus_cli.query.tree import Query
from corpus_cli.results import Citation, KwicLine, PeriodCount, TermScore
from corpus_cli.storage.base import Store
from corpus_cli.text.citations import outlet_names
from corpus_cli.text.languages import analyse
from corpus_cli.text.periods import months
from corpus_cli.text.snippets import collapse_spaces, find_matches
from corpus_cli.text.stopwords import stop_words

_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_PRECISION_RANK = {"day": 0, "month": 2, "year": 3}


def _precision(value: str) -> str:
    return {10: "day", 7: "month", 4: "year"}[len(value)]


def _bucket(value: str, by: Granularity) -> tuple[str, bool]:
    """The period ``value`` falls in at granularity ``by``, and whether it is coarser."""
    precision = _precision(value)
    if _PRECISION_RANK[precision] > _RANK[by] or (by == "week" and precision != "day"):
        return value, True
    if by == "year":
        return value[:4], False
    if by == "month":
        return value[:7], False
    if by == "week":
        year, week, _ = datetime.date.fromisoformat(value).isocalendar()
        return f"{year}-W{week:02d}", False
    return value, False


def _periods(first: str, last: str, by: Granularity) -> list[str]:
    """Every period from ``first`` to ``last`` inclusive, so empty ones show as zero."""
    out: list[str] = []
    if by == "year":
        return [str(y) for y in range(int(first), int(last) + 1)]
    if by == "month":
        span = (
            datetime.date.fromisoformat(first + "-01"),
            datetime.date.fromisoformat(last + "-01"),
        )
        return [f"{y:04d}-{m:02d}" for y, m in months(*span)]
    if by == "week":
        day = datetime.date.fromisocalendar(int(first[:4]), int(first[6:]), 1)
        end = datetime.date.fromisocalendar(int(last[:4]), int(last[6:]), 1)
        while day <= end:
            year, week, _ = day.isocalendar()
            out.append(f"{year}-W{week:02d}")
            day += datetime.timedelta(days=7)
        return out
    day = datetime.date.fromisoformat(first)
    end = datetime.date.fromisoformat(last)
    while day <= end:
        out.append(day.isoformat())
        day += datetime.timedelta(days=1)
    return out


def _bound(day: datetime.date, by: Granularity) -> str:
    return _bucket(day.isoformat(), by)[0]


def timeline(
    store: Store,
    query: Query | None,
    by: Granularity = "month",
    filters: Filters | None = None,
) -> list[PeriodCount]:
    """Matching articles per period, oldest first, empty periods included; with no
    ``query``, every article within the filters (``count`` is then ``total``).

    Rows with ``coarser=True`` (articles dated to a coarser period than ``by``) follow
    the regular rows. Undated articles are not counted.
    """
    filters = filters or Filters()
    totals = _buckets(store.date_counts(None, filters), by)
    matched = totals if query is None else _buckets(store.date_counts(query, filters), by)
    regular = sorted(p for p, coarse in matched if not coarse)
    if not regular and not any(coarse for _, coarse in matched):
        return []
    rows: list[PeriodCount] = []
    if regular:
        # The range asked for, within the years articles can have: no date is after
        # today, and "--to 9999 --by day" must not list eight thousand years.
        lowest, highest = datetime.date(1900, 1, 1), datetime.date.today()
        first = _bound(max(filters.date_from, lowest), by) if filters.date_from else regular[0]
        last = _bound(min(filters.date_to, highest), by) if filters.date_to else regular[-1]
        for period in _periods(first, last, by):
            rows.append(PeriodCount(period, matched[(period, False)], totals[(period, False)]))
    for period, coarse in sorted(matched):
        if coarse:
            rows.append(PeriodCount(period, matched[(period, True)], totals[(period, True)], True))
    return rows


def _buckets(dates: dict[str, int], by: Granularity) -> Counter[tuple[str, bool]]:
    counts: Counter[tuple[str, bool]] = Counter()
    for value, count in dates.items():
        counts[_bucket(value, by)] += count
    return counts


_WORDLIKE = re.compile(r"^[^\W\d_]{3,}$")


def characteristic_terms(
    store: Store,
    query: Query,
    filters: Filters | None = None,
    limit: int = 20,
    sample: int = 5000,
) -> list[TermScore]:
    """The words most over-represented in the matching articles (Dunning's G²).

    Each stem is shown as its most common surface form in the matches; the query's
    own words are left out, since they are trivially characteristic, and so are the
    function words of each article's language (:mod:`corpus_cli.text.stopwords`).
    """
    result = store.search(query, filters, limit=sample)
    counts: Counter[str] = Counter()
    surfaces: dict[str, Counter[str]] = {}
    for hit in result.hits:
        text = hit.article.text
        # The article's own analysis: its stems are the ones the index counts, and
        # its language's function words are left out ("the" no more than "il").
        language = hit.article.language
        stops = stop_words(language)
        for start, end, folded, stem in analyse(text, language):
            if not _WORDLIKE.match(folded) or folded in stops:
                continue
            counts[stem] += 1
            surfaces.setdefault(stem, Counter())[text[start:end].lower()] += 1
    if not counts:
        return []
    target_total = sum(counts.values())
    corpus_counts, corpus_total = store.term_frequencies(counts)
    skip = result.terms.stems
    scored: list[TermScore] = []
    for stem, a in counts.items():
        if stem in skip or a < 2:
            continue
        rest = max(corpus_counts.get(stem, a) - a, 0)
        rest_total = max(corpus_total - target_total, 1)
        if a / target_total <= rest / rest_total:
            continue
        score = _g2(a, rest, target_total, rest_total)
        term = surfaces[stem].most_common(1)[0][0]
        scored.append(TermScore(term, stem, round(score, 2), a))
    scored.sort(key=lambda t: (-t.score, t.term))
    return scored[:limit]


def _g2(a: int, b: int, c: int, d: int) -> float:
    expected_a = c * (a + b) / (c + d)
    expected_b = d * (a + b) / (c + d)
    value = a * math.log(a / expected_a)
    if b:
        value += b * math.log(b / expected_b)
    return 2 * value


def concordance(
    store: Store,
    query: Query,
    filters: Filters | None = None,
    sort: SortOrder = "relevance",
    limit: int = 10,
    width: int = 40,
) -> list[KwicLine]:
    """Every occurrence of the query's matches in the top ``limit`` articles, in context."""
    result = store.search(query, filters, sort=sort, limit=limit)
    lines: list[KwicLine] = []
    for hit in result.hits:
        article = hit.article
        flat = collapse_spaces(article.text)
        for start, end in find_matches(flat, result.terms, article.language):
            lines.append(
                KwicLine(
                    id=article.id,
                    date=article.date,
                    date_inferred=article.date_inferred,
                    source=article.source,
                    left=flat[max(0, start - width) : start],
                    match=flat[start:end],
                    right=flat[end : end + width],
                )
            )
    return lines


def cites(
    store: Store, query: Query | None = None, filters: Filters | None = None
) -> list[Citation]:
    """How many articles name each agency or outlet, most cited first.

    An article counts once for an outlet however often it names it. With ``query``
    (and/or ``filters``), only the articles they match are counted. The outlets are
    those recorded at ingest, the same that ``search --cites`` filters on.
    """
    shown = {name.lower(): name for name in outlet_names()}
    counts = store.cite_counts(query, filters)
    ranked = sorted(
        ((shown.get(key, key), count) for key, count in counts.items()),
        key=lambda item: (-item[1], item[0].casefold()),
    )
    return [Citation(name, count) for name, count in ranked]
