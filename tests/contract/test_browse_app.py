"""``corpus browse``, driven headless with Textual's own harness on each backend.

Each test opens the app on a fresh index (``backend``), types and presses keys
through the Pilot, and reads what a user would read: the text on the screen, the
hits in the list, the status line, the files an export writes. The app runs in
``asyncio.run`` inside plain tests (no pytest plugin for asyncio is needed).
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from corpus_cli.browse import session as session_module
from corpus_cli.browse import views
from corpus_cli.browse.app import BrowseApp
from corpus_cli.browse.screens import ReaderScreen
from corpus_cli.browse.widgets import HitList
from corpus_cli.model import Filters

from .conftest import Backend, article, write

Script = Callable[[BrowseApp, Pilot[int]], Awaitable[None]]


def drive(
    location: str,
    script: Script,
    query: str = "",
    *,
    size: tuple[int, int] = (100, 30),
    filters: Filters | None = None,
    notifications: bool = False,
    debounce: float = 0.01,
) -> BrowseApp:
    """Run the app on ``location`` until ``script`` is done; the app, for its return value."""
    app = BrowseApp(location, query, filters, debounce=debounce, facets_delay=0.01)

    async def main() -> None:
        async with app.run_test(size=size, notifications=notifications) as pilot:
            await settle(app, pilot)
            await script(app, pilot)

    asyncio.run(main())
    return app


async def settle(app: BrowseApp, pilot: Pilot[int]) -> None:
    """Wait until no search is pending or running and its hits are on the screen."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        await pilot.pause()
        if not app.busy:
            await pilot.pause()
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the app was still busy after 20 s")


async def type_text(app: BrowseApp, pilot: Pilot[int], text: str) -> None:
    """Focus the search box, empty it and type ``text`` key by key."""
    app.search_box.focus()
    app.search_box.value = ""
    await pilot.press(*[("space" if c == " " else c) for c in text])
    await settle(app, pilot)


async def paste(app: BrowseApp, pilot: Pilot[int], text: str) -> None:
    """Put ``text`` in the search box at once, as pasting it would."""
    app.search_box.focus()
    app.search_box.value = text
    await settle(app, pilot)


