"""search: the query language, filters, order, limits and errors, on known answers.

``giornale`` (see conftest): a 2022-12 (month), b 2022-12-30, c 2023 (year),
d 2023-04-19, e undated; a and b from Gazzetta, c, d and e from Carlino.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import SEED_IDS, Backend

ARTICLE_KEYS = [
    "id",
    "path",
    "title",
    "derived_title",
    "date",
    "date_precision",
    "date_inferred",
    "date_evidence",
    "source",
    "url",
    "language",
    "copies",
]


def found(backend: Backend, query: str, *options: str) -> list[str]:
    """The ids ``search QUERY OPTIONS --json`` finds, sorted."""
    return sorted(backend.ids("search", query, *options, "--limit", "100", "--json"))


def test_a_word_finds_its_other_forms(giornale: Backend) -> None:
    # b has only "esercitazioni", e only "esercitazione".
    assert found(giornale, "esercitazione") == ["b", "e"]
    assert found(giornale, "esercitazioni") == ["b", "e"]


def test_singular_finds_the_plural_in_the_seeds(seeded: Backend) -> None:
    assert found(seeded, "esercitazione") == SEED_IDS[:4]


def test_accents_and_elisions_are_folded(giornale: Backend) -> None:
    assert found(giornale, "citta") == ["a", "d"]  # "città" in a's title, "citta" in d's
    assert found(giornale, "perché") == ["a", "d"]
    assert found(giornale, "esercito") == ["a"]  # "l’esercito"


def test_words_are_anded(giornale: Backend) -> None:
    assert found(giornale, "stato") == ["a", "c"]
    assert found(giornale, "stato dichiarato") == ["a"]


def test_or(giornale: Backend) -> None:
    assert found(giornale, "derby OR baltico") == ["b", "d"]


def test_not(giornale: Backend) -> None:
    assert found(giornale, "stato NOT idrica") == ["a"]


def test_a_phrase_needs_its_words_side_by_side(giornale: Backend) -> None:
    # c has "stato" and "emergenza" too, but not as the phrase.
    assert found(giornale, "stato emergenza") == ["a", "c"]
    assert found(giornale, '"stato di emergenza"') == ["a"]


def test_prefix_wildcard(giornale: Backend) -> None:
    # "l’esercito" in a does not start with esercitaz.
    assert found(giornale, "esercitaz*") == ["b", "e"]
    assert found(giornale, "esercit*") == ["a", "b", "e"]


def test_single_character_wildcard(giornale: Backend) -> None:
    assert found(giornale, "ci?ta") == ["a", "d"]
    assert found(giornale, "scuol?") == ["e"]


def test_fuzzy_term(giornale: Backend) -> None:
    assert found(giornale, "emergensa") == []
    assert found(giornale, "emergensa~1") == ["a", "c"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("title:citta", ["a", "d"]),
        ("text:citta", []),
        ("text:stato", ["a", "c"]),
        ("title:esercitazione", ["b", "e"]),
        ("source:carlino", ["c", "d", "e"]),
        ("source:gazzetta esercitazioni", ["b"]),
    ],
)
def test_field_scopes(giornale: Backend, query: str, expected: list[str]) -> None:
    assert found(giornale, query) == expected


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        # a is dated only to December 2022: its month overlaps the range.
        (["--from", "2022-12-15", "--to", "2022-12-20"], ["a"]),
        # c is dated only to 2023: it overlaps a range ending in April 2023...
        (["--to", "2023-04"], ["a", "b", "c", "d"]),
        # ... and one starting in May 2023, after every day-dated article.
        (["--from", "2023-05"], ["c"]),
        (["--from", "2023-04-19", "--to", "2023-04-19"], ["c", "d"]),
        (["--from", "2022-12-31", "--to", "2023-01-01"], ["a", "c"]),
        # Ranges that cover whole months and years.
        (["--from", "2022-12", "--to", "2022-12"], ["a", "b"]),
        (["--from", "2022-11-20", "--to", "2023-01-10"], ["a", "b", "c"]),
        (["--from", "2023", "--to", "2023"], ["c", "d"]),
        (["--from", "2022", "--to", "2024"], ["a", "b", "c", "d"]),
        # e is undated: no range ever matches it.
        (["--from", "1900"], ["a", "b", "c", "d"]),
    ],
    ids=[
        "month-overlaps-days",
        "year-overlaps-to",
        "year-overlaps-from",
        "one-day",
        "new-year",
        "whole-month",
        "around-a-month",
        "whole-year",
        "whole-years",
        "undated",
    ],
)
def test_date_ranges_match_overlapping_periods(
    giornale: Backend, options: list[str], expected: list[str]
) -> None:
    assert found(giornale, "modena", *options) == expected


def test_source_filter_is_exact_and_case_insensitive(giornale: Backend) -> None:
    assert found(giornale, "modena", "--source", "carlino") == ["c", "d", "e"]
    assert found(giornale, "modena", "--source", "Carl") == []


def test_cites_filter(giornale: Backend) -> None:
    assert found(giornale, "modena", "--cites", "Tass") == ["b"]
    assert found(giornale, "modena", "--cites", "xinhua") == ["e"]


def test_cites_of_an_unknown_outlet_is_a_usage_error(giornale: Backend) -> None:
    result = giornale.run("search", "modena", "--cites", "Pravda del Nord")
    assert result.exit_code == 2
    assert result.stderr.startswith("corpus: ") and "Pravda del Nord" in result.stderr


def test_sort_by_date_puts_undated_last_both_ways(giornale: Backend) -> None:
    assert giornale.ids("search", "modena", "--sort", "date", "--json") == [
        "a",
        "b",
        "c",
        "d",
        "e",
    ]
    assert giornale.ids("search", "modena", "--sort", "-date", "--json") == [
        "d",
        "c",
        "b",
        "a",
        "e",
    ]


def test_score_is_null_under_date_sort(giornale: Backend) -> None:
    rows = giornale.rows("search", "modena", "--sort", "date", "--json")
    assert [r["score"] for r in rows] == [None] * 5
    ranked = giornale.rows("search", "modena", "--json")
    assert all(isinstance(r["score"], float) and r["score"] > 0 for r in ranked)
    assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)


def test_limit_caps_the_hits_not_the_total(giornale: Backend) -> None:
    assert len(giornale.rows("search", "modena", "--limit", "2", "--json")) == 2
    result = giornale.run("search", "modena", "--limit", "2")
    assert result.exit_code == 0
    # Off a terminal the count goes to stderr, so that a pipe carries only the hits.
    assert result.stderr == "5 articles match modena (showing 2; --limit for more)\n\n"


def test_total_line_counts_every_match(giornale: Backend) -> None:
    result = giornale.run("search", "esercitazione")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == "2 articles match esercitazione"


def test_search_rows_follow_the_contract(giornale: Backend, giornale_folder: Path) -> None:
    [row] = giornale.rows("search", "derby", "--json")
    assert list(row) == [*ARTICLE_KEYS, "score", "snippet"]
    assert {k: row[k] for k in ARTICLE_KEYS} == {
        "id": "d",
        "path": str(giornale_folder / "d.txt"),
        "title": "Sport e citta",
        "derived_title": None,
        "date": "2023-04-19",
        "date_precision": "day",
        "date_inferred": False,
        "date_evidence": "2023-04-19",
        "source": "Carlino",
        "url": None,
        "language": "it",
        "copies": [],
    }


def test_snippet_contains_the_match(giornale: Backend) -> None:
    [row] = giornale.rows("search", "derby", "--json")
    assert row["snippet"] == "Perche il derby di Modena è finito in parità."
    [row] = giornale.rows("search", "baltico", "--json")
    assert "Mar Baltico" in row["snippet"]


def test_no_match_is_not_an_error(giornale: Backend) -> None:
    result = giornale.run("search", "pinguino")
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", "0 articles match pinguino\n")
    empty = giornale.run("search", "pinguino", "--json")
    assert (empty.exit_code, empty.stdout) == (0, "")


def test_a_typo_gets_a_suggestion_on_stderr(giornale: Backend) -> None:
    result = giornale.run("search", "emergnza")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "0 articles match emergnza\nDid you mean: emergenza? (2 articles)\n"


@pytest.mark.parametrize(
    "query",
    ["foo:bar", "NOT derby", "derby~9", "   ", "x" * 1001],
    ids=["unknown-field", "only-an-exclusion", "too-fuzzy", "blank", "too-long"],
)
def test_a_malformed_query_is_a_usage_error(giornale: Backend, query: str) -> None:
    result = giornale.run("search", query)
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("corpus: ")


def test_a_bad_date_is_a_usage_error(giornale: Backend) -> None:
    for options in (["--from", "2024-13"], ["--from", "ieri"], ["--from", "2024", "--to", "2023"]):
        result = giornale.run("search", "modena", *options)
        assert result.exit_code == 2, options
        [line] = result.stderr.splitlines()
        assert line.startswith("corpus: ")


def test_searching_where_no_index_is_an_operational_error(backend: Backend) -> None:
    result = backend.run("search", "modena")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("corpus: ") and "corpus ingest" in line


def _cronaca(backend: Backend, tmp_path: Path) -> Backend:
    """Nine articles about robberies (``rapina`` in each) and one about a motorway."""
    folder = tmp_path / "cronaca"
    filler = " ".join(["il sindaco ha parlato in piazza della città"] * 4)
    for number in range(9):
        text = f"Una rapina in via Roma {number}. {filler}. Seconda rapina in centro."
        write_text(folder / f"r{number}.txt", f"date: 2021-05-0{number + 1}\n\n{text}\n")
    write_text(folder / "raro.txt", f"date: 2021-05-20\n\nL'autostrada chiusa. {filler}.\n")
    # A long article that says rapina twice among many other words.
    write_text(folder / "lungo.txt", f"date: 2021-05-21\n\nrapina {filler * 6} rapina\n")
    backend.ingest(folder)
    return backend


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_rare_word_counts_more_than_a_common_one(backend: Backend, tmp_path: Path) -> None:
    # BM25: "autostrada" is in one article of eleven, "rapina" in ten; the one
    # occurrence of the rare word outweighs two of the common one.
    cronaca = _cronaca(backend, tmp_path)
    ranked = cronaca.ids("search", "rapina OR autostrada", "--json", "--limit", "all")
    assert ranked[0] == "raro"
    assert len(ranked) == 11


def test_a_long_article_counts_its_words_for_less(backend: Backend, tmp_path: Path) -> None:
    # Same two occurrences of "rapina": in a short article they weigh more.
    cronaca = _cronaca(backend, tmp_path)
    ranked = cronaca.ids("search", "rapina", "--json", "--limit", "all")
    assert ranked[-1] == "lungo"
    assert ranked[:9] == [f"r{number}" for number in range(9)]
