"""The publication day a saved web page states for itself, and the evidence for it.

Read from the page's own signals only: ``<meta>`` tags, JSON-LD ``datePublished`` /
``dateCreated``, ``<time datetime>`` and the day in the page's address. Each is read on the
page's own calendar (a UTC instant is not moved into another day unless the page's local
signals say so), and the signals are weighed against each other rather than taken
first-come.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from corpus_cli.model import DateInfo
from corpus_cli.readers.written_days import days_written
from corpus_cli.readers.written_days import whole_day as _day
from corpus_cli.text.date_names import MONTH_ANY, month_number
from corpus_cli.text.dates import bylines, infer_date

__all__ = ["CONFLICT", "PageDate", "metadata_date", "modified_days", "page_date"]

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
            # raw_decode: a CMS that closes its object with one brace too many ("Extra data")
            # still wrote the object whole before it
            data, _end = json.JSONDecoder().raw_decode(source)
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


def _marked_holder(element: Any) -> str | None:
    """The tag and class of a close ancestor classed as a publication ("meta__row--posted"),
    where a page marks the row that holds a bare ``<time>`` rather than the element. Not in
    a list of related articles or teasers, each of which has such a row."""
    if any(_CHROME_CLASS.search(_lower_attr(a, "class")) for a in element.iterancestors()):
        return None
    for depth, ancestor in enumerate(element.iterancestors()):
        if depth == 2:
            break
        classes = _lower_attr(ancestor, "class")
        if _PUBLISHED_CLASS.search(classes) and not _UPDATED_CLASS.search(classes):
            return f"{ancestor.tag} class={ancestor.get('class')}"
    return None


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
        elif not _UPDATED_CLASS.search(classes) and (marked := _marked_holder(element)):
            yield (_TIER_TIME_MARKED, 3), f"<time> in <{marked}>", value
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


@functools.cache
def _day_range() -> re.Pattern[str]:
    """Two days and one month ("14. - 20. Januar 2022", "14-20 January 2022", "du 14 au 20
    janvier 2022", "January 14-20, 2022", "2020/7/11-12"): a period the page reports on,
    not a publication."""
    dash = r"\s*(?:-|–|—|bis|au|to|al|a|до)\s*"
    return re.compile(
        rf"(?<!\d)(?P<a>\d{{1,2}})\.?{dash}(?P<b>\d{{1,2}})\.?\s+(?:de\s+)?(?P<m>{MONTH_ANY})"
        rf"\s+(?:de\s+)?(?P<y>\d{{4}})(?!\d)"
        rf"|(?P<m2>{MONTH_ANY})\s+(?P<a2>\d{{1,2}}){dash}(?P<b2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})(?!\d)"
        # year first, as Japanese and Chinese pages write it: a day range in the day's place
        r"|(?<![\d/.])(?P<y3>\d{4})/(?P<m3>\d{1,2})/(?P<a3>\d{1,2})\s*[-–〜~]\s*(?P<b3>\d{1,2})(?![\d/:.])",
        re.IGNORECASE,
    )


def _period_days(text: str) -> set[str]:
    """Either end of every period ``text`` gives ("14. - 20. Januar 2022")."""
    days: set[str] = set()
    for match in _day_range().finditer(text):
        if match["y3"]:
            year, month = match["y3"], int(match["m3"])
        else:
            named = (match["m"], match["y"]) if match["m"] else (match["m2"], match["y2"])
            year, month = named[1], month_number(named[0])
        for day in (
            match["a"] or match["a2"] or match["a3"],
            match["b"] or match["b2"] or match["b3"],
        ):
            if (reading := _day(year, str(month), day)) is not None:
                days.add(reading)
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

# How much each kind of signal weighs when the page's signals disagree. A claim (a specific
# <meta> in the head, the JSON-LD of the article itself) names the page's own publication;
# microdata, nested JSON-LD, the address and a byline also date teasers or are written by
# hand; generic names ("date", "dc.date") are often the last change, and <time> elements
# date every item of a list. One alone cannot outvote a claim, two together can.
_WEIGHT_CLAIM = 3
_WEIGHT_STRONG = 2
_WEIGHT_WEAK = 1


def _family(rank: tuple[int, ...], stamp: _Stamp) -> tuple[str, int]:
    """Which independent source a signal comes from, and its weight.

    A page repeats one source many times (a JSON-LD ``datePublished`` per listed article,
    a ``<time>`` per comment): each source votes once, with its best-ranked date.
    """
    tier = rank[0]
    if tier == _TIER_META:
        if stamp.label.startswith("<meta itemprop"):
            return "microdata", _WEIGHT_STRONG
        return "meta", _WEIGHT_CLAIM
    if tier in (_TIER_JSONLD, _TIER_JSONLD_CREATED):
        return "json-ld", _WEIGHT_CLAIM if _claims_the_page(rank, stamp) else _WEIGHT_STRONG
    if tier == _TIER_META_GENERIC:
        return "generic meta", _WEIGHT_WEAK
    return "time", _WEIGHT_WEAK


# Not the page's visible text: code, styles, navigation, footers and sidebars.
_HIDDEN_TAGS = frozenset(
    ["script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "head"]
)
_CODE_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "head"])
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "section",
        "article",
        "main",
        "span",
        "time",
        "table",
        "tr",
        "td",
        "th",
        "figure",
        "figcaption",
        "blockquote",
    ]
)
_MAX_DEPTH = 200


def _visible_text(tree: Any, *, everything: bool = False) -> tuple[str, int]:
    """The page's visible words, a line per block, and where its first ``<h1>`` starts;
    with ``everything``, navigation, footers and sidebars too."""
    parts: list[str] = []
    heading = [-1]
    size = [0]

    def add(text: str | None) -> None:
        if text:
            parts.append(text)
            size[0] += len(text)

    def walk(element: Any, depth: int) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        hidden = _HIDDEN_TAGS if not everything else _CODE_TAGS
        if tag and tag not in hidden and depth < _MAX_DEPTH:
            if tag == "h1" and heading[0] < 0:
                heading[0] = size[0]
            block = tag in _BLOCK_TAGS
            if block:
                add("\n")
            add(element.text)
            for child in element:
                walk(child, depth + 1)
            if block:
                add("\n")
        add(element.tail)

    for body in tree.iter("body"):
        walk(body, 0)
        break
    return "".join(parts), heading[0]


# The date under a headline sits within its first lines: the headline, a standfirst, an author.
_UNDER_HEADLINE_CHARS = 400
#: Dates under a headline looked past for the page's own (see _date_under).
_DATES_SKIPPED = 2


@dataclass(frozen=True)
class _Visible:
    """What the page's visible words say of its date."""

    #: The first publication byline ("Veröffentlicht am 16.08.2019"), best under the headline.
    byline: _Stamp | None
    #: A whole date right under the ``<h1>`` ("Dienstag, 2. November 2021"), as a byline
    #: without its words.
    under_headline: _Stamp | None
    #: Days the update bylines give ("Letzte Änderung: 31.10.2023").
    updated: set[str]


def _visible_dates(tree: Any, today: dt.date | None) -> _Visible:
    """The dates the page's visible words give for the page itself. Before the headline sit
    the teasers of other articles: a byline there counts only when none follows it."""
    text, heading = _visible_text(tree)
    found = bylines(text, today)
    updated = {byline.date.value for byline in found if byline.update}
    published = [byline for byline in found if not byline.update]
    after = [byline for byline in published if heading >= 0 and byline.start >= heading]
    byline = None
    if after or published:
        first = (after or published)[0]
        day = dt.date.fromisoformat(first.date.value)
        byline = _Stamp(day, f"byline {first.date.evidence!r}", None)
    under = None
    if heading >= 0:
        lines = (line.strip() for line in text[heading:].split("\n"))
        window = "\n".join(line for line in lines if line)[:_UNDER_HEADLINE_CHARS]
        info = _date_under(window, today)
        if info is not None:
            day = dt.date.fromisoformat(info.value)
            under = _Stamp(day, f"date under the headline {info.evidence!r}", None)
        if under is None:
            under = _above_headline(text[:heading], today)
    return _Visible(byline, under, updated)


# CJK characters: a date followed by one is inside a sentence ("1975年1月28日出生于",
# born on), unless it is a news agency's dateline ("2020年7月12日电", cabled on).
_CJK_PROSE = re.compile(r"(?!电)[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")


def _date_under(window: str, today: dt.date | None) -> DateInfo | None:
    """The first whole date of ``window`` (the lines under a headline) that dates the page:
    not a day of a period it reports on ("Wochenbericht 14. - 20. Januar 2022",
    "(2020/7/11-12)"), nor a date inside a CJK sentence; the page's own may follow them."""
    periods = [match.span() for match in _day_range().finditer(window)]
    position = 0
    for _ in range(_DATES_SKIPPED + 1):
        info = infer_date(window[position:], today, body=False)
        if info is None or info.precision != "day" or not info.evidence:
            return None
        at = window.find(info.evidence, position)
        if at < 0:
            return None
        position = at + len(info.evidence)
        in_period = any(first <= at < last for first, last in periods)
        if not in_period and not _CJK_PROSE.match(window, position):
            return info
    return None


# A kicker over a headline: "Finanzas / martes 17 de marzo de 2020", "2020年07月03日 | 徒歩".
_ABOVE_HEADLINE_CHARS = 120


def _above_headline(before: str, today: dt.date | None) -> _Stamp | None:
    """A whole date on the line right above the headline, where some sites put it."""
    lines = [line.strip() for line in before.split("\n") if line.strip()]
    if not lines:
        return None
    window = lines[-1][-_ABOVE_HEADLINE_CHARS:]
    info = infer_date(window, today, body=False)
    if info is None or info.precision != "day" or info.value in _period_days(window):
        return None
    return _Stamp(
        dt.date.fromisoformat(info.value), f"date above the headline {info.evidence!r}", None
    )


@dataclass(frozen=True)
class PageDate:
    """What the page says of its own date."""

    #: ``("2024-02-10", "page metadata (<meta property=article:published_time>)")``, or
    #: :data:`CONFLICT`, or ``None`` when the page states no date.
    found: tuple[str, str] | None
    #: Days that are not the page's publication: those it gives as its last change, and
    #: those of generic date ``<meta>`` tags when its words write other days but not those.
    not_published: set[str]


def page_date(tree: Any, urls: list[str] | None = None, today: dt.date | None = None) -> PageDate:
    """The publication day the page states, its signals weighed against each other.

    Signals: ``<meta>`` tags, JSON-LD, ``<time>`` elements, the day in the page's address
    (``urls``: canonical and ``og:url``) and a visible byline ("Veröffentlicht am 16.08.2019",
    "Publié le 17 avril 2023"). Each is read on the page's own calendar (see
    :func:`_local_day`); the day with the most weight wins, a tie goes to the best-ranked
    signal. :data:`CONFLICT` when the page's own claims (see :func:`_claims_the_page`) give
    different days and nothing else settles it: the page does not know its own date, and no
    guess is better than either.
    """
    visible = _visible_dates(tree, today)
    not_published = set(visible.updated)
    written: dict[str, list[int]] | None = None
    ranked = _page_stamps(tree)
    weighted: list[tuple[str, int, _Stamp]] = []
    for rank, stamp in ranked:
        family, weight = _family(rank, stamp)
        if family == "generic meta":
            if written is None:
                written = days_written(_visible_text(tree, everything=True)[0])
            if written and stamp.day.isoformat() not in written:
                # generic names are as often the last change or the day the page was
                # generated: a publication is shown to the readers, those are not
                not_published.add(stamp.day.isoformat())
                continue
        if all(family != seen for seen, _w, _s in weighted):
            weighted.append((family, weight, stamp))
    url_stamp = _url_day(urls or [])
    if url_stamp is not None:
        weighted.append(("url", _WEIGHT_STRONG, url_stamp))
    if visible.byline is not None:
        weighted.append(("byline", _WEIGHT_STRONG, visible.byline))
    elif visible.under_headline is not None:
        # a date without a byline's words may be an event's or the next teaser's
        weighted.append(("byline", _WEIGHT_WEAK, visible.under_headline))
    if not weighted:
        return PageDate(None, not_published)
    stamps = [stamp for _f, _w, stamp in weighted]
    votes: dict[dt.date, int] = {}
    first: dict[dt.date, _Stamp] = {}
    claims: set[dt.date] = set()
    for index, (_family_name, weight, stamp) in enumerate(weighted):
        local = _local_day(stamp, stamps[:index] + stamps[index + 1 :])
        votes[local.day] = votes.get(local.day, 0) + weight
        first.setdefault(local.day, local)
        if weight == _WEIGHT_CLAIM:
            claims.add(local.day)
    best = max(votes.values())
    leaders = [day for day, total in votes.items() if total == best]
    if len(claims) > 1 and (len(leaders) > 1 or leaders[0] not in claims):
        return PageDate(CONFLICT, not_published)
    # the first leader in rank order: dict order follows the signals' order
    chosen = first[leaders[0]]
    label = chosen.label
    visible_words = label.startswith(("page URL", "byline", "date under", "date above"))
    if not visible_words and (change := _shown_change(tree, chosen)) is not None:
        chosen, label = change, f"{label}; {change.label}"
    evidence = label if visible_words else f"page metadata ({label})"
    return PageDate((chosen.day.isoformat(), evidence), not_published)


def modified_days(tree: Any) -> set[str]:
    """Days the page's metadata gives as its last change: ``<meta>`` names of modification
    (``article:modified_time``, ``og:updated_time``, ``dateModified``) and JSON-LD
    ``dateModified``/``dateUpdated``."""
    days: set[str] = set()
    for element in tree.iter("meta"):
        keys = " ".join(_lower_attr(element, attr) for attr in ("property", "name", "itemprop"))
        if _UPDATED_CLASS.search(keys) and (day := _iso_day(element.get("content") or "")):
            days.add(day)
    for script in tree.iter("script"):
        if _lower_attr(script, "type") == "application/ld+json":
            modified = re.finditer(r'"date(?:Modified|Updated)"\s*:\s*"([^"]+)"', script.text or "")
            for match in modified:
                if day := _iso_day(match[1]):
                    days.add(day)
    return days


def _shown_change(tree: Any, chosen: _Stamp) -> _Stamp | None:
    """The page's last change, when that is the one day of the two its readers see.

    A page whose metadata gives a publication and a later change, and whose words show
    the change ("Updated 0302 GMT March 14, 2021") but nowhere the publication, presents
    itself as of that day: the day people cite it by, and the one a reader would write
    down. On pages-dev's 49 pages with one of each in their metadata, 43 were labelled
    with the publication and none of those showed only the change; 4 of the 5 labelled
    with the change showed only it.
    """
    changed = modified_days(tree)
    if len(changed) != 1:
        return None
    day = next(iter(changed))
    if day <= chosen.day.isoformat():
        return None
    shown = days_written(_visible_text(tree)[0])
    if day not in shown or chosen.day.isoformat() in shown:
        return None
    return _Stamp(dt.date.fromisoformat(day), "its last change, the only day it shows", None)


def metadata_date(tree: Any, urls: list[str] | None = None) -> tuple[str, str] | None:
    """:func:`page_date` without the update days."""
    return page_date(tree, urls).found
