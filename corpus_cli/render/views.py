"""The Rich views of each command, for people: one function per command.

Each takes the :class:`~corpus_cli.render.terminal.Terminal` to draw on. JSON and CSV
are not drawn here (:mod:`corpus_cli.render.rows` has them), and neither is anything
that decides between the two (:class:`corpus_cli.render.Output` does).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from corpus_cli.render.display import (
    MATCH_STYLE,
    date_style,
    display_date,
    lead,
    marked,
    meta,
    plural,
    sanitize,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.table import Table

    from corpus_cli.model import (
        Explanation,
        Hit,
        IndexStats,
        QueryTerms,
        SearchResult,
        SourceSummary,
        StoredArticle,
        Window,
    )
    from corpus_cli.render.terminal import Terminal
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

_SPARKS = "▁▂▃▄▅▆▇█"


def _table() -> Table:
    """A borderless table: bold headers, columns two spaces apart, no outer padding."""
    from rich.table import Table  # only the commands that print tables pay for it

    return Table(box=None, pad_edge=False, header_style="bold", show_edge=False)


def _indented(terminal: Terminal, text: Text, indent: int, first: Text | None = None) -> list[Text]:
    """``text`` wrapped to the console's width with a hanging indent, line by line."""
    # Wrapped by hand: Rich's Padding and grids fill every line with trailing
    # spaces, which pollute copied and piped output.
    console = terminal.out
    lines = []
    for n, line in enumerate(text.wrap(console, max(20, console.width - indent))):
        line.rstrip()
        start = first if first is not None and n == 0 else Text(" " * indent)
        lines.append(start.copy().append_text(line))
    return lines


# -- ranked articles: search, similar, watch run ------------------------------------------


def search(
    terminal: Terminal, result: SearchResult, query: str, window: Window | None = None
) -> None:
    head = Text(f"{result.total} {plural(result.total, 'article')} match ")
    head.append(sanitize(query), style="bold")
    part = _part_shown(len(result.hits), result.total, window, "hits")
    if part:
        head.append(f" ({part})", style="dim")
    hits(terminal, result.hits, result.terms, head, start=1 + (window.offset if window else 0))


def _part_shown(shown: int, total: int, window: Window | None, noun: str) -> str | None:
    """Which matches a view shows and how to see the others; None when it shows all.

    ``showing 2; --limit for more`` under the user's --limit, ``showing 10 of 96;
    --limit all for every one`` under the screen's default, ``hits 11-20 of 685;
    --page 3 for more`` for a page.
    """
    if window is None or not window.paged:
        if shown >= total:
            return None
        if window is not None and window.default_limit:
            return f"showing {shown} of {total}; --limit all for every one"
        return f"showing {shown}; --limit for more"
    first = window.offset + 1
    if shown == 0:
        return f"none from {first} on" if total else None
    last = window.offset + shown
    part = f"{noun} {first}-{last} of {total}"
    if last < total:
        more = f"--page {window.page + 1}" if window.page is not None else f"--offset {last}"
        part += f"; {more} for more"
    return part


def similar(terminal: Terminal, article: StoredArticle, found: list[Hit]) -> None:
    from corpus_cli.model import QueryTerms

    head = Text(f"{len(found)} {plural(len(found), 'article')} like ")
    head.append(sanitize(article.title or article.id), style="bold")
    hits(terminal, found, QueryTerms(), head)


def watch_result(
    terminal: Terminal, result: WatchResult, shown: Callable[[Hit], None] | None = None
) -> None:
    """A watch's new hits; ``shown(hit)`` is called as each one is written."""
    head = Text(f"watch {sanitize(result.watch.name)}: ", style="bold")
    new = result.new_total
    head.append(f"{new} new", style="green bold" if new else "dim")
    head.append(f" of {result.total} matching ", style="dim")
    head.append(sanitize(result.watch.query))
    if len(result.new) < new:
        rest = new - len(result.new)
        head.append(f" (showing {len(result.new)}; {rest} more next run)", style="dim")
    hits(terminal, result.new, result.terms, head, shown=shown)
    terminal.out.print()


