"""The browser's pieces of text, drawn with Rich alone: a hit in the list, the reader's
header and body, the timeline's bars, the narrowing line.

Article text is data, never markup: every value goes in as :class:`rich.text.Text`
through :func:`~corpus_cli.render.display.sanitize`, never as a string that Rich or
Textual would parse; control bytes become visible stand-ins. The widgets and screens
(``app.py``, ``widgets.py``, ``screens.py``) only place what these functions return.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from rich.text import Text

from corpus_cli.render.display import (
    MATCH_STYLE,
    date_style,
    display_date,
    marked,
    sanitize,
    title_text,
)

if TYPE_CHECKING:
    from rich.console import Console

    from corpus_cli.browse.session import Timeline
    from corpus_cli.model import Filters, Hit, QueryTerms, SortOrder, StoredArticle

#: The match the reader's n/N moved to, apart from the others (underlined, so that it
#: stands out under NO_COLOR too, where every colour becomes a grey).
CURRENT_MATCH_STYLE = "bold black on dark_orange underline"
_SPARKS = "▁▂▃▄▅▆▇█"
_DATE_WIDTH = 11  # "≈2023-04-19"
_SOURCE_WIDTH = 18


def plain(text: str, style: str = "") -> Text:
    """A message as literal text (it may quote a query or a path)."""
    return Text(sanitize(text), style=style)


def _cut(text: Text, width: int) -> Text:
    text.truncate(max(1, width), overflow="ellipsis")
    return text


def hit_prompt(hit: Hit, terms: QueryTerms, width: int, console: Console) -> Text:
    """A hit in the list: date, source and title on one line, then the best fragment
    (at most two lines), indented, every match highlighted."""
    from corpus_cli.text.snippets import find_matches, make_snippet

    article = hit.article
    width = max(40, width)
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(display_date(article).ljust(_DATE_WIDTH), style=date_style(article))
    line.append(" ")
    source = _cut(Text(sanitize(article.source or "unknown source"), style="cyan"), _SOURCE_WIDTH)
    line.append_text(source)
    line.append(" " * (_SOURCE_WIDTH - source.cell_len + 2))
    if article.title:
        title = marked(article.title, find_matches(article.title, terms, article.language), "bold")
    else:
        title = title_text(article, "bold")  # its first words, marked ≈, as everywhere
    line.append_text(title)
    _cut(line, width)
    snippet = make_snippet(
        article.text, terms, width=2 * (width - 4), fragments=1, language=article.language
    )
    body = marked(snippet.text, snippet.spans, "")
    lines = body.wrap(console, width - 2, overflow="fold")
    out = [line]
    for n, piece in enumerate(lines[:2]):
        piece.rstrip()
        if n == 1 and len(lines) > 2:
            piece = _cut(piece.append(" …"), width - 2)
        out.append(Text("  ").append_text(piece))
    return Text("\n").join(out)


def header(article: StoredArticle, terms: QueryTerms | None) -> Text:
    """The reader's header: title, date with its evidence, source, url, file, id."""
    from corpus_cli.text.snippets import find_matches

    lines: list[Text] = []
    if article.title:
        found = find_matches(article.title, terms, article.language) if terms else []
        lines.append(marked(article.title, found, "bold"))
    else:
        lines.append(title_text(article, "bold"))
    when = Text(display_date(article), style=date_style(article))
    if article.date is not None and article.date_evidence:
        how = "inferred from" if article.date_inferred else "from"
        when.append(f"  date {how}: ", style="dim")
        when.append(f"“{sanitize(article.date_evidence.strip())}”", style="dim")
    lines.append(when)
    where = Text(sanitize(article.source or "unknown source"), style="cyan")
    if article.url:
        where.append("  ")
        where.append(sanitize(article.url), style="underline")
    lines.append(where)
    lines.append(Text(f"file: {sanitize(article.path)}  ·  id: {sanitize(article.id)}", "dim"))
    return Text("\n").join(lines)


