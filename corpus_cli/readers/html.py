"""Reader for saved web pages: the article text and metadata of one HTML page.

Text, title, site name, URL, description, author, tags and categories come from
trafilatura. The publication date does not: htmldate (which trafilatura would run)
guesses dates from the URL, from text such as "Posted on 12 June 2018" and from
elements classed "date", and no setting turns those guesses off. The date is read
by :mod:`corpus_cli.readers.page_dates` from the page's own signals; htmldate's
guess from the visible dates is only a last resort, and only then asked for.

For speed (``bench/html_ingest.py``): the page is parsed once and every part reads that
tree; trafilatura's metadata is gathered without the parts nothing here uses; its text
comes from its main extractor alone unless that text is suspect (``_text``).

trafilatura is imported on the first call, so that importing this module (and
starting the CLI) stays fast.
"""

from __future__ import annotations

import contextlib
import logging
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from corpus_cli.readers.page_dates import CONFLICT, page_date
from corpus_cli.readers.page_guess import guess_refused
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

#: Removed before the text is extracted, so that navigation, footers and consent banners
#: cannot become "the text" of a page that has none: ``<nav>``, ``<footer>``, the ARIA
#: roles of both, and elements whose id or class names a cookie, consent or GDPR banner
#: (unless they hold the page's ``<article>`` or ``<main>``). Done here in one walk rather
#: than by XPath: lxml lower-cases attributes for XPath with ``translate()``, six times an
#: element, which took longer than the rest of the pruning.
_CHROME_TAGS = ("nav", "footer")
_BANNER_WORDS = ("cookie", "consent", "gdpr")
_NEVER_BANNER = frozenset(["html", "body", "main", "article"])


def _drop(element: Any) -> None:
    """Remove ``element`` and its children, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)


def _prune_chrome(tree: Any) -> None:
    """Remove the page's navigation, footers and consent banners (see ``_CHROME_TAGS``)."""
    chrome = list(tree.iter(*_CHROME_TAGS))
    chrome += tree.xpath("//*[@role='navigation' or @role='contentinfo']")
    for element in chrome:
        _drop(element)
    banners = []
    for element in tree.xpath("//*[@id or @class]"):
        names = f"{element.get('id') or ''} {element.get('class') or ''}".lower()
        if (
            any(word in names for word in _BANNER_WORDS)
            and element.tag not in _NEVER_BANNER
            and next(element.iter("article", "main"), None) is None
        ):
            banners.append(element)
    for element in banners:
        _drop(element)


_quieted = False


def _quiet_libraries() -> None:
    """Silence trafilatura and htmldate: they log errors and warnings for pages
    without text, which the caller reports itself as a :class:`RecordError`."""
    global _quieted
    if not _quieted:
        for name in ("trafilatura", "htmldate", "courlan"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        _quieted = True


def _metadata(tree: Any) -> Any:
    """trafilatura's metadata of the page (``extract_metadata``), less what is not used.

    The same steps in the same order, from trafilatura's own functions, without the
    licence search, the host name (which loads the public suffix list) and the date:
    htmldate's guess is a last resort, asked for by the caller only when the page's
    own signals give no date (:func:`_htmldate`).
    """
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_author,
        extract_catstags,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )

    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None  # trafilatura's rule: a single word is a handle, not a name
    with contextlib.suppress(Exception):  # trafilatura guards its JSON-LD reading so too
        metadata = extract_meta_json(tree, metadata)
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.author:
        metadata.author = extract_author(tree)
    if not metadata.url:
        metadata.url = extract_url(tree, None)
    if not metadata.sitename:
        metadata.sitename = extract_sitename(tree)
    if metadata.sitename:
        name = metadata.sitename.lstrip("@")
        if name and "." not in name and not name[0].isupper():
            name = name.title()
        metadata.sitename = name
    elif metadata.url and (match := META_URL.match(metadata.url)):
        metadata.sitename = match[1]
    if not metadata.categories:
        metadata.categories = extract_catstags("category", tree)
    if not metadata.tags:
        metadata.tags = extract_catstags("tag", tree)
    metadata.clean_and_trim()
    return metadata


def _htmldate(tree: Any, url: str | None) -> str | None:
    """htmldate's fast search of the page's visible dates (bylines, elements classed
    "date", ``<abbr>``, the title), with trafilatura's settings for it."""
    from htmldate import find_date

    # original (publication) dates only, no extensive text search
    found = find_date(tree, extensive_search=False, original_date=True, url=url)
    return str(found) if found else None


#: A main extractor's text shorter than this share of the page's visible text, and than
#: ``_SUSPECT_CHARS``, is suspect: trafilatura's fallback extractors (readability, jusText)
#: are then asked too. On pages-dev (362 pages) that is 33 pages, and it keeps the text of
#: every page whose text the fallbacks changed by more than a tenth
#: (``bench/html_ingest.py --text``).
_SUSPECT_SHARE = 0.25
_SUSPECT_CHARS = 4000
_NOT_TEXT = ("script", "style", "noscript", "template")


