"""The ``corpus`` group: global options, the settings every command gets, and errors.

Every error that reaches the user passes through :meth:`CorpusGroup.main`: domain
errors of the core, Click's usage errors, Ctrl-C and I/O failures each become one
plain line on stderr and an exit code of :class:`~corpus_cli.errors.ExitStatus`,
here and only here. Core modules are imported inside functions so that
``corpus --help`` stays fast.
"""

from __future__ import annotations

import io
import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

import click

from corpus_cli.errors import ExitStatus

if TYPE_CHECKING:
    from corpus_cli.render import Output, Terminal
    from corpus_cli.storage.base import Store


class _Interrupted(Exception):
    """Ctrl-C, carried past Click, which would print a blank line for it first."""


class _ReaderGone(Exception):
    """A closed pipe on stdout, carried past Click, which would exit 1 for it."""


class Settings:
    """What the global options decided, handed to every command."""

    def __init__(self, index: str, no_color: bool) -> None:
        self.index = index
        self.no_color = no_color

    def terminal(self) -> Terminal:
        from corpus_cli.render import Terminal

        return Terminal(no_color=self.no_color)

    def output(self, fmt: str = "table") -> Output:
        """The renderer for one command; ``fmt`` is table, jsonl or csv."""
        from corpus_cli.render import Output

        return Output(self.terminal(), fmt)

    def open_store(self) -> Store:
        from corpus_cli.storage import open_store

        return open_store(self.index)

    def create_store(self) -> Store:
        """The store, made empty first if there is none yet (for ingest)."""
        from corpus_cli.storage import open_store

        return open_store(self.index, create=True)


#: Each command and the module that defines it, imported only when it is run or
#: listed: a search does not pay for the modules of the other commands.
COMMANDS = {
    "ingest": "articles",
    "search": "articles",
    "list": "articles",
    "show": "articles",
    "stats": "articles",
    "optimize": "articles",
    "sources": "analysis",
    "timeline": "analysis",
    "terms": "analysis",
    "cites": "analysis",
    "similar": "relations",
    "dups": "relations",
    "watch": "relations",
    "browse": "browse",
    "check": "maintenance",
    "repair": "maintenance",
    "serve": "server",
    "server": "server",
}


class CorpusGroup(click.Group):
    """A group that turns every error into one plain line and an exit code."""

    _context: click.Context | None = None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        import importlib

        found = vars(importlib.import_module(f"corpus_cli.cli.{module}"))
        command = found.get(cmd_name) or found[f"{cmd_name}_"]  # list_: not the builtin
        assert isinstance(command, click.Command)
        return command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, globals_first(args))

    def invoke(self, ctx: click.Context) -> Any:
        # Kept so that an error prints as the global options (--no-color) asked.
        self._context = ctx
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise _Interrupted() from None
        except BrokenPipeError:
            raise _ReaderGone() from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        self._context = None  # the group object outlives a run (tests invoke it again)
        argv = args[0] if args else kwargs.get("args")
        debug = "--debug" in (argv if argv is not None else sys.argv[1:])
        try:
            result = super().main(*args, **kwargs)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except (BrokenPipeError, _ReaderGone):
            _reader_gone()
        except click.exceptions.NoArgsIsHelpError as error:
            # `corpus` (or `corpus watch`) alone: the help itself, not an error line
            # made of it. Still exit 2, as Click does: nothing was run.
            click.echo(error.ctx.get_help() if error.ctx else error.format_message(), err=True)
            sys.exit(ExitStatus.USAGE)
        except BaseException as error:
            if isinstance(error, SystemExit):
                raise
            message, code = _report(error)
            if debug:
                import traceback

                traceback.print_exc()
            self._terminal().error(message)
            sys.exit(code)
        try:
            # Rows still in the buffer meet a closed pipe here, not at exit.
            sys.stdout.flush()
        except BrokenPipeError:
            _reader_gone()
        sys.exit(result if isinstance(result, int) else ExitStatus.OK)

    def _terminal(self) -> Terminal:
        """The terminal the global options chose; before they are read, the environment's."""
        settings = self._context.obj if self._context is not None else None
        if isinstance(settings, Settings):
            return settings.terminal()
        from corpus_cli.render import Terminal

        return Terminal(no_color="NO_COLOR" in os.environ)


