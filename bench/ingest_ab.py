"""A/B of ``corpus ingest`` between two installs, on bench.py's generated corpus.

    python bench/ingest_ab.py --baseline /work/main/.venv/bin/corpus [--articles N] [--runs R]
                              [--backend whoosh|postgresql]

Each round ingests the corpus into a fresh index once with the baseline's ``corpus``
and once with this checkout's (the order alternating), so background load falls on
both alike; the table gives medians and the ratio candidate / baseline. Besides wall
time it samples /proc every 50 ms for the whole process tree (the ingest, its fork
server and reading processes): the peak of the summed RSS (an upper bound: pages
the forked processes share are counted in each), the main process's peak
RSS, and the CPU seconds of the main process and of the rest (where the time goes).

With ``--backend postgresql`` each ingest goes into a fresh database of one throwaway
server (bench/postgres_server.py, durability at its defaults), and the server's CPU
seconds during the run are a row of their own: on a machine of two cores the client's
processes and the server share them, so the total is what bounds the rate.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

# bench/ is sys.path[0] when this file is run as a script, so its siblings import.
import postgres_server

import bench

PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")
MB = 1024 * 1024


@dataclass
class Sample:
    seconds: float
    tree_peak_mb: float = 0.0
    tree_pss_peak_mb: float = 0.0
    main_peak_mb: float = 0.0
    main_cpu: float = 0.0
    others_cpu: float = 0.0
    server_cpu: float = 0.0
    added: int = 0
    cpu: dict[int, float] = field(default_factory=dict)


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        out.setdefault(int(fields[1]), []).append(int(name))
    return out


def _tree(root: int) -> list[int]:
    children = _children()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _stat(pid: int) -> tuple[float, float] | None:
    """(RSS in MB, CPU seconds) of one process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    # Fields after the name: state is [0], utime [11], stime [12], rss [21].
    return int(fields[21]) * PAGE / MB, (int(fields[11]) + int(fields[12])) / TICK


