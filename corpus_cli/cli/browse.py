"""``corpus browse``: the full-screen browser (corpus_cli/browse/), started from here."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from corpus_cli.cli.app import Settings, pass_settings
from corpus_cli.cli.options import QueryCommand, filter_options, sort_option

if TYPE_CHECKING:
    from corpus_cli.model import Filters


@click.command(cls=QueryCommand)
# A plain string, not the parsed query: a query the parser refuses is said inside
# the app, where the user can fix it, not as an exit before the screen opens.
@click.argument("query", required=False, default="")
@filter_options
@sort_option(["relevance", "date", "-date"], "relevance", "Order of hits; -date is newest first.")
@pass_settings
def browse(settings: Settings, query: str, filters: Filters, sort: Any) -> int:
    """Search, read and narrow, full screen: results update as you type.

    \b
    Enter reads a hit (n/N: next/previous match, Esc: back); d dates,
    s source, o order, t timeline narrow the hits; c/p copy the id/path,
    e exports the hits; ? lists every key; q quits.
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise click.UsageError(
            "browse needs a terminal; 'corpus search' writes hits to files and pipes."
        )
    from corpus_cli.browse import run

    return run(settings.index, query, filters, sort, no_color=settings.no_color)
