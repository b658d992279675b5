"""What a new user types first: global options anywhere, usage lines, the missing index."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Run, json_lines

from corpus_cli.cli import cli
from corpus_cli.cli.app import globals_first


@pytest.mark.parametrize(
    ("args", "moved"),
    [
        (["search", "rapina", "--index", "DIR"], ["--index", "DIR", "search", "rapina"]),
        (["search", "rapina", "--index=DIR"], ["--index=DIR", "search", "rapina"]),
        (
            ["search", "--no-color", "rapina", "--debug"],
            ["--no-color", "--debug", "search", "rapina"],
        ),
        (["--index", "A", "list"], ["--index", "A", "list"]),
        # After "--" everything is the query's, even what looks like an option.
        (["search", "--", "--index"], ["search", "--", "--index"]),
        (["watch", "run", "--index", "B"], ["--index", "B", "watch", "run"]),
    ],
)
def test_globals_first(args: list[str], moved: list[str]) -> None:
    assert globals_first(args) == moved


def test_index_after_the_command(seeded: Run, index_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["search", "kherson", "--index", str(index_dir), "--json"])
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in json_lines(result)] == ["004_007f43612da33d40"]


def test_no_color_after_the_command(seeded: Run) -> None:
    # FORCE_COLOR: Rich colours as on a terminal, unless --no-color says otherwise.
    env = {"COLUMNS": "80", "FORCE_COLOR": "1"}
    coloured = seeded("search", "kherson", "--no-pager", env=env)
    highlight = "\x1b[1;30;43m"  # bold black on yellow: a colour, which --no-color drops
    assert highlight in coloured.stdout
    result = seeded("search", "kherson", "--no-color", "--no-pager", env=env)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("1 article matches \x1b[1mkherson\x1b[0m\n")
    assert highlight not in result.stdout


def test_index_with_no_value_says_what_it_needs() -> None:
    result = CliRunner().invoke(cli, ["search", "rapina", "--index"])
    assert (result.exit_code, result.stderr) == (
        2,
        "corpus: --index needs a value: --index FOLDER|URI.\n",
    )


def test_corpus_alone_prints_the_help_not_an_error_line() -> None:
    result = CliRunner().invoke(cli, [], prog_name="corpus")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Usage: corpus [OPTIONS] COMMAND [ARGS]...\n\n  Search news")
    assert result.stderr.endswith(
        "watch     Saved queries that show what is new since their last run.\n"
    )
    assert "corpus:" not in result.stderr and "Try 'corpus --help'" not in result.stderr


def test_a_usage_error_ends_its_sentence_before_the_hint() -> None:
    result = CliRunner().invoke(cli, ["show", "a", "b"], prog_name="corpus")
    assert (result.exit_code, result.stderr) == (
        2,
        "corpus: Got unexpected extra argument (b). Try 'corpus show --help'.\n",
    )


def test_words_typed_without_quotes_are_one_query(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Rapina in farmacia\nI ladri sono fuggiti a piedi.\n", "utf-8")
    (inbox / "b.txt").write_text("Rapina in banca\nIl cassiere ha dato l'allarme.\n", "utf-8")
    index = str(tmp_path / "index")
    assert CliRunner().invoke(cli, ["--index", index, "ingest", str(inbox)]).exit_code == 0
    counts = [
        CliRunner().invoke(cli, ["--index", index, "search", *words, "--count"]).stdout
        for words in (
            ["rapina", "farmacia"],
            ["rapina farmacia"],
            ["-farmacia", "rapina"],
            ["rapina"],
        )
    ]
    assert counts == ["1\n", "1\n", "1\n", "2\n"]
    # -n is --limit, not an excluded word "n" and a query word "1"
    short = CliRunner().invoke(cli, ["--index", index, "search", "rapina", "-n", "1", "--json"])
    assert (short.exit_code, len(short.stdout.splitlines())) == (0, 1)


def test_no_index_names_a_path_that_reads_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CORPUS_INDEX", raising=False)
    result = CliRunner().invoke(cli, ["list"])
    assert (result.exit_code, result.stderr) == (
        1,
        "corpus: No index at ./index. Run 'corpus ingest PATH' first to build one, "
        "or name another with --index FOLDER.\n",
    )


def test_ingest_help_names_every_extension() -> None:
    from corpus_cli.readers.dispatch import READERS_BY_SUFFIX

    text = " ".join(CliRunner().invoke(cli, ["ingest", "--help"]).stdout.split())
    assert (
        "Reads .txt/.text, .md/.markdown, .html/.htm (one article a file) and .jsonl, .ndjson, "
        ".csv, .tsv, .json (any number), also compressed (.gz, .bz2, .xz, .zst: a.jsonl.gz)."
    ) in text
    for suffix in READERS_BY_SUFFIX:
        assert suffix in text
