"""Fuzzed date strings and texts around them: ``corpus_cli.text.dates`` never raises,
never dates after ``today``, never an impossible day, and keeps to the three precisions.

Inputs are built from the pieces dates are made of (digits of every width, separators,
month and weekday names of the seven languages read, in every case, relative words,
byline words, years far in the past and the future, Feb 30 and 00/00) mixed with
arbitrary unicode, so that the regexes meet both near-misses and noise.

Budgets and seed come from ``tests/fuzzing.py``: derandomized with a modest number of
examples in the gate; ``HYPOTHESIS_PROFILE=long pytest tests/test_fuzz_*.py`` runs 20x
as many, with a fresh seed.
"""

from __future__ import annotations

import datetime

from fuzzing import examples
from hypothesis import given
from hypothesis import strategies as st

from corpus_cli.errors import BadDate
from corpus_cli.model import DateInfo, period_bounds
from corpus_cli.text.dates import infer_date, is_dateline, parse_cli_date, parse_metadata_date

#: A fixed "today", so that the property does not change with the calendar.
TODAY = datetime.date(2024, 3, 15)

MONTHS = [
    # it, en (and their abbreviations)
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "january february march april may june july august september october november december",
    "gen feb mar apr mag giu lug ago set sett ott nov dic jan jun jul aug sep sept oct dec",
    # fr, de, es, pt, ru
    "janvier février fevrier mars avril mai juin juillet août aout septembre octobre décembre",
    "januar jänner februar märz maerz juni juli oktober dezember",
    "enero febrero abril mayo junio julio septiembre setiembre octubre noviembre diciembre",
    "janeiro fevereiro março marco maio junho julho setembro outubro dezembro",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
]
WEEKDAYS = [
    "lunedì martedì mercoledì giovedì venerdì sabato domenica giovedi giovedi' giovedi\u0300",
    "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun",
    "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag",
    "lunes martes miércoles jueves viernes sábado domingo",
    "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo",
    "понедельник вторник среда среду четверг пятница пятницу суббота субботу воскресенье",
]
OTHER_WORDS = " ".join(
    [
        "ieri oggi domani altroieri l'altro dopodomani yesterday today tomorrow sera mattina "
        "Pubblicato Aggiornato pubblicata Published Updated Posted Publié Veröffentlicht "
        "Publicado Опубликовано Data: Stand: il on le am el em den del de of di года г. "
        "alle ore at à um Uhr T Z UTC GMT CET CEST (ANSA) ROMA MILANO МОСКВА /ТАСС/ "
        "euro anni km % € $ S-400 F-2000",
    ]
).split(" ")
NAMES = [word for line in MONTHS + WEEKDAYS for word in line.split()] + OTHER_WORDS


def _cased(word: str) -> st.SearchStrategy[str]:
    # The regexes are case-insensitive for some names and case-sensitive for others:
    # every casing, plus the look-alikes Python's IGNORECASE treats as equal (ſ for s,
    # K for k, İ for i, ...), which a lookup by .lower() does not know.
    return st.sampled_from(
        [
            word,
            word.upper(),
            word.capitalize(),
            word.replace("s", "ſ"),
            word.replace("i", "İ"),
            word.replace("k", "\u212a"),
            word.replace("в", "\u1c80").replace("о", "\u1c82").replace("т", "\u1c84"),
        ]
    )


numbers = st.one_of(
    st.integers(0, 40).map(str),
    st.integers(0, 40).map(lambda n: f"{n:02d}"),
    st.integers(0, 99_999).map(str),
    st.sampled_from(["0000", "0001", "1799", "1800", "1899", "1900", "2023", "2024", "2025"]),
    st.sampled_from(["9999", "3000", "2099", "00", "30", "31", "29", "12", "13"]),
    st.sampled_from(["٢٠٢٣", "２０２３", "१९९९"]),  # digits int() reads but [0-9] does not
)
separators = st.sampled_from([" ", "  ", "-", "/", ".", ",", ", ", ":", "\n", "\t", "T", "–", ""])
piece = st.one_of(
    numbers,
    separators,
    st.sampled_from(NAMES).flatmap(_cased),
    st.text(max_size=4),
)
#: A date-like string: pieces glued together.
date_strings = st.lists(piece, max_size=14).map("".join)

#: Dates written whole, well formed or not (Feb 30, 00/00, far years), in several shapes.
shaped = st.builds(
    lambda d, m, y, name, form: form.format(d=d, m=m, y=y, name=name),
    st.integers(0, 35),
    st.integers(0, 14),
    st.integers(0, 9999),
    st.sampled_from(NAMES).flatmap(_cased),
    st.sampled_from(
        [
            "{y:04d}-{m:02d}-{d:02d}",
            "{d:02d}/{m:02d}/{y:04d}",
            "{d}.{m}.{y}",
            "{d} {name} {y}",
            "{name} {d}, {y}",
            "{name} {d}",
            "{d} {name}",
            "{y:04d}-{m:02d}",
            "{y}",
            "Pubblicato il {d:02d}/{m:02d}/{y:04d} alle 10:30",
            "ROMA, {d} {name} {y} -",
            "{name}, {d} {name}",
            "ieri, {name} {d} {name}",
        ]
    ),
)
#: Texts around dates: words, dates and noise on several lines.
texts = st.lists(st.one_of(shaped, date_strings, st.text(max_size=30)), max_size=12).map(
    lambda parts: " ".join(parts)
)


def check(info: DateInfo | None) -> None:
    """The date a reader may be given: real, begun by TODAY, of a documented precision."""
    if info is None:
        return
    assert info.precision in ("day", "month", "year")
    # period_bounds builds datetime.date objects: it raises on an impossible day.
    first, _last = period_bounds(info.value, info.precision)
    assert first <= TODAY, info
    assert info.start <= TODAY


@examples(1500)
@given(st.one_of(date_strings, shaped))
def test_metadata_dates_are_real_and_past(text: str) -> None:
    check(parse_metadata_date(text, TODAY))


@examples(1000)
@given(texts)
def test_inferred_dates_are_real_and_past(text: str) -> None:
    check(infer_date(text, TODAY))
    check(infer_date(text, TODAY, body=False))
    assert isinstance(is_dateline(text), bool)


@examples(300)
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    check(parse_metadata_date(text, TODAY))
    check(infer_date(text, TODAY))


@examples(500)
@given(st.one_of(date_strings, shaped), st.booleans())
def test_command_line_dates_are_a_day_or_one_bad_date_error(text: str, end: bool) -> None:
    # --from/--to: a real day (the first or last of the period), or BadDate (exit 2).
    try:
        day = parse_cli_date(text, end=end)
    except BadDate as error:
        assert str(error)
    else:
        assert isinstance(day, datetime.date)


# -- regressions found by the fuzzing above -------------------------------------------
# Python's IGNORECASE matches "ſ" (long s) to "s", "İ" to "i" and the Cyrillic
# small-letter variants (U+1C80...) to "в", "о", ...; the names so matched were then
# looked up by .lower() and raised KeyError, failing the whole article's ingest.


def test_long_s_in_a_month_name_is_no_crash() -> None:
    info = parse_metadata_date("3 ſettembre 2021", TODAY)
    assert info is not None and info.value == "2021-09-03"
    check(infer_date("3 ſeptember 2021", TODAY))


def test_look_alike_letters_in_weekdays_and_relative_words_are_no_crash() -> None:
    check(infer_date("ſabato 3 settembre", TODAY))
    check(infer_date("İeri, giovedì 29 dicembre", TODAY))
    check(infer_date("в \u1c80торник 3 марта", TODAY))
