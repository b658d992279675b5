"""A dump of about 1 GB of JSON Lines, ingested: records per second and peak memory.

    python bench/dump.py                    # ~1 GB, Whoosh: the better part of an hour here
    python bench/dump.py --size-mb 100      # a quick look; the rate extrapolates
    python bench/dump.py --compress gz      # the same dump as dump.jsonl.gz
    python bench/dump.py --index postgresql:///corpus_bench   # into a PostgreSQL database

The articles are sentences of dice-modena recombined (``bench.py``'s generator, ~600
words each), one JSON object a line with id, date, source, url and text. The dump is
cached under /tmp/corpus-bench/ by size and compression; the index is built afresh.

Peak memory is read from /proc while the ingest runs: the ingest process's own
high-water mark (VmHWM, exact), and the largest sum of resident memory over it and
its reading processes seen at any sample (every 0.2 s). Target: ≤ 400 MB for the
ingest process.
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import json
import lzma
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

import bench  # bench/bench.py: the sentence source and the article generator

MB = 1024 * 1024
TARGET_RSS_MB = 400
CACHE = Path(tempfile.gettempdir()) / "corpus-bench"


def generate(target: Path, size: int, compress: str | None) -> int:
    """Write JSON Lines articles until ``size`` bytes (uncompressed); returns the count."""
    sentences = bench.load_sentences(bench.source_folder())
    rng = random.Random(bench.SEED)
    opener: dict[str | None, Any] = {
        None: open,
        "gz": lambda p, m: gzip.open(p, m, compresslevel=3),  # noqa: SIM115
        "bz2": bz2.open,
        "xz": lzma.open,
        "zst": _zst_open,
    }
    written = count = 0
    partial = target.with_name(target.name + ".part")
    with opener[compress](partial, "wt") as out:
        while written < size:
            count += 1
            head, _, body = bench.make_article(rng, sentences, count).partition("\n\n")
            fields = dict(line.split(": ", 1) for line in head.splitlines())
            title, _, text = body.partition("\n\n")
            line = json.dumps(
                {"id": f"dump-{count}", "title": title[:120], "text": text, **fields},
                ensure_ascii=False,
            )
            out.write(line + "\n")
            written += len(line.encode("utf-8")) + 1
    partial.rename(target)
    (target.parent / "count").write_text(str(count))
    return count


def _zst_open(path: Path, mode: str) -> IO[str]:
    import io

    import zstandard

    raw = zstandard.ZstdCompressor(level=3).stream_writer(open(path, "wb"))  # noqa: SIM115
    return io.TextIOWrapper(raw, encoding="utf-8")


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants."""
    total = 0
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    todo = [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        total += _status(current, "VmRSS")
    return total


def _status(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def ingest(index: str, dump: Path) -> tuple[float, int, int, dict[str, Any]]:
    """Seconds, the ingest process's peak RSS, the process tree's, and its summary."""
    corpus = Path(sys.executable).with_name("corpus")
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(corpus), "--index", index, "ingest", "--json", str(dump)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    own = tree = 0
    while proc.poll() is None:
        own = max(own, _status(proc.pid, "VmHWM"))
        tree = max(tree, tree_rss(proc.pid))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"bench: ingest exited with {proc.returncode}: {err.strip()}")
    return seconds, own, tree, json.loads(out.splitlines()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="dump size, uncompressed")
    parser.add_argument("--compress", choices=["gz", "bz2", "xz", "zst"])
    parser.add_argument("--index", help="where to ingest (default: a fresh folder in /tmp)")
    args = parser.parse_args()

    folder = CACHE / f"dump-{args.size_mb}mb-seed{bench.SEED}"
    folder.mkdir(parents=True, exist_ok=True)
    dump = folder / ("dump.jsonl" + (f".{args.compress}" if args.compress else ""))
    if not dump.exists():
        bench.log(f"writing {dump} ({args.size_mb} MB of JSON Lines)")
        generate(dump, args.size_mb * MB, args.compress)
    records = int((folder / "count").read_text())

    workdir = Path(tempfile.mkdtemp(prefix="corpus-dump-"))
    index = args.index or str(workdir / "index")
    try:
        bench.log(f"ingesting {records:,} records into {index}")
        seconds, own, tree, summary = ingest(index, dump)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if summary["added"] != records:
        bench.log(f"WARNING: {summary['added']} added of {records} records")

    rows = [
        ("dump", f"{dump.name}, {dump.stat().st_size / MB:,.0f} MB on disk"),
        ("uncompressed", f"{args.size_mb:,} MB"),
        ("records", f"{records:,} ({summary['added']:,} added)"),
        ("wall time", f"{seconds:,.0f} s"),
        ("records/s", f"{records / seconds:,.0f}"),
        ("MB/s", f"{args.size_mb / seconds:,.2f}"),
        (
            "peak RSS, ingest process",
            f"{own / MB:,.0f} MB ({'PASS' if own / MB <= TARGET_RSS_MB else 'FAIL'}"
            f" ≤ {TARGET_RSS_MB} MB)",
        ),
        ("peak RSS, with its readers", f"{tree / MB:,.0f} MB"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
