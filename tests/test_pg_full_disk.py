"""A full disk on the PostgreSQL server, on a real server and a real file system.

Each test starts a server of its own with part of it on a small tmpfs, so the
kernel itself says ENOSPC to the server: the tables' tablespace (the server says
ERROR 53100 for that statement and carries on), or the whole data folder with its
write-ahead log (the server PANICs, cannot recover until there is room, and stays
down). Mounting needs root, as on this project's machines and CI; elsewhere the
tests skip with the reason. The last test meets another shortage of class 53 (a
temporary file limit) on the session's shared server.
"""

from __future__ import annotations

import json
import os
import pwd
import random
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pg_server
import pytest
from click.testing import CliRunner, Result
from pg_server import PostgresServer, one_line_error

from corpus_cli.cli import cli

WORDS = ["rapina", "Modena", "carabinieri", "furto", "sindaco", "scuola", "neve", "treno"]
ARTICLES = 1500
#: Articles ingested while there is room; the rest come after the disk is made small.
FIRST = 300
QUERIES = ["rapina1", "neve7 OR treno12", "carabinieri", "articolo"]


def _can_mount() -> str | None:
    """Why a tmpfs cannot be mounted here, or None when it can."""
    if os.geteuid() != 0:
        return "mounting a small tmpfs under the server needs root"
    with tempfile.TemporaryDirectory(prefix="corpus-mount-probe-") as folder:
        probe = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", folder], capture_output=True
        )
        if probe.returncode != 0:
            return f"cannot mount a tmpfs here ({probe.stderr.decode(errors='replace').strip()})"
        subprocess.run(["umount", folder], check=True)
    return None


_why_not = _can_mount()
pytestmark = pytest.mark.skipif(_why_not is not None, reason=_why_not or "")


class SmallDisk:
    """A tmpfs owned by the server's user, resized as the test goes."""

    def __init__(self, folder: Path, size: str) -> None:
        self.folder = folder
        owner = pwd.getpwnam("postgres")
        folder.mkdir()
        subprocess.run(
            [
                "mount",
                "-t",
                "tmpfs",
                "-o",
                f"size={size},uid={owner.pw_uid},gid={owner.pw_gid},mode=0700",
                "tmpfs",
                str(folder),
            ],
            check=True,
        )

    def used_kb(self) -> int:
        stat = os.statvfs(self.folder)
        return (stat.f_blocks - stat.f_bfree) * stat.f_frsize // 1024

    def resize(self, size: str) -> None:
        subprocess.run(["mount", "-o", f"remount,size={size}", str(self.folder)], check=True)

    def leave_room(self, kb: int) -> None:
        """Shrink (or grow) the disk to what it holds now and ``kb`` more."""
        self.resize(f"{self.used_kb() + kb}k")

    def unmount(self) -> None:
        if subprocess.run(["umount", str(self.folder)], capture_output=True).returncode:
            # Busy after all (a server process not yet gone): detach it now, freed later.
            subprocess.run(["umount", "-l", str(self.folder)], capture_output=True)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[PostgresServer, list[SmallDisk]]]:
    """A server of the test's own, not yet started; stopped and unmounted whatever happens."""
    for name in [n for n in os.environ if n.startswith("PG") or n == "CORPUS_INDEX"]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("COLUMNS", "200")
    bindir = pg_server.find_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) found")
    postgres = PostgresServer(bindir)
    disks: list[SmallDisk] = []
    try:
        yield postgres, disks
    finally:
        postgres.halt()
        for disk in reversed(disks):
            disk.unmount()
        postgres.remove()


@pytest.fixture(scope="module")
def texts() -> list[str]:
    rng = random.Random(53100)
    return [
        f"date: 2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}\n\nArticolo {i}\n"
        + " ".join(f"{rng.choice(WORDS)}{rng.randrange(3000)}" for _ in range(250))
        + "\n"
        for i in range(ARTICLES)
    ]


