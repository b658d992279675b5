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
from dataclasses import dataclass
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


_CLOCK = re.compile(r"[T\s_](\d{1,2}):(\d{2})")
_UTC_ZONE = re.compile(r"(?:Z|[+-]00:?00|\s*(?:UTC|GMT))\s*$", re.IGNORECASE)
# A URL path holding a whole day: /2020/06/28/, /2020-06-28-title, _2020_06_28.
_URL_DAY = re.compile(r"(?<![\d])((?:19|20)\d\d)([/_-])([01]\d)\2([0-3]\d)(?![\d])")
# Time zones run from UTC-12 to UTC+14: a UTC instant from 10:00 on may already be the next
# day somewhere, one before 12:00 may still be the day before.
_NEXT_DAY_FROM_HOUR = 10
_PREVIOUS_DAY_UNTIL_HOUR = 11


@dataclass(frozen=True)
class _Stamp:
    """One date the page states, read as the page wrote it."""

    day: dt.date
    label: str
    #: Written as a UTC instant with a clock time ("2020-06-29T03:30:00Z"): a moment, not the
    #: day on the calendar of the page's readers, which may be the day before or after.
    utc_hour: int | None


def _stamp(label: str, value: str) -> _Stamp | None:
    day = _iso_day(value)
    if day is None:
        return None
    text = value.strip()
    utc_hour = None
    if clock := _CLOCK.search(text):
        if _UTC_ZONE.search(text):
            utc_hour = int(clock[1])
    elif re.search(r"[A-Za-z]{3}", text) and re.search(r"[+-]0000|GMT|UTC", text):
        utc_hour = None  # RFC 2822 without a clock cannot be told apart; keep its day
    return _Stamp(dt.date.fromisoformat(day), label, utc_hour)


def _url_day(urls: list[str]) -> _Stamp | None:
    """The day a page's own address holds in its path, as many newspapers' CMS write it."""
    for url in urls:
        try:
            path = urlsplit(url).path
        except ValueError:
            continue
        if match := _URL_DAY.search(path):
            day = _day(match[1], match[3], match[4])
            if day is not None:
                return _Stamp(dt.date.fromisoformat(day), f"page URL {url}", None)
    return None


def _local_day(chosen: _Stamp, others: list[_Stamp]) -> _Stamp:
    """The chosen date on the page's own calendar.

    A CMS that writes ``2023-11-01T23:01:00Z`` for an article published on 2 November in Rome
    states a moment; the page's local day is the one its other signals written in local time
    give (an offset other than UTC, no zone at all, or the day in its URL), when exactly one
    of them is the day before or after and the clock time allows it. Without such a signal
    the written day is kept: no time zone is guessed from the language or the site.
    """
    if chosen.utc_hour is None:
        return chosen
    local = {other.day: other for other in others if other.utc_hour is None}
    if chosen.day in local:
        return chosen
    neighbours = []
    if chosen.utc_hour >= _NEXT_DAY_FROM_HOUR:
        neighbours.append(chosen.day + dt.timedelta(days=1))
    if chosen.utc_hour <= _PREVIOUS_DAY_UNTIL_HOUR:
        neighbours.append(chosen.day - dt.timedelta(days=1))
    found = [local[day] for day in neighbours if day in local]
    if len(found) != 1:
        return chosen
    return _Stamp(found[0].day, f"{chosen.label}, in local time per {found[0].label}", None)


_AMBIGUOUS_DAY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?!\d)")


def _refused_days(tree: Any) -> set[str]:
    """Days htmldate may return that this reader refuses on purpose.

    htmldate falls back on modification dates, but a page's last change is not its
    publication; and it reads ``11/01/2023`` in a ``<meta>`` as one order of day and month,
    where nothing in the page says which: both readings are refused.
    """
    days = set()
    for element in tree.iter("meta"):
        keys = " ".join(_lower_attr(element, attr) for attr in ("property", "name", "itemprop"))
        content = element.get("content") or ""
        if _UPDATED_CLASS.search(keys) and (day := _iso_day(content)):
            days.add(day)
        if match := _AMBIGUOUS_DAY.match(content.strip()):
            first, second, year = match.groups()
            if int(first) <= 12 and int(second) <= 12 and first != second:
                for reading in (_day(year, first, second), _day(year, second, first)):
                    if reading is not None:
                        days.add(reading)
    for script in tree.iter("script"):
        if _lower_attr(script, "type") == "application/ld+json":
            modified = re.finditer(r'"date(?:Modified|Updated)"\s*:\s*"([^"]+)"', script.text or "")
            for match in modified:
                if day := _iso_day(match[1]):
                    days.add(day)
    return days


def _page_stamps(tree: Any) -> list[tuple[tuple[int, ...], _Stamp]]:
    candidates: list[tuple[tuple[int, ...], int, _Stamp]] = []
    sources = (_meta_candidates(tree), _jsonld_candidates(tree), _time_candidates(tree))
    for source in sources:
        for rank, label, value in source:
            stamp = _stamp(label, value)
            if stamp is not None:
                candidates.append((rank, len(candidates), stamp))
    return [(rank, stamp) for rank, _order, stamp in sorted(candidates)]


def _claims_the_page(rank: tuple[int, ...], stamp: _Stamp) -> bool:
    """Whether a signal states the date of the page itself: a specific ``<meta>`` name or
    property in the head, or the JSON-LD ``datePublished`` of an article at the top of its
    graph. Microdata (``itemprop``), ``<time>`` elements and nested JSON-LD also date the
    teasers, comments and related articles a page lists, so they cannot contradict it."""
    if rank[0] == _TIER_META:
        return not stamp.label.startswith("<meta itemprop")
    return rank[0] == _TIER_JSONLD and rank[1] == 0 and rank[2] <= 1


#: What :func:`metadata_date` returns for a page whose own claims contradict each other.
CONFLICT = ("", "")


def metadata_date(tree: Any, urls: list[str] | None = None) -> tuple[str, str] | None:
    """The publication day stated by the page's metadata, and where it was read.

    Returns ``("2024-02-10", "page metadata (<meta property=article:published_time>)")``
    or ``None``. The best-ranked metadata date is taken on the page's own calendar (see
    :func:`_local_day`); without any, the day in the page's URL (``urls``: its canonical
    address and ``og:url``). Never looks at the visible text. :data:`CONFLICT` when two
    signals that each claim to be the publication date give different days on the page's
    calendar: the page does not know its own date, and no guess is better than either.
    """
    stamps = _page_stamps(tree)
    url_stamp = _url_day(urls or [])
    if stamps:
        signals = [stamp for _rank, stamp in stamps]
        if url_stamp is not None:
            signals.append(url_stamp)
        chosen = _local_day(stamps[0][1], signals[1:])
        # Only when the chosen date is itself such a claim: a generic or <time> date chosen
        # for want of better is not weighed against the page's own.
        if _claims_the_page(*stamps[0]):
            for rank, stamp in stamps[1:]:
                claimed = _claims_the_page(rank, stamp)
                if claimed and _local_day(stamp, [chosen, *signals]).day != chosen.day:
                    return CONFLICT
        return chosen.day.isoformat(), f"page metadata ({chosen.label})"
    if url_stamp is not None:
        return url_stamp.day.isoformat(), url_stamp.label
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
    found = metadata_date(tree, _page_urls(tree, url))
    if found == CONFLICT:
        pass  # undated: the page's own claims disagree, and no visible date settles it
    elif found is not None:
        record.date, record.date_evidence = found
    elif document.date and document.date not in _refused_days(tree):
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
