"""Crashes, interruptions and readers during an ingest, with real processes.

An ingest of 3,000 small articles is killed with SIGKILL at random moments, interrupted
with SIGINT, and searched while it writes. The index must always open, keep every
finished batch, and end up complete after one more run.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from corpus_cli.errors import IndexNotFound
from corpus_cli.query import parse
from corpus_cli.services.ingest import BATCH_ARTICLES
from corpus_cli.storage import open_store

N = 3000
WORDS = [
    *("esercitazioni", "congiunte", "Mosca", "Pechino", "governo", "ministro", "difesa"),
    *("accordo", "navi", "aerei", "truppe", "confine", "vertice", "presidente"),
    *("sanzioni", "economia", "energia", "gas", "petrolio"),
]


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big") / "articles"
    folder.mkdir()
    rng = random.Random(3000)
    for i in range(N):
        body = " ".join(rng.choice(WORDS) for _ in range(30))
        (folder / f"a{i:05d}.txt").write_text(
            f"date: 2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}\n\n"
            f"Articolo numero {i} della prova\n{body} parola{i}.\n",
            encoding="utf-8",
        )
    return folder


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CORPUS_INDEX", "FORCE_COLOR")}
    env["NO_COLOR"] = "1"
    return env


def _argv(index: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "corpus_cli", "--index", str(index), *args]


def start(index: Path, *args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(_argv(index, *args), env=_env(), cwd=index.parent, **kwargs)


def corpus(index: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _argv(index, *args), env=_env(), cwd=index.parent, capture_output=True, text=True
    )


def indexed(index: Path) -> int | None:
    """Articles committed so far, as any other reader sees them; None: no index yet.

    Every article's title has "Articolo", so the number of hits is the number of
    articles (``stats`` would do, but fails on an index with no article yet: see
    test_robustness.py::test_stats_of_an_index_with_no_article_yet).
    """
    try:
        return open_store(index).search(parse("articolo"), limit=1).total
    except IndexNotFound:
        return None


def wait_until(done: Callable[[], bool], proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if proc.poll() is not None:
            return
        assert time.monotonic() < deadline, "the ingest made no progress"
        time.sleep(0.05)


def stats(index: Path) -> dict[str, Any]:
    result = corpus(index, "stats", "--json")
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    row: dict[str, Any] = json.loads(result.stdout)
    return row


def listed(index: Path) -> list[str] | None:
    """The ids ``corpus list --json`` gives; None when there is no index yet."""
    result = corpus(index, "list", "--json")
    assert "Traceback" not in result.stderr
    if result.returncode == 1 and result.stderr.startswith("corpus: No index at"):
        return None
    assert result.returncode == 0, result.stderr
    return [json.loads(line)["id"] for line in result.stdout.splitlines()]


def test_sigkill_at_random_moments_never_breaks_the_index(big: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    rng = random.Random(20261122)
    kept = 0
    for round_ in range(3):
        proc = start(index, "ingest", "--json", str(big), stdout=subprocess.DEVNULL)
        try:
            if round_ == 0:
                time.sleep(rng.uniform(0.3, 3.0))
            else:
                # Once this run has committed a batch, at a random moment of the next
                # batch (or of its commit, which is a good part of the time).
                wait_until(lambda k=kept: (indexed(index) or 0) > k, proc, timeout=60)
                time.sleep(rng.uniform(0.0, 1.5))
        finally:
            proc.kill()
            proc.wait()
        assert proc.returncode in (-signal.SIGKILL, 0)
        ids = listed(index)
        if ids is None:  # killed before the index was created
            assert kept == 0
            continue
        now = len(ids)
        assert len(set(ids)) == now
        # Batches are whole or absent; finished ones survive the kill.
        assert now % BATCH_ARTICLES == 0 or now == N
        assert kept <= now <= N
        if round_ > 0:
            assert now > kept
        if now:
            assert stats(index)["articles"] == now
        search = corpus(index, "search", "esercitazioni", "--json")
        assert search.returncode == 0, search.stderr
        kept = now
        if kept == N:
            break  # this run finished before the kill (reading in parallel, it can)
    # The dead writer left its lock behind; it must not block this run.
    final = corpus(index, "ingest", "--json", str(big))
    assert final.returncode == 0, final.stderr
    assert json.loads(final.stdout) == {
        "added": N - kept,
        "updated": 0,
        "unchanged": kept,
        "removed": 0,
        "duplicates": [],
        "skipped": [],
        "relabelled": 0,
    }
    assert stats(index)["articles"] == N
    ids = listed(index)
    assert ids is not None and len(ids) == N
    assert set(ids) == {f"a{i:05d}" for i in range(N)}
    search = corpus(index, "search", "parola1234", "--json")
    assert [json.loads(line)["id"] for line in search.stdout.splitlines()] == ["a01234"]


def test_ctrl_c_exits_130_and_keeps_finished_batches(big: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    proc = start(
        index, "ingest", "--json", str(big), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        wait_until(lambda: (indexed(index) or 0) > 0, proc, timeout=60)
        time.sleep(random.Random(130).uniform(0.0, 0.5))
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert out == b""
    kept = stats(index)["articles"]
    assert err.decode() == (
        f"corpus: interrupted; {kept} articles written before it are kept. "
        "Run the same ingest again to add the rest.\n"
    )
    assert 0 < kept < N
    assert kept % BATCH_ARTICLES == 0
    assert len(listed(index) or []) == kept


def test_searches_while_an_ingest_writes_never_fail(big: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    proc = start(index, "ingest", "--json", str(big), stdout=subprocess.PIPE)
    reads = 0
    seen: list[int] = []
    try:
        while proc.poll() is None:
            search = corpus(index, "search", "esercitazioni congiunte", "--json")
            assert "Traceback" not in search.stderr
            if search.returncode == 1:
                assert search.stderr.startswith("corpus: No index at") and not seen
            else:
                assert search.returncode == 0, search.stderr
            ids = listed(index)
            if ids is not None:
                assert len(set(ids)) == len(ids) and len(ids) % BATCH_ARTICLES == 0
                seen.append(len(ids))
                assert stats(index)["articles"] >= len(ids)
            reads += 1
    finally:
        out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert json.loads(out)["added"] == N
    assert reads >= 3
    assert seen == sorted(seen)
    assert any(0 < n < N for n in seen)  # the reads saw the index grow, not just before/after
    assert stats(index) == {
        "articles": N,
        "undated": 0,
        "dated_by_metadata": N,
        "dated_by_inference": 0,
        "first_date": "2023-01-01",
        "last_date": "2023-12-28",
        "sources": {"articles": N},
        "languages": {"it": N},
    }


def test_ctrl_c_message_is_exactly_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from corpus_cli.cli import cli
    from corpus_cli.services import ingest

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "ingest", interrupted)
    result = CliRunner().invoke(cli, ["--index", str(tmp_path / "index"), "ingest", "x"])
    assert result.exit_code == 130
    assert result.stderr == "corpus: interrupted.\n"


@pytest.mark.parametrize(
    ("stop_at", "message"),
    [
        (
            1,
            "corpus: interrupted before the first batch was written; "
            "no article of this run was kept.\n",
        ),
        (
            5,
            "corpus: interrupted; 2 articles written before it are kept. "
            "Run the same ingest again to add the rest.\n",
        ),
    ],
)
def test_ctrl_c_says_how_many_articles_were_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop_at: int, message: str
) -> None:
    """Batches of 2, then 4: Ctrl-C at the fifth file keeps the first batch's two."""
    from click.testing import CliRunner

    from corpus_cli.cli import cli
    from corpus_cli.render.terminal import Terminal
    from corpus_cli.services import ingest

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(8):
        (folder / f"a{i}.txt").write_text(f"Articolo {i}: parola{i}.\n", encoding="utf-8")
    monkeypatch.setattr(ingest, "BATCH_ARTICLES", 2)

    @contextmanager
    def progress(self: Terminal, enabled: bool = True) -> Iterator[Any]:
        def update(done: int, total: int, path: str, records: int = 0) -> None:
            if done == stop_at:
                raise KeyboardInterrupt

        yield update

    monkeypatch.setattr(Terminal, "progress", progress)
    index = str(tmp_path / "index")
    result = CliRunner().invoke(cli, ["--index", index, "ingest", str(folder)])
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", message)


