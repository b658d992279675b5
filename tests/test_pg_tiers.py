"""Impact tiers (storage/postgresql/tiers.py): a ranked page read from the articles
the tiers point to is the page that ranking every match gives, hit for hit and score
for score; the bound that lets a search stop holds for any field length."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

import pg_server
import pytest
from click.testing import CliRunner
from pg_server import PostgresServer

from corpus_cli.cli import cli
from corpus_cli.model import Filters
from corpus_cli.query.parser import parse
from corpus_cli.storage import open_store
from corpus_cli.storage.postgresql import tiers
from corpus_cli.storage.postgresql.bm25 import impact
from corpus_cli.storage.postgresql.store import PostgresStore

WORDS = tuple(
    " ".join(
        [
            "il la di che e a per un una in con del della sono stato ieri sera furto furti",
            "rapina rapine carabinieri carabiniere centro commerciale incendio incendi polizia",
            "municipale sindaco scuola scuole anziani truffa truffe arrestato via piazza auto",
        ]
    ).split()
)

SCHEME = tiers.Tiers()

QUERIES = [
    "furto",
    "carabinieri",
    "rapina",
    '"centro commerciale"',
    "rapina OR incendio",
    "rapina -furto",
    "title:truffa",
    "scuole anziani",
    "furto source:Gazzetta",
    "il",
    "per^0",  # every match scores nothing (no exact-form bonus): ties, by insertion
]


def _article(rng: random.Random, number: int) -> str:
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(WORDS))]
    title = " ".join(rng.choices(WORDS[17:], k=rng.randint(0, 5)))
    # Lengths from a line to three times the reference: every tier is reached somewhere.
    text = " ".join(rng.choices(WORDS, weights, k=rng.randint(5, 1200)))
    source = ("Gazzetta", "Carlino")[number % 2]
    headers = f"title: {title}\n" if title else ""
    headers += f"date: 20{10 + number % 10}-03-{number % 28 + 1:02d}\nsource: {source}"
    return f"{headers}\n\n{text}.\n"


def _database(request: pytest.FixtureRequest, prefix: str) -> tuple[PostgresServer, str, str]:
    """A new database on the tests' server, dropped at the end: (server, name, URI)."""
    server = pg_server.shared(request)
    database = server.create_database(prefix)
    request.addfinalizer(lambda: server.drop_database(database))
    return server, database, server.uri(database)


