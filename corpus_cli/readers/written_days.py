"""Every whole day a page writes, in the usual forms, and where.

A day a page's metadata gives but its words never write is weaker evidence than one it
also shows: the readers of page dates ask this to weigh signals and to vet guesses.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from corpus_cli.text.date_names import MONTH_ANY, month_number

__all__ = ["days_written", "whole_day"]


def whole_day(year: str, month: str, day: str) -> str | None:
    """``YYYY-MM-DD``, or ``None`` for a day no calendar has."""
    try:
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    # 0001-01-01 and similar are what a CMS writes when it has no date
    return value.isoformat() if value.year >= 1800 else None


@functools.cache
def _written_patterns() -> tuple[re.Pattern[str], ...]:
    """Every way a whole day is written on pages: ISO and slashed with the year first, day
    first with dots or slashes (and month first with slashes; "30.10.23"), "14. Januar 2022",
    "January 14, 2022", "2020年7月12日"."""
    return (
        re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
        re.compile(r"(?<!\d)(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})(?!\d)"),
        re.compile(r"(?<!\d)(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})(?!\d)"),
        re.compile(r"(?<![\d.])(?P<d>\d{1,2})([./])(?P<m>\d{1,2})\2(?P<yy>\d{2})(?![\d.])"),
        re.compile(
            rf"(?<!\d)(?P<d>\d{{1,2}})\.?\s*(?:de\s+)?(?P<n>{MONTH_ANY})\s*(?:de\s+)?(?P<y>\d{{4}})",
            re.IGNORECASE,
        ),
        re.compile(
            rf"(?P<n>{MONTH_ANY})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})",
            re.IGNORECASE,
        ),
        re.compile(r"(?P<y>\d{4})年\s*(?P<m>\d{1,2})月\s*(?P<d>\d{1,2})日"),
    )


def _century(year: str) -> str:
    """ "23" in "30.10.23" is 2023; "98" is 1998 (a two-digit year is never in the future)."""
    full = 2000 + int(year)
    return str(full if full <= dt.date.today().year else full - 100)


def days_written(text: str) -> dict[str, list[int]]:
    """Every whole day ``text`` writes, in any of the usual forms, and where."""
    days: dict[str, list[int]] = {}
    for pattern in _written_patterns():
        for match in pattern.finditer(text):
            fields = match.groupdict()
            month = month_number(fields["n"]) if fields.get("n") else int(fields["m"])
            year = fields.get("y") or _century(fields["yy"])
            if (day := whole_day(year, str(month), fields["d"])) is not None:
                days.setdefault(day, []).append(match.start())
    return days
