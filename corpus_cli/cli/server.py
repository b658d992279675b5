"""The resident search process: ``corpus serve``, ``corpus server status|stop``."""

from __future__ import annotations

import contextlib
import os
from typing import Any

import click

from corpus_cli.cli.app import Settings, pass_settings
from corpus_cli.cli.options import json_option
from corpus_cli.errors import ExitStatus


def _location(settings: Settings) -> str:
    """The index as its server knows it: an absolute folder, or the URI."""
    from corpus_cli.server.routing import absolute

    return absolute(settings.index)


def _shown(index: str) -> str:
    """``index`` for the screen: a URI without its password."""
    from corpus_cli.server.routing import is_postgresql

    if not is_postgresql(index):
        return index
    from corpus_cli.storage.postgresql.connection import redact

    return redact(index)


def _run_command(args: list[str], prog: str) -> int:
    from corpus_cli.cli.app import cli

    cli.main(args=args, prog_name=prog)
    return ExitStatus.OK


def _warm_up(index: str) -> None:
    """Load what the served commands load, by running a search of ``index`` once."""
    import importlib

    from corpus_cli.cli.app import COMMANDS
    from corpus_cli.server.routing import SERVED_COMMANDS

    for name in SERVED_COMMANDS:
        importlib.import_module(f"corpus_cli.cli.{COMMANDS[name]}")
    for args in (["search", "e"], ["search", "e", "--json", "--limit", "1"]):
        with contextlib.suppress(SystemExit):
            _run_command(["--index", index, *args], "corpus")
    from corpus_cli.storage import close_connections

    close_connections()  # each command's fork opens its own


@click.command()
@click.option(
    "--idle",
    type=click.FloatRange(min=0.1),
    metavar="SECONDS",
    help="Exit after this long without a command [default: $CORPUS_SERVER_IDLE or 600].",
)
@click.option("--quiet", is_flag=True, hidden=True)  # as started by a search
@pass_settings
def serve(settings: Settings, idle: float | None, quiet: bool) -> None:
    """Keep a warm search process for the index, in the foreground.

    Read-only commands (search, list, show, stats, sources, timeline, terms,
    cites, similar, dups) are handed to it and start in a few milliseconds. The
    first such command starts one in the background by itself; it exits after
    idle minutes. CORPUS_SERVER=off runs every command in its own process.
    """
    from corpus_cli.server import daemon, routing

    index = _location(settings)
    settings.open_store().close()  # no index: the same error a search gives
    seconds = idle or routing.seconds(
        os.environ, routing.IDLE_VARIABLE, routing.DEFAULT_IDLE_SECONDS
    )
    out = settings.output()
    daemon.serve(
        index,
        _run_command,
        lambda: _warm_up(index),
        seconds,
        announce=None if quiet else out.message,
        shown=_shown(index),
    )


@click.group()
def server() -> None:
    """The index's resident search process (see corpus serve)."""


@server.command()
@json_option
@pass_settings
def status(settings: Settings, json_lines: bool) -> int:
    """Whether a server runs for the index; its pid, age and commands. Exit 1 if none."""
    from corpus_cli.server import control

    index = _location(settings)
    found = control.status(index)
    out = settings.output("jsonl" if json_lines else "table")
    if json_lines:
        row: dict[str, Any] = {"running": found is not None}
        if found is not None:
            row.update(found)
        row["index"] = _shown(index)
        out.terminal.emit_json([row])
    elif found is None:
        out.message(f"No server is running for {_shown(index)}.")
    else:
        commands = f"{found['commands']} command{'' if found['commands'] == 1 else 's'}"
        out.message(
            f"Server for {_shown(index)}: pid {found['pid']}, up {found['uptime_seconds']:.0f} s, "
            f"{commands}, idle {found['idle_seconds']:.0f} s "
            f"(exits after {found['idle_exit_seconds']:g} s idle), socket {found['socket']}"
        )
    return ExitStatus.OK if found is not None else ExitStatus.ERROR


@server.command()
@pass_settings
def stop(settings: Settings) -> None:
    """Stop the index's server (nothing to do if none runs)."""
    from corpus_cli.server import control

    index = _location(settings)
    pid = control.stop(index)
    out = settings.output()
    if pid is None:
        out.message(f"No server was running for {_shown(index)}.")
    else:
        out.message(f"Stopped the server of {_shown(index)} (pid {pid}).")
