"""Which reader reads a file, how large a file of each kind may be, and dumps."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpus_cli.readers import streams
from corpus_cli.readers.decoding import decode, read_bounded
from corpus_cli.readers.record import RawRecord, RecordError, UnreadableFile

#: The cap for formats that hold one article (text, Markdown, HTML), decompressed.
#: News articles are kilobytes, long reads and saved pages with inline images a few
#: megabytes; indexing one 8 MB text as a single article already takes ~17 s and
#: ~150 MB of memory here, so a bigger "article" is a dump, a log or a mistake, and
#: is skipped with its reason. Files of many records (JSON Lines, JSON, CSV) have no
#: cap: they are read a record at a time, and each record has this cap
#: (:data:`~corpus_cli.readers.streams.MAX_RECORD_CHARS`).
MAX_ARTICLE_BYTES = 16 * 1024 * 1024

#: Extensions ingest reads (also inside .gz, .bz2, .xz, .zst); anything else in a
#: folder is not an article.
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


def _kind(path: Path) -> str | None:
    return READERS_BY_SUFFIX.get(streams.split_name(path)[0])


def is_supported(path: Path) -> bool:
    return _kind(path) is not None


def is_compressed(path: Path) -> bool:
    return streams.split_name(path)[1] is not None


def holds_records(path: Path) -> bool:
    """True for the formats of many records (JSON Lines, JSON, CSV), read as streams."""
    kind = _kind(path)
    return kind is not None and kind not in _SINGLE_ARTICLE_KINDS


def size_limit(path: Path) -> int | None:
    """The largest file of this format that is read, in bytes (None: no limit)."""
    return None if holds_records(path) else MAX_ARTICLE_BYTES


def read_records(path: Path) -> Iterator[RawRecord | RecordError]:
    """Every record of one file, by its format; raises :class:`UnreadableFile`.

    Files of many records are read as a stream (decompressed and decoded a block
    at a time), so a dump of any size costs the memory of one record; damage
    found on the way (a truncated archive) ends the records with one error.
    """
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
    kind = _kind(path)
    if kind is None:
        raise UnreadableFile(f"unsupported file type '{path.suffix or path.name}'")
    if kind not in _SINGLE_ARTICLE_KINDS:
        yield from _stream_records(path, kind)
        return
    if is_compressed(path):
        data = streams.read_bounded_stream(path, MAX_ARTICLE_BYTES)
    else:
        data = read_bounded(path, MAX_ARTICLE_BYTES)
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
    else:
        from corpus_cli.readers.markdown import read_markdown

        yield read_markdown(text)


def _stream_records(path: Path, kind: str) -> Iterator[RawRecord | RecordError]:
    if kind == "jsonl":
        from corpus_cli.readers.jsonl import read_jsonl_stream as read
    elif kind == "json":
        from corpus_cli.readers.jsondoc import read_json_stream as read
    else:
        from corpus_cli.readers.csvfile import read_csv_stream as read
    with streams.open_text(path) as text:
        count = 0
        try:
            for record in read(text):
                count += 1
                yield record
        except Exception as error:
            if not _is_damage(error):
                raise
            where = f"after record {count}" if count else "at its start"
            yield RecordError(
                f"{streams.damaged_reason(error)} {where}; nothing after that could be read"
            )
            return
    if not count:
        # A feed of no records ([], {"articles": []}, a CSV of only its header) was
        # neither stored nor listed as skipped: a file the user gave vanished from the
        # report without a word.
        raise UnreadableFile("no records (no article in the list, or only a header row)")


def _is_damage(error: Exception) -> bool:
    return isinstance(error, streams.DAMAGED) or type(error).__module__.startswith("zstandard")
