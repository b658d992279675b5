"""The resident search process, as a user meets it: real ``corpus`` processes, real servers.

Each test gets a private runtime folder of its own (so its servers are its own) and
stops every server it started, even when it fails.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEEDS, article, write

from corpus_cli.server import control, routing

SERVER_ENV = ("CORPUS_SERVER", "CORPUS_INDEX", "FORCE_COLOR", "NO_COLOR", "COLUMNS", "LINES")


class Corpus:
    """``corpus`` processes and the server of one index, in one runtime folder."""

    def __init__(self, index: Path, runtime: Path) -> None:
        self.index = index
        self.runtime = runtime
        self.env = {k: v for k, v in os.environ.items() if k not in SERVER_ENV}
        self.env.update(
            XDG_RUNTIME_DIR=str(runtime),
            CORPUS_SERVER_IDLE="60",  # a server a test leaks still goes by itself
            CORPUS_SERVER_TIMEOUT="10",  # a loaded machine is no reason to fall back
            TERM="xterm-256color",
        )
        self.foreground: list[subprocess.Popen[bytes]] = []

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "corpus_cli", "--index", str(self.index), *args]

    def run(
        self, *args: str, server: bool = True, **env: str
    ) -> subprocess.CompletedProcess[bytes]:
        environ = {**self.env, **env}
        if not server:
            environ["CORPUS_SERVER"] = "off"
        return subprocess.run(
            self.argv(*args), capture_output=True, env=environ, stdin=subprocess.DEVNULL
        )

    def status(self) -> dict[str, object] | None:
        return control.status(str(self.index))

    def wait_for_server(self, timeout: float = 30.0) -> dict[str, object]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.status()
            if found is not None:
                return found
            time.sleep(0.05)
        raise AssertionError("no server started")

    def serve(self, *args: str, **env: str) -> subprocess.Popen[bytes]:
        """``corpus serve`` in the foreground (of a background process), once it answers."""
        process = subprocess.Popen(
            self.argv("serve", *args),
            env={**self.env, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.foreground.append(process)
        self.wait_for_server()
        return process

    def commands(self) -> int:
        found = self.status()
        assert found is not None
        count = found["commands"]
        assert isinstance(count, int)
        return count

    def socket_path(self) -> Path:
        return Path(routing.socket_path(str(self.index)))

    def stop_all(self) -> None:
        found = self.status()
        if found is not None:
            pid = found["pid"]
            assert isinstance(pid, int)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
            if control.stop(str(self.index)) is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        for process in self.foreground:
            if process.poll() is None:
                process.kill()
            process.wait()


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Corpus]:
    # A short folder of its own: a socket's path must fit in 107 bytes.
    runtime = Path(tempfile.mkdtemp(prefix="cs-", dir="/tmp"))
    os.chmod(runtime, 0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    news = tmp_path / "news"
    shutil.copytree(SEEDS, news)
    index = tmp_path / "index"
    made = Corpus(index, runtime)
    result = made.run("ingest", str(news), server=False)
    assert result.returncode == 0, result.stderr
    try:
        yield made
    finally:
        made.stop_all()
        shutil.rmtree(runtime, ignore_errors=True)


def same(a: subprocess.CompletedProcess[bytes], b: subprocess.CompletedProcess[bytes]) -> None:
    assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)


def test_the_first_search_starts_a_server_that_the_next_one_uses(corpus: Corpus) -> None:
    assert corpus.status() is None
    first = corpus.run("search", "esercitazioni")
    assert first.returncode == 0 and b"esercitazioni" in first.stdout.lower()
    started = corpus.wait_for_server()
    assert started["commands"] == 0  # the first search ran in its own process
    second = corpus.run("search", "esercitazioni")
    same(first, second)
    assert corpus.commands() == 1
    third = corpus.run("stats", "--json")
    assert third.returncode == 0 and b'"articles": 5' in third.stdout
    assert corpus.commands() == 2
    assert corpus.status()["pid"] == started["pid"]  # type: ignore[index]


#: Commands and options whose output must not change when a server runs them.
COMMAND_LINES = [
    ["search", "esercitazioni"],
    ["search", "esercitazioni", "--json"],
    ["search", "esercitazioni", "--format", "csv"],
    ["search", "esercitazioni", "--kwic"],
    ["search", "esercitazioni", "--explain"],
    ["search", "esercitazioni", "--count"],
    ["search", "esercitazzioni"],  # no hit: a did-you-mean on stderr
    ["search", "esercitazioni", "--from", "2099"],  # emptied by a filter
    ["search", "esercitazioni", "--from", "not-a-date"],  # usage error, exit 2
    ["search", "--jsno", "x"],  # unknown option, exit 2
    ["search", "--help"],
    ["list", "--limit", "3"],
    ["list", "--json"],
    ["show", "002_9be9ee8e938c10f9", "--query", "esercitazioni"],
    ["show", "no-such-article"],  # exit 1
    ["stats"],
    ["sources"],
    ["timeline", "esercitazioni", "--by", "year"],
    ["terms", "esercitazioni"],
    ["cites"],
    ["similar", "002_9be9ee8e938c10f9"],
    ["dups"],
]

#: Terminals described by the environment alone (stdout is a pipe here).
ENVIRONMENTS = [
    {"NO_COLOR": "1"},
    {"FORCE_COLOR": "1", "COLUMNS": "60", "LINES": "20"},  # colours, and the pager
    {"FORCE_COLOR": "1", "COLUMNS": "40", "TERM": "xterm"},
]


def test_output_is_byte_for_byte_the_in_process_output(corpus: Corpus) -> None:
    corpus.serve()
    served = 0
    for env in ENVIRONMENTS:
        for args in COMMAND_LINES:
            alone = corpus.run(*args, server=False, **env)
            before = corpus.commands()
            through = corpus.run(*args, **env)
            assert corpus.commands() == before + 1, args  # it did go through the server
            assert alone.stdout or alone.stderr, args
            assert (through.returncode, through.stdout, through.stderr) == (
                alone.returncode,
                alone.stdout,
                alone.stderr,
            ), (args, env)
            served += 1
    assert served == len(ENVIRONMENTS) * len(COMMAND_LINES)


def _on_a_terminal(corpus: Corpus, args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """Run ``corpus ARGS`` with a pseudo-terminal of 70x24 as stdout and stderr."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 70, 0, 0))
    process = subprocess.Popen(
        corpus.argv(*args),
        env={**corpus.env, **env},
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    output = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: every writer closed the terminal
                break
            if not chunk:
                break
            output += chunk
        elif process.poll() is not None:
            break
    os.close(leader)
    return process.wait(timeout=30), output


def test_on_a_terminal_width_colours_and_the_pager_are_the_terminals(corpus: Corpus) -> None:
    corpus.serve()
    # PAGER=cat: the pager runs (in the client when served) without waiting for keys.
    for args in (
        ["search", "esercitazioni"],
        ["search", "esercitazioni", "--no-pager"],
        ["show", "002_9be9ee8e938c10f9", "--query", "esercitazioni"],
        ["stats"],
    ):
        alone = _on_a_terminal(corpus, args, {"CORPUS_SERVER": "off", "PAGER": "cat"})
        before = corpus.commands()
        through = _on_a_terminal(corpus, args, {"PAGER": "cat"})
        assert corpus.commands() == before + 1
        assert b"\x1b[" in alone[1], args  # colours: it was a terminal
        assert through == alone, args


def test_a_pipe_closed_early_is_a_quiet_success(corpus: Corpus) -> None:
    corpus.serve()
    pipeline = subprocess.run(
        [
            "sh",
            "-c",
            'for i in 1 2 3 4 5 6 7 8; do "$@"; done | head -c 10',
            "sh",
            *corpus.argv("search", "esercitazioni", "--json"),
        ],
        capture_output=True,
        env=corpus.env,
    )
    assert pipeline.returncode == 0
    assert len(pipeline.stdout) == 10 and pipeline.stderr == b""
    after = corpus.run("search", "esercitazioni", "--json")
    assert after.returncode == 0 and after.stdout.count(b"\n") >= 1


def test_a_commit_is_in_the_next_served_search(corpus: Corpus, tmp_path: Path) -> None:
    corpus.serve()
    assert corpus.run("search", "zampognaro", "--count").stdout == b"0\n"
    write(tmp_path / "more", "new.txt", article("new-1", "Il zampognaro suona in piazza."))
    ingested = corpus.run("ingest", str(tmp_path / "more"))
    assert ingested.returncode == 0, ingested.stderr
    before = corpus.commands()
    found = corpus.run("search", "zampognaro", "--json")
    assert corpus.commands() == before + 1
    assert b'"id": "new-1"' in found.stdout


def test_an_idle_server_exits_by_itself(corpus: Corpus) -> None:
    process = corpus.serve(CORPUS_SERVER_IDLE="1")
    assert process.wait(timeout=30) == 0
    assert corpus.status() is None
    assert not corpus.socket_path().exists()


def test_a_stale_socket_is_no_obstacle(corpus: Corpus) -> None:
    path = corpus.socket_path()
    path.parent.mkdir(mode=0o700, exist_ok=True)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as dead:
        dead.bind(str(path))  # bound, never listening: what a killed server leaves
    expected = corpus.run("search", "esercitazioni", server=False)
    same(corpus.run("search", "esercitazioni"), expected)
    corpus.wait_for_server()  # the search started a server, which took the path over
    same(corpus.run("search", "esercitazioni"), expected)
    assert corpus.commands() == 1


def test_a_killed_or_hung_server_never_blocks_a_search(corpus: Corpus, tmp_path: Path) -> None:
    expected = corpus.run("search", "esercitazioni", server=False)
    pid = corpus.serve().pid
    os.kill(pid, signal.SIGSTOP)  # hung: it accepts nothing
    saved = tmp_path / "out.txt"
    try:
        started = time.monotonic()
        with saved.open("wb") as out:
            result = subprocess.run(
                corpus.argv("search", "esercitazioni"),
                stdout=out,
                stderr=subprocess.PIPE,
                env={**corpus.env, "CORPUS_SERVER_TIMEOUT": "0.5"},
            )
        assert time.monotonic() - started < 10
    finally:
        os.kill(pid, signal.SIGCONT)
    assert result.returncode == 0 and result.stderr == expected.stderr
    # The server wakes up to a client that gave up: the command does not run twice.
    corpus.status()
    time.sleep(1.0)
    assert saved.read_bytes() == expected.stdout
    os.kill(pid, signal.SIGKILL)
    corpus.foreground[0].wait()
    assert corpus.socket_path().exists()  # left behind by the killed server
    same(corpus.run("search", "esercitazioni"), expected)
    corpus.wait_for_server()


def test_a_server_whose_index_is_gone_declines_and_exits(corpus: Corpus) -> None:
    process = corpus.serve()
    shutil.rmtree(corpus.index)
    result = corpus.run("search", "esercitazioni")
    assert result.returncode == 1 and b"No index at" in result.stderr
    assert process.wait(timeout=30) == 0


def test_off_switch_runs_in_process_and_starts_nothing(corpus: Corpus) -> None:
    for value in ("off", "0", "no", "false", "OFF"):
        result = corpus.run("search", "esercitazioni", CORPUS_SERVER=value)
        assert result.returncode == 0
    time.sleep(1.0)
    assert corpus.status() is None
    assert not corpus.socket_path().exists()


def test_writing_commands_start_no_server(corpus: Corpus, tmp_path: Path) -> None:
    write(tmp_path / "more", "x.txt", article("x-1", "Nulla di nuovo."))
    assert corpus.run("ingest", str(tmp_path / "more")).returncode == 0
    assert corpus.run("optimize").returncode == 0
    assert corpus.run("--version").returncode == 0
    time.sleep(1.0)
    assert corpus.status() is None


def test_status_and_stop(corpus: Corpus) -> None:
    none = corpus.run("server", "status")
    assert none.returncode == 1
    assert none.stdout.decode().startswith("No server is running for ")
    assert corpus.run("server", "stop").stdout.decode().startswith("No server was running")
    process = corpus.serve()
    status = corpus.run("server", "status")
    assert status.returncode == 0
    assert f"pid {process.pid}" in status.stdout.decode()
    as_json = corpus.run("server", "status", "--json")
    assert b'"running": true' in as_json.stdout and b'"commands": 0' in as_json.stdout
    stopped = corpus.run("server", "stop")
    assert f"(pid {process.pid})" in stopped.stdout.decode()
    assert process.wait(timeout=30) == 0
    assert not corpus.socket_path().exists()
    assert corpus.run("server", "status").returncode == 1


def test_a_second_server_of_the_same_index_refuses(corpus: Corpus) -> None:
    corpus.serve()
    second = subprocess.run(corpus.argv("serve"), capture_output=True, env=corpus.env)
    assert second.returncode == 1
    assert b"already running" in second.stderr


def test_the_socket_folder_must_be_private(corpus: Corpus) -> None:
    folder = corpus.runtime / "corpus"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    refused = subprocess.run(corpus.argv("serve"), capture_output=True, env=corpus.env)
    assert refused.returncode == 1 and b"not a private folder" in refused.stderr
    same(corpus.run("search", "esercitazioni"), corpus.run("search", "esercitazioni", server=False))


#: An interpreter another user may run (this venv's may live in root's home).
SYSTEM_PYTHON = "/usr/bin/python3"


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to connect as another user")
@pytest.mark.skipif(not os.path.exists(SYSTEM_PYTHON), reason="no system python3")
def test_another_users_connection_is_dropped(corpus: Corpus) -> None:
    corpus.serve()
    path = corpus.socket_path()
    # Let the other user reach the socket, as a careless chmod would.
    for folder in (corpus.runtime, path.parent):
        os.chmod(folder, 0o755)
    os.chmod(path, 0o777)
    probe = (
        "import socket, struct, sys\n"
        "s = socket.socket(socket.AF_UNIX)\n"
        "s.settimeout(10)\n"
        "s.connect(sys.argv[1])\n"
        'data = b\'{"op": "status"}\'\n'
        "try:\n"
        "    s.sendall(struct.pack('>I', len(data)) + data)\n"
        "    print(repr(s.recv(100)))\n"
        "except (BrokenPipeError, ConnectionResetError):\n"
        "    print(repr(b''))\n"
    )
    other = subprocess.run(
        [SYSTEM_PYTHON, "-c", probe, str(path)],
        capture_output=True,
        text=True,
        user=65534,
        cwd="/",
    )
    assert other.returncode == 0, other.stderr
    assert other.stdout.strip() == "b''"  # closed without a word
    os.chmod(path.parent, 0o700)
    assert corpus.status() is not None  # and the server still answers its owner


def test_a_postgresql_location_is_served_without_its_password_on_show(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database gets a server too: each command a fork with its own connection, the
    output the in-process output, the password in no process list and no message."""
    import pg_server

    server = pg_server.shared(request)
    name = server.create_database("served", owner=pg_server.PASSWORD_ROLE)
    uri = (
        f"postgresql://{pg_server.PASSWORD_ROLE}:{pg_server.PASSWORD}@/{name}"
        f"?host={server.socket}&port={server.port}"
    )
    runtime = Path(tempfile.mkdtemp(prefix="cs-", dir="/tmp"))
    os.chmod(runtime, 0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    made = Corpus(Path(uri), runtime)
    made.index = uri  # type: ignore[assignment]  # a URI, not a folder
    try:
        news = tmp_path / "news"
        shutil.copytree(SEEDS, news)
        assert made.run("ingest", str(news), server=False).returncode == 0
        first = made.run("search", "esercitazioni")  # in-process; starts the server
        assert first.returncode == 0, first.stderr
        found = made.wait_for_server()
        pid = found["pid"]
        assert isinstance(pid, int)
        # Served (the server counts it) and the same bytes as in-process, twice.
        for args in (["search", "esercitazioni"], ["stats", "--json"]):
            served = made.run(*args)
            same(served, made.run(*args, server=False))
        assert made.commands() == 2
        # A commit is in the next served command.
        write(news, "later.txt", article("later", "Esercitazioni navali nel Baltico."))
        assert made.run("ingest", str(news), server=False).returncode == 0
        assert b"later" in made.run("search", "baltico").stdout
        assert pg_server.PASSWORD.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()
        status = made.run("server", "status", "--json")
        assert status.returncode == 0 and pg_server.PASSWORD.encode() not in status.stdout
        assert f"{pg_server.PASSWORD_ROLE}@".encode() in status.stdout
    finally:
        made.stop_all()
        shutil.rmtree(runtime, ignore_errors=True)
        server.drop_database(name)


@pytest.mark.parametrize(
    ("args", "found"),
    [
        (["search", "a"], ("search", "index")),
        (["--index", "i", "search", "a"], ("search", "i")),
        (["search", "a", "--index=j"], ("search", "j")),
        (["--no-color", "list"], ("list", "index")),
        (["search", "--", "--index", "k"], ("search", "index")),
        (["ingest", "x"], None),
        (["browse"], None),
        (["serve"], None),
        (["--version"], None),
        (["--index"], None),
        ([], None),
    ],
)
def test_which_command_lines_are_served(args: list[str], found: tuple[str, str] | None) -> None:
    assert routing.command_and_index(args, {}) == found


def test_the_client_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "import corpus_cli.server.client as c\n"
        "c.run(['corpus', '--help'])\n"
        "heavy = ['click', 'rich', 'whoosh', 'typing', 'json', 'socket', 'subprocess']\n"
        "print(' '.join(m for m in heavy if m in sys.modules) or 'none')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "none"


def _interrupted_while_writing(corpus: Corpus, server: bool) -> tuple[int, bytes]:
    """SIGINT to a ``corpus search --json`` blocked on a full pipe nobody reads yet."""
    process = subprocess.Popen(
        corpus.argv("search", "furto", "--json"),
        env={**corpus.env, **({} if server else {"CORPUS_SERVER": "off"})},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    time.sleep(3.0)  # long enough to fill the pipe's 64 KB and block
    if server:
        assert corpus.status()["commands_running"] == 1  # type: ignore[index]
    process.send_signal(signal.SIGINT)
    process.stdout.read()
    error = process.stderr.read()
    return process.wait(timeout=30), error


def test_ctrl_c_reaches_the_served_command(corpus: Corpus, tmp_path: Path) -> None:
    body = " ".join(f"un furto in via numero {k}." for k in range(60))
    for i in range(120):
        write(tmp_path / "many", f"a{i}.txt", article(f"a-{i}", f"{body} parola{i}"))
    assert corpus.run("ingest", str(tmp_path / "many")).returncode == 0
    corpus.serve()
    alone = _interrupted_while_writing(corpus, server=False)
    assert alone == (130, b"corpus: interrupted.\n")
    assert _interrupted_while_writing(corpus, server=True) == alone


def test_stdout_and_stderr_into_one_pipe_interleave_as_in_process(corpus: Corpus) -> None:
    corpus.serve()
    for args in (["search", "esercitazioni"], ["search", "esercitazzioni"], ["show", "nope"]):
        merged = [
            subprocess.run(
                corpus.argv(*args),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env={**corpus.env, "CORPUS_SERVER": switch},
            )
            for switch in ("off", "on")
        ]
        assert merged[0].stdout and merged[0].stdout == merged[1].stdout, args
        assert merged[0].returncode == merged[1].returncode
    assert corpus.commands() == 3