def hits(
    terminal: Terminal,
    found: list[Hit],
    terms: QueryTerms,
    head: Text,
    start: int = 1,
    shown: Callable[[Hit], None] | None = None,
) -> None:
    """Ranked articles under ``head``, each with its best fragment, numbered from ``start``.

    With ``shown``, each hit is printed (and flushed) on its own and then passed to
    it, so that the caller knows which hits reached the reader.
    """
    from corpus_cli.text.snippets import make_snippet

    terminal.out.print(head)
    # One print for all hits: each print call costs Rich ~0.15 ms whatever its
    # length, and ten hits are ~80 wrapped lines.
    lines: list[Text] = []
    for n, hit in enumerate(found, start):
        snip = make_snippet(hit.article.text, terms)
        lines.append(Text())
        lines.extend(_hit(terminal, n, hit, terms))
        lines.extend(_indented(terminal, marked(snip.text, snip.spans), 4))
        if shown is not None:
            terminal.out.print(Text("\n").join(lines), soft_wrap=True)
            terminal.out.file.flush()
            lines = []
            shown(hit)
    if lines:
        terminal.out.print(Text("\n").join(lines), soft_wrap=True)


def _hit(terminal: Terminal, n: int, hit: Hit, terms: QueryTerms) -> list[Text]:
    from corpus_cli.text.snippets import find_matches

    article = hit.article
    if article.title:
        title = marked(article.title, find_matches(article.title, terms), "bold")
    else:
        title = Text(lead(article.text), style="bold italic")
    return [
        *_indented(terminal, title, 4, first=Text(f"{n:>2}. ", style="dim")),
        *_indented(terminal, meta(article), 4),
    ]


# -- articles -------------------------------------------------------------------------


def listing(
    terminal: Terminal,
    articles: list[StoredArticle],
    window: Window | None = None,
    total: int | None = None,
) -> None:
    """One line per article, then on stderr how many (and which part, under a window)."""
    # Fixed widths for the short columns so a long title never squeezes them.
    table = _table()
    table.add_column("date", width=11, no_wrap=True)
    source_width = min(20, max((len(a.source or "") for a in articles), default=6))
    table.add_column("source", style="cyan", width=max(6, source_width), no_wrap=True)
    # One line per article: a list is for scanning; `show` has the rest.
    id_width = min(28, max((len(a.id) for a in articles), default=2))
    # Columns are two spaces apart (one cell of padding on each side).
    title_width = max(20, terminal.width - 11 - max(6, source_width) - id_width - 6)
    table.add_column("title", width=title_width, no_wrap=True)
    table.add_column("id", style="dim", width=id_width, no_wrap=True)
    for article in articles:
        title = (
            Text(sanitize(article.title))
            if article.title
            else Text(lead(article.text, 160), style="italic")
        )
        title.truncate(title_width, overflow="ellipsis")
        table.add_row(
            Text(display_date(article), style=date_style(article)),
            Text(sanitize(article.source or "")),
            title,
            Text(sanitize(article.id)),
        )
    terminal.out.print(table)
    count = len(articles) if total is None else total
    footer = f"{count} {plural(count, 'article')}"
    part = _part_shown(len(articles), count, window, "articles")
    if part:
        footer += f" ({part})"
    terminal.err.print(Text(footer, style="dim"))


def show(terminal: Terminal, article: StoredArticle, terms: QueryTerms | None) -> None:
    from corpus_cli.text.snippets import find_matches

    out = terminal.out
    spans = find_matches(article.title or "", terms) if terms else []
    if article.title:
        out.print(marked(article.title, spans, "bold"))
    out.print(meta(article))
    details = Text(style="dim")
    if article.date_evidence:
        how = "inferred from" if article.date_inferred else "from"
        details.append(f"date {how}: “{sanitize(article.date_evidence)}”\n")
    if article.url:
        details.append(f"url: {sanitize(article.url)}\n")
    details.append(f"file: {sanitize(article.path)}")
    out.print(details)
    out.print()
    body_spans = find_matches(article.text, terms) if terms else []
    out.print(marked(article.text, body_spans))


