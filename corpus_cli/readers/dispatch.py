"""Which reader reads a file, and how large a file of each kind may be."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpus_cli.readers.decoding import decode, read_bounded
from corpus_cli.readers.record import RawRecord, RecordError, UnreadableFile

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


def read_records(path: Path) -> Iterator[RawRecord | RecordError]:
    """Every record of one file, by its format; raises :class:`UnreadableFile`."""
    for record in _read_records(path):
        yield _valid_unicode(record) if isinstance(record, RawRecord) else record


#: A UTF-16 surrogate on its own: JSON ("\ud800") and YAML escapes can write one, no
#: UTF-8 file can hold one, and the index cannot store it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _valid_unicode(record: RawRecord) -> RawRecord:
    """``record`` with every lone surrogate as U+FFFD.

    Such a title or text failed the whole run at the index's writer ("surrogates not
    allowed"), or was stored and then failed every ``list`` and ``search`` that showed it.
    """
    for name, value in vars(record).items():
        if isinstance(value, str) and _SURROGATE.search(value):
            setattr(record, name, _SURROGATE.sub("\ufffd", value))
    record.extra = _without_surrogates(record.extra)
    return record


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    return value


def _read_records(path: Path) -> Iterator[RawRecord | RecordError]:
    kind = READERS_BY_SUFFIX.get(path.suffix.lower())
    if kind is None:
        raise UnreadableFile(f"unsupported file type '{path.suffix or path.name}'")
    data = read_bounded(path, size_limit(path))
    if not data:
        raise UnreadableFile("empty file")
    if kind == "html":
        from corpus_cli.readers.html import read_html

        yield read_html(data)
        return
    text = decode(data)
    if not text.strip():
        raise UnreadableFile("no text (only blank space)")
    if kind == "text":
        from corpus_cli.readers.plaintext import read_text

        yield read_text(text)
    elif kind == "markdown":
        from corpus_cli.readers.markdown import read_markdown

        yield read_markdown(text)
    else:
        yield from _some_records(_read_feed(kind, text))


def _read_feed(kind: str, text: str) -> Iterator[RawRecord | RecordError]:
    if kind == "jsonl":
        from corpus_cli.readers.jsonl import read_jsonl

        return read_jsonl(text)
    if kind == "json":
        from corpus_cli.readers.jsondoc import read_json

        return read_json(text)
    from corpus_cli.readers.csvfile import read_csv

    return read_csv(text)


def _some_records(records: Iterator[RawRecord | RecordError]) -> Iterator[RawRecord | RecordError]:
    """``records``, or UnreadableFile when there is none and no error either.

    A feed of no records (``[]``, ``{"articles": []}``, a CSV of only its header) was
    neither stored nor listed as skipped: a file the user gave vanished from the
    report without a word.
    """
    empty = True
    for record in records:
        empty = False
        yield record
    if empty:
        raise UnreadableFile("no records (no article in the list, or only a header row)")