def _visible_chars(tree: Any) -> int:
    """Characters of text in the page's body, less code and styles."""
    body = next(tree.iter("body"), tree)
    chars = sum(len(text.strip()) for text in body.itertext())
    return chars - sum(len((element.text or "").strip()) for element in body.iter(*_NOT_TEXT))


def _text(tree: Any, url: str | None) -> str:
    """The article text of ``tree``, which is pruned in place (``_prune_chrome``).

    trafilatura's main extractor alone (``fast``), unless its text is a small share of the
    page's: its fallback extractors compare their text with the main one's on every page,
    which took a third of the time, and changed the text of few pages, all of them pages
    where the main extractor had found little of the page's text (a long essay, a list of
    costumes, a forum thread).
    """
    import trafilatura

    _prune_chrome(tree)

    def extract(fast: bool) -> str:
        document = trafilatura.bare_extraction(
            tree, url=url, fast=fast, include_comments=False, include_tables=True
        )
        if document is None or isinstance(document, dict):
            return ""
        return (document.text or "").strip()

    text = extract(fast=True)
    if len(text) < _SUSPECT_CHARS and len(text) < _SUSPECT_SHARE * _visible_chars(tree):
        text = extract(fast=False)
    return text


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


# Where the document proper starts, when a server printed something before it.
_DOCUMENT_START = re.compile(rb"<!doctype\s+html|<html[\s>]", re.IGNORECASE)


def _load(trafilatura: Any, data: bytes) -> Any:
    """The page's tree. A PHP warning printed before ``<html>`` (old WordPress blogs)
    makes the parser take the warning for the whole document, a fragment without the
    page's body: then the page is read from its ``<!DOCTYPE>`` or ``<html>`` on."""
    tree = trafilatura.load_html(data)
    if tree is not None and tree.tag == "html":
        return tree
    start = _DOCUMENT_START.search(data, 1)
    if start is None:
        return tree
    whole = trafilatura.load_html(data[start.start() :])
    return whole if whole is not None else tree


def read_html(data: bytes) -> RawRecord | RecordError:
    """The main text and metadata of one saved HTML page.

    Returns a :class:`RecordError` when the page has no article text (only
    navigation, banners, an empty body, or not HTML at all).

    The page is parsed once: its metadata, its date and its text are all read from
    that tree, the text last, as its extraction prunes the tree.
    """
    import trafilatura

    _quiet_libraries()
    try:
        tree = _load(trafilatura, data)
        if tree is None:
            return RecordError(_NO_TEXT)
        metadata = _metadata(tree)
    except MemoryError:
        raise
    except Exception as error:  # a bug in the extractor must not stop the indexing
        return RecordError(f"the page could not be parsed ({type(error).__name__}: {error})")

    url = _canonical_url(tree, metadata.url) or metadata.url or None
    title = (metadata.title or "").strip() or None
    source = _site_name(tree, metadata.sitename, url)
    record = RawRecord(text="", title=title, source=source, url=url)
    _date_page(record, tree, url, metadata.url)
    language = tree.get("lang")
    if language:  # <html lang>: resolve.py weighs it against the text
        record.extra["page_language"] = language
    if metadata.description:
        record.extra["description"] = metadata.description
    if metadata.author:
        record.extra["author"] = metadata.author
    if metadata.tags:
        record.extra["tags"] = list(metadata.tags)
    if metadata.categories:
        record.extra["categories"] = list(metadata.categories)

    try:
        text = _text(tree, metadata.url)  # last: it prunes the tree
    except MemoryError:
        raise
    except Exception as error:
        return RecordError(f"the page could not be parsed ({type(error).__name__}: {error})")
    if not text:
        return RecordError(_NO_TEXT)
    record.text = _without_repeated_title(text, title) if title is not None else text
    return record


def _date_page(record: RawRecord, tree: Any, url: str | None, meta_url: str | None) -> None:
    """The page's date on ``record``: its own signals weighed, else htmldate's guess."""
    stated = page_date(tree, _page_urls(tree, url))
    found = stated.found
    record.dates_in_body = False
    if found == CONFLICT:
        return  # undated: the page's own claims disagree, and no visible date settles it
    if found is not None:
        record.date, record.date_evidence = found
        record.date_inferred = record.date_weighed = found[1].startswith(
            ("byline", "date under", "date above")
        )
        return
    # No date in the metadata or the URL: htmldate's fast search of the page's visible
    # dates. It reads the whole page, where the byline often sits outside the article
    # text the text inference sees.
    try:
        guess = _htmldate(tree, meta_url)
    except MemoryError:
        raise
    except Exception:  # no guess is no date, not an unreadable page
        return
    if guess and not (guess in stated.not_published or guess_refused(tree, guess)):
        record.date = guess
        record.date_evidence = "the page's visible dates (htmldate)"
        record.date_inferred = True