def write(folder: Path, texts: list[str], start: int, stop: int) -> None:
    folder.mkdir(exist_ok=True)
    for i in range(start, stop):
        (folder / f"a{i:04d}.txt").write_text(texts[i], encoding="utf-8")


def run(uri: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--index", uri, *args])


def count(uri: str) -> int:
    result = run(uri, "search", "--count", "articolo")
    assert result.exit_code == 0, result.output
    return int(result.stdout)


def clean_check(uri: str, articles: int) -> None:
    result = run(uri, "check")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert f"{articles} articles" in text and "No damage found" in text, text


def answers(uri: str) -> list[Any]:
    """What a user compares between two corpora: the stats and ranked hits with scores."""
    stats = run(uri, "stats", "--json")
    assert stats.exit_code == 0, stats.output
    rows: list[Any] = [
        {k: v for k, v in json.loads(line).items() if k not in ("index", "location", "path")}
        for line in stats.stdout.splitlines()
    ]
    for query in QUERIES:
        hits = run(uri, "search", "--json", "--limit", "20", query)
        assert hits.exit_code == 0, hits.output
        rows.append([(h["id"], h.get("score")) for h in map(json.loads, hits.stdout.splitlines())])
    return rows


def tables(postgres: PostgresServer, database: str) -> list[Any]:
    """The totals and word counts the ranking and did-you-mean read, row for row."""
    return [
        postgres.execute(database, sql)
        for sql in (
            "SELECT articles, text_words FROM corpus_totals",
            "SELECT md5(string_agg(concat_ws(' ', word, title_docs, text_docs, text_count), "
            "',' ORDER BY word)) FROM corpus_words",
            "SELECT md5(string_agg(concat_ws(' ', stem, text_docs, text_count), "
            "',' ORDER BY stem)) FROM corpus_stems",
        )
    ]


def test_a_full_tablespace_during_ingest_and_optimize(
    server: tuple[PostgresServer, list[SmallDisk]], tmp_path: Path, texts: list[str]
) -> None:
    postgres, disks = server
    disk = SmallDisk(postgres.root / "small", "256m")
    disks.append(disk)
    postgres.start()
    admin = postgres.admin().cursor()
    admin.execute(f"CREATE TABLESPACE small LOCATION '{disk.folder}'")
    admin.execute("CREATE DATABASE full_disk TABLESPACE small TEMPLATE template0")
    uri = postgres.uri("full_disk")
    news = tmp_path / "news"

    write(news, texts, 0, FIRST)
    first = run(uri, "ingest", str(news))
    assert first.exit_code == 0 and f"{FIRST} added" in first.output, first.output

    # Room for the next batch (500 articles take ~9 MB here), not for the one after.
    disk.leave_room(14 * 1024)
    write(news, texts, FIRST, ARTICLES)
    failed = run(uri, "ingest", str(news))
    line = one_line_error(failed)
    assert "ran out of disk space for database 'full_disk'" in line, line
    assert "free some space on the server and run the command again" in line, line

    # Whole batches only (the first of a run holds 500 articles), consistent with the
    # ledger, and the corpus still answers while the disk is full.
    kept = count(uri)
    assert kept in (FIRST, FIRST + 500), kept
    clean_check(uri, kept)
    hits = run(uri, "search", "rapina1")
    assert hits.exit_code == 0 and "Articolo" in hits.output, hits.output

    # VACUUM needs pages of its own (free-space and visibility maps).
    assert "ran out of disk space" in one_line_error(run(uri, "optimize"))

    disk.resize("256m")
    again = run(uri, "ingest", str(news))
    assert again.exit_code == 0, again.output
    assert f"{ARTICLES - kept} added" in again.output, again.output
    clean_check(uri, ARTICLES)

    # The same as a clean ingest of the same files, totals and ranking included.
    admin.execute("CREATE DATABASE clean TEMPLATE template0")
    clean = postgres.uri("clean")
    built = run(clean, "ingest", str(news))
    assert built.exit_code == 0, built.output
    assert answers(uri) == answers(clean)
    assert tables(postgres, "full_disk") == tables(postgres, "clean")
    assert run(uri, "optimize").exit_code == 0


def test_a_full_disk_under_the_write_ahead_log(
    server: tuple[PostgresServer, list[SmallDisk]], tmp_path: Path, texts: list[str]
) -> None:
    """The whole data folder on the small disk: a WAL segment that cannot be made PANICs
    the server, which then cannot finish its recovery until there is room again."""
    postgres, disks = server
    disk = SmallDisk(postgres.root / "small", "256m")
    disks.append(disk)
    postgres.data = disk.folder / "data"
    postgres.start()
    admin = postgres.admin().cursor()
    # No background writes of its own: the ingest is the one that meets the full disk.
    admin.execute("ALTER SYSTEM SET autovacuum = off")
    admin.execute("SELECT pg_reload_conf()")
    admin.execute("CREATE DATABASE wal TEMPLATE template0")
    uri = postgres.uri("wal")
    news = tmp_path / "news"
    write(news, texts, 0, FIRST)
    assert run(uri, "ingest", str(news)).exit_code == 0

    # The next WAL record needs a new 16 MB segment, and there are 8 MB.
    admin.execute("SELECT pg_switch_wal()")
    disk.leave_room(8 * 1024)
    write(news, texts, FIRST, ARTICLES)
    failed = run(uri, "ingest", str(news))
    assert len(failed.stderr.splitlines()) == 1, failed.stderr
    line = one_line_error(failed)
    assert "The connection to the PostgreSQL server" in line and "was lost" in line, line
    assert "the batch being written was rolled back" in line, line
    # The server restarts to recover, finds no room for the log either, and stops.
    pid = postgres.data / "postmaster.pid"
    for _ in range(600):
        if not pid.exists():
            break
        time.sleep(0.1)
    down = one_line_error(run(uri, "search", "--count", "articolo"))
    assert "is it running?" in down, down
    log = (postgres.root / "server.log").read_text(errors="replace")
    assert "PANIC:  could not write to file" in log and "No space left on device" in log, log

    disk.resize("1g")
    postgres.restart()
    assert count(uri) == FIRST
    clean_check(uri, FIRST)
    again = run(uri, "ingest", str(news))
    assert again.exit_code == 0 and f"{ARTICLES - FIRST} added" in again.output, again.output
    clean_check(uri, ARTICLES)
    postgres.admin().cursor().execute("CREATE DATABASE clean TEMPLATE template0")
    clean = postgres.uri("clean")
    built = run(clean, "ingest", str(news))
    assert built.exit_code == 0, built.output
    assert answers(uri) == answers(clean)
    assert tables(postgres, "wal") == tables(postgres, "clean")


@pytest.fixture(scope="module")
def shared_server(request: pytest.FixtureRequest) -> PostgresServer:
    return pg_server.shared(request)


def test_a_server_short_of_other_resources(
    shared_server: PostgresServer,
    tmp_path: Path,
    texts: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SQLSTATE class 53 besides a full disk: here 53400, a sort that needs more
    temporary file space than the session's temp_file_limit allows."""
    for name in [n for n in os.environ if n.startswith("PG") or n == "CORPUS_INDEX"]:
        monkeypatch.delenv(name)
    database = shared_server.create_database("resources")
    try:
        uri = shared_server.uri(database)
        write(tmp_path / "news", texts, 0, FIRST)
        assert run(uri, "ingest", str(tmp_path / "news")).exit_code == 0
        limited = f"{uri}&options=-cwork_mem%3D64kB%20-ctemp_file_limit%3D8kB"
        line = one_line_error(run(limited, "list", "--json", "--sort", "date"))
        assert "could not finish the command" in line and "for want of resources" in line, line
        assert "temp_file_limit" in line and "nothing was changed" in line, line
    finally:
        shared_server.drop_database(database)
