"""JSON Lines: one article per line."""

from __future__ import annotations

import json
from collections.abc import Iterator

from corpus_cli.readers.decoding import strip_bom
from corpus_cli.readers.mapping import prefixed, record_from_mapping
from corpus_cli.readers.record import RawRecord, RecordError


def read_jsonl(text: str) -> Iterator[RawRecord | RecordError]:
    """One JSON object per line; blank lines are ignored, a bad line is one error."""
    for number, line in enumerate(strip_bom(text).split("\n"), start=1):
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
