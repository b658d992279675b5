"""Dates from metadata, the command line and the article's own words."""

from __future__ import annotations

import datetime

import pytest

from corpus_cli.errors import BadDate, UsageError
from corpus_cli.text.dates import (
    DateInfo,
    Precision,
    infer_date,
    parse_cli_date,
    parse_metadata_date,
)

TODAY = datetime.date(2026, 11, 22)


def inferred(value: str, precision: Precision, evidence: str) -> DateInfo:
    return DateInfo(value, precision, True, evidence)


def metadata(value: str, precision: Precision, evidence: str) -> DateInfo:
    return DateInfo(value, precision, False, evidence)


# --- The project's seed articles ------------------------------------------------------------

KHERSON = (
    "Guerra in Ucraina, 81 nuovi raid russi sulla regione di Kherson\n\n"
    "Nel frattempo arrivano nuovi aggiornamenti sulla guerra in Ucraina, dove si è giunti al "
    "giorno 309 del conflitto. Ancora una volta, Kherson è sotto attacco: ieri, giovedì 29 "
    "dicembre, l’esercito russo ha bombardato per ben 81 volte la regione meridionale.\n\n"
    "Nella notte tra il 29 e il 30 dicembre le forze armate di Kiev hanno abbattuto 16 droni "
    "kamikaze di provenienza russa."
)

VICTORY_DAY = (
    "Pechino – L’Esercito Popolare di Liberazione della Cina è pronto a intensificare la "
    "cooperazione strategica. A dichiararlo è stato Jiang Bin, in una nota ufficiale diffusa "
    "giovedì sulla piattaforma WeChat.\n"
    "Il 2025 segna l’80° anniversario della vittoria della Cina nella guerra contro "
    "l’aggressione giapponese. Xi Jinping ha partecipato ai festeggiamenti per il Giorno della "
    "Vittoria, tenutisi a Mosca il 9 maggio."
)

LI_SHANGFU = (
    "Ieri il presidente russo Vladimir Putin ha incontrato il neo ministro della Difesa cinese "
    "Li Shangfu.\n\n"
    "Il viaggio di Li in Russia, che durerà fino al 19 aprile, arriva settimane dopo una visita "
    "ufficiale a Mosca del leader cinese Xi Jinping il mese scorso. Qin Gang ha parlato in una "
    "conferenza stampa con la controparte tedesca Annalena Baerbock il 14 aprile.\n\n"
    "In occasione dell’incontro con Li di domenica, Putin ha definito la recente visita di Xi "
    "in Russia “molto produttiva”.\n\n"
    "La dichiarazione congiunta, rilasciata il 22 marzo, ha affermato che le due parti "
    "organizzeranno regolarmente pattugliamenti.\n\n"
    "“Nel 2013, 2018 e 2023, il ministro della Difesa cinese ha scelto la Russia”, osserva il "
    "Global Times. Nel 2018 gli Stati Uniti hanno comminato sanzioni a Li, per la consegna di "
    "aerei da combattimento Su-35 nel 2017 e del sistema missilistico S-400 nel 2018."
)

XI_VIDEOCALL = (
    "Una cooperazione militare che inizia dal Mar Cinese Orientale. Solo pochi giorni fa "
    "Pechino e Mosca hanno annunciato esercitazioni navali congiunte. I due leader si sarebbero "
    "parlati più volte nel 2022, secondo le affermazioni di Pechino."
)

DONG_SHOIGU = (
    "Cina e Russia hanno aggiunto un nuovo tassello alla partnership senza limiti siglata nel "
    "febbraio 2022 da Vladimir Putin e Xi Jinping. A luglio navi cinesi e russe hanno condotto "
    "esercitazioni nel Mar del Giappone prima di un pattugliamento di 2.300 miglia nautiche."
)


def test_seed_yesterday_thursday_29_december_is_the_day_after() -> None:
    # 29 December 2022 was a Thursday; "ieri" puts the writing on the 30th. The free "29 e il
    # 30 dicembre" later on has no year to combine with and changes nothing.
    assert infer_date(KHERSON, TODAY) == inferred("2022-12-30", "day", "ieri, giovedì 29 dicembre")


def test_seed_day_month_takes_the_year_mentioned() -> None:
    # "giovedì" without a day is no date; "9 maggio" plus "Il 2025" is.
    assert infer_date(VICTORY_DAY, TODAY) == inferred("2025-05-09", "day", "9 maggio … 2025")


def test_seed_latest_day_month_with_latest_year() -> None:
    # 19 aprile × 2023 beats 14 aprile and 22 marzo; "S-400" is no year, "domenica" no date.
    assert infer_date(LI_SHANGFU, TODAY) == inferred("2023-04-19", "day", "19 aprile … 2023")


