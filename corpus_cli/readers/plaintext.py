"""Plain text: optional ``key: value`` header lines or a ``date`` marker, then the body."""

from __future__ import annotations

import re
from typing import Any

from corpus_cli.readers.mapping import record_from_headers
from corpus_cli.readers.record import RawRecord
from corpus_cli.text.dates import is_dateline

# " date 2022-12 Le relazioni..." in the seeds: a marker, sometimes with the body after it.
_DATE_MARKER = re.compile(r"\A\s*date\s+(\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?)(?=\s|$)", re.I)
_HEADER = re.compile(r"^\s*([A-Za-z][\w-]{0,30})\s*:\s*(.*?)\s*$")
_HEADER_KEYS = frozenset(
    [
        "date",
        "published",
        "publish_date",
        "pubdate",
        "source",
        "outlet",
        "publisher",
        "site_name",
        "url",
        "link",
        "title",
        "headline",
        "id",
        "author",
        "byline",
        "section",
        "category",
        "tags",
        "language",
        "lang",
    ]
)
# Lines of web-page chrome that copy-pasted articles carry; never a title, never text.
_CHROME = re.compile(
    r"^\s*(skip to (main )?content|back to top|torna su|torna all'inizio|vai al contenuto"
    r"|condividi( su (facebook|twitter|whatsapp))?|share( this)?|stampa|print|menu"
    r"|leggi anche:?|read more|advertisement|pubblicit[aà])\s*$",
    re.I,
)


def read_text(text: str) -> RawRecord:
    """Plain text: optional ``key: value`` header lines or a ``date`` marker, a body."""
    headers, body = _split_headers(text)
    evidence_line = None
    if headers is None:
        marker = _DATE_MARKER.match(body)
        if marker:
            headers = {"date": marker.group(1)}
            evidence_line = marker.group(0).rstrip()
            body = body[marker.end() :]
    lines = [line for line in body.split("\n") if not _CHROME.match(line)]
    record = record_from_headers(headers, "\n".join(lines).strip())
    if record.title is None:
        # Only without a title header: with one, the first line is body text.
        record.title, lines = _headline(lines)
        record.text = "\n".join(lines).strip()
    if evidence_line is not None:
        record.date_evidence = evidence_line
    return record


def _split_headers(text: str) -> tuple[dict[str, Any] | None, str]:
    lines = text.split("\n")
    headers: dict[str, Any] = {}
    for i, line in enumerate(lines):
        if not line.strip():
            if headers:
                return headers, "\n".join(lines[i + 1 :])
            return None, text
        match = _HEADER.match(line)
        if not match or match.group(1).lower() not in _HEADER_KEYS:
            return None, text
        headers[match.group(1).lower()] = match.group(2)
    return None, text


def _headline(lines: list[str]) -> tuple[str | None, list[str]]:
    """A short first line that is followed by more text is the headline.

    One- or two-word lines before it are section labels ("Russia") and bylines
    ("Pubblicato il 12/03/2021 alle 10:30") are passed over; a line ending like a
    sentence is body text, not a headline. A two-word first line with no headline
    after it is the headline itself ("Sciopero generale"), rather than words run into
    the first sentence.
    """
    seen = 0
    short: int | None = None  # the first two-word line, if the first line is one
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        seen += 1
        if seen > 3:
            break
        n_words = len(stripped.split())
        if n_words < 3:
            if seen == 1 and n_words == 2 and stripped[-1] not in ".!?…:;,":
                short = i
            continue
        # a byline with its date and time is no headline: left in the text, it dates it
        if is_dateline(stripped):
            continue
        rest = "\n".join(lines[i + 1 :]).strip()
        if len(stripped) <= 200 and stripped[-1] not in ".!?…:;," and rest:
            return stripped, lines[:i] + lines[i + 1 :]
        break
    if short is not None and "\n".join(lines[short + 1 :]).strip():
        return lines[short].strip(), lines[:short] + lines[short + 1 :]
    return None, lines
