"""Readers for structured records: JSON Lines, JSON, CSV and YAML front matter.

Every reader returns :class:`RawRecord` objects with the values as the file wrote
them (dates are passed through as strings, never interpreted) or a
:class:`RecordError` with one plain sentence for a record that cannot be read; a
bad record never stops the records after it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from corpus_cli.articles import RawRecord, RecordError

__all__ = [
    "read_csv",
    "read_json",
    "read_jsonl",
    "record_from_mapping",
    "split_front_matter",
]

# Alternative keys, best first. Keys are compared after _norm_key(), so
# "pubDate", "pub_date" and "PubDate" are the same key, as are "datePublished"
# and "date_published".
_ID_KEYS = ("id", "guid", "uuid", "article_id", "doc_id")
_TITLE_KEYS = ("title", "headline", "heading")
_DATE_KEYS = (
    "date",
    "published",
    "publish_date",
    "published_at",
    "pubdate",
    "date_published",
    "created_at",
    "timestamp",
)
_SOURCE_KEYS = (
    "source",
    "outlet",
    "publisher",
    "site_name",
    "site",
    "publication",
    "newspaper",
)
_URL_KEYS = ("url", "link", "href", "permalink", "canonical_url")
_TEXT_KEYS = ("text", "body", "content", "article", "full_text", "fulltext")
_TEXT_LAST_RESORT_KEYS = ("description", "summary")
#: Date keys whose value is used only when it is a string (a number there is
#: usually a Unix timestamp, which this reader does not interpret).
_STRING_ONLY_DATE_KEYS = frozenset({"timestamp"})

_NO_TEXT = "no text field (looked for {})".format(", ".join(_TEXT_KEYS + _TEXT_LAST_RESORT_KEYS))

#: Keys of a top-level JSON object that hold the list of records.
_WRAPPER_KEYS = (
    "articles",
    "items",
    "data",
    "results",
    "records",
    "documents",
    "docs",
    "entries",
    "posts",
)

#: How many values one record's ``extra`` may hold in all (guards against YAML
#: alias bombs, whose shared references would otherwise be expanded).
_EXTRA_BUDGET = 100_000

_NON_ALNUM = re.compile(r"[\W_]+")


def _norm_key(key: object) -> str:
    """``"Published_At"``, ``"publishedAt"`` and ``"published at"`` -> ``"publishedat"``."""
    return _NON_ALNUM.sub("", str(key)).casefold()


# --------------------------------------------------------------------------- values


def _scalar_text(value: Any) -> str | None:
    """A non-blank string for a scalar value (str, number, date), else ``None``."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    return None


def _date_text(value: Any, key: str) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if key in _STRING_ONLY_DATE_KEYS:
        return None
    if isinstance(value, dt.date):  # YAML: date: 2024-02-10 (datetime too)
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)  # YAML: date: 2021 (a year)
    return None


def _id_text(value: Any, key: str) -> str | None:
    if isinstance(value, (dt.date, dt.time)):
        return None
    return _scalar_text(value)


def _plain_text(value: Any, key: str) -> str | None:
    return _scalar_text(value)


def _url_text(value: Any, key: str) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _source_text(value: Any, key: str) -> str | None:
    """``"Reuters"`` or a nested ``{"name": "Reuters"}`` -> ``"Reuters"``."""
    if isinstance(value, Mapping):
        inner = {_norm_key(k): v for k, v in value.items()}
        for inner_key in ("name", "title", "sitename"):
            if isinstance(inner.get(inner_key), str) and inner[inner_key].strip():
                return str(inner[inner_key]).strip()
        return None
    if isinstance(value, str):
        return value.strip() or None
    return None


def _body_text(value: Any, key: str) -> str | None:
    """The article text, unchanged, if it has any non-blank character."""
    if isinstance(value, str):
        return value if value.strip() else None
    return _scalar_text(value)


_DROP = object()


def _jsonable(value: Any, budget: list[int], seen: frozenset[int] = frozenset()) -> Any:
    """A JSON-serialisable copy of ``value``, or ``_DROP`` if there is none."""
    budget[0] -= 1
    if budget[0] < 0:
        return _DROP
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else _DROP
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if id(value) in seen:  # a recursive YAML structure
        return _DROP
    if isinstance(value, Mapping):
        inner = seen | {id(value)}
        out: dict[str, Any] = {}
        for k, v in value.items():
            key = k if isinstance(k, str) else _scalar_text(k)
            converted = _jsonable(v, budget, inner)
            if key is not None and converted is not _DROP:
                out[key] = converted
        return out
    if isinstance(value, (list, tuple)):
        inner = seen | {id(value)}
        items = [_jsonable(v, budget, inner) for v in value]
        return [v for v in items if v is not _DROP]
    return _DROP  # bytes, sets, arbitrary objects


# --------------------------------------------------------------------------- mapping


def _pick(
    entries: dict[str, tuple[str, Any]],
    keys: tuple[str, ...],
    convert: Any,
    used: set[str],
) -> str | None:
    """The first usable value among ``keys``; marks its key as used."""
    for key in keys:
        norm = _norm_key(key)
        if norm in entries and norm not in used:
            result: str | None = convert(entries[norm][1], norm)
            if result is not None:
                used.add(norm)
                return result
    return None


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, (list, tuple, dict)) and not value


