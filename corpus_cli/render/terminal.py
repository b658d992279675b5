"""The program's two streams: results on stdout, messages and progress on stderr.

:class:`Terminal` owns both Rich consoles and the raw stdout that JSON and CSV rows
are written to. Consoles run with ``markup=False, highlight=False, emoji=False``, so
nothing printed is ever read as markup. A console is built the first time it is
used, so an error line costs only the stderr one.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from typing import IO, Any, TypeVar

from rich.console import Console
from rich.text import Text

from corpus_cli.render.display import sanitize
from corpus_cli.render.rows import csv_cell

T = TypeVar("T")

#: Called as ``update(done, total, path, records)`` while ingesting; ``records`` is
#: how many records of the dump being read are done (0 for other files).
ProgressUpdate = Callable[[int, int, str, int], None]


class _Console(Console):
    """A Rich console that lets a closed pipe be an error like any other write's.

    Rich's own handling exits with status 1 from inside the view; the command line
    decides what a closed pipe means (a quiet stop, status 0) in one place.
    """

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


class Terminal:
    """Where output goes, and how: colour, width, the pager and the progress bar."""

    def __init__(
        self,
        *,
        no_color: bool = False,
        stdout: IO[str] | None = None,
        stderr: IO[str] | None = None,
        width: int | None = None,
    ) -> None:
        self._stdout = stdout or sys.stdout
        self._stderr = stderr or sys.stderr
        self._options: dict[str, Any] = {"markup": False, "highlight": False, "emoji": False}
        if no_color:
            self._options["no_color"] = True
        if width is not None:
            self._options["width"] = width

    @cached_property
    def out(self) -> Console:
        """The console on stdout, for the views."""
        return _Console(file=self._stdout, **self._options)

    @cached_property
    def err(self) -> Console:
        """The console on stderr, for messages and progress."""
        return _Console(file=self._stderr, stderr=True, **self._options)

    @property
    def width(self) -> int:
        return self.out.width

    @property
    def height(self) -> int:
        return self.out.height

    # -- rows for programs -------------------------------------------------------------

    def emit_json(self, rows: Iterable[dict[str, Any]]) -> None:
        """JSON Lines on stdout, one object a line, non-ASCII as is."""
        import json  # here, not at the top: table output never needs it

        for row in rows:
            self._stdout.write(json.dumps(row, ensure_ascii=False) + "\n")

    def emit_json_each(
        self, rows: Iterable[tuple[T, dict[str, Any]]], shown: Callable[[T], None] | None
    ) -> None:
        """JSON Lines of ``(item, row)`` pairs, each flushed and then passed to ``shown``."""
        import json

        for item, row in rows:
            self._stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            self._delivered(item, shown)

    def emit_csv_each(
        self,
        rows: Iterable[tuple[T, dict[str, Any]]],
        columns: Sequence[str],
        shown: Callable[[T], None] | None,
    ) -> None:
        """CSV of ``(item, row)`` pairs, each flushed and then passed to ``shown``."""
        import csv

        writer = csv.DictWriter(self._stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for item, row in rows:
            writer.writerow({k: csv_cell(v) for k, v in row.items()})
            self._delivered(item, shown)

    def _delivered(self, item: T, shown: Callable[[T], None] | None) -> None:
        if shown is not None:
            # Written means handed to the reader, not left in our buffer.
            self._stdout.flush()
            shown(item)

    def emit_csv(self, rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> None:
        """CSV on stdout: a header of ``columns``, then one line per row."""
        import csv

        writer = csv.DictWriter(self._stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            # Only the columns: a row's lists (an article's copies) have no cell.
            writer.writerow({k: csv_cell(row.get(k)) for k in columns})

    # -- for people ----------------------------------------------------------------------

    @contextmanager
    def paged(self, enabled: bool = True) -> Iterator[None]:
        """Send long human output through the pager when stdout is a terminal."""
        if not enabled or not self.out.is_terminal:
            yield
            return
        # -R keeps colours, -F quits at once when everything fits, -X leaves it on screen.
        os.environ.setdefault("LESS", "-RFX")
        with self.out.pager(styles=True):
            yield

    @contextmanager
    def progress(self, enabled: bool = True) -> Iterator[ProgressUpdate | None]:
        """A progress bar on stderr while ingesting, only when stderr is a terminal."""
        if not enabled or not self.err.is_terminal:
            yield None
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        bar = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=self.err,
            transient=True,
        )
        task = bar.add_task("ingesting", total=None)

        def update(done: int, total: int, path: str, records: int = 0) -> None:
            # A dump is one file of the count for minutes: its records show it moves.
            name = sanitize(path.rsplit("/", 1)[-1])
            what = f"ingesting {name}: {records:,} records" if records else "ingesting"
            bar.update(task, completed=done, total=total, description=what)

        with bar:
            yield update

    def summary(self, line: Text, blank_after: bool = False) -> None:
        """A line about the results (how many, which part of them), not a result.

        On a terminal it goes with the results, on stdout (into the pager too); when
        stdout is piped or saved it goes to stderr, so the pipe carries the results
        alone and the person at the terminal still reads the count.
        """
        console = self.out if self.out.is_terminal else self.err
        console.print(line, soft_wrap=True)
        if blank_after:
            console.print()

    def error(self, message: str) -> None:
        """``corpus: message`` in red on stderr."""
        self.err.print(Text(f"corpus: {sanitize(message)}", style="red"), soft_wrap=True)

    def message(self, message: str) -> None:
        """A plain sentence on stdout."""
        self.out.print(Text(sanitize(message)), soft_wrap=True)

    def note(self, text: str) -> None:
        """A plain remark on stderr, in yellow: how something typed was read."""
        self.err.print(Text(sanitize(text), style="yellow"), soft_wrap=True)

    def suggestion(self, text: str, detail: str = "") -> None:
        """``Did you mean: text?`` on stderr, then `` (detail)`` if given."""
        line = Text("Did you mean: ", style="yellow")
        line.append(sanitize(text), style="bold")
        line.append("?", style="yellow")
        if detail:
            line.append(f" ({sanitize(detail)})", style="yellow")
        self.err.print(line, soft_wrap=True)
