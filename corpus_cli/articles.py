"""Reading articles from files: one reader per format behind :func:`read_records`."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from corpus_cli.dates import DateInfo, infer_date, parse_metadata_date


@dataclass
class RawRecord:
    """What a format reader found in one record, before dates and sources are resolved.

    Every field a reader could not find stays ``None``: an unknown value is honest,
    a made-up one is a bug.
    """

    text: str
    title: str | None = None
    #: The date exactly as the metadata wrote it ("2022-12", "3 marzo 2021", ...).
    date: str | None = None
    #: The words the metadata date was read from (a header line), if not ``date`` itself.
    date_evidence: str | None = None
    source: str | None = None
    url: str | None = None
    id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class RecordError:
    """One record of a multi-record file that could not be read; the rest still is."""

    reason: str


@dataclass
class Article:
    """One article ready for the index: every field resolved or honestly unknown."""

    id: str
    path: str
    text: str
    title: str | None
    date: DateInfo | None
    source: str | None
    url: str | None
    extra: dict[str, Any] = field(default_factory=dict)


class UnreadableFile(Exception):
    """A whole file cannot be read; ``str()`` is the reason shown to the user."""


#: Files larger than this are skipped unread: a multi-record file (JSON Lines, JSON,
#: CSV) is held in memory whole while it is parsed, and one this big should be split.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The cap for formats that hold one article (text, Markdown, HTML). News articles are
#: kilobytes, long reads and saved pages with inline images a few megabytes; indexing
#: one 8 MB text as a single article already takes ~17 s and ~150 MB of memory here,
#: so a bigger "article" is a dump, a log or a mistake, and is skipped with its reason.
MAX_ARTICLE_BYTES = 16 * 1024 * 1024

#: Extensions ingest reads; anything else in a folder is not an article.
READERS_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "csv",
    ".html": "html",
    ".htm": "html",
}


_SINGLE_ARTICLE_KINDS = frozenset({"text", "markdown", "html"})


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in READERS_BY_SUFFIX


def size_limit(path: Path) -> int:
    """The largest file of this format that is read, in bytes."""
    kind = READERS_BY_SUFFIX.get(path.suffix.lower())
    return MAX_ARTICLE_BYTES if kind in _SINGLE_ARTICLE_KINDS else MAX_FILE_BYTES


def too_large(size: int | None, limit: int) -> str:
    """The reason given for a file over its format's size limit (``size`` if known)."""
    how_big = "over the limit" if size is None else _megabytes(size)
    return f"too large ({how_big}; the limit for this kind of file is {_megabytes(limit)})"


