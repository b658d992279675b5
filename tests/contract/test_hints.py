"""Hints after a search with few or no hits (issue #14), on every backend: did-you-mean
as a whole corrected query with its count, a rare spelling next to a common one, the
filter that emptied a result, an unknown source; and ``--explain``'s words per stem.

``cronaca`` below: every count can be read off the texts. c01-c21 name the
carabinieri and a man in the region (c01-c12 in Modena, c13-c21 in Carpi; c01 cites
ANSA), t01 is the one
article with the typo ``carabineri`` (in Modena). r1-r3: rapina, March 2021. s1-s2
spaccio, z1-z2 spazio, p1-p5 paio, n1 rana, u1-u2 tutto, f1-f2 tufo, e1-e3
esercitazioni (2) and esercitazione (1), o1 uovo, l1 legione. 31 articles from the
Gazzetta di Modena, 12 from the Carlino (n1, p1-p5, u1-u2, f1-f2, o1, l1), 1 from the
Gazzetta di Parma (e3). Hints go to stderr; a search that finds nothing exits 0.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import Backend, article, write

MODENA = "Gazzetta di Modena"
PARMA = "Gazzetta di Parma"
CARLINO = "Carlino"


def _cronaca() -> dict[str, tuple[str, str, str]]:
    """name: (text, date, source)."""
    found: dict[str, tuple[str, str, str]] = {}
    for n in range(1, 22):
        town = "Modena" if n <= 12 else "Carpi"
        cites = " Lo riferisce l'ANSA." if n == 1 else ""
        found[f"c{n:02}"] = (
            f"I carabinieri di {town} hanno fermato un uomo nella regione.{cites}",
            "2021-05",
            MODENA,
        )
    found["t01"] = ("Un carabineri di Modena, scritto male.", "2021-05", MODENA)
    for n in range(1, 4):
        found[f"r{n}"] = ("Una rapina in banca a Sassuolo.", f"2021-03-0{n}", MODENA)
    for n in range(1, 3):
        found[f"s{n}"] = ("Arresto per spaccio di droga.", "2021-06", MODENA)
        found[f"z{n}"] = ("Uno spazio verde in centro.", "2021-06", MODENA)
    for n in range(1, 6):
        found[f"p{n}"] = ("Un paio di scarpe.", "2021-06", CARLINO)
    found["n1"] = ("Una rana nello stagno.", "2021-06", CARLINO)
    found["o1"] = ("Un uovo di Pasqua.", "2021-06", CARLINO)
    found["l1"] = ("La legione straniera.", "2021-06", CARLINO)
    for n in range(1, 3):
        found[f"u{n}"] = ("Tutto esaurito allo stadio.", "2021-06", CARLINO)
        found[f"f{n}"] = ("Una grotta di tufo.", "2021-06", CARLINO)
    found["e1"] = ("Le esercitazioni della protezione civile.", "2021-06", MODENA)
    found["e2"] = ("Altre esercitazioni in montagna.", "2021-06", MODENA)
    found["e3"] = ("Una esercitazione antincendio.", "2021-06", PARMA)
    return found


@pytest.fixture
def cronaca(backend: Backend, tmp_path: Path) -> Backend:
    folder = tmp_path / "cronaca"
    for name, (text, date, source) in _cronaca().items():
        # The reference makes each text its own (identical texts are one article).
        write(folder, f"{name}.txt", article(f"{text} Rif. {name}.", date=date, source=source))
    assert backend.ingest(folder)["added"] == 44
    return backend


#: The count line a piped search prints on stderr before any hint.
COUNT_LINE = re.compile(r"\d+ articles? match(es)? ")


def _hints(result: Result) -> str:
    """The hint lines of a search's stderr, without its count line (and the blank line
    that parts it from the hits)."""
    lines = result.stderr.splitlines(keepends=True)
    return "".join(line for line in lines if line.strip() and not COUNT_LINE.match(line))


def _stderr(backend: Backend, *args: str) -> str:
    """The hint lines of a search that must succeed (0 hits included: exit code 0)."""
    result = backend.run("search", *args)
    assert result.exit_code == 0, result.output
    return _hints(result)


# -- did you mean ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "line"),
    [
        # One edit (spaccio, spazio) before two (paio, in more articles).
        ("spacio", "Did you mean: spaccio? (2 articles)"),
        # Of two words one edit away in as many articles (tutto, tufo), the one with
        # a letter doubled: Italian's commonest slip (and not the first in order).
        ("tuto", "Did you mean: tutto? (2 articles)"),
        # Equal edits (rapina, rana): the word in more articles.
        ("rapna", "Did you mean: rapina? (3 articles)"),
        # Two letters swapped are one edit; so is a wrong first letter.
        ("rpaina", "Did you mean: rapina? (3 articles)"),
        ("karabinieri", "Did you mean: carabinieri? (21 articles)"),
        # Two edits when none is one edit away (among words of the same first letter).
        ("esercitazzone", "Did you mean: esercitazione? (3 articles)"),
        # The whole query, each misspelt word replaced, counted as a whole.
        ("spacio droga", "Did you mean: spaccio droga? (2 articles)"),
        # The rare typo replaced in a query that finds nothing.
        ("carabineri carpi", "Did you mean: carabinieri carpi? (9 articles; 'carabineri' is in 1)"),
    ],
)
def test_zero_hits_suggest_the_corrected_query_with_its_count(
    cronaca: Backend, query: str, line: str
) -> None:
    result = cronaca.run("search", query)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.startswith(f"0 articles match {query}\n")
    assert _hints(result) == line + "\n"


def test_a_correction_that_finds_nothing_is_not_suggested(cronaca: Backend) -> None:
    # spaccio and rana are never in one article: "spaccio rana" would find nothing too.
    assert _stderr(cronaca, "spacio rana") == ""
    assert _stderr(cronaca, "xqzwvk") == ""


def test_a_rare_word_with_a_common_near_spelling_gets_it_suggested(cronaca: Backend) -> None:
    result = cronaca.run("search", "carabineri modena")
    assert result.exit_code == 0
    assert result.stderr.startswith("1 article matches carabineri modena\n")
    assert result.stdout.startswith(" 1. ")
    assert _hints(result) == (
        "Did you mean: carabinieri modena? (12 articles; 'carabineri' is in 1)\n"
    )
    # --json: the row alone on stdout, the hint on stderr.
    as_json = cronaca.run("search", "carabineri", "--json")
    assert [json.loads(line)["id"] for line in as_json.stdout.splitlines()] == ["t01"]
    assert as_json.stderr == "Did you mean: carabinieri? (21 articles; 'carabineri' is in 1)\n"


def test_no_hint_between_two_real_words_or_when_hits_are_plenty(cronaca: Backend) -> None:
    # spazio (2 articles) is a letter from spaccio (2): no twenty-fold gap, no hint.
    assert _stderr(cronaca, "spazio") == ""
    # A twenty-fold gap, but real words differ so: in a short word (uovo 1, uomo 21)
    # or in the first letter (legione 1, regione 21).
    assert _stderr(cronaca, "uovo") == ""
    assert _stderr(cronaca, "legione") == ""
    assert _stderr(cronaca, "carabinieri") == ""
    assert _stderr(cronaca, "paio", "--json") == ""


# -- what emptied the result ------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "line"),
    [
        (
            ["rapina", "--from", "2020", "--to", "2020"],
            "none between 2020-01-01 and 2020-12-31; without the dates: 3 articles",
        ),
        # date: in the query is a date range as --from/--to are.
        (
            ["rapina date:2020"],
            "none between 2020-01-01 and 2020-12-31; without the dates: 3 articles",
        ),
        (["rapina", "--from", "2022"], "none from 2022-01-01 on; without the dates: 3 articles"),
        (["rapina", "--to", "2020-06"], "none up to 2020-06-30; without the dates: 3 articles"),
        (["rapina", "--source", "carlino"], 'none in "carlino"; without --source: 3 articles'),
        (["rapina", "--cites", "ansa"], "none citing ANSA; without --cites: 3 articles"),
        # Either filter alone keeps the result empty: both are named.
        (
            ["rapina", "--source", "Carlino", "--from", "2020", "--to", "2020"],
            'none in "Carlino" between 2020-01-01 and 2020-12-31; without the filters: 3 articles',
        ),
        # Only the source empties it (rapina is in 2021): only the source is named.
        (
            ["rapina", "--source", "Carlino", "--from", "2021"],
            'none in "Carlino" from 2021-01-01 on; without --source: 3 articles',
        ),
    ],
)
def test_zero_hits_name_the_filter_that_emptied_them(
    cronaca: Backend, options: list[str], line: str
) -> None:
    result = cronaca.run("search", *options)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.startswith(f"0 articles match {options[0]}\n")
    assert _hints(result) == line + "\n"


def test_a_filter_hint_and_a_correction_together(cronaca: Backend) -> None:
    # t01 (the typo) cites nobody; c01 (carabinieri) cites ANSA.
    assert _stderr(cronaca, "carabineri", "--cites", "ansa") == (
        "none citing ANSA; without --cites: 1 article\n"
        "Did you mean: carabinieri? (1 article; 'carabineri' is in 1)\n"
    )
    # No carabinieri in 2022 either: the dates alone are named.
    assert _stderr(cronaca, "carabineri", "--from", "2022") == (
        "none from 2022-01-01 on; without the dates: 1 article\n"
    )


@pytest.mark.parametrize(
    ("options", "line"),
    [
        # A part of the name: every source holding it, most articles first.
        (
            ["--source", "Gazzetta"],
            '--source "Gazzetta" names no source; closest: "Gazzetta di Modena" (31 articles), '
            '"Gazzetta di Parma" (1 article)',
        ),
        # Misspelt: the sources within a few edits.
        (
            ["--source", "Gazeta di Modna"],
            '--source "Gazeta di Modna" names no source; closest: "Gazzetta di Modena" '
            "(31 articles)",
        ),
        (["--source", "Xyz"], "--source \"Xyz\" names no source ('corpus sources' lists them)"),
    ],
)
def test_an_unknown_source_names_the_closest_known_ones(
    cronaca: Backend, options: list[str], line: str
) -> None:
    result = cronaca.run("search", "rapina", *options)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.startswith("0 articles match rapina\n")
    assert _hints(result) == line + "\n"


def test_an_unknown_source_in_the_query_too(cronaca: Backend) -> None:
    assert _stderr(cronaca, 'rapina source:"Modena"') == (
        'source:"Modena" names no source; closest: "Gazzetta di Modena" (31 articles)\n'
    )


# -- explain: the words of each stem -----------------------------------------------------


def test_explain_lists_the_words_each_stem_matched(cronaca: Backend) -> None:
    # esercitazione and esercitazioni have one stem under every stemmer considered.
    result = cronaca.run("search", "--explain", "esercitazione")
    assert result.exit_code == 0
    assert "\nforms     esercitazioni (2), esercitazione (1)\n" in result.stdout
    assert _hints(result) == ""
    [row] = cronaca.rows("search", "--explain", "esercitazione", "--json")
    [word] = row["words"]
    assert word["forms"] == [
        {"word": "esercitazioni", "articles": 2},
        {"word": "esercitazione", "articles": 1},
    ]
    assert row["total"] == 3 and row["suggestion"] is None


def test_explain_of_a_typo_gives_the_suggestion_in_json_and_the_line(cronaca: Backend) -> None:
    result = cronaca.run("search", "--explain", "spacio", "--json")
    assert result.exit_code == 0
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    assert (row["total"], row["suggestion"]) == (0, "spaccio")
    assert row["words"][0]["forms"] == []  # no word of the texts has its stem
    assert _hints(result) == "Did you mean: spaccio? (2 articles)\n"


# -- the suggestion as the articles write it ------------------------------------------


@pytest.fixture
def abroad(backend: Backend, tmp_path: Path) -> Backend:
    """A German, a French and an Italian article; the index folds ü, é and à away."""
    folder = tmp_path / "abroad"
    texts = {
        "de": "Die Streitkräfte beider Länder begannen am Montag gemeinsame Übungen an "
        "der Grenze. Mehr als zehntausend Soldaten nehmen an den Übungen teil.",
        "fr": "Les forces armées des deux pays ont commencé lundi des exercices conjoints "
        "près de la frontière, selon le ministère de la Défense.",
        "it": "Le esercitazioni congiunte si sono svolte nella città di Modena, "
        "hanno riferito i carabinieri.",
    }
    for name, text in texts.items():
        write(folder, f"{name}.txt", article(text, date="2023-04-17", source="Agenzia"))
    assert backend.ingest(folder)["added"] == 3
    return backend


@pytest.mark.parametrize(
    ("query", "line"),
    [
        # Not "ubungen": the word as the German article writes it, capital as typed.
        ("Übugnen", "Did you mean: Übungen? (1 article)"),
        ("übugnen", "Did you mean: übungen? (1 article)"),
        ("ministèrre", "Did you mean: ministère? (1 article)"),
        ("cittta", "Did you mean: città? (1 article)"),
        # A word the articles write in one way only: as they write it.
        ("exercises", "Did you mean: exercices? (1 article)"),
    ],
)
def test_a_suggestion_is_written_as_in_the_articles(abroad: Backend, query: str, line: str) -> None:
    result = abroad.run("search", query)
    assert result.exit_code == 0, result.output
    assert _hints(result) == line + "\n"


# -- words no article has together ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ("rapina", "spaccio"),
            "no article has both of them: rapina is in 3 articles, spaccio in 2",
        ),
        (
            ('"protezione civile" rapina tufo',),
            'no article has all of them: "protezione civile" is in 1 article, '
            "rapina in 3, tufo in 2",
        ),
        # Counted under the same filters (rapina and spaccio are all in Modena's paper).
        (
            ("rapina", "spaccio", "--source", MODENA),
            "no article has both of them: rapina is in 3 articles, spaccio in 2",
        ),
    ],
)
def test_words_no_article_has_together_are_counted_alone(
    cronaca: Backend, args: tuple[str, ...], line: str
) -> None:
    assert _stderr(cronaca, *args) == line + "\n"


@pytest.mark.parametrize(
    "args",
    [
        ("rapina", "spacio"),  # a word in no article: not a matter of words apart
        ("rapina", "OR", "spaccio", "tufo"),  # not only words that must all be there
        ("title:rapina", "spaccio"),
        ("rapina", "spaccio", "--source", CARLINO),  # rapina is in no Carlino article
    ],
)
def test_no_words_apart_hint_where_it_would_not_help(
    cronaca: Backend, args: tuple[str, ...]
) -> None:
    assert "no article has" not in _stderr(cronaca, *args)