#: The group's options, and whether each takes a value. No command has an option of
#: the same name, so wherever they stand they can only mean the group's.
GLOBAL_OPTIONS = {"--index": True, "--no-color": False, "--debug": False}


def globals_first(args: list[str]) -> list[str]:
    """``search rapina --index DIR`` -> ``--index DIR search rapina``.

    People put options after the command (``corpus search rapina --no-color``);
    Click reads the group's options only before it. Nothing after ``--`` moves (it
    is a query); an ``--index`` with no value after it is a usage error.
    """
    moved: list[str] = []
    kept: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        name = arg.split("=", 1)[0]
        if arg == "--":
            kept.extend(args[i:])
            break
        if name in GLOBAL_OPTIONS:
            takes_value = GLOBAL_OPTIONS[name] and "=" not in arg
            if takes_value and i + 1 < len(args):
                moved.extend(args[i : i + 2])
                i += 2
                continue
            if not takes_value:
                moved.append(arg)
                i += 1
                continue
            raise click.UsageError(f"{name} needs a value: {name} FOLDER|URI.")
        kept.append(arg)
        i += 1
    return [*moved, *kept]


def _reader_gone() -> NoReturn:
    """The reader of stdout (``head``, ``less``) went away: stop quietly, with success.

    Having read what it wanted is not a failure of ours, as git and ripgrep agree.
    stdout is pointed at /dev/null so that the interpreter's last flush of rows still
    buffered does not fail again on its way out.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a real file (a test's capture): nothing will flush to a pipe
    sys.exit(ExitStatus.OK)


def _report(error: BaseException) -> tuple[str, int]:
    """The one-line message and the exit code for an error that ends the command."""
    from corpus_cli.errors import CorpusError

    if isinstance(error, click.UsageError):
        message = error.format_message().rstrip()
        if not message.endswith((".", "?", "!")):
            message += "."  # Click ends some messages bare; the hint follows a sentence
        hint = f" Try '{error.ctx.command_path} --help'." if error.ctx is not None else ""
        return f"{message}{hint}", ExitStatus.USAGE
    if isinstance(error, click.ClickException):
        return error.format_message(), error.exit_code
    if isinstance(error, _Interrupted | KeyboardInterrupt | click.Abort):
        return "interrupted.", ExitStatus.INTERRUPTED
    if isinstance(error, CorpusError):
        return str(error), error.exit_code
    if isinstance(error, OSError):
        return f"{error.strerror or error} ({error.filename or ''}).", ExitStatus.ERROR
    return (
        f"unexpected error: {type(error).__name__}: {error} (--debug shows details).",
        ExitStatus.ERROR,
    )


@click.group(cls=CorpusGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--index",
    "index",
    type=click.Path(file_okay=False),
    metavar="FOLDER|URI",
    envvar="CORPUS_INDEX",
    default="index",
    show_default=True,
    help="Index folder, or a postgresql:// URI for a shared corpus (or set CORPUS_INDEX).",
)
@click.option("--no-color", is_flag=True, help="No colour (NO_COLOR is respected too).")
@click.option("--debug", is_flag=True, help="Show a traceback when something fails.")
@click.version_option(package_name="corpus-cli", prog_name="corpus")
@click.pass_context
def cli(ctx: click.Context, index: str, no_color: bool, debug: bool) -> None:
    """Search news articles on disk: ingest them once, then search, list and read.

    \b
      corpus ingest seeds/
      corpus search esercitazioni
      corpus search '"esercitazioni congiunte"' --from 2023 --sort date
      corpus list --from 2022-12 --to 2023-06
      corpus show 002_9be9ee8e938c10f9 --query esercitazioni

    The options below may also follow the command: corpus search rapina --no-color.
    """
    ctx.obj = Settings(index, no_color or "NO_COLOR" in os.environ)


pass_settings = click.make_pass_decorator(Settings)
