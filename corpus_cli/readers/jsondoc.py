"""JSON: an array of articles, one article, or an object wrapping a list of them.

A document up to the record cap is parsed whole (:func:`read_json`); a larger one,
an array of millions of articles, is streamed an item at a time with ijson.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

from corpus_cli.readers import streams
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


def read_json_stream(stream: IO[str]) -> Iterator[RawRecord | RecordError]:
    """:func:`read_json` over a text stream: whole when it is small, else streamed.

    A streamed array (or the list a large wrapper object holds) is read one item
    at a time; an item over the record cap, or JSON that breaks off, ends the
    reading there with one error naming the record, and every earlier record is
    kept.
    """
    cap = streams.MAX_RECORD_CHARS
    head = stream.read(cap + 1)
    if len(head) <= cap:
        yield from read_json(head)
        return
    first = head.lstrip()[:1]
    source = _Utf8(head, stream, cap)
    del head  # the source hands it on and lets it go
    import ijson

    events = ijson.parse(source)
    prefix = "item"
    if first == "{":
        prefix = ""
        try:
            for path, event, value in events:
                source.mark()  # what precedes the list is no item
                if path == "" and event == "map_key" and wrapped_list({value: []}) is not None:
                    if next(events)[1] == "start_array":
                        prefix = f"{value}.item"
                        break
                elif path == "" and event == "end_map":
                    break
        except (ijson.JSONError, _ItemTooLarge):
            pass
        if not prefix:
            yield RecordError(f"not a list of articles, and {streams.too_large_record(cap)}")
            return
    elif first != "[":
        yield RecordError("the JSON file holds neither an object nor an array")
        return
    source.mark()
    number = 0
    try:
        for item in ijson.items(events, prefix, use_float=True):
            number += 1
            source.mark()
            if isinstance(item, dict):
                yield prefixed(record_from_mapping(item), f"record {number}")
            else:
                yield RecordError(f"record {number}: not a JSON object")
    except _ItemTooLarge:
        yield RecordError(
            f"record {number + 1}: {streams.too_large_record(cap)}; "
            "the records after it could not be read"
        )
    except ijson.JSONError as error:
        reason = (str(error).strip().splitlines() or ["it breaks off"])[0].strip()
        yield RecordError(
            f"record {number + 1}: not valid JSON ({reason}); "
            "the records after it could not be read"
        )


class _ItemTooLarge(Exception):
    """More than the record cap was read since the last item ended."""


class _Utf8:
    """A text stream as the UTF-8 bytes ijson reads, counting what one item takes."""

    def __init__(self, head: str, rest: IO[str], cap: int) -> None:
        self._head = head
        self._offset = 0
        self._rest = rest
        self._cap = cap
        self._since = 0

    def mark(self) -> None:
        """An item ended here."""
        self._since = 0

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""  # ijson asks, to tell bytes from text
        if self._since > self._cap:
            raise _ItemTooLarge()
        size = size if size > 0 else 1 << 16
        if self._offset < len(self._head):
            text = self._head[self._offset : self._offset + size]
            self._offset += len(text)
        else:
            self._head = ""
            text = self._rest.read(size)
        self._since += len(text)
        return text.encode("utf-8", errors="surrogatepass")
