"""Watches lose nothing: a hit is remembered as shown only once it was written.

``--limit``, ``reset``, the warning for a source no article has, and what a run
remembers when its reader goes away (a closed pipe) or the user presses Ctrl-C.
The watches live in the store (a file beside a Whoosh index, a table in
PostgreSQL), so every test runs on both backends.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from corpus_cli.render import rows

from .conftest import SEED_IDS, Backend, article, write

#: The seeds matching "esercitazioni", oldest first (the order a watch shows them).
EXERCISES_OLDEST_FIRST = [SEED_IDS[0], SEED_IDS[3], SEED_IDS[1], SEED_IDS[2]]


def new_ids(backend: Backend, *args: str) -> list[str]:
    return backend.ids("watch", "run", "esercitazioni", "--json", *args)


def test_limit_shows_the_oldest_new_hits_and_keeps_the_rest_new(seeded: Backend) -> None:
    assert seeded.run("watch", "add", "esercitazioni", "esercitazioni").exit_code == 0
    human = seeded.run("watch", "run", "--limit", "1")
    assert human.exit_code == 0, human.output
    # Whitespace aside: the header wraps at 80 columns.
    assert " ".join(human.stdout.split()).startswith(
        "watch esercitazioni: 4 new of 4 matching esercitazioni (showing 1; 3 more next run) 1."
    )
    assert new_ids(seeded, "--limit", "2") == EXERCISES_OLDEST_FIRST[1:3]
    assert new_ids(seeded, "--limit", "5") == EXERCISES_OLDEST_FIRST[3:]
    assert new_ids(seeded) == []
    assert seeded.run("watch", "run", "--limit", "0").exit_code == 2


def test_reset_shows_every_match_again(seeded: Backend) -> None:
    seeded.run("watch", "add", "esercitazioni", "esercitazioni")
    assert new_ids(seeded) == EXERCISES_OLDEST_FIRST
    reset = seeded.run("watch", "reset", "esercitazioni")
    assert reset.exit_code == 0, reset.output
    assert reset.stdout == ("Reset watch 'esercitazioni'; its next run shows every match again.\n")
    [listed] = seeded.rows("watch", "list", "--json")
    assert (listed["seen"], listed["last_run"]) == (0, None)
    assert new_ids(seeded) == EXERCISES_OLDEST_FIRST
    unknown = seeded.run("watch", "reset", "nessuno")
    assert unknown.exit_code == 1
    assert "No watch named 'nessuno'" in unknown.stderr


def test_add_warns_about_a_source_no_article_has(seeded: Backend) -> None:
    typo = seeded.run("watch", "add", "refuso", "esercitazioni", "--source", "seedz")
    assert typo.exit_code == 0  # saved all the same: the articles may come later
    assert typo.stdout == "Saved watch 'refuso'; 'corpus watch run' shows its hits.\n"
    assert typo.stderr.count("\n") == 1
    assert "No article has the source 'seedz' yet" in typo.stderr
    assert [w["name"] for w in seeded.rows("watch", "list", "--json")] == ["refuso"]
    good = seeded.run("watch", "add", "giusto", "esercitazioni", "--source", "seeds")
    assert (good.exit_code, good.stderr) == (0, "")


def test_ctrl_c_half_way_remembers_only_the_hits_written(
    seeded: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded.run("watch", "add", "esercitazioni", "esercitazioni")
    real_row = rows.hit_row
    made: list[int] = []

    def interrupted(*args: Any, **kwargs: Any) -> dict[str, Any]:
        # Ctrl-C while the third hit is being made: two were written.
        if len(made) == 2:
            raise KeyboardInterrupt
        made.append(1)
        return real_row(*args, **kwargs)

    monkeypatch.setattr(rows, "hit_row", interrupted)
    stopped = seeded.run("watch", "run", "--json")
    assert stopped.exit_code == 130
    shown = [json.loads(line)["id"] for line in stopped.stdout.splitlines()]
    assert shown == EXERCISES_OLDEST_FIRST[:2]
    monkeypatch.setattr(rows, "hit_row", real_row)
    assert new_ids(seeded) == EXERCISES_OLDEST_FIRST[2:]


def test_a_closed_pipe_leaves_the_unwritten_hits_new(backend: Backend, tmp_path: Path) -> None:
    # 400 hits of ~1 KB as JSON: far more than a pipe and head's read hold, so the
    # run is still writing when head has its line and goes.
    folder = tmp_path / "furti"
    for n in range(400):
        text = f"Furto numero {n} in via Emilia. " + " ".join(f"parola{n}x{k}" for k in range(80))
        write(folder, f"f{n:03d}.txt", article(text, date=f"2020-{n % 12 + 1:02d}-01"))
    assert backend.ingest(folder)["added"] == 400
    assert backend.run("watch", "add", "furti", "furto").exit_code == 0

    # The fixture's environment (PostgreSQL's PG* variables) is os.environ's.
    env = {**os.environ, "NO_COLOR": "1"}
    argv = [sys.executable, "-m", "corpus_cli", "--index", backend.location, "watch", "run"]
    writer = subprocess.Popen([*argv, "--json"], env=env, stdout=subprocess.PIPE)
    assert writer.stdout is not None
    head = subprocess.run(["head", "-1"], stdin=writer.stdout, capture_output=True, timeout=60)
    writer.stdout.close()
    assert writer.wait(timeout=60) == 0
    first = json.loads(head.stdout)["id"]

    [listed] = backend.rows("watch", "list", "--json")
    marked = listed["seen"]
    # The line head printed is remembered; the rows never written are not. (What
    # was written but thrown away unread by head, a pipe's worth, cannot be known.)
    assert 1 <= marked < 300
    second = backend.ids("watch", "run", "--json")
    assert first not in second
    assert len(second) == 400 - marked
    assert backend.ids("watch", "run", "--json") == []
