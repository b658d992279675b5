"""The Whoosh index's shape: its schema, its version, and an article as its fields.

The field names and values are the index format: an index written by an earlier
version of corpus with the same SCHEMA_VERSION must keep opening, so the values
stored here (``stat:…`` file states, ``y2023``/``m2023-04`` period terms) do not
change without a new version.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from corpus_cli.model import Article, DateInfo, FileState

INDEX_NAME = "corpus"
#: Bumped when the schema changes in a way older indexes cannot serve, or when the
#: analysis changes what is indexed (7: light stems instead of Snowball's; 8: the
#: article's language, and the stems of languages other than Italian prefixed).
SCHEMA_VERSION = 8
VERSION_FILE = "corpus-schema"
#: Between the values of a field that holds several (an article's file and those of
#: its copies, its source and theirs): NUL, which no path or folded source contains.
SEPARATOR = "\x00"
#: The values :func:`document` indexes but does not store under their own names,
#: kept in ``rebuild`` so that an article can be written again with other copies.
REBUILT = (
    "file_stat",
    "file_hash",
    "source",
    "date_kind",
    "date_value",
    "date_periods",
    "date_start",
    "date_end",
    "sort_asc",
    "sort_desc",
    "cites",
)
#: The text fields and the article attribute each is written from (document()):
#: the fields whose postings the reading processes make (postings.py).
TEXT_SOURCES = {"title": "title", "text": "text", "exact": "text", "title_exact": "title"}
#: Sort keys of undated articles, so that they come last both ways.
NO_DATE_LOW = 0
NO_DATE_HIGH = 99_999_999


def schema() -> Any:
    from whoosh import columns, fields
    from whoosh.analysis import RegexTokenizer

    from corpus_cli.storage.whoosh.analyzer import ItalianAnalyzer
    from corpus_cli.storage.whoosh.formats import Counts, PositionArrays

    stemmed = ItalianAnalyzer(stemmed=True)

    def words(analyzer: Any, positions: bool, **options: Any) -> Any:
        """A text field whose postings are kept in the compact formats of formats.py."""
        field = fields.TEXT(analyzer=analyzer, phrase=positions, **options)
        boost = field.format.field_boost
        field.format = PositionArrays(field_boost=boost) if positions else Counts(field_boost=boost)
        return field

    def several() -> Any:
        """An ID field of one term per value, the values joined by SEPARATOR."""
        return fields.ID(analyzer=RegexTokenizer(f"[^{SEPARATOR}]+"))

    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        # Where the article came from: the absolute file key identifies it across
        # runs from other working folders; ``path`` is what the user typed.
        file=fields.ID(stored=True),
        # That file and the files of its copies: the ledger's questions about a
        # file whose records are copies find the article they are kept on.
        files=several(),
        file_stat=several(),
        file_hash=several(),
        content=fields.ID(stored=True),
        # Exact copies from other records (see model.Copy), as dicts; ``copied`` is
        # "yes" on the articles that have some, so that counting by source reads
        # the stored fields of those alone.
        copies=fields.STORED(),
        copied=fields.ID(),
        rebuild=fields.STORED(),
        path=fields.STORED(),
        title=words(stemmed, positions=True, stored=True, field_boost=2.0),
        text=words(stemmed, positions=True, stored=True),
        # Surface words, unstemmed, for wildcards and fuzzy terms. ``exact`` is fed
        # the very string ``text`` is, so the analyser's memo spares a second pass.
        exact=words(ItalianAnalyzer(stemmed=False), positions=False),
        title_exact=words(ItalianAnalyzer(stemmed=False), positions=False),
        # The folded source and those of the copies: --source and source: find both.
        source=several(),
        source_name=fields.ID(stored=True, sortable=True),
        url=fields.STORED(),
        date=fields.STORED(),
        date_precision=fields.STORED(),
        date_inferred=fields.STORED(),
        date_evidence=fields.STORED(),
        date_kind=fields.ID(),
        # Every year ("y2023") and month ("m2023-04") the date's period touches: a
        # bounded range filters on a few of these terms instead of two numeric
        # ranges, which Whoosh expands into dozens of terms over every article.
        date_periods=fields.KEYWORD(scorable=False),
        date_start=fields.NUMERIC(int, bits=32),
        date_end=fields.NUMERIC(int, bits=32),
        # Sort keys are columns only: indexing them as numeric terms cost eight
        # postings each per article and no query ever searches them.
        sort_asc=fields.COLUMN(columns.NumericColumn("I")),
        sort_desc=fields.COLUMN(columns.NumericColumn("I")),
        # The date as written ("2023-04", "2023-04-19"), as a column: counting by
        # period reads it for thousands of hits without unpickling stored text.
        date_value=fields.ID(sortable=True),
        extra=fields.STORED(),
        # The agencies and outlets the article names (text/citations.py), for --cites.
        cites=fields.KEYWORD(commas=True, lowercase=True, scorable=False),
        # ISO 639-1 code: --lang, and which analysis the text and title went through.
        language=fields.ID(stored=True),
    )


def register_legacy_paths() -> None:
    """Let indexes that pickled the analyzer under its old module path open.

    Before the package was laid out in layers the analyzer lived in
    ``corpus_cli.analysis``; pickle looks a class up by module name in
    ``sys.modules``, so that name is pointed at the analyzer's module now.
    """
    from corpus_cli.storage.whoosh import analyzer

    sys.modules.setdefault("corpus_cli.analysis", analyzer)


def stat_term(key: str, size: int, mtime_ns: int) -> str:
    return f"stat:{key}|{size}|{mtime_ns}"


def hash_term(key: str, digest: str) -> str:
    return f"hash:{key}|{digest}"


def day_number(value: Any) -> int:
    return int(value.strftime("%Y%m%d"))


def document(article: Article, file: FileState, content_hash: str) -> dict[str, Any]:
    """The Whoosh fields of one article, without copies."""
    doc = {
        "id": article.id,
        "file": file.key,
        "file_stat": stat_term(file.key, file.size, file.mtime_ns),
        "file_hash": hash_term(file.key, file.digest),
        "content": content_hash,
        "path": article.path,
        **{name: getattr(article, attribute) or "" for name, attribute in TEXT_SOURCES.items()},
        "source": article.source_key,
        "source_name": article.source or "",
        "url": article.url,
        "extra": article.extra,
        "cites": ",".join(article.cites),
        "language": article.language,
        **_date_fields(article.date, article.periods),
    }
    doc["rebuild"] = {name: doc[name] for name in REBUILT if name in doc}
    return with_copies(doc, [])


def copy_fields(copy: Article, file: FileState) -> dict[str, Any]:
    """One copy as the article it is kept on stores it."""
    return {
        "id": copy.id,
        "path": copy.path,
        "title": copy.title,
        "date": copy.date.value if copy.date else None,
        "source": copy.source,
        "url": copy.url,
        "source_key": copy.source_key,
        "file": file.key,
        "file_stat": stat_term(file.key, file.size, file.mtime_ns),
        "file_hash": hash_term(file.key, file.digest),
    }


def with_copies(doc: dict[str, Any], copies: list[dict[str, Any]]) -> dict[str, Any]:
    """``doc`` (as :func:`document` or :func:`rebuilt` made it) with exactly ``copies``."""
    own = doc["rebuild"]
    doc = {name: value for name, value in doc.items() if name not in ("copies", "copied")}
    if copies:
        doc["copies"] = copies
        doc["copied"] = "yes"

    def joined(first: str, name: str) -> str:
        return SEPARATOR.join([first, *(c[name] for c in copies)])

    doc["files"] = joined(doc["file"], "file")
    doc["file_stat"] = joined(own["file_stat"], "file_stat")
    doc["file_hash"] = joined(own["file_hash"], "file_hash")
    doc["source"] = joined(own["source"], "source_key")
    return doc


#: The stored fields that are the document's own, as :func:`document` gives them.
_STORED = (
    "id",
    "file",
    "content",
    "path",
    "title",
    "text",
    "source_name",
    "url",
    "date",
    "date_precision",
    "date_inferred",
    "date_evidence",
    "extra",
    "rebuild",
    "language",
)


def rebuilt(stored: dict[str, Any]) -> dict[str, Any]:
    """The document an article's stored fields were written from, copies included."""
    doc = {name: stored.get(name) for name in _STORED}
    doc.update(stored["rebuild"])
    doc["exact"] = doc["text"]
    doc["title_exact"] = doc["title"]
    return with_copies(doc, list(stored.get("copies") or []))


def period_term(period: str) -> str:
    """``2023`` -> ``y2023``, ``2023-04`` -> ``m2023-04``: the index's period terms."""
    return ("y" if len(period) == 4 else "m") + period


def _date_fields(date: DateInfo | None, periods: tuple[str, ...]) -> dict[str, Any]:
    if date is None:
        return {
            "date": None,
            "date_precision": None,
            "date_inferred": False,
            "date_evidence": None,
            "date_kind": "none",
            # Written even when empty: Whoosh skips a segment's column when no
            # document of it has a value, which misaligns a multi-segment read.
            "date_value": "",
            "sort_asc": NO_DATE_HIGH,
            "sort_desc": NO_DATE_LOW,
        }
    start = day_number(date.start)
    return {
        "date": date.value,
        "date_precision": date.precision,
        "date_inferred": date.inferred,
        "date_evidence": date.evidence,
        "date_kind": "inferred" if date.inferred else "metadata",
        "date_value": date.value,
        "date_periods": " ".join(period_term(p) for p in periods),
        "date_start": start,
        "date_end": day_number(date.end),
        "sort_asc": start,
        "sort_desc": start,
    }


def schema_version(path: Path) -> int | None:
    try:
        return int((path / VERSION_FILE).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
