"""Publication dates: from metadata, from the command line, and from the article's own words.

A date always carries the precision actually known ("2022-12" is a month, not the first of
December) and, when it was inferred, the words it was read from, so that a reader can judge
the guess. Inference never invents: when the text gives no usable clue the answer is ``None``.

Everything here runs once per article over corpora of tens of thousands of articles, so the
patterns are compiled once at import and each article costs a handful of regex passes.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from corpus_cli.errors import BadDate
from corpus_cli.model import DateInfo, Precision, period_bounds
from corpus_cli.text.date_names import (
    MONTH_ANY,
    MONTH_EN_FULL,
    MONTH_FULL,
    MONTHS_ABBR,
    MONTHS_EN,
    MONTHS_IT,
    MONTHS_MORE,
    WEEKDAY_ANY,
    WEEKDAY_BY_NAME,
    WEEKDAY_FULL,
    fold,
    month_number,
    weekday_number,
)


def _lazy(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """``pattern`` compiled on first use. The date patterns spell out every month and
    weekday of seven languages; compiled at import they cost ~80 ms, which every cold
    ``corpus search`` paid (snippets ask whether a first line is a dateline) though most
    commands never read a date.
    """
    return cache(lambda: re.compile(pattern, flags))


__all__ = [
    "Byline",
    "bylines",
    "infer_date",
    "is_dateline",
    "parse_cli_date",
    "parse_metadata_date",
]

# Older years in metadata are placeholders ("0001-01-01"), not news.
_METADATA_MIN_YEAR = 1800
# A bare four-digit number before 1900 in an article is far more often a quantity than a year.
_TEXT_MIN_YEAR = 1900
# How far back a weekday-without-year phrase may point: a weekday repeats on the same day and
# month within at most 11 years (28 for 29 February), so 30 years always finds one.
_WEEKDAY_SEARCH_YEARS = 30
# Datelines sit under the title, bylines at the very top or bottom of the page.
_HEAD_CHARS = 600
_TAIL_CHARS = 300
# A web page's byline sits under its headline: a long headline and an author's name fit.
_BYLINE_PLACE_CHARS = 150
# A dateline starting just before the head limit may end a little after it.
_HEAD_SLACK = 200

_PERIOD_FORMS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def _info(
    year: int, month: int | None, day: int | None, inferred: bool, evidence: str | None
) -> DateInfo:
    if month is None:
        return DateInfo(f"{year:04d}", "year", inferred, evidence)
    if day is None:
        return DateInfo(f"{year:04d}-{month:02d}", "month", inferred, evidence)
    return DateInfo(f"{year:04d}-{month:02d}-{day:02d}", "day", inferred, evidence)


def _real_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------

# ASCII digits only: \d would also accept Arabic-Indic and other digits that int() converts.
_CLI_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def parse_cli_date(text: str, *, end: bool = False) -> datetime.date:
    """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as its first day, or its last with ``end``.

    ``--to 2023-04`` means up to 2023-04-30 and ``--to 2024`` up to 2024-12-31, so a period
    given to ``--to`` is included whole.
    """
    cleaned = text.strip()
    match = _CLI_RE.fullmatch(cleaned)
    if match is None:
        raise BadDate(f"{cleaned!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.")
    _, month, day = match.groups()
    precision: Precision = "day" if day else "month" if month else "year"
    try:
        first, last = period_bounds(cleaned, precision)
    except ValueError:
        # Month 13, 31 February, year 0000: well formed but not a day of the calendar.
        raise BadDate(f"{cleaned!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.") from None
    return last if end else first


# A day number on its own: not the tail of "10:30", "2.300" or "12/05".
_DAY = r"(?<![\d.,/:])(?:0?[1-9]|[12]\d|3[01])(?!\d)"
# "3°", "3rd", "1er" (fr), "1º" (es, pt), "17." (de)
_ORDINAL = r"(?:\s?[°º]|st|nd|rd|th|er|\.(?=\s))?"
_SEP = r"(?:\s*[-/,]\s*|\s+)"
_YEAR4 = r"\d{4}(?!\d)"

# Every form that gives a day, a month and a year ("2020年7月12日" and Korean's "2020년 7월
# 12일" too). Group names carry the form's letter so the same groups can be read back
# whichever regex embedded them (see _fields).
_FULL_DATE = rf"""
    (?P<a_d>{_DAY}){_ORDINAL}{_SEP}(?:(?:di|de|of)\s+)?(?P<a_m>{MONTH_ANY})
        {_SEP}(?:(?:del|de|of)\s+)?(?P<a_y>{_YEAR4})(?:\s+(?:года|г\.))?
  | (?P<b_m>{MONTH_ANY})\s+(?P<b_d>{_DAY})(?:st|nd|rd|th)?(?:\s*,\s*|\s+)(?P<b_y>{_YEAR4})
  | (?<![\d.,/-])(?P<c_y>\d{{4}})-(?P<c_m>\d{{1,2}})-(?P<c_d>\d{{1,2}})(?!\d)
  | (?<![\d.,/-])(?P<d_y>\d{{4}})/(?P<d_m>\d{{1,2}})/(?P<d_d>\d{{1,2}})(?!\d)
  | (?<![\d.,/-])(?P<e_d>\d{{1,2}})(?P<e_s>[/.-])(?P<e_m>\d{{1,2}})(?P=e_s)(?P<e_y>\d{{4}})(?!\d)
  | (?<!\d)(?P<j_y>\d{{4}})\s*[年년]\s*(?P<j_m>\d{{1,2}})\s*[月월]\s*(?P<j_d>\d{{1,2}})\s*[日일]
