"""list, show, stats and sources: what the index holds, by date and by source."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import SEED_IDS, Backend

SGR = re.compile(r"\x1b\[[0-9;]*m")


def test_list_is_oldest_first_with_undated_last(giornale: Backend) -> None:
    rows = giornale.rows("list", "--json")
    assert [(r["id"], r["date"]) for r in rows] == [
        ("a", "2022-12"),
        ("b", "2022-12-30"),
        ("c", "2023"),
        ("d", "2023-04-19"),
        ("e", None),
    ]


def test_list_newest_first_keeps_undated_last(giornale: Backend) -> None:
    assert giornale.ids("list", "--sort", "-date", "--json") == ["d", "c", "b", "a", "e"]


def test_list_of_the_seeds(seeded: Backend) -> None:
    rows = seeded.rows("list", "--json")
    assert [(r["id"], r["date"], r["date_precision"], r["date_inferred"]) for r in rows] == [
        (SEED_IDS[0], "2022-12", "month", False),
        (SEED_IDS[4], "2022-12-30", "day", True),
        (SEED_IDS[3], "2023-04-19", "day", True),
        (SEED_IDS[1], "2024-01", "month", False),
        (SEED_IDS[2], "2025-05-09", "day", True),
    ]
    assert rows[1]["date_evidence"] == "ieri, giovedì 29 dicembre"


def test_a_range_leaves_undated_articles_out(giornale: Backend) -> None:
    assert giornale.ids("list", "--from", "1900", "--json") == ["a", "b", "c", "d"]
    assert giornale.ids("list", "--from", "2022-12-15", "--to", "2022-12-20", "--json") == ["a"]
    assert giornale.ids("list", "--from", "2023-05", "--json") == ["c"]


def test_list_by_source(giornale: Backend) -> None:
    assert giornale.ids("list", "--source", "GAZZETTA", "--json") == ["a", "b"]


def test_list_counts_on_stderr(giornale: Backend) -> None:
    result = giornale.run("list", "--from", "2023")
    assert result.exit_code == 0
    assert result.stderr == "2 articles\n"
    assert "Cronaca locale" in result.stdout and "Sport e citta" in result.stdout


def test_show_gives_the_whole_article(giornale: Backend, giornale_folder: Path) -> None:
    [row] = giornale.rows("show", "c", "--json")
    assert row == {
        "id": "c",
        "path": str(giornale_folder / "c.txt"),
        "title": "Cronaca locale",
        "derived_title": None,
        "date": "2023",
        "date_precision": "year",
        "date_inferred": False,
        "date_evidence": "2023",
        "source": "Carlino",
        "url": None,
        "language": "it",
        "copies": [],
        "text": "A Modena lo stato ha chiesto di fermare l’emergenza idrica.",
        "extra": {},
    }


def test_show_prints_title_date_source_and_text(giornale: Backend) -> None:
    result = giornale.run("show", "d")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == ["Sport e citta", "2023-04-19 · Carlino · d"]
    assert lines[-1] == "Perche il derby di Modena è finito in parità."


def test_show_with_a_query_highlights_its_matches(giornale: Backend) -> None:
    result = giornale.run("show", "a", "--query", "esercito", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0
    body = result.stdout.splitlines()[-1]
    assert SGR.sub("", body) == "A Modena l’esercito ha dichiarato lo stato di emergenza."
    # Only the match is styled on the body line.
    assert re.findall(r"\x1b\[[0-9;]+m([^\x1b]+)\x1b\[0m", body) == ["esercito"]


def test_show_of_an_unknown_id_is_an_error(giornale: Backend) -> None:
    result = giornale.run("show", "zzz")
    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("corpus: ") and "'zzz'" in line


def test_stats(giornale: Backend) -> None:
    [stats] = giornale.rows("stats", "--json")
    assert {k: stats[k] for k in ("articles", "undated", "first_date", "last_date", "sources")} == {
        "articles": 5,
        "undated": 1,
        "first_date": "2022-12",
        "last_date": "2023-04-19",
        "sources": {"Carlino": 3, "Gazzetta": 2},
    }


def test_stats_of_the_seeds(seeded: Backend) -> None:
    assert seeded.rows("stats", "--json") == [
        {
            "articles": 5,
            "undated": 0,
            "dated_by_metadata": 2,
            "dated_by_inference": 3,
            "first_date": "2022-12",
            "last_date": "2025-05-09",
            "sources": {"seeds": 5},
            "languages": {"it": 5},
        }
    ]


def test_sources_count_and_span(giornale: Backend) -> None:
    assert giornale.rows("sources", "--json") == [
        {"source": "Carlino", "count": 3, "first_date": "2023", "last_date": "2023-04-19"},
        {"source": "Gazzetta", "count": 2, "first_date": "2022-12", "last_date": "2022-12-30"},
    ]


def test_sources_of_a_query_give_count_total_and_share(giornale: Backend) -> None:
    # The matches' own dates: Carlino's one match, e, is undated.
    assert giornale.rows("sources", "esercitazione", "--json") == [
        {
            "source": "Carlino",
            "count": 1,
            "first_date": None,
            "last_date": None,
            "total": 3,
            "share": 0.3333,
        },
        {
            "source": "Gazzetta",
            "count": 1,
            "first_date": "2022-12-30",
            "last_date": "2022-12-30",
            "total": 2,
            "share": 0.5,
        },
    ]


def test_sources_take_the_filters(giornale: Backend) -> None:
    assert giornale.rows("sources", "--from", "2023", "--json") == [
        {"source": "Carlino", "count": 2, "first_date": "2023", "last_date": "2023-04-19"},
    ]
