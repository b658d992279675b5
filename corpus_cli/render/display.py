"""How one value looks on a terminal: safe text, dates, and the small Rich pieces
that several views share (marked matches, an article's meta line, its title or derived title).

Article text is data, never markup: it goes in as :class:`rich.text.Text`, and
control characters are swapped for visible stand-ins before printing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from corpus_cli.model import StoredArticle

MATCH_STYLE = "bold black on yellow"
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


def date_style(article: StoredArticle) -> str:
    if article.date is None:
        return "dim"
    return "magenta" if article.date_inferred else "green"


def plural(n: int, noun: str) -> str:
    return noun if n == 1 else noun + "s"


def total_text(total: int, exact: bool = True, grouped: bool = False) -> str:
    """A number of matches as a reader sees it: ``96``, or for a total that is only a
    lower bound (``SearchResult.total_exact`` False) ``more than 10,000``."""
    if exact:
        return f"{total:,}" if grouped else str(total)
    return f"more than {total:,}"


def marked(text: str, spans: list[tuple[int, int]], style: str = "") -> Text:
    """``text``, made safe, with the matches at ``spans`` highlighted."""
    out = Text(sanitize(text), style=style)
    for start, end in spans:
        out.stylize(MATCH_STYLE, start, end)
    return out


def meta_parts(article: StoredArticle) -> list[Text]:
    """The date, the source and the id, each styled, for a meta line or one a line."""
    return [
        Text(display_date(article), style=date_style(article)),
        Text(sanitize(article.source or "unknown source"), style="cyan"),
        Text(sanitize(article.id), style="dim"),
    ]


def meta(article: StoredArticle) -> Text:
    """The line under a title: date · source · id."""
    return Text(" · ", style="dim").join(meta_parts(article))


#: Before a title made of the text's first words (the input had none), in every mode:
#: like the ≈ of an inferred date, it says corpus derived it.
DERIVED_MARK = "≈ "


def title_text(article: StoredArticle, style: str = "") -> Text:
    """The article's title, or its derived title marked with ``≈`` and in italics."""
    if article.title:
        return Text(sanitize(article.title), style=style)
    from corpus_cli.text.snippets import derived_title  # not at import: --help pays nothing

    derived = sanitize(derived_title(article.text))
    return Text(DERIVED_MARK + derived, style=f"{style} italic".strip())
