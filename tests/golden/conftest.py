"""Fixtures of the golden suite: small corpora and a console of a fixed size.

Rich sizes its console from the COLUMNS and LINES environment variables when it does
not write to a terminal (and CliRunner's streams are no terminal), so every command
runs with ``COLUMNS=80`` and ``LINES=25``; without them Rich asks the terminal pytest
itself runs in, and the wrapping would change with it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from corpus_cli.cli import cli

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
EXPECTED = Path(__file__).resolve().parent / "expected"

#: The console every golden output is drawn on.
CONSOLE = {"COLUMNS": "80", "LINES": "25"}

#: Variables of the caller's environment that would change what the CLI prints.
CALLER_ENVIRONMENT = [
    "CORPUS_INDEX",
    "FORCE_COLOR",
    "NO_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
]

Run = Callable[..., Result]


def expected(name: str) -> str:
    """The pinned output ``tests/golden/expected/<name>.txt``, exactly as stored."""
    return (EXPECTED / f"{name}.txt").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _caller_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CALLER_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


def _runner(index: Path) -> Run:
    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(
            cli, ["--index", str(index), *args], env={**CONSOLE, **(env or {})}
        )

    return run


def _ingest(run: Run, folder: Path, count: int) -> None:
    result = run("ingest", "--json", str(folder))
    assert result.exit_code == 0, result.output
    assert f'"added": {count},' in result.stdout, result.stdout


@pytest.fixture
def seeds(tmp_path: Path) -> Run:
    """``corpus --index <tmp> ...`` on an index of the five seeds (source ``seeds``)."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    run = _runner(tmp_path / "index")
    _ingest(run, folder, 5)
    return run


#: Floods around Modena: three sources and the folder's name, one article dated only to
#: a month, one only to a year, one undated, nothing in 2022; floods in all but the concert.
CRONACA = {
    "2021-11-bassa.txt": (
        "date: 2021-11-15\nsource: Gazzetta di Modena\ntitle: Alluvione nella bassa modenese\n\n"
        "L’alluvione ha allagato i campi tra Finale Emilia e Camposanto.\n"
    ),
    "2023-01-secchia.txt": (
        "date: 2023-01-05\nsource: Gazzetta di Modena\ntitle: Il Secchia esce dagli argini\n\n"
        "Alluvione a Modena: il fiume Secchia in piena allaga la frazione di Navicello.\n"
    ),
    "2023-01-concerto.txt": (
        "date: 2023-01-20\nsource: Il Resto del Carlino\ntitle: Concerto in piazza Grande\n\n"
        "Un concerto gratuito in piazza Grande chiude la rassegna invernale.\n"
    ),
    "2023-02-bilancio.txt": (
        "date: 2023-02\nsource: Il Resto del Carlino\ntitle: Il bilancio dell’alluvione\n\n"
        "Un mese dopo l’alluvione i danni superano i dieci milioni di euro.\n"
    ),
    "2023-03-fondi.txt": (
        "date: 2023-03-02\nsource: ANSA\ntitle: Fondi per le zone alluvionate\n\n"
        "La Regione stanzia fondi per le famiglie colpite dall’alluvione.\n"
    ),
    "2023-rapporto.txt": (
        "date: 2023\nsource: ANSA\ntitle: Il rapporto sulle alluvioni\n\n"
        "Il rapporto annuale conta le alluvioni della provincia, anno per anno.\n"
    ),
    "ricordi.txt": (
        "title: Ricordi di un’alluvione\n\n"
        "I nonni raccontano ancora l’alluvione che sommerse la piazza.\n"
    ),
}


@pytest.fixture
def cronaca(tmp_path: Path) -> Run:
    """``corpus --index <tmp> ...`` on an index of ``CRONACA`` (folder ``cronaca``)."""
    folder = tmp_path / "cronaca"
    folder.mkdir()
    for name, content in CRONACA.items():
        (folder / name).write_text(content, encoding="utf-8")
    run = _runner(tmp_path / "index")
    _ingest(run, folder, 7)
    return run
