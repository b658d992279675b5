"""Checks on a query's raw text, before it is read: length, emptiness, field names."""

from __future__ import annotations

from typing import Final

from corpus_cli.errors import QuerySyntaxError
from corpus_cli.text.analysis import is_word_char

#: Fields a user may name in a query.
QUERY_FIELDS: Final = ("title", "text", "source")
#: Names that are no field of the tree but a filter lifted out of it (query/dates.py).
FILTER_FIELDS: Final = ("date",)
KNOWN_FIELDS: Final = QUERY_FIELDS + FILTER_FIELDS
#: Very long queries are almost always pasted text; refuse them rather than read
#: thousands of terms.
MAX_QUERY_CHARS: Final = 1000

NO_WORDS = "The query has no words to search for (only operators or exclusions)."
#: Operator words that keep a list of words from being "plain" (and so from the
#: phrase bonus); TO is there because Whoosh read it in ranges.
OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
DIGITS = "0123456789"
FIELD_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")


# -- checks on the raw text ----------------------------------------------------------


def check_query_text(text: str) -> str:
    """Reject what cannot be a query, with one sentence; return the cleaned text."""
    # No stored text holds a NUL (PostgreSQL's text cannot: its writer stores U+FFFD), and
    # a NUL in a wildcard, prefix or source: reached the server as "A string literal
    # cannot contain NUL" (an unexpected error); read it as the writer stored it.
    cleaned = " ".join(text.replace("\x00", "\ufffd").split())
    if not cleaned:
        raise QuerySyntaxError("The query is empty: give at least one word to search for.")
    if len(cleaned) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(
            f"The query is {len(cleaned)} characters long; the limit is {MAX_QUERY_CHARS}."
        )
    # A colon inside a phrase is just text, not a field.
    for _start, _end, name in _field_prefixes(_without_phrases(cleaned)):
        if name.lower() not in KNOWN_FIELDS:
            known = ", ".join(f"{f}:" for f in QUERY_FIELDS)
            raise QuerySyntaxError(f"Unknown field '{name}:' in the query; use one of {known}.")
    return cleaned


def _without_phrases(text: str) -> str:
    """``text`` with each complete ``"..."`` replaced by a space."""
    parts: list[str] = []
    done = 0
    while True:
        start = text.find('"', done)
        end = text.find('"', start + 1) if start >= 0 else -1
        if end < 0:
            break
        parts.append(text[done:start])
        parts.append(" ")
        done = end + 1
    parts.append(text[done:])
    return "".join(parts)


def _field_prefixes(text: str) -> list[tuple[int, int, str]]:
    """(start, end of the name, name) of each ``name:`` that scopes what follows it.

    A name starts the text or follows a space or ``(``, perhaps after a ``-`` or ``+``
    (``-title:x`` excludes, ``+source:x`` requires), and the colon is followed by
    something other than a space or a slash (``title: x`` and ``http://`` are text).
    """
    found: list[tuple[int, int, str]] = []
    length = len(text)
    colon = text.find(":")
    while colon >= 0:
        if colon + 1 < length and text[colon + 1] not in " /":
            start = colon
            while start > 0 and (is_word_char(text[start - 1]) or text[start - 1] == "-"):
                start -= 1
            edge = start
            if start + 1 < colon and text[start] == "-":
                start += 1  # -title:x: the hyphen is the sign, not part of the name
            elif start > 0 and text[start - 1] == "+":
                edge = start - 1
            if (
                start < colon
                and text[start] in FIELD_START
                and (edge == 0 or text[edge - 1] in " (")
            ):
                found.append((start, colon, text[start:colon]))
        colon = text.find(":", colon + 1)
    return found


def lower_field_names(text: str) -> str:
    """``Title:cina`` means ``title:cina``: field names are matched in lower case."""
    prefixes = _field_prefixes(text)
    if not any(name != name.lower() for _s, _e, name in prefixes):
        return text
    chars = list(text)
    for start, end, name in prefixes:
        chars[start:end] = name.lower()
    return "".join(chars)
