"""What only the PostgreSQL backend has: a server to reach, roles, and several writers.

The behaviour every backend shares is tests/contract/; these tests run against the
session's throwaway server (tests/pg_server.py) and skip where none is installed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pg_server
import pytest
from click.testing import CliRunner, Result
from pg_server import PASSWORD, PASSWORD_ROLE, PostgresServer, one_line_error

from corpus_cli.cli import cli

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> PostgresServer:
    return pg_server.shared(request)


@pytest.fixture
def server(postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> PostgresServer:
    for name in [n for n in os.environ if n.startswith("PG") or n == "CORPUS_INDEX"]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("COLUMNS", "200")
    return postgres_server


@pytest.fixture
def database(server: PostgresServer) -> Iterator[str]:
    """A new empty database (no corpus tables yet); dropped afterwards."""
    name = server.create_database("pgtest")
    yield name
    server.drop_database(name)


def run(uri: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--index", uri, *args])


def ingest_json(uri: str, *paths: str | Path) -> dict[str, object]:
    result = run(uri, "ingest", "--json", *map(str, paths))
    assert result.exit_code == 0, result.output
    summary: dict[str, object] = json.loads(result.stdout)
    return summary


def articles(folder: Path, count: int, prefix: str = "n") -> Path:
    """``count`` distinct small articles in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"{prefix}{n:05d}.txt").write_text(
            f"source: Bench\ndate: 2023-{1 + n % 12:02d}-{1 + n % 28:02d}\n\n"
            f"Articolo numero {prefix}{n} sul consiglio comunale di Modena. "
            f"Il sindaco ha parlato della variante {n * 7919 % 10007} e del bilancio.\n",
            encoding="utf-8",
        )
    return folder


def consistent(server: PostgresServer, database: str) -> None:
    """The counts kept beside the articles agree with the articles themselves."""
    [(stored, words)] = server.execute(
        database, "SELECT count(*), coalesce(sum(text_length), 0) FROM corpus_articles"
    )
    [(articles_total, words_total)] = server.execute(
        database, "SELECT articles, text_words FROM corpus_totals"
    )
    assert (stored, words) == (articles_total, words_total)
    [(stem_words,)] = server.execute(
        database, "SELECT coalesce(sum(text_count), 0) FROM corpus_stems"
    )
    assert stem_words == words
    [(ids, distinct)] = server.execute(
        database, "SELECT count(id), count(DISTINCT content_hash) FROM corpus_articles"
    )
    assert ids == distinct == stored


# -- reaching the server ----------------------------------------------------------


def test_a_refused_connection_is_one_sentence(server: PostgresServer) -> None:
    line = one_line_error(run("postgresql://127.0.0.1:1/corpus", "search", "modena"))
    assert "127.0.0.1:1" in line and "refused" in line


def test_no_server_on_a_socket_is_one_sentence(server: PostgresServer, tmp_path: Path) -> None:
    line = one_line_error(run(f"postgresql:///corpus?host={tmp_path}", "search", "modena"))
    assert str(tmp_path) in line and "running" in line


def test_a_wrong_password_is_one_sentence_without_the_password(
    server: PostgresServer, database: str
) -> None:
    uri = f"postgresql://{PASSWORD_ROLE}:hunter2wrong@/{database}?host={server.socket}"
    line = one_line_error(run(uri, "search", "modena"))
    assert "password" in line and PASSWORD_ROLE in line
    assert "hunter2wrong" not in line and PASSWORD not in line


def test_a_missing_database_is_one_sentence(server: PostgresServer) -> None:
    for command in (["search", "modena"], ["ingest", str(SEEDS)]):
        line = one_line_error(run(server.uri("no_such_corpus"), *command))
        assert "'no_such_corpus'" in line and "createdb" in line


def test_an_empty_database_has_no_corpus_yet(server: PostgresServer, database: str) -> None:
    line = one_line_error(run(server.uri(database), "stats"))
    assert database in line and "corpus ingest" in line


def test_another_schema_version_is_one_sentence(server: PostgresServer, database: str) -> None:
    uri = server.uri(database)
    ingest_json(uri, SEEDS)
    server.execute(database, "UPDATE corpus_meta SET value = '999' WHERE key = 'schema_version'")
    for command in (["search", "modena"], ["ingest", str(SEEDS)]):
        line = one_line_error(run(uri, *command))
        assert "schema version 999" in line and database in line


def test_a_corpus_of_the_older_analysis_says_to_ingest_again(
    server: PostgresServer, database: str
) -> None:
    # Schema 1 held Snowball stems, schema 2 no languages: searching either would
    # miss words.
    uri = server.uri(database)
    ingest_json(uri, SEEDS)
    server.execute(database, "UPDATE corpus_meta SET value = '2' WHERE key = 'schema_version'")
    line = one_line_error(run(uri, "search", "modena"))
    assert line.startswith(f"corpus: The corpus in database '{database}' on the PostgreSQL")
    assert line.endswith(
        " has schema version 2, with another analysis of the words, and this corpus reads "
        "versions 5 and 6; ingest your files into a new database (or schema) to rebuild it."
    )


