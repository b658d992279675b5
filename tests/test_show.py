"""``show``: unwrapped text off a terminal; on one, wrapped and paged, header first."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import Run, write
from rich.console import Console

from corpus_cli.model import StoredArticle
from corpus_cli.render import Output, Terminal

URL = (
    "https://gazzettadimodena.gelocal.it/modena/cronaca/2021/06/16/news/assalto-sull-a1-1.40395484"
)
PARAGRAPH = (
    "Un commando di quindici persone ha bloccato l'autostrada con due camion, "
    "ha incendiato alcune auto per aprirsi la fuga e ha sparato contro il blindato "
    "che trasportava due milioni e mezzo di euro."
)


def test_show_off_a_terminal_writes_paragraphs_whole(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(
        folder,
        "assalto.txt",
        f"title: Assalto al portavalori\ndate: 2021-06-16\nsource: Gazzetta di Modena\n"
        f"url: {URL}\n\n{PARAGRAPH}   \n\nSeconda parte.\n",
    )
    assert run("ingest", str(folder)).exit_code == 0
    result = run("show", "assalto", env={"COLUMNS": "60"})
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "Assalto al portavalori\n"
        "2021-06-16 · Gazzetta di Modena · assalto\n"
        "date from: “2021-06-16”\n"
        f"url: {URL}\n"
        f"file: {folder / 'assalto.txt'}\n"
        "\n"
        f"{PARAGRAPH}\n"
        "\n"
        "Seconda parte.\n"
    )


class _Screen(Terminal):
    """A terminal 40 columns by 12 rows that records whether it was asked to page."""

    def __init__(self) -> None:
        super().__init__(no_color=True)
        self.buffer = io.StringIO()
        self.paged_calls: list[bool] = []
        self.__dict__["out"] = Console(
            file=self.buffer, force_terminal=True, width=40, height=12, no_color=True
        )

    @contextmanager
    def paged(self, enabled: bool = True) -> Iterator[None]:
        self.paged_calls.append(enabled)
        yield


def _article(text: str) -> StoredArticle:
    return StoredArticle(
        id="assalto",
        path="in/assalto.txt",
        title="Assalto al portavalori sull'autostrada A1",
        date="2021-06-16",
        date_precision="day",
        date_inferred=False,
        date_evidence=None,
        source="Gazzetta di Modena",
        url=URL,
        text=text,
    )


def _plain(screen: _Screen) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", screen.buffer.getvalue())


def test_show_on_a_terminal_wraps_between_words_and_leaves_the_url_whole() -> None:
    screen = _Screen()
    Output(screen).show(_article("Breve."), None)
    assert _plain(screen) == (
        "Assalto al portavalori sull'autostrada\n"
        "A1\n"
        # The meta line is wider than 40: one field a line, the id never cut.
        "2021-06-16\n"
        "Gazzetta di Modena\n"
        "assalto\n"
        f"url: {URL}\n"
        "file: in/assalto.txt\n"
        "\n"
        "Breve.\n"
    )
    # Nine lines, but the URL takes three rows: 11 rows fit in 12, no pager.
    assert screen.paged_calls == [False]


def test_show_on_a_terminal_pages_what_the_screen_cannot_hold() -> None:
    screen = _Screen()
    Output(screen).show(_article(PARAGRAPH), None)
    lines = _plain(screen).splitlines()
    assert lines[0] == "Assalto al portavalori sull'autostrada"  # the header comes first
    assert lines[8:] == [
        "Un commando di quindici persone ha",
        "bloccato l'autostrada con due camion, ha",
        "incendiato alcune auto per aprirsi la",
        "fuga e ha sparato contro il blindato che",
        "trasportava due milioni e mezzo di euro.",
    ]
    assert screen.paged_calls == [True]
    again = _Screen()
    Output(again).show(_article(PARAGRAPH), None, pager=False)  # --no-pager
    assert again.paged_calls == [False]
