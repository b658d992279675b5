"""Calendar periods: the months between two days, the years and months a date touches.

Kept apart from dates.py, whose patterns are compiled at import: a search, which
filters on periods, never reads a date out of text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from corpus_cli.model import DateInfo


def months(first: datetime.date, last: datetime.date) -> Iterator[tuple[int, int]]:
    """Every (year, month) from ``first``'s month to ``last``'s, both included."""
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def periods_touched(date: DateInfo | None) -> tuple[str, ...]:
    """Every year (``2023``) and month (``2023-04``) the date's period touches.

    Stores index these so that a bounded range filters on a few whole periods
    instead of comparing every article's days.
    """
    if date is None:
        return ()
    start, end = date.start, date.end
    years = [f"{y:04d}" for y in range(start.year, end.year + 1)]
    return (*years, *(f"{y:04d}-{m:02d}" for y, m in months(start, end)))
