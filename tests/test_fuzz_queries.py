"""Fuzzed query strings: the parser returns a Query or one QuerySyntaxError, quickly,
and ``corpus search QUERY`` (and the other commands that read one) exits 0 or 2 (with
one ``corpus: ...`` line), never a traceback nor an "unexpected error", on Whoosh and
on PostgreSQL.

Queries are built from the language's own pieces (AND/OR/NOT/ANDNOT/ANDMAYBE and their
lower-case look-alikes, ``-``/``+``/``|``, quotes, brackets balanced or not, the four
fields with good and bad values, ``~N``, ``^boost``, ``*``/``?``), the index's own words
(so that searches hit, and snippets and highlighting run), other scripts, emoji,
control bytes, NUL, very long words and whitespace runs, glued or spaced at random.

Budgets and seed come from ``tests/fuzzing.py``: derandomized with a modest number of
examples in the gate; ``HYPOTHESIS_PROFILE=long pytest tests/test_fuzz_*.py`` runs 20x
as many, with a fresh seed.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pg_server
import pytest
from click.testing import CliRunner, Result
from fuzzing import examples
from hypothesis import currently_in_test_context, event, given
from hypothesis import strategies as st
from pg_server import PostgresServer

from corpus_cli.cli import cli
from corpus_cli.errors import QuerySyntaxError
from corpus_cli.query import Query, parse

#: Generous: a query is at most 1,000 characters and parses in milliseconds; this
#: catches a regex or a pass that goes quadratic (or worse), not a busy machine.
PARSE_SECONDS = 2.0

ARTICLES = {
    "a.txt": "title: Esercitazioni navali\nsource: Gazzetta di Modena\ndate: 2022-12-30\n\n"
    "Le esercitazioni navali congiunte nel Mar Baltico, secondo la Tass. L’esercito è pronto.\n",
    "b.txt": "title: Furto in città\nsource: Carlino\ndate: 2023-04\n\n"
    "Un furto aggravato a Modena: i ladri hanno rubato un’auto. Perché? Nessuno lo sa.\n",
    "c.txt": "title: Москва и Пекин\nsource: ТАСС\n\n"
    "Москва, 21 декабря 2022 года. Путин встретился с Си Цзиньпином. 北京 東京 🚀\n",
}
WORDS = [
    "esercitazioni",
    "esercitazione",
    "navali",
    "congiunte",
    "Mar",
    "Baltico",
    "Tass",
    "esercito",
    "l’esercito",
    "furto",
    "aggravato",
    "Modena",
    "ladri",
    "rubato",
    "auto",
    "città",
    "citta",
    "perché",
    "Москва",
    "Путин",
    "北京",
    "🚀",
]

OPERATORS = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "and", "or", "not", "TO", "REQUIRE"]
PUNCTUATION = ["-", "+", "|", "(", ")", '"', "'", "~", "~2", "~0", "~99", "^", "^2", "^0.5"]
PUNCTUATION += ["^-1", "^x", "*", "?", ":", "::", "..", "\\", "[", "]", "{", "}", "/", "“", "”"]
FIELDS = ["title:", "text:", "source:", "date:", "Title:", "SOURCE:", "author:", "x:", "_:"]
DATE_VALUES = ["2020", "2020-03", "2020-03-15", "2020-03..2020-05", "..2021", "2020..", ".."]
DATE_VALUES += ["2020-13", "2021-02-30", "0000", "99999", "ieri", "2020-03..2019", "2020..2021.."]
CONTROLS = ["\x00", "\x1b", "\x07", "\x1b[31m", "\r", "\x7f", "\u200b", "\ufeff", "\u202e"]
SPACES = ["", " ", "  ", "\t", "\n", " \u00a0 ", "\u3000"]

word = st.one_of(
    st.sampled_from(WORDS),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=8),
    st.text(st.sampled_from("abcàèé*?~^"), min_size=1, max_size=12),
    st.integers(0, 3000).map(lambda n: "x" * n),  # very long words
)
token = st.one_of(
    word,
    word.map(lambda w: w + "~"),
    st.tuples(word, st.integers(0, 12)).map(lambda p: f"{p[0]}~{p[1]}"),
    st.tuples(word, st.sampled_from(["^2", "^0.1", "^100", "^"])).map("".join),
    word.map(lambda w: f'"{w}"'),
    st.lists(word, min_size=1, max_size=4).map(lambda ws: '"' + " ".join(ws) + '"~3'),
    word.map(lambda w: f"'{w}'"),
    st.sampled_from(OPERATORS),
    st.sampled_from(PUNCTUATION),
    st.tuples(st.sampled_from(FIELDS), word).map("".join),
    st.sampled_from([f"date:{value}" for value in DATE_VALUES]),
    st.sampled_from(CONTROLS),
)
#: Tokens glued to each other or separated by runs of whitespace.
queries = st.lists(st.tuples(token, st.sampled_from(SPACES)), max_size=12).map(
    lambda parts: "".join(t + s for t, s in parts)
)
#: Queries of the language's pieces, and some text that owes them nothing.
any_query = st.one_of(queries, queries, st.text(max_size=60))


@examples(2500)
@given(any_query)
def test_parse_gives_a_query_or_one_syntax_error(text: str) -> None:
    started = time.perf_counter()
    try:
        result = parse(text)
    except QuerySyntaxError as error:
        event("QuerySyntaxError")
        message = str(error)
        assert message and "\n" not in message
    else:
        event("Query")
        assert isinstance(result, Query)
    assert time.perf_counter() - started < PARSE_SECONDS


# -- through the command line ------------------------------------------------------------

#: The caller's variables that would change what the CLI does or prints, unset.
CLEAN_ENV: dict[str, str | None] = {
    name: None
    for name in ["CORPUS_INDEX", "FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"]
} | {"COLUMNS": "80", "LINES": "25"}


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    for name, content in ARTICLES.items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def _ingest(location: str, folder: Path, env: dict[str, str | None]) -> None:
    result = CliRunner().invoke(cli, ["--index", location, "ingest", str(folder)], env=env)
    assert result.exit_code == 0, result.output


#: The commands that read a QUERY, each with the options that change what it draws:
#: the Rich view (with snippets and highlighting), rows, key words in context, ...
COMMANDS = st.sampled_from(
    [
        ["search"],
        ["search"],
        ["search", "--json"],
        ["search", "--kwic"],
        ["search", "--explain"],
        ["search", "--count"],
        ["search", "--format", "csv", "--sort", "date"],
        ["search", "--source", "Gazzetta di Modena", "--from", "2022"],
        ["timeline"],
        ["terms", "--limit", "3"],
        ["sources"],
        ["cites"],
    ]
)


#: A colour code (Select Graphic Rendition), as Rich writes them.
SGR = re.compile(r"\x1b\[[0-9;]*m")


def check_search(
    location: str, query: str, env: dict[str, str | None], command: list[str] | None = None
) -> Result:
    """``corpus COMMAND QUERY`` exits 0, or 2 with one plain ``corpus: ...`` line."""
    args = ["--index", location, *(command or ["search"]), query]
    result = CliRunner().invoke(cli, args, env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code in (0, 2), (result.exit_code, result.output)
    # Shown by --hypothesis-show-statistics: how many examples searched and found.
    if currently_in_test_context():
        event(
            f"exit {result.exit_code}"
            + (", no hits" if "0 articles match" in result.output else "")
        )
    if result.exit_code == 2:
        # On a terminal the line is red: the colour codes corpus writes itself go.
        stderr = SGR.sub("", result.stderr)
        lines = stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("corpus: "), result.stderr
        # Error messages quote the query; what they quote is shown, never obeyed.
        assert not {"\x1b", "\x07"} & set(stderr)
    return result


@pytest.fixture(scope="module")
def whoosh_index(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("fuzz-queries")
    location = str(root / "index")
    _ingest(location, _corpus(root / "corpus"), CLEAN_ENV)
    return location


#: A terminal: colours, and matches highlighted in titles and snippets (no pager).
TERMINAL = {"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "0"}


@examples(350)
@given(query=any_query, command=COMMANDS, terminal=st.booleans())
def test_search_on_whoosh_exits_0_or_2(
    whoosh_index: str, query: str, command: list[str], terminal: bool
) -> None:
    if not terminal:
        check_search(whoosh_index, query, CLEAN_ENV, command)
        return
    command = [*command, "--no-pager"] if command == ["search"] else command
    result = check_search(whoosh_index, query, {**CLEAN_ENV, **TERMINAL}, command)
    if result.exit_code == 2:
        # Without its colour codes, the very line a pipe gets (which has no escape at
        # all): an escape the query carried was not let through between them.
        plain = check_search(whoosh_index, query, CLEAN_ENV, command)
        assert SGR.sub("", result.stderr) == plain.stderr


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> PostgresServer:
    # The same session-wide throwaway server as the contract suite's (tests/pg_server.py).
    return pg_server.shared(request)


@pytest.fixture(scope="module")
def postgresql_index(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[str, str | None]]]:
    env: dict[str, str | None] = {
        **CLEAN_ENV,
        **{name: None for name in os.environ if name.startswith("PG")},
        **postgres_server.env,
    }
    database = postgres_server.create_database()
    location = f"postgresql:///{database}"
    _ingest(location, _corpus(tmp_path_factory.mktemp("fuzz-queries-pg") / "corpus"), env)
    yield location, env
    postgres_server.drop_database(database)


@examples(120)
@given(query=any_query, command=COMMANDS)
def test_search_on_postgresql_exits_0_or_2(
    postgresql_index: tuple[str, dict[str, str | None]], query: str, command: list[str]
) -> None:
    location, env = postgresql_index
    check_search(location, query, env, command)


# -- regressions found by the fuzzing above -------------------------------------------

#: A NUL in a wildcard, a prefix or a source went to PostgreSQL as is, which refuses it
#: in a string ("unexpected error: ValueError: A string literal cannot contain NUL").
NUL_QUERIES = ["?\x00", "ab\x00*", "source:x\x00y", "gas\x00navi", '"a\x00b"']


@pytest.mark.parametrize("query", NUL_QUERIES)
def test_a_nul_in_a_query_reaches_no_backend(query: str) -> None:
    # repr() writes a NUL as the four characters \x00, anywhere in the tree.
    assert "\\x00" not in repr(parse(query))


@pytest.mark.parametrize("query", NUL_QUERIES)
def test_a_nul_in_a_query_is_no_crash_on_postgresql(
    postgresql_index: tuple[str, dict[str, str | None]], query: str
) -> None:
    location, env = postgresql_index
    check_search(location, query, env)