"""
# Kana, CJK ideographs and Hangul: Chinese and Japanese write no space between a word
# and a date ("新华社北京2020年7月12日电"), so one may follow them as if a space did.
_CJK = "\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af"
# Zone abbreviations bylines write after the time: Central and Western European (English
# and German), British, Moscow, and the United States' standard and daylight times.
_ZONES = r"(?:CES?T|MES?Z|WES?Z|WES?T|BST|MSK|[ECMP][SD]T)"
# A clock time after a date, dropped: "alle 10:30", "T10:30:00.5+01:00", "10:00:00 +0000".
_TIME = rf"""
    (?:\s*(?:,|-|–|—|\||alle|ore|at|à|um|a\s+las|às|в|T)?\s*(?:ore\s+)?
       \d{{1,2}}[:.h]\d{{2}}(?:[:.]\d{{2}}(?:\.\d+)?)?
       (?:\s*[ap]\.?m\.?(?!\w)|\s*Uhr(?!\w))?
       (?:\s*(?:Z|UTC|GMT|[+-]\d{{2}}:?\d{{2}}|{_ZONES})(?!\w))?
       (?:\s*\((?:UTC|GMT|{_ZONES})\))?)
"""
# Words that introduce a byline date. Capitalised only: "il decreto pubblicato il 3 marzo 2021"
# in the first paragraph is news, "Pubblicato il 3 marzo 2021" is a byline.
_BYLINE_WORDS = r"""
    (?=(?-i:[A-ZÀ-ÞА-ЯЁ]))
    (?:pubblicat[oa]|aggiornat[oa]|ultimo\s+aggiornamento|ultima\s+modifica
      |data\s+di\s+pubblicazione|data(?=\s*:)|published|updated|posted|last\s+(?:updated|modified)
      |(?:written|created|date)(?=\s*:)
      |publié|mis\s+à\s+jour|dernière\s+mise\s+à\s+jour|modifié
      |mise?\s+en\s+ligne
      |veröffentlicht|erschienen|publiziert|erstellt|aktualisiert|zuletzt\s+aktualisiert
      |(?:pressemitteilung|meldung|artikel|beitrag|nachricht)(?=\s+vom)
      |letzte\s+änderung|geändert|(?:stand|datum)(?=\s*:)
      |publicad[oa]|actualizad[oa]|atualizad[oa]|(?:fecha|data)\s+de\s+publica(?:ción|ção)
      |опубликовано|обновлено|публикация|дата\s+публикации)
    (?!\w)
