"""Benchmark ``corpus`` against SQLite FTS5, tantivy and ripgrep on a generated news corpus.

    python bench/bench.py [--articles N] [--runs R] [--ingest-runs R] [--json] [--keep DIR]
                          [--backends whoosh,postgresql]

``--backends`` picks the corpus backends measured (Whoosh alone by default); PostgreSQL
runs on a throwaway server this script starts (postgres_server.py) and removes at the end.
The tantivy column (tantivy_search.py) is filled when tantivy-py is installed.

Every measurement is a whole process (interpreter start-up included), timed from here
with time.perf_counter. Peak RSS comes from GNU time's %M when /usr/bin/time exists; see
bench/README.md for why the parent cannot simply read it from os.wait4.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

# bench/ is sys.path[0] when this file is run as a script, so its siblings import.
import fts5_search
import postgres_server

# tantivy-py is a bench extra: without it the tantivy column is left empty.
try:
    import tantivy_search
except ImportError as error:
    if error.name != "tantivy":
        raise
    tantivy_search = None  # type: ignore[assignment]

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DICE_MODENA = REPO.parent / "shared" / "corpora" / "dice-modena"
SEEDS = REPO / "seeds"
CACHE_ROOT = Path(tempfile.gettempdir()) / "corpus-bench"
GNU_TIME = Path("/usr/bin/time")

SEED = 42
#: Bump when the generator changes, so corpora cached by the old one are not reused.
GENERATOR_VERSION = 1
FILES_PER_FOLDER = 1000
FIRST_DAY = datetime.date(2011, 1, 1)
LAST_DAY = datetime.date(2021, 12, 31)
SOURCES = {
    "Gazzetta di Modena": "gazzettadimodena.gelocal.it",
    "il Resto del Carlino": "www.ilrestodelcarlino.it",
    "Prima Pagina Modena": "www.primapaginamodena.it",
    "La Pressa": "www.lapressa.it",
    "ModenaToday": "www.modenatoday.it",
}

#: (key, row label, arguments shared by ``corpus search``, ``fts5_search.py`` and
#: ``tantivy_search.py``).
QUERIES: list[tuple[str, str, list[str]]] = [
    ("term", "search: term", ["carabinieri"]),
    ("phrase", 'search: "phrase"', ['"centro commerciale"']),
    ("range", "search: term + dates", ["carabinieri", "--from", "2015", "--to", "2016"]),
    ("sort", "search: term --sort -date", ["carabinieri", "--sort", "-date"]),
]
#: What ``rg -l`` looks for: fixed strings, any case, as both indexes fold case.
RG_PATTERNS = {"term": "carabinieri", "phrase": "centro commerciale"}

#: The backends ``--backends`` may name, in the order rows show them.
BACKENDS = ("whoosh", "postgresql")
#: Whoosh alone by default: PostgreSQL adds its own ingests (minutes at 10,000 articles).
DEFAULT_BACKENDS = ("whoosh",)

DEFAULT_INGEST_RUNS = 3
DEFAULT_SEARCH_RUNS = 7
STARTUP_RUNS = 10
#: With N >= LARGE_CORPUS and no run count given, a first ingest slower than
#: SLOW_INGEST_SECONDS is the only one: two more would add minutes, not insight.
LARGE_CORPUS = 10_000
SLOW_INGEST_SECONDS = 60.0

# The project's targets.
TARGET_INGEST_RATE = 1000.0
TARGET_INGEST_RSS_MB = 400.0
TARGET_TERM_RATIO = 2.0
TARGET_PHRASE_RATIO = 3.0
TARGET_HELP_OVERHEAD_MS = 60.0

MB = 1024 * 1024


def child_environment() -> dict[str, str]:
    """The environment for every measured process: bytecode caching on, out of the repo.

    Installed packages come with compiled .pyc files; a shell with PYTHONDONTWRITEBYTECODE
    set (as some sandboxes and CI images have) would make each run recompile the editable
    package's sources, ~10 ms for --help alone. A cache prefix under /tmp keeps the repo
    untouched; the warm-up runs fill it.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(CACHE_ROOT / "pycache")
    # A cold search is a process that does everything itself; the rows marked
    # [server] turn the resident search process on for their commands alone.
    env["CORPUS_SERVER"] = "off"
    return env


CHILD_ENV = child_environment()


def log(message: str) -> None:
    """Progress goes to stderr, so that --json leaves stdout clean."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# -- corpus generation -------------------------------------------------------------------

# A sentence ends at . ! ? or … followed by a space and something that can start one.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+(?=[«\"“'(A-ZÀ-ÖØ-Ý0-9])")
# The seeds start with a bare "date 2022-12" marker instead of header lines.
_DATE_MARKER = re.compile(r"^\s*date\s+\S+\s+")
_SLUG = re.compile(r"[^a-z0-9]+")


def source_folder() -> Path:
    """Real articles to recombine: dice-modena when present, else the repo's seeds."""
    return DICE_MODENA if DICE_MODENA.is_dir() else SEEDS


def load_sentences(folder: Path) -> list[str]:
    """Every sentence of every article body in ``folder``, in a fixed order."""
    sentences: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        _headers, body = fts5_search.parse_article(path.read_text(encoding="utf-8"))
        body = _DATE_MARKER.sub("", body, count=1)
        for paragraph in body.split("\n"):
            for sentence in _SENTENCE_BREAK.split(paragraph.strip()):
                # Fragments (captions, a lone "—") would make the text choppier than news.
                if len(sentence.split()) >= 4:
                    sentences.append(sentence)
    if not sentences:
        raise SystemExit(f"bench: no sentences found in {folder}/*.txt")
    return sentences


