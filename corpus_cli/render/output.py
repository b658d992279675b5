"""What the CLI calls: one method per command, in the format the user asked for.

:class:`Output` decides, and only decides: rows of the contract
(:mod:`~corpus_cli.render.rows`) go to the terminal as JSON Lines or CSV, and
everything else is drawn by the command's view (:mod:`~corpus_cli.render.views`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from corpus_cli.model import Suggestion
from corpus_cli.render import rows as contract
from corpus_cli.render import views

if TYPE_CHECKING:
    from corpus_cli.model import (
        Explanation,
        Hint,
        Hit,
        IndexStats,
        QueryTerms,
        SearchResult,
        SourceSummary,
        StoredArticle,
        Window,
    )
    from corpus_cli.render.terminal import ProgressUpdate, Terminal
    from corpus_cli.results import (
        Citation,
        Cluster,
        IngestReport,
        KwicLine,
        PeriodCount,
        TermScore,
        Watch,
        WatchResult,
    )

#: ``table`` for people; ``jsonl`` and ``csv`` for programs.
FORMATS = ("table", "jsonl", "csv")


class Output:
    """The renderer of one command: ``format`` is "table", "jsonl" or "csv".

    Only the article listings (search, similar, watch run, list) and ``search --kwic``
    have a CSV form; the other commands draw their table view under ``csv``.
    """

    def __init__(self, terminal: Terminal, format: str = "table") -> None:
        if format not in FORMATS:
            raise ValueError(f"unknown output format {format!r}; expected one of {FORMATS}")
        self.terminal = terminal
        self.format = format

    @property
    def _is_table(self) -> bool:
        return self.format == "table"

    @property
    def _is_json(self) -> bool:
        return self.format == "jsonl"

    def _write_rows(self, found: Iterable[dict[str, Any]], columns: list[str]) -> None:
        """Rows as CSV under ``csv``, else as JSON Lines."""
        if self.format == "csv":
            self.terminal.emit_csv(found, columns)
        else:
            self.terminal.emit_json(found)

    def _hit_rows(
        self, hits: list[Hit], terms: QueryTerms, extra: dict[str, Any] | None = None
    ) -> None:
        found = [contract.hit_row(hit, terms, extra) for hit in hits]
        self._write_rows(found, [*contract.HIT_COLUMNS, *(extra or {})])

    # -- the terminal ------------------------------------------------------------------

    def paged(self, enabled: bool = True) -> AbstractContextManager[None]:
        """Long human output through the pager (never rows, never off a terminal)."""
        return self.terminal.paged(enabled and self._is_table)

    def page_needed(self, lines: int) -> bool:
        """True when ``lines`` lines are more than the screen holds."""
        return lines > self.terminal.height

    def progress(self) -> AbstractContextManager[ProgressUpdate | None]:
        """The ingest progress bar on stderr (not under ``--json``)."""
        return self.terminal.progress(not self._is_json)

    def error(self, message: str) -> None:
        self.terminal.error(message)

    def message(self, message: str) -> None:
        self.terminal.message(message)

    def hint(self, hint: Hint) -> None:
        """Did-you-mean, or what emptied a search, on stderr (never among the rows)."""
        if isinstance(hint, Suggestion):
            self.terminal.suggestion(hint.text, views.suggestion_detail(hint))
        else:
            self.terminal.note(views.hint_line(hint))

    def note(self, text: str) -> None:
        """A remark on how the input was read, on stderr (never among the rows)."""
        self.terminal.note(text)

    # -- commands ------------------------------------------------------------------------

    def search(self, result: SearchResult, query: str, window: Window | None = None) -> None:
        if self._is_table:
            views.search(self.terminal, result, query, window)
        else:
            self._hit_rows(result.hits, result.terms)

    def search_rows(self, pages: Iterable[SearchResult]) -> None:
        """The hits of every page as rows, each written as it is made (JSON Lines, CSV).

        Rows are made lazily, so only the page being written is held in memory.
        """
        found = (contract.hit_row(hit, page.terms) for page in pages for hit in page.hits)
        self._write_rows(found, contract.HIT_COLUMNS)

    def count(self, count: int) -> None:
        """A number alone: bare on the screen, ``{"count": n}`` as JSON, a column in CSV."""
        if self._is_table:
            self.terminal.message(str(count))
        else:
            self._write_rows([contract.count_row(count)], ["count"])

    def similar(self, article: StoredArticle, hits: list[Hit]) -> None:
        if self._is_table:
            views.similar(self.terminal, article, hits)
        else:
            from corpus_cli.model import QueryTerms

            self._hit_rows(hits, QueryTerms())

    def watch_results(
        self,
        results: list[WatchResult],
        shown: Callable[[WatchResult, Hit], None] | None = None,
    ) -> None:
        """The new hits of each watch; ``shown(result, hit)`` as each reaches stdout."""
        for result in results:
            each = None if shown is None else functools.partial(shown, result)
            if self._is_table:
                views.watch_result(self.terminal, result, each)
                continue
            extra = {"watch": result.watch.name}
            rows = ((hit, contract.hit_row(hit, result.terms, extra)) for hit in result.new)
            if self.format == "csv":
                self.terminal.emit_csv_each(rows, [*contract.HIT_COLUMNS, *extra], each)
            else:
                self.terminal.emit_json_each(rows, each)

    def listing(
        self,
        articles: list[StoredArticle],
        window: Window | None = None,
        total: int | None = None,
    ) -> None:
        """``articles``, the part ``window`` shows of ``total`` (all of them by default)."""
        if self._is_table:
            views.listing(self.terminal, articles, window, total)
        else:
            self._write_rows((contract.article_row(a) for a in articles), contract.ARTICLE_COLUMNS)

    def show(self, article: StoredArticle, terms: QueryTerms | None, pager: bool = True) -> None:
        """One article; on a terminal, through the pager when it is longer than the screen."""
        if self._is_json:
            self.terminal.emit_json([contract.article_row(article, text=True)])
            return
        lines = views.show_lines(self.terminal, article, terms)
        # Screen rows, not lines: a URL longer than the screen takes several.
        width = max(1, self.terminal.width)
        rows = sum(max(1, -(-line.cell_len // width)) for line in lines)
        with self.paged(pager and self.page_needed(rows)):
            views.print_lines(self.terminal, lines)

    def kwic(self, lines: list[KwicLine]) -> None:
        if self._is_table:
            views.kwic(self.terminal, lines)
        else:
            self._write_rows([contract.kwic_row(k) for k in lines], contract.KWIC_COLUMNS)

    def clusters(self, clusters: list[Cluster]) -> None:
        if self._is_json:
            self.terminal.emit_json(contract.cluster_row(n, c) for n, c in enumerate(clusters, 1))
        else:
            views.clusters(self.terminal, clusters)

    def citations(self, citations: list[Citation]) -> None:
        if self._is_json:
            self.terminal.emit_json(contract.citation_row(c) for c in citations)
        else:
            views.citations(self.terminal, citations)

    def watches(self, watches: list[Watch]) -> None:
        if self._is_json:
            self.terminal.emit_json(contract.watch_row(w) for w in watches)
        else:
            views.watches(self.terminal, watches)

    def sources(self, sources: list[SourceSummary], query: str | None = None) -> None:
        """Sources, narrowed to the matches of ``query`` when one is given."""
        if self._is_json:
            narrowed = any(s.total is not None for s in sources)
            self.terminal.emit_json(contract.source_row(s, narrowed=narrowed) for s in sources)
        else:
            views.sources(self.terminal, sources, query)

    def timeline(
        self, rows: list[PeriodCount], query: str | None, by: str, normalize: bool
    ) -> None:
        if self._is_json:
            self.terminal.emit_json(contract.period_row(r) for r in rows)
        else:
            views.timeline(self.terminal, rows, query, by, normalize)

    def terms(self, terms: list[TermScore], query: str | None = None, matched: int = 0) -> None:
        """Terms of the ``matched`` articles that match ``query`` (which says why none)."""
        if self._is_json:
            self.terminal.emit_json(contract.term_row(t) for t in terms)
        else:
            views.terms(self.terminal, terms, query, matched)

    def explain(self, e: Explanation) -> None:
        if self._is_json:
            self.terminal.emit_json([contract.explanation_row(e)])
        else:
            views.explain(self.terminal, e)

    def stats(self, stats: IndexStats) -> None:
        if self._is_json:
            self.terminal.emit_json([contract.stats_row(stats)])
        else:
            views.stats(self.terminal, stats)

    def ingest(self, report: IngestReport, index_path: str, verbose: bool = False) -> None:
        if self._is_json:
            self.terminal.emit_json([contract.ingest_row(report)])
        else:
            views.ingest(self.terminal, report, index_path, verbose)
