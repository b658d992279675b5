"""The human output of search, list, stats, sources, timeline and ingest, pinned exactly.

Every command draws on an 80-column console (see conftest). Outputs longer than a few
lines, or with trailing spaces (Rich pads table cells), live in ``expected/NAME.txt`` so
that no editor trims them; the short ones are inline. When a change to the layout is
meant, regenerate the file with the command in its test and read the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from corpus_cli.cli import cli

from .conftest import CONSOLE, Run, expected


def assert_search(result: Result, name: str) -> None:
    """A search as ``expected/NAME.txt`` shows it on a terminal: the count line (and the
    blank line under it) on stderr, off a terminal, and the hits alone on stdout."""
    assert result.exit_code == 0
    head, blank, hits = expected(name).partition("\n\n")
    assert (result.stderr, result.stdout) == (head + blank, hits)
    assert result.output == expected(name)


def test_search_esercitazioni(seeds: Run) -> None:
    """The README's first search: four hits, seeds 003, 000, 002 and 001 in that order."""
    result = seeds("search", "esercitazioni", "--no-pager")
    assert_search(result, "search_esercitazioni")


def test_search_esercitazioni_limit_2(seeds: Run) -> None:
    result = seeds("search", "esercitazioni", "--limit", "2", "--no-pager")
    assert_search(result, "search_esercitazioni_limit_2")
    assert result.stderr.startswith(
        "4 articles match esercitazioni (showing 2; --limit for more)\n"
    )


def test_search_phrase(seeds: Run) -> None:
    result = seeds("search", '"esercitazioni congiunte"', "--no-pager")
    assert_search(result, "search_phrase")


def test_search_one_hit(seeds: Run) -> None:
    result = seeds("search", "kherson", "--no-pager")
    assert_search(result, "search_one_hit")
    assert result.stderr.startswith("1 article matches kherson\n")


def test_search_by_date_shows_undated_last(cronaca: Run) -> None:
    result = cronaca("search", "alluvione", "--sort", "date", "--no-pager")
    assert_search(result, "search_cronaca_by_date")


def test_search_with_no_hit(seeds: Run) -> None:
    result = seeds("search", "pinguino", "--no-pager")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "0 articles match pinguino\n"


def test_search_with_a_typo_suggests_on_stderr(seeds: Run) -> None:
    result = seeds("search", "esercitazoni", "--no-pager")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "0 articles match esercitazoni\nDid you mean: esercitazioni? (4 articles)\n"
    )


@pytest.mark.parametrize(
    ("corpus", "args", "name", "count"),
    [
        ("seeds", [], "list_seeds", "5 articles"),
        ("seeds", ["--from", "2024", "--to", "2024"], "list_seeds_2024", "1 article"),
        ("cronaca", [], "list_cronaca", "7 articles"),
        (
            "cronaca",
            ["--from", "2023-01-10", "--to", "2023-02"],
            "list_cronaca_range",
            "3 articles",
        ),
    ],
    ids=["seeds", "seeds-2024", "cronaca", "cronaca-range"],
)
def test_list(
    request: pytest.FixtureRequest, corpus: str, args: list[str], name: str, count: str
) -> None:
    run: Run = request.getfixturevalue(corpus)
    result = run("list", *args, "--no-pager")
    assert result.exit_code == 0
    assert result.stdout == expected(name)
    assert result.stderr == f"{count}\n"  # the count goes to stderr, the table to stdout


STATS_SEEDS = """\
5 articles
  dated from metadata  2
  dated by inference   3
  undated              0
  from 2022-12 to 2025-05-09
1 source
        5  seeds
1 language
        5  it
"""

STATS_CRONACA = """\
7 articles
  dated from metadata  6
  dated by inference   0
  undated              1
  from 2021-11-15 to 2023-03-02
4 sources
        2  ANSA
        2  Gazzetta di Modena
        2  Il Resto del Carlino
        1  cronaca
1 language
        7  it
"""


def test_stats_of_the_seeds(seeds: Run) -> None:
    result = seeds("stats")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == STATS_SEEDS


def test_stats_of_cronaca(cronaca: Run) -> None:
    result = cronaca("stats")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == STATS_CRONACA


@pytest.mark.parametrize(
    ("corpus", "args", "name"),
    [
        ("seeds", [], "sources_seeds"),
        ("cronaca", [], "sources_cronaca"),
        ("cronaca", ["alluvione"], "sources_cronaca_alluvione"),
    ],
    ids=["seeds", "cronaca", "cronaca-query"],
)
def test_sources(request: pytest.FixtureRequest, corpus: str, args: list[str], name: str) -> None:
    run: Run = request.getfixturevalue(corpus)
    result = run("sources", *args)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == expected(name)


TIMELINE_BY_YEAR = """\
5 matching articles for alluvione, by year
2021 ▃▁█ 2023
2021 █████████████ 1/1  100.0%
2022  0/0
2023 ████████████████████████████████████████████████████ 4/5  80.0%
"""


