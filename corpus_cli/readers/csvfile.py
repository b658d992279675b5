"""CSV and TSV with a header row: one article per row, read a row at a time."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO

from corpus_cli.readers import streams
from corpus_cli.readers.decoding import strip_bom
from corpus_cli.readers.mapping import prefixed, record_from_mapping
from corpus_cli.readers.record import RawRecord, RecordError
from corpus_cli.readers.streams import Lines, RecordTooLarge


def _sniff_delimiter(header_line: str) -> str:
    try:
        return csv.Sniffer().sniff(header_line, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def read_csv(text: str) -> Iterator[RawRecord | RecordError]:
    """CSV with a header row; the delimiter (``,`` ``;`` or tab) is sniffed.

    Quoted fields may span lines; a row with the wrong number of fields is one
    error naming the file line the row starts on.
    """
    return read_csv_stream(io.StringIO(strip_bom(text), newline=""))


def read_csv_stream(stream: IO[str]) -> Iterator[RawRecord | RecordError]:
    """:func:`read_csv` over a text stream, in constant memory: a row (or a line) over
    the record cap is one error naming its line, and reading goes on after it."""
    cap = streams.MAX_RECORD_CHARS
    # Article bodies can be megabytes; a field past the record cap is an error.
    csv.field_size_limit(cap)
    lines = Lines(stream, cap)
    try:
        # The header is the first line with something on it: blank lines above it (an
        # export that starts with a newline) must not hide every row.
        header_line = next(lines, "")
        while header_line and not header_line.strip():
            header_line = next(lines, "")
    except RecordTooLarge as error:
        yield RecordError(f"line {error.number}: the header row is {streams.too_large_record(cap)}")
        return
    if not header_line.strip():
        return
    lines.unread(header_line)
    reader = csv.reader(lines, delimiter=_sniff_delimiter(header_line.rstrip("\r\n")))

    header: list[str] | None = None
    while True:
        start = lines.number + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except RecordTooLarge:
            yield RecordError(f"line {start}: {streams.too_large_record(cap)}")
            continue
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                yield RecordError(f"line {start}: {streams.too_large_record(cap)}")
            else:
                yield RecordError(f"line {start}: not valid CSV ({error})")
            continue
        if not row or all(not field.strip() for field in row):
            continue
        if header is None:
            header = [name.strip() for name in row]
            continue
        if len(row) != len(header):
            yield RecordError(
                f"line {start}: expected {len(header)} fields as in the header, found {len(row)}"
            )
            continue
        yield prefixed(record_from_mapping(dict(zip(header, row, strict=True))), f"line {start}")