class Body:
    """An article's whole text wrapped to a width, and the line each match falls on.

    The reader wraps the text itself, rather than letting the widget do it, so that it
    knows which line to scroll to for the n-th match.
    """

    def __init__(self, text: str, spans: list[tuple[int, int]], width: int, console: Console):
        # Tabs as one space each: offsets stay those of the matches.
        self.plain = sanitize(text).replace("\t", " ")
        self.spans = spans
        self.width = max(20, width)
        self._console = console
        styled = Text(self.plain)
        for start, end in spans:
            styled.stylize(MATCH_STYLE, start, end)
        self._lines = list(styled.wrap(console, self.width, overflow="fold"))
        self._starts = _line_starts(self.plain, [line.plain for line in self._lines])

    def line_of(self, offset: int) -> int:
        """The wrapped line that holds character ``offset``."""
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def render(self, current: int | None = None) -> Text:
        """The wrapped text; match number ``current`` (from 0) in its own style."""
        if current is None or not self.spans:
            return Text("\n").join(self._lines)
        start, end = self.spans[current]
        first, last = self.line_of(start), self.line_of(max(start, end - 1))
        lines = list(self._lines)
        for n in range(first, last + 1):
            line = lines[n].copy()
            base = self._starts[n]
            line.stylize(CURRENT_MATCH_STYLE, max(0, start - base), max(0, end - base))
            lines[n] = line
        return Text("\n").join(lines)


def _line_starts(plain: str, lines: list[str]) -> list[int]:
    """Where each wrapped line starts in ``plain``: each line is a piece of it, in order,
    with perhaps the white space at the break left out."""
    starts: list[int] = []
    position = 0
    for line in lines:
        core = line.strip()
        if core:
            found = plain.find(core, position)
            if found >= 0:
                position = found
            # The line as drawn may begin with the spaces before its first word.
            leading = len(line) - len(line.lstrip())
            starts.append(max(0, position - leading))
            position += len(core)
        else:
            starts.append(position)
    return starts


def bar_cells(timeline: Timeline, width: int) -> int:
    """Cells a period takes: one when many periods share the width, up to three when
    a few years would make a sparkline too small to read or to click."""
    labels = len(timeline.bars[0].period) + len(timeline.bars[-1].period) + 2
    room = width - labels - 24  # and the chosen period's count after it
    return max(1, min(3, room // max(1, len(timeline.bars))))


def timeline_bar(timeline: Timeline | None, selected: int | None, width: int) -> Text:
    """``2011 ▃▁▁▅▆█ 2021`` with the chosen period reversed, and what it holds."""
    if timeline is None or not timeline.bars:
        return Text("no dated matches", style="dim")
    bars = timeline.bars
    cells = bar_cells(timeline, width)
    highest = max(bar.count for bar in bars) or 1
    line = Text()
    line.append(bars[0].period + " ", style="dim")
    for n, bar in enumerate(bars):
        level = 0 if bar.count == 0 else 1 + round((bar.count / highest) * (len(_SPARKS) - 2))
        style = "reverse bold" if n == selected else ("dim" if bar.count == 0 else "magenta")
        line.append(_SPARKS[level] * cells, style=style)
    if len(bars) > 1:
        line.append(" " + bars[-1].period, style="dim")
    if selected is not None:
        bar = bars[selected]
        line.append(f"  {bar.period}: {bar.count}", style="bold")
    elif timeline.coarser:
        line.append(f"  (+{timeline.coarser} dated by {_coarser_name(timeline.by)})", style="dim")
    _cut(line, width)
    return line


def _coarser_name(by: str) -> str:
    return "year" if by == "month" else "month or year"


def narrowing(filters: Filters, sort: SortOrder) -> Text:
    """The narrowing in force, in words: dates, source, order."""
    line = Text()
    line.append("dates ", style="dim")
    if filters.date_from or filters.date_to:
        start = filters.date_from.isoformat() if filters.date_from else "…"
        end = filters.date_to.isoformat() if filters.date_to else "…"
        line.append(f"{start} – {end}", style="bold")
    else:
        line.append("any")
    line.append(" · source ", style="dim")
    if filters.source:
        line.append(sanitize(filters.source), style="bold cyan")
    else:
        line.append("any")
    line.append(" · sort ", style="dim")
    line.append({"relevance": "relevance", "date": "oldest first", "-date": "newest first"}[sort])
    return line
