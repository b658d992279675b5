"""``corpus check`` and ``corpus repair`` against a real PostgreSQL server.

The tables are put out of step with each other as a crash or a hand-made edit
would: totals that disagree with the articles, copies kept on an article that is
gone. Check finds each, repair puts it right by reading the files again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pg_server
import pytest
from click.testing import CliRunner, Result
from pg_server import PostgresServer

from corpus_cli.cli import cli


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> PostgresServer:
    return pg_server.shared(request)


@pytest.fixture
def database(postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in [n for n in os.environ if n.startswith("PG") or n == "CORPUS_INDEX"]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("COLUMNS", "200")
    name = postgres_server.create_database("pgcheck")
    yield name
    postgres_server.drop_database(name)


def run(uri: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--index", uri, *args])


def listing(uri: str) -> list[tuple[str, str, int]]:
    result = run(uri, "list", "--json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    return sorted((r["id"], r["title"], len(r.get("copies") or [])) for r in rows)


def files(root: Path) -> Path:
    root.mkdir()
    for i in range(6):
        (root / f"n{i}.txt").write_text(
            f"date: 2023-05-0{i + 1}\n\nNotizia {i}\nLa rapina numero {i} a Modena.\n",
            encoding="utf-8",
        )
    (root / "z_copy.txt").write_text((root / "n0.txt").read_text(encoding="utf-8"), "utf-8")
    return root


def test_check_and_repair_put_the_tables_back_in_step(
    postgres_server: PostgresServer, database: str, tmp_path: Path
) -> None:
    uri = postgres_server.uri(database)
    folder = files(tmp_path / "files")
    assert run(uri, "ingest", str(folder)).exit_code == 0
    before = listing(uri)
    assert any(copies for _, _, copies in before)
    clean = run(uri, "check")
    assert clean.exit_code == 0, clean.output
    assert "No damage found" in clean.output

    # The article holding the copy goes, and the totals are wrong.
    postgres_server.execute(database, "DELETE FROM corpus_articles WHERE id = 'n0'")
    postgres_server.execute(database, "UPDATE corpus_totals SET articles = articles + 40")
    checked = run(uri, "check")
    assert checked.exit_code == 1, checked.output
    text = " ".join(checked.output.split())
    assert "totals" in text and "Copies from" in text

    repaired = run(uri, "repair")
    assert repaired.exit_code == 0, repaired.output
    assert "1 files read again: 1 articles restored" in " ".join(repaired.output.split())
    # The database knew the copy's file, not the deleted article's: the copy's
    # file is read again and stands as the article now.
    after = listing(uri)
    assert ("z_copy", "Notizia 0", 0) in after
    assert [a for a in after if a[0] != "z_copy"] == [a for a in before if a[0] != "n0"]
    assert run(uri, "check").exit_code == 0
    assert run(uri, "search", "--count", "rapina").stdout.strip() == "6"


def test_languages_out_of_step_are_found_and_set_right(
    postgres_server: PostgresServer, database: str, tmp_path: Path
) -> None:
    # A query is analysed in the languages corpus_languages lists: one missing
    # there is a language whose articles a search would not find.
    uri = postgres_server.uri(database)
    assert run(uri, "ingest", str(files(tmp_path / "files"))).exit_code == 0
    postgres_server.execute(database, "DELETE FROM corpus_languages")
    checked = run(uri, "check")
    assert checked.exit_code == 1 and "languages" in checked.output, checked.output
    repaired = run(uri, "repair")
    assert repaired.exit_code == 0 and "Set the totals" in repaired.output, repaired.output
    assert run(uri, "check").exit_code == 0
    assert run(uri, "search", "--count", "rapina").stdout.strip() == "6"


def test_repair_of_a_whole_corpus_does_nothing(
    postgres_server: PostgresServer, database: str, tmp_path: Path
) -> None:
    uri = postgres_server.uri(database)
    assert run(uri, "ingest", str(files(tmp_path / "files"))).exit_code == 0
    repaired = run(uri, "repair")
    assert repaired.exit_code == 0 and "nothing to repair" in repaired.output


def _cut_off(server: PostgresServer, database: str) -> None:
    """End every other session of the database, as a restarted server or a network cut does."""
    server.execute(
        database,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )


@pytest.mark.parametrize(
    "command",
    ["search", "list", "stats", "get", "iterate", "check", "repair"],
)
def test_a_connection_lost_mid_command_is_one_sentence(
    postgres_server: PostgresServer, database: str, tmp_path: Path, command: str
) -> None:
    from corpus_cli.errors import IndexUnreadable
    from corpus_cli.query import parse
    from corpus_cli.services import repair
    from corpus_cli.storage import open_store

    uri = postgres_server.uri(database)
    assert run(uri, "ingest", str(files(tmp_path / "files"))).exit_code == 0
    store = open_store(uri)
    articles = store.iter_articles()
    next(articles)  # a server-side cursor, part-way through
    _cut_off(postgres_server, database)
    calls = {
        "search": lambda: store.search(parse("rapina")),
        "list": lambda: store.list_articles(),
        "stats": lambda: store.stats(),
        "get": lambda: store.get("n1"),
        "iterate": lambda: list(articles),
        "check": lambda: repair.check(store),
        "repair": lambda: repair.repair(store),
    }
    with pytest.raises(IndexUnreadable) as caught:
        calls[command]()
    message = str(caught.value)
    assert "\n" not in message and message.endswith(".") and "connection" in message, message
    store.close()
    # Nothing was half-done: the corpus checks clean on a new connection.
    assert run(uri, "check").exit_code == 0


def test_a_dump_ingested_in_part_is_noted_and_read_whole_by_repair(
    postgres_server: PostgresServer, database: str, tmp_path: Path
) -> None:
    import gzip

    uri = postgres_server.uri(database)
    folder = tmp_path / "feed"
    folder.mkdir()
    lines = [
        json.dumps({"id": f"d{n}", "text": f"Cronaca {n} parola{n}.", "date": "2021-01-01"})
        for n in range(30)
    ]
    (folder / "dump.jsonl.gz").write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    assert run(uri, "ingest", str(folder)).exit_code == 0
    # As an ingest killed inside the dump leaves it: the first records stored under
    # the state no file has, the rest missing.
    postgres_server.execute(
        database,
        "UPDATE corpus_articles SET file_digest = 'partial:' || file_digest, "
        "file_size = -1, file_mtime_ns = -1",
    )
    postgres_server.execute(database, "DELETE FROM corpus_articles WHERE id >= 'd2'")
    postgres_server.execute(
        database,
        "UPDATE corpus_totals SET articles = (SELECT count(*) FROM corpus_articles), "
        "text_words = (SELECT sum(text_length) FROM corpus_articles)",
    )
    postgres_server.execute(
        database, "UPDATE corpus_languages SET articles = (SELECT count(*) FROM corpus_articles)"
    )
    checked = run(uri, "check")
    assert checked.exit_code == 0 and "ingested only in part" in checked.output, checked.output
    repaired = run(uri, "repair")
    assert repaired.exit_code == 0, repaired.output
    assert len(listing(uri)) == 30
    assert "in part" not in run(uri, "check").output
