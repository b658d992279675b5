"""The command line: parse options, call the core, hand results to the renderer.

Core modules are imported inside commands so that ``corpus --help`` stays fast.
Every domain error becomes one line on stderr and an exit code, here and only here.
"""

from __future__ import annotations

import functools
import os
import sys
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    import datetime

    from corpus_cli.index import CorpusIndex
    from corpus_cli.query import Filters
    from corpus_cli.render import Output


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


class _Interrupted(Exception):
    """Ctrl-C, carried past Click, which would print a blank line for it first."""


class CorpusGroup(click.Group):
    """A group that turns every error into one plain line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise _Interrupted() from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        argv = args[0] if args else kwargs.get("args")
        debug = "--debug" in (argv if argv is not None else sys.argv[1:])
        try:
            result = super().main(*args, **kwargs)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.UsageError as error:
            hint = ""
            if error.ctx is not None:
                hint = f" Try '{error.ctx.command_path} --help'."
            _fail(f"{error.format_message()}{hint}", ExitStatus.USAGE, debug)
        except click.ClickException as error:
            _fail(error.format_message(), error.exit_code, debug)
        except (_Interrupted, KeyboardInterrupt, click.Abort):
            _fail("interrupted.", ExitStatus.INTERRUPTED, debug)
        except BrokenPipeError:
            # The reader (head, less) went away: nothing left to say to it.
            sys.stderr.close()
            sys.exit(ExitStatus.ERROR)
        except Exception as error:
            from corpus_cli.errors import CorpusError

            if isinstance(error, CorpusError):
                _fail(str(error), error.exit_code, debug)
            if isinstance(error, OSError):
                _fail(f"{error.strerror or error} ({error.filename or ''}).", 1, debug)
            _fail(
                f"unexpected error: {type(error).__name__}: {error} (--debug shows details).",
                ExitStatus.ERROR,
                debug,
            )
        sys.exit(result if isinstance(result, int) else ExitStatus.OK)


def _fail(message: str, code: int, debug: bool) -> None:
    if debug:
        import traceback

        traceback.print_exc()
    no_color = "NO_COLOR" in os.environ or "--no-color" in sys.argv
    from corpus_cli.render import Output

    Output(no_color=no_color).error(message)
    sys.exit(code)


class Settings:
    """What the global options decided, handed to every command."""

    def __init__(self, index: Path, no_color: bool) -> None:
        self.index_path = index
        self.no_color = no_color

    def output(self, json_lines: bool = False, fmt: str = "table") -> Output:
        from corpus_cli.render import Output

        return Output(
            json_lines=json_lines or fmt == "jsonl",
            csv_rows=fmt == "csv" and not json_lines,
            no_color=self.no_color,
        )

    def open_index(self) -> CorpusIndex:
        from corpus_cli.index import CorpusIndex

        return CorpusIndex.open(self.index_path)


pass_settings = click.make_pass_decorator(Settings)


@click.group(cls=CorpusGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--index",
    "index_path",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CORPUS_INDEX",
    default="index",
    show_default=True,
    help="Index folder (or set CORPUS_INDEX).",
)
@click.option("--no-color", is_flag=True, help="No colour (NO_COLOR is respected too).")
@click.option("--debug", is_flag=True, help="Show a traceback when something fails.")
@click.version_option(package_name="corpus-cli", prog_name="corpus")
@click.pass_context
def cli(ctx: click.Context, index_path: Path, no_color: bool, debug: bool) -> None:
    """Search news articles on disk: ingest them once, then search, list and read.

    \b
      corpus ingest seeds/
      corpus search esercitazioni
      corpus search '"esercitazioni congiunte"' --from 2023 --sort date
      corpus list --from 2022-12 --to 2023-06
      corpus show 002_9be9ee8e938c10f9 --query esercitazioni
    """
    ctx.obj = Settings(index_path, no_color or "NO_COLOR" in os.environ)


def _date(end: bool) -> Any:
    def convert(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
        if value is None:
            return None
        from corpus_cli.dates import parse_cli_date

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
        return func(*args, filters=_filters(date_from, date_to, source), **kwargs)

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


def _filters(
    date_from: datetime.date | None, date_to: datetime.date | None, source: str | None
) -> Filters:
    from corpus_cli.query import Filters

    return Filters(date_from, date_to, source)


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


@cli.command()
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
    from corpus_cli.index import CorpusIndex
    from corpus_cli.ingest import ingest as run_ingest

    out = settings.output(json_lines)
    index = CorpusIndex.open_or_create(settings.index_path)
    with out.progress() as progress:
        report = run_ingest(index, paths, source=source, prune=prune, progress=progress)
    out.ingest(report, str(settings.index_path), verbose=verbose)
    if report.nothing_done:
        out.error("no file could be read.")
        return ExitStatus.ERROR
    return ExitStatus.OK


@cli.command()
@click.argument("query")
@filter_options
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date", "-date"]),
    default="relevance",
    show_default=True,
    help="Order of hits; -date is newest first.",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Hits to show."
)
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
    query: str,
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
    from corpus_cli.query import check_query_text

    check_query_text(query)
    if cites is not None:
        import dataclasses

        from corpus_cli.citations import find_outlet

        filters = dataclasses.replace(filters, cites=find_outlet(cites).name)
    out = settings.output(json_lines, fmt)
    index = settings.open_index()
    if explain:
        if fmt == "csv":
            raise click.UsageError("--explain has no CSV form; use --json.")
        out.explain(index.explain(query, filters))
        return
    if kwic:
        from corpus_cli.analytics import concordance

        lines = concordance(index, query, filters, sort=sort, limit=limit)
        with out.paged(not no_pager):
            out.kwic(lines)
        return
    result = index.search(query, filters, sort=sort, limit=limit)
    with out.paged(not no_pager and result.total > 3):
        out.search(result, query)
    if result.total == 0:
        suggestion = index.suggest(query)
        if suggestion:
            out.suggest(suggestion)


@cli.command(name="list")
@filter_options
@click.option(
    "--sort",
    type=click.Choice(["date", "-date"]),
    default="date",
    show_default=True,
    help="Oldest first, or newest first; undated articles come last either way.",
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
    out = settings.output(json_lines, fmt)
    articles = settings.open_index().list_articles(filters, sort=sort)
    with out.paged(not no_pager and len(articles) > out.out.height):
        out.listing(articles)


@cli.command()
@click.argument("article_id", metavar="ID")
@click.option("--query", "-q", metavar="Q", help="Highlight the matches of this query.")
@json_option
@pass_settings
def show(settings: Settings, article_id: str, query: str | None, json_lines: bool) -> None:
    """Print one whole article, with QUERY's matches highlighted."""
    index = settings.open_index()
    article = index.get(article_id)
    terms = index.query_terms(query) if query else None
    settings.output(json_lines).show(article, terms)