def test_a_corpus_of_the_older_tables_says_to_ingest_again(
    server: PostgresServer, database: str
) -> None:
    # Schema 3's keys did not hold the distribution column; its tables are not the
    # ones the queries now read (copies without their article's file, no languages).
    # Schema 4 had no statistics of the titles (BM25 reads them).
    uri = server.uri(database)
    ingest_json(uri, SEEDS)
    for version in ("3", "4"):
        server.execute(
            database, "UPDATE corpus_meta SET value = %s WHERE key = 'schema_version'", (version,)
        )
        for command in (["search", "modena"], ["ingest", str(SEEDS)], ["stats"]):
            line = one_line_error(run(uri, *command))
            assert line.endswith(
                f" has schema version {version}, with an older layout of its tables, and this "
                "corpus reads versions 5 and 6; ingest your files into a new database (or schema) "
                "to rebuild it."
            ), line


def test_the_location_never_shows_the_password(server: PostgresServer, database: str) -> None:
    from corpus_cli.storage import open_store

    uri = f"postgresql://postgres:{PASSWORD}@/{database}?host={server.socket}&port={server.port}"
    store = open_store(uri, create=True)
    try:
        assert PASSWORD not in store.location
        assert store.location.startswith("postgresql://postgres@/")
        assert PASSWORD not in store.describe_document("watches")
    finally:
        store.close()


def test_the_server_going_away_mid_batch_keeps_nothing_of_it(
    server: PostgresServer, database: str, tmp_path: Path
) -> None:
    from corpus_cli.errors import IndexUnreadable
    from corpus_cli.services.ingest import ingest
    from corpus_cli.storage import open_store

    uri = server.uri(database)
    ingest_json(uri, SEEDS)
    store = open_store(uri)
    batch = store.begin()
    batch.delete_file(sorted(batch.files())[0])
    server.execute(
        database,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'",
    )
    with pytest.raises(IndexUnreadable) as caught:
        batch.commit()
    message = str(caught.value)
    assert "connection" in message and "rolled back" in message and "\n" not in message
    assert len(run(uri, "list", "--json").stdout.splitlines()) == 5
    consistent(server, database)
    # The store carries on with a new connection for the next batch.
    report = ingest(store, [articles(tmp_path / "more", 3)])
    assert report.added == 3
    store.close()


# -- roles --------------------------------------------------------------------------


@pytest.fixture
def reader(server: PostgresServer, database: str) -> Iterator[str]:
    """A role that may log in and read the corpus tables of ``database``, not write them."""
    name = f"corpus_reader_{os.getpid()}"
    server.admin().cursor().execute(f"CREATE ROLE {name} LOGIN")
    yield name
    server.drop_database(database)
    server.admin().cursor().execute(f"DROP ROLE {name}")


