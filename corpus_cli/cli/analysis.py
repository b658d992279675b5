"""Commands that count: sources, timeline, terms, cites."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from corpus_cli.cli.app import Settings, pass_settings
from corpus_cli.cli.options import (
    QueryCommand,
    filter_options,
    json_option,
    limit_option,
    output_format,
    query_argument,
)

if TYPE_CHECKING:
    from corpus_cli.model import Filters
    from corpus_cli.query import Query


@click.command(cls=QueryCommand)
@query_argument(required=False)
@filter_options
@json_option
@pass_settings
def sources(
    settings: Settings,
    query: Query | None,
    filters: Filters,
    json_lines: bool,
) -> None:
    """Sources with their article counts and date spans.

    With QUERY: the matching articles per source, and their share of that
    source's articles.
    """
    found = settings.open_store().source_summaries(query, filters)
    settings.output(output_format("table", json_lines)).sources(
        found, query.text if query is not None else None
    )


@click.command(cls=QueryCommand)
@query_argument(required=False)
@filter_options
@click.option(
    "--by",
    type=click.Choice(["day", "week", "month", "year"]),
    default="month",
    show_default=True,
    help="Length of each period.",
)
@click.option("--normalize", is_flag=True, help="Share of all articles in each period.")
@json_option
@pass_settings
def timeline(
    settings: Settings,
    query: Query | None,
    filters: Filters,
    by: Any,
    normalize: bool,
    json_lines: bool,
) -> None:
    """Matching articles per period, as a bar chart; empty periods show as zero.

    Without QUERY, every article (within --from, --to, --source and --lang): what
    the index holds over time. Articles dated only to a coarser period than --by (a
    month, under --by day) are counted apart, not spread over made-up days.
    """
    from corpus_cli.services.analytics import timeline as count_periods

    if normalize and query is None:
        raise click.UsageError("--normalize gives a query's share of all articles; give a QUERY.")
    rows = count_periods(settings.open_store(), query, by, filters)
    text = query.text if query is not None else None
    settings.output(output_format("table", json_lines)).timeline(rows, text, by, normalize)


@click.command(cls=QueryCommand)
@query_argument()
@filter_options
@limit_option(20, "Words to show.")
@json_option
@pass_settings
def terms(
    settings: Settings,
    query: Query,
    filters: Filters,
    limit: int,
    json_lines: bool,
) -> None:
    """The words most characteristic of QUERY's matches against the whole index.

    Scored by log-likelihood (G²); each stem is shown as its commonest form.
    """
    from corpus_cli.services.analytics import characteristic_terms

    store = settings.open_store()
    found = characteristic_terms(store, query, filters, limit=limit)
    # With no terms, how many matched says why: none, or none stood out.
    matched = 0 if found else store.count(query, filters)
    settings.output(output_format("table", json_lines)).terms(found, query.text, matched)


@click.command(cls=QueryCommand)
@query_argument(required=False)
@filter_options
@json_option
@pass_settings
def cites(
    settings: Settings,
    query: Query | None,
    filters: Filters,
    json_lines: bool,
) -> None:
    """News agencies and outlets the articles name, with how many articles name each.

    With QUERY, only its matching articles count. The list of outlets is
    corpus_cli/text/agencies.txt.
    """
    from corpus_cli.services.analytics import cites as count_citations

    found = count_citations(settings.open_store(), query, None if filters.is_empty else filters)
    settings.output(output_format("table", json_lines)).citations(found)
