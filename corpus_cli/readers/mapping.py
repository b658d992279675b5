"""A record from a mapping of field names to values (JSON, CSV rows, headers, front matter).

Values are kept as the file wrote them (dates are passed through as strings, never
interpreted); a record that cannot be read is a :class:`RecordError` with one plain
sentence, and never stops the records after it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

from corpus_cli.readers.record import RawRecord, RecordError, UnreadableFile

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


def prefixed(result: RawRecord | RecordError, prefix: str) -> RawRecord | RecordError:
    if isinstance(result, RecordError):
        return RecordError(f"{prefix}: {result.reason}")
    return result


def record_from_headers(headers: dict[str, Any] | None, body: str) -> RawRecord:
    if not headers:
        if not body:
            raise UnreadableFile("no article text")
        return RawRecord(text=body)
    record = record_from_mapping({**headers, "text": body})
    if isinstance(record, RecordError):
        raise UnreadableFile(record.reason)
    return record


def has_text_field(obj: Mapping[str, Any]) -> bool:
    keys = {_norm_key(k) for k in obj}
    return any(_norm_key(k) in keys for k in _TEXT_KEYS + _TEXT_LAST_RESORT_KEYS)


def wrapped_list(obj: Mapping[str, Any]) -> list[Any] | None:
    by_key = {_norm_key(k): v for k, v in obj.items()}
    for key in _WRAPPER_KEYS:
        if isinstance(by_key.get(key), list):
            return list(by_key[key])
    return None