def test_seed_year_only_and_mar_cinese_is_not_march() -> None:
    assert infer_date(XI_VIDEOCALL, TODAY) == inferred("2022", "year", "2022")


def test_seed_month_with_year_is_a_month_candidate() -> None:
    # "A luglio" has neither day nor year; "Mar del Giappone" is a sea; "2.300" is a distance.
    assert infer_date(DONG_SHOIGU, TODAY) == inferred("2022-02", "month", "febbraio 2022")


# --- Inference, rule by rule -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Rule 1: datelines and bylines, top or bottom of the page.
        (
            "ROMA, 3 MAR 2021 - Il Consiglio dei ministri ha approvato il decreto. Nel 2023...",
            inferred("2021-03-03", "day", "ROMA, 3 MAR 2021"),
        ),
        (
            "(ANSA) - MILANO, 5 GIU 2020 - Piazza Affari apre in rialzo.",
            inferred("2020-06-05", "day", "(ANSA) - MILANO, 5 GIU 2020"),
        ),
        (
            "Il sindaco lascia\nPubblicato il 12/05/2019 alle 10:30\nIl sindaco si è dimesso "
            "dopo il voto del 2023.",
            inferred("2019-05-12", "day", "Pubblicato il 12/05/2019 alle 10:30"),
        ),
        (
            "Aggiornato il 3 marzo 2021\nLa giunta ha approvato il bilancio.",
            inferred("2021-03-03", "day", "Aggiornato il 3 marzo 2021"),
        ),
        (
            "Published March 3, 2021\nThe council approved the budget for 2024.",
            inferred("2021-03-03", "day", "Published March 3, 2021"),
        ),
        (
            "Pubblicato il 3 marzo 2021 - Aggiornato il 4 marzo 2021\nIl testo.",
            inferred("2021-03-03", "day", "Pubblicato il 3 marzo 2021"),
        ),
        (
            "Il consiglio comunale si è riunito. " * 30 + "\nPubblicato il 12/05/2019",
            inferred("2019-05-12", "day", "Pubblicato il 12/05/2019"),
        ),
        # Rule 2: weekday, day and month without a year.
        (
            "Yesterday, Thursday December 29, Russian forces shelled Kherson.",
            inferred("2022-12-30", "day", "Yesterday, Thursday December 29"),
        ),
        (
            "Ieri giovedì 29 dicembre la città è rimasta senza luce.",
            inferred("2022-12-30", "day", "Ieri giovedì 29 dicembre"),
        ),
        (
            "Oggi, giovedì 29 dicembre, la città è rimasta senza luce.",
            inferred("2022-12-29", "day", "Oggi, giovedì 29 dicembre"),
        ),
        (
            "Domani, venerdì 30 dicembre, si vota.",
            inferred("2022-12-29", "day", "Domani, venerdì 30 dicembre"),
        ),
        (
            # A free "ieri" elsewhere shifts nothing.
            "Ieri il presidente ha parlato alla Camera. Lunedì 3 aprile il consiglio si riunisce.",
            inferred("2023-04-03", "day", "Lunedì 3 aprile"),
        ),
        (
            "Today, Thursday, December 29, markets are closed. Tomorrow they reopen.",
            inferred("2022-12-29", "day", "Today, Thursday, December 29"),
        ),
        (
            # Several phrases: the latest publication day wins.
            "Sabato 1 aprile il vertice, lunedì 3 aprile il voto.",
            inferred("2023-04-03", "day", "lunedì 3 aprile"),
        ),
        # Rule 3: day-month with the years mentioned, direct full dates, month-year.
        (
            "Il decreto pubblicato il 3 marzo 2021 entra in vigore il 5 maggio 2020.",
            inferred("2021-03-03", "day", "3 marzo 2021"),
        ),
        (
            "La festa del 1° maggio si è svolta come nel 2019.",
            inferred("2019-05-01", "day", "1° maggio … 2019"),
        ),
        (
            "The summit ends on April 19. In 2018 and 2023 the minister visited Moscow.",
            inferred("2023-04-19", "day", "April 19 … 2023"),
        ),
        (
            # 29 February exists in 2020 only, among the years mentioned.
            "Il 29 febbraio si vota, come nel 2020 e nel 2023.",
            inferred("2020-02-29", "day", "29 febbraio … 2020"),
        ),
        (
            # 19 December 2026 is after today: the next year down is used.
            "Il vertice del 19 dicembre, atteso nel 2026 come nel 2025.",
            inferred("2025-12-19", "day", "19 dicembre … 2025"),
        ),
        (
            # The day inside the winning month narrows it.
            "Nell'aprile 2023 il ministro è arrivato a Mosca; resterà fino al 19 aprile.",
            inferred("2023-04-19", "day", "19 aprile … 2023"),
        ),
        (
            # A month after the last day mentioned wins, compared by the period's end.
            "Il 14 aprile 2023 la conferenza; nel maggio 2023 il vertice.",
            inferred("2023-05", "month", "maggio 2023"),
        ),
        # Rule 4: years only.
        (
            "Nel 2013, 2018 e 2023 il ministro ha scelto la Russia.",
            inferred("2023", "year", "2023"),
        ),
        (
            # A future full date is dropped; its year is still a year mentioned.
            "Il trattato scade il 3 marzo 2030; firmato nel 2021.",
            inferred("2021", "year", "2021"),
        ),
        # Chinese, Japanese and Korean write year, month and day with their characters,
        # and no space between a word and a date (Xinhua's dateline: "Beijing, cabled on").
        (
            "新华社北京2020年7月12日电 中国和俄罗斯海军在东海举行联合军事演习。",
            inferred("2020-07-12", "day", "2020年7月12日"),
        ),
        ("2020年07月03日 徒歩で行ける観光地", inferred("2020-07-03", "day", "2020年07月03日")),
        (
            "2020년 7월 12일 서울에서 국무회의가 열렸다.",
            inferred("2020-07-12", "day", "2020년 7월 12일"),
        ),
    ],
)
def test_infer_date(text: str, expected: DateInfo) -> None:
    assert infer_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Una cooperazione militare che inizia dal Mar Cinese Orientale e dal Mar del Giappone.",
        "Un pattugliamento congiunto di 2.300 miglia nautiche con sistemi S-400 e Su-35.",
        "Il costo è di 1999 euro per 2000 persone.",
        "Il 3 mar ci sarà il vertice.",  # an abbreviated month needs a year in running text
        "A luglio e a novembre ci saranno esercitazioni, ha detto giovedì il portavoce.",
        "Nella notte tra il 29 e il 30 dicembre sono stati abbattuti 16 droni.",
        "ROMA, 3 MAR 2027 - Un dateline dopo oggi non vale.",
        "Il piano durerà fino al 2030.",
        "",
    ],
)
def test_infer_date_finds_nothing(text: str) -> None:
    assert infer_date(text, TODAY) is None


