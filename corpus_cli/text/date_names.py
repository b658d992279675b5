"""The names of months and weekdays in the languages dates are read in, and the regex
pieces built from them: Italian, English, French, German, Spanish, Portuguese, Russian.

Matching is case-insensitive, so a matched name is folded back to the tables' letters
(:func:`fold`) before it is looked up.
"""

from __future__ import annotations

import functools
import re
from typing import Any

MONTHS_IT = (
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
)
MONTHS_EN = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTHS_ABBR = (
    "gen",
    "feb",
    "mar",
    "apr",
    "mag",
    "giu",
    "lug",
    "ago",
    "set",
    "sett",
    "ott",
    "nov",
    "dic",
    "jan",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "dec",
)
# Month names of the other languages read, by number; nominative and genitive forms where the
# language declines them ("декабрь", "21 декабря", "в декабре"), with and without accents.
_MONTHS_OTHER = (
    # fr
    ("janvier",),
    ("février", "fevrier"),
    ("mars",),
    ("avril",),
    ("mai",),
    ("juin",),
    ("juillet",),
    ("août", "aout"),
    ("septembre",),
    ("octobre",),
    ("novembre",),
    ("décembre", "decembre"),
)
_MONTHS_DE = (
    ("januar", "jänner", "jaenner"),
    ("februar", "feber"),
    ("märz", "maerz"),
    (),
    # French "mai" too, but capitalised it is the German month ("26. Mai 2008")
    ("mai",),
    ("juni",),
    ("juli",),
    (),
    (),
    ("oktober",),
    (),
    ("dezember",),
)
_MONTHS_ES = (
    ("enero",),
    ("febrero",),
    (),
    ("abril",),
    ("mayo",),
    ("junio",),
    ("julio",),
    (),
    ("septiembre", "setiembre"),
    ("octubre",),
    ("noviembre",),
    ("diciembre",),
)
_MONTHS_PT = (
    ("janeiro",),
    ("fevereiro",),
    ("março", "marco"),
    (),
    ("maio",),
    ("junho",),
    ("julho",),
    (),
    ("setembro",),
    ("outubro",),
    (),
    ("dezembro",),
)
_MONTHS_RU = (
    ("январь", "января", "январе"),
    ("февраль", "февраля", "феврале"),
    ("март", "марта", "марте"),
    ("апрель", "апреля", "апреле"),
    ("май", "мая", "мае"),
    ("июнь", "июня", "июне"),
    ("июль", "июля", "июле"),
    ("август", "августа", "августе"),
    ("сентябрь", "сентября", "сентябре"),
    ("октябрь", "октября", "октябре"),
    ("ноябрь", "ноября", "ноябре"),
    ("декабрь", "декабря", "декабре"),
)
MONTHS_MORE = tuple(
    name
    for table in (_MONTHS_OTHER, _MONTHS_DE, _MONTHS_ES, _MONTHS_PT, _MONTHS_RU)
    for names in table
    for name in names
)
_MONTHS_DE_ALL = tuple(name for names in _MONTHS_DE for name in names)
# French, Spanish, Portuguese and Russian write month names in lower case: capitalised, the
# same words are mostly other things ("Rio de Janeiro del 2016", "the Mars 2020 rover",
# "Mayo Clinic"), so they count in lower case or all capitals (a dateline) only.
_MONTHS_LOWER = tuple(name for name in MONTHS_MORE if name not in _MONTHS_DE_ALL)
_MONTH_BY_NAME = {
    name: number
    for table in (_MONTHS_OTHER, _MONTHS_DE, _MONTHS_ES, _MONTHS_PT, _MONTHS_RU)
    for number, names in enumerate(table, start=1)
    for name in names
}
# The first three letters identify every Italian and English month name and abbreviation,
# and never disagree between the two languages (mar, feb, apr, nov are shared and equal).
# The other languages' names are looked up whole: "juin" and "juillet" share their "jui".
_MONTH_NUMBER = {
    name[:3]: number
    for names in (MONTHS_IT, MONTHS_EN)
    for number, name in enumerate(names, start=1)
}
_WEEKDAYS_MORE = (
    ("lundi", "montag", "lunes", "segunda-feira", "segunda", "понедельник"),
    ("mardi", "dienstag", "martes", "terça-feira", "terca-feira", "terça", "вторник"),
    ("mercredi", "mittwoch", "miércoles", "miercoles", "quarta-feira", "quarta", "среда", "среду"),
    ("jeudi", "donnerstag", "jueves", "quinta-feira", "quinta", "четверг"),
    ("vendredi", "freitag", "viernes", "sexta-feira", "sexta", "пятница", "пятницу"),
    ("samedi", "samstag", "sonnabend", "sábado", "sabado", "суббота", "субботу"),
    ("dimanche", "sonntag", "domingo", "воскресенье"),
)
WEEKDAY_BY_NAME = {name: number for number, names in enumerate(_WEEKDAYS_MORE) for name in names}
# Same trick for weekdays: lun mar mer gio ven sab dom / mon tue wed thu fri sat sun.
_WEEKDAY_NUMBER = {
    prefix: number
    for names in ("lun mar mer gio ven sab dom", "mon tue wed thu fri sat sun")
    for number, prefix in enumerate(names.split())
}