def test_timeline_by_year(cronaca: Run) -> None:
    result = cronaca("timeline", "alluvione", "--by", "year")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == TIMELINE_BY_YEAR


def test_timeline_by_month(cronaca: Run) -> None:
    result = cronaca("timeline", "alluvione", "--by", "month")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == expected("timeline_month")


INGEST = """\
1 added, 0 updated, 0 unchanged, 0 removed, 1 duplicates, 1 skipped  → index
  duplicate  inbox/b.txt  (same text as inbox/a.txt)
  skipped    inbox/empty.txt  empty file
  1 other file ignored (--verbose lists them)
"""


def test_ingest_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Relative paths, from inside tmp_path, so that the output does not name tmp_path.
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Vertice a Roma\nI ministri hanno discusso.\n", "utf-8")
    (inbox / "b.txt").write_text("Vertice a Roma\nI ministri hanno discusso.\n", "utf-8")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    monkeypatch.chdir(tmp_path)
    first = CliRunner().invoke(cli, ["--index", "index", "ingest", "inbox"], env=CONSOLE)
    assert (first.exit_code, first.stderr) == (0, "")
    assert first.stdout == INGEST
    # Again: nothing added; the copy is stored with its article, so it is unchanged too,
    # and only the file that could not be read is reported again.
    again = CliRunner().invoke(cli, ["--index", "index", "ingest", "inbox"], env=CONSOLE)
    assert (again.exit_code, again.stderr) == (0, "")
    assert again.stdout == INGEST.replace(
        "1 added, 0 updated, 0 unchanged, 0 removed, 1 duplicates",
        "0 added, 0 updated, 2 unchanged, 0 removed, 0 duplicates",
    ).replace("  duplicate  inbox/b.txt  (same text as inbox/a.txt)\n", "")


# -- other widths: ids and dates are never cut -------------------------------------------


@pytest.mark.parametrize("columns", ["60", "120"])
@pytest.mark.parametrize(
    ("corpus", "args", "name"),
    [
        ("seeds", ["list", "--no-pager"], "list_seeds"),
        ("cronaca", ["list", "--no-pager"], "list_cronaca"),
        (
            "seeds",
            ["search", "esercitazioni", "--limit", "2", "--no-pager"],
            "search_esercitazioni_limit_2",
        ),
        ("cronaca", ["sources", "alluvione"], "sources_cronaca_alluvione"),
    ],
    ids=["list-seeds", "list-cronaca", "search", "sources"],
)
def test_at_other_widths(
    request: pytest.FixtureRequest, corpus: str, args: list[str], name: str, columns: str
) -> None:
    """At 60 columns the titles and sources give way, at 120 they take the room."""
    run: Run = request.getfixturevalue(corpus)
    result = run(*args, env={"COLUMNS": columns})
    if args[0] == "search":
        assert_search(result, f"{name}_{columns}")
    else:
        assert (result.exit_code, result.stdout) == (0, expected(f"{name}_{columns}"))


#: Ids as long as some feeds make them: wider than a 60-column row can give them.
LONG_IDS = "".join(
    json.dumps(
        {"id": id_, "title": title, "date": date, "source": "Gazzetta di Modena", "text": text}
    )
    + "\n"
    for id_, title, date, text in [
        (
            "gazzetta-di-modena-2021-11-15-alluvione-nella-bassa",
            "Alluvione nella bassa modenese",
            "2021-11-15",
            "L’alluvione ha allagato i campi tra Finale Emilia e Camposanto.",
        ),
        (
            "gazzetta-di-modena-2023-01-05-il-secchia-esce-dagli-argini",
            "Il Secchia esce dagli argini",
            "2023-01-05",
            "Alluvione a Modena: il fiume Secchia in piena allaga la frazione di Navicello.",
        ),
    ]
)


@pytest.mark.parametrize("columns", ["60", "120"])
def test_long_ids_at_60_columns_go_one_field_a_line(tmp_path: Path, columns: str) -> None:
    """Too narrow for a row, each article is drawn one field a line, its id whole."""
    feed = tmp_path / "feed.jsonl"
    feed.write_text(LONG_IDS, encoding="utf-8")
    index = str(tmp_path / "index")
    env = {**CONSOLE, "COLUMNS": columns}
    ingested = CliRunner().invoke(cli, ["--index", index, "ingest", str(feed)], env=env)
    assert ingested.exit_code == 0
    result = CliRunner().invoke(cli, ["--index", index, "list", "--no-pager"], env=env)
    assert (result.exit_code, result.stderr) == (0, "2 articles\n")
    assert result.stdout == expected(f"list_long_ids_{columns}")
    found = CliRunner().invoke(cli, ["--index", index, "search", "secchia", "--no-pager"], env=env)
    assert_search(found, f"search_long_ids_{columns}")


