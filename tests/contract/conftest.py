"""Fixtures of the backend contract suite: one ``backend`` per storage engine.

Every test drives the command line as a user types it, ``corpus --index LOCATION ...``,
through :class:`click.testing.CliRunner`, and checks what a user would check: ids,
counts, dates, exit codes. Nothing here may know how an engine stores its index.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pg_server
import pytest
from click.testing import CliRunner, Result
from pg_server import PostgresServer

from corpus_cli.cli import cli

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

SEED_IDS = [
    "000_3aa3d3d712357d35",
    "001_45b8b365ec0a4f9a",
    "002_9be9ee8e938c10f9",
    "003_569862a446dd5049",
    "004_007f43612da33d40",
]

#: Variables of the caller's environment that would change what the CLI does or prints.
CALLER_ENVIRONMENT = [
    "CORPUS_INDEX",
    "FORCE_COLOR",
    "NO_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
]

#: The storage backends the suite runs on. PostgreSQL's tests run against a throwaway
#: server the session starts (tests/pg_server.py), and skip where none is installed.
BACKENDS = ["whoosh", "postgresql"]


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> PostgresServer:
    return pg_server.shared(request)


class Backend:
    """One storage engine, seen only through the command line.

    ``location`` is this test's own fresh index location; ``new_location()`` gives
    another one, and ``at(location)`` the same helpers on it. ``run(*args)`` is
    ``corpus --index <location> ARGS...``.
    """

    def __init__(self, name: str, fresh: Callable[[], str], location: str = "") -> None:
        self.name = name
        self._fresh = fresh
        self.location = location or fresh()

    def new_location(self) -> str:
        """A location where no index exists yet (``ingest`` creates one there)."""
        return self._fresh()

    def at(self, location: str) -> Backend:
        """This backend's helpers on the index at ``location``."""
        return Backend(self.name, self._fresh, location)

    def run(self, *args: str, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(cli, ["--index", self.location, *args], env=env)

    def rows(self, *args: str) -> list[dict[str, Any]]:
        """The JSON Lines a successful command prints (give ``--json`` in ``args``)."""
        result = self.run(*args)
        assert result.exit_code == 0, result.output
        return [json.loads(line) for line in result.stdout.splitlines()]

    def ids(self, *args: str) -> list[str]:
        """The ids of the article rows a successful ``--json`` command prints, in order."""
        return [row["id"] for row in self.rows(*args)]

    def ingest(self, *args: str | Path) -> dict[str, Any]:
        """``ingest --json ARGS`` (paths and options), which must succeed: its summary."""
        [summary] = self.rows("ingest", "--json", *map(str, args))
        return summary


@pytest.fixture(params=BACKENDS)
def backend(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Backend]:
    for name in CALLER_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    # Human output is wrapped to the console's width; fix it so that no line a test
    # reads depends on the terminal pytest runs in.
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "25")
    if request.param == "whoosh":
        numbers = itertools.count(1)
        yield Backend("whoosh", lambda: str(tmp_path / f"index-{next(numbers)}"))
    elif request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres_server")
        # libpq's variables name the server, so that a location is as short as a
        # user would type it: postgresql:///corpus_... (and the caller's are dropped).
        for name in [n for n in os.environ if n.startswith("PG")]:
            monkeypatch.delenv(name)
        for name, value in server.env.items():
            monkeypatch.setenv(name, value)
        created: list[str] = []

        def fresh() -> str:
            created.append(server.create_database())
            return f"postgresql:///{created[-1]}"

        yield Backend("postgresql", fresh)
        for name in created:
            server.drop_database(name)
    else:
        raise NotImplementedError(f"no fixture branch for backend {request.param!r}")


def write(folder: Path, name: str, content: str | bytes) -> Path:
    """``content`` as the file ``folder/name`` (UTF-8 for text), folders made as needed."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def article(text: str, **headers: str) -> str:
    """A text article with header lines (``date: ...``) before a blank line."""
    head = "".join(f"{key}: {value}\n" for key, value in headers.items())
    return f"{head}\n{text}\n" if head else f"{text}\n"


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A copy of the five seed articles in a folder named ``seeds``."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def seeded(backend: Backend, seeds: Path) -> Backend:
    """``backend`` with the five seeds ingested."""
    assert backend.ingest(seeds)["added"] == 5
    assert backend.rows("stats", "--json")[0]["articles"] == 5  # and nothing else
    return backend


#: A small paper whose every answer can be read off its text. Each text names Modena.
#: a: month-precision date; c: year-precision; e: undated. b names Tass, e Xinhua.
GIORNALE = {
    "a.txt": article(
        "A Modena l’esercito ha dichiarato lo stato di emergenza.",
        date="2022-12",
        source="Gazzetta",
        title="Perché la città",
    ),
    "b.txt": article(
        "Nuove esercitazioni congiunte nel Mar Baltico, seguite anche da Modena, secondo la Tass.",
        date="2022-12-30",
        source="Gazzetta",
        title="Esercitazioni navali russe",
    ),
    "c.txt": article(
        "A Modena lo stato ha chiesto di fermare l’emergenza idrica.",
        date="2023",
        source="Carlino",
        title="Cronaca locale",
    ),
    "d.txt": article(
        "Perche il derby di Modena è finito in parità.",
        date="2023-04-19",
        source="Carlino",
        title="Sport e citta",
    ),
    "e.txt": article(
        "A Modena una esercitazione di evacuazione nella scuola, riferisce Xinhua.",
        source="Carlino",
        title="Una esercitazione a scuola",
    ),
}


@pytest.fixture
def giornale_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "giornale"
    for name, content in GIORNALE.items():
        write(folder, name, content)
    return folder


@pytest.fixture
def giornale(backend: Backend, giornale_folder: Path) -> Backend:
    """``backend`` with the five articles of ``GIORNALE`` ingested (ids a to e)."""
    assert backend.ingest(giornale_folder)["added"] == 5
    assert backend.rows("stats", "--json")[0]["articles"] == 5  # and nothing else
    return backend