@cli.command()
@click.argument("query", required=False)
@filter_options
@json_option
@pass_settings
def sources(
    settings: Settings,
    query: str | None,
    filters: Filters,
    json_lines: bool,
) -> None:
    """Sources with their article counts and date spans.

    With QUERY: the matching articles per source, and their share of that
    source's articles.
    """
    from corpus_cli.query import check_query_text

    if query is not None:
        check_query_text(query)
    settings.output(json_lines).sources(settings.open_index().sources(query, filters))


@cli.command()
@click.argument("query")
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
    query: str,
    filters: Filters,
    by: Any,
    normalize: bool,
    json_lines: bool,
) -> None:
    """Matching articles per period, as a bar chart; empty periods show as zero.

    Articles dated only to a coarser period than --by (a month, under --by day)
    are counted apart, not spread over made-up days.
    """
    from corpus_cli.analytics import timeline as count_periods
    from corpus_cli.query import check_query_text

    check_query_text(query)
    rows = count_periods(settings.open_index(), query, by, filters)
    settings.output(json_lines).timeline(rows, query, by, normalize)


@cli.command()
@click.argument("query")
@filter_options
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Words to show."
)
@json_option
@pass_settings
def terms(
    settings: Settings,
    query: str,
    filters: Filters,
    limit: int,
    json_lines: bool,
) -> None:
    """The words most characteristic of QUERY's matches against the whole index.

    Scored by log-likelihood (G²); each stem is shown as its commonest form.
    """
    from corpus_cli.analytics import characteristic_terms
    from corpus_cli.query import check_query_text

    check_query_text(query)
    found = characteristic_terms(settings.open_index(), query, filters, limit=limit)
    settings.output(json_lines).terms(found)


