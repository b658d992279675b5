"""Relevance on PostgreSQL is the Whoosh backend's: BM25F from the same statistics.

The same generated corpus goes into both backends; for each query the two put the
same article first and give every article both list the same score, up to Whoosh's
field lengths, which it keeps rounded to one byte (~3% at most).

Left out: a prefix or wildcard of more than two words, which Whoosh scores 1 in
every match (its constant-score union) and PostgreSQL by BM25 of the words.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pg_server
import pytest
from click.testing import CliRunner
from pg_server import PostgresServer

from corpus_cli.cli import cli

#: Words of a local paper's crime pages, with inflections, common to rare.
VOCABULARY = tuple(
    " ".join(
        [
            "il la di che e a per un una in con del della sono stato ieri sera",
            "furto furti rapina rapine carabinieri carabiniere centro commerciale",
            "incendio incendi polizia municipale sindaco scuola scuole anziani truffa",
            "truffe arrestato arrestati via piazza auto automobile vigili fuoco",
            "ospedale ferito feriti strada notte negozio negozi cassa bottino",
        ]
    ).split()
)

QUERIES = [
    "furto",
    "rapina furto",
    "carabinieri",
    '"centro commerciale"',
    "rapina OR incendio",
    "title:truffa",
    "furt*",
    "rapina -furto",
    "incendio~1",
    "centro commerciale",
    "scuole anziani",
    "furto source:Gazzetta",
    "carabinieri OR source:Carlino",
]


def _article(rng: random.Random, number: int) -> str:
    # Zipf-like: earlier words of the vocabulary are drawn more often.
    weights = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
    title = " ".join(rng.choices(VOCABULARY[12:], k=rng.randint(2, 6)))
    text = " ".join(rng.choices(VOCABULARY, weights, k=rng.randint(30, 400)))
    source = ("Gazzetta", "Carlino")[number % 2]
    headers = f"title: {title.capitalize()}\ndate: 2020-01-{number % 28 + 1:02d}\nsource: {source}"
    return f"{headers}\n\n{text}.\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    rng = random.Random(7)
    for number in range(150):
        (folder / f"{number:03d}.txt").write_text(_article(rng, number), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def locations(
    corpus: Path, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> dict[str, str]:
    server: PostgresServer = pg_server.shared(request)
    database = server.create_database("pgrank")
    request.addfinalizer(lambda: server.drop_database(database))
    found = {
        "whoosh": str(tmp_path_factory.mktemp("whoosh") / "index"),
        "postgresql": server.uri(database),
    }
    for location in found.values():
        result = CliRunner().invoke(cli, ["--index", location, "ingest", str(corpus)])
        assert result.exit_code == 0, result.output
    return found


def _rows(location: str, query: str) -> list[dict[str, Any]]:
    env = {"CORPUS_SERVER": "off", "COLUMNS": "200"}
    result = CliRunner().invoke(
        cli, ["--index", location, "search", query, "--json", "--limit", "10"], env=env
    )
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize("query", QUERIES)
def test_the_backends_rank_alike(locations: dict[str, str], query: str) -> None:
    whoosh = _rows(locations["whoosh"], query)
    postgres = _rows(locations["postgresql"], query)
    assert whoosh, "the query finds something"
    assert postgres[0]["id"] == whoosh[0]["id"]
    scores = {row["id"]: row["score"] for row in whoosh}
    both = [row for row in postgres if row["id"] in scores]
    assert len(both) >= min(8, len(whoosh))
    for row in both:
        assert row["score"] == pytest.approx(scores[row["id"]], rel=0.03), row["id"]
