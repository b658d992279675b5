"""Commands on articles: ingest, search, list, show, stats, optimize."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from corpus_cli.cli.app import Settings, pass_settings
from corpus_cli.cli.options import (
    filter_options,
    format_option,
    json_option,
    limit_option,
    output_format,
    pager_option,
    query_argument,
    sort_option,
)
from corpus_cli.errors import ExitStatus

if TYPE_CHECKING:
    from corpus_cli.model import Filters
    from corpus_cli.query import Query


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--source", help="Source name for articles whose metadata and URL name none.")
@click.option("--prune", is_flag=True, help="Remove articles whose files are gone from PATHS.")
@click.option("--verbose", "-v", is_flag=True, help="Also list files ignored as non-articles.")
@json_option
@pass_settings
def ingest(
    settings: Settings,
    paths: tuple[Path, ...],
    source: str | None,
    prune: bool,
    verbose: bool,
    json_lines: bool,
) -> int:
    """Add, update or skip the articles in PATHS (files or folders, recursively).

    Reads .txt, .md, .json, .jsonl, .csv and .html. Unchanged files are skipped
    without re-reading; unreadable files are listed with their reason.
    """
    from corpus_cli.services.ingest import ingest as run_ingest

    out = settings.output(output_format("table", json_lines))
    store = settings.create_store()
    with out.progress() as progress:
        report = run_ingest(store, paths, source=source, prune=prune, progress=progress)
    # The store's location, not the option: a URI's password is left out of it.
    out.ingest(report, store.location, verbose=verbose)
    if report.nothing_done:
        out.error("no file could be read.")
        return ExitStatus.ERROR
    return ExitStatus.OK


@click.command()
@query_argument()
@filter_options
@sort_option(["relevance", "date", "-date"], "relevance", "Order of hits; -date is newest first.")
@limit_option(10, "Hits to show.")
@click.option(
    "--cites", metavar="OUTLET", help="Only articles that name this agency or outlet (Tass...)."
)
@click.option("--kwic", is_flag=True, help="One line per occurrence, the match centred.")
@click.option("--explain", is_flag=True, help="Show how the query was understood.")
@format_option
@json_option
@pager_option
@pass_settings
def search(
    settings: Settings,
    query: Query,
    filters: Filters,
    sort: Any,
    limit: int,
    cites: str | None,
    kwic: bool,
    explain: bool,
    fmt: str,
    json_lines: bool,
    no_pager: bool,
) -> None:
    """Full-text search with highlighted snippets.

    \b
    QUERY uses AND by default; also OR, NOT, "a phrase", wildcards (esercitaz*),
    fuzzy terms (esercitazone~1) and fields (title:, text:, source:).
    Words match their Italian variants: esercitazione finds esercitazioni.
    """
    if cites is not None:
        from corpus_cli.text.citations import find_outlet

        filters = dataclasses.replace(filters, cites=find_outlet(cites).name)
    fmt = output_format(fmt, json_lines)
    out = settings.output(fmt)
    store = settings.open_store()
    if explain:
        from corpus_cli.services.search import explain as explain_query

        if fmt == "csv":
            raise click.UsageError("--explain has no CSV form; use --json.")
        out.explain(explain_query(store, query, filters))
        return
    if kwic:
        from corpus_cli.services.analytics import concordance

        lines = concordance(store, query, filters, sort=sort, limit=limit)
        with out.paged(not no_pager):
            out.kwic(lines)
        return
    result = store.search(query, filters, sort=sort, limit=limit)
    with out.paged(not no_pager and result.total > 3):
        out.search(result, query.text)
    if result.total == 0:
        from corpus_cli.services.search import suggest

        suggestion = suggest(store, query)
        if suggestion:
            out.suggest(suggestion)


@click.command(name="list")
@filter_options
@sort_option(
    ["date", "-date"],
    "date",
    "Oldest first, or newest first; undated articles come last either way.",
)
@format_option
@json_option
@pager_option
@pass_settings
def list_(
    settings: Settings,
    filters: Filters,
    sort: Any,
    fmt: str,
    json_lines: bool,
    no_pager: bool,
) -> None:
    """List articles by date (undated last; left out when a range is given)."""
    out = settings.output(output_format(fmt, json_lines))
    articles = settings.open_store().list_articles(filters, sort=sort)
    with out.paged(not no_pager and out.page_needed(len(articles))):
        out.listing(articles)


@click.command()
@click.argument("article_id", metavar="ID")
@click.option("--query", "-q", metavar="Q", help="Highlight the matches of this query.")
@json_option
@pass_settings
def show(settings: Settings, article_id: str, query: str | None, json_lines: bool) -> None:
    """Print one whole article, with QUERY's matches highlighted."""
    store = settings.open_store()
    article = store.get(article_id)
    terms = None
    if query:
        from corpus_cli.query import parse
        from corpus_cli.services.search import highlight_terms

        terms = highlight_terms(store, parse(query))
    settings.output(output_format("table", json_lines)).show(article, terms)


@click.command()
@json_option
@pass_settings
def stats(settings: Settings, json_lines: bool) -> None:
    """What the index holds: articles, how they are dated, sources."""
    settings.output(output_format("table", json_lines)).stats(settings.open_store().stats())


@click.command()
@pass_settings
def optimize(settings: Settings) -> None:
    """Compact the index for the fastest searches.

    Whoosh: each ingest adds a segment (small ones are merged as it goes); after many
    small ingests, one optimize makes every later search read one segment.
    PostgreSQL: VACUUM ANALYZE of the corpus tables.
    """
    settings.output().message(settings.open_store().optimize())
