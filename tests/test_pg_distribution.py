"""The PostgreSQL corpus is ready for Citus: its keys, and the statements it sends.

Citus is not installed here, so nothing is distributed. What Citus requires of the
tables and of the queries is checked on plain PostgreSQL instead:

- every primary key and unique index of a table to be distributed holds its
  distribution column (``schema.DISTRIBUTED``), and every foreign key between
  such tables does too; every other corpus table is one of ``schema.REFERENCE``;
- every statement the backend sends while a user ingests, searches, counts,
  repairs and removes (read back from the server's statement log) is of a shape
  Citus routes to shards or pushes down to them: no window over the whole table,
  no recursive CTE, no DISTINCT ON, the articles and their copies joined on the
  distribution column, rows picked by seq picked by file key too.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pg_server
import pytest
from click.testing import CliRunner, Result
from pg_server import PostgresServer

from corpus_cli.cli import cli
from corpus_cli.storage.postgresql.schema import DISTRIBUTED, REFERENCE


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> PostgresServer:
    return pg_server.shared(request)


@pytest.fixture
def database(postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in [n for n in os.environ if n.startswith("PG") or n == "CORPUS_INDEX"]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("CORPUS_SERVER", "off")
    name = postgres_server.create_database("pgdist")
    yield name
    postgres_server.drop_database(name)


def run(uri: str, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--index", uri, *args])
    assert result.exit_code == 0, (args, result.output)
    return result


def corpus(root: Path) -> Path:
    """Articles, an exact copy of one of them in another file, and a dump with two
    languages."""
    root.mkdir()
    for i in range(6):
        (root / f"n{i}.txt").write_text(
            f"source: Gazzetta\ndate: 2023-05-0{i + 1}\n\nNotizia {i}\n"
            f"La rapina numero {i} a Modena, citata da ANSA.\n",
            encoding="utf-8",
        )
    (root / "z_copy.txt").write_text(
        (root / "n0.txt").read_text(encoding="utf-8").replace("Gazzetta", "Resto"), "utf-8"
    )
    records = [
        {"id": f"d{n}", "text": f"Cronaca {n}: rapina in centro a Modena.", "date": "2021-01-01"}
        for n in range(4)
    ]
    records.append(
        {
            "id": "e1",
            "language": "en",
            "text": "The robbery in the town centre was reported by the police on Monday.",
        }
    )
    lines = "\n".join(json.dumps(r) for r in records) + "\n"
    (root / "dump.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    return root


def test_every_key_of_a_distributed_table_holds_its_distribution_column(
    postgres_server: PostgresServer, database: str, tmp_path: Path
) -> None:
    run(postgres_server.uri(database), "ingest", str(corpus(tmp_path / "files")))
    tables = {
        row[0]
        for row in postgres_server.execute(
            database,
            "SELECT relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r' "
            "AND c.relname LIKE 'corpus%%'",
        )
    }
    assert tables == set(DISTRIBUTED) | set(REFERENCE)

    def columns(table: str, key: str) -> list[tuple[str, list[str]]]:
        """(index, its columns) of the unique indexes (primary keys among them)."""
        return [
            (str(name), list(cols))
            for name, cols in postgres_server.execute(
                database,
                "SELECT i.indexrelid::regclass::text, array_agg(a.attname::text) "
                "FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                "AND a.attnum = ANY(i.indkey) "
                f"WHERE i.indrelid = %s::regclass AND i.{key} GROUP BY 1",
                (table,),
            )
        ]

    for table, column in DISTRIBUTED.items():
        primary = columns(table, "indisprimary")
        assert len(primary) == 1 and column in primary[0][1], (table, primary)
        unique = columns(table, "indisunique")
        assert unique and all(column in cols for _, cols in unique), (table, unique)
        # Citus (11.3 on) takes identity columns on a distributed table if bigint.
        for name, kind in postgres_server.execute(
            database,
            "SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attidentity <> ''",
            (table,),
        ):
            assert kind == "bigint", (table, name, kind)
    for table in REFERENCE:  # each has a key of its own: upserts and one row a name
        assert columns(table, "indisprimary"), table

    # Foreign keys: between distributed tables on their distribution columns, and
    # none from a reference table to a distributed one (Citus refuses both).
    for source, target, keys, referenced in postgres_server.execute(
        database,
        "SELECT conrelid::regclass::text, confrelid::regclass::text, "
        "(SELECT array_agg(attname::text) FROM pg_attribute "
        " WHERE attrelid = conrelid AND attnum = ANY(conkey)), "
        "(SELECT array_agg(attname::text) FROM pg_attribute "
        " WHERE attrelid = confrelid AND attnum = ANY(confkey)) "
        "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text LIKE 'corpus%%'",
    ):
        if source in DISTRIBUTED and target in DISTRIBUTED:
            assert DISTRIBUTED[source] in keys and DISTRIBUTED[target] in referenced
        assert not (source in REFERENCE and target in DISTRIBUTED), (source, target)


def _statements(log: str) -> list[str]:
    """The statements a server log holds (log_statement = all), continuation lines joined."""
    found: list[str] = []
    for line in log.splitlines():
        _, marker, text = line.partition("LOG:  statement: ")
        if marker:
            found.append(text)
        elif line.startswith("\t") and found:
            found[-1] += " " + line.strip()
    return found


def _citus_shape(sql: str) -> list[str]:
    """What in ``sql`` Citus would not route or push down to shards."""
    wrong = []
    if re.search(r"\bOVER\s*\(", sql, re.IGNORECASE):
        wrong.append("a window function")
    if re.search(r"\bWITH\s+RECURSIVE\b", sql, re.IGNORECASE):
        wrong.append("a recursive CTE")
    if re.search(r"\bDISTINCT\s+ON\b", sql, re.IGNORECASE):
        wrong.append("DISTINCT ON")
    # Copies live beside their article: a join or correlation of the two says so.
    joins = re.findall(r"\b(?:c\.owner_id = a\.id|a\.id = c\.owner_id)\b", sql)
    keys = re.findall(r"\b(?:c\.owner_key = a\.file_key|a\.file_key = c\.owner_key)\b", sql)
    if len(keys) < len(joins):
        wrong.append("copies joined to their articles off the distribution column")
    if "a.seq = ANY" in sql and "a.file_key = ANY" not in sql:
        wrong.append("rows picked by seq alone")
    if re.match(r"(UPDATE|DELETE FROM) corpus_articles\b", sql) and "file_key" not in sql:
        wrong.append("a change to the articles not restricted by file key")
    reference = "|".join(REFERENCE)
    if "ON CONFLICT" in sql and not re.match(rf"INSERT INTO ({reference})\b", sql):
        wrong.append("an upsert into a distributed table")
    return wrong


def test_every_statement_of_the_backend_is_one_citus_distributes(
    postgres_server: PostgresServer, database: str, tmp_path: Path
) -> None:
    postgres_server.execute("postgres", f"ALTER DATABASE {database} SET log_statement = 'all'")
    log = postgres_server.root / "server.log"
    start = log.stat().st_size
    uri = postgres_server.uri(database)
    folder = corpus(tmp_path / "files")
    run(uri, "ingest", str(folder))
    for args in (
        ["search", "rapina"],
        ["search", "rapina", "--sort", "-date"],
        ["search", "rapina", "--sort", "date", "--source", "Resto"],
        ["search", "rapina", "--json", "--limit", "2", "--offset", "2"],
        ["search", '"rapina numero"', "--from", "2023-05-02"],
        ["search", "rapna~"],
        ["search", "rap*", "--count"],
        ["search", "robbery"],
        ["list"],
        ["show", "n1", "--query", "rapina"],
        ["similar", "n1"],
        ["stats"],
        ["sources", "rapina"],
        ["timeline", "rapina"],
        ["cites", "rapina"],
        ["terms", "rapina"],
        ["watch", "add", "rapine", "rapina"],
        ["watch", "run"],
        ["check"],
        ["repair"],
    ):
        run(uri, *args)
    # A file changed, a file gone, the copy's article gone: replaced, removed, orphaned.
    (folder / "n2.txt").write_text("date: 2023-06-01\n\nNotizia nuova\nAltro testo.\n", "utf-8")
    (folder / "n3.txt").unlink()
    (folder / "n0.txt").unlink()
    run(uri, "ingest", str(folder))
    run(uri, "optimize")
    sql = _statements(log.read_bytes()[start:].decode("utf-8", "replace"))
    corpus_sql = [s for s in sql if "corpus_" in s]
    # The log holds the statements of every kind the test meant to cause.
    for part in ("COPY corpus_articles", "INSERT INTO corpus_copies", "DELETE FROM corpus_copies"):
        assert any(part in s for s in corpus_sql), part
    for part in ("UPDATE corpus_articles a SET source_keys", "ts_rank", "corpus_languages"):
        assert any(part in s for s in corpus_sql), part
    wrong = {s: why for s in corpus_sql if (why := _citus_shape(s))}
    assert not wrong, wrong
