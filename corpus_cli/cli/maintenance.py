"""Commands that look after the index itself: check and repair."""

from __future__ import annotations

import click

from corpus_cli.cli.app import Settings, pass_settings
from corpus_cli.errors import ExitStatus


@click.command()
@pass_settings
def check(settings: Settings) -> int:
    """Verify every part of the index and report what is damaged.

    Exit 0 when the index is whole, 1 when something is damaged. Whoosh: each file
    against the size and checksum its last commit recorded, and every segment read
    whole (stored articles, postings, columns). PostgreSQL: the schema version,
    every article read, and the tables consistent with each other (damaged pages are
    the server's to find). Prints a plain report.
    """
    from corpus_cli.services.repair import check as run_check
    from corpus_cli.storage import open_store

    out = settings.output()
    store = open_store(settings.index, damaged=True)
    report = run_check(store)
    out.message(
        f"{report.location}: {report.articles} articles in {report.parts} "
        f"{report.part}{'' if report.parts == 1 else 's'}"
        + (f", {report.files} files verified against their checksums." if report.files else ".")
    )
    for note in report.notes:
        out.message(f"note: {note}")
    for problem in report.problems:
        out.message(f"damaged: {problem}")
    if report.damaged:
        out.message(f"Run 'corpus repair --index {report.location}' to repair it.")
        return ExitStatus.ERROR
    out.message("No damage found.")
    return ExitStatus.OK


@click.command()
@pass_settings
def repair(settings: Settings) -> int:
    """Rebuild the damaged parts of the index from your files.

    The damaged parts are dropped and their articles' files read again, found in the
    index's own records of what it ingested. Files that no longer exist are listed:
    their articles cannot come back. Exit 0 when every article that was lost is
    back, 1 when some could not be recovered. A repair that is interrupted is
    finished by the next.
    """
    from corpus_cli.services.repair import repair as run_repair
    from corpus_cli.storage import open_store

    out = settings.output()
    store = open_store(settings.index, damaged=True)
    with out.progress() as progress:
        report = run_repair(store, progress=progress)
    for line in report.dropped:
        out.message(line)
    if report.ingest is None and not report.dropped:
        out.message(f"{report.location}: nothing is damaged; nothing to repair.")
        return ExitStatus.OK
    if report.ingest is not None:
        out.message(
            f"{report.reread} files read again: {report.restored} articles restored"
            + (f", {len(report.ingest.skipped)} skipped." if report.ingest.skipped else ".")
        )
    for path in report.gone:
        out.message(f"lost: {path} no longer exists; its articles could not be recovered.")
    return ExitStatus.ERROR if report.gone else ExitStatus.OK
