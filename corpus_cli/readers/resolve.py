"""From a raw record to an :class:`~corpus_cli.model.Article`: dates, sources, enrichment."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from corpus_cli.model import Article, DateInfo
from corpus_cli.readers.record import RawRecord
from corpus_cli.text.analysis import source_key
from corpus_cli.text.citations import outlets_named
from corpus_cli.text.dates import infer_date, parse_metadata_date
from corpus_cli.text.detect import MIN_CONFIDENCE, OVERRULES_PAGE, guess
from corpus_cli.text.languages import DEFAULT_LANGUAGE, normal_code
from corpus_cli.text.periods import periods_touched


def resolve(
    record: RawRecord,
    *,
    id: str,
    path: str,
    fallback_source: str,
    today: datetime.date | None = None,
    default_language: str = DEFAULT_LANGUAGE,
) -> Article:
    """Turn a raw record into an article: date from metadata else inferred, source chain.

    The article's derived fields (folded source, cited outlets, date periods) are
    computed here, once, so every backend stores the same.
    """
    date = _date_of(record, today)
    source = record.source or _site_of(record.url) or fallback_source
    return Article(
        id=id,
        path=path,
        text=record.text,
        title=record.title,
        date=date,
        source=source,
        url=record.url,
        extra=record.extra,
        source_key=source_key(source),
        cites=tuple(sorted(outlets_named(_full_text(record.title, record.text)))),
        periods=periods_touched(date),
        language=_language_of(record, default_language),
    )


def _language_of(record: RawRecord, default: str) -> str:
    """What the record says, else what its text shows, else the corpus default.

    A web page's ``<html lang>`` is weaker than a record's field: it is often the
    site template's, so a text clearly in another language overrules it.
    """
    for key in _LANGUAGE_KEYS:
        value = record.extra.get(key)
        stated = normal_code(value) if isinstance(value, str) else None
        if stated is not None:
            return stated
    page = record.extra.get(PAGE_LANGUAGE)
    page_code = normal_code(page) if isinstance(page, str) else None
    language, confidence = guess(_full_text(record.title, record.text))
    if page_code is not None:
        if language is not None and confidence >= OVERRULES_PAGE:
            return language
        return page_code
    if language is not None and confidence >= MIN_CONFIDENCE:
        return language
    return default


#: Where readers leave a language the input states (mapping.py, the HTML reader).
_LANGUAGE_KEYS = ("language", "lang", "inLanguage", "in_language")
#: Where the HTML reader leaves the page's ``<html lang>``.
PAGE_LANGUAGE = "page_language"


def _date_of(record: RawRecord, today: datetime.date | None) -> DateInfo | None:
    """Metadata first; the text's own words only where the metadata leaves room.

    A metadata date of month or year precision is narrowed to a day the text gives inside
    it, and never replaced by one outside it: an inferred date does not contradict the
    date the record states.
    """
    stated = None
    if record.date:
        stated = parse_metadata_date(record.date, today)
        if stated is not None:
            evidence = record.date_evidence or stated.evidence
            stated = DateInfo(stated.value, stated.precision, record.date_inferred, evidence)
    weighed = not record.date_inferred or record.date_weighed
    if stated is not None and stated.precision == "day" and weighed:
        return stated
    inferred = infer_date(record.text, today, body=record.dates_in_body)
    if stated is None:
        return inferred
    if inferred is None or inferred.precision != "day":
        return stated
    if stated.precision != "day":
        inside = stated.start <= inferred.start <= stated.end
        return inferred if inside else stated
    # Two readings of the page's visible words that disagree: neither is trusted.
    return stated if inferred.value == stated.value else None


def _full_text(title: str | None, text: str) -> str:
    return f"{title}\n{text}" if title else text


def _site_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:  # "http://[bad": not a URL, so no site to name
        return None
    if not host:
        return None
    return host.removeprefix("www.")
