"""similar, dups and watch: articles related to an article, to each other, to a query."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import SEED_IDS, SEEDS, Backend, article, write

#: The text of seed 000 without its " date 2022-12" marker: one agency story.
STORY = (SEEDS / "000_3aa3d3d712357d35.txt").read_text(encoding="utf-8").split(None, 2)[2]


def edited(text: str, position: int, word: str) -> str:
    words = text.split()
    words[position] = word
    return " ".join(words)


@pytest.fixture
def agency(backend: Backend, tmp_path: Path) -> Backend:
    """One agency story in three outlets (two lightly edited), plus seeds 001 to 004."""
    folder = tmp_path / "stampa"
    write(folder, "a.txt", article(STORY, id="orig", date="2022-12-21", source="Uno"))
    write(folder, "b.txt", article(edited(STORY, 40, "alleata"), id="copy", date="2022-12-19"))
    write(folder, "c.txt", article(edited(STORY, 90, "davvero"), id="late", date="2022-12-30"))
    for seed in sorted(SEEDS.glob("00[1-4]*.txt")):
        write(folder, seed.name, seed.read_text(encoding="utf-8"))
    assert backend.ingest(folder)["added"] == 7
    return backend


def test_similar_ranks_the_edited_copies_first_and_leaves_itself_out(agency: Backend) -> None:
    rows = agency.rows("similar", "orig", "--limit", "3", "--json")
    assert len(rows) == 3
    assert {r["id"] for r in rows[:2]} == {"copy", "late"}
    assert "orig" not in {r["id"] for r in rows}
    assert all(r["score"] > 0 for r in rows)


def test_similar_never_returns_the_article_itself(seeded: Backend) -> None:
    rows = seeded.rows("similar", SEED_IDS[3], "--limit", "10", "--json")
    assert sorted(r["id"] for r in rows) == [SEED_IDS[0], SEED_IDS[1], SEED_IDS[2], SEED_IDS[4]]


def test_similar_of_an_unknown_id_is_an_error(agency: Backend) -> None:
    result = agency.run("similar", "nope")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("corpus: ") and "'nope'" in line


def test_dups_clusters_the_near_copies_earliest_first(agency: Backend) -> None:
    [row] = agency.rows("dups", "--json")
    assert row["cluster"] == 1
    assert row["ids"] == ["copy", "orig", "late"]
    assert 0.8 <= row["similarity"] <= 1.0


def test_dups_of_distinct_articles_is_empty(seeded: Backend) -> None:
    result = seeded.run("dups", "--json")
    assert (result.exit_code, result.stdout) == (0, "")
    human = seeded.run("dups")
    assert human.stdout == "0 clusters of near-duplicates\n"


NEW_KHERSON = article("A Kherson nuovi bombardamenti nella notte.", id="k", date="2023-01-02")


def test_watch_run_shows_every_match_the_first_time(seeded: Backend) -> None:
    added = seeded.run("watch", "add", "kherson", "Kherson")
    assert added.exit_code == 0, added.output
    rows = seeded.rows("watch", "run", "--json")
    assert [(r["id"], r["watch"]) for r in rows] == [(SEED_IDS[4], "kherson")]


def test_watch_run_again_shows_only_what_is_new(seeded: Backend, tmp_path: Path) -> None:
    seeded.run("watch", "add", "kherson", "Kherson")
    assert len(seeded.rows("watch", "run", "--json")) == 1
    assert seeded.rows("watch", "run", "--json") == []
    assert seeded.run("watch", "run").stdout.startswith("watch kherson: 0 new of 1 matching")
    write(tmp_path / "nuovi", "k.txt", NEW_KHERSON)
    seeded.ingest(tmp_path / "nuovi")
    assert [(r["id"], r["watch"]) for r in seeded.rows("watch", "run", "kherson", "--json")] == [
        ("k", "kherson")
    ]
    assert seeded.rows("watch", "run", "--json") == []


def test_watch_keeps_its_filters(seeded: Backend) -> None:
    assert seeded.run("watch", "add", "recenti", "esercitazioni", "--from", "2024").exit_code == 0
    assert sorted(seeded.ids("watch", "run", "recenti", "--json")) == [SEED_IDS[1], SEED_IDS[2]]


def test_watch_list(seeded: Backend) -> None:
    assert seeded.rows("watch", "list", "--json") == []
    seeded.run("watch", "add", "kherson", "Kherson")
    seeded.run("watch", "add", "nato", "NATO", "--from", "2023", "--to", "2024-06")
    [kherson, nato] = seeded.rows("watch", "list", "--json")
    assert list(kherson) == ["name", "query", "from", "to", "source", "created", "last_run", "seen"]
    assert (kherson["name"], kherson["query"], kherson["last_run"], kherson["seen"]) == (
        "kherson",
        "Kherson",
        None,
        0,
    )
    assert (nato["from"], nato["to"], nato["source"]) == ("2023-01-01", "2024-06-30", None)
    seeded.run("watch", "run", "kherson")
    [kherson, nato] = seeded.rows("watch", "list", "--json")
    assert kherson["seen"] == 1 and kherson["last_run"] is not None
    assert nato["last_run"] is None


def test_watch_rm(seeded: Backend) -> None:
    seeded.run("watch", "add", "kherson", "Kherson")
    removed = seeded.run("watch", "rm", "kherson")
    assert removed.exit_code == 0, removed.output
    assert seeded.rows("watch", "list", "--json") == []
    assert seeded.run("watch", "run", "kherson").exit_code == 1
    assert seeded.run("watch", "rm", "kherson").exit_code == 1


@pytest.mark.parametrize(
    "args",
    [["bad name!", "Kherson"], ["w", "foo:bar"], ["w", "NOT Kherson"]],
    ids=["bad-name", "unknown-field", "no-words"],
)
def test_watch_add_refuses_bad_input(seeded: Backend, args: list[str]) -> None:
    result = seeded.run("watch", "add", *args)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("corpus: ")
    assert seeded.rows("watch", "list", "--json") == []


def test_watch_add_refuses_a_taken_name(seeded: Backend) -> None:
    seeded.run("watch", "add", "w", "Kherson")
    result = seeded.run("watch", "add", "w", "Xi")
    assert result.exit_code == 2
    assert [w["query"] for w in seeded.rows("watch", "list", "--json")] == ["Kherson"]
