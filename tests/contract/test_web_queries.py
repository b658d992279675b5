"""Queries as people type them (issue #14), on every backend: web-search syntax, dates
and sources inside the query, paging, counting and complete exports.

``cronaca`` below: every answer can be read off its texts. f1 2020-03-10 (day),
f2 2020-05 (month), f3 2020 (year), f4 2021-01-15; f1, f2 and f9 from the Gazzetta
di Modena, f3 and f4 from the Carlino, f5 to f8 from ANSA; n01 to n14 one a day from
2022-01-01, for paging.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from .conftest import Backend, article, write

GAZZETTA = "Gazzetta di Modena"
CARLINO = "Il Resto del Carlino"

CRONACA = {
    "f1": ("Furto di auto in centro", "Un furto di auto in via Emilia.", "2020-03-10", GAZZETTA),
    "f2": ("Colpo in casa", "Furto in un appartamento, rubati gioielli.", "2020-05", GAZZETTA),
    "f3": (
        "Rapina in banca",
        "Rapina alla banca di Carpi, dopo un furto di auto.",
        "2020",
        CARLINO,
    ),
    "f4": (
        "Notte difficile",
        "Una rapina e un furto nella stessa notte in Emilia-Romagna.",
        "2021-01-15",
        CARLINO,
    ),
    "f5": (
        "Vertice",
        "Putin e Xi parlano del mar cinese meridionale; Trump osserva.",
        "2019-12-31",
        "ANSA",
    ),
    "f6": ("Incontro", "Putin incontra Xi: esercitazioni nel mar cinese.", "2020-04-01", "ANSA"),
    "f7": ("Confronto", "Putin, Xi e Trump a confronto sul mar cinese.", "2020-06", "ANSA"),
    "f8": ("Energia", "Putin e Xi parlano di gas, lontano dal mare.", "2020-02", "ANSA"),
    "f9": ("Commissione", "La commissione anti-mafia visita Modena.", "", GAZZETTA),
    "f10": ("Controlli", "La mafia teme i controlli a Modena.", "", GAZZETTA),
}
NEWS = [f"n{n:02d}" for n in range(1, 15)]
ONLY_EXCLUSIONS = (
    "corpus: The query only excludes words; add a word to search for, as in 'furto -auto'.\n"
)


@pytest.fixture
def cronaca(backend: Backend, tmp_path: Path) -> Backend:
    folder = tmp_path / "cronaca"
    for name, (title, text, date, source) in CRONACA.items():
        headers = {"title": title, "source": source, **({"date": date} if date else {})}
        write(folder, f"{name}.txt", article(text, **headers))
    for day, name in enumerate(NEWS, 1):
        write(
            folder,
            f"{name}.txt",
            article(f"Notizia numero {day} da Sassuolo.", date=f"2022-01-{day:02d}", source="ANSA"),
        )
    assert backend.ingest(folder)["added"] == len(CRONACA) + len(NEWS)
    return backend


def found(backend: Backend, query: str, *options: str) -> list[str]:
    """The ids ``search QUERY OPTIONS --json`` finds (every match), sorted."""
    return sorted(backend.ids("search", query, *options, "--json"))


# -- web-search syntax -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("furto", ["f1", "f2", "f3", "f4"]),
        ("furto auto", ["f1", "f3"]),
        # A leading minus excludes, as NOT does (it used to be dropped: furto auto).
        ("furto -auto", ["f2", "f4"]),
        ("furto NOT auto", ["f2", "f4"]),
        ("-auto furto", ["f2", "f4"]),
        ("furto -(auto OR gioielli)", ["f4"]),
        ("furto -title:rapina", ["f1", "f2", "f4"]),
        # A plus requires, which every word does already.
        ("+furto auto", ["f1", "f3"]),
        ("+furto +auto", ["f1", "f3"]),
        # | is OR, spaced or not.
        ("rapina OR gioielli", ["f2", "f3", "f4"]),
        ("rapina | gioielli", ["f2", "f3", "f4"]),
        ("rapina|gioielli", ["f2", "f3", "f4"]),
        ("(rapina | gioielli) -notte", ["f2", "f3"]),
        # Phrases, excluded or not, in a query mixing everything.
        ('putin xi -trump "mar cinese"', ["f6"]),
        ('putin xi -"mar cinese"', ["f8"]),
        ('putin xi "mar cinese"', ["f5", "f6", "f7"]),
        # A hyphen inside a word is part of it, as before: both its words are needed.
        ("Emilia-Romagna", ["f4"]),
        ("emilia -romagna", ["f1"]),
        ("anti-mafia", ["f9"]),
        ("mafia -anti", ["f10"]),
        # A hyphen between spaces is punctuation, as before.
        ("furto - auto", ["f1", "f3"]),
        ("NOT -auto furto", ["f2", "f4"]),
    ],
)
def test_web_search_syntax(cronaca: Backend, query: str, expected: list[str]) -> None:
    assert found(cronaca, query) == expected


def test_a_query_may_start_with_a_minus(cronaca: Backend) -> None:
    # As the first argument too, where the dash would read as an option.
    assert sorted(cronaca.ids("search", "-auto furto", "--json")) == ["f2", "f4"]
    assert sorted(cronaca.ids("search", "--json", "-auto furto")) == ["f2", "f4"]
    result = cronaca.run("search", "-auto furto", "--count")
    assert (result.exit_code, result.stdout) == (0, "2\n")


@pytest.mark.parametrize("query", ["-auto", "-auto -gioielli", '-"mar cinese"'])
def test_only_exclusions_is_one_sentence_and_exit_2(cronaca: Backend, query: str) -> None:
    result = cronaca.run("search", query)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", ONLY_EXCLUSIONS)


def test_explain_shows_each_part(cronaca: Backend) -> None:
    def parsed(query: str) -> str:
        [row] = cronaca.rows("search", "--explain", query, "--json")
        return str(row["parsed"])

    result = cronaca.run("search", "--explain", 'furto -auto -"di banca" date:2020')
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # Read as the boolean query, each excluded part (in the analysis' stems) listed.
    boolean = parsed('furto NOT auto NOT "di banca"')
    auto, di_banca = parsed("auto"), parsed('"di banca"')
    assert lines[1] == f"parsed    {boolean}"
    assert f"excludes  {auto}" in lines and f"excludes  {di_banca}" in lines
    assert "filters   --from 2020-01-01 --to 2020-12-31" in lines
    assert lines[-1] == "matches   1"  # f2; f1 and f3 name the auto
    [row] = cronaca.rows("search", "--explain", "furto -auto date:2020", "--json")
    assert row["excluded"] == [parsed("auto")]
    assert row["filters"] == {
        "from": "2020-01-01",
        "to": "2020-12-31",
        "source": None,
        "cites": None,
    }
    assert row["total"] == 1
    assert "excluded" not in cronaca.rows("search", "--explain", "furto", "--json")[0]


# -- lower-case operator words ------------------------------------------------------------


def test_lower_case_or_is_a_word_with_a_note(cronaca: Backend) -> None:
    result = cronaca.run("search", "furto or rapina")
    assert result.exit_code == 0
    note = (
        "'or' was searched as a word; use OR for either word (4 articles match furto OR rapina).\n"
    )
    # Off a terminal the count goes to stderr too, before the note.
    assert (result.stdout, result.stderr) == ("", "0 articles match furto or rapina\n" + note)
    # Under --json and --count too, on stderr only.
    counted = cronaca.run("search", "furto or rapina", "--count", "--json")
    assert counted.stdout == '{"count": 0}\n' and counted.stderr == note


def test_lower_case_not_and_and(cronaca: Backend) -> None:
    result = cronaca.run("search", "furto not auto", "--json")
    assert (result.stdout, result.exit_code) == ("", 0)
    assert result.stderr == (
        "'not' was searched as a word; use NOT or -word to leave a word out "
        "(2 articles match furto NOT auto).\n"
    )
    both = cronaca.run("search", "furto and rapina or gioielli", "--count")
    assert both.stderr == (
        "'and' and 'or' were searched as words; use AND (or nothing) for both words, "
        "OR for either word (3 articles match furto AND rapina OR gioielli).\n"
    )


def test_no_note_when_the_reading_changes_little_or_is_the_operator(cronaca: Backend) -> None:
    assert "searched as" not in cronaca.run("search", "furto OR rapina").stderr
    # "or" inside a phrase is a word whichever way it is read.
    assert "searched as" not in cronaca.run("search", '"furto or rapina"').stderr


# -- dates and sources inside the query ---------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "options", "expected"),
    [
        # f2 (2020-05) and f3 (2020) overlap the range by their precision.
        ("date:2020", ["--from", "2020", "--to", "2020"], ["f1", "f2", "f3"]),
        ("date:2020-03..2020-04", ["--from", "2020-03", "--to", "2020-04"], ["f1", "f3"]),
        ("date:2020-05-10", ["--from", "2020-05-10", "--to", "2020-05-10"], ["f2", "f3"]),
        ("date:..2020-03", ["--to", "2020-03"], ["f1", "f3"]),
        ("date:2020-06..", ["--from", "2020-06"], ["f3", "f4"]),
    ],
)
def test_a_date_in_the_query_is_the_range_options(
    cronaca: Backend, clause: str, options: list[str], expected: list[str]
) -> None:
    assert found(cronaca, f"furto {clause}") == expected
    assert found(cronaca, f"{clause} furto") == expected
    assert found(cronaca, "furto", *options) == expected


def test_a_date_in_the_query_is_anded_with_the_options(cronaca: Backend) -> None:
    assert found(cronaca, "furto date:2020", "--from", "2020-05") == ["f2", "f3"]
    assert found(cronaca, "furto date:2020..2021", "--to", "2020-03-31") == ["f1", "f3"]
    assert found(cronaca, "furto date:2020 date:2020-05..") == ["f2", "f3"]
    result = cronaca.run("search", "furto date:2020", "--from", "2021")
    assert result.exit_code == 2
    assert result.stderr == (
        "corpus: date:2020 and --from 2021-01-01 have no day in common: nothing can match.\n"
    )


def test_a_date_in_the_query_counts_in_the_other_commands(cronaca: Backend) -> None:
    [count] = cronaca.rows("search", "notizia date:2022-01-01..2022-01-05", "--count", "--json")
    assert count == {"count": 5}
    rows = cronaca.rows("timeline", "furto date:2020", "--by", "year", "--json")
    assert sum(r["count"] for r in rows) == 3


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "furto OR date:2020",
            "'date:2020' cannot stand inside OR, NOT, - or ANDMAYBE: a date narrows the "
            "whole query, as in 'rapina date:2020'.",
        ),
        (
            "furto -date:2020",
            "'date:2020' cannot stand inside OR, NOT, - or ANDMAYBE: a date narrows the "
            "whole query, as in 'rapina date:2020'.",
        ),
        (
            "furto date:2020-13",
            "'date:2020-13' is not a date: use date:YYYY, date:YYYY-MM, date:YYYY-MM-DD "
            "or a range such as date:2020-03..2020-05.",
        ),
        ("furto date:2021..2020", "'date:2021..2020' ends before it starts: nothing can match."),
        (
            "date:2020",
            "The query has only dates (date:2020), no words to search for; "
            "'corpus list --from D --to D' lists the articles of a period.",
        ),
    ],
)
def test_dates_that_cannot_be_searched(cronaca: Backend, query: str, message: str) -> None:
    result = cronaca.run("search", query)
    assert (result.exit_code, result.stderr) == (2, f"corpus: {message}\n")


def test_a_source_in_the_query_is_anded_with_the_source_option(cronaca: Backend) -> None:
    assert found(cronaca, f'furto source:"{GAZZETTA}"') == ["f1", "f2"]
    assert found(cronaca, 'furto source:"gazzetta  di modena"', "--source", GAZZETTA) == [
        "f1",
        "f2",
    ]
    assert found(cronaca, f'furto source:"{GAZZETTA}"', "--source", CARLINO) == []
    assert found(cronaca, f'furto -source:"{GAZZETTA}"') == ["f3", "f4"]
    assert found(cronaca, f'furto source:"{GAZZETTA}" date:2020-05') == ["f2"]


def test_a_watch_keeps_the_date_of_its_query(cronaca: Backend) -> None:
    assert cronaca.run("watch", "add", "furti", "furto date:2020").exit_code == 0
    assert sorted(cronaca.ids("watch", "run", "furti", "--json")) == ["f1", "f2", "f3"]
    assert cronaca.run("watch", "add", "senza-auto", "-auto furto").exit_code == 0
    assert sorted(cronaca.ids("watch", "run", "senza-auto", "--json")) == ["f2", "f4"]


# -- paging and counting ------------------------------------------------------------------


def test_exports_give_every_match_unless_limited(cronaca: Backend) -> None:
    assert cronaca.ids("search", "notizia", "--sort", "date", "--json") == NEWS
    exported = cronaca.run("search", "notizia", "--sort", "date", "--format", "csv").stdout
    assert [row["id"] for row in csv.DictReader(io.StringIO(exported))] == NEWS
    assert cronaca.ids("search", "notizia", "--sort", "date", "--limit", "3", "--json") == NEWS[:3]
    assert cronaca.ids("search", "notizia", "--limit", "all", "--sort", "date", "--json") == NEWS
    kwic = cronaca.rows("search", "notizia", "--kwic", "--sort", "date", "--json")
    assert [row["id"] for row in kwic] == NEWS


def test_the_screen_shows_ten_and_says_so(cronaca: Backend) -> None:
    result = cronaca.run("search", "notizia", "--sort", "date")
    # .output: stdout and stderr as a terminal shows them (the count is on stderr).
    assert result.output.splitlines()[0] == (
        "14 articles match notizia (showing 10 of 14; --limit all for every one)"
    )
    assert "\n10. " in result.output and "\n11. " not in result.output
    every = cronaca.run("search", "notizia", "--limit", "all").output
    assert every.splitlines()[0] == "14 articles match notizia"
    assert "14. " in every


@pytest.mark.parametrize(
    ("options", "first", "head"),
    [
        (["--offset", "10"], 11, "hits 11-14 of 14"),
        (["--offset", "2", "--limit", "3"], 3, "hits 3-5 of 14; --offset 5 for more"),
        (["--page", "2", "--limit", "5"], 6, "hits 6-10 of 14; --page 3 for more"),
        (["--page", "2"], 11, "hits 11-14 of 14"),
        (["--offset", "20"], 21, "none from 21 on"),
    ],
)
def test_paging(cronaca: Backend, options: list[str], first: int, head: str) -> None:
    shown = NEWS[first - 1 :][: int(options[-1]) if "--limit" in options else 10]
    assert cronaca.ids("search", "notizia", "--sort", "date", *options, "--json") == shown
    result = cronaca.run("search", "notizia", "--sort", "date", *options)
    assert result.output.splitlines()[0] == f"14 articles match notizia ({head})"
    # Hits are numbered from the window's start.
    assert (f"\n{first:>2}. " in result.output) == bool(shown)
    assert f"\n{first - 1:>2}. " not in result.output
    listed = cronaca.ids("list", "--from", "2022", "--sort", "date", *options, "--json")
    assert listed == shown


def test_list_pages_and_counts(cronaca: Backend) -> None:
    result = cronaca.run("list", "--from", "2022", "--page", "2", "--limit", "5")
    assert result.exit_code == 0
    assert [line.split()[-1] for line in result.stdout.splitlines()[1:]] == NEWS[5:10]
    assert result.stderr == "14 articles (articles 6-10 of 14; --page 3 for more)\n"
    assert cronaca.run("list", "--from", "2022", "--count").stdout == "14\n"
    assert cronaca.rows("list", "--count", "--json") == [{"count": len(CRONACA) + len(NEWS)}]
    assert len(cronaca.ids("list", "--json")) == len(CRONACA) + len(NEWS)


def test_count_prints_only_the_number(cronaca: Backend) -> None:
    result = cronaca.run("search", "notizia", "--count")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "14\n", "")
    assert json.loads(cronaca.run("search", "furto -auto", "--count", "--json").stdout) == {
        "count": 2
    }
    assert cronaca.run("search", "notizia", "--count", "--format", "csv").stdout == "count\n14\n"
    assert cronaca.run("search", "nulla", "--count").stdout == "0\n"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--offset", "2", "--page", "2"], "--offset and --page both say where to start"),
        (["--page", "2", "--limit", "all"], "--page needs a page size"),
        (["--limit", "0"], "'0' is neither a number from 1 nor 'all'"),
        (["--limit", "tutti"], "'tutti' is neither a number from 1 nor 'all'"),
        (["--count", "--kwic"], "--count prints only a number"),
        (["--kwic", "--offset", "3"], "--offset and --page do not apply to --kwic"),
    ],
)
def test_bad_windows_are_usage_errors(cronaca: Backend, options: list[str], message: str) -> None:
    result = cronaca.run("search", "notizia", *options)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_store_reads_the_query_s_dates_itself(cronaca: Backend) -> None:
    # From a notebook, without the command line's options: date: still narrows.
    from corpus_cli.model import Filters
    from corpus_cli.query import parse
    from corpus_cli.storage import open_store

    store = open_store(cronaca.location)
    try:
        assert store.count(parse("furto date:2020")) == 3  # f1, f2, f3; not f4 (2021)
        found = store.search(parse("furto date:2020"), Filters(source="Gazzetta di Modena"))
        assert sorted(hit.article.id for hit in found.hits) == ["f1", "f2"]
        assert store.date_counts(parse("furto date:2021")) == {"2021-01-15": 1}
    finally:
        store.close()
