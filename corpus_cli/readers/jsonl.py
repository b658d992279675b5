"""JSON Lines: one article per line, read a line at a time."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import IO

from corpus_cli.readers import streams
from corpus_cli.readers.decoding import strip_bom
from corpus_cli.readers.mapping import prefixed, record_from_mapping
from corpus_cli.readers.record import RawRecord, RecordError
from corpus_cli.readers.streams import Lines, RecordTooLarge


def read_jsonl(text: str) -> Iterator[RawRecord | RecordError]:
    """One JSON object per line; blank lines are ignored, a bad line is one error."""
    return read_jsonl_stream(io.StringIO(strip_bom(text)))


def read_jsonl_stream(stream: IO[str]) -> Iterator[RawRecord | RecordError]:
    """:func:`read_jsonl` over a text stream, in constant memory; a line over the
    record cap is one error naming it."""
    cap = streams.MAX_RECORD_CHARS
    lines = Lines(stream, cap)
    while True:
        try:
            line = next(lines)
        except StopIteration:
            return
        except RecordTooLarge as error:
            yield RecordError(f"line {error.number}: {streams.too_large_record(cap)}")
            continue
        number = lines.number
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            yield RecordError(f"line {number}: not valid JSON ({error.msg})")
            continue
        except RecursionError:
            yield RecordError(f"line {number}: not valid JSON (nested too deeply)")
            continue
        if not isinstance(value, dict):
            yield RecordError(f"line {number}: not a JSON object")
            continue
        yield prefixed(record_from_mapping(value), f"line {number}")
