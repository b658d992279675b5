"""Reader for saved web pages: the article text and metadata of one HTML page.

Text, title, site name, URL, description, author, tags and categories come from
trafilatura. The publication date does not: htmldate (which trafilatura runs)
guesses dates from the URL, from text such as "Posted on 12 June 2018" and from
elements classed "date", and no setting turns those guesses off. This module
therefore reads the date itself, from the page's metadata only:
``<meta>`` tags, JSON-LD ``datePublished``/``dateCreated`` and ``<time datetime>``.
A page whose metadata states no date gets ``date=None``.

trafilatura is imported on the first call, so that importing this module (and
starting the CLI) stays fast.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from corpus_cli.readers.record import RawRecord, RecordError

__all__ = ["read_html"]

_NO_TEXT = "no article text found in the page"

# ----------------------------------------------------------------------------- dates

#: ``<meta>`` names/properties/itemprops stating when the article was published,
#: best first (compared in lower case). Modification dates are deliberately absent.
_META_PUBLISHED = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "date_published",
    "published_time",
    "published-date",
    "published_date",
    "publish-date",
    "publish_date",
    "publishdate",
    "publication_date",
    "pubdate",
    "og:pubdate",
    "bt:pubdate",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "originalpublicationdate",
    "parsely-pub-date",
    "sailthru.date",
    "citation_publication_date",
    "citation_online_date",
    "citation_date",
    "prism.publicationdate",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "datecreated",
)
#: Generic date names: used only when nothing more specific is in the page.
_META_GENERIC = ("dc.date", "dc:date", "dcterms.date", "date", "created")
_META_RANK = {name: i for i, name in enumerate(_META_PUBLISHED)}
_META_GENERIC_RANK = {name: i for i, name in enumerate(_META_GENERIC)}

# Tiers: a lower tier wins whatever its order in the page.
_TIER_META = 0
_TIER_JSONLD = 1
_TIER_META_GENERIC = 2
_TIER_JSONLD_CREATED = 3
_TIER_TIME_MARKED = 4
_TIER_TIME_ARTICLE = 5
_TIER_TIME_SINGLE = 6

_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?=$|[T\s_]|[+-]\d|Z)")
_SLASH_DAY = re.compile(r"(\d{4})([/.])(\d{1,2})\2(\d{1,2})(?=$|[T\s])")
_COMPACT_DAY = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T[\d:.+\-Z]*)?")
_PUBLISHED_CLASS = re.compile(r"publish|pubdate|posted|entry-date|post-date|article-date")
_UPDATED_CLASS = re.compile(r"updat|modif|edit")
_CHROME_CLASS = re.compile(r"comment|related|sidebar|teaser|recommend|more-stories")
_ARTICLE_TYPE = re.compile(r"(Article|Posting|Report)$")


def _day(year: str, month: str, day: str) -> str | None:
    try:
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    # 0001-01-01 and similar are what a CMS writes when it has no date
    return value.isoformat() if value.year >= 1800 else None


def _iso_day(value: str) -> str | None:
    """``YYYY-MM-DD`` for a machine-readable date, else ``None`` (no guessing).

    Accepts ISO 8601 (``2024-02-10``, ``2024-02-10T10:00:00Z``), ``2024/02/10``,
    ``20240210`` and RFC 2822 (``Sat, 10 Feb 2024 10:00:00 GMT``); the day is the
    one written, whatever the time zone.
    """
    text = value.strip()
    if match := _ISO_DAY.match(text):
        return _day(*match.groups())
    if match := _SLASH_DAY.match(text):
        return _day(match[1], match[3], match[4])
    if match := _COMPACT_DAY.fullmatch(text):
        return _day(*match.groups())
    if re.search(r"[A-Za-z]{3}", text) and re.search(r"\d{4}", text):
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        return _day(str(parsed.year), str(parsed.month), str(parsed.day))
    return None


def _lower_attr(element: Any, name: str) -> str:
    return str(element.get(name) or "").strip().lower()


def _meta_candidates(tree: Any) -> Iterator[tuple[tuple[int, int], str, str]]:
    for element in tree.iter("meta"):
        content = element.get("content")
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = _lower_attr(element, attr)
            if not key:
                continue
            label = f"<meta {attr}={element.get(attr).strip()}>"
            if key in _META_RANK:
                yield (_TIER_META, _META_RANK[key]), label, content
            elif key in _META_GENERIC_RANK:
                yield (_TIER_META_GENERIC, _META_GENERIC_RANK[key]), label, content


def _types(node: dict[str, Any]) -> list[str]:
    kind = node.get("@type")
    if isinstance(kind, str):
        return [kind]
    if isinstance(kind, list):
        return [k for k in kind if isinstance(k, str)]
    return []


def _walk_jsonld(value: Any, depth: int = 0) -> Iterator[tuple[dict[str, Any], int]]:
    if depth > 20:
        return
    if isinstance(value, list):
        for item in value:
            yield from _walk_jsonld(item, depth)
    elif isinstance(value, dict):
        yield value, depth
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                yield from _walk_jsonld(item, depth if key == "@graph" else depth + 1)


def _jsonld_candidates(tree: Any) -> Iterator[tuple[tuple[int, int, int], str, str]]:
    for script in tree.iter("script"):
        if _lower_attr(script, "type") != "application/ld+json":
            continue
        source = (script.text or "").strip()
        source = source.removeprefix("<![CDATA[").removesuffix("]]>").strip()
        try:
            data = json.loads(source)
        except (ValueError, RecursionError):
            continue
        for node, depth in _walk_jsonld(data):
            # an article's own date beats the date of the web page or site around it
            article = any(_ARTICLE_TYPE.search(kind) for kind in _types(node))
            for key, tier in (
                ("datePublished", _TIER_JSONLD),
                ("dateCreated", _TIER_JSONLD_CREATED),
            ):
                value = node.get(key)
                if isinstance(value, str) and value.strip():
                    yield (tier, 0 if article else 1, depth), f"JSON-LD {key}", value


def _in_chrome(element: Any) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in ("nav", "aside", "footer"):
            return True
        if _CHROME_CLASS.search(_lower_attr(ancestor, "class")):
            return True
    return False


def _time_candidates(tree: Any) -> Iterator[tuple[tuple[int, int], str, str]]:
    plain: list[tuple[Any, str]] = []
    for element in tree.iter("time"):
        value = element.get("datetime")
        if not value or not value.strip():
            continue
        itemprop = _lower_attr(element, "itemprop")
        classes = _lower_attr(element, "class")
        if itemprop == "datepublished":
            yield (_TIER_TIME_MARKED, 0), "<time itemprop=datePublished>", value
        elif element.get("pubdate") is not None:
            yield (_TIER_TIME_MARKED, 1), "<time pubdate>", value
        elif _PUBLISHED_CLASS.search(classes) and not _UPDATED_CLASS.search(classes):
            yield (_TIER_TIME_MARKED, 2), f"<time class={element.get('class')}>", value
        elif (
            itemprop not in ("datemodified", "dateupdated")
            and not _UPDATED_CLASS.search(classes)
            and not _in_chrome(element)
        ):
            plain.append((element, value))
    for element, value in plain:
        if any(ancestor.tag == "article" for ancestor in element.iterancestors()):
            yield (_TIER_TIME_ARTICLE, 0), "<time datetime>", value
            break
    # every <time datetime> outside navigation and sidebars gives the same day
    days = {_iso_day(value) for _, value in plain}
    if len(plain) >= 1 and len(days) == 1:
        yield (_TIER_TIME_SINGLE, 0), "<time datetime>", plain[0][1]


def metadata_date(tree: Any) -> tuple[str, str] | None:
    """The publication day stated by the page's metadata, and where it was read.

    Returns ``("2024-02-10", "page metadata (<meta property=article:published_time>)")``
    or ``None``. Never looks at the URL or at the visible text.
    """
    candidates: list[tuple[tuple[int, ...], int, str, str]] = []
    sources = (_meta_candidates(tree), _jsonld_candidates(tree), _time_candidates(tree))
    for source in sources:
        for rank, label, value in source:
            candidates.append((rank, len(candidates), label, value))
    for _rank, _order, label, value in sorted(candidates):
        day = _iso_day(value)
        if day is not None:
            return day, f"page metadata ({label})"
    return None


# ----------------------------------------------------------------------------- other fields


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
    found = metadata_date(tree)
    if found is not None:
        record.date, record.date_evidence = found

    if document.description:
        record.extra["description"] = document.description
    if document.author:
        record.extra["author"] = document.author
    if document.tags:
        record.extra["tags"] = list(document.tags)
    if document.categories:
        record.extra["categories"] = list(document.categories)
    return record