def clusters(terminal: Terminal, found: list[Cluster]) -> None:
    out = terminal.out
    count = len(found)
    out.print(Text(f"{count} {plural(count, 'cluster')} of near-duplicates"))
    for n, cluster in enumerate(found, 1):
        out.print()
        head = Text(f"{n:>2}. ", style="dim")
        head.append(f"{len(cluster.ids)} articles", style="bold")
        head.append(f", similarity ≥ {cluster.similarity:.2f}", style="dim")
        out.print(head)
        for article in cluster.articles:
            line = Text("    ")
            line.append_text(meta(article))
            line.append("  ")
            line.append(sanitize(article.title or lead(article.text, 60)))
            out.print(line, no_wrap=True, overflow="ellipsis")


def kwic(terminal: Terminal, lines: list[KwicLine]) -> None:
    source_width = min(18, max((len(k.source or "") for k in lines), default=0))
    side = max(12, (terminal.width - 12 - source_width - 4 - 14) // 2)
    for k in lines:
        line = Text()
        date = ("≈" if k.date_inferred else "") + (k.date or "undated")
        line.append(f"{date:<11} ", style="green")
        line.append(f"{sanitize(k.source or '')[:source_width]:<{source_width}} ", style="cyan")
        left = sanitize(k.left)[-side:]
        line.append(f"{left:>{side}}")
        line.append(sanitize(k.match), style=MATCH_STYLE)
        line.append(sanitize(k.right)[:side])
        terminal.out.print(line, no_wrap=True, overflow="crop")


# -- the index and its analyses ---------------------------------------------------------


def citations(terminal: Terminal, found: list[Citation]) -> None:
    table = _table()
    table.add_column("cited", style="cyan")
    table.add_column("articles", justify="right")
    for c in found:
        table.add_row(Text(sanitize(c.cited)), str(c.count))
    terminal.out.print(table)


def watches(terminal: Terminal, found: list[Watch]) -> None:
    table = _table()
    table.add_column("name", style="bold")
    table.add_column("query")
    table.add_column("filters", style="dim")
    table.add_column("last run", no_wrap=True)
    table.add_column("seen", justify="right")
    for w in found:
        table.add_row(
            Text(sanitize(w.name)),
            Text(sanitize(w.query)),
            Text(sanitize(w.filters.describe())),
            (w.last_run or "never")[:16].replace("T", " "),
            str(len(w.seen)),
        )
    terminal.out.print(table)


def sources(terminal: Terminal, found: list[SourceSummary]) -> None:
    narrowed = any(s.total is not None for s in found)
    table = _table()
    table.add_column("source", style="cyan", overflow="fold")
    table.add_column("matches" if narrowed else "articles", justify="right")
    if narrowed:
        table.add_column("of all", justify="right")
        table.add_column("share", justify="right")
    table.add_column("first", no_wrap=True)
    table.add_column("last", no_wrap=True)
    for s in found:
        cells: list[Text | str] = [Text(sanitize(s.source)), str(s.count)]
        if narrowed:
            cells += [str(s.total), f"{(s.share or 0) * 100:.1f}%"]
        cells += [s.first_date or "", s.last_date or ""]
        table.add_row(*cells)
    terminal.out.print(table)


def timeline(
    terminal: Terminal, rows: list[PeriodCount], query: str, by: str, normalize: bool
) -> None:
    out = terminal.out
    regular = [r for r in rows if not r.coarser]
    coarse = [r for r in rows if r.coarser]
    matched = sum(r.count for r in rows)
    head = Text(f"{matched} matching articles for ")
    head.append(sanitize(query), style="bold")
    head.append(f", by {by}" + (" (share of all articles)" if normalize else ""))
    out.print(head)
    if not rows:
        return

    def value(r: PeriodCount) -> float:
        return (r.share or 0.0) if normalize else float(r.count)

    top = max((value(r) for r in rows), default=0.0) or 1.0
    if len(regular) > 1:
        values = [value(r) for r in regular]
        room = max(10, terminal.width - 2 * len(regular[0].period) - 2)
        if len(values) > room:
            # One spark per group of periods, at the group's peak.
            step = -(-len(values) // room)
            values = [max(values[i : i + step]) for i in range(0, len(values), step)]
        spark = "".join(_SPARKS[round(v / top * (len(_SPARKS) - 1))] for v in values)
        out.print(
            Text(f"{regular[0].period} ", style="dim")
            + Text(spark, style="cyan")
            + Text(f" {regular[-1].period}", style="dim"),
            soft_wrap=True,
        )
    label_width = max(len(r.period) for r in rows)
    bar_width = max(10, terminal.width - label_width - 24)
    for r in regular + coarse:
        line = Text(f"{r.period:<{label_width}} ", style="dim" if r.coarser else "")
        length = value(r) / top * bar_width
        line.append("█" * int(length) + ("▌" if length - int(length) >= 0.5 else ""), style="cyan")
        share = "" if r.share is None else f"  {r.share * 100:.1f}%"
        line.append(f" {r.count}", style="bold" if r.count else "dim")
        line.append(f"/{r.total}{share}", style="dim")
        if r.coarser:
            line.append("  (dated only to this period)", style="dim italic")
        out.print(line, soft_wrap=True)


def terms(terminal: Terminal, found: list[TermScore]) -> None:
    table = _table()
    table.add_column("term", style="bold")
    table.add_column("score", justify="right")
    table.add_column("in matches", justify="right")
    table.add_column("stem", style="dim")
    for t in found:
        table.add_row(Text(sanitize(t.term)), f"{t.score:.1f}", str(t.count), t.stem)
    terminal.out.print(table)


def explain(terminal: Terminal, e: Explanation) -> None:
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
    for part in e.excluded:
        out.append("\nexcludes  ", style="dim")
        out.append(sanitize(part))
    if e.expansions:
        out.append("\nexpands   ", style="dim")
        out.append(sanitize(", ".join(e.expansions)))
    if not e.filters.is_empty:
        out.append("\nfilters   ", style="dim")
        out.append(sanitize(e.filters.describe()))
    out.append("\nmatches   ", style="dim")
    out.append(str(e.total), style="bold")
    terminal.out.print(out)
    if e.suggestion:
        terminal.suggestion(e.suggestion)


def stats(terminal: Terminal, stats: IndexStats) -> None:
    lines = Text()
    lines.append(f"{stats.articles} articles", style="bold")
    lines.append(
        f"\n  dated from metadata  {stats.dated_by_metadata}"
        f"\n  dated by inference   {stats.dated_by_inference}"
        f"\n  undated              {stats.undated}"
    )
    if stats.first_date:
        lines.append(f"\n  from {stats.first_date} to {stats.last_date}")
    lines.append(f"\n{len(stats.sources)} {plural(len(stats.sources), 'source')}", style="bold")
    for name, count in sorted(stats.sources.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"\n  {count:>7}  ")
        lines.append(sanitize(name), style="cyan")
    terminal.out.print(lines)


def ingest(terminal: Terminal, report: IngestReport, index_path: str, verbose: bool) -> None:
    out = terminal.out
    summary = Text()
    summary.append(f"{report.added} added", style="green bold" if report.added else "")
    summary.append(
        f", {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.removed} removed, {len(report.duplicates)} duplicates, "
    )
    summary.append(f"{len(report.skipped)} skipped", style="yellow bold" if report.skipped else "")
    summary.append(f"  → {index_path}", style="dim")
    out.print(summary)
    for dup in report.duplicates:
        line = Text("  duplicate  ", style="dim")
        line.append(sanitize(dup.path))
        line.append(f"  (same text as {sanitize(dup.duplicate_of)})", style="dim")
        out.print(line, soft_wrap=True)
    for skip in report.skipped:
        line = Text("  skipped    ", style="yellow")
        line.append(sanitize(skip.path))
        line.append(f"  {sanitize(skip.reason)}", style="dim")
        out.print(line, soft_wrap=True)
    if verbose:
        for path in report.ignored:
            line = Text("  ignored    ", style="dim")
            line.append(sanitize(path))
            line.append("  (not an article format)", style="dim")
            out.print(line, soft_wrap=True)
    elif report.ignored:
        out.print(
            Text(
                f"  {len(report.ignored)} other files ignored (--verbose lists them)",
                style="dim",
            )
        )
