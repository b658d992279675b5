"""The README's tour on the seeds, replayed: each command's output as the README shows it.

The README's examples are drawn on a 100-column console (the golden outputs of
test_output.py on 80), from a folder holding ``seeds/``, with the default ``./index``.
The README leaves out the trailing spaces Rich pads table cells with, and cuts the
article that ``show`` prints short after its first line of text, ending it with "…".
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus_cli.cli import cli

from .conftest import CALLER_ENVIRONMENT, SEEDS

README = Path(__file__).resolve().parents[2] / "README.md"
WIDE = {"COLUMNS": "100", "LINES": "25"}


def tour() -> list[tuple[str, list[str]]]:
    """``(command, output lines)`` of the first console block under "A tour, on the seeds"."""
    section = README.read_text(encoding="utf-8").split("\n## A tour, on the seeds\n", 1)[-1]
    block = section.split("```console\n", 1)[-1].split("\n```", 1)[0]
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:].split("  #")[0].strip(), []))
        elif steps:
            steps[-1][1].append(line)
    return [(command, _trimmed(lines)) for command, lines in steps]


def _trimmed(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return [line.rstrip() for line in lines]


TOUR = tour()


def test_the_tour_is_there() -> None:
    commands = [command for command, _ in TOUR]
    assert commands[:2] == ["corpus ingest seeds/", "corpus ingest seeds/"]
    assert "corpus search esercitazioni --limit 2" in commands
    assert "corpus list" in commands and "corpus stats" in commands


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    """Every command of the tour, run in order in a fresh folder: their output lines."""
    root = tmp_path_factory.mktemp("tour")
    shutil.copytree(SEEDS, root / "seeds")
    env: dict[str, str | None] = {name: None for name in CALLER_ENVIRONMENT}
    env.update(WIDE)
    outputs: list[list[str]] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        for command, _ in TOUR:
            args = shlex.split(command)
            assert args[0] == "corpus", command
            result = CliRunner().invoke(cli, args[1:], env=env)
            assert result.exit_code == 0, (command, result.output)
            # What a terminal shows: stdout and stderr as they were written (off a
            # terminal the counts of search and list go to stderr).
            outputs.append(_trimmed(result.output.splitlines()))
    return outputs


@pytest.mark.parametrize(("step", "command"), list(enumerate(c for c, _ in TOUR)))
def test_tour_output_is_what_the_readme_shows(
    replayed: list[list[str]], step: int, command: str
) -> None:
    shown = TOUR[step][1]
    printed = replayed[step]
    if command.startswith("corpus show "):
        # The README stops after the first words of the article's text.
        *whole, cut = shown
        assert cut.endswith(" …")
        assert printed[: len(whole)] == whole
        assert printed[len(whole)].startswith(cut.removesuffix("…"))
    else:
        assert printed == shown