@cli.command()
@json_option
@pass_settings
def stats(settings: Settings, json_lines: bool) -> None:
    """What the index holds: articles, how they are dated, sources."""
    settings.output(json_lines).stats(settings.open_index().stats())


@cli.command()
@pass_settings
def optimize(settings: Settings) -> None:
    """Merge the index's segments into one, for the fastest searches.

    Each ingest adds a segment (Whoosh merges small ones as it goes); after many
    small ingests, one optimize makes every later search read one segment.
    """
    before, after = settings.open_index().optimize()
    settings.output().message(f"{before} segments merged into {after}.")


@cli.command()
@click.argument("article_id", metavar="ID")
@click.option(
    "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Articles to show."
)
@filter_options
@json_option
@pass_settings
def similar(
    settings: Settings,
    article_id: str,
    limit: int,
    filters: Filters,
    json_lines: bool,
) -> None:
    """The articles most like article ID (more like this, on its key terms)."""
    from corpus_cli.relations import similar as find_similar

    index = settings.open_index()
    article = index.get(article_id)
    hits = find_similar(index, article_id, limit, filters)
    settings.output(json_lines).similar(article, hits)


@cli.command()
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=0.8,
    show_default=True,
    help="Least estimated share of 5-word shingles in common (Jaccard).",
)
@json_option
@pass_settings
def dups(settings: Settings, threshold: float, json_lines: bool) -> None:
    """Clusters of near-duplicate articles (lightly edited copies), earliest first.

    Exact copies are reported by ingest and never indexed twice; this finds the
    near ones with MinHash signatures of word shingles.
    """
    from corpus_cli.relations import near_duplicates

    settings.output(json_lines).clusters(near_duplicates(settings.open_index(), threshold))


@cli.command()
@click.argument("query", required=False)
@filter_options
@json_option
@pass_settings
def cites(
    settings: Settings,
    query: str | None,
    filters: Filters,
    json_lines: bool,
) -> None:
    """News agencies and outlets the articles name, with how many articles name each.

    With QUERY, only its matching articles count. The list of outlets is
    corpus_cli/agencies.txt.
    """
    from corpus_cli.citations import cites as count_citations
    from corpus_cli.query import check_query_text

    if query is not None:
        check_query_text(query)
    found = count_citations(settings.open_index(), query, None if filters.is_empty else filters)
    settings.output(json_lines).citations(found)


@cli.group()
def watch() -> None:
    """Saved queries that show what is new since their last run."""


@watch.command(name="add")
@click.argument("name")
@click.argument("query")
@filter_options
@pass_settings
def watch_add(
    settings: Settings,
    name: str,
    query: str,
    filters: Filters,
) -> None:
    """Save QUERY (with its filters) as the watch NAME."""
    from corpus_cli.watch import add_watch

    settings.open_index()  # the watch lives in the index folder: it must exist
    saved = add_watch(settings.index_path, name, query, filters)
    settings.output().message(f"Saved watch '{saved.name}'; 'corpus watch run' shows its hits.")


@watch.command(name="list")
@json_option
@pass_settings
def watch_list(settings: Settings, json_lines: bool) -> None:
    """The saved watches."""
    from corpus_cli.watch import list_watches

    settings.output(json_lines).watches(list_watches(settings.index_path))


@watch.command(name="run")
@click.argument("name", required=False)
@json_option
@pass_settings
def watch_run(settings: Settings, name: str | None, json_lines: bool) -> None:
    """Run every watch (or NAME) and show only the articles it has not shown before."""
    from corpus_cli.watch import run_watch

    index = settings.open_index()
    results = run_watch(index, settings.index_path, name)
    settings.output(json_lines).watch_results(results)


@watch.command(name="rm")
@click.argument("name")
@pass_settings
def watch_rm(settings: Settings, name: str) -> None:
    """Delete the watch NAME."""
    from corpus_cli.watch import remove_watch

    removed = remove_watch(settings.index_path, name)
    settings.output().message(f"Removed watch '{removed.name}'.")
