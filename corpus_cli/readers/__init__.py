"""Readers: files in, raw records out, one module per input format.

:func:`read_records` picks the reader by the file's extension (``dispatch.py``); each
format's module turns bytes or text into :class:`RawRecord` objects, and
:func:`resolve` makes an :class:`~corpus_cli.model.Article` of each, with its date,
source and the enrichment every backend stores. A new input format is a new module
here and one line in ``dispatch.py``.
"""

from corpus_cli.readers.decoding import decode, os_reason, too_large
from corpus_cli.readers.dispatch import (
    holds_records,
    is_compressed,
    is_supported,
    read_records,
    size_limit,
)
from corpus_cli.readers.mapping import FIELDS, mapped_fields, parse_field_map
from corpus_cli.readers.record import RawRecord, RecordError, UnreadableFile
from corpus_cli.readers.resolve import resolve
from corpus_cli.readers.streams import record_stem

__all__ = [
    "FIELDS",
    "RawRecord",
    "RecordError",
    "UnreadableFile",
    "decode",
    "holds_records",
    "is_compressed",
    "is_supported",
    "mapped_fields",
    "os_reason",
    "parse_field_map",
    "read_records",
    "record_stem",
    "resolve",
    "size_limit",
    "too_large",
]