def _megabytes(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size < 10 * 1048576 else f"{size // 1048576} MB"


def decode(data: bytes) -> str:
    """Bytes to text: BOMs honoured, UTF-8 first, then a detected legacy encoding.

    Raises :class:`UnreadableFile` for data that is not text at all.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as error:
                raise UnreadableFile(f"invalid {codec} text ({error.reason})") from None
            if _looks_binary(text):
                raise UnreadableFile(f"binary file (not {codec} text despite its byte-order mark)")
            return _normalise_newlines(text)
    if b"\x00" in data:
        raise UnreadableFile("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_legacy(data)
    if _looks_binary(text):
        raise UnreadableFile("binary file (not text in any known encoding)")
    return _normalise_newlines(text)


# UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def _decode_legacy(data: bytes) -> str:
    """Text that is not UTF-8: Windows-1252 when it reads as Western text, else detected.

    Windows-1252 (a superset of Latin-1's printable characters) or ISO-8859-15 is
    what Italian and other Western European text not in UTF-8 nearly always is.
    charset-normalizer alone guesses wrongly on short Italian texts ("città" comes
    back as "cittŕ" in Windows-1250), so it is asked only when those readings are
    implausible: undefined bytes, stray symbols, or mostly non-ASCII letters
    (Cyrillic or Greek in a single-byte code page).
    """
    western = None
    for codec in _WESTERN_CODECS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _reads_as_western(text):
            return text
        western = western or text
    from charset_normalizer import from_bytes  # only for the rare non-Western file

    best = from_bytes(data).best()
    if best is None:
        if western is not None:
            return western
        raise UnreadableFile("binary file (not text in any known encoding)")
    return str(best)


#: ISO-8859-15 is Latin-1 with the euro sign (and Œ, Š, Ž) where Latin-1 has ¤ and such;
#: its 0x80-0x9F are controls, so it only wins where Windows-1252 reads "¤".
_WESTERN_CODECS = ("cp1252", "iso8859_15")
#: Non-letters outside ASCII that Western European news text uses.
_WESTERN_SYMBOLS = frozenset("€‚„…†‡‰‹›‘’“”•–—˜™«»¡¿°§©®¢£¥ª·±×÷½¼¾µ¶\xa0\xad")


def _reads_as_western(text: str) -> bool:
    beyond_ascii: list[str] = _NON_ASCII.findall(text)
    if any(not c.isalpha() and c not in _WESTERN_SYMBOLS for c in beyond_ascii):
        return False
    non_ascii_letters = sum(c.isalpha() for c in beyond_ascii)
    letters = non_ascii_letters + len(_ASCII_LETTERS.findall(text))
    # Accented letters are a few percent of Western text; in a Cyrillic or Greek
    # text read as Windows-1252 nearly every letter is one.
    return non_ascii_letters <= 0.3 * letters


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_LETTERS = re.compile(r"[A-Za-z]")


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    # Real text may carry a few stray controls (an ESC pasted from a terminal);
    # binary data decoded as a code page is full of them.
    return len(_CONTROL.findall(sample)) > 4 + len(sample) // 20


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_records(path: Path) -> Iterator[RawRecord | RecordError]:
    """Every record of one file, by its format; raises :class:`UnreadableFile`."""
    kind = READERS_BY_SUFFIX.get(path.suffix.lower())
    if kind is None:
        raise UnreadableFile(f"unsupported file type '{path.suffix or path.name}'")
    data = _read_bounded(path, size_limit(path))
    if not data:
        raise UnreadableFile("empty file")
    if kind == "html":
        from corpus_cli.webpage import read_html

        yield read_html(data)
        return
    text = decode(data)
    if not text.strip():
        raise UnreadableFile("no text (only blank space)")
    if kind == "text":
        yield read_text(text)
    elif kind == "markdown":
        yield read_markdown(text)
    else:
        from corpus_cli import records

        reader = {"jsonl": records.read_jsonl, "json": records.read_json, "csv": records.read_csv}
        yield from reader[kind](text)


def _read_bounded(path: Path, limit: int) -> bytes:
    """The file's bytes, never more than ``limit`` + 1 of them in memory.

    The size is checked before reading and again by reading at most one byte past
    the limit, so a file that grows meanwhile cannot slip through.
    """
    try:
        size = path.stat().st_size
        if size > limit:
            raise UnreadableFile(too_large(size, limit))
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise UnreadableFile(os_reason(error)) from None
    if len(data) > limit:
        raise UnreadableFile(too_large(None, limit))  # it grew meanwhile
    return data


def os_reason(error: OSError) -> str:
    """The plain reason a file could not be read, for the skipped list."""
    reason = error.strerror or str(error)
    return f"cannot be read ({reason.lower()})"


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
    record = _record_from_headers(headers, "\n".join(lines).strip())
    if record.title is None:
        # Only without a title header: with one, the first line is body text.
        record.title, lines = _headline(lines)
        record.text = "\n".join(lines).strip()
    if evidence_line is not None:
        record.date_evidence = evidence_line
    return record


def read_markdown(text: str) -> RawRecord:
    """Markdown, with YAML front matter when present and a ``# Heading`` as title."""
    from corpus_cli.records import split_front_matter

    try:
        front, body = split_front_matter(text)
    except ValueError as error:
        raise UnreadableFile(str(error)) from None
    lines = body.split("\n")
    title = None
    for i, line in enumerate(lines):
        if line.strip():
            if line.startswith("# "):
                title = line[2:].strip()
                del lines[i]
            break
    record = _record_from_headers(front, "\n".join(lines).strip())
    if record.title is None:
        record.title = title
    return record


def _record_from_headers(headers: dict[str, Any] | None, body: str) -> RawRecord:
    if not headers:
        if not body:
            raise UnreadableFile("no article text")
        return RawRecord(text=body)
    from corpus_cli.records import record_from_mapping

    record = record_from_mapping({**headers, "text": body})
    if isinstance(record, RecordError):
        raise UnreadableFile(record.reason)
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

    One- or two-word lines before it are section labels ("Russia") and are passed
    over; a line ending like a sentence is body text, not a headline.
    """
    seen = 0
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        seen += 1
        if seen > 3:
            break
        n_words = len(stripped.split())
        if n_words < 3:
            continue
        rest = "\n".join(lines[i + 1 :]).strip()
        if len(stripped) <= 200 and stripped[-1] not in ".!?…:;," and rest:
            return stripped, lines[:i] + lines[i + 1 :]
        break
    return None, lines


def resolve(
    record: RawRecord,
    *,
    id: str,
    path: str,
    fallback_source: str,
    today: datetime.date | None = None,
) -> Article:
    """Turn a raw record into an article: date from metadata else inferred, source chain."""
    date = None
    if record.date:
        date = parse_metadata_date(record.date, today)
        if date is not None and record.date_evidence:
            date = DateInfo(date.value, date.precision, False, record.date_evidence)
    if date is None:
        date = infer_date(record.text, today)
    source = record.source or _site_of(record.url) or fallback_source
    return Article(
        id=id,
        path=path,
        text=record.text,
        title=record.title,
        date=date,
        source=source,
        url=record.url,
        extra=record.extra,
    )


def _site_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:  # "http://[bad": not a URL, so no site to name
        return None
    if not host:
        return None
    return host.removeprefix("www.")
