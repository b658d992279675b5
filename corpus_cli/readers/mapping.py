"""A record from a mapping of field names to values (JSON, CSV rows, headers, front matter).

Values are kept as the file wrote them (dates are passed through as strings, never
interpreted); a record that cannot be read is a :class:`RecordError` with one plain
sentence, and never stops the records after it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from corpus_cli.errors import UsageError
from corpus_cli.readers.record import RawRecord, RecordError, UnreadableFile

# Alternative keys, best first: English, schema.org's NewsArticle, Italian. Keys are
# compared after _norm_key(), so "pubDate", "pub_date" and "PubDate" are the same
# key, as are "datePublished" and "date_published". Nested schema.org objects
# ("publisher": {"name": ...}, "author": {"name": ...}) are read by their name.
_ID_KEYS = ("id", "guid", "uuid", "article_id", "doc_id", "identifier")
_TITLE_KEYS = ("title", "headline", "heading", "titolo")
_DATE_KEYS = (
    "date",
    "published",
    "publish_date",
    "published_at",
    "pubdate",
    "date_published",
    "data",
    "data_pubblicazione",
    "created_at",
    "date_created",
    "timestamp",
    # Last: when an article was changed says little about when it was published.
    "date_modified",
)
_SOURCE_KEYS = (
    "source",
    "outlet",
    "publisher",
    "site_name",
    "site",
    "publication",
    "newspaper",
    "testata",
    "fonte",
    "publisher_name",  # a flattened publisher.name column
)
_URL_KEYS = ("url", "link", "href", "permalink", "canonical_url")
_TEXT_KEYS = (
    "text",
    "body",
    "content",
    "article",
    "full_text",
    "fulltext",
    "article_body",
    "testo",
)
_TEXT_LAST_RESORT_KEYS = ("description", "summary")
#: Fields a record has no slot for but that are understood all the same: kept in
#: ``extra`` under these names, whatever the input called them.
_AUTHOR_KEYS = ("author", "autore", "byline", "creator", "author_name")
_LANGUAGE_KEYS = ("language", "in_language", "lingua", "lang")

#: The fields ``ingest --map FIELD=NAME`` can point at another input name.
FIELDS = ("id", "title", "date", "source", "url", "text", "author", "language")

#: ``FIELD -> input name`` from ``ingest --map``, for the records read in this context.
_FIELD_MAP: ContextVar[Mapping[str, str] | None] = ContextVar("field_map", default=None)
#: Date keys whose value is used only when it is a string (a number there is
#: usually a Unix timestamp, which this reader does not interpret).
_STRING_ONLY_DATE_KEYS = frozenset({"timestamp"})

_NO_TEXT = "no text field (looked for {}; --map text=NAME names another)".format(
    ", ".join(_TEXT_KEYS + _TEXT_LAST_RESORT_KEYS)
)

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


# --------------------------------------------------------------------------- --map


def parse_field_map(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``["text=corpo", "date=pubblicazione"]`` -> ``{"text": "corpo", "date": ...}``.

    Raises :class:`UsageError` with one sentence for a pair that is not FIELD=NAME or
    names no field a record has.
    """
    found: dict[str, str] = {}
    for pair in pairs:
        target, equals, name = pair.partition("=")
        target, name = target.strip().lower(), name.strip()
        if not equals or not target or not name:
            raise UsageError(f"--map takes FIELD=NAME, as in --map text=corpo; got '{pair}'.")
        if target not in FIELDS:
            raise UsageError(
                f"--map {pair}: '{target}' is no field; the fields are {', '.join(FIELDS)}."
            )
        found[target] = name
    return found


@contextmanager
def mapped_fields(field_map: Mapping[str, str] | None) -> Iterator[None]:
    """Read the records of this context with ``field_map``'s names first."""
    token = _FIELD_MAP.set(dict(field_map) if field_map else None)
    try:
        yield
    finally:
        _FIELD_MAP.reset(token)


def _keys(target: str, defaults: tuple[str, ...]) -> tuple[str, ...]:
    """The keys to look for ``target`` under: the name --map gave it, then the usual ones."""
    mapped = (_FIELD_MAP.get() or {}).get(target)
    return defaults if mapped is None else (mapped, *defaults)


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


def _name_text(value: Any, key: str) -> str | None:
    """An author: ``"Ada"``, ``{"name": "Ada"}``, or a list of them -> ``"Ada, Bo"``."""
    if isinstance(value, list | tuple):
        names = [_source_text(item, key) for item in value]
        return ", ".join(n for n in names if n) or None
    return _source_text(value, key)


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
    """The first usable value among ``keys``; marks its key as used.

    A dotted key (``publisher.name``, from --map) is also looked up as a path into
    nested objects, when no key is spelt that way.
    """
    for key in keys:
        norm = _norm_key(key)
        if norm in entries and norm not in used:
            result: str | None = convert(entries[norm][1], norm)
            if result is not None:
                used.add(norm)
                return result
        elif "." in key:
            head, _, rest = key.partition(".")
            top = _norm_key(head)
            inner = entries.get(top, (None, None))[1]
            if top not in used and isinstance(inner, Mapping):
                nested = {_norm_key(k): (str(k), v) for k, v in inner.items()}
                result = _pick(nested, (rest,), convert, set())
                if result is not None:
                    used.add(top)
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
    text = _pick(entries, _keys("text", _TEXT_KEYS), _body_text, used)
    if text is None:
        text = _pick(entries, _TEXT_LAST_RESORT_KEYS, _body_text, used)
    if text is None:
        mapped = (_FIELD_MAP.get() or {}).get("text")
        if mapped is not None:
            return RecordError(f"no text field '{mapped}' (from --map text={mapped})")
        return RecordError(_NO_TEXT)

    record = RawRecord(
        text=text,
        title=_pick(entries, _keys("title", _TITLE_KEYS), _plain_text, used),
        date=_pick(entries, _keys("date", _DATE_KEYS), _date_text, used),
        source=_pick(entries, _keys("source", _SOURCE_KEYS), _source_text, used),
        url=_pick(entries, _keys("url", _URL_KEYS), _url_text, used),
        id=_pick(entries, _keys("id", _ID_KEYS), _id_text, used),
    )
    for name, keys in (("author", _AUTHOR_KEYS), ("language", _LANGUAGE_KEYS)):
        value = _pick(entries, _keys(name, keys), _name_text, used)
        if value is not None:
            record.extra[name] = value

    known = {
        _norm_key(k)
        for k in _ID_KEYS
        + _TITLE_KEYS
        + _DATE_KEYS
        + _SOURCE_KEYS
        + _URL_KEYS
        + _TEXT_KEYS
        + _TEXT_LAST_RESORT_KEYS
        + _AUTHOR_KEYS
        + _LANGUAGE_KEYS
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
    wanted = _keys("text", _TEXT_KEYS) + _TEXT_LAST_RESORT_KEYS
    return any(_norm_key(k.partition(".")[0]) in keys for k in wanted)


def wrapped_list(obj: Mapping[str, Any]) -> list[Any] | None:
    by_key = {_norm_key(k): v for k, v in obj.items()}
    for key in _WRAPPER_KEYS:
        if isinstance(by_key.get(key), list):
            return list(by_key[key])
    return None
