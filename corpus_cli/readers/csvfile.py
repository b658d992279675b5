"""CSV and TSV with a header row: one article per row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from corpus_cli.readers.decoding import strip_bom
from corpus_cli.readers.mapping import prefixed, record_from_mapping
from corpus_cli.readers.record import RawRecord, RecordError

_CSV_FIELD_LIMIT = 2**31 - 1  # the largest value every platform's C long accepts


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
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)  # article bodies can be megabytes
    text = strip_bom(text)
    # The header is the first line with something on it: blank lines above it (an export
    # that starts with a newline) are skipped below too, and must not hide every row.
    lines = io.StringIO(text, newline="")
    header_line = next((line for line in lines if line.strip()), "").rstrip("\r\n")
    if not header_line.strip():
        return
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(header_line))

    header: list[str] | None = None
    last_line = 0
    while True:
        start = last_line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            last_line = max(reader.line_num, start)
            yield RecordError(f"line {start}: not valid CSV ({error})")
            continue
        last_line = reader.line_num
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


# --------------------------------------------------------------------------- front matter