def test_infer_date_never_returns_a_future_day() -> None:
    # 29 December is a Thursday in 2016 and 2022; on 29 December 2022 "ieri" would make the
    # article tomorrow's, so the year before that fits is taken.
    assert infer_date("ieri, giovedì 29 dicembre, bombardamenti", datetime.date(2022, 12, 29)) == (
        inferred("2016-12-30", "day", "ieri, giovedì 29 dicembre")
    )


# --- Metadata --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-10", metadata("2024-02-10", "day", "2024-02-10")),
        ("2024-06", metadata("2024-06", "month", "2024-06")),
        ("2024", metadata("2024", "year", "2024")),
        ("  2024-02-10  ", metadata("2024-02-10", "day", "2024-02-10")),
        ("2024-02-10T10:30:00Z", metadata("2024-02-10", "day", "2024-02-10T10:30:00Z")),
        ("2024-02-10 10:30", metadata("2024-02-10", "day", "2024-02-10 10:30")),
        # The date as written: the zone is not used to move it to another day.
        ("2024-02-10T23:30:00-05:00", metadata("2024-02-10", "day", "2024-02-10T23:30:00-05:00")),
        ("2024/02/10", metadata("2024-02-10", "day", "2024/02/10")),
        ("12/05/2019", metadata("2019-05-12", "day", "12/05/2019")),
        ("12-05-2019", metadata("2019-05-12", "day", "12-05-2019")),
        ("12.05.2019", metadata("2019-05-12", "day", "12.05.2019")),
        ("03/04/2021", metadata("2021-04-03", "day", "03/04/2021")),  # day first: 3 April
        ("3 marzo 2021", metadata("2021-03-03", "day", "3 marzo 2021")),
        ("3 MAR 2021", metadata("2021-03-03", "day", "3 MAR 2021")),
        ("1° marzo 2021", metadata("2021-03-01", "day", "1° marzo 2021")),
        ("giovedì 3 marzo 2021", metadata("2021-03-03", "day", "giovedì 3 marzo 2021")),
        ("marzo 2021", metadata("2021-03", "month", "marzo 2021")),
        ("March 2021", metadata("2021-03", "month", "March 2021")),
        ("March 3, 2021", metadata("2021-03-03", "day", "March 3, 2021")),
        ("3 March 2021", metadata("2021-03-03", "day", "3 March 2021")),
        ("Mar 3 2021", metadata("2021-03-03", "day", "Mar 3 2021")),
        (
            "Thu, 03 Mar 2021 10:00:00 +0000",
            metadata("2021-03-03", "day", "Thu, 03 Mar 2021 10:00:00 +0000"),
        ),
        ("29 febbraio 2024", metadata("2024-02-29", "day", "29 febbraio 2024")),
        ("2026-11-22", metadata("2026-11-22", "day", "2026-11-22")),  # today itself
        ("2026-11", metadata("2026-11", "month", "2026-11")),  # the current month has begun
    ],
)
def test_parse_metadata_date(text: str, expected: DateInfo) -> None:
    assert parse_metadata_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2021",  # impossible
        "2021-02-31",
        "29 febbraio 2023",
        "2024-13",
        "12/05/19",  # two-digit year
        "2026-11-23",  # after today
        "2026-12",
        "2027",
        "Thu, 03 Mar 2027 10:00:00 +0000",
        "0001-01-01",  # a placeholder, not a date
        "ieri",
        "Mar Cinese",
        "",
    ],
)
def test_parse_metadata_date_rejects(text: str) -> None:
    assert parse_metadata_date(text, TODAY) is None