def record_from_mapping(data: Mapping[str, Any]) -> RawRecord | RecordError:
    """Map one JSON object, CSV row or front-matter mapping to a :class:`RawRecord`.

    Keys are matched case-insensitively and ignoring ``_``, ``-`` and spaces, so
    ``publishedAt`` is ``published_at``. The keys that were not used go into
    ``extra`` (converted to JSON-serialisable values; dates become ISO strings).
    """
    # normalised key -> (original key, value); the first spelling of a key wins
    entries: dict[str, tuple[str, Any]] = {}
    for key, value in data.items():
        original = key if isinstance(key, str) else str(key)
        entries.setdefault(_norm_key(original), (original, value))

    used: set[str] = set()
    text = _pick(entries, _TEXT_KEYS, _body_text, used)
    if text is None:
        text = _pick(entries, _TEXT_LAST_RESORT_KEYS, _body_text, used)
    if text is None:
        return RecordError(_NO_TEXT)

    record = RawRecord(
        text=text,
        title=_pick(entries, _TITLE_KEYS, _plain_text, used),
        date=_pick(entries, _DATE_KEYS, _date_text, used),
        source=_pick(entries, _SOURCE_KEYS, _source_text, used),
        url=_pick(entries, _URL_KEYS, _url_text, used),
        id=_pick(entries, _ID_KEYS, _id_text, used),
    )

    known = {
        _norm_key(k)
        for k in _ID_KEYS
        + _TITLE_KEYS
        + _DATE_KEYS
        + _SOURCE_KEYS
        + _URL_KEYS
        + _TEXT_KEYS
        + _TEXT_LAST_RESORT_KEYS
    }
    budget = [_EXTRA_BUDGET]
    for norm, (original, value) in entries.items():
        if norm in used or (norm in known and _is_blank(value)):
            continue
        converted = _jsonable(value, budget)
        if converted is not _DROP:
            record.extra[original] = converted
    return record


def _prefixed(result: RawRecord | RecordError, prefix: str) -> RawRecord | RecordError:
    if isinstance(result, RecordError):
        return RecordError(f"{prefix}: {result.reason}")
    return result


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


# --------------------------------------------------------------------------- JSON


def read_jsonl(text: str) -> Iterator[RawRecord | RecordError]:
    """One JSON object per line; blank lines are ignored, a bad line is one error."""
    for number, line in enumerate(_strip_bom(text).split("\n"), start=1):
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
        yield _prefixed(record_from_mapping(value), f"line {number}")


def _has_text_field(obj: Mapping[str, Any]) -> bool:
    keys = {_norm_key(k) for k in obj}
    return any(_norm_key(k) in keys for k in _TEXT_KEYS + _TEXT_LAST_RESORT_KEYS)


def _wrapped_list(obj: Mapping[str, Any]) -> list[Any] | None:
    by_key = {_norm_key(k): v for k, v in obj.items()}
    for key in _WRAPPER_KEYS:
        if isinstance(by_key.get(key), list):
            return list(by_key[key])
    return None


def read_json(text: str) -> Iterator[RawRecord | RecordError]:
    """An array of objects, one object, or ``{"articles"|"items"|"data": [...]}``."""
    text = _strip_bom(text)
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
        items = None if _has_text_field(value) else _wrapped_list(value)
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
            yield _prefixed(record_from_mapping(item), f"record {number}")
        else:
            yield RecordError(f"record {number}: not a JSON object")


# --------------------------------------------------------------------------- CSV

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
    text = _strip_bom(text)
    header_line = text.split("\n", 1)[0].rstrip("\r")
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
        yield _prefixed(record_from_mapping(dict(zip(header, row, strict=True))), f"line {start}")


# --------------------------------------------------------------------------- front matter


def _is_fence(line: str, *marks: str) -> bool:
    return line.rstrip() in marks


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str]:
    """Split Markdown into its YAML front matter (a mapping) and its body.

    The front matter opens with a first line ``---`` and closes with the next
    line ``---`` or ``...``. Without an opening line, or without a closing one,
    there is no front matter and the result is ``(None, text)``. Front matter
    that is not valid YAML, or not a mapping, raises :class:`ValueError`.
    """
    content = _strip_bom(text)
    lines = content.splitlines(keepends=True)
    if not lines or not _is_fence(lines[0], "---"):
        return None, text
    for index in range(1, len(lines)):
        if _is_fence(lines[index], "---", "..."):
            break
    else:
        return None, text  # never closed: a thematic break, not front matter

    source = "".join(lines[1:index])
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or "cannot be parsed"
        mark = getattr(error, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""
        raise ValueError(f"the front matter is not valid YAML ({problem}{where})") from None
    body = "".join(lines[index + 1 :])
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        kind = {list: "a list", str: "a string", int: "a number", float: "a number"}.get(
            type(data), f"a {type(data).__name__}"
        )
        raise ValueError(f"the front matter is not a mapping of keys to values (found {kind})")
    return data, body