@pytest.fixture(scope="module")
def location(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> str:
    folder = tmp_path_factory.mktemp("tiers")
    rng = random.Random(11)
    for number in range(400):
        (folder / f"{number:03d}.txt").write_text(_article(rng, number), encoding="utf-8")
    uri = _database(request, "pgtiers")[2]
    result = CliRunner().invoke(cli, ["--index", uri, "ingest", str(folder)])
    assert result.exit_code == 0, result.output
    return uri


def _page(store: Any, query: str, limit: int | None, offset: int = 0, **filters: Any) -> list[Any]:
    found = store.search(parse(query), Filters(**filters), limit=limit, offset=offset)
    return [(hit.article.id, hit.score) for hit in found.hits]


@pytest.mark.parametrize("query", QUERIES)
def test_a_page_from_the_tiers_is_the_page_of_every_match_ranked(location: str, query: str) -> None:
    store = open_store(location)
    try:
        everything = _page(store, query, None)  # every match ranked: the reference
        assert everything
        for offset in (0, 10, 30):
            assert _page(store, query, 10, offset) == everything[offset : offset + 10]
        dated = _page(store, query, None, date_from="2012-01-01", date_to="2015-12-31")
        assert _page(store, query, 5, date_from="2012-01-01", date_to="2015-12-31") == dated[:5]
    finally:
        store.close()


def test_the_tiers_answer_most_single_words(location: str, monkeypatch: pytest.MonkeyPatch) -> None:
    answered: list[bool] = []
    by_tiers = PostgresStore._by_tiers

    def spy(self: PostgresStore, *args: Any) -> Any:
        result = by_tiers(self, *args)
        answered.append(result is not None)
        return result

    monkeypatch.setattr(PostgresStore, "_by_tiers", spy)
    store = open_store(location)
    try:
        for word in ("furto", "carabinieri", "rapina", "polizia", "incendio"):
            store.search(parse(word), limit=10)
    finally:
        store.close()
    assert answered == [True] * 5


def test_a_lexeme_reaches_the_tier_its_impact_reaches() -> None:
    rng = random.Random(3)
    for _ in range(2000):
        length = rng.randint(1, 3000)
        count = Counter({"w": rng.randint(1, min(length, 60))})
        marks = SCHEME.entries([(count, "")], length)
        value = impact(count["w"], length, SCHEME.reference)
        reached = [t for t, edge in enumerate(SCHEME.edges) if value >= edge * (1 + 1e-12)]
        below = [t for t, edge in enumerate(SCHEME.edges) if value < edge * (1 - 1e-12)]
        if reached:
            assert marks == [tiers.lexeme("w", reached[0])]
        elif len(below) == len(SCHEME.edges):
            assert marks == []


@pytest.mark.parametrize("average", [40.0, 250.0, 400.0, 600.0, 3000.0])
def test_no_text_below_a_tier_scores_past_its_ceiling(average: float) -> None:
    rng = random.Random(int(average))
    for tier, edge in enumerate(SCHEME.edges):
        ceiling = SCHEME.ceiling(tier, average)
        highest = 0.0
        for _ in range(20000):
            tf = rng.choice([1, 2, 3, 5, 8, 13, 40, 200, 2000])
            length = tf + int(rng.expovariate(1 / 800))
            if impact(tf, length, SCHEME.reference) < edge:
                highest = max(highest, impact(tf, length, average))
        assert highest <= ceiling
        # Not so loose that it says nothing: within a tenth of what texts reach.
        assert ceiling <= highest * 1.1 + 0.05


def test_a_corpus_without_tiers_is_read_and_written_without_them(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    server, database, uri = _database(request, "pgnotiers")
    rng = random.Random(5)
    for number in range(120):
        (tmp_path / f"{number:03d}.txt").write_text(_article(rng, number), encoding="utf-8")
    first = CliRunner().invoke(cli, ["--index", uri, "ingest", str(tmp_path)])
    assert first.exit_code == 0, first.output
    # What a corpus made before the tiers holds: version 5, no tiers in meta or vectors.
    server.execute(database, "UPDATE corpus_meta SET value = '5' WHERE key = 'schema_version'")
    server.execute(database, "DELETE FROM corpus_meta WHERE key = 'tiers'")
    server.execute(
        database,
        "UPDATE corpus_articles SET terms = ts_delete(terms, ARRAY(SELECT u FROM "
        "unnest(tsvector_to_array(terms)) AS u WHERE u LIKE '#%%'))",
    )
    (tmp_path / "extra.txt").write_text(_article(rng, 500), encoding="utf-8")
    again = CliRunner().invoke(cli, ["--index", uri, "ingest", str(tmp_path)])
    assert again.exit_code == 0, again.output
    rows = server.execute(
        database,
        "SELECT count(*) FROM corpus_articles, unnest(terms) AS u WHERE u.lexeme LIKE '#%%'",
    )
    assert rows[0][0] == 0
    result = CliRunner().invoke(
        cli,
        ["--index", uri, "search", "furto", "--json", "--limit", "3"],
        env={"CORPUS_SERVER": "off"},
    )
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 3


def test_words_too_long_for_postgresql_are_left_out_and_the_rest_is_stored(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    server, database, uri = _database(request, "pglong")
    # PostgreSQL stores a lexeme of at most 2,046 bytes; a tier lexeme adds 3.
    kept, dropped = "a" * 2043, "b" * 2044
    text = f"Una parola {kept} e una {dropped} in mezzo a un furto, furto e furto."
    (tmp_path / "long.txt").write_text(
        f"title: Parole lunghe {dropped}\ndate: 2020-01-01\n\n{text}\n", encoding="utf-8"
    )
    (tmp_path / "short.txt").write_text("date: 2020-01-02\n\nUn furto.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--index", uri, "ingest", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for query, expected in [("furto", 2), ("lunghe", 1), ("parola", 1)]:
        found = CliRunner().invoke(
            cli, ["--index", uri, "search", query, "--count"], env={"CORPUS_SERVER": "off"}
        )
        assert found.exit_code == 0, found.output
        assert found.stdout.strip() == str(expected), query
    lengths = server.execute(
        database,
        "SELECT u.lexeme FROM corpus_articles, unnest(terms) AS u WHERE length(u.lexeme) > 2000",
    )
    # The stem of the 2,043-byte word (2,042: its final vowel goes) and its tier
    # lexeme; nothing of the longer one, nor the kept word's surface form (2,044).
    assert sorted(len(row[0]) for row in lengths) == [2042, 2045]