"""
# The words before an author's name in a byline: en, it, fr, de, es/pt, ru.
_AUTHOR_WORDS = r"(?:by|di|par|von|por|от|автор:?)"
# The word after a byline word: "il", "on", "le", "am", "el", "em" ("Publié le 17 avril").
_BYLINE_LINK = r"(?:il|on|del|le|am|vom|el|em|den)"
# Searched in the byline word ("Ultimo aggiornamento", "Letzte Änderung").
_UPDATE_RE = re.compile(
    r"aggiorn|modifi|updated|mis\s+à\s+jour|aktualisiert|änderung|geändert|actualizad"
    r"|atualizad|обновлено",
    re.IGNORECASE,
)


def _fields(match: re.Match[str]) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) from a match of any regex built from the pieces above."""
    groups = match.groupdict()
    for form in "abcdefghij":
        month_text = groups.get(f"{form}_m")
        year_text = groups.get(f"{form}_y")
        if month_text is None and year_text is None:
            continue
        day_text = groups.get(f"{form}_d")
        month: int | None = None
        if month_text is not None:
            month = int(month_text) if month_text.isdigit() else month_number(month_text)
        return (
            int(year_text) if year_text is not None else None,
            month,
            int(day_text) if day_text is not None else None,
        )
    raise AssertionError("a date regex matched without any date group")


# ---------------------------------------------------------------------------------------------
# Metadata
# ---------------------------------------------------------------------------------------------

_METADATA_RE = _lazy(
    rf"""
    (?:{_BYLINE_WORDS}\s*[:-]?\s*(?:{_BYLINE_LINK}\s+)?)?
    (?:
        (?:{WEEKDAY_ANY}[,.]?\s+)?(?:{_FULL_DATE})
      # The whole field is the date, so "Mar 2021" cannot be "Mar Cinese": abbreviations are
      # safe here, unlike in running text.
      | (?P<f_m>{MONTH_ANY})(?:\s+(?:del|of))?\s*,?\s*(?P<f_y>{_YEAR4})
      | (?P<i_y>\d{{4}})(?:-(?P<i_m>\d{{2}}))?
    )
    {_TIME}?
    """,
    re.IGNORECASE | re.VERBOSE,
)


def parse_metadata_date(text: str, today: datetime.date | None = None) -> DateInfo | None:
    """Read a metadata date field; ``None`` when it is not a date the caller can trust.

    Numeric dates are read day-first as Italian writes them (03/04/2021 is 3 April); two-digit
    years, impossible days and dates after ``today`` are refused rather than guessed.
    A time and zone are dropped without shifting: the date as written is the date published.
    """
    cleaned = text.strip()
    match = _METADATA_RE().fullmatch(cleaned)
    if match is None:
        return None
    year, month, day = _fields(match)
    if year is None or year < _METADATA_MIN_YEAR:
        return None
    return _checked(year, month, day, today, inferred=False, evidence=cleaned)


def _checked(
    year: int,
    month: int | None,
    day: int | None,
    today: datetime.date | None,
    *,
    inferred: bool,
    evidence: str,
) -> DateInfo | None:
    """The date if it exists and its period has begun by ``today``."""
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and month is not None and _real_date(year, month, day) is None:
        return None
    info = _info(year, month, day, inferred, evidence)
    limit = today if today is not None else datetime.date.today()
    return info if info.start <= limit else None


# ---------------------------------------------------------------------------------------------
# Inference from the text
# ---------------------------------------------------------------------------------------------

