"""Questions around a query: timeline, sources, terms, concordance, explain, export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import Run, json_lines, write

#: The first concordance line of "alluvione" in ``months``, by date.
FIRST_OCCURRENCE = {
    "id": "a",
    "date": "2023-01-05",
    "source": "Gazzetta",
    "left": "",
    "match": "Alluvione",
    "right": " a Modena, fiume in piena.",
}


@pytest.fixture
def months(run: Run, tmp_path: Path) -> Run:
    """Floods in January and March, none in February; one article dated to a month."""
    folder = tmp_path / "cronaca"
    write(
        folder,
        "a.txt",
        "date: 2023-01-05\nsource: Gazzetta\n\nAlluvione a Modena, fiume in piena.\n",
    )
    write(folder, "b.txt", "date: 2023-01-20\nsource: Gazzetta\n\nNuova alluvione sul Secchia.\n")
    write(folder, "c.txt", "date: 2023-01-21\nsource: Carlino\n\nConcerto in piazza Grande.\n")
    write(folder, "d.txt", "date: 2023-02-10\nsource: Carlino\n\nMercato del sabato, prezzi.\n")
    write(folder, "e.txt", "date: 2023-03-02\nsource: Carlino\n\nAlluvione, i danni stimati.\n")
    write(folder, "f.txt", "date: 2023-03\nsource: Gazzetta\n\nBilancio dell'alluvione di marzo.\n")
    write(folder, "g.txt", "Alluvione senza data alcuna.\n")
    assert run("ingest", str(folder)).exit_code == 0
    return run


def test_timeline_by_month_counts_every_month(months: Run) -> None:
    rows = json_lines(months("timeline", "alluvione", "--json"))
    assert rows == [
        {"period": "2023-01", "count": 2, "total": 3, "share": 0.6667},
        {"period": "2023-02", "count": 0, "total": 1, "share": 0.0},
        {"period": "2023-03", "count": 2, "total": 2, "share": 1.0},
    ]


def test_timeline_by_day_keeps_month_dates_apart(months: Run) -> None:
    rows = json_lines(months("timeline", "alluvione", "--by", "day", "--json"))
    regular = [r for r in rows if "coarser" not in r]
    assert regular[0] == {"period": "2023-01-05", "count": 1, "total": 1, "share": 1.0}
    assert regular[-1] == {"period": "2023-03-02", "count": 1, "total": 1, "share": 1.0}
    assert len(regular) == 57  # 5 January to 2 March, every day, zeros included
    assert sum(r["count"] for r in regular) == 3
    assert rows[-1] == {"period": "2023-03", "count": 1, "total": 1, "share": 1.0, "coarser": True}


def test_timeline_human_output_has_bars(months: Run) -> None:
    out = months("timeline", "alluvione", "--normalize").stdout
    assert out.splitlines()[0] == (
        "4 matching articles for alluvione, by month (share of all articles)"
    )
    assert "2023-02  0/1  0.0%" in out
    assert "█" in out


def test_timeline_range_fills_empty_periods(months: Run) -> None:
    rows = json_lines(
        months("timeline", "alluvione", "--by", "year", "--from", "2021", "--to", "2023", "--json")
    )
    assert [(r["period"], r["count"]) for r in rows] == [("2021", 0), ("2022", 0), ("2023", 4)]


def test_sources_for_a_query_give_shares(months: Run) -> None:
    rows = json_lines(months("sources", "alluvione", "--json"))
    assert rows == [
        {
            "source": "Gazzetta",
            "count": 3,
            "first_date": "2023-01-05",
            "last_date": "2023-03",
            "total": 3,
            "share": 1.0,
        },
        {
            "source": "Carlino",
            "count": 1,
            "first_date": "2023-03-02",
            "last_date": "2023-03-02",
            "total": 3,
            "share": 0.3333,
        },
        {
            "source": "cronaca",
            "count": 1,
            "first_date": None,
            "last_date": None,
            "total": 1,
            "share": 1.0,
        },
    ]


def test_terms_find_the_topic_words(run: Run, tmp_path: Path) -> None:
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
    run("ingest", str(folder))
    rows = json_lines(run("terms", "vendemmia", "--json"))
    # The wine words, "cantine" (twice per article) first; no football, no query word,
    # no function words; "numero" is in every article, so it barely scores.
    assert rows[0] == {"term": "cantine", "stem": "cantin", "score": 28.65, "count": 12}
    assert {r["term"] for r in rows[1:6]} == {"aprono", "collina", "nuovo", "uva", "vino"}
    assert [r["term"] for r in rows[6:]] == ["numero"]


def test_kwic_one_row_per_occurrence(months: Run) -> None:
    rows = json_lines(months("search", "alluvione", "--kwic", "--sort", "date", "--json"))
    assert rows[0] == FIRST_OCCURRENCE
    assert len(rows) == 5
    human = months("search", "alluvione", "--kwic", "--sort", "date").stdout
    first = human.splitlines()[0]
    assert first.startswith("2023-01-05  Gazzetta") and "Alluvione a Modena" in first


def test_explain_and_did_you_mean(months: Run) -> None:
    out = months("search", "--explain", '"fiume in piena" alluvioni').stdout
    assert "word      alluvioni  → folded alluvioni, stem alluvion" in out
    assert "phrase    fiume in piena  (stems, side by side)" in out
    assert "matches   1" in out
    missed = months("search", "alluvoine")
    assert missed.exit_code == 0
    assert "0 articles match alluvoine" in missed.stderr  # the count, off a terminal
    assert "Did you mean: alluvione?" in missed.stderr


def test_csv_export_round_trips(months: Run) -> None:
    out = months("list", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["a", "b", "c", "d", "f", "e", "g"]  # 2023-03 starts first
    assert rows[0]["source"] == "Gazzetta" and rows[0]["date"] == "2023-01-05"
    assert rows[0]["date_inferred"] == "false"
    assert rows[-1]["date"] == ""
    found = list(
        csv.DictReader(io.StringIO(months("search", "alluvione", "--format", "csv").stdout))
    )
    assert {r["id"] for r in found} == {"a", "b", "e", "f", "g"}
    assert all(r["snippet"] and float(r["score"]) > 0 for r in found)


def test_timeline_to_a_far_year_stops_at_today(months: Run) -> None:
    import datetime

    rows = json_lines(months("timeline", "alluvione", "--by", "year", "--to", "9999", "--json"))
    assert rows[0] == {"period": "2023", "count": 4, "total": 6, "share": 0.6667}
    assert rows[-1]["period"] == str(datetime.date.today().year)


def test_kwic_as_csv(months: Run) -> None:
    out = months("search", "alluvione", "--kwic", "--sort", "date", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0] == FIRST_OCCURRENCE
