"""Options and arguments that several commands share, each declared once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    import datetime

    from corpus_cli.query import Query

F = TypeVar("F", bound=Callable[..., Any])


def _date(end: bool) -> Any:
    def convert(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
        if value is None:
            return None
        from corpus_cli.text.dates import parse_cli_date

        return parse_cli_date(value, end=end)

    return convert


def filter_options(func: Any) -> Any:
    """--from, --to and --source, handed to the command as one ``filters`` argument."""

    @functools.wraps(func)
    def command(
        *args: Any,
        date_from: datetime.date | None,
        date_to: datetime.date | None,
        source: str | None,
        **kwargs: Any,
    ) -> Any:
        from corpus_cli.model import Filters

        return func(*args, filters=Filters(date_from, date_to, source), **kwargs)

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


def _parse_query(ctx: click.Context, param: click.Parameter, value: str | None) -> Query | None:
    if value is None:
        return None
    from corpus_cli.query import parse

    return parse(value)


def query_argument(required: bool = True) -> Callable[[F], F]:
    """QUERY, parsed once into the query tree every later step reads."""
    return click.argument("query", required=required, callback=_parse_query)


def limit_option(default: int, what: str) -> Callable[[F], F]:
    return click.option(
        "--limit", type=click.IntRange(min=1), default=default, show_default=True, help=what
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