# Rule 1. Three shapes: a byline ("Pubblicato il 12/05/2019 alle 10:30"), an agency dateline
# ("ROMA, 3 MAR 2021 -", "(ANSA) - MILANO, 5 GIU 2020 -") and a line holding only a date.
# The dateline's city is upper case or capitalised and the date must be followed by a dash or
# the end of the line; otherwise "Secondo il funzionario, 3 marzo 2021 ..." would qualify.
_DATELINE_RE = _lazy(
    rf"""
    (?:
        (?P<byline>{_BYLINE_WORDS})\s*[:\-–]?\s*(?:{_BYLINE_LINK}\s+)?
            (?:(?:alle|at)\s+(?:ore\s+)?\d{{1,2}}[:.]\d{{2}}\s*(?:,\s*|(?:del|on)\s+)?)?
      | (?P<city>^[ \t]*(?:\([^)\n]{{1,20}}\)[ \t]*[-–—][ \t]*)?
            (?-i:[A-ZÀ-ÞА-ЯЁ][\w'’. \-]{{0,40}}?)[ \t]*(?:\([^)\n]{{1,30}}\)[ \t]*)?,[ \t]*)
      # "By John Smith | April 17, 2023", "di Mario Rossi, 12 marzo 2023", "Von Hans Müller,
      # 17.04.2023": an author's name, then the date
      | (?P<author>^[ \t]*{_AUTHOR_WORDS}[ \t]+(?-i:[A-ZÀ-ÞА-ЯЁ])[^\n|,–—]{{1,60}}?
            [ \t]*[|,–—][ \t]*(?:{_BYLINE_LINK}[ \t]+)?)
      | (?P<line>^[ \t]*(?:{_BYLINE_LINK}[ \t]+)?)
    )
    (?:{WEEKDAY_ANY}[,.]?\s+)?
    (?:{_FULL_DATE})
    {_TIME}?
    # TASS writes "МОСКВА, 21 декабря 2022 года. /ТАСС/."
    (?(byline)|(?(city)(?=[ \t]*(?:[-–—|,(]|\.?[ \t]*/|$))
        |(?(author)(?=[ \t]*(?:[-–—|,(]|$))|(?=[ \t]*$))))
    """,
    re.IGNORECASE | re.VERBOSE | re.MULTILINE,
)

# A byline anywhere in a page's visible text: its words, then a whole date.
_BYLINE_RE = _lazy(
    rf"""
    (?<!\w)
    (?:
        (?P<byline>{_BYLINE_WORDS})\s*[:\-–]?\s*(?:{_BYLINE_LINK}:?\s+)?
            (?:(?:alle|at)\s+(?:ore\s+)?\d{{1,2}}[:.]\d{{2}}\s*(?:,\s*|(?:del|on)\s+)?)?
      # "Par Loïc Le Clerc | 30 septembre 2018", "Geschrieben von Cooper am 25.08.2015"
      | (?=(?-i:[A-ZÀ-ÞА-ЯЁ]))
        (?:{_AUTHOR_WORDS}|(?:geschrieben|verfasst|written|posted)\s+(?:von|by))
            \s+(?-i:[A-ZÀ-ÞА-ЯЁ])[^\n|,–—\d]{{1,60}}?\s*(?:[|,–—]\s*|\s)(?:{_BYLINE_LINK}:?\s+)?
    )
    (?:{WEEKDAY_ANY}[,.]?\s+)?
    (?:{_FULL_DATE})
    {_TIME}?
    """,
    re.IGNORECASE | re.VERBOSE,
)


# The initials of the names, for the gates below (built from the names, so that a new
# language's names open them themselves).
_MONTH_INITIALS = "".join(
    sorted({word[0] for word in MONTHS_IT + MONTHS_EN + MONTHS_ABBR + MONTHS_MORE})
)
_WEEKDAY_INITIALS = "".join(
    sorted(
        {word[0] for word in ("altro", "ieri", "oggi", "domani", "yesterday", "today", "tomorrow")}
        | set("lmgvsdtwf")  # the Italian and English weekdays
        | {word[0] for word in WEEKDAY_BY_NAME}
    )
)

