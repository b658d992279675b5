"""JSON: an array of articles, one article, or an object wrapping a list of them."""

from __future__ import annotations

import json
from collections.abc import Iterator

from corpus_cli.readers.decoding import strip_bom
from corpus_cli.readers.mapping import has_text_field, prefixed, record_from_mapping, wrapped_list
from corpus_cli.readers.record import RawRecord, RecordError


def read_json(text: str) -> Iterator[RawRecord | RecordError]:
    """An array of objects, one object, or ``{"articles"|"items"|"data": [...]}``."""
    text = strip_bom(text)
    if not text.strip():
        yield RecordError("not valid JSON (the file is empty)")
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        yield RecordError(
            f"not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        )
        return
    except RecursionError:
        yield RecordError("not valid JSON (nested too deeply)")
        return

    if isinstance(value, dict):
        items = None if has_text_field(value) else wrapped_list(value)
        if items is None:
            yield record_from_mapping(value)
            return
    elif isinstance(value, list):
        items = value
    else:
        yield RecordError("the JSON file holds neither an object nor an array")
        return

    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            yield prefixed(record_from_mapping(item), f"record {number}")
        else:
            yield RecordError(f"record {number}: not a JSON object")
