"""Commands on relations between articles: similar, dups, and saved watches."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from corpus_cli.cli.app import Settings, pass_settings
from corpus_cli.cli.options import (
    QueryCommand,
    filter_options,
    json_option,
    limit_option,
    output_format,
)

if TYPE_CHECKING:
    from corpus_cli.model import Filters, Hit
    from corpus_cli.results import WatchResult


@click.command()
@click.argument("article_id", metavar="ID")
@limit_option(10, "Articles to show.")
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
    from corpus_cli.services.relations import similar as find_similar

    store = settings.open_store()
    article = store.get(article_id)
    hits = find_similar(store, article_id, limit, filters)
    settings.output(output_format("table", json_lines)).similar(article, hits)


@click.command()
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

    Near ones are found with MinHash signatures of word shingles. Exact copies
    (same text, kept by ingest on the first article) are listed under their
    article, which makes a cluster of its own when it has no near-duplicate.
    """
    from corpus_cli.services.relations import near_duplicates

    clusters = near_duplicates(settings.open_store(), threshold)
    settings.output(output_format("table", json_lines)).clusters(clusters)


@click.group()
def watch() -> None:
    """Saved queries that show what is new since their last run."""


@watch.command(name="add", cls=QueryCommand)
@click.argument("name")
@click.argument("query")
@filter_options
@pass_settings
def watch_add(settings: Settings, name: str, query: str, filters: Filters) -> None:
    """Save QUERY (with its filters) as the watch NAME."""
    from corpus_cli.query import parse
    from corpus_cli.query.dates import narrowed
    from corpus_cli.services.watch import add_watch, unknown_source

    # A date: in the query is kept in the watch's filters, which every run applies
    # (a run re-reads the query, whose dates no store reads).
    filters = narrowed(filters, parse(query))
    store = settings.open_store()
    saved = add_watch(store, name, query, filters)
    out = settings.output()
    out.message(f"Saved watch '{saved.name}'; 'corpus watch run' shows its hits.")
    missing = unknown_source(store, saved.filters)
    if missing is not None:
        # Saved all the same (the articles may come later), but a misspelt source
        # would otherwise find nothing for ever without a word.
        out.note(
            f"No article has the source '{missing}' yet, so this watch finds nothing "
            "until one does; 'corpus sources' lists the sources."
        )


@watch.command(name="list")
@json_option
@pass_settings
def watch_list(settings: Settings, json_lines: bool) -> None:
    """The saved watches."""
    from corpus_cli.services.watch import list_watches

    found = list_watches(settings.open_store())
    settings.output(output_format("table", json_lines)).watches(found)


@watch.command(name="run")
@click.argument("name", required=False)
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=1),
    metavar="N",
    help="Show at most N new hits of each watch, oldest first; the rest stay new.",
)
@json_option
@pass_settings
def watch_run(settings: Settings, name: str | None, limit: int | None, json_lines: bool) -> None:
    """Run every watch (or NAME) and show only the articles it has not shown before.

    A hit is remembered as shown once it is written: when the reader stops early
    (head, a closed pipe) or Ctrl-C stops the run, the hits not written stay new.
    """
    from corpus_cli.services.watch import find_new, mark_seen

    store = settings.open_store()
    results = find_new(store, name, limit)
    delivered: dict[str, list[str]] = {result.watch.name: [] for result in results}

    def shown(result: WatchResult, hit: Hit) -> None:
        delivered[result.watch.name].append(hit.article.id)

    try:
        settings.output(output_format("table", json_lines)).watch_results(results, shown)
    finally:
        mark_seen(store, delivered)


@watch.command(name="reset")
@click.argument("name")
@pass_settings
def watch_reset(settings: Settings, name: str) -> None:
    """Forget what the watch NAME has shown: its next run shows every match again."""
    from corpus_cli.services.watch import reset_watch

    reset = reset_watch(settings.open_store(), name)
    settings.output().message(f"Reset watch '{reset.name}'; its next run shows every match again.")


@watch.command(name="rm")
@click.argument("name")
@pass_settings
def watch_rm(settings: Settings, name: str) -> None:
    """Delete the watch NAME."""
    from corpus_cli.services.watch import remove_watch

    removed = remove_watch(settings.open_store(), name)
    settings.output().message(f"Removed watch '{removed.name}'.")
