"""Commands on articles: ingest, search, list, show, stats, optimize."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from corpus_cli.cli.app import Settings, pass_settings
from corpus_cli.cli.options import (
    QueryCommand,
    count_option,
    filter_options,
    format_option,
    json_option,
    language_code,
    output_format,
    pager_option,
    query_argument,
    sort_option,
    window_options,
)
from corpus_cli.errors import ExitStatus

if TYPE_CHECKING:
    from collections.abc import Callable

    from corpus_cli.model import Filters, Window
    from corpus_cli.query import Query
    from corpus_cli.render import Output
    from corpus_cli.storage.base import Store


def _field_map(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> Any:
    """``--map text=corpo`` -> ``{"text": "corpo"}``; a bad pair is a usage error (exit 2)."""
    from corpus_cli.readers import parse_field_map

    return parse_field_map(value)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--source",
    help="Source name for articles whose metadata and URL name none; files already "
    "indexed with another are relabelled.",
)
@click.option(
    "--lang",
    "language",
    metavar="CODE",
    callback=language_code,
    help="Language of articles that neither state theirs nor show it clearly "
    "(ISO 639-1; default: it).",
)
@click.option("--prune", is_flag=True, help="Remove articles whose files are gone from PATHS.")
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Also list files ignored as non-articles, and hidden ones.",
)
@click.option(
    "--map",
    "field_map",
    metavar="FIELD=NAME",
    multiple=True,
    callback=_field_map,
    help="Read FIELD (text, title, date, source, url, id, author, language) from the "
    "input field NAME: --map text=corpo --map date=pubblicazione. Files already in the "
    "index and unchanged are not read again.",
)
@json_option
@pass_settings
def ingest(
    settings: Settings,
    paths: tuple[Path, ...],
    source: str | None,
    prune: bool,
    verbose: bool,
    field_map: dict[str, str],
    json_lines: bool,
    language: str | None,
) -> int:
    """Add, update or skip the articles in PATHS (files or folders, recursively).

    Reads .txt/.text, .md/.markdown, .html/.htm (one article a file) and .jsonl,
    .ndjson, .csv, .tsv, .json (any number), also compressed (.gz, .bz2, .xz, .zst:
    a.jsonl.gz). Dumps of any size are read record by record. Unchanged files are
    skipped without re-reading; unreadable files and bad records are listed with
    their reason. An exact copy of an article already indexed is reported as a
    duplicate and kept with that article (its source, date, file). Each article's
    language comes from its metadata, else from its text, else from --lang.
    """
    from corpus_cli.services.ingest import ingest as run_ingest

    out = settings.output(output_format("table", json_lines))
    store = settings.create_store()
    with out.progress() as progress:
        report = run_ingest(
            store,
            paths,
            source=source,
            prune=prune,
            progress=progress,
            fields=field_map,
            language=language,
        )
    # The store's location, not the option: a URI's password is left out of it.
    out.ingest(report, store.location, verbose=verbose)
    if report.nothing_done:
        out.error("no file could be read.")
        return ExitStatus.ERROR
    return ExitStatus.OK


@click.command(cls=QueryCommand)
@query_argument()
@filter_options
@sort_option(["relevance", "date", "-date"], "relevance", "Order of hits; -date is newest first.")
@window_options(
    10,
    "Hits to show, or all [default: 10 on the screen; every match with --json or --format].",
)
@count_option
@click.option(
    "--cites", metavar="OUTLET", help="Only articles that name this agency or outlet (Tass...)."
)
@click.option("--kwic", is_flag=True, help="One line per occurrence, the match centred.")
@click.option(
    "--explain",
    is_flag=True,
    help="Show how the query was understood, with the indexed words each stem matched.",
)
@format_option
@json_option
@pager_option
@pass_settings
def search(
    settings: Settings,
    query: Query,
    filters: Filters,
    sort: Any,
    window: Callable[[bool], Window],
    count: bool,
    cites: str | None,
    kwic: bool,
    explain: bool,
    fmt: str,
    json_lines: bool,
    no_pager: bool,
) -> None:
    """Full-text search with highlighted snippets.

    \b
    QUERY, quoted or not: words are ANDed (+word too); -word, -"a phrase" or
    NOT word leave out; a OR b, a | b for either; "a phrase"; wildcards
    (esercitaz*); fuzzy terms (esercitazone~1); fields (title:, text:,
    source:"Gazzetta di Modena"); dates (date:2020, date:2020-03..2020-05, an
    AND with --from/--to). Lower-case or/and/not are words. Words match their
    Italian variants: esercitazione finds esercitazioni.

    \b
    The screen shows 10 hits (--limit N or all, --page N, --offset N);
    --json and --format csv give every match unless --limit is given.
    Past 10,000 matches the total may show as "more than 10,000";
    --count counts every match.
    With few hits or none, stderr suggests a corrected query, or names the
    filter or unknown source that emptied the result.
    """
    if cites is not None:
        from corpus_cli.text.citations import find_outlet

        filters = dataclasses.replace(filters, cites=find_outlet(cites).name)
    fmt = output_format(fmt, json_lines)
    shown = window(fmt == "table")  # the usage errors of the options come first
    if count and (kwic or explain):
        raise click.UsageError("--count prints only a number; leave out --kwic and --explain.")
    if kwic and shown.paged:
        raise click.UsageError("--offset and --page do not apply to --kwic; use --limit.")
    out = settings.output(fmt)
    store = settings.open_store()
    if explain:
        from corpus_cli.services.search import explain as explain_query

        if fmt == "csv":
            raise click.UsageError("--explain has no CSV form; use --json.")
        explanation = explain_query(store, query, filters)
        out.explain(explanation)
        if not _note_operator_words(out, store, query, filters, explanation.total):
            for hint in explanation.hints:
                out.hint(hint)
        return
    if kwic:
        from corpus_cli.services.analytics import concordance

        limit = shown.limit
        if limit is None:
            # Every matching article: as many as there are (concordance takes a number).
            limit = max(1, store.count(query, filters))
        lines = concordance(store, query, filters, sort=sort, limit=limit)
        with out.paged(not no_pager):
            out.kwic(lines)
        return
    if count:
        total = store.count(query, filters)
        out.count(total)
        _note_operator_words(out, store, query, filters, total)
        return
    if fmt != "table":
        from corpus_cli.services.search import search_pages

        pages = search_pages(store, query, filters, sort, shown.limit, shown.offset)
        first = next(pages)  # every page has the total; the first always comes
        out.search_rows(itertools.chain([first], pages))
        result = first
    else:
        result = store.search(query, filters, sort=sort, limit=shown.limit, offset=shown.offset)
        with out.paged(not no_pager and result.total > 3):
            out.search(result, query.text, shown)
    total = result.total
    # A bounded total (more than 10,000) is far from the few hits hints are for.
    if not _note_operator_words(out, store, query, filters, total if result.total_exact else None):
        _hint(out, store, query, filters, total)


def _hint(out: Output, store: Store, query: Query, filters: Filters, total: int) -> None:
    """Did-you-mean and what emptied the result (on stderr), for searches with few hits."""
    from corpus_cli.services.hints import RARE_WORD_ARTICLES, hints

    if total > RARE_WORD_ARTICLES:
        return  # the common path: not even the module is imported
    for hint in hints(store, query, filters, total):
        out.hint(hint)


def _note_operator_words(
    out: Output, store: Store, query: Query, filters: Filters, total: int | None
) -> bool:
    """The note on lower-case or/and/not (on stderr), when it applies; True if printed."""
    from corpus_cli.services.search import operator_hint

    note = operator_hint(store, query, filters, total)
    if note:
        out.note(note)
    return note is not None


@click.command(name="list")
@filter_options
@sort_option(
    ["date", "-date"],
    "date",
    "Oldest first, or newest first; undated articles come last either way.",
)
@window_options(None, "Articles to show, or all [default: all].", "articles")
@count_option
@format_option
@json_option
@pager_option
@pass_settings
def list_(
    settings: Settings,
    filters: Filters,
    sort: Any,
    window: Callable[[bool], Window],
    count: bool,
    fmt: str,
    json_lines: bool,
    no_pager: bool,
) -> None:
    """List articles by date (undated last; left out when a range is given).

    --limit N, --page N and --offset N show a part; --count only the number.
    """
    fmt = output_format(fmt, json_lines)
    shown = window(fmt == "table")
    out = settings.output(fmt)
    store = settings.open_store()
    if count:
        out.count(store.count(None, filters))
        return
    articles = store.list_articles(filters, sort=sort)
    total = len(articles)
    end = None if shown.limit is None else shown.offset + shown.limit
    if shown.offset or end is not None:
        articles = articles[shown.offset : end]
    with out.paged(not no_pager and out.page_needed(len(articles))):
        out.listing(articles, shown, total)


@click.command()
@click.argument("article_id", metavar="ID")
@click.option("--query", "-q", metavar="Q", help="Highlight the matches of this query.")
@json_option
@pager_option
@pass_settings
def show(
    settings: Settings, article_id: str, query: str | None, json_lines: bool, no_pager: bool
) -> None:
    """Print one whole article, with QUERY's matches highlighted.

    On a terminal a long article goes through the pager (less), header first;
    piped or saved, each paragraph is one line.
    """
    store = settings.open_store()
    article = store.get(article_id)
    terms = None
    if query:
        from corpus_cli.query import parse
        from corpus_cli.services.search import highlight_terms

        terms = highlight_terms(store, parse(query))
    settings.output(output_format("table", json_lines)).show(article, terms, pager=not no_pager)


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