def test_kwic_keeps_the_source_apart_from_the_context(cronaca: Run) -> None:
    """Two spaces after the source, and "…" where a context was cut mid-word."""
    result = cronaca("search", "alluvione", "--kwic", "--sort", "date", "--no-pager")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == expected("kwic_cronaca")
    assert "2023        ANSA                …nnuale conta le alluvioni" in result.stdout


def test_ingest_names_hidden_entries_under_verbose(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hidden files and folders are left out, and said to be: counted, or listed with -v."""
    inbox = tmp_path / "inbox"
    (inbox / ".bozze").mkdir(parents=True)
    (inbox / ".bozze" / "draft.txt").write_text("Una bozza mai pubblicata.\n", "utf-8")
    (inbox / ".DS_Store").write_bytes(b"\x00\x00")
    (inbox / "a.txt").write_text("Vertice a Roma\nI ministri hanno discusso.\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    first = CliRunner().invoke(cli, ["--index", "index", "ingest", "inbox"], env=CONSOLE)
    assert (first.exit_code, first.stderr) == (0, "")
    assert first.stdout == (
        "1 added, 0 updated, 0 unchanged, 0 removed, 0 duplicates, 0 skipped  → index\n"
        "  2 hidden entries left out (--verbose lists them)\n"
    )
    again = CliRunner().invoke(cli, ["--index", "index", "ingest", "-v", "inbox"], env=CONSOLE)
    assert (again.exit_code, again.stderr) == (0, "")
    assert again.stdout == (
        "0 added, 0 updated, 1 unchanged, 0 removed, 0 duplicates, 0 skipped  → index\n"
        "  hidden     inbox/.DS_Store  (a name starting with '.', not read)\n"
        "  hidden     inbox/.bozze  (a name starting with '.', not read)\n"
    )


@pytest.mark.parametrize(
    ("args", "printed"),
    [
        (["terms", "zanzibar"], "0 articles match zanzibar\n"),
        (["sources", "zanzibar"], "0 articles match zanzibar\n"),
        (["sources", "--from", "2030"], "0 articles\n"),
    ],
    ids=["terms", "sources", "sources-range"],
)
def test_nothing_found_is_a_sentence_not_a_bare_header(
    cronaca: Run, args: list[str], printed: str
) -> None:
    result = cronaca(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (0, printed, "")


def test_terms_counts_occurrences(cronaca: Run) -> None:
    """The count is how often the stem occurs in the matches ("anno per anno": 2); with
    light stems allagato and allaga are two words, each once, and stand out no more."""
    result = cronaca("terms", "alluvione", "--limit", "3")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == ("term  score  occurrences  stem\nanno    2.6            2  anno\n")


def test_terms_of_matches_where_no_word_stands_out(cronaca: Run) -> None:
    result = cronaca("terms", "concerto")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "No word stands out in the 1 article that matches concerto\n"


def test_one_derived_title_everywhere(seeds: Run) -> None:
    """Seed 001 has no title: every mode shows the same first words, marked ≈."""
    seed = "001_45b8b365ec0a4f9a"
    derived = "Espandere la cooperazione e promuovere i legami militari ad un…"
    rows = {r["id"]: r for r in map(json.loads, seeds("list", "--json").stdout.splitlines())}
    assert (rows[seed]["title"], rows[seed]["derived_title"]) == (None, derived)
    no_color = {"NO_COLOR": "1"}
    shown = seeds("show", seed, env=no_color).stdout
    assert shown.startswith(f"≈ {derived}\n2024-01 · seeds · {seed}\n")
    found = seeds("search", "espandere", "--no-pager", env=no_color).stdout
    assert found.startswith(f" 1. ≈ {derived}\n")
    listed = seeds("list", "--no-pager", env={"COLUMNS": "120", **no_color}).stdout
    assert f"2024-01      seeds   ≈ {derived}" in listed
    exported = seeds("list", "--format", "csv").stdout.splitlines()
    assert exported[0].startswith("id,path,title,derived_title,date,")
    [line] = [line for line in exported if line.startswith(f"{seed},")]
    # ... then an empty url and an empty copies cell.
    assert line.endswith(f"/{seed}.txt,,{derived},2024-01,month,false, date 2024-01,seeds,,it,")


def test_the_ingest_summary_is_one_line_whatever_the_index_path(tmp_path: Path) -> None:
    """Piped or in a narrow terminal, the summary stays one line for whoever parses it."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Vertice a Roma\nI ministri hanno discusso.\n", "utf-8")
    index = tmp_path / ("a-long-folder-name-for-the-index-of-the-newsroom" * 2)
    result = CliRunner().invoke(cli, ["--index", str(index), "ingest", str(inbox)], env=CONSOLE)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        f"1 added, 0 updated, 0 unchanged, 0 removed, 0 duplicates, 0 skipped  → {index}\n"
    )