#: The letters the names above are written with.
_NAME_LETTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzìí" + "".join(MONTHS_MORE) + "".join(WEEKDAY_BY_NAME)
)


@functools.lru_cache(maxsize=512)
def _fold_letter(char: str) -> str:
    """The names' letter that ``char`` matched as under IGNORECASE.

    Python's IGNORECASE matches "ſ" (long s) to "s", "İ" to "i" and the Cyrillic
    variants U+1C80... to "в", "о", "т"; their ``lower()`` is none of the names' letters,
    so a name matched with them would be missing from the tables below (a KeyError that
    failed the whole article).
    """
    lower = char.lower()
    if lower in _NAME_LETTERS:
        return lower
    for letter in _NAME_LETTERS:
        if re.fullmatch(re.escape(letter), char, re.IGNORECASE):
            return letter
    return lower


def fold(text: str) -> str:
    """A matched name in the lower case of the tables (see :func:`_fold_letter`)."""
    return "".join(map(_fold_letter, text))


def month_number(text: str) -> int:
    word = fold(text).rstrip(".")
    return _MONTH_BY_NAME.get(word) or _MONTH_NUMBER[word[:3]]


def weekday_number(text: str) -> int:
    word = fold(text)
    found = WEEKDAY_BY_NAME.get(word)
    return found if found is not None else _WEEKDAY_NUMBER[word[:3]]


def _alternation(words: tuple[str, ...]) -> str:
    """One regex for a set of words, as a trie: "mar(?:zo|s|ch|t|...)?".

    Python's regex engine tries a plain alternation's words one after the other at every
    position; with seven languages' names that made date inference 3x slower on Italian
    text. A trie fails on the first letters that no name shares. Longer branches are tried
    first (the "?" is greedy), so "marzo" is never cut to "mar".
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + emit(rest) for char, rest in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return body + "?" if len(branches) == 1 and len(body) == 1 else f"(?:{body})?"
        return body

    return emit(trie)


MONTH_FULL = (
    rf"(?:{_alternation(MONTHS_IT + MONTHS_EN + _MONTHS_DE_ALL)}"
    rf"|(?-i:{_alternation(_MONTHS_LOWER)}|{_alternation(tuple(n.upper() for n in _MONTHS_LOWER))})"
    r")(?!\w)"
)
MONTH_EN_FULL = rf"(?:{_alternation(MONTHS_EN)})(?!\w)"
_MONTH_ABBR = rf"(?:{_alternation(MONTHS_ABBR)})(?:\.|(?!\w))"
MONTH_ANY = rf"(?:{MONTH_FULL}|{_MONTH_ABBR})"
# "giovedì" is also typed "giovedi", "giovedi'" or with a combining accent.
WEEKDAY_FULL = (
    r"(?:(?:lune|marte|mercole|giove|vener)d(?:ì|í|i\u0300|i['’]|i)"
    r"|sabato|domenica|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    rf"|{_alternation(tuple(WEEKDAY_BY_NAME))})(?!\w)"
)
# Abbreviated weekdays only ever appear right before a full date (RFC 2822 "Thu, 03 Mar").
WEEKDAY_ANY = (
    rf"(?:{WEEKDAY_FULL}|(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun"
    r"|lun|mar|mer|gio|ven|sab|dom)(?:\.|(?!\w)))"
)