def _pss(pid: int) -> float:
    """Proportional set size in MB: shared pages divided among the processes sharing them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def server_cpu(postmaster: int | None) -> float:
    """CPU seconds of a PostgreSQL server so far: its processes' own, and those of the
    backends it has already reaped (a connection's backend exits with its client)."""
    if postmaster is None:
        return 0.0
    total = 0.0
    for pid in _tree(postmaster):
        try:
            with open(f"/proc/{pid}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
        if pid == postmaster:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime
    return total / TICK


def run_ingest(corpus_cmd: str, corpus: Path, index: str, postmaster: int | None = None) -> Sample:
    env = dict(bench.CHILD_ENV)
    server_before = server_cpu(postmaster)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [corpus_cmd, "--index", index, "ingest", str(corpus), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=tempfile.gettempdir(),
    )
    sample = Sample(0.0)
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            total = pss = 0.0
            for pid in _tree(proc.pid):
                got = _stat(pid)
                if got is None:
                    continue
                rss, cpu = got
                total += rss
                pss += _pss(pid)
                sample.cpu[pid] = cpu
                if pid == proc.pid:
                    sample.main_peak_mb = max(sample.main_peak_mb, rss)
            sample.tree_peak_mb = max(sample.tree_peak_mb, total)
            sample.tree_pss_peak_mb = max(sample.tree_pss_peak_mb, pss)
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out, _ = proc.communicate()
    sample.seconds = time.perf_counter() - start
    done.set()
    watcher.join()
    sample.server_cpu = server_cpu(postmaster) - server_before
    if proc.returncode != 0:
        raise SystemExit(f"{corpus_cmd} ingest exited with {proc.returncode}")
    report = json.loads(out)
    sample.main_cpu = sample.cpu.pop(proc.pid, 0.0)
    sample.others_cpu = sum(sample.cpu.values())
    sample.cpu.clear()
    sample.added = report["added"]
    return sample


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", required=True, help="the baseline's corpus executable")
    parser.add_argument(
        "--candidate",
        default=str(Path(sys.executable).with_name("corpus")),
        help="the candidate's corpus executable (default: this venv's)",
    )
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backend", choices=("whoosh", "postgresql"), default="whoosh")
    args = parser.parse_args()

    corpus, _origin, _cached = bench.generated_corpus(args.articles)
    bench.warm_page_cache(bench.article_files(corpus))
    commands = {"baseline": args.baseline, "candidate": args.candidate}
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    work = Path(tempfile.mkdtemp(prefix="ingest-ab-"))
    stack = contextlib.ExitStack()
    server: postgres_server.Server | None = None
    postmaster: int | None = None
    if args.backend == "postgresql":
        bindir = postgres_server.find_bindir()
        if bindir is None:
            raise SystemExit("ingest_ab: no PostgreSQL server binaries (set PG_BINDIR)")
        server = stack.enter_context(postgres_server.running(bindir))
        postmaster = int((server.data / "postmaster.pid").read_text().split()[0])
    try:
        for n in range(args.runs):
            order = list(commands) if n % 2 == 0 else list(reversed(commands))
            for name in order:
                if server is not None:
                    server.drop_database("ingest_ab")
                    server.create_database("ingest_ab")
                    server.sql("CHECKPOINT")  # this run's checkpoints are its own
                    index = server.uri("ingest_ab")
                else:
                    shutil.rmtree(work / name, ignore_errors=True)
                    index = str(work / name)
                got = run_ingest(commands[name], corpus, index, postmaster)
                if got.added != args.articles:
                    raise SystemExit(f"{name} added {got.added} of {args.articles}")
                samples[name].append(got)
                bench.log(
                    f"run {n + 1} {name}: {got.seconds:.1f} s, "
                    f"{args.articles / got.seconds:,.0f} articles/s, "
                    f"tree peak {got.tree_peak_mb:.0f} MB (PSS {got.tree_pss_peak_mb:.0f}), "
                    f"main peak {got.main_peak_mb:.0f} MB, "
                    f"main CPU {got.main_cpu:.1f} s, "
                    f"others {got.others_cpu:.1f} s"
                    + (f", server {got.server_cpu:.1f} s" if server else "")
                )
    finally:
        stack.close()
        shutil.rmtree(work, ignore_errors=True)

    def med(name: str, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in samples[name])

    rows = [
        ("articles/s", lambda name: args.articles / med(name, "seconds"), "{:,.0f}"),
        ("wall time, s", lambda name: med(name, "seconds"), "{:.1f}"),
        ("peak RSS, sum of tree, MB", lambda name: med(name, "tree_peak_mb"), "{:.0f}"),
        ("peak PSS, sum of tree, MB", lambda name: med(name, "tree_pss_peak_mb"), "{:.0f}"),
        ("peak RSS, main process, MB", lambda name: med(name, "main_peak_mb"), "{:.0f}"),
        ("CPU, main process, s", lambda name: med(name, "main_cpu"), "{:.1f}"),
        ("CPU, other processes, s", lambda name: med(name, "others_cpu"), "{:.1f}"),
    ]
    if server is not None:
        rows.append(("CPU, PostgreSQL server, s", lambda name: med(name, "server_cpu"), "{:.1f}"))

        def total(name: str) -> float:
            return statistics.median(
                s.main_cpu + s.others_cpu + s.server_cpu for s in samples[name]
            )

        rows.append(("CPU, all of it, s", total, "{:.1f}"))
    print(
        f"corpus ingest ({args.backend}), {args.articles:,} articles, "
        f"{args.runs} paired runs, medians"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"| {'':28} | {'baseline':>9} | {'candidate':>9} | {'ratio':>6} |")
    print(f"|{'-' * 30}|{'-' * 11}|{'-' * 11}|{'-' * 8}|")
    for label, value, fmt in rows:
        base, cand = value("baseline"), value("candidate")
        ratio = f"{cand / base:.2f}" if base else ""
        print(f"| {label:28} | {fmt.format(base):>9} | {fmt.format(cand):>9} | {ratio:>6} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