# Rule 2. A weekday with day and month but no year, with the relative word glued to it.
_RELATIVE_SHIFT = {
    "ieri": 1,
    "altroieri": 2,
    "oggi": 0,
    "domani": -1,
    "dopodomani": -2,
    "yesterday": 1,
    "today": 0,
    "tomorrow": -1,
}
# "l'altro ieri", "altro ieri" and "altroieri" are one word for the shift table.
_RELATIVE_NOISE_RE = re.compile(r"^l['’]|[\s'’]")
_WEEKDAY_PHRASE_RE = _lazy(
    rf"""
    # Cheap gate, see _MENTION_RE: the initials of the relative words and weekdays.
    (?=[{_WEEKDAY_INITIALS}])(?<!\w)
    (?:(?P<rel>(?:l['’]\s?)?altro\s?ieri|ieri|oggi|dopodomani|domani
            |yesterday|today|tomorrow)
        (?:\s+(?:sera|mattina|pomeriggio|notte|morning|afternoon|evening|night))?
        \s*[,(–—-]?\s*)?
    (?P<w>{WEEKDAY_FULL})\s*,?\s*(?:(?:il|the|le|den|el)\s+)?
    (?:
        (?P<g_d>{_DAY}){_ORDINAL}\s+(?:(?:di|of|de)\s+)?(?P<g_m>{MONTH_FULL})
      | (?P<h_m>{MONTH_EN_FULL})\s+(?P<h_d>{_DAY})(?:st|nd|rd|th)?(?!\w)
    )
    # With a year it is a full date, which rule 3 reads; the weekday adds nothing then.
    (?!\s*,?\s*(?:del\s+|de\s+)?\d{{4}}(?!\d))
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Rule 3. Every date-like mention in one pass; the alternatives are tried in this order at each
# position, so "14 aprile 2023" is a full date before it could be the day-month "14 aprile".
# Abbreviated months count only with a day and a year (inside _FULL_DATE): "Mar Cinese",
# "mar" and "2 set" (tennis) are ordinary words in Italian.
_MENTION_RE = _lazy(
    rf"""
    # Python tries every month name at every position; this gate (a digit or a month's initial,
    # at the start of a word) rejects most positions in one step and makes the pass ~10x faster.
    (?=[\d{_MONTH_INITIALS}])(?<![^\W{_CJK}])
    (?:
        {_FULL_DATE}
      | (?P<f_m>{MONTH_FULL})(?:\s+(?:del|of|de))?\s*,?\s+(?P<f_y>{_YEAR4})
      | (?P<g_d>{_DAY}){_ORDINAL}\s+(?:(?:di|of|de)\s+)?(?P<g_m>{MONTH_FULL})
      | (?P<h_m>{MONTH_EN_FULL})\s+(?P<h_d>{_DAY})(?:st|nd|rd|th)?(?!\w)(?![.,:]\d)
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Rule 3 and 4. A year as a word of its own: not "2.300", not "S-400" or "F-2000", not
# "1999 euro" or "2000 anni fa".
_YEAR_RE = re.compile(
    r"""
    (?<![\w.,/€$£])(?<![^\W\d_]-)
    (?:19|20)\d\d
    (?![\w°%])(?![.,]\d)
    (?!\s*(?:%|€|\$|(?:euro|dollari|dollars|miglia|miles|km|chilometri|metri|tonnellate
        |persone|morti|soldati|anni|volte)(?!\w)))
    """,
    re.IGNORECASE | re.VERBOSE,
)


def infer_date(
    text: str, today: datetime.date | None = None, *, body: bool = True
) -> DateInfo | None:
    """Infer the publication date from the article's words, or ``None`` when they give none.

    In order: a dateline or byline with a full date; a weekday with day and month (the year is
    the latest that fits, shifted by an attached "ieri"/"domani"); the latest day or month
    mentioned, with the years mentioned in the text; the latest year mentioned. With
    ``body=False`` only the first, or a whole date among the text's first characters (a web
    page's byline under its headline, in any shape): the rest reads dates mentioned in the
    body, which on a web page are the events it reports, not its own date.
    """
    limit = today if today is not None else datetime.date.today()
    if not body:
        return _from_dateline(text, limit) or _from_byline_place(text, limit)
    return (
        _from_dateline(text, limit)
        or _from_weekday(text, limit)
        or _from_mentions(text, limit)
        or _from_years(text, limit)
    )


#: A longer line is no byline or dateline: the longest shapes are an author's name (up to 60
#: characters) or a byline's words beside a date, a weekday and a time, and two of those
#: ("Pubblicato il ... - Aggiornato il ..."). Saying so without the regex spares a search
#: of articles without titles compiling it (~30 ms) to learn that a paragraph is no dateline.
DATELINE_LONGEST = 240


def is_dateline(line: str) -> bool:
    """Whether a whole line is a byline or a date ("Pubblicato il 12/03/2021 alle 10:30",
    "Aggiornato il 3 marzo 2021 ore 9.15", "Publié le 17 avril 2023"): such a line dates the
    article and is never its headline."""
    line = line.strip()
    if len(line) > DATELINE_LONGEST:
        return False
    if not any(c.isdigit() for c in line):
        return False  # every dateline has its day or year in figures; no need to compile
    match = _DATELINE_RE().match(line)
    return match is not None and match.end() == len(line)


@dataclass(frozen=True)
class Byline:
    """A date a page's byline gives ("Veröffentlicht am 16.08.2019", "Updated: May 3, 2021")."""

    date: DateInfo
    #: The byline dates a change ("Aggiornato il", "Letzte Änderung"), not the publication.
    update: bool
    #: Where it starts in the text searched.
    start: int


def bylines(text: str, today: datetime.date | None = None) -> list[Byline]:
    """Every byline with a whole, real, past date in ``text``, in order: a word that
    introduces a publication or update date in one of the languages read, then the date
    (any time after it is dropped). Dates without such a word are not bylines."""
    limit = today if today is not None else datetime.date.today()
    found = []
    for match in _BYLINE_RE().finditer(text):
        year, month, day = _fields(match)
        if year is None or month is None or day is None:
            continue
        evidence = " ".join(match.group(0).split())
        info = _checked(year, month, day, limit, inferred=True, evidence=evidence)
        if info is not None:
            update = bool(_UPDATE_RE.search(match.group("byline") or ""))
            found.append(Byline(info, update, match.start()))
    return found


def _from_dateline(text: str, today: datetime.date) -> DateInfo | None:
    found: list[tuple[bool, DateInfo]] = []
    # The head is cut a little after its limit so that a dateline starting near it is whole;
    # the tail search starts where the head's accepted starts end, so nothing is read twice.
    head = (
        match
        for match in _DATELINE_RE().finditer(text[: _HEAD_CHARS + _HEAD_SLACK])
        if match.start() < _HEAD_CHARS
    )
    tail = _DATELINE_RE().finditer(text, max(_HEAD_CHARS, len(text) - _TAIL_CHARS))
    for match in (*head, *tail):
        year, month, day = _fields(match)
        if year is None or month is None or day is None:
            continue
        info = _checked(year, month, day, today, inferred=True, evidence=match.group(0).strip())
        if info is not None:
            is_update = match.group("byline") is not None and bool(
                _UPDATE_RE.search(match.group("byline"))
            )
            found.append((is_update, info))
    # "Pubblicato il ... Aggiornato il ...": the publication is what we date, the update only
    # when nothing else is given. Otherwise the first one on the page.
    for is_update, info in found:
        if not is_update:
            return info
    return found[0][1] if found else None


def _from_byline_place(text: str, today: datetime.date) -> DateInfo | None:
    """The first date written whole (day, month and year) where a byline sits: within the
    first characters, past a headline. Later dates are the article's events."""
    for match in _MENTION_RE().finditer(text, 0, _BYLINE_PLACE_CHARS):
        year, month, day = _fields(match)
        if year is not None and month is not None and day is not None:
            evidence = match.group(0).strip()
            return _checked(year, month, day, today, inferred=True, evidence=evidence)
    return None


def _from_weekday(text: str, today: datetime.date) -> DateInfo | None:
    best: tuple[datetime.date, DateInfo] | None = None
    for match in _WEEKDAY_PHRASE_RE().finditer(text):
        _, month, day = _fields(match)
        if month is None or day is None:
            continue
        weekday = weekday_number(match.group("w"))
        relative = match.group("rel")
        shift = 0
        if relative is not None:
            shift = _RELATIVE_SHIFT[_RELATIVE_NOISE_RE.sub("", fold(relative))]
        published = _latest_weekday(month, day, weekday, shift, today)
        if published is None:
            continue
        if best is None or published > best[0]:
            info = _info(published.year, published.month, published.day, True, match.group(0))
            best = (published, info)
    return best[1] if best else None


def _latest_weekday(
    month: int, day: int, weekday: int, shift: int, today: datetime.date
) -> datetime.date | None:
    """The publication day: the latest year where day/month is that weekday, shifted."""
    for year in range(today.year + 1, today.year - _WEEKDAY_SEARCH_YEARS - 1, -1):
        event = _real_date(year, month, day)
        if event is None or event.weekday() != weekday:
            continue
        # "domani, venerdì 30 dicembre" may name tomorrow; the article itself is not future.
        published = event + datetime.timedelta(days=shift)
        if published <= today:
            return published
    return None


@dataclass(frozen=True)
class _Candidate:
    info: DateInfo
    direct: bool
    position: int


def _from_mentions(text: str, today: datetime.date) -> DateInfo | None:
    candidates: list[_Candidate] = []
    day_months: dict[tuple[int, int], tuple[str, int]] = {}
    years = _mentioned_years(text, today)
    for match in _MENTION_RE().finditer(text):
        year, month, day = _fields(match)
        if month is None:
            continue
        words = match.group(0)
        if year is None:
            if day is not None:
                day_months.setdefault((month, day), (words, match.start()))
            continue
        if year >= _TEXT_MIN_YEAR:
            years.add(year)
            info = _checked(year, month, day, today, inferred=True, evidence=words)
            if info is not None:
                candidates.append(_Candidate(info, True, match.start()))
    latest_years = sorted(years, reverse=True)
    for (month, day), (words, position) in day_months.items():
        # Years descending: the first that makes a real, past date is this day-month's best.
        for year in latest_years:
            evidence = f"{words} … {year}"
            info = _checked(year, month, day, today, inferred=True, evidence=evidence)
            if info is not None:
                candidates.append(_Candidate(info, False, position))
                break
    if not candidates:
        return None

    # A month with its year ("nel febbraio 2022") competes with the days, compared by the end
    # of its period. It is a point in the past the article looks back to, just like "il 19
    # aprile" with the year; it outranks the bare years of rule 4 because bare years are as
    # often forward-looking ("entro il 2024") as not. Comparing by the end (not the start)
    # keeps a month from losing to an earlier day. A day inside the winning month ("nell'aprile
    # 2023 ... il 19 aprile") is the same period narrowed, so the day is returned instead.
    def rank(candidate: _Candidate) -> tuple[datetime.date, bool, bool, int]:
        info = candidate.info
        return (info.end, info.precision == "day", candidate.direct, -candidate.position)

    best = max(candidates, key=rank)
    if best.info.precision == "month":
        inside = [
            candidate
            for candidate in candidates
            if candidate.info.precision == "day"
            and best.info.start <= candidate.info.start <= best.info.end
        ]
        if inside:
            best = max(inside, key=rank)
    return best.info


def _mentioned_years(text: str, today: datetime.date) -> set[int]:
    return {
        year for year in map(int, _YEAR_RE.findall(text)) if _TEXT_MIN_YEAR <= year <= today.year
    }


def _from_years(text: str, today: datetime.date) -> DateInfo | None:
    years = _mentioned_years(text, today)
    if not years:
        return None
    latest = max(years)
    return _info(latest, None, None, True, str(latest))


def compile_patterns() -> None:
    """Compile the date patterns now (a process that forks readers does it once for all)."""
    for pattern in (_METADATA_RE, _DATELINE_RE, _BYLINE_RE, _WEEKDAY_PHRASE_RE, _MENTION_RE):
        pattern()
