"""Bylines and datelines with times, in each language read: they date the article, to the
day, and are never its title (plain text, Markdown and the titles shown for either)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import Run, json_lines, write

from corpus_cli.text import dates
from corpus_cli.text.dates import bylines, infer_date, is_dateline

TODAY = datetime.date(2026, 11, 22)

HEADLINE = "Le flotte russa e cinese in mare per le manovre congiunte"
BODY = (
    "Le marine dei due paesi hanno condotto esercitazioni nel Mar Cinese Orientale per tre "
    "giorni, con navi e aerei.\nIl ministero ha diffuso le immagini delle manovre.\n"
)

# (language, byline as a user pastes it from the page, the day it gives)
BYLINES = [
    ("it", "Pubblicato il 12/03/2023 alle 10:15", "2023-03-12"),
    ("it", "Aggiornato il 3 marzo 2023 ore 9:40", "2023-03-03"),
    ("it", "di Mario Rossi, 12 marzo 2023 alle 10:15", "2023-03-12"),
    ("en", "Published April 17, 2023 at 2:05 pm", "2023-04-17"),
    ("en", "Updated: April 17, 2023 2:05 PM EDT", "2023-04-17"),
    ("en", "By John Smith | April 17, 2023 2:05 p.m.", "2023-04-17"),
    ("en", "Published on 17 April 2023, 14:05 BST", "2023-04-17"),
    ("fr", "Publié le 17 avril 2023 à 14h05", "2023-04-17"),
    ("fr", "Mis à jour le lundi 17 avril 2023 à 14h05", "2023-04-17"),
    ("fr", "Le 17 avril 2023 à 14h05", "2023-04-17"),
    ("de", "Veröffentlicht am 17.04.2023 um 14:05 Uhr", "2023-04-17"),
    ("de", "Aktualisiert am Montag, 17. April 2023, 14:05 Uhr", "2023-04-17"),
    ("de", "Von Hans Müller, 17.04.2023, 14:05 Uhr", "2023-04-17"),
    ("es", "Publicado el 17 de abril de 2023 a las 14:05", "2023-04-17"),
    ("es", "Por Juan Pérez | 17 de abril de 2023 | 14:05", "2023-04-17"),
    ("pt", "Publicado em 17/04/2023 às 14h05", "2023-04-17"),
    ("pt", "Atualizado em 17 de abril de 2023 às 14:05", "2023-04-17"),
    ("ru", "Опубликовано 21 декабря 2022 года, 14:05", "2022-12-21"),
    ("ru", "Публикация: 21 декабря 2022, 14:05 MSK", "2022-12-21"),
    ("ru", "МОСКВА, 21 декабря 2022 года", "2022-12-21"),
]


@pytest.mark.parametrize(("lang", "byline", "day"), BYLINES)
def test_a_byline_first_line_dates_the_text_file_and_is_not_its_title(
    run: Run, tmp_path: Path, lang: str, byline: str, day: str
) -> None:
    write(tmp_path / "in", f"{lang}.txt", f"{byline}\n{HEADLINE}\n{BODY}")
    assert run("ingest", str(tmp_path / "in")).exit_code == 0
    row = json_lines(run("list", "--json"))[0]
    assert (row["title"], row["date"], row["date_precision"]) == (HEADLINE, day, "day")
    assert row["date_inferred"] is True
    assert row["date_evidence"].startswith(byline.split()[0])


@pytest.mark.parametrize(("lang", "byline", "day"), BYLINES)
def test_a_byline_under_the_headline_dates_the_text_file(
    tmp_path: Path, run: Run, lang: str, byline: str, day: str
) -> None:
    write(tmp_path / "in", f"{lang}.txt", f"{HEADLINE}\n{byline}\n{BODY}")
    run("ingest", str(tmp_path / "in"))
    row = json_lines(run("list", "--json"))[0]
    assert (row["title"], row["date"], row["date_precision"]) == (HEADLINE, day, "day")


def test_a_byline_over_a_markdown_heading_leaves_the_heading_the_title(
    run: Run, tmp_path: Path
) -> None:
    write(tmp_path / "in", "a.md", f"Publié le 17 avril 2023 à 14h05\n\n# {HEADLINE}\n\n{BODY}")
    write(tmp_path / "in", "b.md", f"Опубликовано 21 декабря 2022 года, 14:05\n\n{BODY}")
    run("ingest", str(tmp_path / "in"))
    rows = {row["id"]: row for row in json_lines(run("list", "--json"))}
    assert (rows["a"]["title"], rows["a"]["date"]) == (HEADLINE, "2023-04-17")
    # no heading at all: the title shown is the text's first words after the byline
    assert rows["b"]["title"] is None
    assert rows["b"]["derived_title"].startswith("Le marine dei due paesi")
    assert rows["b"]["date"] == "2022-12-21"


def test_the_publication_byline_wins_over_the_update_byline() -> None:
    text = "Aggiornato il 4 marzo 2023 ore 9:40\nPubblicato il 3 marzo 2023 alle 10:15\n" + BODY
    info = infer_date(text, TODAY)
    assert info is not None and info.value == "2023-03-03"
    found = bylines(text, TODAY)
    assert [(b.date.value, b.update) for b in found] == [
        ("2023-03-04", True),
        ("2023-03-03", False),
    ]


@pytest.mark.parametrize(
    ("text", "day", "update"),
    [
        ("Veröffentlicht am 16.08.2019", "2019-08-16", False),
        ("Erschienen am: 01.11.2023", "2023-11-01", False),
        ("Letzte Änderung: 31.10.2023 - 14:49:39", "2023-10-31", True),
        ("Geschrieben von Cooper am 25.08.2015 22:30", "2015-08-25", False),
        ("Pressemitteilung vom 20.01.2022", "2022-01-20", False),
        ("Accueil | Par Loïc Le Clerc | 30 septembre 2018", "2018-09-30", False),
        ("Mise en ligne 23 mai 2019", "2019-05-23", False),
        ("Written: 2023-11-07 15:03:30 / Updated: 2023-11-07 15:30:46", "2023-11-07", False),
        ("Fecha de publicación: 17/04/2023", "2023-04-17", False),
        ("Дата публикации: 21.12.2022 в 14:05", "2022-12-21", False),
    ],
)
def test_bylines_anywhere_in_a_page_text(text: str, day: str, update: bool) -> None:
    found = bylines("Menu\nHome\n" + text + "\nmore words", TODAY)
    assert (found[0].date.value, found[0].date.precision, found[0].update) == (day, "day", update)


@pytest.mark.parametrize(
    "text",
    [
        # a date in running text is news, not a byline: the byline words are capitalised
        "il decreto pubblicato il 3 marzo 2023 entra in vigore",
        # a byline's date after today is not a date the article can have
        "Published April 17, 2099 at 2:05 pm",
        # no date, only a time
        "Veröffentlicht um 14:05 Uhr",
    ],
)
def test_no_byline_without_its_words_or_with_a_future_date(text: str) -> None:
    assert bylines(text, TODAY) == []


def test_a_sentence_with_an_author_and_a_date_is_no_dateline() -> None:
    assert is_dateline("By John Smith | April 17, 2023 2:05 p.m.")
    assert not is_dateline("By April 17, 2023 the fleet had left the port of Vladivostok")


def test_a_paragraph_is_no_dateline_and_costs_no_regex() -> None:
    paragraph = (
        "Il 3 marzo 2021 la giunta ha approvato il bilancio, dopo una discussione durata "
        "tutto il pomeriggio e una votazione che ha visto l'opposizione astenersi in blocco; "
        "il sindaco ha parlato di un risultato atteso da anni per la città e per i suoi 180.000 "
        "abitanti."
    )
    dates._DATELINE_RE.cache_clear()
    assert not is_dateline(paragraph)
    # Decided by its length: a cold search of articles without titles never compiles it.
    assert dates._DATELINE_RE.cache_info().currsize == 0
    assert len(paragraph) > dates.DATELINE_LONGEST
    assert is_dateline("By John Smith | April 17, 2023 2:05 p.m.")