def make_article(rng: random.Random, sentences: Sequence[str], number: int) -> str:
    """One article of 450-750 words (~600) in the CLI's header-lines format."""
    day = FIRST_DAY + datetime.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    source = rng.choice(list(SOURCES))
    wanted = rng.randint(450, 750)
    paragraphs: list[str] = []
    current: list[str] = []
    per_paragraph = rng.randint(2, 5)
    words = 0
    while words < wanted:
        sentence = rng.choice(sentences)
        current.append(sentence)
        words += len(sentence.split())
        if len(current) >= per_paragraph:
            paragraphs.append(" ".join(current))
            current, per_paragraph = [], rng.randint(2, 5)
    if current:
        paragraphs.append(" ".join(current))
    slug = _SLUG.sub("-", " ".join(paragraphs[0].lower().split()[:6])).strip("-")
    url = f"https://{SOURCES[source]}/modena/cronaca/{day:%Y/%m/%d}/news/{slug}-{number}"
    header = f"date: {day.isoformat()}\nsource: {source}\nurl: {url}\n\n"
    return header + "\n\n".join(paragraphs) + "\n"


def corpus_fingerprint(folder: Path) -> str:
    """Changes when the source articles do, so that a stale cached corpus is not reused."""
    digest = hashlib.blake2b(digest_size=6)
    digest.update(str(folder).encode())
    for path in sorted(folder.glob("*.txt")):
        info = path.stat()
        digest.update(f"{path.name}|{info.st_size}|{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def generated_corpus(articles: int) -> tuple[Path, Path, bool]:
    """(corpus folder, folder its sentences came from, whether it came from the cache)."""
    origin = source_folder()
    key = f"n{articles}-seed{SEED}-v{GENERATOR_VERSION}-{corpus_fingerprint(origin)}"
    target = CACHE_ROOT / key
    if target.is_dir():
        return target, origin, True
    log(f"generating {articles:,} articles from {origin} into {target}")
    rng = random.Random(SEED)
    sentences = load_sentences(origin)
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    # Written under another name and renamed when complete: an interrupted run leaves
    # no half-written corpus that a later run would take for a finished one.
    partial = Path(tempfile.mkdtemp(prefix=f"{key}.partial-", dir=CACHE_ROOT))
    for number in range(articles):
        folder = partial / f"part-{number // FILES_PER_FOLDER:03d}"
        if number % FILES_PER_FOLDER == 0:
            folder.mkdir()
        text = make_article(rng, sentences, number)
        (folder / f"article-{number:06d}.txt").write_text(text, encoding="utf-8")
    partial.chmod(0o755)
    partial.rename(target)
    return target, origin, False


def article_files(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*/*.txt"))


def warm_page_cache(files: Sequence[Path]) -> None:
    """Read every file once, so that the first measured reader does not pay for the disk."""
    for path in files:
        path.read_bytes()


def disk_usage(path: Path) -> int:
    """Bytes allocated on disk under ``path``, as ``du`` counts them (blocks, not sizes)."""
    total = path.lstat().st_blocks * 512
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            for name in dirs + files:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
    return total


# -- running processes -----------------------------------------------------------------


@dataclass
class Run:
    """One finished child process."""

    seconds: float
    stdout: str
    #: Peak RSS in kB, when the run was made with measure_rss.
    maxrss_kb: int | None = None
    #: corpus prints its count line there when its output is piped.
    stderr: str = ""


class ChildFailed(RuntimeError):
    pass


def rss_method() -> str:
    """How peak RSS is measured on this machine (shown with the results)."""
    if GNU_TIME.exists():
        return "GNU time %M (max RSS of the child alone)"
    return "os.wait4 ru_maxrss (a floor: never below this script's own RSS)"


def run_process(
    cmd: Sequence[str],
    ok_codes: Sequence[int] = (0,),
    measure_rss: bool = False,
    env: dict[str, str] | None = None,
) -> Run:
    """Run ``cmd`` with stdout to a pipe (not a terminal); its wall time, maybe peak RSS.

    A child's ru_maxrss is never below the RSS its parent had when spawning it: Linux
    carries the high-water mark of the pre-exec address space (the parent's, under
    vfork) across exec. So the child is started through GNU time, a ~1 MB process,
    which reports the child's own peak. Without it, os.wait4's figure is used, which is
    exact only for children that outgrow this script. The wrapper adds ~1 ms, so the
    timed search runs are made without it.
    """
    use_time = measure_rss and GNU_TIME.exists()
    with tempfile.NamedTemporaryFile("w+") as rss_file, tempfile.TemporaryFile() as errors:
        full = [str(GNU_TIME), "-f", "%M", "-o", rss_file.name, *cmd] if use_time else list(cmd)
        start = time.perf_counter()
        # A process group of its own, so that on Ctrl-C or SIGTERM the child (and the
        # command under GNU time) can be killed whole; nothing measured reads stdin.
        proc = subprocess.Popen(
            full,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            env=env or CHILD_ENV,
            process_group=0,
        )
        assert proc.stdout is not None
        try:
            out = proc.stdout.read()
            proc.stdout.close()
            _pid, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            # Leave nothing behind writing into what is about to be deleted.
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
        seconds = time.perf_counter() - start
        # Tell Popen the child is reaped, so that it does not wait for it again.
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in ok_codes:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip()
            raise ChildFailed(f"{' '.join(cmd)} exited with {proc.returncode}: {message}")
        maxrss: int | None = None
        if use_time:
            # GNU time prefixes a "Command exited with non-zero status" line when it must.
            maxrss = int(rss_file.read().split()[-1])
        elif measure_rss:
            maxrss = usage.ru_maxrss
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    return Run(seconds, out.decode("utf-8", "replace"), maxrss, stderr)


def time_round_robin(
    commands: dict[str, list[str]],
    runs: int,
    ok_codes: dict[str, Sequence[int]] | None = None,
    envs: dict[str, dict[str, str]] | None = None,
) -> tuple[dict[str, list[Run]], dict[str, Run]]:
    """(timed runs, warm-up run) per command.

    The warm-up brings files into the page cache and doubles as the peak-RSS run.
    Rounds run every command once, so drift of the machine (other load, CPU clock)
    spreads over all commands instead of penalising whichever came last.
    """
    codes = ok_codes or {}
    environments = envs or {}
    warmup = {
        key: run_process(cmd, codes.get(key, (0,)), True, environments.get(key))
        for key, cmd in commands.items()
    }
    timed: dict[str, list[Run]] = {key: [] for key in commands}
    for _ in range(runs):
        for key, cmd in commands.items():
            timed[key].append(run_process(cmd, codes.get(key, (0,)), env=environments.get(key)))
    return timed, warmup


def median_ms(runs: Sequence[Run]) -> float:
    return statistics.median(r.seconds for r in runs) * 1000


_MATCH_LINE = re.compile(r"^(\d+) articles? match", re.M)


def hit_count(output: str) -> int:
    """The total that ``corpus search`` and fts5_search.py both print first."""
    match = _MATCH_LINE.search(output)
    return int(match.group(1)) if match else 0


def find_corpus_executable() -> Path:
    """The console script beside this interpreter (the venv's), else the one on PATH."""
    beside = Path(sys.executable).parent / "corpus"
    if beside.exists():
        return beside
    found = shutil.which("corpus")
    if found is None:
        raise SystemExit("bench: no 'corpus' command; activate the venv (. .venv/bin/activate).")
    return Path(found)


def tool_version(cmd: Sequence[str]) -> str | None:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.splitlines()[0].strip() if out else None


# -- the backends ------------------------------------------------------------------------


class Backend:
    """What ``corpus --index`` names for one backend, made afresh before each ingest."""

    #: As ``--backends`` and the table's backend column spell it.
    name = ""
    #: The prefix of this backend's keys in the samples.
    key = ""

    def location(self) -> str:
        raise NotImplementedError

    def fresh(self) -> None:
        """Remove what the last ingest made: each ingest starts from nothing."""
        raise NotImplementedError

    def settle(self) -> None:
        """After the last ingest, before the searches (untimed)."""

    def size_bytes(self) -> int:
        raise NotImplementedError


class WhooshBackend(Backend):
    name = "whoosh"
    key = "corpus"  # the samples' keys from before there was a choice of backend

    def __init__(self, index: Path) -> None:
        self.index = index

    def location(self) -> str:
        return str(self.index)

    def fresh(self) -> None:
        shutil.rmtree(self.index, ignore_errors=True)

    def size_bytes(self) -> int:
        return disk_usage(self.index)


class PostgresBackend(Backend):
    """A database of the benchmark's own server, dropped and created again per ingest."""

    name = "postgresql"
    key = "postgresql"
    DATABASE = "corpus_bench"
    #: The corpus tables (and their indexes and TOAST) in the URI's schema.
    _TABLES = (
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname LIKE 'corpus\\_%'"
    )

    def __init__(self, server: postgres_server.Server) -> None:
        self.server = server

    def location(self) -> str:
        return self.server.uri(self.DATABASE)

    def fresh(self) -> None:
        self.server.drop_database(self.DATABASE)
        self.server.create_database(self.DATABASE)
        # Writes out what the last run left dirty, so that this run's checkpoints are
        # its own: each run starts from the same state of the server.
        self.server.sql("CHECKPOINT")

    def settle(self) -> None:
        # What autovacuum does by itself within a minute or two of an ingest (and
        # `corpus optimize` at once): planner statistics, the GIN index's pending list
        # merged, the visibility map set. Done here, so that it does not happen in the
        # middle of the timed searches and change their plans halfway.
        log("VACUUM (ANALYZE) of the PostgreSQL database (untimed)")
        self.server.execute(self.DATABASE, "VACUUM (ANALYZE)")

    def size_bytes(self) -> int:
        rows = self.server.execute(
            self.DATABASE, f"SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) {self._TABLES}"
        )
        return int(rows[0][0])

    def database_bytes(self) -> int:
        rows = self.server.execute(self.DATABASE, "SELECT pg_database_size(current_database())")
        return int(rows[0][0])


def start_postgres(stack: ExitStack) -> tuple[postgres_server.Server | None, dict[str, object]]:
    """The benchmark's own server, stopped when ``stack`` closes; or None and why not."""
    bindir = postgres_server.find_bindir()
    if bindir is None:
        reason = (
            "no PostgreSQL server binaries (initdb, pg_ctl) found: install Debian's "
            "'postgresql' package, or set PG_BINDIR"
        )
    else:
        try:
            log(f"starting a throwaway PostgreSQL server ({bindir})")
            server = stack.enter_context(postgres_server.running(bindir))
        except postgres_server.Unavailable as error:
            reason = str(error)
        else:
            log(f"  data and socket in {server.root}")
            settings = server.settings()
            return server, {
                "postgresql": {
                    "bindir": str(bindir),
                    "data_dir": str(server.data),
                    "settings": settings,
                    "psycopg2": metadata.version("psycopg2-binary"),
                }
            }
    log(f"postgresql skipped: {reason}")
    return None, {"postgresql_skipped": reason}


# -- the measurements --------------------------------------------------------------------


@dataclass
class Row:
    """One line of the result table; None where a value does not apply."""

    name: str
    unit: str
    #: The value for ``corpus`` on ``backend``.
    corpus: float | None
    fts5: float | None = None
    rg: float | None = None
    #: tantivy_search.py's value; None without tantivy-py, or where it does not apply.
    tantivy: float | None = None
    target: str = ""
    passed: bool | None = None
    #: "whoosh" or "postgresql"; None for a row that is no backend's (python -c pass).
    backend: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.corpus is None or not self.fts5:
            return None
        return self.corpus / self.fts5

    @property
    def tantivy_ratio(self) -> float | None:
        if self.corpus is None or not self.tantivy:
            return None
        return self.corpus / self.tantivy

    @property
    def status(self) -> str:
        return "" if self.passed is None else ("PASS" if self.passed else "FAIL")


@dataclass
class Results:
    meta: dict[str, object]
    rows: list[Row] = field(default_factory=list)
    #: Every timed sample in seconds, so that medians can be read against the spread.
    samples: dict[str, list[float]] = field(default_factory=dict)


@dataclass
class Setup:
    """What every measurement needs: the tools and where things are."""

    corpus_cmd: Path
    rg: str | None
    corpus: Path
    files: list[Path]
    work: Path
    #: The backends measured, in BACKENDS order.
    backends: list[Backend] = field(default_factory=list)

    @property
    def index(self) -> Path:
        return self.work / "index"

    @property
    def db(self) -> Path:
        return self.work / "fts5.db"

    @property
    def tantivy_index(self) -> Path:
        return self.work / "tantivy"


def measure_ingest(setup: Setup, results: Results, runs: int, stop_early: bool) -> None:
    """FTS5 and tantivy built once in-process; ``corpus ingest`` into a fresh index,
    ``runs`` times.

    The FTS5 build reads and parses the files too, as ingest does, and inserts everything
    in one transaction: the fastest plain use of SQLite, the bar to compare against.
    The tantivy build reads and parses them the same way, into one writer, one commit.
    With several backends the runs go in rounds (each backend once per round), as the
    searches do.
    """
    articles = len(setup.files)
    log("building the FTS5 database")
    start = time.perf_counter()
    fts5_search.build(setup.db, setup.files)
    fts5_seconds = time.perf_counter() - start
    tantivy_seconds: float | None = None
    if tantivy_search is not None:
        log("building the tantivy index")
        start = time.perf_counter()
        built = tantivy_search.build(setup.tantivy_index, setup.files)
        tantivy_seconds = time.perf_counter() - start
        if built != articles:
            raise ChildFailed(f"the tantivy index got {built} of {articles} articles")
        results.samples["tantivy:build"] = [tantivy_seconds]

    done: dict[str, list[Run]] = {backend.name: [] for backend in setup.backends}
    stopped: set[str] = set()
    for n in range(runs):
        for backend in setup.backends:
            if backend.name in stopped:
                continue
            backend.fresh()
            log(f"corpus ingest ({backend.name}), run {n + 1}/{runs}")
            cmd = [str(setup.corpus_cmd), "--index", backend.location(), "ingest"]
            run = run_process([*cmd, str(setup.corpus), "--json"], measure_rss=True)
            report = json.loads(run.stdout)
            if report["added"] != articles:
                raise ChildFailed(
                    f"corpus ingest ({backend.name}) added {report['added']} of {articles}: "
                    f"{report}"
                )
            done[backend.name].append(run)
            log(f"  {run.seconds:.1f} s, {articles / run.seconds:,.0f} articles/s")
            if stop_early and run.seconds > SLOW_INGEST_SECONDS:
                log(f"  over {SLOW_INGEST_SECONDS:.0f} s with N >= {LARGE_CORPUS:,}: one run")
                stopped.add(backend.name)
    for backend in setup.backends:
        backend.settle()

    counts = {name: len(runs) for name, runs in done.items()}
    results.meta["ingest_runs"] = max(counts.values())
    results.meta["ingest_runs_by_backend"] = counts
    results.samples["fts5:build"] = [fts5_seconds]
    seconds: dict[str, float] = {}
    rss_mb: dict[str, float] = {}
    for backend in setup.backends:
        finished = done[backend.name]
        results.samples[f"{backend.key}:ingest"] = [r.seconds for r in finished]
        seconds[backend.name] = statistics.median(r.seconds for r in finished)
        rss_mb[backend.name] = statistics.median(r.maxrss_kb or 0 for r in finished) / 1024
    for backend in setup.backends:
        rate = articles / seconds[backend.name]
        results.rows.append(
            Row(
                "ingest rate",
                "articles/s",
                rate,
                articles / fts5_seconds,
                tantivy=articles / tantivy_seconds if tantivy_seconds else None,
                target=f">= {TARGET_INGEST_RATE:,.0f}/s",
                passed=rate >= TARGET_INGEST_RATE,
                backend=backend.name,
            )
        )
    for backend in setup.backends:
        results.rows.append(
            Row(
                "ingest wall time",
                "s",
                seconds[backend.name],
                fts5_seconds,
                tantivy=tantivy_seconds,
                backend=backend.name,
            )
        )
    for backend in setup.backends:
        results.rows.append(
            Row(
                "ingest peak RSS",
                "MB",
                rss_mb[backend.name],
                target=f"<= {TARGET_INGEST_RSS_MB:.0f} MB",
                passed=rss_mb[backend.name] <= TARGET_INGEST_RSS_MB,
                backend=backend.name,
            )
        )


_LISTED_ARTICLE = re.compile(r"^ {4,}\S+ · .+ · (\S+)$", re.M)


def listed_articles(output: str) -> list[str]:
    """The article names on the meta lines of ``corpus search`` (date · source · name)."""
    return _LISTED_ARTICLE.findall(output)


def measure_searches(setup: Setup, results: Results, runs: int) -> None:
    """Each query as a whole process through every engine, and rg for the two it can do."""
    commands: dict[str, list[str]] = {}
    ok_codes: dict[str, Sequence[int]] = {}
    envs: dict[str, dict[str, str]] = {}
    for key, _label, query in QUERIES:
        for backend in setup.backends:
            corpus = [str(setup.corpus_cmd), "--index", backend.location(), "search", *query]
            commands[f"{backend.key}:{key}"] = corpus
            commands[f"{served_key(backend)}:{key}"] = corpus
            envs[f"{served_key(backend)}:{key}"] = SERVED_ENV
        fts5 = [sys.executable, str(BENCH / "fts5_search.py"), str(setup.db), *query]
        commands[f"fts5:{key}"] = fts5
        if tantivy_search is not None:
            commands[f"tantivy:{key}"] = [
                sys.executable,
                str(BENCH / "tantivy_search.py"),
                str(setup.tantivy_index),
                *query,
            ]
    if setup.rg:
        for key, pattern in RG_PATTERNS.items():
            commands[f"rg:{key}"] = [setup.rg, "-l", "-i", "-F", pattern, str(setup.corpus)]
            ok_codes[f"rg:{key}"] = (0, 1)  # 1 is "no match", not a failure
    log(f"searching: {len(commands)} commands x {runs} runs (+1 warm-up each)")
    with ExitStack() as stack:
        for backend in setup.backends:
            stack.enter_context(search_server(setup, backend))
        timed, warmup = time_round_robin(commands, runs, ok_codes, envs)
        results.meta["server"] = {
            backend.name: server_meta(setup, backend, timed, warmup, runs)
            for backend in setup.backends
        }
    results.samples.update({key: [r.seconds for r in runs] for key, runs in timed.items()})

    def ms(engine: str, key: str) -> float | None:
        found = timed.get(f"{engine}:{key}")
        return median_ms(found) if found else None

    def rss_mb(engine: str, key: str) -> float | None:
        run = warmup.get(f"{engine}:{key}")
        return run.maxrss_kb / 1024 if run and run.maxrss_kb is not None else None

    exact: dict[str, int] = {}

    def hits(engine: str, key: str) -> int | None:
        run = warmup.get(f"{engine}:{key}")
        if run is None:
            return None
        # rg -l prints one file per line; the search programs print a total.
        if engine == "rg":
            return len(run.stdout.splitlines())
        # fts5_search.py and tantivy_search.py print their exact total on stdout.
        if engine in ("fts5", "tantivy"):
            return hit_count(run.stdout)
        # Past 10,000 matches corpus's total is a bound ("more than 10,000"): the
        # count is asked apart, untimed, with --count.
        if f"{engine}:{key}" not in exact:
            counted = run_process([*commands[f"{engine}:{key}"], "--count"])
            exact[f"{engine}:{key}"] = int(counted.stdout.split()[0])
        return exact[f"{engine}:{key}"]

    targets = {"term": TARGET_TERM_RATIO, "phrase": TARGET_PHRASE_RATIO}
    for key, label, _query in QUERIES:
        for backend in setup.backends:
            row = Row(
                label,
                "ms",
                ms(backend.key, key),
                ms("fts5", key),
                ms("rg", key),
                ms("tantivy", key),
                backend=backend.name,
            )
            if key in targets and row.ratio is not None:
                row.target = f"<= {targets[key]:g}x FTS5"
                row.passed = row.ratio <= targets[key]
            results.rows.append(row)
            served = Row(
                f"{label} [server]",
                "ms",
                ms(served_key(backend), key),
                ms("fts5", key),
                ms("rg", key),
                ms("tantivy", key),
            )
            served.backend = backend.name
            results.rows.append(served)

    # Every backend must find the same articles: the counts are compared for every
    # query (the first backend is the reference), the dated listing article by article.
    reference = setup.backends[0]
    disagreements: list[str] = []
    for key, label, _query in QUERIES:
        counts = {backend.name: hits(backend.key, key) for backend in setup.backends}
        if len(set(counts.values())) > 1:
            disagreements.append(f"{key}: {counts}")
        if key == "sort":  # --sort -date finds what the term finds: checked, not shown
            continue
        for backend in setup.backends:
            row = Row(
                label.replace("search:", "hits:"),
                "articles",
                counts[backend.name],
                hits("fts5", key),
                hits("rg", key),
                hits("tantivy", key),
                backend=backend.name,
            )
            if backend is not reference:
                row.target = f"= {reference.name}"
                row.passed = counts[backend.name] == counts[reference.name]
            results.rows.append(row)
            if not row.corpus or not row.fts5:
                log(f"WARNING: '{key}' has no hits in corpus ({backend.name}) or FTS5: hollow")
    if len(setup.backends) > 1:
        # Newest first with ties in insertion order: the same ten articles on both.
        listings = {
            backend.name: listed_articles(warmup[f"{backend.key}:sort"].stdout)
            for backend in setup.backends
        }
        if any(names != listings[reference.name] for names in listings.values()):
            disagreements.append(f"sort: the listed articles differ: {listings}")
        results.meta["backends_agree"] = not disagreements
        results.meta["backend_disagreements"] = disagreements
        for disagreement in disagreements:
            log(f"WARNING: the backends disagree on {disagreement}")
    for backend in setup.backends:
        results.rows.append(
            Row(
                "search peak RSS (term)",
                "MB",
                rss_mb(backend.key, "term"),
                rss_mb("fts5", "term"),
                rss_mb("rg", "term"),
                rss_mb("tantivy", "term"),
                backend=backend.name,
            )
        )


#: The environment of the [server] rows: the same, with the resident process on.
SERVED_ENV = {**CHILD_ENV, "CORPUS_SERVER": "on"}


def served_key(backend: Backend) -> str:
    """The samples' key prefix of a backend's [server] rows."""
    return "served" if isinstance(backend, WhooshBackend) else f"served-{backend.key}"


@contextmanager
def search_server(setup: Setup, backend: Backend) -> Iterator[None]:
    """``corpus serve`` for the index, in a private runtime folder, for the block.

    Started explicitly and waited for, so that no timed run pays for its start; the
    cold rows run with CORPUS_SERVER=off and never reach it.
    """
    runtime = setup.work / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    SERVED_ENV["XDG_RUNTIME_DIR"] = str(runtime)
    base = [str(setup.corpus_cmd), "--index", backend.location()]
    log(f"starting the search server of the {backend.name} index ([server] rows)")
    server = subprocess.Popen(
        [*base, "serve", "--idle", "3600"],
        env=SERVED_ENV,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while subprocess.run(
            [*base, "server", "status"], env=SERVED_ENV, capture_output=True
        ).returncode:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("bench: the search server did not start")
            time.sleep(0.1)
        yield
    finally:
        subprocess.run([*base, "server", "stop"], env=SERVED_ENV, capture_output=True)
        with suppress(subprocess.TimeoutExpired):
            server.wait(timeout=30)
        if server.poll() is None:
            server.kill()
            server.wait()


def server_meta(
    setup: Setup,
    backend: Backend,
    timed: dict[str, list[Run]],
    warmup: dict[str, Run],
    runs: int,
) -> dict[str, object]:
    """How many commands the server ran (all of them, or the rows are not its), whether
    its output was the cold output, and served / cold per query."""
    status = subprocess.run(
        [str(setup.corpus_cmd), "--index", backend.location(), "server", "status", "--json"],
        env=SERVED_ENV,
        capture_output=True,
        text=True,
    )
    commands = json.loads(status.stdout).get("commands") if status.returncode == 0 else None
    expected = (runs + 1) * len(QUERIES)
    served = served_key(backend)
    if commands != expected:
        log(f"WARNING: the {backend.name} server ran {commands} commands, not {expected}")
    differ = [
        key
        for key, _label, _query in QUERIES
        if (warmup[f"{served}:{key}"].stdout, warmup[f"{served}:{key}"].stderr)
        != (warmup[f"{backend.key}:{key}"].stdout, warmup[f"{backend.key}:{key}"].stderr)
    ]
    for key in differ:
        log(f"WARNING: served output differs from in-process output for '{key}'")
    return {
        "commands_served": commands,
        "commands_expected": expected,
        "output_identical": not differ,
        "served_over_cold": {
            key: round(
                median_ms(timed[f"{served}:{key}"]) / median_ms(timed[f"{backend.key}:{key}"]),
                3,
            )
            for key, _label, _query in QUERIES
        },
    }


def measure_startup(setup: Setup, results: Results) -> None:
    """What ``corpus --help`` costs above a bare start of the same interpreter.

    With PostgreSQL, ``corpus --index postgresql://… --help`` too: naming a database
    must not cost an import of the driver before anything is asked of it.
    """
    log(f"start-up: {STARTUP_RUNS} runs each (+1 warm-up)")
    commands = {
        "help": [str(setup.corpus_cmd), "--help"],
        "pass": [sys.executable, "-c", "pass"],
    }
    located = [backend for backend in setup.backends if backend.name != "whoosh"]
    for backend in located:
        commands[f"help-{backend.key}"] = [
            str(setup.corpus_cmd),
            "--index",
            backend.location(),
            "--help",
        ]
    timed, _warmup = time_round_robin(commands, STARTUP_RUNS)
    results.samples.update({f"startup:{k}": [r.seconds for r in v] for k, v in timed.items()})
    help_ms, pass_ms = median_ms(timed["help"]), median_ms(timed["pass"])
    overhead = help_ms - pass_ms
    results.rows.append(Row("corpus --help", "ms", help_ms))
    for backend in located:
        results.rows.append(
            Row(
                "corpus --index URI --help",
                "ms",
                median_ms(timed[f"help-{backend.key}"]),
                backend=backend.name,
            )
        )
    results.rows += [
        Row("python -c pass", "ms", pass_ms),
        Row(
            "--help minus python -c pass",
            "ms",
            overhead,
            target=f"<= {TARGET_HELP_OVERHEAD_MS:.0f} ms",
            passed=overhead <= TARGET_HELP_OVERHEAD_MS,
        ),
    ]


def run_benchmark(args: argparse.Namespace, work: Path) -> Results:
    corpus, origin, cached = generated_corpus(args.articles)
    files = article_files(corpus)
    if len(files) != args.articles:
        raise SystemExit(f"bench: {corpus} holds {len(files)} files, expected {args.articles}")
    rg = shutil.which("rg")
    setup = Setup(find_corpus_executable(), rg, corpus, files, work)
    sample = files[:200]
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in sample) / len(sample)
    search_runs = args.runs or DEFAULT_SEARCH_RUNS
    results = Results(
        meta={
            "articles": args.articles,
            "mean_words_per_article": round(words),
            "corpus_dir": str(corpus),
            "corpus_cached": cached,
            "sentences_from": str(origin),
            "backends": list(args.backends),
            "search_runs": search_runs,
            "startup_runs": STARTUP_RUNS,
            "rss_method": rss_method(),
            "bytecode_cache": CHILD_ENV["PYTHONPYCACHEPREFIX"],
            "python": platform.python_version(),
            "corpus_cli": metadata.version("corpus-cli"),
            "whoosh": metadata.version("whoosh-reloaded"),
            "sqlite": sqlite3.sqlite_version,
            "rg": tool_version([rg, "--version"]) if rg else None,
            "tantivy": metadata.version("tantivy") if tantivy_search is not None else None,
            "machine": f"{platform.platform()}, {os.cpu_count()} CPUs",
            # Other work on the machine inflates every time: worth seeing next to them.
            "load_average_start": round(os.getloadavg()[0], 2),
        }
    )
    with ExitStack() as stack:
        for name in args.backends:
            if name == "whoosh":
                setup.backends.append(WhooshBackend(setup.index))
            elif name == "postgresql":
                server, meta = start_postgres(stack)
                results.meta.update(meta)
                if server is not None:
                    setup.backends.append(PostgresBackend(server))
        if not setup.backends:
            raise SystemExit(f"bench: postgresql skipped ({results.meta['postgresql_skipped']})")
        measure_all(args, setup, results)
    return results


def measure_all(args: argparse.Namespace, setup: Setup, results: Results) -> None:
    warm_page_cache(setup.files)
    ingest_runs = args.ingest_runs or args.runs or DEFAULT_INGEST_RUNS
    # Only the default count may be cut short; a count given on the command line is run.
    stop_early = args.ingest_runs is None and args.runs is None and args.articles >= LARGE_CORPUS
    measure_ingest(setup, results, ingest_runs, stop_early)
    measure_searches(setup, results, args.runs or DEFAULT_SEARCH_RUNS)
    measure_startup(setup, results)
    results.meta["load_average_end"] = round(os.getloadavg()[0], 2)
    for backend in setup.backends:
        results.rows.append(
            Row(
                "size on disk (index/db/text)",
                "MB",
                backend.size_bytes() / MB,
                disk_usage(setup.db) / MB,
                disk_usage(setup.corpus) / MB,
                disk_usage(setup.tantivy_index) / MB if tantivy_search is not None else None,
                backend=backend.name,
            )
        )
        if isinstance(backend, PostgresBackend):
            pg = results.meta["postgresql"]
            assert isinstance(pg, dict)
            pg["database_size_mb"] = round(backend.database_bytes() / MB, 1)
            # The whole cluster: the other databases, and the WAL that the ingests wrote.
            pg["data_dir_mb"] = round(disk_usage(backend.server.data) / MB, 1)


# -- output ------------------------------------------------------------------------------


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit in ("articles/s", "articles"):
        return f"{value:,.0f}"
    if unit == "s":
        return f"{value:,.2f}"
    return f"{value:,.1f}"


def postgres_line(meta: dict[str, object]) -> str | None:
    """The server the PostgreSQL rows come from, or why there are none."""
    if "postgresql_skipped" in meta:
        return f"postgresql: SKIPPED, {meta['postgresql_skipped']}"
    pg = meta.get("postgresql")
    if not isinstance(pg, dict):
        return None
    settings = pg["settings"]
    shown = ", ".join(
        f"{name} {settings[name]}"
        for name in (
            "fsync",
            "synchronous_commit",
            "full_page_writes",
            "shared_buffers",
            "max_wal_size",
            "jit",
        )
        if name in settings
    )
    return (
        f"postgresql {settings.get('server_version', '?')} (psycopg2 {pg['psycopg2']}): a "
        f"throwaway server, Unix socket only, in {pg['data_dir']} (removed); {shown}; "
        f"VACUUM (ANALYZE) after the last ingest; size = corpus tables; "
        f"whole database {pg.get('database_size_mb', '?')} MB, data folder (WAL included) "
        f"{pg.get('data_dir_mb', '?')} MB"
    )


def render_table(results: Results) -> str:
    meta = results.meta
    runs = meta["ingest_runs_by_backend"]
    assert isinstance(runs, dict)
    ingest = (
        str(meta["ingest_runs"])
        if len(set(runs.values())) == 1
        else ", ".join(f"{name} {count}" for name, count in runs.items())
    )
    lines = [
        f"N={meta['articles']:,} articles (~{meta['mean_words_per_article']} words each); "
        f"medians of runs: ingest {ingest}, search {meta['search_runs']}, "
        f"start-up {meta['startup_runs']} (each after 1 warm-up)",
        f"python {meta['python']} | corpus-cli {meta['corpus_cli']} | "
        f"whoosh-reloaded {meta['whoosh']} | sqlite {meta['sqlite']} | "
        f"rg: {meta['rg'] or 'not installed'} | tantivy: {meta['tantivy'] or 'not installed'}",
        f"machine: {meta['machine']}; 1-min load average "
        f"{meta['load_average_start']} at start, {meta['load_average_end']} at end",
        f"peak RSS: {meta['rss_method']}; .pyc cache: {meta['bytecode_cache']}",
        f"corpus: {meta['corpus_dir']} (sentences from {meta['sentences_from']})",
    ]
    server = postgres_line(meta)
    if server:
        lines.append(server)
    servers = meta.get("server")
    for name, served in servers.items() if isinstance(servers, dict) else ():
        ratios = ", ".join(f"{k} {v:.2f}x" for k, v in served["served_over_cold"].items())
        lines.append(
            f"[server] rows ({name}): the resident search process (corpus serve), "
            f"{served['commands_served']} of {served['commands_expected']} commands served, "
            f"output identical to in-process: {'yes' if served['output_identical'] else 'NO'}; "
            f"served / cold: {ratios}"
        )
    lines.append("")
    header = [
        "measurement",
        "backend",
        "unit",
        "corpus",
        "FTS5",
        "rg",
        "tantivy",
        "corpus/FTS5",
        "corpus/tantivy",
        "target",
        "result",
    ]
    body = [
        [
            row.name,
            row.backend or "",
            row.unit,
            fmt(row.corpus, row.unit),
            fmt(row.fts5, row.unit),
            fmt(row.rg, row.unit),
            fmt(row.tantivy, row.unit),
            "-" if row.ratio is None else f"{row.ratio:.2f}x",
            "-" if row.tantivy_ratio is None else f"{row.tantivy_ratio:.2f}x",
            row.target,
            row.status,
        ]
        for row in results.rows
    ]
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    left = {0, 1, 2, 9, 10}  # text columns; numbers read best right-aligned

    def line(cells: list[str]) -> str:
        padded = [
            cell.ljust(width) if i in left else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    lines += [line(header), "  ".join("-" * w for w in widths)]
    lines += [line(cells) for cells in body]
    return "\n".join(lines)


def to_json(results: Results) -> str:
    rows = [
        {
            **asdict(row),
            "ratio": row.ratio,
            "tantivy_ratio": row.tantivy_ratio,
            "status": row.status or None,
        }
        for row in results.rows
    ]
    document = {"meta": results.meta, "rows": rows, "samples_seconds": results.samples}
    return json.dumps(document, indent=2, ensure_ascii=False)


# -- main --------------------------------------------------------------------------------


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


_BACKEND_NAMES = {"whoosh": "whoosh", "postgresql": "postgresql", "postgres": "postgresql"}


def backend_list(text: str) -> tuple[str, ...]:
    """``whoosh,postgresql`` (any order, or ``both``) as names in BACKENDS order."""
    names = {part.strip().lower() for part in text.split(",") if part.strip()}
    if names in ({"both"}, {"all"}):
        return BACKENDS
    unknown = sorted(names - set(_BACKEND_NAMES))
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"{', '.join(unknown) or 'nothing'}: name whoosh, postgresql, or both"
        )
    chosen = {_BACKEND_NAMES[name] for name in names}
    return tuple(name for name in BACKENDS if name in chosen)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark corpus against SQLite FTS5, tantivy and rg."
    )
    parser.add_argument(
        "--articles", type=positive_int, default=10_000, help="corpus size (default 10,000)"
    )
    parser.add_argument(
        "--runs",
        type=positive_int,
        help=f"timed runs per search (default {DEFAULT_SEARCH_RUNS}) and per ingest "
        f"(default {DEFAULT_INGEST_RUNS}, or 1 when N >= {LARGE_CORPUS:,} and it is slow)",
    )
    parser.add_argument(
        "--ingest-runs", type=positive_int, help="timed ingest runs, overriding --runs"
    )
    parser.add_argument(
        "--backends",
        type=backend_list,
        default=DEFAULT_BACKENDS,
        metavar="LIST",
        help="corpus backends to measure, comma-separated: whoosh, postgresql (or both); "
        "default whoosh. PostgreSQL runs on a throwaway server started from the installed "
        "binaries ($PG_BINDIR, /usr/lib/postgresql/*/bin or the PATH)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="build the index, the FTS5 db and the tantivy index in DIR; keep them",
    )
    return parser.parse_args(argv)


@contextmanager
def work_dir(keep: Path | None) -> Iterator[Path]:
    """Where the index and the FTS5 database go: DIR with --keep, else a temp folder."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep.resolve()
        return
    path = Path(tempfile.mkdtemp(prefix="corpus-bench-run-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _terminated(signum: int, frame: object) -> None:
    # As Ctrl-C does: the finally blocks stop the server and remove the work folder.
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminated)
    try:
        with work_dir(args.keep) as work:
            results = run_benchmark(args, work)
    except (ChildFailed, postgres_server.StartFailed) as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted; its PostgreSQL server (if any) was removed", file=sys.stderr)
        return 130
    if args.keep is not None:
        tantivy = " and the tantivy index" if tantivy_search is not None else ""
        log(f"kept the index, the FTS5 database{tantivy} in {args.keep}")
        if "postgresql" in results.meta:
            log("the PostgreSQL database is not kept: its server was removed with it")
    print(to_json(results) if args.json else render_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
