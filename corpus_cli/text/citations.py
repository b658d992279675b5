"""Citations: which news agencies and outlets the articles name in their text.

The outlets are a curated list in ``agencies.txt`` (its format is described there);
each spelling is matched as whole words, short ones in their exact case, so that
"Tass" is counted but "tassa" is not, and "AP" but not "ap".
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from dataclasses import dataclass

from corpus_cli.errors import UsageError
from corpus_cli.text.analysis import APOSTROPHES, WORD_RUN, is_word_char


class _Text:
    """An article's text as the outlet spellings look at it, each view made once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = set(WORD_RUN.findall(text))
        self.lower_words = {word.lower() for word in self.words}
        self._lowered: str | None = None

    @property
    def lowered(self) -> str:
        if self._lowered is None:
            self._lowered = self.text.lower()
        return self._lowered


@dataclass(frozen=True)
class _Spelling:
    """One way of writing an outlet's name, ready to look for."""

    #: Matched exactly as written, or in the lower-cased text.
    exact: bool
    #: The longest word of the spelling (lower-cased unless exact): a text without it
    #: is passed over with one set look-up.
    needle: str
    #: The spelling as whole words (its start is checked in Python: look-behinds must
    #: be fixed-width, and a leading one would slow every search down tenfold).
    pattern: re.Pattern[str]

    def found_in(self, text: _Text) -> bool:
        if self.needle not in (text.words if self.exact else text.lower_words):
            return False
        haystack = text.text if self.exact else text.lowered
        for match in self.pattern.finditer(haystack):
            start = match.start()
            if start == 0 or not is_word_char(haystack[start - 1]):
                return True
        return False


@dataclass(frozen=True)
class Outlet:
    """A news agency or outlet of agencies.txt."""

    #: The name it is shown under (the first spelling of its line).
    name: str
    spellings: tuple[str, ...]
    _compiled: tuple[_Spelling, ...]

    def named_in(self, text: str | _Text) -> bool:
        """True when ``text`` names this outlet."""
        view = text if isinstance(text, _Text) else _Text(text)
        return any(spelling.found_in(view) for spelling in self._compiled)


def outlets_named(text: str) -> set[str]:
    """The names (as shown first in agencies.txt) of the outlets that ``text`` names."""
    view = _Text(text)
    return {outlet.name for outlet in _outlets() if outlet.named_in(view)}


def find_outlet(name: str) -> Outlet:
    """The outlet a user means by ``name`` (any of its spellings, in any case)."""
    wanted = " ".join(name.split()).casefold().lstrip("=")
    for outlet in _outlets():
        if any(wanted == spelling.casefold() for spelling in outlet.spellings):
            return outlet
    raise UsageError(
        f"'{name}' is not among the agencies and outlets that are counted; "
        "'corpus cites' lists those named in the index."
    )


def outlet_names() -> list[str]:
    """Every outlet of agencies.txt, by the name it is shown under, in file order."""
    return [outlet.name for outlet in _outlets()]


@functools.cache
def _outlets() -> tuple[Outlet, ...]:
    data = importlib.resources.files("corpus_cli.text").joinpath("agencies.txt")
    return parse_outlets(data.read_text(encoding="utf-8"))


def parse_outlets(data: str) -> tuple[Outlet, ...]:
    """The outlets of an agencies.txt text (its format is described in that file)."""
    outlets: list[Outlet] = []
    for line in data.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split(" | ")]
        written = [f for f in fields if f and not f.startswith("!")]
        not_before = [word for f in fields if f.startswith("!") for word in f[1:].split()]
        if not written:
            continue
        guard = ""
        if not_before:
            words = "|".join(re.escape(w) for w in sorted(not_before, key=len, reverse=True))
            guard = rf"(?!\s+(?i:{words})(?!\w))"
        names = tuple(dict.fromkeys(s.lstrip("=") for s in written))
        compiled = tuple(_compile_spelling(s, guard) for s in written)
        outlets.append(Outlet(names[0], names, compiled))
    return tuple(outlets)


def _compile_spelling(spelling: str, guard: str) -> _Spelling:
    exact = spelling.startswith("=")
    spelling = spelling.lstrip("=")
    words = spelling.split()
    if len(words) == 1 and len(spelling) <= 4:
        exact = True
    if not exact:
        words = [w.lower() for w in words]
    apostrophe = f"[{APOSTROPHES}]"
    pieces = [re.split(apostrophe, word) for word in words]
    body = r"\s+".join(apostrophe.join(re.escape(part) for part in word) for word in pieces)
    needle = max((run for word in words for run in WORD_RUN.findall(word)), key=len)
    return _Spelling(exact, needle, re.compile(rf"{body}(?!\w){guard}"))