def screen_text(app: BrowseApp) -> str:
    """The characters on the screen, line by line, as the terminal would show them."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def notifications(app: BrowseApp) -> list[str]:
    """The messages of the notifications shown (a long one wraps on the screen)."""
    return [note.message for note in app._notifications]


def status(app: BrowseApp) -> str:
    return str(app.query_one("#status").render())


def hit_ids(app: BrowseApp) -> list[str]:
    return [hit.article.id for hit in app.hits]


def listed(app: BrowseApp) -> list[str]:
    """The text of each option of the hit list, as shown."""
    hits = app.query_one(HitList)
    return [str(hits.get_option_at_index(n).prompt) for n in range(hits.option_count)]


# -- searching ---------------------------------------------------------------------------


def test_typing_searches_and_shows_dates_sources_titles_and_fragments(giornale: Backend) -> None:
    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        assert "5 articles, 2022-12 to 2023-04-19, 2 sources" in status(app)
        await type_text(app, pilot, "esercitazione")
        assert status(app).startswith("2 articles match esercitazione")
        assert sorted(hit_ids(app)) == ["b", "e"]
        shown = {line.splitlines()[0]: line.splitlines()[1:] for line in listed(app)}
        # e is undated, b dated from its metadata; each line has its source and title.
        columns = {tuple(re.split(r" {2,}", first)): rest for first, rest in shown.items()}
        assert set(columns) == {
            ("2022-12-30", "Gazzetta", "Esercitazioni navali russe"),
            ("undated", "Carlino", "Una esercitazione a scuola"),
        }
        fragment = columns[("2022-12-30", "Gazzetta", "Esercitazioni navali russe")]
        assert fragment == [
            "  Nuove esercitazioni congiunte nel Mar Baltico, seguite anche da Modena, "
            "secondo la Tass."
        ]
        # The matches are highlighted in title and fragment, and nothing else is.
        hits = app.query_one(HitList)
        prompt = hits.get_option_at_index(hit_ids(app).index("b")).prompt
        marked = {prompt.plain[s.start : s.end] for s in prompt.spans if "yellow" in str(s.style)}
        assert marked == {"Esercitazioni", "esercitazioni"}
        screen = screen_text(app)
        assert "Esercitazioni navali russe" in screen and "Una esercitazione a scuola" in screen

    drive(giornale.location, script)


def test_an_inferred_date_is_marked(seeded: Backend) -> None:
    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        await type_text(app, pilot, "kherson")
        assert [line[:12] for line in listed(app)] == ["≈2022-12-30 "]

    drive(seeded.location, script)


def test_the_query_given_on_the_command_line_is_searched_at_once(giornale: Backend) -> None:
    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        assert app.search_box.value == "modena"
        assert status(app).startswith("5 articles match modena")
        assert app.focused is app.query_one(HitList)  # keys work at once

    drive(giornale.location, script, "modena")


def test_a_newer_keystroke_wins_over_a_slow_older_search(
    giornale: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_search = session_module.Session.search

    def slow_for_stato(self: session_module.Session, parsed: Any, *args: Any, **kw: Any) -> Any:
        result = real_search(self, parsed, *args, **kw)
        if parsed.request.text == "stato":
            time.sleep(0.5)  # its answer arrives after the next search was asked for
        return result

    monkeypatch.setattr(session_module.Session, "search", slow_for_stato)

    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        app.search_box.focus()
        await pilot.press(*"stato")
        await asyncio.sleep(0.1)  # the slow search is running now
        assert app.busy
        app.search_box.value = ""
        await pilot.press(*"derby")
        await settle(app, pilot)
        # The screen never went back to the older query's hits.
        assert status(app).startswith("1 article matches derby")
        assert hit_ids(app) == ["d"]

    drive(giornale.location, script)


def test_a_burst_of_keys_is_one_search_after_the_first(
    giornale: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    searched: list[str] = []
    real_search = session_module.Session.search

    def counted(self: session_module.Session, parsed: Any, *args: Any, **kw: Any) -> Any:
        if not args or args[0] == 0:  # first pages only, not the next page read later
            searched.append(parsed.request.text)
        return real_search(self, parsed, *args, **kw)

    monkeypatch.setattr(session_module.Session, "search", counted)

    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        app.search_box.focus()
        await pilot.press(*"derby")  # much faster than the debounce of 0.5 s
        await settle(app, pilot)
        # The first key after a pause searches at once; the rest wait for the burst's end.
        assert searched == ["d", "derby"]
        assert hit_ids(app) == ["d"]

    drive(giornale.location, script, debounce=0.5)


def test_more_hits_load_as_the_cursor_goes_down(backend: Backend, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for n in range(70):
        write(folder, f"n{n:02d}.txt", article(f"Cronaca numero {n} da Modena.", date="2020-01"))
    backend.ingest(folder)

    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        await type_text(app, pilot, "cronaca")
        assert status(app).startswith("70 articles match cronaca")
        # What the screen shows, and the page read when typing paused: not all 70.
        assert len(app.hits) < 70
        app.query_one(HitList).focus()
        for _ in range(8):
            await pilot.press("pagedown")
            await settle(app, pilot)
        assert len(app.hits) == 70
        assert len(set(hit_ids(app))) == 70  # pages neither overlap nor skip
        assert "70 loaded" in status(app)

    drive(backend.location, script)


# -- messages instead of tracebacks ------------------------------------------------------


def test_no_index_is_a_message_inside_the_app(backend: Backend) -> None:
    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        assert app.failure is not None
        assert status(app) == app.failure
        await type_text(app, pilot, "modena")  # typing does no harm
        assert status(app) == app.failure
        app.query_one(HitList).focus()
        await pilot.press("q")

    app = drive(backend.new_location(), script)
    assert app.return_value == 0
    assert app.failure is not None and "corpus ingest" in app.failure


def test_an_empty_index_is_a_message_inside_the_app(backend: Backend, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    backend.run("ingest", str(empty))  # creates the index, adds nothing

    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        assert "has no articles yet" in status(app)
        await type_text(app, pilot, "modena")
        assert "has no articles yet" in status(app)

    drive(backend.location, script)


@pytest.mark.parametrize("query", ["NOT gas", "rapina date:2020..2019"])
def test_a_malformed_query_is_a_message_and_the_last_hits_stay(
    giornale: Backend, query: str
) -> None:
    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        await type_text(app, pilot, "derby")
        await paste(app, pilot, query)
        assert "nothing can match" in status(app) or "no words to search" in status(app)
        assert hit_ids(app) == ["d"]
        await type_text(app, pilot, "derby OR esercito")
        assert sorted(hit_ids(app)) == ["a", "d"]

    drive(giornale.location, script)


# -- hostile text ------------------------------------------------------------------------

HOSTILE_TITLE = "Titolo \x1b]0;pwned\x07 [bold red]rosso[/] \x9b31m fine"
HOSTILE_BODY = (
    "Testo ostile \x1b[2J\x1b[31m rosso [link=http://x]clic[/link] e \x07 campanello "
    "e \x9b1;1H e \x1bP1$qm\x1b\\ fine esercitazioni."
)


def test_markup_and_control_bytes_in_articles_are_shown_literally(
    backend: Backend, tmp_path: Path
) -> None:
    folder = tmp_path / "hostile"
    write(folder, "evil.txt", article(HOSTILE_BODY, title=HOSTILE_TITLE, source="[b]Fonte[/b]"))
    backend.ingest(folder)

    def check(screen: str) -> None:
        assert not {"\x1b", "\x07", "\x9b"} & set(screen), repr(screen)

    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        await type_text(app, pilot, "esercitazioni")
        screen = screen_text(app)
        check(screen)
        assert "[bold red]rosso[/]" in screen
        assert "[b]Fonte[/b]" in screen
        assert "␛]0;pwned␇" in screen  # seen, never obeyed
        await pilot.press("enter", "enter")  # to the hits, then read the first
        await settle(app, pilot)
        assert isinstance(app.screen, ReaderScreen)
        screen = screen_text(app)
        check(screen)
        assert "[bold red]rosso[/]" in screen
        assert "[link=http://x]clic[/link]" in screen
        assert "[b]Fonte[/b]" in screen
        await pilot.press("c")
        await pilot.pause()
        check(screen_text(app))

    drive(backend.location, script, notifications=True)


# -- the reader --------------------------------------------------------------------------

LONG = "\n\n".join(
    [
        "La rapina del mattino in via Emilia.",
        *[f"Paragrafo {n} senza nulla da segnalare, solo cronaca cittadina." for n in range(40)],
        "Una seconda rapina nel pomeriggio.",
        *[f"Altro paragrafo {n} di cronaca qualunque." for n in range(40)],
        "La terza rapina a sera.",
    ]
)


def test_the_reader_shows_the_article_and_n_and_shift_n_go_from_match_to_match(
    backend: Backend, tmp_path: Path
) -> None:
    folder = tmp_path / "long"
    write(folder, "long.txt", article(LONG, title="Tre rapine", source="Gazzetta", date="2021-03"))
    for n in range(3):
        write(folder, f"short{n}.txt", article(f"Una rapina breve numero {n}.", date="2020"))
    backend.ingest(folder)

    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        await type_text(app, pilot, "rapina")
        # The short ones have no title: their first words stand in, marked ≈ as everywhere.
        assert any("≈ Una rapina breve numero 0." in line for line in listed(app))
        await pilot.press("enter")  # to the list
        index = hit_ids(app).index("long")
        app.query_one(HitList).highlighted = index
        await pilot.press("enter")  # read it
        await settle(app, pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        screen = screen_text(app)
        assert "Tre rapine" in screen and "2021-03" in screen and "Gazzetta" in screen
        assert str(folder / "long.txt") in screen
        assert "La rapina del mattino in via Emilia." in screen
        assert "3 matches" in screen
        body = reader.query_one("#article-body")
        positions = []
        for expected in ("match 1 of 3", "match 2 of 3", "match 3 of 3"):
            await pilot.press("n")
            await pilot.pause()
            assert expected in screen_text(app)
            positions.append(body.scroll_y)
        assert positions[0] < positions[1] < positions[2]
        assert "La terza rapina a sera." in screen_text(app)  # scrolled to it
        await pilot.press("N")
        await pilot.pause()
        assert "match 2 of 3" in screen_text(app)
        assert "Una seconda rapina nel pomeriggio." in screen_text(app)
        await pilot.press("n", "n")  # past the last: round to the first
        await pilot.pause()
        assert "match 1 of 3" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReaderScreen)
        assert app.query_one(HitList).highlighted == index  # where the user was

    drive(backend.location, script)


# -- narrowing ---------------------------------------------------------------------------


def test_source_list_with_counts_narrows_to_the_source_chosen(giornale: Backend) -> None:
    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        await type_text(app, pilot, "modena")
        await pilot.press("enter", "s")
        await settle(app, pilot)
        screen = screen_text(app)
        assert "any source" in screen
        assert "3  Carlino" in screen and "2  Gazzetta" in screen
        await pilot.press("down", "enter")  # the first source: Carlino, 3 matches
        await settle(app, pilot)
        assert app.filters.source == "Carlino"
        assert sorted(hit_ids(app)) == ["c", "d", "e"]
        assert "source Carlino" in screen_text(app)
        await pilot.press("u")  # any date, any source again
        await settle(app, pilot)
        assert len(app.hits) == 5

    drive(giornale.location, script)


def test_dates_and_order_narrow_and_sort(giornale: Backend) -> None:
    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        await type_text(app, pilot, "modena")
        await pilot.press("enter", "d")
        await pilot.pause()
        await pilot.press(*"2022-12", "tab", *"2022-12", "enter")
        await settle(app, pilot)
        assert sorted(hit_ids(app)) == ["a", "b"]
        assert "dates 2022-12-01 – 2022-12-31" in screen_text(app)
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one("#from").value = ""  # type: ignore[attr-defined]
        app.screen.query_one("#to").value = ""  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("o")  # oldest first, undated last
        await settle(app, pilot)
        assert hit_ids(app) == ["a", "b", "c", "d", "e"]
        assert "sort oldest first" in screen_text(app)
        await pilot.press("o")
        await settle(app, pilot)
        assert hit_ids(app) == ["d", "c", "b", "a", "e"]

    drive(giornale.location, script)


def test_a_bad_date_is_a_message_in_the_dialog(giornale: Backend) -> None:
    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        await type_text(app, pilot, "modena")
        await pilot.press("enter", "d", *"2022-13", "enter")
        await pilot.pause()
        assert "'2022-13' is not a date" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.filters == Filters()
        assert len(app.hits) == 5

    drive(giornale.location, script)


def test_the_timeline_shows_the_matches_and_choosing_a_period_narrows(
    giornale: Backend,
) -> None:
    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        await type_text(app, pilot, "modena")
        timeline = app.timeline.timeline
        assert timeline is not None and timeline.by == "month"  # 2022-12 to 2023-04
        counts = {bar.period: bar.count for bar in timeline.bars}
        # a (2022-12) and b (2022-12-30) in December; d in April; c is dated to a year.
        assert counts == {"2022-12": 2, "2023-01": 0, "2023-02": 0, "2023-03": 0, "2023-04": 1}
        assert timeline.coarser == 1
        assert "2022-12 █" in screen_text(app)
        await pilot.press("enter", "t")  # the busiest period is chosen first
        await pilot.pause()
        assert "2022-12: 2" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.filters.date_from is not None and app.filters.date_to is not None
        assert (str(app.filters.date_from), str(app.filters.date_to)) == (
            "2022-12-01",
            "2022-12-31",
        )
        assert sorted(hit_ids(app)) == ["a", "b"]
        # Now by day: December's days, 2022-12-30 holding b (a is dated to the month).
        timeline = app.timeline.timeline
        assert timeline is not None and timeline.by == "day"
        await pilot.press("u")
        await settle(app, pilot)
        # A click on April's bar (the fifth period, after the label "2022-12 ").
        cells = views.bar_cells(app.timeline.timeline, app.timeline.size.width)  # type: ignore[arg-type]
        await pilot.click("#timeline", offset=(1 + len("2022-12 ") + 4 * cells, 0))
        await settle(app, pilot)
        assert (str(app.filters.date_from), str(app.filters.date_to)) == (
            "2023-04-01",
            "2023-04-30",
        )
        # d is of 2023-04-19; c, dated to the year 2023, overlaps April as on the command line.
        assert sorted(hit_ids(app)) == ["c", "d"]

    drive(giornale.location, script)


# -- copying, exporting, help, quitting --------------------------------------------------


def test_copy_id_and_path(giornale: Backend, giornale_folder: Path) -> None:
    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        await type_text(app, pilot, "derby")
        await pilot.press("enter", "c")
        await pilot.pause()
        assert app.clipboard == "d"
        assert "Copied id: d" in screen_text(app)
        await pilot.press("enter", "p")  # in the reader too
        await pilot.pause()
        assert app.clipboard == str(giornale_folder / "d.txt")

    drive(giornale.location, script, notifications=True)


@pytest.mark.parametrize("name", ["hits.jsonl", "hits.csv"])
def test_export_writes_the_rows_of_search(
    giornale: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)

    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        await type_text(app, pilot, "modena")
        await pilot.press("enter", "d")
        await pilot.pause()
        await pilot.press(*"2023", "enter")
        await settle(app, pilot)
        await pilot.press("o", "e")
        await settle(app, pilot)
        path_box = app.screen.query_one("#export-path")
        assert path_box.value == "corpus-modena.jsonl"  # type: ignore[attr-defined]
        path_box.value = str(tmp_path / name)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(app, pilot)
        assert "2 hits written to" in screen_text(app)
        assert f"2 hits written to {tmp_path / name}" in notifications(app)[-1]

    drive(giornale.location, script, notifications=True)
    written = (tmp_path / name).read_text(encoding="utf-8")
    args = ["search", "modena", "--from", "2023", "--sort", "date"]
    if name.endswith(".csv"):
        result = giornale.run(*args, "--format", "csv")
        assert written == result.stdout
        assert [row["id"] for row in csv.DictReader(io.StringIO(written))] == ["c", "d"]
    else:
        assert [json.loads(line) for line in written.splitlines()] == giornale.rows(*args, "--json")


def test_help_lists_the_keys_and_q_quits_with_status_zero(giornale: Backend) -> None:
    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        await type_text(app, pilot, "modena")
        await pilot.press("enter", "question_mark")
        await pilot.pause()
        screen = screen_text(app)
        assert "next / previous match" in screen and "copy the article's id / path" in screen
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("q")

    app = drive(giornale.location, script)
    assert app.return_value == 0


MAIN_SCREEN_80x24 = """\
▊▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▎
▊  esercitazione                                                               ▎
▊▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▎
 dates any · source any · sort relevance
 2022-12 ███
 2 articles match esercitazione · 2 loaded · N ms
 undated     Carlino             Una esercitazione a scuola
   A Modena una esercitazione di evacuazione nella scuola, riferisce
   Xinhua.
 2022-12-30  Gazzetta            Esercitazioni navali russe
   Nuove esercitazioni congiunte nel Mar Baltico, seguite anche da Modena,
   secondo la Tass.











 q Quit  ? Help  d Dates  s Source  o Order  t Timeline  c Copy id  e Export"""


def test_the_main_screen_at_80x24(giornale: Backend) -> None:
    """A text snapshot of the whole screen: the layout at the smallest size it must fit."""

    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        screen = [line.rstrip() for line in screen_text(app).splitlines()]
        # The time the search took changes from run to run.
        assert re.sub(r"· [0-9]+ ms", "· N ms", "\n".join(screen)) == MAIN_SCREEN_80x24

    drive(giornale.location, script, "esercitazione", size=(80, 24))


def test_a_narrow_terminal_without_colour(
    giornale: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")

    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        assert app.no_color
        await type_text(app, pilot, "esercitazione")
        screen = screen_text(app).splitlines()
        assert len(screen) == 24 and all(len(line) <= 80 for line in screen)
        text = "\n".join(screen)
        assert "2 articles match esercitazione" in text
        assert "Esercitazioni navali russe" in text
        assert "↓ Hits" in text and "^q Quit" in text  # the keys that work while typing
        await pilot.press("down")
        assert "q Quit" in screen_text(app) and "? Help" in screen_text(app)

    drive(giornale.location, script, size=(80, 24))


def test_browse_refuses_output_that_is_no_terminal(giornale: Backend) -> None:
    # CliRunner's streams are no terminal, as a pipe or a file would be.
    result = giornale.run("browse", "modena")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "browse needs a terminal" in result.stderr


def test_the_reader_wraps_again_when_the_terminal_is_resized(
    giornale: Backend,
) -> None:
    async def script(app: BrowseApp, pilot: Pilot[int]) -> None:
        await type_text(app, pilot, "esercitazioni")
        app.hit_list.highlighted = hit_ids(app).index("b")
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        wide = screen_text(app)
        assert "Nuove esercitazioni congiunte nel Mar Baltico, seguite anche da Modena" in wide
        await pilot.resize_terminal(50, 24)
        await pilot.pause()
        await pilot.pause()
        narrow = screen_text(app).splitlines()
        assert all(len(line) <= 50 for line in narrow)
        # The text, under the header's rule, now takes more lines, cut at words,
        # nothing lost or repeated.
        rule = next(n for n, line in enumerate(narrow) if line.strip().startswith("─"))
        body = []
        for line in narrow[rule + 1 :]:
            if not line.strip():
                break
            body.append(line.strip())
        assert len(body) > 1
        assert " ".join(body) == (
            "Nuove esercitazioni congiunte nel Mar Baltico, seguite anche da Modena, "
            "secondo la Tass."
        )

    drive(giornale.location, script)
