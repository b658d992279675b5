"""Filters and sort orders as Whoosh queries and sort arguments."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from corpus_cli.model import Filters, SortOrder
from corpus_cli.storage.whoosh.schema import day_number, period_term
from corpus_cli.text.analysis import source_key
from corpus_cli.text.periods import months

_FIRST_DAY = datetime.date(1, 1, 1)
_LAST_DAY = datetime.date(9999, 12, 31)


def filter_query(filters: Filters | None) -> Any:
    """The Whoosh query that lets through only what ``filters`` allow (None: all)."""
    from whoosh import query

    if filters is None:
        return None
    parts = _date_filter(filters.date_from, filters.date_to)
    if filters.source is not None:
        parts.append(query.Term("source", source_key(filters.source)))
    if filters.cites is not None:
        parts.append(query.Term("cites", filters.cites.lower()))
    if filters.language is not None:
        parts.append(query.Term("language", filters.language))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else query.And(parts)


def sort_args(sort: SortOrder) -> dict[str, Any]:
    # Undated articles carry sentinel keys so that they come last both ways.
    if sort == "date":
        return {"sortedby": "sort_asc"}
    if sort == "-date":
        return {"sortedby": "sort_desc", "reverse": True}
    return {}


def _date_filter(date_from: datetime.date | None, date_to: datetime.date | None) -> list[Any]:
    """Queries for "the article's period overlaps [date_from, date_to]"."""
    from whoosh import query

    # Overlap, not containment: a 2022-12 article matches --from 2022-12-15.
    starts_in_time = query.NumericRange("date_start", None, day_number(date_to or _LAST_DAY))
    ends_in_time = query.NumericRange("date_end", day_number(date_from or _FIRST_DAY), None)
    if date_from is None or date_to is None:
        return [q for q, given in ((starts_in_time, date_to), (ends_in_time, date_from)) if given]
    # A bounded range: whole years and months are single terms; only a month the
    # range covers in part needs the day-level check.
    whole_years = {
        y
        for y in range(date_from.year, date_to.year + 1)
        if datetime.date(y, 1, 1) >= date_from and datetime.date(y, 12, 31) <= date_to
    }
    terms: list[Any] = [
        query.Term("date_periods", period_term(f"{y:04d}")) for y in sorted(whole_years)
    ]
    for y, m in months(date_from, date_to):
        if y in whole_years:
            continue
        month = query.Term("date_periods", period_term(f"{y:04d}-{m:02d}"))
        first = datetime.date(y, m, 1)
        last = datetime.date(y, m, calendar.monthrange(y, m)[1])
        if first >= date_from and last <= date_to:
            terms.append(month)
        else:
            terms.append(query.And([month, starts_in_time, ends_in_time]))
    return [terms[0] if len(terms) == 1 else query.Or(terms)]
