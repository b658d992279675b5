"""timeline, terms and cites: counts around a query."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Backend, write


def test_timeline_by_month_includes_empty_periods_and_coarser_rows(giornale: Backend) -> None:
    assert giornale.rows("timeline", "modena", "--json") == [
        {"period": "2022-12", "count": 2, "total": 2, "share": 1.0},
        {"period": "2023-01", "count": 0, "total": 0, "share": None},
        {"period": "2023-02", "count": 0, "total": 0, "share": None},
        {"period": "2023-03", "count": 0, "total": 0, "share": None},
        {"period": "2023-04", "count": 1, "total": 1, "share": 1.0},
        # c is dated only to 2023: counted apart, never spread over months.
        {"period": "2023", "count": 1, "total": 1, "share": 1.0, "coarser": True},
    ]


def test_timeline_share_is_of_all_articles_in_the_period(giornale: Backend) -> None:
    rows = giornale.rows("timeline", "esercitazione", "--to", "2023-04", "--json")
    assert rows == [
        {"period": "2022-12", "count": 1, "total": 2, "share": 0.5},
        {"period": "2023-01", "count": 0, "total": 0, "share": None},
        {"period": "2023-02", "count": 0, "total": 0, "share": None},
        {"period": "2023-03", "count": 0, "total": 0, "share": None},
        {"period": "2023-04", "count": 0, "total": 1, "share": 0.0},
    ]
    # e matches too, but is undated: no period counts it.
    assert len(giornale.ids("search", "esercitazione", "--json")) == 2


def test_timeline_by_year_fills_the_range(giornale: Backend) -> None:
    rows = giornale.rows("timeline", "modena", "--by", "year", "--from", "2021", "--json")
    assert rows == [
        {"period": "2021", "count": 0, "total": 0, "share": None},
        {"period": "2022", "count": 2, "total": 2, "share": 1.0},
        {"period": "2023", "count": 2, "total": 2, "share": 1.0},
    ]


def test_timeline_by_day_keeps_month_and_year_dates_apart(giornale: Backend) -> None:
    rows = giornale.rows(
        "timeline", "modena", "--by", "day", "--from", "2022-12-29", "--to", "2023-01-02", "--json"
    )
    assert rows == [
        {"period": "2022-12-29", "count": 0, "total": 0, "share": None},
        {"period": "2022-12-30", "count": 1, "total": 1, "share": 1.0},
        {"period": "2022-12-31", "count": 0, "total": 0, "share": None},
        {"period": "2023-01-01", "count": 0, "total": 0, "share": None},
        {"period": "2023-01-02", "count": 0, "total": 0, "share": None},
        {"period": "2022-12", "count": 1, "total": 1, "share": 1.0, "coarser": True},
        {"period": "2023", "count": 1, "total": 1, "share": 1.0, "coarser": True},
    ]


def test_timeline_without_a_query_counts_every_dated_article(giornale: Backend) -> None:
    rows = giornale.rows("timeline", "--by", "year", "--json")
    assert rows == [
        {"period": "2022", "count": 2, "total": 2, "share": 1.0},
        {"period": "2023", "count": 2, "total": 2, "share": 1.0},
    ]
    result = giornale.run("timeline", "--by", "year")
    assert result.exit_code == 0, result.output
    # a count per period, no "n/total" that would repeat it
    assert result.stdout.splitlines()[0] == "4 dated articles, by year"
    assert result.stdout.splitlines()[-1].endswith(" 2")
    assert "/" not in result.stdout


def test_timeline_normalized_needs_a_query(giornale: Backend) -> None:
    result = giornale.run("timeline", "--normalize")
    assert result.exit_code == 2
    assert "give a QUERY" in result.stderr
    assert "Traceback" not in result.output


def test_timeline_of_no_match_is_empty(giornale: Backend) -> None:
    result = giornale.run("timeline", "pinguino", "--json")
    assert (result.exit_code, result.stdout) == (0, "")


@pytest.fixture
def vendemmia(backend: Backend, tmp_path: Path) -> Backend:
    """Six wine articles and six football articles."""
    folder = tmp_path / "mix"
    for n in range(6):
        write(
            folder,
            f"vino{n}.txt",
            "La vendemmia in collina: uva, cantine e vino nuovo. "
            f"Le cantine aprono per la vendemmia numero {n}.\n",
        )
        write(
            folder,
            f"calcio{n}.txt",
            "Il derby allo stadio: gol, rigore e tifosi. "
            f"La squadra ha vinto il derby numero {n}.\n",
        )
    assert backend.ingest(folder)["added"] == 12
    return backend


def test_terms_are_the_words_of_the_matches(vendemmia: Backend) -> None:
    rows = vendemmia.rows("terms", "vendemmia", "--json")
    assert list(rows[0]) == ["term", "stem", "score", "count"]
    # "cantine" is twice in each of the six matches; then the wine words, once each.
    assert rows[0] == {"term": "cantine", "stem": "cantin", "score": 28.65, "count": 12}
    assert {(r["term"], r["count"]) for r in rows[1:6]} == {
        ("aprono", 6),
        ("collina", 6),
        ("nuovo", 6),
        ("uva", 6),
        ("vino", 6),
    }
    # "numero" is in every article, matching or not: it comes last.
    assert rows[-1]["term"] == "numero"
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)


def test_terms_leave_out_the_query_and_the_other_articles(vendemmia: Backend) -> None:
    terms = {r["term"] for r in vendemmia.rows("terms", "vendemmia", "--json")}
    assert "vendemmia" not in terms
    assert not terms & {"derby", "stadio", "gol", "rigore", "tifosi", "squadra"}
    # Function words are no answer either.
    assert not terms & {"la", "le", "in", "per", "e"}


def test_terms_limit(vendemmia: Backend) -> None:
    rows = vendemmia.rows("terms", "derby", "--limit", "2", "--json")
    assert len(rows) == 2
    assert "derby" not in {r["term"] for r in rows}


def test_cites_counts_articles_per_outlet(seeded: Backend) -> None:
    assert seeded.rows("cites", "--json") == [
        {"cited": "Global Times", "count": 2},
        {"cited": "Bloomberg", "count": 1},
        {"cited": "China Daily", "count": 1},
        {"cited": "Reuters", "count": 1},
        {"cited": "Ria Novosti", "count": 1},
        {"cited": "Tass", "count": 1},
        {"cited": "Xinhua", "count": 1},
    ]


def test_cites_of_a_query_count_only_its_matches(seeded: Backend) -> None:
    assert seeded.rows("cites", "kherson", "--json") == [{"cited": "Ria Novosti", "count": 1}]
    assert seeded.rows("cites", "pinguino", "--json") == []


def test_search_cites_names_the_articles(seeded: Backend) -> None:
    assert seeded.ids("search", "cooperazione", "--cites", "tass", "--json") == [
        "001_45b8b365ec0a4f9a"
    ]
    assert sorted(seeded.ids("search", "cina", "--cites", "Global Times", "--json")) == [
        "001_45b8b365ec0a4f9a",
        "003_569862a446dd5049",
    ]
