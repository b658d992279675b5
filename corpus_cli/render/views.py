"""The Rich views of each command, for people: one function per command.

Each takes the :class:`~corpus_cli.render.terminal.Terminal` to draw on. JSON and CSV
are not drawn here (:mod:`corpus_cli.render.rows` has them), and neither is anything
that decides between the two (:class:`corpus_cli.render.Output` does).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.text import Text

from corpus_cli.render.display import (
    MATCH_STYLE,
    date_style,
    display_date,
    marked,
    meta,
    meta_parts,
    plural,
    sanitize,
    title_text,
    total_text,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.table import Table

    from corpus_cli.model import (
        Copy,
        Explanation,
        FilterHint,
        Hit,
        IndexStats,
        QueryTerms,
        SearchResult,
        SourceHint,
        SourceSummary,
        StoredArticle,
        Suggestion,
        Window,
        WordsApart,
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
    total, exact = result.total, result.total_exact
    verb = "matches" if total == 1 and exact else "match"
    head = Text(f"{total_text(total, exact)} {plural(total, 'article')} {verb} ")
    head.append(sanitize(query), style="bold")
    part = _part_shown(len(result.hits), total, window, "hits", exact)
    if part:
        head.append(f" ({part})", style="dim")
    # The count is a summary, not a hit: off a terminal it goes to stderr, as list's.
    terminal.summary(head, blank_after=bool(result.hits))
    hits(terminal, result.hits, result.terms, None, start=1 + (window.offset if window else 0))


def _part_shown(
    shown: int, total: int, window: Window | None, noun: str, exact: bool = True
) -> str | None:
    """Which matches a view shows and how to see the others; None when it shows all.

    ``showing 2; --limit for more`` under the user's --limit, ``showing 10 of 96;
    --limit all for every one`` under the screen's default, ``hits 11-20 of 685;
    --page 3 for more`` for a page. A total that is a lower bound (``exact`` False)
    says ``of more than 10,000``, and a full page of it may have more after it.
    """
    of = total_text(total, exact)
    if window is None or not window.paged:
        if exact and shown >= total:
            return None
        if window is not None and window.default_limit:
            return f"showing {shown} of {of}; --limit all for every one"
        return f"showing {shown}; --limit for more"
    first = window.offset + 1
    if shown == 0:
        return f"none from {first} on" if total else None
    last = window.offset + shown
    part = f"{noun} {first}-{last} of {of}"
    if last < total or (not exact and shown == window.limit):
        more = f"--page {window.page + 1}" if window.page is not None else f"--offset {last}"
        part += f"; {more} for more"
    return part


def similar(terminal: Terminal, article: StoredArticle, found: list[Hit]) -> None:
    from corpus_cli.model import QueryTerms

    head = Text(f"{len(found)} {plural(len(found), 'article')} like ")
    head.append_text(title_text(article, "bold"))
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
    head: Text | None,
    start: int = 1,
    shown: Callable[[Hit], None] | None = None,
) -> None:
    """Ranked articles under ``head``, each with its best fragment, numbered from ``start``.

    With no ``head`` (the caller printed its own), the hits start at once. With
    ``shown``, each hit is printed (and flushed) on its own and then passed to it, so
    that the caller knows which hits reached the reader.
    """
    from corpus_cli.text.snippets import make_snippet

    if head is not None:
        terminal.out.print(head)
    # One print for all hits: each print call costs Rich ~0.15 ms whatever its
    # length, and ten hits are ~80 wrapped lines.
    lines: list[Text] = []
    for n, hit in enumerate(found, start):
        snip = make_snippet(hit.article.text, terms, language=hit.article.language)
        if head is not None or n > start:
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
        title = marked(article.title, find_matches(article.title, terms, article.language), "bold")
    else:
        title = title_text(article, "bold")
    return [
        *_indented(terminal, title, 4, first=Text(f"{n:>2}. ", style="dim")),
        *_meta_lines(terminal, article, 4),
    ]


def _meta_lines(terminal: Terminal, article: StoredArticle, indent: int) -> list[Text]:
    """The meta line (date · source · id) at ``indent``; one field a line if it does not fit.

    Never wrapped inside a field: a wrap could break the id, which readers copy.
    """
    line = meta(article)
    if indent + line.cell_len <= terminal.width:
        return [Text(" " * indent).append_text(line)]
    return [Text(" " * indent).append_text(part) for part in meta_parts(article)]


# -- articles -------------------------------------------------------------------------


def listing(
    terminal: Terminal,
    articles: list[StoredArticle],
    window: Window | None = None,
    total: int | None = None,
) -> None:
    """One line per article, then how many (and which part, under a window).

    The date and the id are never cut: the id is what a reader copies into ``show``.
    The source and the title give way to them; when even that leaves the title too
    little room, each article is drawn one field per line.
    """
    dates = [Text(display_date(a), style=date_style(a)) for a in articles]
    ids = [Text(sanitize(a.id)) for a in articles]
    sources = [Text(sanitize(a.source or "")) for a in articles]
    titles = [title_text(a) for a in articles]
    widths = _listing_widths(terminal.width, dates, sources, ids)
    if not articles:
        pass  # no bare header: the count below says there is nothing
    elif widths is None:
        _stacked(
            terminal,
            ["date", "source", "title", "id"],
            [list(row) for row in zip(dates, sources, titles, ids, strict=True)],
            cut={1, 2},
        )
    else:
        date_width, source_width, title_width, id_width = widths
        table = _table()
        table.add_column("date", width=date_width, no_wrap=True)
        table.add_column("source", style="cyan", width=source_width, no_wrap=True)
        # One line per article: a list is for scanning; `show` has the rest.
        table.add_column("title", width=title_width, no_wrap=True)
        table.add_column("id", style="dim", width=id_width, no_wrap=True)
        for date, source, title, id_ in zip(dates, sources, titles, ids, strict=True):
            source.truncate(source_width, overflow="ellipsis")
            title.truncate(title_width, overflow="ellipsis")
            table.add_row(date, source, title, id_)
        terminal.out.print(table)
    count = len(articles) if total is None else total
    footer = f"{count} {plural(count, 'article')}"
    part = _part_shown(len(articles), count, window, "articles")
    if part:
        footer += f" ({part})"
    terminal.summary(Text(footer, style="dim"))


#: The narrowest title a one-line listing shows, and the width it takes back from
#: the source before that: below these the listing is drawn one field per line.
_TITLE_MIN, _TITLE_COMFORT, _SOURCE_MIN, _SOURCE_MAX = 16, 24, 8, 20


def _listing_widths(
    width: int, dates: list[Text], sources: list[Text], ids: list[Text]
) -> tuple[int, int, int, int] | None:
    """(date, source, title, id) column widths that fit ``width``, or None if none do."""
    date_width = max((d.cell_len for d in dates), default=0) or 4
    date_width = max(4, date_width)  # the header, "date"
    id_width = max(2, max((i.cell_len for i in ids), default=0))
    source_natural = max(6, max((s.cell_len for s in sources), default=0))
    # Columns are two spaces apart (one cell of padding on each side).
    room = width - date_width - id_width - 6
    source_min = min(source_natural, _SOURCE_MIN)
    if room < source_min + _TITLE_MIN:
        return None
    source_width = min(source_natural, _SOURCE_MAX)
    if room - source_width < _TITLE_COMFORT:
        source_width = max(source_min, room - _TITLE_COMFORT)
    return date_width, source_width, room - source_width, id_width


def _stacked(terminal: Terminal, labels: list[str], rows: list[list[Text]], cut: set[int]) -> None:
    """Each row as one field a line under its label, rows a blank line apart.

    Fields at the indexes in ``cut`` are cut to the width with an ellipsis; the others
    (ids, dates, numbers) are printed whole, however narrow the terminal.
    """
    label_width = max(len(label) for label in labels)
    room = max(1, terminal.width - label_width - 2)
    lines: list[Text] = []
    for n, row in enumerate(rows):
        if n:
            lines.append(Text())
        for i, (label, cell) in enumerate(zip(labels, row, strict=True)):
            if not cell.plain:
                continue
            if i in cut:
                cell = cell.copy()
                cell.truncate(room, overflow="ellipsis")
            line = Text(f"{label:<{label_width}}  ", style="dim")
            lines.append(line.append_text(cell))
    if lines:
        terminal.out.print(Text("\n").join(lines), soft_wrap=True)


def show_lines(terminal: Terminal, article: StoredArticle, terms: QueryTerms | None) -> list[Text]:
    """One article, header first, as the lines to print.

    On a terminal the title and text are wrapped at its width between words (a word
    longer than a line, such as a URL, is left whole for the terminal to fold, so
    it stays one link); anywhere else nothing is wrapped: a file or a pipe gets
    each paragraph on one line. No line ends in spaces either way.
    """
    from corpus_cli.text.snippets import find_matches

    width = terminal.width if terminal.out.is_terminal else None
    lines: list[Text] = []
    if article.title:
        spans = find_matches(article.title, terms, article.language) if terms else []
        lines += _wrapped(marked(article.title, spans, "bold"), width)
    else:
        lines += _wrapped(title_text(article, "bold"), width)
    if width is None:
        lines.append(meta(article))
    else:
        lines += _meta_lines(terminal, article, 0)
    if article.date_evidence:
        how = "inferred from" if article.date_inferred else "from"
        lines.append(Text(f"date {how}: “{sanitize(article.date_evidence)}”", style="dim"))
    if article.url:
        lines.append(Text(f"url: {sanitize(article.url)}", style="dim"))
    lines.append(Text(f"file: {sanitize(article.path)}", style="dim"))
    for copy in article.copies:
        lines.append(Text(also_published(copy, article), style="dim"))
    lines.append(Text())
    body_spans = find_matches(article.text, terms, article.language) if terms else []
    lines += _wrapped(marked(article.text, body_spans), width)
    return lines


def copy_line(copy: Copy) -> Text:
    """An exact copy under its article in ``dups``: ``= date · source · its file``."""
    line = Text("      = exact copy: ", style="dim")
    parts = [copy.date or "undated", sanitize(copy.source or "no source"), sanitize(copy.path)]
    line.append(" · ".join(parts))
    if copy.title:
        line.append(f"  {sanitize(copy.title)}", style="dim")
    return line


def also_published(copy: Copy, article: StoredArticle) -> str:
    """One exact copy of ``article``: who else published its text, when, where it is.

    ``also published by Altro Giornale, 2023-04-20, as “Colpo in banca” (file: b.txt)``;
    the headline only when it differs from the article's.
    """
    who = f"by {sanitize(copy.source)}" if copy.source else "without a source"
    parts = [f"also published {who}", copy.date or "undated"]
    if copy.title and copy.title != article.title:
        parts.append(f"as “{sanitize(copy.title)}”")
    where = f"file: {sanitize(copy.path)}"
    if copy.url:
        where += f", url: {sanitize(copy.url)}"
    return f"{', '.join(parts)} ({where})"


def print_lines(terminal: Terminal, lines: list[Text]) -> None:
    """``lines`` as they are: Rich neither wraps nor pads them."""
    terminal.out.print(Text("\n").join(lines), soft_wrap=True)


_WORD = re.compile(r"\S+\s*")


def _wrapped(text: Text, width: int | None) -> list[Text]:
    """``text`` line by line, wrapped between words at ``width`` (None: not at all).

    Unlike Rich's wrap, a word longer than ``width`` is never cut in two; trailing
    spaces are dropped.
    """
    from rich.cells import cell_len

    lines: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        if width is None:
            paragraph.rstrip()
            lines.append(paragraph)
            continue
        plain = paragraph.plain
        breaks: list[int] = []
        start = 0  # where the line being filled starts
        for word in _WORD.finditer(plain):
            end = word.start() + len(word.group().rstrip())
            if word.start() > start and cell_len(plain[start:end]) > width:
                breaks.append(word.start())
                start = word.start()
        for line in paragraph.divide(breaks):
            line.rstrip()
            lines.append(line)
    return lines


def clusters(terminal: Terminal, found: list[Cluster]) -> None:
    out = terminal.out
    count = len(found)
    exact = sum(len(a.copies) for cluster in found for a in cluster.articles)
    kinds = "near-duplicates or exact copies" if exact else "near-duplicates"
    out.print(Text(f"{count} {plural(count, 'cluster')} of {kinds}"))
    for n, cluster in enumerate(found, 1):
        out.print()
        head = Text(f"{n:>2}. ", style="dim")
        articles = len(cluster.ids)
        copies = sum(len(a.copies) for a in cluster.articles)
        head.append(f"{articles} {plural(articles, 'article')}", style="bold")
        if copies:
            head.append(f" and {copies} exact {'copy' if copies == 1 else 'copies'}", style="bold")
        if articles > 1:
            head.append(f", similarity ≥ {cluster.similarity:.2f}", style="dim")
        out.print(head)
        for i, article in enumerate(cluster.articles):
            # The meta line is never cut (it holds the id); the title gives way to it.
            lines = _meta_lines(terminal, article, 4)
            title = title_text(article)
            room = terminal.width - lines[-1].cell_len - 2
            if len(lines) == 1 and room >= 10:
                title.truncate(room, overflow="ellipsis")
                lines[0].append("  ").append_text(title)
            else:
                title.truncate(max(1, terminal.width - 4), overflow="ellipsis")
                lines.append(Text("    ").append_text(title))
            if i and len(lines) > 2:
                out.print()  # articles of several lines each, told apart
            out.print(Text("\n").join(lines), soft_wrap=True)
            for copy in article.copies:
                out.print(copy_line(copy), soft_wrap=True)


def kwic(terminal: Terminal, lines: list[KwicLine]) -> None:
    # The date never gives way; the source does, to leave each context 12 cells
    # around a match of about 14 (and goes when fewer than 4 cells are left for it).
    source_width = min(
        18, max((len(k.source or "") for k in lines), default=0), terminal.width - 52
    )
    if source_width < 4:
        source_width = 0
    used = 12 + (source_width + 2 if source_width else 0) + 14
    side = max(12, (terminal.width - used) // 2)
    for k in lines:
        line = Text()
        date = ("≈" if k.date_inferred else "") + (k.date or "undated")
        line.append(f"{date:<11} ", style="green")
        if source_width:
            source = Text(sanitize(k.source or ""), style="cyan")
            source.truncate(source_width, overflow="ellipsis", pad=True)
            # Two spaces and an ellipsis where the context was cut: else the source
            # runs into a cut word ("Gazzetta di Modena tata negligenza").
            line.append_text(source)
            line.append("  ")
        left = sanitize(k.left)
        if len(left) >= side:
            left = "…" + left[-(side - 1) :]
        line.append(f"{left:>{side}}")
        line.append(sanitize(k.match), style=MATCH_STYLE)
        line.append(sanitize(k.right))
        line.truncate(terminal.width, overflow="ellipsis")
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
    if not found:
        terminal.out.print(Text("0 watches ('corpus watch add NAME QUERY' saves one)"))
        return
    labels = ["name", "query", "filters", "last run", "seen"]
    rows = [
        [
            Text(sanitize(w.name), style="bold"),
            Text(sanitize(w.query)),
            Text(sanitize(w.filters.describe()), style="dim"),
            Text((w.last_run or "never")[:16].replace("T", " ")),
            Text(str(len(w.seen))),
        ]
        for w in found
    ]
    # The date and the count keep their width; the others fold, down to 8 cells each.
    fixed = sum(
        max([len(label), *(r[i].cell_len for r in rows)])
        for i, label in [(3, "last run"), (4, "seen")]
    )
    if fixed + 3 * 8 + 8 > terminal.width:
        _stacked(terminal, labels, rows, cut=set())
        return
    table = _table()
    table.add_column("name")
    table.add_column("query")
    table.add_column("filters")
    table.add_column("last run", no_wrap=True)
    table.add_column("seen", justify="right", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    terminal.out.print(table)


def sources(terminal: Terminal, found: list[SourceSummary], query: str | None = None) -> None:
    """Sources with their counts and date spans; the dates are never cut."""
    if not found:
        # A bare header would read as a table that failed to draw.
        terminal.out.print(_nothing_matches(query), soft_wrap=True)
        return
    narrowed = query is not None or any(s.total is not None for s in found)
    labels = ["source", "matches" if narrowed else "articles"]
    if narrowed:
        labels += ["of all", "share"]
    labels += ["first", "last"]
    rows: list[list[Text]] = []
    for s in found:
        cells = [Text(sanitize(s.source), style="cyan"), Text(str(s.count))]
        if narrowed:
            cells += [Text(str(s.total)), Text(f"{(s.share or 0) * 100:.1f}%")]
        cells += [Text(s.first_date or ""), Text(s.last_date or "")]
        rows.append(cells)
    # Every column but the source keeps its width; the source folds, down to 8 cells.
    fixed = [
        max([len(label), *(row[i].cell_len for row in rows)]) for i, label in enumerate(labels)
    ]
    needed = sum(fixed[1:]) + min(fixed[0], 8) + 2 * (len(labels) - 1)
    if needed > terminal.width:
        _stacked(terminal, labels, rows, cut=set())
        return
    table = _table()
    for i, label in enumerate(labels):
        if i == 0:
            table.add_column(label, overflow="fold")
        else:
            table.add_column(
                label, justify="right" if i < len(labels) - 2 else "left", no_wrap=True
            )
    for row in rows:
        table.add_row(*row)
    terminal.out.print(table)


def _nothing_matches(query: str | None) -> Text:
    """``0 articles match QUERY``, or ``0 articles`` with no query (the filters left none)."""
    if query is None:
        return Text("0 articles")
    line = Text("0 articles match ")
    line.append(sanitize(query), style="bold")
    return line


def timeline(
    terminal: Terminal, rows: list[PeriodCount], query: str | None, by: str, normalize: bool
) -> None:
    """Articles per period; ``query`` None for every article (no "/total" then)."""
    out = terminal.out
    regular = [r for r in rows if not r.coarser]
    coarse = [r for r in rows if r.coarser]
    matched = sum(r.count for r in rows)
    if query is None:
        head = Text(f"{matched} dated {plural(matched, 'article')}")
    else:
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
        if query is not None:
            line.append(f"/{r.total}{share}", style="dim")
        if r.coarser:
            line.append("  (dated only to this period)", style="dim italic")
        out.print(line, soft_wrap=True)


def terms(
    terminal: Terminal, found: list[TermScore], query: str | None = None, matched: int = 0
) -> None:
    """The characteristic terms of ``matched`` articles that match ``query``."""
    if not found:
        # A sentence, not a bare header: nothing matched, or nothing stood out.
        if matched and query is not None:
            line = Text(f"No word stands out in the {matched} {plural(matched, 'article')} ")
            line.append(f"{'that matches' if matched == 1 else 'that match'} ")
            line.append(sanitize(query), style="bold")
        else:
            line = _nothing_matches(query)
        terminal.out.print(line, soft_wrap=True)
        return
    table = _table()
    table.add_column("term", style="bold")
    table.add_column("score", justify="right")
    # How often the word occurs in the matching articles, not in how many of them.
    table.add_column("occurrences", justify="right")
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
    listed: set[str] = set()
    for word, folded, stem in e.words:
        out.append("\nword      ", style="dim")
        out.append(sanitize(word), style="bold")
        out.append(f"  → folded {sanitize(folded)}, stem {sanitize(stem)}")
        if stem in e.forms and stem not in listed:
            listed.add(stem)
            for n, line in enumerate(_forms(e.forms[stem], terminal.out.width - 10)):
                out.append("\nforms     " if n == 0 else "\n          ", style="dim")
                out.append(sanitize(line))
        for code, how, terms in e.languages.get(word, []):
            out.append(f"\nin {code:<7}", style="dim")
            out.append(sanitize(", ".join(terms) or "(no term)"))
            out.append(f"  ({how})", style="dim")
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


#: Words of a stem listed by ``--explain`` on the screen (all of them in JSON).
SHOWN_FORMS = 12


def _forms(forms: list[tuple[str, int]], width: int) -> list[str]:
    """``rapina (61), rapine (28), …``: the words a stem matched, with their articles,
    in lines of at most ``width`` characters that never split an entry."""
    if not forms:
        return ["(none in the texts)"]
    entries = [f"{word} ({n})" for word, n in forms[:SHOWN_FORMS]]
    if len(forms) > SHOWN_FORMS:
        entries.append(f"… {len(forms) - SHOWN_FORMS} more")
    lines = [entries[0]]
    for entry in entries[1:]:
        if len(lines[-1]) + len(entry) + 2 < max(20, width):
            lines[-1] += ", " + entry
        else:
            lines[-1] += ","
            lines.append(entry)
    return lines


def suggestion_detail(s: Suggestion) -> str:
    """``412 articles`` after a did-you-mean; with the rare words it replaced,
    ``431 articles; 'carabineri' is in 1``."""
    detail = f"{s.total} {plural(s.total, 'article')}"
    for word, n in s.rare:
        detail += f"; '{word}' is in {n}"
    return detail


def hint_line(hint: FilterHint | SourceHint | WordsApart) -> str:
    """One line on what emptied a search: the filters, a source no article has, or
    words no article has together."""
    from corpus_cli.model import SourceHint, WordsApart

    if isinstance(hint, WordsApart):
        (first, n), *others = hint.words
        alone = f"{first} is in {n} {plural(n, 'article')}"
        alone += "".join(f", {word} in {m}" for word, m in others)
        together = "both" if len(hint.words) == 2 else "all"
        return f"no article has {together} of them: {alone}"
    if isinstance(hint, SourceHint):
        named = f'--source "{hint.typed}"' if hint.option else f'source:"{hint.typed}"'
        if not hint.closest:
            return f"{named} names no source ('corpus sources' lists them)"
        closest = ", ".join(f'"{name}" ({n} {plural(n, "article")})' for name, n in hint.closest)
        return f"{named} names no source; closest: {closest}"
    f = hint.filters
    what = []
    if f.source is not None:
        what.append(f'in "{f.source}"')
    if f.cites is not None:
        what.append(f"citing {f.cites}")
    if f.date_from and f.date_to:
        what.append(f"between {f.date_from} and {f.date_to}")
    elif f.date_from:
        what.append(f"from {f.date_from} on")
    elif f.date_to:
        what.append(f"up to {f.date_to}")
    names = {
        "dates": "the dates",
        "source": "--source",
        "cites": "--cites",
        "filters": "the filters",
    }
    without = ", ".join(
        f"without {names[name]}: {n} {plural(n, 'article')}" for name, n in hint.without
    )
    return f"none {' '.join(what)}; {without}"


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
    if stats.languages:
        count_languages = len(stats.languages)
        lines.append(f"\n{count_languages} {plural(count_languages, 'language')}", style="bold")
        for code, count in sorted(stats.languages.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"\n  {count:>7}  {code}")
    terminal.out.print(lines)


def ingest(terminal: Terminal, report: IngestReport, index_path: str, verbose: bool) -> None:
    out = terminal.out
    summary = Text()
    summary.append(f"{report.added} added", style="green bold" if report.added else "")
    # Relabelled only when some were: the usual line stays the one users know.
    relabelled = f"{report.relabelled} relabelled, " if report.relabelled else ""
    summary.append(
        f", {report.updated} updated, {report.unchanged} unchanged, {relabelled}"
        f"{report.removed} removed, {len(report.duplicates)} duplicates, "
    )
    summary.append(f"{len(report.skipped)} skipped", style="yellow bold" if report.skipped else "")
    summary.append(f"  → {index_path}", style="dim")
    out.print(summary, soft_wrap=True)  # one line for whoever parses it, piped or not
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
        for path in report.hidden:
            line = Text("  hidden     ", style="dim")
            line.append(sanitize(path))
            line.append("  (a name starting with '.', not read)", style="dim")
            out.print(line, soft_wrap=True)
    elif report.ignored or report.hidden:
        parts = []
        if report.ignored:
            ignored = len(report.ignored)
            parts.append(f"{ignored} other {plural(ignored, 'file')} ignored")
        if report.hidden:
            hidden = len(report.hidden)
            parts.append(f"{hidden} hidden {'entry' if hidden == 1 else 'entries'} left out")
        out.print(Text(f"  {', '.join(parts)} (--verbose lists them)", style="dim"))
