"""Days a page writes that are not its publication, and whether htmldate's guess is one.

htmldate, asked only when the page's own signals (:mod:`page_dates`) give no date, guesses
from every date the page shows. Some of those are the page's last change, a period it
reports on, the header's "today" or a teaser's date; others it pieced together itself.
"""

from __future__ import annotations

import re
from typing import Any

from corpus_cli.readers.page_dates import (
    _UNDER_HEADLINE_CHARS,
    _period_days,
    _visible_text,
    modified_days,
)
from corpus_cli.readers.written_days import days_written
from corpus_cli.readers.written_days import whole_day as _day
from corpus_cli.text.dates import bylines, infer_date

__all__ = ["changed_days", "days_written", "guess_refused", "refused_days"]

_AMBIGUOUS_DAY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?!\d)")

# "This page was last modified on 4 November 2020", "(last edited 2019-11-10 by ...)": a
# wiki's or a CMS's footer says when the page last changed, in lower case and often outside
# the article, where no byline is looked for. The date follows within a few words.
_CHANGE_STATEMENT = re.compile(
    r"last\s+(?:modified|edited|updated|changed|revised)|zuletzt\s+(?:geändert|bearbeitet"
    r"|aktualisiert)|letzte\s+(?:änderung|aktualisierung|bearbeitung)|dernière\s+(?:modification"
    r"|mise\s+à\s+jour)|modifié\s+le|ultima\s+modifica|ultimo\s+aggiornamento"
    r"|última\s+(?:modificación|actualización|atualização|alteração)|последнее\s+изменение"
    r"|изменено",
    re.IGNORECASE,
)
_CHANGE_WINDOW = 60


def _stated_changes(text: str) -> set[str]:
    """Days ``text`` gives as a change of the page ("last modified on 4 November 2020")."""
    days: set[str] = set()
    for match in _CHANGE_STATEMENT.finditer(text):
        window = text[match.end() : match.end() + _CHANGE_WINDOW]
        info = infer_date(window, body=False)
        if info is not None and info.precision == "day":
            days.add(info.value)
    return days


def changed_days(tree: Any) -> set[str]:
    """Days the page gives as its last change rather than its publication: ``<meta>``
    names of modification, JSON-LD ``dateModified``, and statements such as "This page was
    last modified on 4 November 2020" or "Aktualisiert: 11.04.2020" anywhere on the page."""
    return _changed_days(tree, _words(_visible_text(tree, everything=True)[0]))


def _words(text: str) -> str:
    return " ".join(text.split())


def _changed_days(tree: Any, words: str) -> set[str]:
    """:func:`changed_days`, given the page's words (all of them, one space apart)."""
    days = _stated_changes(words)
    days.update(byline.date.value for byline in bylines(words) if byline.update)
    days.update(modified_days(tree))
    return days


def refused_days(tree: Any) -> set[str]:
    """Days htmldate may return that this reader refuses on purpose.

    htmldate falls back on modification dates, but a page's last change is not its
    publication (:func:`changed_days`); it reads ``11/01/2023`` in a ``<meta>`` as one order
    of day and month, where nothing in the page says which: both readings are refused; and
    it takes a day of a period the page reports on ("Wochenbericht 14. - 20. Januar 2022")
    for the page's own.
    """
    return _refused_days(tree, _words(_visible_text(tree, everything=True)[0]))


def _refused_days(tree: Any, words: str) -> set[str]:
    """:func:`refused_days`, given the page's words (all of them, one space apart)."""
    days = _changed_days(tree, words)
    days.update(_period_days(words))
    for element in tree.iter("meta"):
        content = element.get("content") or ""
        if match := _AMBIGUOUS_DAY.match(content.strip()):
            first, second, year = match.groups()
            if int(first) <= 12 and int(second) <= 12 and first != second:
                for reading in (_day(year, first, second), _day(year, second, first)):
                    if reading is not None:
                        days.add(reading)
    return days


def _everything_written(tree: Any) -> str:
    """The page's words, scripts and attribute values: wherever a day may be written."""
    parts = [" ".join(str(value) for value in element.attrib.values()) for element in tree.iter()]
    parts.extend(tree.itertext())
    return "\n".join(parts)


def guess_refused(tree: Any, day: str) -> bool:
    """Whether a day htmldate guessed from the page's visible dates cannot be its date.

    Refused: the days of :func:`refused_days`; a day the page does not write whole anywhere
    (htmldate completes a lone year or month with the first day), or writes only where
    nobody reads it (an attribute, a script) while its words show other days; and a day
    the page's words give only well before its headline, where sit the teasers of other
    articles and the header's "today" ("Freitag, 21. Januar 2022 Startseite ..."); a date
    right above the headline is its kicker and stays.
    """
    # the page's words are walked once: the refusals read them one space apart, the
    # headline's place is counted in them as walked
    text, heading = _visible_text(tree, everything=True)
    if day in _refused_days(tree, _words(text)):
        return True
    if day not in days_written(_everything_written(tree)):
        return True
    shown = days_written(text)
    if shown and day not in shown:
        return True  # only in a tooltip or a script, while the words show other days
    if heading < 0:
        return False
    places = shown.get(day, [])
    return bool(places) and max(places) < heading - _UNDER_HEADLINE_CHARS
