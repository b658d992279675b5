"""``date:`` clauses: a query's own date range, lifted out of the tree into the filters.

``rapina date:2020`` means what ``rapina --from 2020 --to 2020`` means, and an
article matches the same way: when its own period (a day, a month or a year, by
its precision) overlaps the range. No backend compiles dates inside a query, so the
parser lifts the clauses that narrow the whole query (those ANDed with the rest)
into :attr:`Query.date_from` and :attr:`Query.date_to`, and :func:`narrowed` ANDs
them with the command line's ``--from`` and ``--to`` before the store is asked.
A ``date:`` under OR, NOT or ``-`` would need a date inside the tree: it is refused.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from corpus_cli.errors import BadDate, QuerySyntaxError
from corpus_cli.model import Filters
from corpus_cli.query.tree import Query

#: Between the two ends of a range: ``date:2020-03..2020-05``; either end may be left out.
RANGE = ".."

#: One clause as typed (``date:2020``), with the first and last day it allows.
Span = tuple[str, datetime.date | None, datetime.date | None]

NOT_A_DATE = (
    "'date:{value}' is not a date: use date:YYYY, date:YYYY-MM, date:YYYY-MM-DD "
    "or a range such as date:2020-03..2020-05."
)
NOT_HERE = (
    "'date:{value}' cannot stand inside OR, NOT, - or ANDMAYBE: a date narrows the "
    "whole query, as in 'rapina date:2020'."
)
ONLY_DATES = (
    "The query has only dates ({clauses}), no words to search for; "
    "'corpus list --from D --to D' lists the articles of a period."
)


def read_span(value: str) -> Span:
    """``2020``, ``2020-03``, ``2020-03-15`` or ``A..B`` as (clause, first day, last day)."""
    # Imported here: a search without date: clauses never pays for the date tables.
    from corpus_cli.text.dates import parse_cli_date

    start_text, sep, end_text = value.partition(RANGE)
    if not sep:
        end_text = start_text
    if not (start_text or end_text):
        raise QuerySyntaxError(NOT_A_DATE.format(value=value))
    try:
        first = parse_cli_date(start_text) if start_text else None
        last = parse_cli_date(end_text, end=True) if end_text else None
    except BadDate:
        raise QuerySyntaxError(NOT_A_DATE.format(value=value)) from None
    if first and last and first > last:
        raise QuerySyntaxError(f"'date:{value}' ends before it starts: nothing can match.")
    return f"date:{value}", first, last


def intersection(
    spans: Iterable[Span],
) -> tuple[datetime.date | None, datetime.date | None]:
    """The days every span allows (clauses side by side are ANDed), as (first, last)."""
    first: datetime.date | None = None
    last: datetime.date | None = None
    typed: list[str] = []
    for clause, start, end in spans:
        typed.append(clause)
        if start is not None and (first is None or start > first):
            first = start
        if end is not None and (last is None or end < last):
            last = end
        if first and last and first > last:
            raise QuerySyntaxError(
                f"{' and '.join(typed)} have no day in common: nothing can match."
            )
    return first, last


def narrowed(filters: Filters, query: Query | None) -> Filters:
    """``filters`` ANDed with the query's own ``date:`` range (the later start, the
    earlier end); QuerySyntaxError when the two leave no day at all."""
    if query is None or (query.date_from is None and query.date_to is None):
        return filters
    first, last = filters.date_from, filters.date_to
    if query.date_from is not None and (first is None or query.date_from > first):
        first = query.date_from
    if query.date_to is not None and (last is None or query.date_to < last):
        last = query.date_to
    if first and last and first > last:
        given = " ".join(
            f"--{name} {day.isoformat()}"
            for name, day in (("from", filters.date_from), ("to", filters.date_to))
            if day is not None
        )
        raise QuerySyntaxError(
            f"{' '.join(query.dates)} and {given} have no day in common: nothing can match."
        )
    return Filters(first, last, filters.source, filters.cites)
