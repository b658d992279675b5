"""What the integrity records cost: ingest and opening with and without them, and check.

    python bench/integrity.py                  # 3,000 articles, 3 runs each
    python bench/integrity.py --articles 10000 --runs 5

Every commit of a Whoosh index now flushes its new segment's files to disk, sums
them (CRC-32) and writes two small JSON records; every command compares the live
files' sizes with the record when it opens the index. The baseline is the same
``corpus`` with those calls made no-ops (patched in the child process, nothing
else changed). Times are medians of whole processes, interpreter start-up
included, the two variants run in alternation so that background load falls on
both. The corpus is bench.py's generated one (cached under /tmp/corpus-bench/).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench  # bench/bench.py: the generated corpus

#: The baseline: the records' writing and the opening check switched off.
NO_RECORDS = """
import sys
from corpus_cli.storage.whoosh import integrity
integrity.record = lambda *a, **k: None
integrity.add_toc = lambda *a, **k: None
integrity.sweep = lambda *a, **k: None
integrity.verify = lambda *a, **k: None
from corpus_cli.cli import cli
sys.argv = ["corpus", *sys.argv[1:]]
cli()
"""


def timed(args: list[str], baseline: bool) -> float:
    head = [sys.executable, "-c", NO_RECORDS] if baseline else [sys.executable, "-m", "corpus_cli"]
    began = time.perf_counter()
    done = subprocess.run([*head, *args], capture_output=True, text=True)
    took = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.strip()}")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    corpus, _, _ = bench.generated_corpus(options.articles)
    work = Path(tempfile.mkdtemp(prefix="corpus-integrity-"))
    samples: dict[str, list[float]] = {}
    try:
        for run in range(options.runs):
            for baseline in (False, True):
                name = "without records" if baseline else "with records"
                index = work / f"{run}-{int(baseline)}"
                took = timed(["--index", str(index), "ingest", str(corpus)], baseline)
                samples.setdefault(f"ingest {name}", []).append(took)
                took = timed(["--index", str(index), "search", "--count", "sindaco"], baseline)
                samples.setdefault(f"search --count {name}", []).append(took)
            index = work / f"{run}-0"
            samples.setdefault("check (every file summed, every segment read)", []).append(
                timed(["--index", str(index), "check"], False)
            )
        size = sum(p.stat().st_size for p in (work / "0-0").iterdir())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{options.articles:,} articles, index {size / 1e6:.0f} MB, {options.runs} runs\n")
    print(f"{'what':<50} {'median s':>9} {'ratio':>7}")
    for what, values in samples.items():
        median = statistics.median(values)
        base = samples.get(what.replace("with records", "without records"))
        ratio = (
            f"{median / statistics.median(base):.2f}"
            if base is not None and "with records" in what
            else ""
        )
        print(f"{what:<50} {median:>9.2f} {ratio:>7}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
