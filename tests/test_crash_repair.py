"""``kill -9`` during optimize and during repair, with real processes.

Whatever the moment of the kill, the index opens afterwards (a repair killed
before it dropped the damage still names it), and the next run completes to the
same articles a clean ingest gives.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

N_FOLDERS = 3
PER_FOLDER = 600
WORDS = ["rapina", "Modena", "carabinieri", "furto", "sindaco", "scuola", "neve", "treno"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CORPUS_INDEX", "FORCE_COLOR")}
    env["NO_COLOR"] = "1"
    return env


def corpus(index: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "corpus_cli", "--index", str(index), *args],
        env=_env(),
        capture_output=True,
        text=True,
    )


def start(index: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "corpus_cli", "--index", str(index), *args],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def ids(index: Path) -> list[str]:
    listed = corpus(index, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    return sorted(json.loads(line)["id"] for line in listed.stdout.splitlines())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("killed")
    rng = random.Random(9)
    index = root / "index"
    for f in range(N_FOLDERS):
        folder = root / "files" / f"part{f}"
        folder.mkdir(parents=True)
        for i in range(PER_FOLDER):
            body = " ".join(rng.choice(WORDS) for _ in range(80))
            (folder / f"a{f}_{i:04d}.txt").write_text(
                f"Articolo {f} {i}\n{body} parola{f}x{i}.\n", encoding="utf-8"
            )
        assert corpus(index, "ingest", str(folder)).returncode == 0
    return index, ids(index)


def killed_mid_run(
    prepare: Callable[[], Path],
    rng: random.Random,
    started: Callable[[Path], bool],
    *args: str,
) -> Path:
    """Run the command on a fresh copy and kill it once ``started`` (plus a little).

    On a busy machine a run may finish within the wait: it is tried again, each
    time killed sooner, and must be caught at work at least once.
    """
    for attempt in range(6):
        index = prepare()
        proc = start(index, *args)
        try:
            while not started(index) and proc.poll() is None:
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.3) / (attempt + 1))
        finally:
            proc.kill()
            proc.wait()
        if proc.returncode == -signal.SIGKILL:
            return index
        assert proc.returncode == 0
    pytest.fail("the command always finished before it could be killed")


@pytest.mark.parametrize("seed", range(3))
def test_sigkill_during_optimize(built: tuple[Path, list[str]], tmp_path: Path, seed: int) -> None:
    source, expected = built
    before = set(os.listdir(source))

    def prepare() -> Path:
        index = tmp_path / "index"
        shutil.rmtree(index, ignore_errors=True)
        shutil.copytree(source, index)
        return index

    def merging(index: Path) -> bool:
        # The merged segment's first files are being written.
        return any(n.startswith("corpus_") and n not in before for n in os.listdir(index))

    index = killed_mid_run(prepare, random.Random(seed), merging, "optimize")
    assert ids(index) == expected
    checked = corpus(index, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    done = corpus(index, "optimize")
    assert done.returncode == 0, done.stderr
    assert ids(index) == expected
    # The files the killed merge left are gone with the next commit.
    assert "interrupted write" not in corpus(index, "check").stdout


@pytest.mark.parametrize("seed", range(3))
def test_sigkill_during_repair(built: tuple[Path, list[str]], tmp_path: Path, seed: int) -> None:
    source, expected = built
    rng = random.Random(100 + seed)
    doomed = rng.choice(sorted(p.name for p in source.glob("*.pst")))

    def prepare() -> Path:
        index = tmp_path / "index"
        shutil.rmtree(index, ignore_errors=True)
        shutil.copytree(source, index)
        (index / doomed).unlink()
        return index

    def repairing(index: Path) -> bool:
        return (index / "repair.json").exists()  # the files to read again are recorded

    index = killed_mid_run(prepare, rng, repairing, "repair")
    listed = corpus(index, "list", "--json")
    assert "Traceback" not in listed.stderr
    if listed.returncode != 0:
        assert "corpus repair" in listed.stderr and listed.stderr.count("\n") == 1
    finished = corpus(index, "repair")
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert ids(index) == expected
    checked = corpus(index, "check")
    assert checked.returncode == 0, checked.stdout


@pytest.mark.parametrize("delay", [0.0, 0.5])
def test_the_index_folder_removed_during_an_ingest(
    built: tuple[Path, list[str]], tmp_path: Path, delay: float
) -> None:
    source, expected = built
    files = source.parent / "files"
    index = tmp_path / "index"
    proc = subprocess.Popen(
        [sys.executable, "-m", "corpus_cli", "--index", str(index), "ingest", str(files)],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while not (index / "_corpus_0.toc").exists():
            assert proc.poll() is None
            time.sleep(0.01)
        time.sleep(delay)
        shutil.rmtree(index)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 1, err
    assert err.startswith("corpus: The index folder") and "was removed" in err, err
    assert err.count("\n") == 1
    assert not index.exists()
    assert corpus(index, "ingest", str(files)).returncode == 0
    assert ids(index) == expected