def test_parse_metadata_date_defaults_to_the_real_today() -> None:
    assert parse_metadata_date("9999-01-01") is None
    assert parse_metadata_date("2001-01-01") == metadata("2001-01-01", "day", "2001-01-01")


# --- Command line ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2024", False, datetime.date(2024, 1, 1)),
        ("2024", True, datetime.date(2024, 12, 31)),
        ("2023-04", False, datetime.date(2023, 4, 1)),
        ("2023-04", True, datetime.date(2023, 4, 30)),
        ("2024-02", True, datetime.date(2024, 2, 29)),  # leap year
        ("2023-02", True, datetime.date(2023, 2, 28)),
        ("2022-12-30", False, datetime.date(2022, 12, 30)),
        ("2022-12-30", True, datetime.date(2022, 12, 30)),
        ("  2022-12 ", False, datetime.date(2022, 12, 1)),
    ],
)
def test_parse_cli_date(text: str, end: bool, expected: datetime.date) -> None:
    assert parse_cli_date(text, end=end) == expected


@pytest.mark.parametrize(
    "text",
    ["2024-13", "2021-02-31", "2024-00", "0000", "24", "2024-1", "12/05/2019", "marzo", "", " "],
)
def test_parse_cli_date_rejects(text: str) -> None:
    with pytest.raises(BadDate) as caught:
        parse_cli_date(text)
    assert isinstance(caught.value, UsageError)
    message = str(caught.value)
    assert message == f"{text.strip()!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD."


