"""The main screen's own widgets: the search box, the list of hits, the timeline bar.

Kept apart from the app so that the modal screens and the reader
(:mod:`.screens`), which most sessions never open or open later, are not loaded
before the first frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList

from corpus_cli.browse import views

if TYPE_CHECKING:
    import datetime

    from corpus_cli.browse.session import Timeline

#: Load the next page when the cursor comes this close to the last hit loaded.
MORE_MARGIN = 5


class SearchBox(Input):
    """The search box. Letters are typed here, so the footer shows the keys that still
    work while it has the focus: ↓ (or Esc) to the hits, Ctrl+Q to quit."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "app.to_hits", "Hits"),
        Binding("escape", "app.to_hits", "Hits", show=False),
        Binding("ctrl+q", "app.quit_app", "Quit"),
    ]


class HitList(OptionList):
    """The hits: one option a hit; asks for more when the cursor nears the end."""

    class NeedMore(Message):
        pass

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted is not None and highlighted >= self.option_count - MORE_MARGIN:
            self.post_message(self.NeedMore())

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.max_scroll_y and new >= self.max_scroll_y - 2:
            self.post_message(self.NeedMore())


class TimelineBar(Widget, can_focus=True):
    """The query's matches over time, one to three cells a period (views.bar_cells);
    choosing a period (← → and Enter, or a click) narrows the dates to it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Earlier", show=False),
        Binding("right", "move(1)", "Later", show=False),
        Binding("home", "move(-1000000)", show=False),
        Binding("end", "move(1000000)", show=False),
        Binding("enter", "choose", "Narrow to period"),
        Binding("escape", "leave", "Back", show=False),
    ]

    DEFAULT_CSS = """
    TimelineBar { height: 1; }
    TimelineBar:focus { background: $boost; }
    """

    class Chosen(Message):
        def __init__(self, first: datetime.date, last: datetime.date) -> None:
            super().__init__()
            self.first = first
            self.last = last

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.timeline: Timeline | None = None
        self.selected: int | None = None
        self.message: Text | None = None

    def show(self, timeline: Timeline | None, message: Text | None = None) -> None:
        self.timeline = timeline
        self.message = message
        self.selected = None
        if self.has_focus and timeline and timeline.bars:
            self.selected = _busiest(timeline)
        self.refresh()

    def render(self) -> Text:
        if self.message is not None:
            return self.message
        return views.timeline_bar(self.timeline, self.selected, self.size.width)

    def on_focus(self) -> None:
        if self.timeline and self.timeline.bars and self.selected is None:
            self.selected = _busiest(self.timeline)
        self.refresh()

    def on_blur(self) -> None:
        self.selected = None
        self.refresh()

    def action_move(self, step: int) -> None:
        if not self.timeline or not self.timeline.bars:
            return
        current = self.selected if self.selected is not None else 0
        self.selected = min(max(0, current + step), len(self.timeline.bars) - 1)
        self.refresh()

    def action_choose(self) -> None:
        if self.timeline and self.selected is not None:
            bar = self.timeline.bars[self.selected]
            self.post_message(self.Chosen(bar.first, bar.last))

    def action_leave(self) -> None:
        self.screen.query_one(HitList).focus()

    def on_click(self, event: events.Click) -> None:
        if not self.timeline or not self.timeline.bars:
            return
        offset = event.get_content_offset(self)
        if offset is None:
            return
        # The bars start after the first period's label and a space.
        cells = views.bar_cells(self.timeline, self.size.width)
        start = len(self.timeline.bars[0].period) + 1
        index = (offset.x - start) // cells
        if offset.x >= start and index < len(self.timeline.bars):
            self.selected = index
            self.action_choose()


def _busiest(timeline: Timeline) -> int:
    counts = [bar.count for bar in timeline.bars]
    return counts.index(max(counts))
