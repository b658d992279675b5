"""How fast `corpus ingest` reads saved web pages, and what the HTML reader's text is.

    python bench/html_ingest.py                  # time ingest of pages-dev: baseline vs this tree
    python bench/html_ingest.py --runs 7         # more paired runs (default 5)
    python bench/html_ingest.py --text           # compare the extracted text, baseline vs this tree
    python bench/html_ingest.py --profile 100    # cProfile this tree's reading of 100 pages

The pages are ``pages.tar.xz`` of ``../shared/corpora/pages-dev/`` (363 saved pages of news
sites, blogs and institutions; 362 of them end in ``.html``, which ingest reads), extracted
to a temporary folder.

Timing: a whole ``corpus --index NEW ingest PAGES --json`` process (start-up, the pool of
reading processes, writing the index), into a new index each run. The baseline and this
tree run in rounds (baseline, this tree; the next round the other way round), so the
machine's background load is shared between them; the table gives the median wall time,
pages per second (pages = files ingest looked at: added plus skipped) and the ratio. The
baseline is another install's ``corpus`` (``--baseline``, default ``/work/main``'s venv:
the code this branch started from, or whatever has been merged there since; its commit is
printed).

``--text`` reads every page in-process with each install's reader (``read_records``, what
ingest does for a file; the baseline's through its own interpreter) and compares: pages with
text, pages that lose more than 10% of their words, and the title, site name and extra
fields (author, tags, categories, description) that differ. ``--show N`` prints the N pages
that lose most.

``--profile N`` runs this tree's reading of the first N pages (``read_records`` then
``resolve``) under cProfile in this process and prints the cumulative time of the parts:
trafilatura's extraction, its fallback extractors, its metadata, htmldate, the date voting
of ``page_dates``, language detection, lxml's parsing.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
PAGES_DEV = BENCH.parent.parent / "shared" / "corpora" / "pages-dev"
MAIN_CORPUS = Path("/work/main/.venv/bin/corpus")
LOSS = 0.10  # a page "loses text" when it has more than 10% fewer words


def extract(archive: Path, into: Path) -> Path:
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return next(p.parent for p in into.rglob("*.html"))


def this_corpus() -> str:
    return str(Path(sys.executable).with_name("corpus"))


def git_commit(command: str) -> str:
    """The commit of the checkout an install's ``corpus`` runs (an editable install), and
    whether that checkout has changes not committed (then it is not that commit's code)."""
    checkout = str(Path(command).resolve().parent.parent.parent)
    try:
        head = subprocess.run(
            ["git", "-C", checkout, "log", "-1", "--format=%h %s"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", checkout, "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return f"{head[:70]}{' + CHANGES NOT COMMITTED' if dirty else ''}"


def _stat(pid: str) -> tuple[int, int] | None:
    """A process's parent and CPU ticks (user + system), from /proc."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), int(fields[11]) + int(fields[12])


def tree_ticks(root: int, seen: dict[int, int]) -> None:
    """Update ``seen`` with the CPU ticks of ``root`` and every process below it."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(entry)) is not None:
            parents[int(entry)], ticks[int(entry)] = stat
    for pid, tick in ticks.items():
        ancestor = pid
        while ancestor not in (root, 0, 1) and ancestor in parents:
            ancestor = parents[ancestor]
        if ancestor == root:
            seen[pid] = max(seen.get(pid, 0), tick)


def ingest(command: str, pages: Path, work: Path) -> tuple[float, float, int]:
    """Wall seconds of one ingest into a new index, the CPU seconds of its processes (the
    ingest, its fork server and reading processes: sampled every 50 ms, so a few tens of
    ms may go unseen), and the files it looked at."""
    index = work / "index"
    shutil.rmtree(index, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["CORPUS_SERVER"] = "off"
    seen: dict[int, int] = {}
    start = time.perf_counter()
    with subprocess.Popen(
        [command, "--index", str(index), "ingest", str(pages), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=work,  # not a repository: a corpus_cli folder in cwd would shadow the install
        env=env,
    ) as proc:
        while proc.poll() is None:
            tree_ticks(proc.pid, seen)
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        out, err = proc.communicate()
    if proc.returncode != 0:
        sys.exit(f"{command} ingest failed ({proc.returncode}): {err.strip()[-500:]}")
    report = json.loads(out.strip().splitlines()[-1])
    cpu = sum(seen.values()) / os.sysconf("SC_CLK_TCK")
    return seconds, cpu, report["added"] + report["updated"] + len(report["skipped"])


def time_ingests(baseline: str, pages: Path, runs: int) -> None:
    commands = {"baseline": baseline, "this tree": this_corpus()}
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    counts: dict[str, int] = {}
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="html-ingest-") as tmp:
        work = Path(tmp)
        for command in commands.values():  # warm-up: page cache, .pyc files
            ingest(command, pages, work)
        for run in range(runs):
            order = list(commands) if run % 2 == 0 else list(reversed(commands))
            for name in order:
                seconds, cpu, counts[name] = ingest(commands[name], pages, work)
                times[name].append(seconds)
                cpus[name].append(cpu)
                print(f"  run {run + 1} {name}: {seconds:.2f} s, CPU {cpu:.2f} s", file=sys.stderr)
    print(f"baseline: {baseline} (commit {git_commit(baseline)})")
    print(f"runs: {runs} paired; load average at start {load:.1f} on {os.cpu_count()} cores")
    print(
        f"{'':<10} {'pages':>5} {'median s':>9} {'pages/s':>8} {'min s':>7} {'max s':>7}"
        f" {'ratio':>6} {'CPU s':>6} {'CPU ms/page':>12} {'ratio':>6}"
    )
    base = statistics.median(times["baseline"])
    base_cpu = statistics.median(cpus["baseline"])
    for name in commands:
        median = statistics.median(times[name])
        cpu = statistics.median(cpus[name])
        print(
            f"{name:<10} {counts[name]:5d} {median:9.2f} {counts[name] / median:8.1f} "
            f"{min(times[name]):7.2f} {max(times[name]):7.2f} {base / median:5.2f}x"
            f" {cpu:6.1f} {1000 * cpu / counts[name]:12.1f} {base_cpu / cpu:5.2f}x"
        )


# ----------------------------------------------------------------------------- text


def dump_records(pages: Path) -> None:
    """One JSON line a page: what this interpreter's HTML reader gives (``--dump``)."""
    from corpus_cli.readers import RawRecord, read_records

    for path in sorted(pages.iterdir()):
        if path.suffix not in (".html", ".htm"):
            continue
        row: dict[str, Any] = {"name": path.name}
        for record in read_records(path):
            if isinstance(record, RawRecord):
                row.update(
                    text=record.text,
                    title=record.title,
                    source=record.source,
                    url=record.url,
                    date=record.date,
                    extra=record.extra,
                )
            else:
                row["error"] = record.reason
            break
        print(json.dumps(row, ensure_ascii=False, default=str))


def read_with(python: str, pages: Path) -> dict[str, dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [python, str(Path(__file__).resolve()), "--dump", str(pages)],
        capture_output=True,
        text=True,
        check=True,
        cwd=pages.parent,  # not a repository (see ingest)
        env=env,
    )
    rows = (json.loads(line) for line in done.stdout.splitlines() if line.strip())
    return {row["name"]: row for row in rows}


def compare_text(baseline: str, pages: Path, show: int) -> None:
    python = str(Path(baseline).with_name("python"))
    old = read_with(python, pages)
    new = read_with(sys.executable, pages)
    names = sorted(old)
    with_text = {
        label: sum(1 for n in names if rows[n].get("text"))
        for label, rows in (("baseline", old), ("this tree", new))
    }
    losses = []
    for name in names:
        before = len((old[name].get("text") or "").split())
        after = len((new[name].get("text") or "").split())
        if before:
            losses.append(((before - after) / before, name, before, after))
    losses.sort(reverse=True)
    print(f"baseline: {python} (commit {git_commit(baseline)}); pages: {len(names)}")
    print(f"pages with text: baseline {with_text['baseline']}, this tree {with_text['this tree']}")
    words_old = sum(b for _, _, b, _ in losses)
    words_new = sum(a for _, _, _, a in losses)
    print(
        f"words: baseline {words_old}, this tree {words_new}"
        f" ({100 * (words_new - words_old) / words_old:+.1f}%)"
    )
    same = sum(1 for n in names if old[n].get("text") == new[n].get("text"))
    print(f"text identical: {same} of {len(names)} pages")
    for limit in (0.10, 0.25, 0.50):
        lost = sum(1 for loss, *_ in losses if loss > limit)
        gained = sum(1 for loss, *_ in losses if loss < -limit)
        print(f"more than {100 * limit:.0f}% of words: {lost} pages lose, {gained} pages gain")
    for field in ("title", "source", "url", "date"):
        differ = [n for n in names if old[n].get(field) != new[n].get(field)]
        print(f"{field} differs: {len(differ)} pages {differ[:5]}")
    for key in ("author", "tags", "categories", "description", "page_language"):
        differ = [
            n
            for n in names
            if (old[n].get("extra") or {}).get(key) != (new[n].get("extra") or {}).get(key)
        ]
        print(f"extra {key} differs: {len(differ)} pages {differ[:5]}")
    for loss, name, before, after in losses[:show]:
        print(f"\n--- {name}: {before} -> {after} words ({-100 * loss:+.0f}%)")
        old_lines = set((old[name].get("text") or "").splitlines())
        missing = [
            line
            for line in (old[name].get("text") or "").splitlines()
            if line not in set((new[name].get("text") or "").splitlines())
        ]
        del old_lines
        for line in missing[:8]:
            print(f"  - {line[:150]}")


# ----------------------------------------------------------------------------- profile

#: The parts of a page's reading, by the function whose cumulative time they are.
PARTS = [
    ("read_html (the whole HTML reader)", "corpus_cli/readers/html.py", "read_html"),
    ("lxml parsing (trafilatura.load_html)", "trafilatura/utils.py", "load_html"),
    ("  its metadata, as this tree gathers it", "corpus_cli/readers/html.py", "_metadata"),
    ("  pruning the chrome (_prune_chrome)", "corpus_cli/readers/html.py", "_prune_chrome"),
    ("  the visible text measure (_visible_chars)", "corpus_cli/readers/html.py", "_visible_chars"),
    ("trafilatura bare_extraction", "trafilatura/core.py", "bare_extraction"),
    ("  its metadata (extract_metadata)", "trafilatura/metadata.py", "extract_metadata"),
    ("  its author search", "trafilatura/metadata.py", "extract_author"),
    ("  its tags and categories", "trafilatura/metadata.py", "extract_catstags"),
    ("  its licence search", "trafilatura/metadata.py", "extract_license"),
    ("  htmldate (find_date)", "htmldate/core.py", "find_date"),
    ("  the text extraction (trafilatura_sequence)", "trafilatura/core.py", "trafilatura_sequence"),
    ("  fallback extractors (compare_extraction)", "trafilatura/external.py", "compare_extraction"),
    ("    readability", "trafilatura/external.py", "try_readability"),
    ("    justext", "trafilatura/external.py", "try_justext"),
    (
        "  pruning by XPath (prune_unwanted_nodes)",
        "trafilatura/htmlprocessing.py",
        "prune_unwanted_nodes",
    ),
    ("date voting (page_dates.page_date)", "corpus_cli/readers/page_dates.py", "page_date"),
    ("resolve (language, dates, outlets)", "corpus_cli/readers/resolve.py", "resolve"),
    ("  language detection (detect.guess)", "corpus_cli/text/detect.py", "guess"),
    ("  date inference (dates.infer_date)", "corpus_cli/text/dates.py", "infer_date"),
]


def profile(pages: Path, count: int) -> None:
    from corpus_cli.readers import RawRecord, read_records, resolve
    from corpus_cli.text import dates, detect

    dates.compile_patterns()
    detect.load_model()
    files = sorted(p for p in pages.iterdir() if p.suffix in (".html", ".htm"))[:count]
    list(read_records(files[-1]))  # imports and one-time loads are not a page's cost

    def run() -> None:
        for path in files:
            for record in read_records(path):
                if isinstance(record, RawRecord):
                    resolve(record, id=path.stem, path=str(path), fallback_source="pages")

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(run)
    wall = time.perf_counter() - start
    stats: Any = pstats.Stats(profiler).stats
    print(
        f"{len(files)} pages in one process under cProfile: {wall:.2f} s"
        f" ({1000 * wall / len(files):.1f} ms a page)"
    )
    print(f"{'part':<46} {'calls':>6} {'cum s':>7} {'ms/page':>8} {'share':>6}")
    for label, file, function in PARTS:
        calls = cum = 0.0
        for (path, _line, name), (_cc, nc, _tt, ct, _callers) in stats.items():
            if name == function and path.endswith(file):
                calls += nc
                cum += ct
        print(
            f"{label:<46} {int(calls):6d} {cum:7.2f} {1000 * cum / len(files):8.1f}"
            f" {100 * cum / wall:5.1f}%"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=PAGES_DEV, help="folder with pages.tar.xz")
    parser.add_argument(
        "--baseline", default=str(MAIN_CORPUS), help="the baseline's corpus command"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--text", action="store_true", help="compare the extracted text")
    parser.add_argument("--show", type=int, default=0, help="with --text: the N pages losing most")
    parser.add_argument("--profile", type=int, metavar="N", help="cProfile N pages of this tree")
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.dump:
        dump_records(args.dump)
        return 0
    if not args.profile and not Path(args.baseline).exists():
        sys.exit(f"no baseline at {args.baseline} (give --baseline PATH/TO/corpus)")
    with tempfile.TemporaryDirectory(prefix="html-pages-") as tmp:
        pages = extract(args.pages / "pages.tar.xz", Path(tmp))
        if args.profile:
            profile(pages, args.profile)
        elif args.text:
            compare_text(args.baseline, pages, args.show)
        else:
            time_ingests(args.baseline, pages, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
