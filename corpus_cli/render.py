"""Everything the user sees: Rich output for people, JSON Lines for programs.

One :class:`Output` owns both consoles. Article text is data, never markup: consoles
run with ``markup=False, highlight=False``, text goes in as :class:`rich.text.Text`,
and control characters are swapped for visible stand-ins before printing.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:
    from rich.table import Table

    from corpus_cli.analytics import KwicLine, PeriodCount, TermScore
    from corpus_cli.citations import Citation
    from corpus_cli.index import (
        Explanation,
        Hit,
        IndexStats,
        SearchResult,
        SourceSummary,
        StoredArticle,
    )
    from corpus_cli.ingest import IngestReport
    from corpus_cli.query import Filters, QueryTerms
    from corpus_cli.relations import Cluster
    from corpus_cli.watch import Watch, WatchResult

MATCH_STYLE = "bold black on yellow"
_SPARKS = "▁▂▃▄▅▆▇█"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC: seen, never obeyed
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def sanitize(text: str) -> str:
    """Replace control characters (except newline and tab) one for one, keeping offsets."""
    return _CONTROL.sub(_visible, text)


def display_date(article: StoredArticle) -> str:
    if article.date is None:
        return "undated"
    return ("≈" if article.date_inferred else "") + article.date


ARTICLE_COLUMNS = [
    "id",
    "path",
    "title",
    "date",
    "date_precision",
    "date_inferred",
    "date_evidence",
    "source",
    "url",
]


#: The JSON and CSV columns of one concordance line (KwicLine's own field names).
KWIC_COLUMNS = ["id", "date", "source", "left", "match", "right"]


def article_json(
    article: StoredArticle,
    *,
    hit: Hit | None = None,
    snippet: str | None = None,
    text: bool = False,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "date": article.date,
        "date_precision": article.date_precision,
        "date_inferred": article.date_inferred,
        "date_evidence": article.date_evidence,
        "source": article.source,
        "url": article.url,
    }
    if hit is not None:
        row["score"] = None if hit.score is None else round(hit.score, 4)
        row["snippet"] = snippet
    if text:
        row["text"] = article.text
        row["extra"] = article.extra
    return row


class Output:
    """The program's two streams: results on stdout, messages and progress on stderr."""

    def __init__(
        self,
        *,
        json_lines: bool = False,
        csv_rows: bool = False,
        no_color: bool = False,
        stdout: IO[str] | None = None,
        stderr: IO[str] | None = None,
    ) -> None:
        self.json_lines = json_lines
        self.csv_rows = csv_rows
        self._stdout = stdout or sys.stdout
        options: dict[str, Any] = {"markup": False, "highlight": False, "emoji": False}
        if no_color:
            options["no_color"] = True
        self.out = Console(file=self._stdout, **options)
        self.err = Console(file=stderr or sys.stderr, stderr=True, **options)

    # -- primitives ------------------------------------------------------------------

    def emit(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self._stdout.write(json.dumps(row, ensure_ascii=False) + "\n")

    @contextmanager
    def paged(self, enabled: bool = True) -> Iterator[None]:
        """Send long human output through the pager when stdout is a terminal."""
        if not enabled or self.json_lines or self.csv_rows or not self.out.is_terminal:
            yield
            return
        # -R keeps colours, -F quits at once when everything fits, -X leaves it on screen.
        os.environ.setdefault("LESS", "-RFX")
        with self.out.pager(styles=True):
            yield

    @contextmanager
    def progress(self) -> Iterator[Callable[[int, int, str], None] | None]:
        """A progress bar on stderr while ingesting, only when stderr is a terminal."""
        if self.json_lines or not self.err.is_terminal:
            yield None
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        bar = Progress(
            "ingesting",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=self.err,
            transient=True,
        )
        task = bar.add_task("ingest", total=None)

        def update(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total)

        with bar:
            yield update

    def emit_csv(self, rows: list[dict[str, Any]], columns: list[str]) -> None:
        writer = csv.DictWriter(self._stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_value(v) for k, v in row.items()})

    def error(self, message: str) -> None:
        self.err.print(Text(f"corpus: {sanitize(message)}", style="red"), soft_wrap=True)

    def message(self, message: str) -> None:
        self.out.print(Text(sanitize(message)), soft_wrap=True)

    def warn(self, message: str) -> None:
        self.err.print(Text(sanitize(message), style="yellow"), soft_wrap=True)

    # -- commands -------------------------------------------------------------------

    def search(self, result: SearchResult, query: str) -> None:
        head = Text(f"{result.total} {_plural(result.total, 'article')} match ")
        head.append(sanitize(query), style="bold")
        if len(result.hits) < result.total:
            head.append(f" (showing {len(result.hits)}; --limit for more)", style="dim")
        self.hits(result.hits, result.terms, head)

    def hits(
        self,
        hits: list[Hit],
        terms: QueryTerms,
        head: Text | None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        """Ranked articles with their best fragments (search, similar, watch run)."""
        from corpus_cli.snippets import make_snippet

        snippets = [make_snippet(hit.article.text, terms) for hit in hits]
        if self.json_lines or self.csv_rows:
            rows = [
                {**article_json(hit.article, hit=hit, snippet=snip.text), **(extra or {})}
                for hit, snip in zip(hits, snippets, strict=True)
            ]
            if self.csv_rows:
                self.emit_csv(rows, [*ARTICLE_COLUMNS, "score", "snippet", *(extra or {})])
            else:
                self.emit(rows)
            return
        if head is not None:
            self.out.print(head)
        # One print for all hits: each print call costs Rich ~0.15 ms whatever its
        # length, and ten hits are ~80 wrapped lines.
        lines: list[Text] = []
        for n, (hit, snip) in enumerate(zip(hits, snippets, strict=True), 1):
            lines.append(Text())
            lines.extend(self._hit(n, hit, terms))
            lines.extend(self._indented(_marked(snip.text, snip.spans), 4))
        if lines:
            self.out.print(Text("\n").join(lines), soft_wrap=True)

    def similar(self, article: StoredArticle, hits: list[Hit]) -> None:
        from corpus_cli.query import QueryTerms

        head = Text(f"{len(hits)} {_plural(len(hits), 'article')} like ")
        head.append(sanitize(article.title or article.id), style="bold")
        self.hits(hits, QueryTerms(), head)

    def clusters(self, clusters: list[Cluster]) -> None:
        if self.json_lines:
            self.emit(
                {"cluster": n, "ids": c.ids, "similarity": round(c.similarity, 4)}
                for n, c in enumerate(clusters, 1)
            )
            return
        count = len(clusters)
        self.out.print(Text(f"{count} {_plural(count, 'cluster')} of near-duplicates"))
        for n, cluster in enumerate(clusters, 1):
            self.out.print()
            head = Text(f"{n:>2}. ", style="dim")
            head.append(f"{len(cluster.ids)} articles", style="bold")
            head.append(f", similarity ≥ {cluster.similarity:.2f}", style="dim")
            self.out.print(head)
            for article in cluster.articles:
                line = Text("    ")
                line.append_text(_meta(article))
                line.append("  ")
                line.append(sanitize(article.title or _lead(article.text, 60)))
                self.out.print(line, no_wrap=True, overflow="ellipsis")

    def citations(self, citations: list[Citation]) -> None:
        if self.json_lines:
            self.emit(dataclasses.asdict(c) for c in citations)
            return
        table = _table()
        table.add_column("cited", style="cyan")
        table.add_column("articles", justify="right")
        for c in citations:
            table.add_row(Text(sanitize(c.cited)), str(c.count))
        self.out.print(table)

    def watches(self, watches: list[Watch]) -> None:
        if self.json_lines:
            self.emit(
                {
                    "name": w.name,
                    "query": w.query,
                    "from": w.filters.date_from and w.filters.date_from.isoformat(),
                    "to": w.filters.date_to and w.filters.date_to.isoformat(),
                    "source": w.filters.source,
                    "created": w.created,
                    "last_run": w.last_run,
                    "seen": len(w.seen),
                }
                for w in watches
            )
            return
        table = _table()
        table.add_column("name", style="bold")
        table.add_column("query")
        table.add_column("filters", style="dim")
        table.add_column("last run", no_wrap=True)
        table.add_column("seen", justify="right")
        for w in watches:
            table.add_row(
                Text(sanitize(w.name)),
                Text(sanitize(w.query)),
                Text(sanitize(_describe_filters(w.filters))),
                (w.last_run or "never")[:16].replace("T", " "),
                str(len(w.seen)),
            )
        self.out.print(table)

    def watch_results(self, results: list[WatchResult]) -> None:
        for result in results:
            head = Text(f"watch {sanitize(result.watch.name)}: ", style="bold")
            new = len(result.new)
            head.append(f"{new} new", style="green bold" if new else "dim")
            head.append(f" of {result.total} matching ", style="dim")
            head.append(sanitize(result.watch.query))
            self.hits(result.new, result.terms, head, extra={"watch": result.watch.name})
            if not self.json_lines and not self.csv_rows:
                self.out.print()

    def _indented(self, text: Text, indent: int, first: Text | None = None) -> list[Text]:
        """``text`` wrapped to the console's width with a hanging indent, line by line."""
        # Wrapped by hand: Rich's Padding and grids fill every line with trailing
        # spaces, which pollute copied and piped output.
        lines = []
        for n, line in enumerate(text.wrap(self.out, max(20, self.out.width - indent))):
            line.rstrip()
            lead = first if first is not None and n == 0 else Text(" " * indent)
            lines.append(lead.copy().append_text(line))
        return lines

    def _hit(self, n: int, hit: Hit, terms: QueryTerms) -> list[Text]:
        from corpus_cli.snippets import find_matches

        article = hit.article
        if article.title:
            title = _marked(article.title, find_matches(article.title, terms), "bold")
        else:
            title = Text(_lead(article.text), style="bold italic")
        return [
            *self._indented(title, 4, first=Text(f"{n:>2}. ", style="dim")),
            *self._indented(_meta(article), 4),
        ]

    def listing(self, articles: list[StoredArticle]) -> None:
        if self.csv_rows:
            self.emit_csv([article_json(a) for a in articles], ARTICLE_COLUMNS)
            return
        if self.json_lines:
            self.emit(article_json(a) for a in articles)
            return
        # Fixed widths for the short columns so a long title never squeezes them.
        table = _table()
        table.add_column("date", width=11, no_wrap=True)
        source_width = min(20, max((len(a.source or "") for a in articles), default=6))
        table.add_column("source", style="cyan", width=max(6, source_width), no_wrap=True)
        # One line per article: a list is for scanning; `show` has the rest.
        id_width = min(28, max((len(a.id) for a in articles), default=2))
        # Columns are two spaces apart (one cell of padding on each side).
        title_width = max(20, self.out.width - 11 - max(6, source_width) - id_width - 6)
        table.add_column("title", width=title_width, no_wrap=True)
        table.add_column("id", style="dim", width=id_width, no_wrap=True)
        for article in articles:
            title = (
                Text(sanitize(article.title))
                if article.title
                else Text(_lead(article.text, 160), style="italic")
            )
            title.truncate(title_width, overflow="ellipsis")
            table.add_row(
                Text(display_date(article), style=_date_style(article)),
                Text(sanitize(article.source or "")),
                title,
                Text(sanitize(article.id)),
            )
        self.out.print(table)
        noun = "article" if len(articles) == 1 else "articles"
        self.err.print(Text(f"{len(articles)} {noun}", style="dim"))

    def show(self, article: StoredArticle, terms: QueryTerms | None) -> None:
        from corpus_cli.snippets import find_matches

        if self.json_lines:
            self.emit([article_json(article, text=True)])
            return
        spans = find_matches(article.title or "", terms) if terms else []
        if article.title:
            self.out.print(_marked(article.title, spans, "bold"))
        self.out.print(_meta(article))
        details = Text(style="dim")
        if article.date_evidence:
            how = "inferred from" if article.date_inferred else "from"
            details.append(f"date {how}: “{sanitize(article.date_evidence)}”\n")
        if article.url:
            details.append(f"url: {sanitize(article.url)}\n")
        details.append(f"file: {sanitize(article.path)}")
        self.out.print(details)
        self.out.print()
        body_spans = find_matches(article.text, terms) if terms else []
        self.out.print(_marked(article.text, body_spans))

    def sources(self, sources: list[SourceSummary]) -> None:
        narrowed = any(s.total is not None for s in sources)
        if self.json_lines:
            for s in sources:
                row: dict[str, Any] = {
                    "source": s.source,
                    "count": s.count,
                    "first_date": s.first_date,
                    "last_date": s.last_date,
                }
                if narrowed:
                    row["total"] = s.total
                    row["share"] = None if s.share is None else round(s.share, 4)
                self.emit([row])
            return
        table = _table()
        table.add_column("source", style="cyan", overflow="fold")
        table.add_column("matches" if narrowed else "articles", justify="right")
        if narrowed:
            table.add_column("of all", justify="right")
            table.add_column("share", justify="right")
        table.add_column("first", no_wrap=True)
        table.add_column("last", no_wrap=True)
        for s in sources:
            cells: list[Text | str] = [Text(sanitize(s.source)), str(s.count)]
            if narrowed:
                cells += [str(s.total), f"{(s.share or 0) * 100:.1f}%"]
            cells += [s.first_date or "", s.last_date or ""]
            table.add_row(*cells)
        self.out.print(table)

    def timeline(self, rows: list[PeriodCount], query: str, by: str, normalize: bool) -> None:
        if self.json_lines:
            for r in rows:
                row: dict[str, Any] = {
                    "period": r.period,
                    "count": r.count,
                    "total": r.total,
                    "share": None if r.share is None else round(r.share, 4),
                }
                if r.coarser:
                    row["coarser"] = True
                self.emit([row])
            return
        regular = [r for r in rows if not r.coarser]
        coarse = [r for r in rows if r.coarser]
        matched = sum(r.count for r in rows)
        head = Text(f"{matched} matching articles for ")
        head.append(sanitize(query), style="bold")
        head.append(f", by {by}" + (" (share of all articles)" if normalize else ""))
        self.out.print(head)
        if not rows:
            return

        def value(r: PeriodCount) -> float:
            return (r.share or 0.0) if normalize else float(r.count)

        top = max((value(r) for r in rows), default=0.0) or 1.0
        if len(regular) > 1:
            values = [value(r) for r in regular]
            room = max(10, self.out.width - 2 * len(regular[0].period) - 2)
            if len(values) > room:
                # One spark per group of periods, at the group's peak.
                step = -(-len(values) // room)
                values = [max(values[i : i + step]) for i in range(0, len(values), step)]
            spark = "".join(_SPARKS[round(v / top * (len(_SPARKS) - 1))] for v in values)
            self.out.print(
                Text(f"{regular[0].period} ", style="dim")
                + Text(spark, style="cyan")
                + Text(f" {regular[-1].period}", style="dim"),
                soft_wrap=True,
            )
        label_width = max(len(r.period) for r in rows)
        bar_width = max(10, self.out.width - label_width - 24)
        for r in regular + coarse:
            line = Text(f"{r.period:<{label_width}} ", style="dim" if r.coarser else "")
            length = value(r) / top * bar_width
            line.append(
                "█" * int(length) + ("▌" if length - int(length) >= 0.5 else ""), style="cyan"
            )
            share = "" if r.share is None else f"  {r.share * 100:.1f}%"
            line.append(f" {r.count}", style="bold" if r.count else "dim")
            line.append(f"/{r.total}{share}", style="dim")
            if r.coarser:
                line.append("  (dated only to this period)", style="dim italic")
            self.out.print(line, soft_wrap=True)

    def terms(self, terms: list[TermScore]) -> None:
        if self.json_lines:
            self.emit(dataclasses.asdict(t) for t in terms)
            return
        table = _table()
        table.add_column("term", style="bold")
        table.add_column("score", justify="right")
        table.add_column("in matches", justify="right")
        table.add_column("stem", style="dim")
        for t in terms:
            table.add_row(Text(sanitize(t.term)), f"{t.score:.1f}", str(t.count), t.stem)
        self.out.print(table)

    def kwic(self, lines: list[KwicLine]) -> None:
        if self.json_lines or self.csv_rows:
            rows = [{column: getattr(k, column) for column in KWIC_COLUMNS} for k in lines]
            if self.csv_rows:
                self.emit_csv(rows, KWIC_COLUMNS)
            else:
                self.emit(rows)
            return
        source_width = min(18, max((len(k.source or "") for k in lines), default=0))
        side = max(12, (self.out.width - 12 - source_width - 4 - 14) // 2)
        for k in lines:
            line = Text()
            date = ("≈" if k.date_inferred else "") + (k.date or "undated")
            line.append(f"{date:<11} ", style="green")
            line.append(f"{sanitize(k.source or '')[:source_width]:<{source_width}} ", style="cyan")
            left = sanitize(k.left)[-side:]
            line.append(f"{left:>{side}}")
            line.append(sanitize(k.match), style=MATCH_STYLE)
            line.append(sanitize(k.right)[:side])
            self.out.print(line, no_wrap=True, overflow="crop")

    def explain(self, e: Explanation) -> None:
        if self.json_lines:
            self.emit(
                [
                    {
                        "query": e.query,
                        "parsed": e.parsed,
                        "fields": e.fields,
                        "words": [{"word": w, "folded": f, "stem": st} for w, f, st in e.words],
                        "expansions": e.expansions,
                        "phrases": e.phrases,
                        "total": e.total,
                        "suggestion": e.suggestion,
                    }
                ]
            )
            return
        out = Text()
        out.append("query     ", style="dim")
        out.append(sanitize(e.query), style="bold")
        out.append("\nparsed    ", style="dim")
        out.append(sanitize(e.parsed))
        out.append("\nfields    ", style="dim")
        out.append(", ".join(e.fields))
        for word, folded, stem in e.words:
            out.append("\nword      ", style="dim")
            out.append(sanitize(word), style="bold")
            out.append(f"  → folded {sanitize(folded)}, stem {sanitize(stem)}")
        for phrase in e.phrases:
            out.append("\nphrase    ", style="dim")
            out.append(" ".join(phrase) + "  (stems, side by side)")
        if e.expansions:
            out.append("\nexpands   ", style="dim")
            out.append(sanitize(", ".join(e.expansions)))
        out.append("\nmatches   ", style="dim")
        out.append(str(e.total), style="bold")
        self.out.print(out)
        if e.suggestion:
            self.suggest(e.suggestion)

    def suggest(self, suggestion: str) -> None:
        line = Text("Did you mean: ", style="yellow")
        line.append(sanitize(suggestion), style="bold")
        line.append("?", style="yellow")
        self.err.print(line, soft_wrap=True)

    def stats(self, stats: IndexStats) -> None:
        if self.json_lines:
            self.emit([dataclasses.asdict(stats)])
            return
        lines = Text()
        lines.append(f"{stats.articles} articles", style="bold")
        lines.append(
            f"\n  dated from metadata  {stats.dated_by_metadata}"
            f"\n  dated by inference   {stats.dated_by_inference}"
            f"\n  undated              {stats.undated}"
        )
        if stats.first_date:
            lines.append(f"\n  from {stats.first_date} to {stats.last_date}")
        plural = "source" if len(stats.sources) == 1 else "sources"
        lines.append(f"\n{len(stats.sources)} {plural}", style="bold")
        for name, count in sorted(stats.sources.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"\n  {count:>7}  ")
            lines.append(sanitize(name), style="cyan")
        self.out.print(lines)

    def ingest(self, report: IngestReport, index_path: str, verbose: bool = False) -> None:
        if self.json_lines:
            self.emit(
                [
                    {
                        "added": report.added,
                        "updated": report.updated,
                        "unchanged": report.unchanged,
                        "removed": report.removed,
                        "duplicates": [
                            {"path": d.path, "duplicate_of": d.duplicate_of}
                            for d in report.duplicates
                        ],
                        "skipped": [{"path": s.path, "reason": s.reason} for s in report.skipped],
                    }
                ]
            )
            return
        summary = Text()
        summary.append(f"{report.added} added", style="green bold" if report.added else "")
        summary.append(
            f", {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.removed} removed, {len(report.duplicates)} duplicates, "
        )
        summary.append(
            f"{len(report.skipped)} skipped", style="yellow bold" if report.skipped else ""
        )
        summary.append(f"  → {index_path}", style="dim")
        self.out.print(summary)
        for dup in report.duplicates:
            line = Text("  duplicate  ", style="dim")
            line.append(sanitize(dup.path))
            line.append(f"  (same text as {sanitize(dup.duplicate_of)})", style="dim")
            self.out.print(line, soft_wrap=True)
        for skip in report.skipped:
            line = Text("  skipped    ", style="yellow")
            line.append(sanitize(skip.path))
            line.append(f"  {sanitize(skip.reason)}", style="dim")
            self.out.print(line, soft_wrap=True)
        if verbose:
            for path in report.ignored:
                line = Text("  ignored    ", style="dim")
                line.append(sanitize(path))
                line.append("  (not an article format)", style="dim")
                self.out.print(line, soft_wrap=True)
        elif report.ignored:
            self.out.print(
                Text(
                    f"  {len(report.ignored)} other files ignored (--verbose lists them)",
                    style="dim",
                )
            )


def _csv_value(value: Any) -> Any:
    # As JSON writes them, so a column reads the same in both exports.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _table() -> Table:
    """A borderless table: bold headers, columns two spaces apart, no outer padding."""
    from rich.table import Table  # only the commands that print tables pay for it

    return Table(box=None, pad_edge=False, header_style="bold", show_edge=False)


def _plural(n: int, noun: str) -> str:
    return noun if n == 1 else noun + "s"


def _describe_filters(filters: Filters) -> str:
    parts = []
    if filters.date_from:
        parts.append(f"--from {filters.date_from.isoformat()}")
    if filters.date_to:
        parts.append(f"--to {filters.date_to.isoformat()}")
    if filters.source:
        parts.append(f"--source {filters.source}")
    if filters.cites:
        parts.append(f"--cites {filters.cites}")
    return " ".join(parts)


def _marked(text: str, spans: list[tuple[int, int]], style: str = "") -> Text:
    out = Text(sanitize(text), style=style)
    for start, end in spans:
        out.stylize(MATCH_STYLE, start, end)
    return out


def _meta(article: StoredArticle) -> Text:
    meta = Text()
    meta.append(display_date(article), style=_date_style(article))
    meta.append(" · ", style="dim")
    meta.append(sanitize(article.source or "unknown source"), style="cyan")
    meta.append(" · ", style="dim")
    meta.append(sanitize(article.id), style="dim")
    return meta


def _date_style(article: StoredArticle) -> str:
    if article.date is None:
        return "dim"
    return "magenta" if article.date_inferred else "green"


def _lead(text: str, width: int = 70) -> str:
    flat = " ".join(sanitize(text).split())
    if len(flat) <= width:
        return flat
    cut = flat.rfind(" ", 0, width)
    return flat[: cut if cut > 20 else width] + "…"
