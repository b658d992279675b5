"""A closed pipe is normal: every command piped into ``head`` stops quietly with 0.

Real processes in a real pipeline (``corpus ... | head -1``): the output of each
command here is far larger than a pipe's buffer, so ``corpus`` is still writing
when ``head`` has its line and goes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLES = 300


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CORPUS_INDEX", "FORCE_COLOR")}
    env["NO_COLOR"] = "1"
    return env


def corpus_argv(index: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "corpus_cli", "--index", str(index), *args]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pipes")
    folder = root / "news"
    folder.mkdir()
    for i in range(ARTICLES):
        body = " ".join(f"furto in via numero {i} parola{i}{k}." for k in range(40))
        (folder / f"a{i:03d}.txt").write_text(
            f"date: 20{10 + i % 12}-{i % 12 + 1:02d}-{i % 28 + 1:02d}\n"
            f"source: Fonte {i % 7}\n\nTitolo {i}\n{body}\n",
            encoding="utf-8",
        )
    # One long article, for show: ~260 KB of text.
    (folder / "long.txt").write_text(
        "Un articolo lunghissimo\n" + "Il furto del secolo raccontato per intero. " * 6000,
        encoding="utf-8",
    )
    done = subprocess.run(
        corpus_argv(root / "index", "ingest", str(folder)),
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return root / "index"


COMMANDS = [
    ["search", "furto", "--limit", "all"],
    ["search", "furto", "--json"],
    ["search", "furto", "--format", "csv"],
    ["search", "furto", "--kwic", "--json"],
    ["list"],
    ["list", "--json"],
    ["show", "long"],
    ["show", "long", "--json"],
    ["timeline", "furto", "--by", "day"],
    ["timeline", "furto", "--by", "day", "--json"],
    ["similar", "a001", "--limit", "200"],
    ["sources", "--json"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_piped_into_head_stops_quietly_with_success(index: Path, args: list[str]) -> None:
    writer = subprocess.Popen(
        corpus_argv(index, *args),
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert writer.stdout is not None
    head = subprocess.run(["head", "-1"], stdin=writer.stdout, capture_output=True, timeout=60)
    writer.stdout.close()  # as the shell does: only head holds the pipe's reading end
    assert writer.wait(timeout=60) == 0
    assert writer.stderr is not None
    errors = writer.stderr.read().decode()
    writer.stderr.close()
    # The count line goes to stderr when the output is piped (list's as its footer,
    # search's before its hits), written before the pipe was known closed.
    counts = ("", f"{ARTICLES + 1} articles\n")
    assert errors in counts or re.fullmatch(r"\d+ articles? match(es)? \S.*\n\n?", errors), errors
    assert head.stdout.count(b"\n") == 1


def test_the_whole_output_still_arrives_when_read_to_the_end(index: Path) -> None:
    done = subprocess.run(
        corpus_argv(index, "search", "furto", "--json"), env=_env(), capture_output=True
    )
    assert done.returncode == 0
    assert done.stdout.count(b"\n") == ARTICLES + 1