def test_a_read_only_role_searches_but_ingest_says_why_not(
    server: PostgresServer, database: str, reader: str, tmp_path: Path
) -> None:
    ingest_json(server.uri(database), SEEDS)
    server.execute(database, f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {reader}")
    uri = server.uri(database, user=reader)
    found = run(uri, "search", "esercitazioni", "--json")
    assert found.exit_code == 0 and len(found.stdout.splitlines()) == 4
    assert run(uri, "search", "emergnza").exit_code == 0
    # Nothing to write: an unchanged run needs no write permission.
    assert ingest_json(uri, SEEDS)["unchanged"] == 5
    line = one_line_error(run(uri, "ingest", str(articles(tmp_path / "new", 2))))
    assert f"'{reader}'" in line and "may search" in line
    line = one_line_error(run(uri, "watch", "add", "kherson", "Kherson"))
    assert f"'{reader}'" in line and "write" in line
    assert len(run(server.uri(database), "list", "--json").stdout.splitlines()) == 5


def test_a_role_that_may_not_create_tables_says_why(
    server: PostgresServer, database: str, reader: str
) -> None:
    line = one_line_error(run(server.uri(database, user=reader), "ingest", str(SEEDS)))
    assert f"'{reader}'" in line and "create the corpus tables" in line


def test_a_database_owner_creates_the_corpus_and_its_extensions(
    server: PostgresServer, reader: str
) -> None:
    owned = server.create_database("owned", owner=reader)
    try:
        assert ingest_json(server.uri(owned, user=reader), SEEDS)["added"] == 5
        names = {row[0] for row in server.execute(owned, "SELECT extname FROM pg_extension")}
        assert {"fuzzystrmatch", "pg_trgm"} <= names  # trusted: an owner may add them
    finally:
        server.drop_database(owned)


# -- several writers, and writers that die -------------------------------------------


def corpus_process(uri: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "corpus_cli", "--index", uri, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def test_two_ingests_at_once_both_complete_with_exact_totals(
    server: PostgresServer, database: str, tmp_path: Path
) -> None:
    uri = server.uri(database)
    shared = articles(tmp_path / "shared", 700, "s")
    own = articles(tmp_path / "own", 300, "o")
    first = corpus_process(uri, "ingest", "--json", str(shared))
    second = corpus_process(uri, "ingest", "--json", str(shared), str(own))
    searches = 0
    while first.poll() is None or second.poll() is None:
        # Searches during the ingests see committed batches and never fail.
        found = run(uri, "search", "consiglio", "--limit", "1")
        assert found.exit_code in (0, 1), found.output
        if found.exit_code == 1:  # only before the first ingest made the tables
            assert "corpus ingest" in found.stderr
        searches += 1
    outputs = [process.communicate() for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    one, two = (json.loads(out) for out, _ in outputs)
    assert one["added"] + one["unchanged"] == 700
    assert two["added"] + two["unchanged"] == 1000
    assert one["added"] + two["added"] == 1000
    assert one["duplicates"] == two["duplicates"] == []
    ids = [json.loads(line)["id"] for line in run(uri, "list", "--json").stdout.splitlines()]
    assert len(ids) == len(set(ids)) == 1000
    consistent(server, database)
    assert searches > 0


def test_kill_9_mid_ingest_leaves_a_consistent_corpus_the_next_run_completes(
    server: PostgresServer, database: str, tmp_path: Path
) -> None:
    uri = server.uri(database)
    total = 4000  # batches of 500, 1,000, 2,000, 500: a kill lands inside one
    folder = articles(tmp_path / "many", total)
    process = corpus_process(uri, "ingest", "--json", str(folder))
    deadline = time.monotonic() + 120
    committed = 0
    while time.monotonic() < deadline and process.poll() is None:
        try:
            [(committed,)] = server.execute(database, "SELECT count(*) FROM corpus_articles")
        except Exception:
            committed = 0  # the tables are not there yet
        if committed:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the ingest finished before it could be killed"
    # At once: the second batch is under way (reading in parallel, the whole
    # run takes a second or two after the first commit).
    time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    consistent(server, database)
    [(kept,)] = server.execute(database, "SELECT count(*) FROM corpus_articles")
    assert 0 < kept < total
    summary = ingest_json(uri, folder)
    assert summary["added"] == total - kept and summary["unchanged"] == kept
    consistent(server, database)
    assert ingest_json(uri, folder)["unchanged"] == total


# -- what the backend computes itself -------------------------------------------------


def test_answers_are_the_same_without_the_extensions(server: PostgresServer, database: str) -> None:
    from corpus_cli.query import parse
    from corpus_cli.storage import open_store
    from corpus_cli.storage.postgresql.store import PostgresStore

    uri = server.uri(database)
    ingest_json(uri, SEEDS)
    store = open_store(uri)
    assert isinstance(store, PostgresStore)
    queries = ["esercitazone~1", "cinese~2", "ci?a", "*zione", "eserc*", "kherzon~1 OR russ?a"]
    with_extensions = [sorted(h.article.id for h in store.search(parse(q)).hits) for q in queries]
    with store.vocabulary() as vocabulary:
        near = vocabulary.near_words("esercitazzioni", 2)
    store._fuzzystrmatch = False  # as where the role may not create the extensions
    server.execute(database, "DROP EXTENSION pg_trgm CASCADE")
    without = [sorted(h.article.id for h in store.search(parse(q)).hits) for q in queries]
    assert without == with_extensions
    assert any(with_extensions)
    with store.vocabulary() as vocabulary:
        assert vocabulary.near_words("esercitazzioni", 2) == near != {}
    store.close()


@pytest.mark.parametrize(
    "query",
    ["l'esercito", '"it\'s a \\\\ test"', "back\\\\slash*", "o'neil*", "x'y?z", "colon\\:word"],
)
def test_any_query_text_is_quoted_safely(server: PostgresServer, database: str, query: str) -> None:
    uri = server.uri(database)
    ingest_json(uri, SEEDS)
    result = run(uri, "search", query)
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output and "refused a command" not in result.output


def test_the_driver_is_imported_only_for_a_postgresql_location(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from corpus_cli.cli import cli\n"
        "runner = CliRunner()\n"
        "assert runner.invoke(cli, ['--help']).exit_code == 0\n"
        f"assert runner.invoke(cli, ['--index', {str(tmp_path / 'ix')!r}, 'ingest', "
        f"{str(SEEDS)!r}]).exit_code == 0\n"
        f"assert runner.invoke(cli, ['--index', {str(tmp_path / 'ix')!r}, 'search', "
        "'modena']).exit_code == 0\n"
        "assert 'psycopg2' not in sys.modules, 'psycopg2 imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
