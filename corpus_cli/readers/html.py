"""Reader for saved web pages: the article text and metadata of one HTML page.

Text, title, site name, URL, description, author, tags and categories come from
trafilatura. The publication date does not: htmldate (which trafilatura runs)
guesses dates from the URL, from text such as "Posted on 12 June 2018" and from
elements classed "date", and no setting turns those guesses off. The date is read
by :mod:`corpus_cli.readers.page_dates` from the page's own signals; htmldate's
guess from the visible dates is only a last resort.

trafilatura is imported on the first call, so that importing this module (and
starting the CLI) stays fast.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from corpus_cli.readers.page_dates import CONFLICT, guess_refused, page_date
from corpus_cli.readers.record import RawRecord, RecordError

__all__ = ["read_html"]

_NO_TEXT = "no article text found in the page"

# ----------------------------------------------------------------------------- other fields


def _lower_attr(element: Any, name: str) -> str:
    return str(element.get(name) or "").strip().lower()


def _canonical_url(tree: Any, base: str | None) -> str | None:
    """The ``<link rel=canonical>`` address, made absolute against ``base``."""
    for link in tree.iter("link"):
        if "canonical" not in _lower_attr(link, "rel").split():
            continue
        href = (link.get("href") or "").strip()
        try:
            if href.startswith("//"):
                href = "https:" + href
            elif href and base and not urlsplit(href).scheme:
                href = urljoin(base, href)
            parts = urlsplit(href)
        except ValueError:  # a malformed address is no canonical address
            continue
        if parts.scheme in ("http", "https") and parts.netloc:
            return href
    return None


def _page_urls(tree: Any, url: str | None) -> list[str]:
    """The page's own addresses: canonical first, then ``og:url``."""
    urls = [url] if url else []
    for meta in tree.iter("meta"):
        if _lower_attr(meta, "property") == "og:url" and meta.get("content"):
            urls.append(meta.get("content").strip())
    return urls


def _stated_in_page(tree: Any, name: str) -> bool:
    """Whether ``name`` is written in the page's title, ``<meta>`` tags or JSON-LD."""
    for title in tree.iter("title"):
        if name in (title.text or ""):
            return True
    for meta in tree.iter("meta"):
        if (meta.get("content") or "").strip().lstrip("@") == name:
            return True
    for script in tree.iter("script"):
        if _lower_attr(script, "type") == "application/ld+json" and name in (script.text or ""):
            return True
    return False


def _site_name(tree: Any, sitename: str | None, url: str | None) -> str | None:
    """trafilatura's site name, unless it is a URL or was made up from the URL's host."""
    if not sitename or not sitename.strip():
        return None
    sitename = sitename.strip()
    if re.match(r"https?://", sitename):
        return None  # e.g. <meta property=article:publisher> with a Facebook page
    if url and not _stated_in_page(tree, sitename):
        host = (urlsplit(url).hostname or "").lower()
        host = re.sub(r"^(www|w\d+)\.", "", host)
        if sitename.lower() == host:
            return None
    return sitename


# ----------------------------------------------------------------------------- trafilatura

#: Removed before extraction, so that trafilatura's fallback extractors cannot
#: return navigation, footers or consent banners as "the text" of a page that has none.
_LC = "translate({}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_CONSENT = " or ".join(
    f"contains({_LC.format(attr)}, '{word}')"
    for attr in ("@id", "@class")
    for word in ("cookie", "consent", "gdpr")
)
_PRUNE_XPATHS = [
    "//nav",
    "//footer",
    "//*[@role='navigation' or @role='contentinfo']",
    "//*[not(self::html or self::body or self::main or self::article)]"
    f"[not(.//article or .//main)][{_CONSENT}]",
]

#: htmldate settings passed through trafilatura: original (publication) dates
#: only, no extensive text search. Its result is still not used (see the module
#: docstring); the settings just keep the call cheap.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}

_quieted = False


def _quiet_libraries() -> None:
    """Silence trafilatura and htmldate: they log errors and warnings for pages
    without text, which the caller reports itself as a :class:`RecordError`."""
    global _quieted
    if not _quieted:
        for name in ("trafilatura", "htmldate", "courlan"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        _quieted = True


def _without_repeated_title(text: str, title: str) -> str:
    """``text`` without its first line when that line is the title (the page's ``<h1>``).

    The extractor keeps the heading in the text, so the title would be shown twice,
    and a search of its words would count it twice.
    """
    first, _, rest = text.partition("\n")

    def same(line: str) -> str:
        return " ".join(line.split()).casefold()

    if rest.strip() and same(first) == same(title):
        return rest.strip()
    return text


def read_html(data: bytes) -> RawRecord | RecordError:
    """The main text and metadata of one saved HTML page.

    Returns a :class:`RecordError` when the page has no article text (only
    navigation, banners, an empty body, or not HTML at all).
    """
    import trafilatura

    _quiet_libraries()
    try:
        tree = trafilatura.load_html(data)
        if tree is None:
            return RecordError(_NO_TEXT)
        document = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            prune_xpath=_PRUNE_XPATHS,
            date_extraction_params=_DATE_PARAMS,
        )
    except MemoryError:
        raise
    except Exception as error:  # a bug in the extractor must not stop the indexing
        return RecordError(f"the page could not be parsed ({type(error).__name__}: {error})")
    if document is None or isinstance(document, dict):
        return RecordError(_NO_TEXT)
    text = (document.text or "").strip()
    if not text:
        return RecordError(_NO_TEXT)

    url = _canonical_url(tree, document.url) or document.url or None
    title = (document.title or "").strip() or None
    if title is not None:
        text = _without_repeated_title(text, title)

    record = RawRecord(
        text=text,
        title=title,
        source=_site_name(tree, document.sitename, url),
        url=url,
    )
    stated = page_date(tree, _page_urls(tree, url))
    found = stated.found
    if found == CONFLICT:
        pass  # undated: the page's own claims disagree, and no visible date settles it
    elif found is not None:
        record.date, record.date_evidence = found
        record.date_inferred = record.date_weighed = found[1].startswith(
            ("byline", "date under", "date above")
        )
    elif document.date and not (
        document.date in stated.updated or guess_refused(tree, document.date)
    ):
        # No date in the metadata or the URL: htmldate's fast search of the page's visible
        # dates (bylines, elements classed "date", <abbr>, the title), which trafilatura has
        # run already. It reads the whole page, where the byline often sits outside the
        # article text the text inference sees.
        record.date = document.date
        record.date_evidence = "the page's visible dates (htmldate)"
        record.date_inferred = True
    record.dates_in_body = False

    language = tree.get("lang") or document.language
    if language:  # <html lang>, else the page's meta: resolve.py weighs it against the text
        record.extra["page_language"] = language
    if document.description:
        record.extra["description"] = document.description
    if document.author:
        record.extra["author"] = document.author
    if document.tags:
        record.extra["tags"] = list(document.tags)
    if document.categories:
        record.extra["categories"] = list(document.categories)
    return record
