"""similar, dups, cites, search --cites and watch, as a user types them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEDS, Run, article, ids, json_lines, write

STORY = (SEEDS / "000_3aa3d3d712357d35.txt").read_text(encoding="utf-8").split(None, 2)[2]


def edited(text: str, position: int, word: str) -> str:
    words = text.split()
    words[position] = word
    return " ".join(words)


@pytest.fixture
def agency(run: Run, tmp_path: Path) -> Run:
    """One agency story in three outlets (two lightly edited), plus the other seeds."""
    folder = tmp_path / "stampa"
    write(folder, "a.txt", article("orig", STORY, date="2022-12-21", source="Uno"))
    write(folder, "b.txt", article("copy", edited(STORY, 40, "alleata"), date="2022-12-19"))
    write(folder, "c.txt", article("late", edited(STORY, 90, "davvero"), date="2022-12-30"))
    for seed in sorted(SEEDS.glob("00[1-4]*.txt")):
        write(folder, seed.name, seed.read_text(encoding="utf-8"))
    assert run("ingest", str(folder)).exit_code == 0
    return run


def test_dups_clusters_the_copies_earliest_first(agency: Run) -> None:
    [row] = json_lines(agency("dups", "--json"))
    assert row["cluster"] == 1
    assert row["ids"] == ["copy", "orig", "late"]
    assert 0.8 <= row["similarity"] <= 1.0
    human = agency("dups").stdout
    assert human.startswith("1 cluster of near-duplicates")
    assert "3 articles, similarity ≥ 0." in human


def test_similar_ranks_an_edited_copy_first(agency: Run) -> None:
    rows = json_lines(agency("similar", "orig", "--limit", "3", "--json"))
    assert {r["id"] for r in rows[:2]} == {"copy", "late"}
    assert "orig" not in [r["id"] for r in rows]
    assert all(r["score"] > 0 for r in rows)
    assert agency("similar", "nope").exit_code == 1


def test_cites_counts_articles_and_search_filters_on_them(agency: Run) -> None:
    rows = json_lines(agency("cites", "--json"))
    counts = {r["cited"]: r["count"] for r in rows}
    # Seed 001 names Global Times, Tass and Xinhua; 003 Bloomberg, China Daily,
    # Global Times and Reuters; 004 Ria Novosti.
    assert counts["Global Times"] == 2
    assert counts["Tass"] == 1
    assert counts["Ria Novosti"] == 1
    assert ids(agency("search", "cooperazione", "--cites", "tass", "--json")) == [
        "001_45b8b365ec0a4f9a"
    ]
    bad = agency("search", "cooperazione", "--cites", "Pravda del Nord")
    assert bad.exit_code == 2
    assert "is not among the agencies" in bad.stderr


def test_watch_shows_only_what_is_new(agency: Run, tmp_path: Path) -> None:
    assert agency("watch", "add", "kherson", "Kherson").exit_code == 0
    first = json_lines(agency("watch", "run", "--json"))
    assert [(r["id"], r["watch"]) for r in first] == [("004_007f43612da33d40", "kherson")]
    assert json_lines(agency("watch", "run", "--json")) == []
    write(tmp_path / "nuovi", "k.txt", "date: 2023-01-02\n\nA Kherson nuovi bombardamenti.\n")
    agency("ingest", str(tmp_path / "nuovi"))
    assert ids(agency("watch", "run", "kherson", "--json")) == ["k"]
    listed = json_lines(agency("watch", "list", "--json"))
    assert [(w["name"], w["query"], w["seen"]) for w in listed] == [("kherson", "Kherson", 2)]
    assert "watch kherson: 0 new of 2 matching Kherson" in agency("watch", "run").stdout
    assert agency("watch", "rm", "kherson").exit_code == 0
    assert agency("watch", "run", "kherson").exit_code == 1
    assert agency("watch", "add", "bad name!", "x").exit_code == 2
