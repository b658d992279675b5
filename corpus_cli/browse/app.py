"""The full-screen browser: a search box, the hits, a reader, and narrowing by date,
source and order, on Textual.

Every question to the corpus runs in a worker thread (:class:`~.session.Session`
serialises them), so the screen keeps answering keys while a search runs. Each
search gets a number (``_generation``); a newer keystroke or narrowing takes a new
one, and what an older search finds is dropped when it arrives (and a search still
waiting for the store when it is superseded never runs). No text of an article is
ever given to a widget as a string: widgets parse strings as markup, so everything
goes in as Rich ``Text`` made by :mod:`.views`.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from corpus_cli.browse import views
from corpus_cli.browse.session import PAGE, Parsed, Request, Session, Superseded, Timeline
from corpus_cli.browse.views import plain
from corpus_cli.browse.widgets import HitList, SearchBox, TimelineBar
from corpus_cli.errors import CorpusError
from corpus_cli.model import Filters, SortOrder
from corpus_cli.render.display import sanitize, total_text

if TYPE_CHECKING:
    import datetime

    from corpus_cli.model import Hit, IndexStats, QueryTerms, SearchResult, SourceSummary

#: Seconds without a keystroke before a search starts, when keys come faster than
#: that or a search is still on its way: a burst of keys (a word typed in one go, a
#: paste) is one search. A key after a pause, with the screen up to date, searches at
#: once (the debounce's leading edge): waiting would only add to every keystroke.
DEBOUNCE = 0.03
#: Seconds the hits must stay current before the timeline is counted again: while
#: typing, the store is kept for the searches.
FACETS_DELAY = 0.3

SORTS: list[SortOrder] = ["relevance", "date", "-date"]


# -- the app ---------------------------------------------------------------------------


class BrowseApp(App[int]):
    """``corpus browse``: see the module's docstring."""

    TITLE = "corpus browse"
    ENABLE_COMMAND_PALETTE = False

    CSS = """
    #search { height: 3; }
    #narrowing, #status, TimelineBar { padding: 0 1; }
    #status { height: 1; }
    /* No border: the highlighted hit's colour says where the focus is, and at 80x24
       the two lines are a hit more. */
    #hits { height: 1fr; border: none; }
    #hits:focus { border: none; }
    #article-head { padding: 0 1; border-bottom: solid $primary; }
    #article-body { height: 1fr; padding: 0 1; }
    #reader-status { padding: 0 1; background: $boost; }
    ModalScreen { align: center middle; }
    #dialog {
        width: 80%; max-width: 90; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    #sources { height: auto; max-height: 20; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit_app", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("slash", "focus_search", "Search", show=False),
        Binding("d", "dates", "Dates"),
        Binding("s", "source", "Source"),
        Binding("o", "sort", "Order"),
        Binding("t", "timeline", "Timeline"),
        Binding("u", "clear", "Any date/source", show=False),
        Binding("c", "copy('id')", "Copy id"),
        Binding("p", "copy('path')", "Copy path", show=False),
        Binding("e", "export", "Export"),
        Binding("ctrl+q", "quit_app", "Quit", show=False),
    ]

    def __init__(
        self,
        location: str,
        query: str = "",
        filters: Filters | None = None,
        sort: SortOrder = "relevance",
        *,
        debounce: float = DEBOUNCE,
        facets_delay: float = FACETS_DELAY,
    ) -> None:
        super().__init__()
        self.session = Session(location)
        self.initial_query = query
        self.filters = filters or Filters()
        self.sort: SortOrder = sort
        self.debounce = debounce
        self.facets_delay = facets_delay
        self._facets_timer: Any = None
        self.stats: IndexStats | None = None
        self.opened = False
        #: The query given on the command line is searched before the index's counts
        #: are read (see _opened).
        self._stats_after_hits = False
        #: What keeps the index from being searched (no index, none at all...), if anything.
        self.failure: str | None = None
        self._generation = 0
        self._timer: Any = None
        self._typed_at: float | None = None
        self._last_key_at: float | None = None
        #: The search whose hits (or message) the screen shows: behind _generation
        #: while one is on its way.
        self._shown = 0
        self.parsed: Parsed | None = None
        self.result: SearchResult | None = None
        self.hits: list[Hit] = []
        self._loading_more = False
        #: Milliseconds from the last keystroke to its hits on the screen, for each search
        #: that a keystroke started (the status line shows the last one).
        self.latencies: list[float] = []

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SearchBox(
            self.initial_query,
            placeholder='Search: words, "a phrase", -word, a OR b, date:2020 …',
            id="search",
            select_on_focus=False,
        )
        yield Static(views.narrowing(self.filters, self.sort), id="narrowing")
        yield TimelineBar(id="timeline")
        yield Static(plain(f"Opening {self.session.location} …", "dim"), id="status")
        yield HitList(id="hits")
        yield Footer()

    @property
    def search_box(self) -> Input:
        return self.query_one("#search", Input)

    @property
    def hit_list(self) -> HitList:
        return self.query_one("#hits", HitList)

    @property
    def timeline(self) -> TimelineBar:
        return self.query_one("#timeline", TimelineBar)

    def status(self, text: Text) -> None:
        self.query_one("#status", Static).update(text)

    def on_mount(self) -> None:
        self.timeline.show(None, Text(""))
        self.search_box.focus()
        # After the first frame: the store's imports would otherwise hold the
        # interpreter while the screen is drawn for the first time.
        self.call_after_refresh(
            lambda: self.run_worker(self._open, thread=True, group="open", exit_on_error=False)
        )

    def on_unmount(self) -> None:
        self.session.close()

    # -- opening ---------------------------------------------------------------------

    def _open(self) -> None:
        try:
            self.session.open()
        except CorpusError as error:
            self.call_from_thread(self._failed, str(error))
        except Exception as error:  # a message in the app, never a traceback over it
            self.call_from_thread(self._failed, _unexpected(error))
        else:
            self.call_from_thread(self._opened)

    def _failed(self, message: str) -> None:
        self.failure = message
        self.status(plain(message, "bold red"))
        self.timeline.show(None, Text(""))

    def _opened(self) -> None:
        self.opened = True
        # The query's search first, the counts of the whole index once its hits are
        # shown: opening with a query then costs what one search costs. (Started at
        # once, the counts took the store as soon as the search let go of it and ran
        # beside the making of the hits' lines, which waited for the interpreter.)
        if self.search_box.value.strip():
            self.hit_list.focus()
            self._stats_after_hits = True
            self._start_search(typed=False)
        else:
            self._start_reading_stats()

    def _start_reading_stats(self) -> None:
        self._stats_after_hits = False
        self.run_worker(self._read_stats, thread=True, group="open", exit_on_error=False)

    def _read_stats(self) -> None:
        try:
            stats = self.session.read_stats()
        except CorpusError as error:
            self.call_from_thread(self._failed, str(error))
        except Exception as error:
            self.call_from_thread(self._failed, _unexpected(error))
        else:
            self.call_from_thread(self._stats_read, stats)

    def _stats_read(self, stats: IndexStats) -> None:
        self.stats = stats
        if stats.articles == 0:
            self._failed(
                f"The index at {self.session.location} has no articles yet: "
                "'corpus ingest PATH' adds some."
            )
        elif self.parsed is None and not self.search_box.value.strip():
            self._idle()

    def _idle(self) -> None:
        """No query: what the index holds, and what to do."""
        stats = self.stats
        if stats is None:
            return
        span = f", {stats.first_date} to {stats.last_date}" if stats.first_date else ""
        sources = len(stats.sources)
        self.status(
            plain(
                f"{stats.articles:,} articles{span}, {sources} "
                f"{'source' if sources == 1 else 'sources'}. Type words to search them."
            )
        )
        self.timeline.show(None, Text(""))

    # -- searching -------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search":
            return
        now = time.perf_counter()
        quiet = self._last_key_at is None or now - self._last_key_at >= self.debounce
        self._typed_at = self._last_key_at = now
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if quiet and self._shown == self._generation:
            self._start_search()
        else:
            self._timer = self.set_timer(self.debounce, self._start_search)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "search":
            return
        if self._timer is not None:  # a search not started yet: start it now
            self._timer.stop()
            self._start_search()
        self.hit_list.focus()

    def action_to_hits(self) -> None:
        self.hit_list.focus()

    def _start_search(self, typed: bool = True) -> None:
        self._timer = None
        self._generation += 1
        generation = self._generation
        self._loading_more = False
        started = self._typed_at if typed and self._typed_at is not None else time.perf_counter()
        self._typed_at = None
        if not self.opened or self.failure is not None:
            self._shown = generation  # nothing to wait for
            if self.failure is not None:
                self.status(plain(self.failure, "bold red"))
            return
        request = Request(self.search_box.value.strip(), self.filters, self.sort)
        self.query_one("#narrowing", Static).update(views.narrowing(self.filters, self.sort))
        if not request.text:
            self.parsed, self.result, self.hits = None, None, []
            self.hit_list.clear_options()
            self._idle()
            self._shown = generation
            return
        width, first = self._prompt_width(), self._first_page()
        self.run_worker(
            lambda: self._search(generation, request, started, width, first),
            thread=True,
            group="search",
            exit_on_error=False,
        )

    def _prompt_width(self) -> int:
        # The list's width but its scroll bar (2 cells) and the options' padding.
        return max(40, (self.hit_list.content_region.width or self.size.width) - 4)

    def _wanted(self, generation: int) -> Callable[[], bool]:
        return lambda: generation == self._generation

    def _first_page(self) -> int:
        """The hits the list shows at once (three lines each), and two more."""
        return max(8, (self.hit_list.size.height or self.size.height) // 3 + 2)

    def _search(
        self, generation: int, request: Request, started: float, width: int, first: int
    ) -> None:
        """In a worker: parse, search the first page, make its lines; hand them over."""
        try:
            parsed = Session.parse(request)
            result = self.session.search(parsed, 0, first, wanted=self._wanted(generation))
            prompts = self._prompts(result.hits, result.terms, width)
        except Superseded:
            return
        except CorpusError as error:
            self.call_from_thread(self._search_failed, generation, str(error))
            return
        except Exception as error:
            self.call_from_thread(self._search_failed, generation, _unexpected(error))
            return
        self.call_from_thread(self._show, generation, parsed, result, prompts, started)

    def _prompts(self, hits: list[Hit], terms: QueryTerms, width: int) -> list[Text]:
        return [views.hit_prompt(hit, terms, width, self.console) for hit in hits]

    def _search_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._shown = generation
        # The hits of the last query understood stay; the message says what went wrong.
        self.status(plain(message, "bold red"))
        if self._stats_after_hits:
            self._start_reading_stats()

    def _show(
        self,
        generation: int,
        parsed: Parsed,
        result: SearchResult,
        prompts: list[Text],
        started: float,
    ) -> None:
        if generation != self._generation:
            return  # a newer search is on its way: these hits are stale
        self._shown = generation
        if self.failure is not None:
            return  # the index turned out empty
        self.parsed, self.result, self.hits = parsed, result, list(result.hits)
        hit_list = self.hit_list
        hit_list.set_options(Option(prompt, id=str(n)) for n, prompt in enumerate(prompts))
        if prompts:
            hit_list.highlighted = 0
        hit_list.scroll_home(animate=False)
        self._status_line()
        self.timeline.show(self.timeline.timeline if self.timeline.timeline else None)

        def painted() -> None:
            self.latencies.append((time.perf_counter() - started) * 1000)
            self._status_line()
            if self._stats_after_hits:
                self._start_reading_stats()

        self.call_after_refresh(painted)
        if self._facets_timer is not None:
            self._facets_timer.stop()
        self._facets_timer = self.set_timer(
            self.facets_delay, lambda: self._start_facets(generation)
        )

    def _status_line(self) -> None:
        result = self.result
        if result is None or self.parsed is None:
            return
        total, exact = result.total, result.total_exact
        line = Text()
        line.append(total_text(total, exact, grouped=True), style="bold")
        line.append(f" {'article matches' if total == 1 and exact else 'articles match'} ")
        line.append(sanitize(self.parsed.request.text), style="bold")
        if total:
            line.append(f" · {len(self.hits)} loaded", style="dim")
        if self.latencies:
            line.append(f" · {self.latencies[-1]:.0f} ms", style="dim")
        if not total:
            line.append("  (u: any date and source)" if not self.filters.is_empty else "")
        self.status(line)

    # -- more hits -------------------------------------------------------------------

    def on_hit_list_need_more(self, event: HitList.NeedMore) -> None:
        result, parsed = self.result, self.parsed
        if result is None or parsed is None or self._loading_more:
            return
        if len(self.hits) >= result.total and result.total_exact:
            return
        self._loading_more = True
        generation, offset, width = self._generation, len(self.hits), self._prompt_width()

        def more() -> None:
            try:
                page = self.session.search(parsed, offset, PAGE, wanted=self._wanted(generation))
                prompts = self._prompts(page.hits, page.terms, width)
            except Superseded:
                return
            except Exception as error:
                message = str(error) if isinstance(error, CorpusError) else _unexpected(error)
                self.call_from_thread(self._search_failed, generation, message)
                return
            self.call_from_thread(self._more, generation, offset, page, prompts)

        self.run_worker(more, thread=True, group="more", exit_on_error=False)

    def _more(self, generation: int, offset: int, page: SearchResult, prompts: list[Text]) -> None:
        self._loading_more = False
        if generation != self._generation or offset != len(self.hits):
            return
        self.hits.extend(page.hits)
        result = self.result
        if result is not None and not result.total_exact and page.total_exact:
            # A page that reached the last match counted every one: the total is known.
            self.result = dataclasses.replace(result, total=page.total, total_exact=True)
        self.hit_list.add_options(
            Option(prompt, id=str(offset + n)) for n, prompt in enumerate(prompts)
        )
        self._status_line()

    # -- timeline --------------------------------------------------------------------

    def _start_facets(self, generation: int) -> None:
        self._facets_timer = None
        parsed = self.parsed
        if generation != self._generation or parsed is None:
            return
        # Typing has paused: read the next page too, so that scrolling finds it there.
        self.post_message(HitList.NeedMore())
        # Before its first layout the bar has no width yet: the screen's is what it gets.
        width = self.timeline.size.width or self.size.width
        bars = max(8, width - 40)

        def count() -> None:
            try:
                timeline = self.session.timeline(parsed, bars, wanted=self._wanted(generation))
            except Superseded:
                return
            except Exception as error:
                message = str(error) if isinstance(error, CorpusError) else _unexpected(error)
                self.call_from_thread(self._show_timeline, generation, None, message)
                return
            self.call_from_thread(self._show_timeline, generation, timeline, None)

        self.run_worker(count, thread=True, group="facets", exit_on_error=False)

    def _show_timeline(self, generation: int, timeline: Timeline | None, error: str | None) -> None:
        if generation != self._generation:
            return
        self.timeline.show(timeline, plain(error, "red") if error else None)

    def on_timeline_bar_chosen(self, event: TimelineBar.Chosen) -> None:
        self._narrow(Filters(event.first, event.last, self.filters.source, self.filters.cites))
        self.hit_list.focus()

    # -- narrowing -------------------------------------------------------------------

    def _narrow(self, filters: Filters | None = None, sort: SortOrder | None = None) -> None:
        if filters is not None:
            self.filters = filters
        if sort is not None:
            self.sort = sort
        self.query_one("#narrowing", Static).update(views.narrowing(self.filters, self.sort))
        if self._timer is not None:
            self._timer.stop()
        self._start_search(typed=False)

    def action_dates(self) -> None:
        def chosen(dates: tuple[datetime.date | None, datetime.date | None] | None) -> None:
            if dates is not None:
                self._narrow(Filters(dates[0], dates[1], self.filters.source, self.filters.cites))

        from corpus_cli.browse.screens import DatesScreen

        self.push_screen(DatesScreen(self.filters), chosen)

    def action_source(self) -> None:
        if not self.opened or self.failure is not None:
            return
        parsed, generation = self.parsed, self._generation
        without = Filters(self.filters.date_from, self.filters.date_to, None, self.filters.cites)

        def count() -> None:
            try:
                sources = self.session.sources(parsed, without)
            except Exception as error:
                message = str(error) if isinstance(error, CorpusError) else _unexpected(error)
                self.call_from_thread(self.status, plain(message, "bold red"))
                return
            self.call_from_thread(self._choose_source, generation, sources)

        self.run_worker(count, thread=True, group="sources", exit_on_error=False)

    def _choose_source(self, generation: int, sources: list[SourceSummary]) -> None:
        if generation != self._generation:
            return

        def chosen(source: str | None) -> None:
            if source is not None:
                f = self.filters
                self._narrow(Filters(f.date_from, f.date_to, source or None, f.cites))

        from corpus_cli.browse.screens import SourcesScreen

        self.push_screen(SourcesScreen(sources, self.filters.source), chosen)

    def action_sort(self) -> None:
        self._narrow(sort=SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)])

    def action_clear(self) -> None:
        self._narrow(Filters())

    def action_timeline(self) -> None:
        self.timeline.focus()

    def action_focus_search(self) -> None:
        self.search_box.focus()

    # -- reading, copying, exporting -------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "hits" or self.result is None:
            return
        index = event.option_index
        if 0 <= index < len(self.hits):
            from corpus_cli.browse.screens import ReaderScreen

            self.push_screen(ReaderScreen(self.hits[index], self.result.terms))

    def _current_hit(self) -> Hit | None:
        if self._over_hits():
            return None
        index = self.hit_list.highlighted
        if index is None or not 0 <= index < len(self.hits):
            return None
        return self.hits[index]

    def action_copy(self, what: str) -> None:
        from corpus_cli.browse.screens import ReaderScreen

        screen = self.screen
        if isinstance(screen, ReaderScreen):
            article = screen.article
        else:
            hit = self._current_hit()
            if hit is None:
                self.notify("No article to copy: choose a hit first.", severity="warning")
                return
            article = hit.article
        value = article.id if what == "id" else article.path
        self.copy_to_clipboard(value)
        self.notify(f"Copied {what}: {sanitize(value)}", markup=False)

    def action_export(self) -> None:
        parsed, result = self.parsed, self.result
        if parsed is None or result is None or not result.total:
            self.notify("No hits to export: search for something first.", severity="warning")
            return
        slug = re.sub(r"[^\w]+", "-", parsed.request.text.lower()).strip("-")[:40] or "hits"

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._export(parsed, path)

        from corpus_cli.browse.screens import ExportScreen

        hits = total_text(result.total, result.total_exact)
        self.push_screen(ExportScreen(f"corpus-{slug}.jsonl", hits), chosen)

    def _export(self, parsed: Parsed, path: Path) -> None:
        def write() -> None:
            try:
                written = self.session.export(parsed, path)
            except OSError as error:
                message = f"Cannot write {path}: {error.strerror or error}."
                self.call_from_thread(self.notify, message, severity="error", markup=False)
                return
            except Exception as error:
                message = str(error) if isinstance(error, CorpusError) else _unexpected(error)
                self.call_from_thread(self.notify, message, severity="error", markup=False)
                return
            kind = "CSV" if path.suffix.lower() == ".csv" else "JSON Lines"
            message = f"{written} hits written to {path.absolute()} ({kind})."
            self.call_from_thread(self.notify, sanitize(message), markup=False)

        self.run_worker(write, thread=True, group="export", exit_on_error=False)

    #: The app's keys that act on the list of hits, hidden (and idle) over the reader.
    LIST_ACTIONS = frozenset({"dates", "source", "sort", "timeline", "clear", "export"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_search" and isinstance(self.focused, SearchBox):
            return False  # already there
        if action in self.LIST_ACTIONS or action == "focus_search":
            return not self._over_hits()
        return True

    def _over_hits(self) -> bool:
        """True when the reader or a dialog covers the hits (the keys of the list rest)."""
        return len(self.screen_stack) > 1

    # -- help and quitting -----------------------------------------------------------

    def action_help(self) -> None:
        from corpus_cli.browse.screens import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_quit_app(self) -> None:
        self.exit(0)

    # -- for tests and measurements --------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while a search is waited for or running, or its hits are not shown."""
        if self._timer is not None or self._facets_timer is not None:
            return True
        if not self.opened and self.failure is None:
            return True  # the index is being opened
        return any(
            worker.is_running or not worker.is_finished
            for worker in self.workers
            if worker.group in ("open", "search", "more", "facets", "sources", "export")
        )


def _unexpected(error: BaseException) -> str:
    return f"unexpected error: {type(error).__name__}: {error}"
