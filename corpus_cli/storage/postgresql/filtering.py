"""Filters and sort orders as SQL over ``corpus_articles`` (aliased ``a``).

Dates overlap as in the Whoosh backend (``storage/whoosh/filtering.py``): an
article's period [date_start, date_end] matches [from, to] when it starts by ``to``
and ends from ``from``; an undated article (both NULL) matches no range.
"""

from __future__ import annotations

from typing import Any

from corpus_cli.model import Filters, SortOrder
from corpus_cli.text.analysis import source_key

#: An article of a source (its folded name the parameter): its own source or one of
#: its copies' (``source_keys`` holds them all, its own first).
SOURCE_MATCH = "a.source_keys @> ARRAY[%s]::text[]"


def filter_sql(filters: Filters | None) -> tuple[list[str], list[Any]]:
    """(conditions to AND, their parameters) for ``filters``."""
    conditions: list[str] = []
    params: list[Any] = []
    if filters is None:
        return conditions, params
    if filters.date_to is not None:
        conditions.append("a.date_start <= %s")
        params.append(filters.date_to)
    if filters.date_from is not None:
        conditions.append("a.date_end >= %s")
        params.append(filters.date_from)
    if filters.source is not None:
        conditions.append(SOURCE_MATCH)
        params.append(source_key(filters.source))
    if filters.cites is not None:
        conditions.append("a.cites @> ARRAY[%s]::text[]")
        params.append(filters.cites.lower())
    if filters.language is not None:
        conditions.append("a.language = %s")
        params.append(filters.language)
    return conditions, params


def order_by(sort: SortOrder, score: str = "score") -> str:
    """ORDER BY for ``sort``: undated articles last both ways, ties in insertion order.

    Like Whoosh's reversed sort, newest first reverses the ties too.
    """
    if sort == "date":
        return "a.date_start ASC NULLS LAST, a.seq ASC"
    if sort == "-date":
        return "a.date_start DESC NULLS LAST, a.seq DESC"
    return f"{score} DESC, a.seq ASC"
