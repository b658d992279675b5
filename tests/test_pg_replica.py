"""A corpus read from a hot-standby replica: every reading command answers there as on
the primary, and every writing one says in one sentence that it cannot.

The module starts a pair of its own from the installed server binaries: a primary
(``wal_level=replica``, a replication entry for the local socket in pg_hba.conf) and a
standby cloned from it with ``pg_basebackup -R`` (its own data folder and socket
folder, ``hot_standby=on``), both on Unix sockets only, with durability off. It skips
only where there are no PostgreSQL server binaries (``pg_server.find_bindir()``).
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pg_server
import pytest
from click.testing import CliRunner, Result
from pg_server import one_line_error

from corpus_cli.cli import cli

SUPERUSER = "postgres"
PORT = 5432
DATABASE = "corpus_replica"
#: Seconds the standby may take to replay what the primary wrote.
REPLAY_TIMEOUT = 60
#: Settings of both servers. Durability is off (nothing here must survive a crash);
#: a hot standby needs at least the primary's max_connections and max_wal_senders.
SETTINGS = {
    "listen_addresses": "''",
    "port": str(PORT),
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "30",
    "shared_buffers": "32MB",
    "wal_level": "replica",
    "max_wal_senders": "4",
    "max_replication_slots": "4",
    "hot_standby": "on",
}


class Node:
    """One server of the pair: a folder holding its socket, its log and its data."""

    def __init__(self, pair: ReplicaPair, name: str) -> None:
        self.pair = pair
        self.name = name
        self.socket = pair.root / name
        self.data = self.socket / "data"
        self.log = self.socket / "server.log"
        self.socket.mkdir()
        if pair.owner is not None:
            os.chown(self.socket, pair.owner.pw_uid, pair.owner.pw_gid)

    def uri(self, database: str = DATABASE) -> str:
        return f"postgresql:///{database}?host={self.socket}&port={PORT}&user={SUPERUSER}"

    def start(self) -> None:
        settings = {**SETTINGS, "unix_socket_directories": str(self.socket)}
        options = " ".join(f"-c {key}={value}" for key, value in settings.items())
        self.pair.run(
            self.pair.bin("pg_ctl"),
            *("-D", str(self.data), "-l", str(self.log), "-o", options),
            *("-w", "-t", "60", "start"),
        )

    def stop(self) -> None:
        if self.data.exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.pair.run(
                    self.pair.bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"
                )

    def query(self, sql: str, params: tuple[Any, ...] = (), database: str = "postgres") -> Any:
        """The first column of the first row of one statement run as the superuser."""
        import psycopg2

        connection = psycopg2.connect(self.uri(database))
        try:
            connection.autocommit = True
            cursor = connection.cursor()
            cursor.execute(sql, params)
            return cursor.fetchone()[0] if cursor.description else None
        finally:
            connection.close()


class ReplicaPair:
    """A primary and a hot standby streaming from it, in one temporary folder."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.owner: pwd.struct_passwd | None = None
        self._as: list[str] = []
        if os.geteuid() == 0:
            # initdb refuses to run as root: as root, the servers run as Debian's user.
            try:
                self.owner = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root, and there is no 'postgres' user to run initdb as")
            runuser = shutil.which("runuser")
            if runuser is None:
                pytest.skip("running as root, and there is no runuser to run initdb as postgres")
            self._as = [runuser, "-u", "postgres", "--"]
        self.root = Path(tempfile.mkdtemp(prefix="corpus-replica-", dir="/tmp"))
        if self.owner is not None:
            os.chown(self.root, self.owner.pw_uid, self.owner.pw_gid)
        self.primary = Node(self, "primary")
        self.standby = Node(self, "standby")

    def bin(self, name: str) -> str:
        return str(self.bindir / name)

    def run(self, *args: str) -> None:
        subprocess.run(
            [*self._as, *args], check=True, capture_output=True, text=True, cwd=self.root
        )

    def start(self) -> None:
        primary, standby = self.primary, self.standby
        try:
            self.run(
                self.bin("initdb"),
                *("-D", str(primary.data), "-U", SUPERUSER, "-A", "trust"),
                *("-E", "UTF8", "--locale=C", "--no-sync"),
            )
            # As the server's owner: the server must read its own file. pg_basebackup
            # and the standby's WAL receiver connect for replication over the socket.
            hba = "local replication all trust\\nlocal all all trust\\n"
            self.run("sh", "-c", f"printf '{hba}' > {primary.data / 'pg_hba.conf'}")
            primary.start()
            # -R writes standby.signal and primary_conninfo; the slot keeps the WAL
            # the standby has not received yet.
            self.run(
                self.bin("pg_basebackup"),
                *("-D", str(standby.data), "-h", str(primary.socket), "-p", str(PORT)),
                *("-U", SUPERUSER, "-R", "-X", "stream", "-c", "fast", "--no-sync"),
                *("--create-slot", "--slot", "corpus_standby"),
            )
            standby.start()
        except subprocess.CalledProcessError as error:
            logs = "\n".join(
                f"{node.name}: {node.log.read_text(errors='replace')[-1500:]}"
                for node in (primary, standby)
                if node.log.exists()
            )
            self.stop()
            raise RuntimeError(f"the replica pair did not start: {error.stderr}\n{logs}") from None
        assert standby.query("SELECT pg_is_in_recovery()") is True
        assert primary.query("SELECT pg_is_in_recovery()") is False

    def stop(self) -> None:
        self.standby.stop()
        self.primary.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def replayed(self) -> None:
        """Wait until the standby has replayed everything the primary has written.

        The target is where the primary has inserted WAL, not where it has written it:
        with synchronous_commit off (these servers' setting) a commit's record can
        wait in the WAL buffers, behind pg_current_wal_lsn(), so a standby replayed
        up to that point did not yet see the commit (and answered with no articles).
        """
        target = self.primary.query("SELECT pg_current_wal_insert_lsn()")
        deadline = time.monotonic() + REPLAY_TIMEOUT
        while not self.standby.query("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,)):
            if time.monotonic() > deadline:
                replayed = self.standby.query("SELECT pg_last_wal_replay_lsn()")
                raise AssertionError(f"the standby replayed up to {replayed}, not {target}")
            time.sleep(0.05)


# -- the corpus -----------------------------------------------------------------------

#: One article of the Gazzetta that a second outlet reprinted with one word changed:
#: the pair ``dups`` must find.
REPRINTED = (
    "Il consiglio comunale di Modena ha approvato ieri sera la variante al piano "
    "urbanistico dopo una seduta lunga e tesa, durata fino a mezzanotte. Il sindaco ha "
    "difeso il progetto della nuova tangenziale nord, che secondo la giunta ridurra il "
    "traffico nel centro storico, mentre l'opposizione ha chiesto un referendum cittadino "
    "e ha annunciato un ricorso al tribunale amministrativo regionale. Secondo quanto "
    "riferisce l'agenzia Ansa, i lavori potrebbero cominciare gia nella prossima "
    "primavera, con una spesa prevista di quaranta milioni di euro."
)

ARTICLES = {
    "gazzetta-01": ("Gazzetta di Modena", "2023-01-12", "Variante approvata", REPRINTED),
    "carlino-01": (
        "Resto del Carlino",
        "2023-01-13",
        "La variante passa in consiglio",
        REPRINTED.replace("tesa", "accesa"),
    ),
    "gazzetta-02": (
        "Gazzetta di Modena",
        "2023-02-03",
        "Bilancio comunale, il sindaco presenta i conti",
        "Il sindaco di Modena ha presentato il bilancio comunale in consiglio. "
        "Le tasse locali restano invariate, dice la giunta; l'opposizione chiede tagli.",
    ),
    "gazzetta-03": (
        "Gazzetta di Modena",
        "2023-03-21",
        "Esercitazioni della protezione civile",
        "Esercitazioni della protezione civile lungo il Secchia: il sindaco ha seguito "
        "le prove di evacuazione con i volontari. Lo riporta anche Reuters.",
    ),
    "carlino-02": (
        "Resto del Carlino",
        "2023-05-30",
        "Il consiglio comunale discute di sicurezza",
        "Seduta del consiglio comunale dedicata alla sicurezza in stazione. Il sindaco "
        "promette piu agenti; secondo l'agenzia Tass la notizia ha avuto eco a Mosca.",
    ),
    "carlino-03": (
        "Resto del Carlino",
        "2023-07-04",
        "Estate a Modena",
        "Concerti in piazza Grande per tutta l'estate: il consiglio comunale ha approvato "
        "il calendario degli eventi. Il sindaco ringrazia i commercianti.",
    ),
    "gazzetta-04": (
        "Gazzetta di Modena",
        "2023-11-18",
        "Nebbia e incidenti sulla tangenziale",
        "La nebbia ha causato tre incidenti sulla tangenziale nord. Nessun ferito grave; "
        "il sindaco chiede nuovi pannelli luminosi.",
    ),
    "bollettino-01": (
        "Bollettino",
        "",
        "Avviso senza data",
        "Un avviso del consiglio comunale senza data: la biblioteca resta chiusa per lavori.",
    ),
}

LATER = {
    "gazzetta-05": (
        "Gazzetta di Modena",
        "2024-01-09",
        "Nuovo anno in consiglio",
        "Primo consiglio comunale del nuovo anno: il sindaco annuncia la gara per la "
        "tangenziale e una nuova pista ciclabile lungo il Secchia.",
    ),
}


def write_articles(folder: Path, articles: dict[str, tuple[str, str, str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (source, date, title, text) in articles.items():
        header = f"source: {source}\n" + (f"date: {date}\n" if date else "")
        (folder / f"{name}.txt").write_text(f"{header}title: {title}\n\n{text}\n", "utf-8")
    return folder


# -- the fixtures ---------------------------------------------------------------------


@dataclass
class Replica:
    pair: ReplicaPair
    corpus: Path
    tmp: Path

    @property
    def primary(self) -> str:
        return self.pair.primary.uri()

    @property
    def standby(self) -> str:
        return self.pair.standby.uri()


def run(uri: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--index", uri, *args])


@pytest.fixture(scope="module")
def replica(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replica]:
    """The pair, with the corpus and one watch ingested into the primary and replayed."""
    bindir = pg_server.find_bindir()
    if bindir is None:
        pytest.skip(
            "no PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) found: install "
            "Debian's 'postgresql' package, or set PG_BINDIR"
        )
    with pytest.MonkeyPatch.context() as env:
        for name in [n for n in os.environ if n.startswith("PG") or n == "CORPUS_INDEX"]:
            env.delenv(name)
        env.setenv("COLUMNS", "200")
        pair = ReplicaPair(bindir)
        pair.start()
        try:
            tmp = tmp_path_factory.mktemp("replica")
            corpus = write_articles(tmp / "corpus", ARTICLES)
            pair.primary.query(f"CREATE DATABASE {DATABASE}")
            uri = pair.primary.uri()
            ingested = run(uri, "ingest", "--json", str(corpus))
            assert ingested.exit_code == 0, ingested.output
            assert json.loads(ingested.stdout)["added"] == len(ARTICLES)
            added = run(uri, "watch", "add", "sindaco", "sindaco", "--from", "2023-02-01")
            assert added.exit_code == 0, added.output
            pair.replayed()
            yield Replica(pair, corpus, tmp)
        finally:
            pair.stop()


def same_answer(replica: Replica, *args: str, database: str = DATABASE) -> Result:
    """Run a command on the primary and on the standby; they must answer alike."""
    on_primary = run(replica.pair.primary.uri(database), *args)
    on_standby = run(replica.pair.standby.uri(database), *args)
    assert on_primary.exit_code == 0, on_primary.output
    assert on_standby.exit_code == 0, on_standby.output
    assert on_standby.stdout == on_primary.stdout
    assert on_standby.stderr == on_primary.stderr
    assert on_primary.output.strip()  # off a terminal a search's count is on stderr
    return on_standby


# -- reading on the standby -----------------------------------------------------------

READING = {
    "search terms": ["search", "sindaco", "--json"],
    "search table": ["search", "consiglio comunale"],
    "search phrase": ["search", '"consiglio comunale"', "--json"],
    "search from to": ["search", "sindaco", "--from", "2023-02-01", "--to", "2023-06-30", "--json"],
    "search source": ["search", "sindaco", "--source", "Resto del Carlino", "--json"],
    "search sorted": ["search", "consiglio", "--sort", "-date", "--limit", "3", "--json"],
    "search fuzzy wildcard": ["search", "tangenziale~1 OR varian*", "--json"],
    "search kwic": ["search", "sindaco", "--kwic", "--json"],
    "search csv": ["search", "consiglio", "--format", "csv"],
    "list": ["list", "--json"],
    "list table": ["list", "--from", "2023-03-01", "--sort", "-date"],
    "show": ["show", "gazzetta-03", "--json"],
    "show query": ["show", "gazzetta-01", "--query", "variante"],
    "stats": ["stats", "--json"],
    "stats table": ["stats"],
    "sources": ["sources", "--json"],
    "sources query": ["sources", "sindaco", "--json"],
    "timeline": ["timeline", "consiglio", "--by", "month", "--json"],
    "timeline normalized": ["timeline", "sindaco", "--normalize"],
    "terms": ["terms", "consiglio", "--json"],
    "similar": ["similar", "gazzetta-01", "--json"],
    "dups": ["dups", "--json"],
    "cites": ["cites", "--json"],
    "cites query": ["cites", "sindaco"],
    "explain": ["search", "tangenzale~1 AND varian*", "--explain"],
    "watch list": ["watch", "list", "--json"],
}


@pytest.mark.parametrize("args", list(READING.values()), ids=list(READING))
def test_a_reading_command_answers_on_the_standby_as_on_the_primary(
    replica: Replica, args: list[str]
) -> None:
    same_answer(replica, *args)


def test_the_answers_compared_are_real_ones(replica: Replica) -> None:
    """The comparisons above would pass on two empty answers: these are not."""
    hits = run(replica.standby, "search", "sindaco", "--json").stdout.splitlines()
    assert len(hits) == 7
    assert len(run(replica.standby, "list", "--json").stdout.splitlines()) == len(ARTICLES)
    [cluster] = [json.loads(r) for r in run(replica.standby, "dups", "--json").stdout.splitlines()]
    assert sorted(cluster["ids"]) == ["carlino-01", "gazzetta-01"]
    similar = run(replica.standby, "similar", "gazzetta-01", "--json").stdout.splitlines()
    assert json.loads(similar[0])["id"] == "carlino-01"
    cited = {
        json.loads(r)["cited"] for r in run(replica.standby, "cites", "--json").stdout.splitlines()
    }
    assert {"ANSA", "Reuters", "Tass"} <= cited
    assert "expands   variante" in run(replica.standby, "search", "varian*", "--explain").stdout


def test_did_you_mean_on_the_standby(replica: Replica) -> None:
    result = same_answer(replica, "search", "tangenzialle")
    assert "Did you mean" in result.stderr and "tangenziale" in result.stderr


# -- writing on the standby -----------------------------------------------------------


def refused(replica: Replica, line: str, database: str = DATABASE) -> None:
    """The sentence of a write the standby refused: where, why, and where to go instead."""
    assert f"'{database}'" in line and str(replica.pair.standby.socket) in line
    assert "read-only" in line and "(a standby" in line and "primary" in line


def test_ingest_on_the_standby_is_one_sentence(replica: Replica) -> None:
    new = write_articles(replica.tmp / "refused", {"x-01": ("X", "2023-01-01", "T", "Testo.")})
    refused(replica, one_line_error(run(replica.standby, "ingest", str(new))))
    # Files it already has need no write: they are reported unchanged, as for a
    # role that may only read.
    unchanged = run(replica.standby, "ingest", "--json", "--prune", str(replica.corpus))
    assert unchanged.exit_code == 0, unchanged.output
    assert json.loads(unchanged.stdout)["unchanged"] == len(ARTICLES)


def test_the_first_ingest_on_the_standby_is_one_sentence(replica: Replica) -> None:
    """Into a database that has no corpus yet: the tables cannot be created there."""
    empty = "corpus_replica_empty"
    replica.pair.primary.query(f"CREATE DATABASE {empty}")
    replica.pair.replayed()
    uri = replica.pair.standby.uri(empty)
    refused(replica, one_line_error(run(uri, "ingest", str(replica.corpus))), empty)
    line = one_line_error(run(uri, "search", "sindaco"))
    assert "No corpus" in line and empty in line


@pytest.mark.parametrize(
    "args",
    [
        ["watch", "add", "nebbia", "nebbia"],
        ["watch", "run"],
        ["watch", "run", "sindaco"],
        ["watch", "rm", "sindaco"],
        ["optimize"],
    ],
    ids=["watch add", "watch run", "watch run one", "watch rm", "optimize"],
)
def test_a_writing_command_on_the_standby_is_one_sentence(
    replica: Replica, args: list[str]
) -> None:
    line = one_line_error(run(replica.standby, *args))
    refused(replica, line)
    assert "ingest" not in line  # these commands are not ingests


def test_the_refused_writes_changed_nothing(replica: Replica) -> None:
    """After the refusals (the tests above, in this module's order) both still agree."""
    same_answer(replica, "watch", "list", "--json")
    same_answer(replica, "list", "--json")
    [watch] = [
        json.loads(r) for r in run(replica.standby, "watch", "list", "--json").stdout.splitlines()
    ]
    assert watch["name"] == "sindaco" and watch["last_run"] is None


# -- the standby follows the primary ----------------------------------------------------


def test_later_writes_on_the_primary_show_on_the_standby_after_replay(
    replica: Replica,
) -> None:
    """In a database and a folder of its own, so that the other tests' corpus stays."""
    database = "corpus_replica_later"
    primary, standby = replica.pair.primary.uri(database), replica.pair.standby.uri(database)
    folder = write_articles(replica.tmp / "later", ARTICLES)
    replica.pair.primary.query(f"CREATE DATABASE {database}")
    first = run(primary, "ingest", "--json", str(folder))
    assert first.exit_code == 0, first.output
    added = run(primary, "watch", "add", "sindaco", "sindaco")
    assert added.exit_code == 0, added.output
    replica.pair.replayed()
    listed = same_answer(replica, "list", "--json", database=database)
    assert len(listed.stdout.splitlines()) == len(ARTICLES)
    before = run(standby, "search", "ciclabile", "--json")
    assert before.exit_code == 0 and before.stdout == ""

    # A new article, an edited one and a removed one: the standby refuses them all ...
    write_articles(folder, LATER)
    edited = folder / "gazzetta-04.txt"
    edited.write_text(edited.read_text("utf-8").replace("nebbia", "grandine"), "utf-8")
    (folder / "bollettino-01.txt").unlink()
    refused(replica, one_line_error(run(standby, "ingest", "--prune", str(folder))), database)
    # ... and once the primary has them, it shows them.
    result = run(primary, "ingest", "--json", "--prune", str(folder))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["added"], summary["updated"], summary["removed"]) == (1, 1, 1)
    ran = run(primary, "watch", "run", "sindaco", "--json")
    assert ran.exit_code == 0, ran.output
    replica.pair.replayed()
    found = same_answer(replica, "search", "ciclabile", "--json", database=database)
    assert [json.loads(r)["id"] for r in found.stdout.splitlines()] == ["gazzetta-05"]
    found = same_answer(replica, "search", "grandine", "--json", database=database)
    assert [json.loads(r)["id"] for r in found.stdout.splitlines()] == ["gazzetta-04"]
    listed = same_answer(replica, "list", "--json", database=database)
    ids = {json.loads(r)["id"] for r in listed.stdout.splitlines()}
    assert ids == (set(ARTICLES) | set(LATER)) - {"bollettino-01"}
    stats = json.loads(same_answer(replica, "stats", "--json", database=database).stdout)
    assert stats["articles"] == len(ids)
    watches = same_answer(replica, "watch", "list", "--json", database=database)
    [watch] = [json.loads(r) for r in watches.stdout.splitlines()]
    assert watch["last_run"] is not None and watch["seen"] == 8
    same_answer(replica, "timeline", "consiglio", "--by", "year", "--json", database=database)
    same_answer(replica, "terms", "consiglio", "--json", database=database)
    # Did-you-mean knows the new words.
    suggested = same_answer(replica, "search", "ciclabbile", database=database)
    assert "ciclabile" in suggested.stderr