# --- DateInfo --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("info", "start", "end"),
    [
        (
            metadata("2022-12-30", "day", "x"),
            datetime.date(2022, 12, 30),
            datetime.date(2022, 12, 30),
        ),
        (
            metadata("2022-12", "month", "x"),
            datetime.date(2022, 12, 1),
            datetime.date(2022, 12, 31),
        ),
        (metadata("2024-02", "month", "x"), datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        (inferred("2024", "year", "2024"), datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
    ],
)
def test_dateinfo_period(info: DateInfo, start: datetime.date, end: datetime.date) -> None:
    assert (info.start, info.end) == (start, end)


@pytest.mark.parametrize(
    ("value", "precision"),
    [("2022-12", "day"), ("2022-12-30", "month"), ("2022-13", "month"), ("2022", "week")],
)
def test_dateinfo_refuses_a_value_that_does_not_match_its_precision(
    value: str, precision: str
) -> None:
    with pytest.raises(ValueError):
        DateInfo(value, precision, False, None)  # type: ignore[arg-type]


# --- Other languages: fr, de, es, pt, ru ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # agency datelines
        (
            "МОСКВА, 21 декабря 2022 года. /ТАСС/. Президент России провел совещание.",
            inferred("2022-12-21", "day", "МОСКВА, 21 декабря 2022 года"),
        ),
        (
            "MADRID, 17 de abril de 2023 - El Gobierno aprobó el decreto.",
            inferred("2023-04-17", "day", "MADRID, 17 de abril de 2023"),
        ),
        (
            "LISBOA, 17 de abril de 2023 - O Governo aprovou o decreto.",
            inferred("2023-04-17", "day", "LISBOA, 17 de abril de 2023"),
        ),
        # "published" bylines, with their times
        (
            "Publié le 17 avril 2023 à 10h30\nLe président a annoncé la réforme.",
            inferred("2023-04-17", "day", "Publié le 17 avril 2023 à 10h30"),
        ),
        (
            "Veröffentlicht am 17. April 2023, 10:30 Uhr\nDie Regierung hat beschlossen.",
            inferred("2023-04-17", "day", "Veröffentlicht am 17. April 2023, 10:30 Uhr"),
        ),
        (
            "Publicado el 17 de abril de 2023\nEl Gobierno aprobó el decreto.",
            inferred("2023-04-17", "day", "Publicado el 17 de abril de 2023"),
        ),
        (
            "Publicado em 17 de abril de 2023 às 10:30\nO Governo aprovou o decreto.",
            inferred("2023-04-17", "day", "Publicado em 17 de abril de 2023 às 10:30"),
        ),
        (
            "Опубликовано 21 декабря 2022 года в 10:30\nПрезидент провел совещание.",
            inferred("2022-12-21", "day", "Опубликовано 21 декабря 2022 года в 10:30"),
        ),
        # the publication beats the update, in German as in Italian
        (
            "Aktualisiert am 18. April 2023\nVeröffentlicht am 17. April 2023\nText.",
            inferred("2023-04-17", "day", "Veröffentlicht am 17. April 2023"),
        ),
        # dates in running text
        (
            "Paris — le 17 avril 2023, le président a annoncé la réforme.",
            inferred("2023-04-17", "day", "17 avril 2023"),
        ),
        (
            "Le 1er mars 2023, la loi est entrée en vigueur.",
            inferred("2023-03-01", "day", "1er mars 2023"),
        ),
        (
            "Berlin. Am 17. April 2023 hat die Regierung beschlossen.",
            inferred("2023-04-17", "day", "17. April 2023"),
        ),
        ("Es geschah im März 2021.", inferred("2021-03", "month", "März 2021")),
        ("Ocurrió en enero de 2021.", inferred("2021-01", "month", "enero de 2021")),
        ("Это произошло в декабре 2022 года.", inferred("2022-12", "month", "декабре 2022")),
        # a weekday with day and month: the latest year that fits, before today
        (
            "Le ministre a parlé mardi 17 avril devant l'Assemblée.",
            inferred("2018-04-17", "day", "mardi 17 avril"),
        ),
        (
            "Am Dienstag, den 14. Januar sprach der Minister.",
            inferred("2025-01-14", "day", "Dienstag, den 14. Januar"),
        ),
        (
            "El ministro habló el martes 14 de enero.",
            inferred("2025-01-14", "day", "martes 14 de enero"),
        ),
        ("Он выступил в среду 21 декабря.", inferred("2022-12-21", "day", "среду 21 декабря")),
        # juin and juillet share their first three letters
        ("Le 3 juillet 2024 et le 2 juin 2024.", inferred("2024-07-03", "day", "3 juillet 2024")),
    ],
)
def test_infer_date_in_other_languages(text: str, expected: DateInfo) -> None:
    assert infer_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17. April 2023", metadata("2023-04-17", "day", "17. April 2023")),
        ("21 декабря 2022 года", metadata("2022-12-21", "day", "21 декабря 2022 года")),
        ("17 de abril de 2023", metadata("2023-04-17", "day", "17 de abril de 2023")),
        ("mardi 17 avril 2023", metadata("2023-04-17", "day", "mardi 17 avril 2023")),
        ("Dezember 2022", metadata("2022-12", "month", "Dezember 2022")),
    ],
)
def test_parse_metadata_date_in_other_languages(text: str, expected: DateInfo) -> None:
    assert parse_metadata_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # capitalised, these month names are a city, a planet, a clinic: not months
        (
            "Alle Olimpiadi di Rio de Janeiro del 2016 ha vinto l'oro.",
            inferred("2016", "year", "2016"),
        ),
        ("The Mars 2020 rover landed in the crater.", inferred("2020", "year", "2020")),
        # all capitals is a dateline's way of writing them
        (
            "MADRID, 17 DE ABRIL DE 2023 - El Gobierno aprobó el decreto.",
            inferred("2023-04-17", "day", "MADRID, 17 DE ABRIL DE 2023"),
        ),
    ],
)
def test_lower_case_month_names_count_in_lower_case(text: str, expected: DateInfo) -> None:
    assert infer_date(text, TODAY) == expected


def test_a_date_in_another_language_after_today_is_refused() -> None:
    assert infer_date("MOSCA. МОСКВА, 21 декабря 2027 года. Текст.", TODAY) is None
