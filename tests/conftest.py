from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from corpus_cli.cli import cli
from corpus_cli.services.ingest import ingest
from corpus_cli.storage import open_store
from corpus_cli.storage.base import Store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Every `corpus` process a test starts runs in-process, and none leaves a search
# server behind; tests/test_server.py turns servers on for its own, and stops them.
os.environ["CORPUS_SERVER"] = "off"

Run = Callable[..., Result]


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def run(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoke ``corpus --index <tmp> ARGS...`` in-process, as a user would type it."""
    monkeypatch.delenv("CORPUS_INDEX", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)

    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(cli, ["--index", str(index_dir), *args], env=env)

    return invoke


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A copy of the five seed articles in a folder named ``seeds``."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def seeded(run: Run, seeds: Path) -> Run:
    result = run("ingest", str(seeds))
    assert result.exit_code == 0, result.output
    return run


def json_lines(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def ids(result: Result) -> list[str]:
    return [row["id"] for row in json_lines(result)]


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def article(
    article_id: str, text: str, *, title: str = "", date: str = "", source: str = "agenzia"
) -> str:
    headers = [f"id: {article_id}", f"source: {source}"]
    if title:
        headers.append(f"title: {title}")
    if date:
        headers.append(f"date: {date}")
    return "\n".join(headers) + "\n\n" + text + "\n"


def build(tmp_path: Path, files: dict[str, str]) -> Store:
    """An index of ``files`` (name -> content) ingested through the library."""
    folder = tmp_path / "corpus"
    for name, content in files.items():
        write(folder, name, content)
    index = open_store(tmp_path / "index", create=True)
    report = ingest(index, [folder])
    assert not report.skipped and not report.duplicates, report
    return index
