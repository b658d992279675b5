"""The screens over the hits: help, dates, sources, export, and the reader.

Loaded the first time one of them opens (see :mod:`.widgets`).
"""

from __future__ import annotations

import datetime  # noqa: F401 -- named in DatesScreen's result type, a string ruff does not read
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from corpus_cli.browse import views
from corpus_cli.browse.views import plain
from corpus_cli.errors import CorpusError
from corpus_cli.model import Filters
from corpus_cli.render.display import sanitize

if TYPE_CHECKING:
    from corpus_cli.model import Hit, QueryTerms, SourceSummary

HELP = [
    ("Search box", ""),
    ("typing", "searches as you type (same language as corpus search)"),
    ("Enter, ↓, Esc", "to the hits"),
    ("Hits", ""),
    ("↑ ↓ PgUp PgDn", "move; more hits load as you go down"),
    ("Enter, click", "read the article"),
    ("/", "back to the search box"),
    ("d", "date range (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("s", "source, with each source's matches"),
    ("o", "order: relevance, oldest first, newest first"),
    ("t", "timeline: ← → choose a period, Enter narrows to it"),
    ("u", "undo the narrowing: any date, any source"),
    ("c / p", "copy the article's id / path"),
    ("e", "export the hits (.jsonl, or .csv)"),
    ("Reader", ""),
    ("n / N", "next / previous match"),
    ("↑ ↓ PgUp PgDn", "scroll"),
    ("Esc", "back to the hits, where you were"),
    ("Anywhere", ""),
    ("?", "this help"),
    ("q, Ctrl+Q", "quit"),
]


# -- modal screens ---------------------------------------------------------------------


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close"),
    ]

    def compose(self) -> ComposeResult:
        from rich.table import Table

        # A table, so that a description that wraps stays in its column.
        table = Table(box=None, show_header=False, pad_edge=False, expand=True)
        table.add_column(no_wrap=True, style="bold")
        table.add_column(ratio=1)
        for key, what in HELP:
            if what:
                table.add_row(Text("  " + key), Text(what))
            else:
                table.add_row(Text(key, style="bold underline"), Text(""))
        table.add_row(Text(""), Text(""))
        table.add_row(Text(""), Text("Esc or ? closes this help", style="dim"))
        with VerticalScroll(id="dialog"):
            yield Static(table, id="help")


class DatesScreen(ModalScreen["tuple[datetime.date | None, datetime.date | None] | None"]):
    """From and to, as the command line takes them; empty for no bound."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Cancel")]

    def __init__(self, filters: Filters) -> None:
        super().__init__()
        self.filters = filters

    def compose(self) -> ComposeResult:
        start = self.filters.date_from.isoformat() if self.filters.date_from else ""
        end = self.filters.date_to.isoformat() if self.filters.date_to else ""
        with Vertical(id="dialog"):
            yield Static(Text("Dates: YYYY, YYYY-MM or YYYY-MM-DD; empty for no bound"))
            yield Input(start, placeholder="from", id="from")
            yield Input(end, placeholder="to", id="to")
            yield Static(Text("Enter applies · Esc cancels", style="dim"), id="dates-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from corpus_cli.text.dates import parse_cli_date

        texts = [self.query_one(f"#{name}", Input).value.strip() for name in ("from", "to")]
        try:
            first = parse_cli_date(texts[0]) if texts[0] else None
            last = parse_cli_date(texts[1], end=True) if texts[1] else None
            Filters(first, last)  # refuses a range that ends before it starts
        except CorpusError as error:
            self.query_one("#dates-error", Static).update(plain(str(error), "red"))
            return
        self.dismiss((first, last))


class SourcesScreen(ModalScreen["str | None"]):
    """The sources with their matches for the current query; "" for any source."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Cancel")]

    def __init__(self, sources: list[SourceSummary], current: str | None) -> None:
        super().__init__()
        self.sources = sources
        self.current = current

    def compose(self) -> ComposeResult:
        width = max((len(str(s.count)) for s in self.sources), default=1)
        options = [Option(Text("any source", style="italic"), id="")]
        for summary in self.sources:
            line = Text(f"{summary.count:>{width}}  ", style="bold")
            line.append(sanitize(summary.source or "unknown source"), style="cyan")
            options.append(Option(line))
        with Vertical(id="dialog"):
            yield Static(Text("Source (matches of the current search)"))
            yield OptionList(*options, id="sources")

    def on_mount(self) -> None:
        names = [s.source for s in self.sources]
        listed = self.query_one(OptionList)
        listed.highlighted = names.index(self.current) + 1 if self.current in names else 0
        listed.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        self.dismiss("" if index == 0 else self.sources[index - 1].source)


class ExportScreen(ModalScreen["Path | None"]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Cancel")]

    def __init__(self, suggested: str, total: str) -> None:
        super().__init__()
        self.suggested = suggested
        self.total = total

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(
                Text(
                    f"Export the {self.total} hits as search --json writes them "
                    "(a .csv name: as --format csv)"
                )
            )
            yield Input(self.suggested, id="export-path")
            yield Static(Text("Enter writes · Esc cancels", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        self.dismiss(Path(value).expanduser() if value else None)


# -- the reader ------------------------------------------------------------------------


class ReaderScreen(Screen[None]):
    """One article whole, its matches highlighted; n/N go from match to match."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("n", "match(1)", "Next match"),
        Binding("N,shift+n", "match(-1)", "Prev match"),
        Binding("c", "app.copy('id')", "Copy id"),
        Binding("p", "app.copy('path')", "Copy path", show=False),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit_app", "Quit"),
    ]

    def __init__(self, hit: Hit, terms: QueryTerms) -> None:
        super().__init__()
        from corpus_cli.text.snippets import find_matches

        self.article = hit.article
        self.terms = terms
        self.spans = find_matches(hit.article.text, terms, hit.article.language)
        self.current: int | None = None
        self.body: views.Body | None = None

    def compose(self) -> ComposeResult:
        yield Static(views.header(self.article, self.terms), id="article-head")
        with VerticalScroll(id="article-body"):
            yield Static(Text(""), id="article-text")
        yield Static(self._status(), id="reader-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#article-body").focus()
        # The body's width is known once it is laid out, not yet when it is mounted.
        self.call_after_refresh(self._wrap)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._wrap)

    def _wrap(self) -> None:
        scroller = self.query_one("#article-body", VerticalScroll)
        # The scroll bar takes two cells of the width; keep a margin for it.
        width = max(20, scroller.size.width - 3)
        if self.body is None or self.body.width != width:
            self.body = views.Body(self.article.text, self.spans, width, self.app.console)
            self._draw()

    def _draw(self) -> None:
        if self.body is None:
            return
        self.query_one("#article-text", Static).update(self.body.render(self.current))
        self.query_one("#reader-status", Static).update(self._status())

    def _status(self) -> Text:
        found = len(self.spans)
        if not found:
            return Text("no match of the search in the text", style="dim")
        where = f"match {self.current + 1} of {found}" if self.current is not None else ""
        text = Text(where or f"{found} {'match' if found == 1 else 'matches'}", style="bold")
        text.append("  n next · N previous", style="dim")
        return text

    def action_match(self, step: int) -> None:
        if not self.spans or self.body is None:
            return
        if self.current is None:
            self.current = 0 if step > 0 else len(self.spans) - 1
        else:
            self.current = (self.current + step) % len(self.spans)
        self._draw()
        line = self.body.line_of(self.spans[self.current][0])
        scroller = self.query_one("#article-body", VerticalScroll)
        # A few lines of context above the match, when there are any.
        scroller.scroll_to(y=max(0, line - 3), animate=False)