def test_sigkill_inside_a_dump_then_one_run_completes_it(big: Path, tmp_path: Path) -> None:
    # The 3,000 articles as one gzipped JSON Lines dump: it spans several batches,
    # and the kill comes once the first of them is committed.
    import gzip

    dump = tmp_path / "feed" / "dump.jsonl.gz"
    dump.parent.mkdir()
    with gzip.open(dump, "wt", encoding="utf-8") as out:
        for path in sorted(big.iterdir()):
            head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
            date = head.removeprefix("date: ")
            out.write(json.dumps({"id": path.stem, "date": date, "text": body}) + "\n")
    index = tmp_path / "index"
    proc = start(index, "ingest", "--json", str(dump.parent), stdout=subprocess.DEVNULL)
    try:
        wait_until(lambda: (indexed(index) or 0) > 0, proc, timeout=60)
    finally:
        proc.kill()
        proc.wait()
    ids = listed(index)
    assert ids is not None and len(set(ids)) == len(ids)
    kept = len(ids)
    assert kept > 0  # searchable meanwhile
    if proc.returncode == -signal.SIGKILL:
        assert kept < N
        # The dump is not taken for ingested: the next run reads it again whole.
        final = corpus(index, "ingest", "--json", str(dump.parent))
        assert final.returncode == 0, final.stderr
        summary = json.loads(final.stdout)
        assert (summary["added"], summary["updated"], summary["unchanged"]) == (N, 0, 0)
    ids = listed(index)
    assert ids is not None and sorted(ids) == [f"a{i:05d}" for i in range(N)]
    again = corpus(index, "ingest", "--json", str(dump.parent))
    assert json.loads(again.stdout)["unchanged"] == N
