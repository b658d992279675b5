"""Markdown: YAML front matter when present, a ``# Heading`` as the title."""

from __future__ import annotations

import re
from typing import Any

import yaml

from corpus_cli.readers.decoding import strip_bom
from corpus_cli.readers.mapping import record_from_headers
from corpus_cli.readers.record import RawRecord, UnreadableFile
from corpus_cli.text.dates import is_dateline


def read_markdown(text: str) -> RawRecord:
    """Markdown, with YAML front matter when present and a ``# Heading`` as title."""
    try:
        front, body = split_front_matter(text)
    except ValueError as error:
        raise UnreadableFile(str(error)) from None
    lines = body.split("\n")
    title = None
    for i, line in enumerate(lines):
        if line.strip():
            # a byline over the heading ("Publié le 17 avril 2023 à 14h05") dates the
            # article and stays in its text; the heading under it is still the title
            if is_dateline(plain_emphasis(line)):
                continue
            if line.startswith("# "):
                title = line[2:].strip()
                del lines[i]
            break
    record = record_from_headers(front, plain_emphasis("\n".join(lines).strip()))
    if record.title is None:
        record.title = plain_emphasis(title) if title else title
    return record


# **bold**, __bold__ and *italic*: the words stay, the marks go (they are not part
# of the article, and a search for "**furto**" or a snippet full of stars helps no
# one). A mark must hug its words, so "5 * 3 * 2" and snake_case are left alone.
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")


def plain_emphasis(text: str) -> str:
    """``text`` without Markdown's bold and italic marks around words."""
    return _EMPHASIS.sub(r"\1", _STRONG.sub(r"\2", text))


def _is_fence(line: str, *marks: str) -> bool:
    return line.rstrip() in marks


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str]:
    """Split Markdown into its YAML front matter (a mapping) and its body.

    The front matter opens with a first line ``---`` and closes with the next
    line ``---`` or ``...``. Without an opening line, or without a closing one,
    there is no front matter and the result is ``(None, text)``. Front matter
    that is not valid YAML, or not a mapping, raises :class:`ValueError`.
    """
    content = strip_bom(text)
    lines = content.splitlines(keepends=True)
    if not lines or not _is_fence(lines[0], "---"):
        return None, text
    for index in range(1, len(lines)):
        if _is_fence(lines[index], "---", "..."):
            break
    else:
        return None, text  # never closed: a thematic break, not front matter

    source = "".join(lines[1:index])
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or "cannot be parsed"
        mark = getattr(error, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""
        raise ValueError(f"the front matter is not valid YAML ({problem}{where})") from None
    body = "".join(lines[index + 1 :])
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        kind = {list: "a list", str: "a string", int: "a number", float: "a number"}.get(
            type(data), f"a {type(data).__name__}"
        )
        raise ValueError(f"the front matter is not a mapping of keys to values (found {kind})")
    return data, body
