"""Options and arguments that several commands share, each declared once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    import datetime

    from corpus_cli.model import Window
    from corpus_cli.query import Query

F = TypeVar("F", bound=Callable[..., Any])


def _date(end: bool) -> Any:
    def convert(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
        if value is None:
            return None
        from corpus_cli.text.dates import parse_cli_date

        return parse_cli_date(value, end=end)

    return convert


def language_code(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--lang EN`` -> ``en``; anything but a two-letter ISO 639-1 code is a usage error."""
    if value is None:
        return None
    code = value.strip().lower()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise click.BadParameter(f"'{value}' is not a two-letter language code (it, en, de...).")
    return code


def filter_options(func: Any) -> Any:
    """--from, --to, --source and --lang, handed to the command as one ``filters`` argument."""

    @functools.wraps(func)
    def command(
        *args: Any,
        date_from: datetime.date | None,
        date_to: datetime.date | None,
        source: str | None,
        language: str | None,
        **kwargs: Any,
    ) -> Any:
        from corpus_cli.model import Filters

        filters = Filters(date_from, date_to, source, language=language)
        query = kwargs.get("query")
        if query is not None and not isinstance(query, str) and query.dates:
            from corpus_cli.query.dates import narrowed

            # The query's own date: clauses are an AND with --from and --to.
            filters = narrowed(filters, query)
        return func(*args, filters=filters, **kwargs)

    command = click.option(
        "--lang",
        "language",
        metavar="CODE",
        callback=language_code,
        help="Only articles in this language (ISO 639-1: it, en, fr, de, ru, zh...).",
    )(command)
    command = click.option(
        "--source", "source", metavar="NAME", help="Only this source (exact name, any case)."
    )(command)
    command = click.option(
        "--to",
        "date_to",
        metavar="DATE",
        callback=_date(end=True),
        help="Until DATE (YYYY, YYYY-MM or YYYY-MM-DD, inclusive).",
    )(command)
    return click.option(
        "--from",
        "date_from",
        metavar="DATE",
        callback=_date(end=False),
        help="From DATE (YYYY, YYYY-MM or YYYY-MM-DD).",
    )(command)


def _parse_query(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> Query | None:
    # `corpus search rapina farmacia` is typed as often as the quoted form: the words are one
    # query, as they would be inside quotes
    if not value:
        return None
    from corpus_cli.query import parse

    return parse(" ".join(value))


class QueryCommand(click.Command):
    """A command whose QUERY may start with ``-``, as ``-auto furto`` does.

    Click reads any argument that starts with a dash as an option, and refuses the
    unknown ``-auto``. Before it parses, a single-dash argument that names no
    option of the command (and is no option's value) is moved behind ``--``, where
    Click takes it as the QUERY. Arguments with two dashes stay options, so a
    mistyped ``--jsno`` is still an error, not a search.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        names: dict[str, bool] = {}  # each option's names: does it take a value?
        for param in self.get_params(ctx):  # --help too
            if isinstance(param, click.Option):
                for name in [*param.opts, *param.secondary_opts]:
                    names[name] = not (param.is_flag or param.count)
        kept: list[str] = []
        moved: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                kept.extend(args[i:])
                break
            if arg in names:
                kept.append(arg)
                if names[arg] and i + 1 < len(args):
                    kept.append(args[i + 1])  # its value, whatever it starts with
                    i += 1
            elif len(arg) > 1 and arg[0] == "-" and arg[1] != "-":
                moved.append(arg)
            else:
                kept.append(arg)
            i += 1
        if moved:
            kept = [*kept, "--", *moved] if "--" not in kept else [*kept, *moved]
        return super().parse_args(ctx, kept)


def query_argument(required: bool = True) -> Callable[[F], F]:
    """QUERY, parsed once into the query tree every later step reads."""
    return click.argument("query", nargs=-1, required=required, callback=_parse_query)


def limit_option(default: int, what: str) -> Callable[[F], F]:
    return click.option(
        "--limit", "-n", type=click.IntRange(min=1), default=default, show_default=True, help=what
    )


#: Hits a search shows on the screen when --limit is not given.
SCREEN_LIMIT = 10


def _limit(ctx: click.Context, param: click.Parameter, value: str | None) -> int | str | None:
    """``--limit N`` (a whole number from 1) or ``--limit all``; None when not given."""
    if value is None:
        return None
    text = value.strip().lower()
    if text == "all":
        return "all"
    if text.isdecimal() and int(text) >= 1:
        return int(text)
    raise click.BadParameter(f"{value!r} is neither a number from 1 nor 'all'.")


def window_options(screen_limit: int | None, what: str, noun: str = "hits") -> Callable[[F], F]:
    """--limit N|all, --offset N and --page N, handed to the command as ``window``
    (a function of whether the output is the screen's, which alone has a default limit)."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def command(
            *args: Any, limit: int | str | None, offset: int | None, page: int | None, **kwargs: Any
        ) -> Any:
            def window(screen: bool) -> Window:
                return make_window(limit, offset, page, screen_limit if screen else None)

            return func(*args, window=window, **kwargs)

        for option in (
            click.option(
                "--page",
                type=click.IntRange(min=1),
                metavar="N",
                help=f"Page N of --limit {noun} each (10 without --limit).",
            ),
            click.option(
                "--offset",
                type=click.IntRange(min=0),
                metavar="N",
                help=f"Skip the first N {noun} (--offset 10 --limit 10: {noun} 11-20).",
            ),
            click.option("--limit", "-n", metavar="N|all", callback=_limit, help=what),
        ):
            command = option(command)
        return command  # type: ignore[return-value]

    return decorate


def make_window(
    limit: int | str | None, offset: int | None, page: int | None, default: int | None
) -> Window:
    """The window the options ask for; ``default`` is the limit when none is given."""
    from corpus_cli.model import Window

    if offset is not None and page is not None:
        raise click.UsageError("--offset and --page both say where to start; give one of them.")
    if page is not None:
        if limit == "all":
            raise click.UsageError("--page needs a page size: give --limit N, or use --offset.")
        size = limit if isinstance(limit, int) else SCREEN_LIMIT
        return Window(offset=(page - 1) * size, limit=size, page=page)
    if limit is None:
        return Window(offset=offset or 0, limit=default, default_limit=default is not None)
    return Window(offset=offset or 0, limit=None if limit == "all" else int(limit))


count_option = click.option(
    "--count", is_flag=True, help="Print only the number of matching articles (fast)."
)


def sort_option(choices: list[str], default: str, what: str) -> Callable[[F], F]:
    return click.option(
        "--sort", type=click.Choice(choices), default=default, show_default=True, help=what
    )


json_option = click.option("--json", "json_lines", is_flag=True, help="JSON Lines on stdout.")
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "jsonl", "csv"]),
    default="table",
    show_default=True,
    help="Output format; --json is short for --format jsonl.",
)
pager_option = click.option(
    "--no-pager", is_flag=True, help="Print straight to the terminal, without a pager."
)


def output_format(fmt: str, json_lines: bool) -> str:
    """The format --format and --json ask for together (--json wins)."""
    return "jsonl" if json_lines else fmt
