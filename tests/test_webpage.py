"""Tests of the HTML reader: article text via trafilatura, dates from metadata only."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from corpus_cli.readers import RawRecord, RecordError
from corpus_cli.readers.html import read_html

NO_TEXT = RecordError("no article text found in the page")

PARAGRAPHS = (
    "<p>Heavy rain over the weekend caused the river to burst its banks, flooding hundreds "
    "of homes in the lower valley and forcing the evacuation of two villages.</p>\n"
    "<p>Emergency services worked through the night to rescue residents stranded on "
    "rooftops, while volunteers filled sandbags in the town square.</p>\n"
    "<p>The regional authority said it would request national funds to repair the damaged "
    "bridges and roads once the water recedes.</p>\n"
)
TEXT = (
    "Heavy rain over the weekend caused the river to burst its banks, flooding hundreds "
    "of homes in the lower valley and forcing the evacuation of two villages.\n"
    "Emergency services worked through the night to rescue residents stranded on "
    "rooftops, while volunteers filled sandbags in the town square.\n"
    "The regional authority said it would request national funds to repair the damaged "
    "bridges and roads once the water recedes."
)

CHROME_HEAD = (
    '<nav class="main-menu"><ul><li><a href="/">Home</a></li>'
    '<li><a href="/world">World news section</a></li>'
    '<li><a href="/sport">Sport section</a></li></ul></nav>\n'
    '<div id="cookie-consent">We use cookies to improve your experience. '
    "Accept all cookies to continue.</div>\n"
)
CHROME_TAIL = (
    '<aside class="sidebar"><h2>Most read</h2><ul>'
    '<li><a href="/a">Celebrity gossip headline one</a></li>'
    '<li><a href="/b">Celebrity gossip headline two</a></li></ul></aside>\n'
    "<footer><p>Copyright 2024 The Daily Example. All rights reserved.</p>"
    '<a href="/privacy">Privacy policy</a></footer>\n'
)


def ok(result: RawRecord | RecordError) -> RawRecord:
    assert isinstance(result, RawRecord), result
    return result


def page(head: str, article: str = PARAGRAPHS, *, chrome: bool = False) -> bytes:
    body = f"<article>\n{article}</article>\n"
    if chrome:
        body = CHROME_HEAD + body + CHROME_TAIL
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n{head}\n</head>\n'
        f"<body>\n{body}</body></html>\n"
    ).encode()


FULL_HEAD = """
<title>Floods hit the valley | The Daily Example</title>
<meta property="og:title" content="Floods hit the valley">
<meta property="og:site_name" content="The Daily Example">
<meta property="og:url" content="https://news.example.com/2021/03/05/floods-hit-the-valley">
<meta property="article:published_time" content="2024-02-10T10:00:00+01:00">
<meta property="article:modified_time" content="2024-02-12T08:00:00Z">
<meta name="description" content="Heavy rain caused floods in the valley.">
<meta name="author" content="Jane Doe">
<meta property="article:tag" content="weather">
<meta property="article:tag" content="floods">
<meta property="article:section" content="Environment">
<link rel="canonical" href="https://news.example.com/valley/floods-hit-the-valley">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Floods hit the valley",
 "datePublished": "2024-02-09T23:00:00Z",
 "publisher": {"@type": "Organization", "name": "The Daily Example"}}
</script>
"""


def test_og_tags_json_ld_and_time() -> None:
    article = (
        "<h1>Floods hit the valley</h1>\n"
        '<p class="byline">By Jane Doe, <time datetime="2024-02-08">8 February</time></p>\n'
        + PARAGRAPHS
    )
    record = ok(read_html(page(FULL_HEAD, article, chrome=True)))
    assert record == RawRecord(
        # The <h1> is the title: not repeated as the text's first line.
        text=TEXT,
        title="Floods hit the valley",
        # the <meta> tag beats JSON-LD and <time>; the og:url's /2021/03/05/ is no local
        # day of that UTC+1 time, so it changes nothing
        date="2024-02-10",
        date_evidence="page metadata (<meta property=article:published_time>)",
        dates_in_body=False,
        source="The Daily Example",
        url="https://news.example.com/valley/floods-hit-the-valley",
        extra={
            # <html lang>: weighed against the text by readers/resolve.py
            "page_language": "en",
            "description": "Heavy rain caused floods in the valley.",
            "author": "Jane Doe",
            "tags": ["weather", "floods"],
            "categories": ["Environment"],
        },
    )


def test_json_ld_date_and_publisher() -> None:
    head = """
    <title>Floods hit the valley</title>
    <script type="application/ld+json">
    {"@context": "https://schema.org", "@graph": [
      {"@type": "WebSite", "name": "Example", "datePublished": "2001-01-01"},
      {"@type": "NewsArticle", "headline": "Floods hit the valley",
       "datePublished": "2024-02-10T10:00:00Z", "dateModified": "2024-02-11T10:00:00Z",
       "publisher": {"@type": "Organization", "name": "Gazzetta del Valle"}}]}
    </script>
    """
    record = ok(read_html(page(head)))
    assert record.title == "Floods hit the valley"
    assert record.date == "2024-02-10"
    assert record.date_evidence == "page metadata (JSON-LD datePublished)"
    assert record.source == "Gazzetta del Valle"
    assert record.text == TEXT


@pytest.mark.parametrize(
    ("time_tag", "evidence"),
    [
        ('<time datetime="2024-02-10T10:00">10 Feb</time>', "<time datetime>"),
        ('<time itemprop="datePublished" datetime="2024-02-10">Sat</time>', ""),
        ('<time pubdate datetime="2024-02-10">Saturday</time>', "<time pubdate>"),
    ],
)
def test_time_element(time_tag: str, evidence: str) -> None:
    evidence = evidence or "<time itemprop=datePublished>"
    record = ok(read_html(page("<title>Floods</title>", f"<p>{time_tag}</p>\n" + PARAGRAPHS)))
    assert record.date == "2024-02-10"
    assert record.date_evidence == f"page metadata ({evidence})"


@pytest.mark.parametrize(
    ("meta", "evidence"),
    [
        ('<meta name="pubdate" content="20240210">', "<meta name=pubdate>"),
        ('<meta name="DC.date.issued" content="2024/02/10">', "<meta name=DC.date.issued>"),
        (
            '<meta name="date" content="Sat, 10 Feb 2024 23:30:00 -0500">',
            "<meta name=date>",
        ),
        ('<meta itemprop="datePublished" content="2024-02-10">', "<meta itemprop=datePublished>"),
    ],
)
def test_meta_date_variants(meta: str, evidence: str) -> None:
    record = ok(read_html(page(f"<title>Floods</title>{meta}")))
    assert (record.date, record.date_evidence) == ("2024-02-10", f"page metadata ({evidence})")


def test_navigation_footer_and_banners_stay_out_of_the_text() -> None:
    record = ok(read_html(page("<title>Floods</title>", chrome=True)))
    assert record.text == TEXT
    for chrome in ("Home", "Sport section", "cookies", "Celebrity", "Copyright", "Privacy"):
        assert chrome not in record.text


def test_page_without_date_metadata_is_dated_by_its_url() -> None:
    # A date in the URL, in the visible text and in an element classed "date": the
    # page's own address is the page's signal; the visible text is not consulted.
    data = b"""<html><head><title>Council approves budget - Town News</title>
<link rel="canonical" href="https://town.example.org/2019/07/15/council-approves-budget.html">
</head><body>
<div class="date">Updated 3 May 2020</div>
<article><h1>Council approves budget</h1>
<p>Posted on 12 June 2018. The town council approved next year's budget on Tuesday after a
long debate about the cost of repairing the old library building.</p>
<p>Councillors from both groups agreed to set aside money for a new playground.</p>
</article></body></html>"""
    record = ok(read_html(data))
    assert record.date == "2019-07-15"
    assert record.date_evidence == (
        "page URL https://town.example.org/2019/07/15/council-approves-budget.html"
    )
    assert record.title == "Council approves budget"
    assert record.url == "https://town.example.org/2019/07/15/council-approves-budget.html"
    assert record.source is None  # not made up from the host name
    assert record.extra == {}
    assert record.text.startswith("Posted on 12 June 2018.")


def test_modified_date_alone_is_not_a_publication_date() -> None:
    head = '<title>Floods</title><meta property="article:modified_time" content="2024-02-12">'
    assert ok(read_html(page(head))).date is None


def test_unreadable_metadata_date_is_not_guessed() -> None:
    head = '<title>Floods</title><meta name="date" content="sometime last week">'
    record = ok(read_html(page(head)))
    assert (record.date, record.date_evidence) == (None, None)


@pytest.mark.parametrize(
    "data",
    [
        b'<html><head><title>Home</title></head><body><nav><a href="/">Home</a></nav></body>',
        page("<title>Site</title>", "", chrome=True),
        b"<html><head><title>Only a title</title></head><body></body></html>",
        b'<html><body><div><img src="photo.jpg"></div></body></html>',
        b"",
        b"\x00\x01\x02\x03",
    ],
)
def test_no_text(data: bytes) -> None:
    assert read_html(data) == NO_TEXT


def test_legacy_encoding() -> None:
    data = (
        '<html><head><meta charset="windows-1252"><title>Città</title></head><body>'
        "<article><p>Perché la città è allagata: la pioggia è caduta per tre giorni di fila "
        "e il fiume è uscito dagli argini.</p></article></body></html>"
    ).encode("cp1252")
    record = ok(read_html(data))
    assert record.title == "Città"
    assert record.text == (
        "Perché la città è allagata: la pioggia è caduta per tre giorni di fila "
        "e il fiume è uscito dagli argini."
    )


def test_relative_canonical_url() -> None:
    head = (
        '<title>Floods</title><meta property="og:url" content="https://example.com/x?utm=1">'
        '<link rel="canonical" href="/valley/floods">'
    )
    assert ok(read_html(page(head))).url == "https://example.com/valley/floods"


def test_extraction_is_quiet(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        read_html(page(FULL_HEAD, chrome=True))
        read_html(b"")
        read_html(b"<html><body><nav>Home</nav></body></html>")
    noisy = ("trafilatura", "htmldate", "courlan", "justext")
    assert [r.getMessage() for r in caplog.records if r.name.startswith(noisy)] == []


def test_trafilatura_is_imported_lazily() -> None:
    code = "import sys, corpus_cli.readers.html; print('trafilatura' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_a_heading_that_is_not_the_title_stays_in_the_text() -> None:
    article = "<h2>Emergency in the valley</h2>\n" + PARAGRAPHS
    record = ok(read_html(page("<title>Floods hit the valley</title>", article)))
    assert record.title == "Floods hit the valley"
    assert record.text.startswith("Emergency in the valley\nHeavy rain")


# --- The page's own day, its signals weighed against each other --------------------------


@pytest.mark.parametrize(
    ("head", "date", "evidence"),
    [
        # a UTC instant late in the evening, and the URL holding the next day: Rome's day
        (
            '<meta property="article:published_time" content="2023-11-01T23:01:00Z">'
            '<link rel="canonical" href="https://news.example.it/esteri/2023/11/02/gaza/">',
            "2023-11-02",
            "page metadata (<meta property=article:published_time>, in local time per "
            "page URL https://news.example.it/esteri/2023/11/02/gaza/)",
        ),
        # a UTC instant early in the morning, the same moment written with its offset
        (
            '<meta property="article:published_time" content="2023-11-09T02:11:03+00:00">'
            '<meta name="date" content="2023-11-08T21:11:03-05:00">',
            "2023-11-08",
            "page metadata (<meta property=article:published_time>, in local time per "
            "<meta name=date>)",
        ),
        # midday UTC is the same day everywhere: the URL's other day is not taken
        (
            '<meta property="article:published_time" content="2023-11-09T12:00:00Z">'
            '<link rel="canonical" href="https://news.example.com/2023/11/08/story">',
            "2023-11-09",
            "page metadata (<meta property=article:published_time>)",
        ),
        # written in the page's own zone: its day, not the UTC day after
        (
            '<meta property="article:published_time" content="2020-06-28T23:30:00-04:00">',
            "2020-06-28",
            "page metadata (<meta property=article:published_time>)",
        ),
        # a UTC instant and no local signal: the day as written, no zone guessed
        (
            '<meta property="article:published_time" content="2023-11-01T23:01:00Z">',
            "2023-11-01",
            "page metadata (<meta property=article:published_time>)",
        ),
        # written with the page's own offset: that is the local day, the URL does not move it
        (
            '<meta property="article:published_time" content="2020-02-19T18:37:32+01:00">'
            '<link rel="canonical" href="https://news.example.es/2020/02/18/ciencia/1.html">',
            "2020-02-19",
            "page metadata (<meta property=article:published_time>)",
        ),
    ],
)
def test_a_utc_instant_is_read_on_the_pages_calendar(head: str, date: str, evidence: str) -> None:
    record = ok(read_html(page("<title>Floods</title>" + head)))
    assert (record.date, record.date_evidence, record.date_inferred) == (date, evidence, False)


def test_visible_byline_dates_a_page_without_metadata() -> None:
    article = '<p class="date">Veröffentlicht am 14.01.2020</p>\n' + PARAGRAPHS
    record = ok(read_html(page("<title>Floods</title>", article)))
    assert (record.date, record.date_evidence, record.date_inferred) == (
        "2020-01-14",
        "byline 'Veröffentlicht am 14.01.2020'",
        True,
    )
    assert record.dates_in_body is False


def test_a_year_in_a_pages_body_does_not_date_it() -> None:
    import datetime

    from corpus_cli.readers import resolve

    article = "<p>The bridge, built in 1966, was closed on Tuesday, January 14.</p>\n" + PARAGRAPHS
    record = ok(read_html(page("<title>Floods</title>", article)))
    resolved = resolve(
        record, id="a", path="a.html", fallback_source="x", today=datetime.date(2026, 11, 22)
    )
    assert resolved.date is None


def test_a_page_whose_own_claims_disagree_is_undated() -> None:
    head = (
        '<title>Floods</title><meta property="article:published_time" content="2019-12-12">'
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2019-12-09T22:25:10Z"}</script>'
    )
    record = ok(read_html(page(head)))
    assert (record.date, record.date_evidence) == (None, None)


def test_teasers_dated_in_microdata_do_not_contradict_the_page() -> None:
    head = '<title>Floods</title><meta property="article:published_time" content="2022-02-02">'
    teaser = '<div><meta itemprop="datePublished" content="2022-01-27"></div>\n'
    record = ok(read_html(page(head, PARAGRAPHS + teaser)))
    assert record.date == "2022-02-02"


def test_a_whole_date_where_the_byline_sits_dates_a_page() -> None:
    import datetime

    from corpus_cli.readers import resolve

    article = "<p>Karlsruhe, (12.11.2021). Heavy rain over the weekend.</p>\n" + PARAGRAPHS
    record = ok(read_html(page("<title>Floods</title>", article)))
    resolved = resolve(
        record, id="a", path="a.html", fallback_source="x", today=datetime.date(2026, 11, 22)
    )
    assert resolved.date is not None
    assert (resolved.date.value, resolved.date.inferred, resolved.date.evidence) == (
        "2021-11-12",
        True,
        "12.11.2021",
    )


def test_an_ambiguous_day_month_order_is_not_guessed_by_the_fallback() -> None:
    # 11/01/2023: 11 January or 1 November; nothing in the page says which
    head = '<title>Floods</title><meta name="date" content="11/01/2023 12:43:42">'
    record = ok(read_html(page(head)))
    assert (record.date, record.date_evidence) == (None, None)


# --- Bylines in the page and the weighing of its signals ----------------------------------


@pytest.mark.parametrize(
    ("byline", "day"),
    [
        ("Pubblicato il 12/03/2023 alle 10:15", "2023-03-12"),
        ("Published April 17, 2023 at 2:05 pm", "2023-04-17"),
        ("Publié le 17 avril 2023 à 14h05", "2023-04-17"),
        ("Veröffentlicht am 17.04.2023 um 14:05 Uhr", "2023-04-17"),
        ("Publicado el 17 de abril de 2023 a las 14:05", "2023-04-17"),
        ("Publicado em 17/04/2023 às 14h05", "2023-04-17"),
        ("Опубликовано 21 декабря 2022 года, 14:05", "2022-12-21"),
        ("Par Loïc Le Clerc | 30 septembre 2018", "2018-09-30"),
    ],
)
def test_a_byline_dates_a_page_and_is_not_its_title(byline: str, day: str) -> None:
    article = f"<h1>Floods hit the valley</h1>\n<p class='meta'>{byline}</p>\n{PARAGRAPHS}"
    record = ok(read_html(page("<title>Floods hit the valley</title>", article)))
    assert (record.title, record.date, record.date_inferred) == ("Floods hit the valley", day, True)
    assert record.date_evidence == f"byline {byline!r}"


def test_an_update_byline_does_not_date_a_page() -> None:
    article = "<p>Letzte Änderung: 31.10.2023 - 14:49:39</p>\n" + PARAGRAPHS
    record = ok(read_html(page("<title>Floods</title>", article)))
    assert (record.date, record.date_evidence) == (None, None)


def test_a_byline_does_not_override_the_pages_own_claim() -> None:
    head = '<title>Floods</title><meta property="article:published_time" content="2023-11-01">'
    article = "<p>Veröffentlicht am 05.11.2023</p>\n" + PARAGRAPHS
    record = ok(read_html(page(head, article)))
    assert (record.date, record.date_inferred) == ("2023-11-01", False)


def test_signals_that_agree_outweigh_a_generic_date() -> None:
    # a generic <meta name=date> is often the last change; the page's <time> and its byline
    # both give the 21st
    head = '<title>Floods</title><meta name="date" content="2022-01-26">'
    article = (
        '<p><time datetime="2022-01-21">21.01.2022 - 13:30</time></p>'
        "<p>Veröffentlicht am 21.01.2022</p>\n" + PARAGRAPHS
    )
    record = ok(read_html(page(head, article)))
    assert record.date == "2022-01-21"


def test_a_list_of_dated_teasers_votes_once() -> None:
    teasers = ",".join(
        '{"@type": "ListItem", "item": {"@type": "NewsArticle", '
        f'"datePublished": "2023-10-{day}T10:00:00+02:00"}}}}'
        for day in (25, 25, 25, 13, 25)
    )
    head = (
        '<title>Floods</title><meta property="article:published_time" content="2023-11-01">'
        '<script type="application/ld+json">{"@type": "ItemList", "itemListElement": ['
        f"{teasers}]}}</script>"
    )
    record = ok(read_html(page(head)))
    assert record.date == "2023-11-01"


def test_a_date_under_the_headline_dates_a_page_without_metadata() -> None:
    article = "<h1>Floods hit the valley</h1>\n<p>Dienstag, 2. November 2021</p>\n" + PARAGRAPHS
    record = ok(read_html(page("<title>Floods hit the valley</title>", article)))
    assert (record.date, record.date_inferred) == ("2021-11-02", True)
    assert record.date_evidence == "date under the headline 'Dienstag, 2. November 2021'"


def test_a_date_under_the_headline_loses_a_tie_with_the_pages_metadata() -> None:
    # the breadcrumb writes the meta's day too, as Deutschlandfunk's pages do
    head = '<title>Floods hit the valley</title><meta name="date" content="2017-05-01">'
    article = (
        '<div class="breadcrumb"><span>Kultur</span><span>01.05.2017</span></div>'
        "<h1>Floods hit the valley</h1>\n<p>Mittwoch, 26.02.2020</p>\n" + PARAGRAPHS
    )
    record = ok(read_html(page(head, article)))
    assert (record.date, record.date_evidence) == ("2017-05-01", "page metadata (<meta name=date>)")


def test_a_generic_date_meta_the_page_never_writes_does_not_date_it() -> None:
    # umweltbundesamt.de: <meta name="dcterms.date"> four days after the day the page shows,
    # which sits where no reader looks for a publication (a list of dates further down)
    head = '<title>Floods hit the valley</title><meta name="dcterms.date" content="2022-01-21">'
    article = (
        "<h1>Floods hit the valley</h1>\n"
        + PARAGRAPHS
        + "<ul><li>Hearing of 25.01.2022</li><li>Report of 26.04.2016</li></ul>"
    )
    record = ok(read_html(page(head, article)))
    assert record.date != "2022-01-21"


def test_a_generic_date_meta_the_page_never_writes_loses_to_a_date_it_shows() -> None:
    # deutscheweine.de: <meta name=date> of the day the page was generated, the article's
    # date under its headline
    head = '<title>Riesling</title><meta name="date" content="2021-12-20">'
    article = "<h1>Riesling</h1>\n<p>27.01.2022</p>\n" + PARAGRAPHS
    record = ok(read_html(page(head, article)))
    assert record.date == "2022-01-27"


def test_a_generic_date_meta_stands_when_the_page_writes_no_day() -> None:
    head = '<title>Floods hit the valley</title><meta name="date" content="2021-12-20">'
    record = ok(read_html(page(head, "<h1>Floods hit the valley</h1>\n" + PARAGRAPHS)))
    assert (record.date, record.date_evidence) == ("2021-12-20", "page metadata (<meta name=date>)")


def test_a_bare_time_in_a_row_marked_as_posted_dates_the_page() -> None:
    # alpin.de: the posted date sits in the article's <aside class="meta">, marked on its row
    head = '<title>Boots</title><meta name="date" content="2022-01-26T14:32:06+02:00">'
    article = (
        "<h1>Boots</h1>\n<p>A standfirst about the boots.</p>"
        '<aside class="meta"><div class="meta__row meta__row--posted"><p>'
        '<time datetime="2022-01-21">21.01.2022 - 13:30</time></p></div></aside>' + PARAGRAPHS
    )
    record = ok(read_html(page(head, article)))
    assert (record.date, record.date_evidence) == (
        "2022-01-21",
        "page metadata (<time> in <div class=meta__row meta__row--posted>)",
    )


def test_a_time_in_a_related_articles_posted_row_does_not_date_the_page() -> None:
    related = (
        '<ul><li class="related"><article><h4>Another story</h4><p class="post-date">'
        '<time class="published updated" datetime="2020-12-03 07:32:49">3. Dezember 2020</time>'
        "</p></article></li></ul>"
    )
    article = "<h1>Floods hit the valley</h1>\n<p>31. Oktober 2023</p>\n" + PARAGRAPHS + related
    record = ok(read_html(page("<title>Floods hit the valley</title>", article)))
    assert record.date == "2023-10-31"


# --- What the fallback (htmldate's guess from the page's visible dates) may not take ------

_MENU = "".join(
    f'<li><a href="/s{i}">Section number {i} of the site with its own long name</a></li>'
    for i in range(20)
)


def _german_page(before_menu: str, before_headline: str) -> bytes:
    return (
        '<!DOCTYPE html><html lang="de"><head><title>Floods</title></head><body>'
        f'{before_menu}<ul class="menu">{_MENU}</ul><article>{before_headline}'
        f"<h1>Floods hit the valley</h1>{PARAGRAPHS}</article></body></html>"
    ).encode()


def test_a_wikis_last_change_in_its_footer_does_not_date_a_page() -> None:
    data = (
        '<!DOCTYPE html><html lang="en"><head><title>Penny</title></head><body><article>'
        f"<h1>Penny</h1>{PARAGRAPHS}</article><footer><p>This page was last modified on "
        "4 November 2020, at 19:23.</p></footer></body></html>"
    ).encode()
    record = ok(read_html(data))
    assert (record.date, record.date_evidence) == (None, None)


def test_a_period_in_the_headline_does_not_date_a_page() -> None:
    headline = "Wochenbericht 14. - 20. Januar 2022"
    record = ok(read_html(page(f"<title>{headline}</title>", f"<h1>{headline}</h1>{PARAGRAPHS}")))
    assert (record.date, record.date_evidence) == (None, None)


def test_the_headers_date_of_today_far_above_the_headline_does_not_date_a_page() -> None:
    record = ok(read_html(_german_page('<div class="date">Freitag, 21. Januar 2022</div>', "")))
    assert (record.date, record.date_evidence) == (None, None)


def test_a_date_right_above_the_headline_dates_a_page() -> None:
    kicker = '<div class="date">19.11.2021</div><p class="section">Politik</p>'
    record = ok(read_html(_german_page("", kicker)))
    assert (record.date, record.date_evidence, record.date_inferred) == (
        "2021-11-19",
        "the page's visible dates (htmldate)",
        True,
    )


def test_a_german_byline_in_may() -> None:
    # "Mai" capitalised is the German month; lower case it is the French one
    article = "<h1>Floods</h1><p>Veröffentlicht am 26. Mai 2008</p>" + PARAGRAPHS
    record = ok(read_html(page("<title>Floods</title>", article)))
    assert (record.date, record.date_evidence) == (
        "2008-05-26",
        "byline 'Veröffentlicht am 26. Mai 2008'",
    )


def test_a_kicker_date_above_the_headline_dates_a_page() -> None:
    article = (
        "<p>Finanzas / martes 17 de marzo de 2020</p><h1>Precio del petróleo</h1>" + PARAGRAPHS
    )
    record = ok(read_html(page("<title>Precio del petróleo</title>", article)))
    assert (record.date, record.date_inferred) == ("2020-03-17", True)
    assert record.date_evidence == "date above the headline '17 de marzo de 2020'"


def test_json_ld_closed_with_a_brace_too_many_still_dates_a_page() -> None:
    head = (
        '<title>Floods</title><script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2020-10-26T18:10:00+01:00"}\n}</script>'
    )
    record = ok(read_html(page(head)))
    assert (record.date, record.date_evidence) == (
        "2020-10-26",
        "page metadata (JSON-LD datePublished)",
    )


def test_banners_and_navigation_roles_stay_out_whatever_their_case() -> None:
    chrome = (
        '<div class="CookieBanner">We use COOKIES on this site. Accept them all.</div>\n'
        '<div role="navigation"><a href="/">Front page of the site</a></div>\n'
    )
    record = ok(read_html(page("<title>Floods</title>", chrome + PARAGRAPHS)))
    assert record.text == TEXT


def test_a_container_named_after_cookies_keeps_the_article_it_holds() -> None:
    # e.g. a site's whole layout wrapped in <div id="cookie-wall-wrapper">
    body = f'<div id="cookie-wall-wrapper"><article>\n{PARAGRAPHS}</article></div>\n'
    data = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Floods</title>'
        f"</head>\n<body>\n{body}</body></html>\n"
    ).encode()
    assert ok(read_html(data)).text == TEXT


def test_a_date_only_htmldate_finds_dates_a_page_without_other_signals() -> None:
    # a bare day in an element classed "date": no byline words, not under a headline
    article = '<div class="meta"><span class="date">2019-03-05</span></div>\n' + PARAGRAPHS
    record = ok(read_html(page("<title>Floods</title>", article)))
    assert (record.date, record.date_evidence, record.date_inferred) == (
        "2019-03-05",
        "the page's visible dates (htmldate)",
        True,
    )
    assert record.text == TEXT


def test_the_author_named_in_the_page_is_kept_without_an_author_meta() -> None:
    article = '<p class="byline">By <span class="author">Maria Rossi</span></p>\n' + PARAGRAPHS
    record = ok(read_html(page("<title>Floods</title>", article)))
    assert record.extra["author"] == "Maria Rossi"
    assert record.text.endswith(TEXT)


def test_a_server_warning_before_the_document_does_not_hide_the_page() -> None:
    # old WordPress blogs print PHP notices before <html>: the parser took them for the
    # whole document and the page's text, title and date were lost
    warning = (
        b"<br />\n<b>Deprecated</b>:  Assigning the return value of new by reference is "
        b"deprecated in <b>/www/htdocs/wp-settings.php</b> on line <b>520</b><br />\n"
    )
    head = (
        "<title>Floods hit the valley</title>"
        '<meta property="article:published_time" content="2021-03-04T10:00:00+01:00">'
    )
    record = ok(read_html(warning + page(head)))
    assert record.title == "Floods hit the valley"
    assert record.date == "2021-03-04"
    assert record.text.startswith("Heavy rain over the weekend")
    assert "Deprecated" not in record.text


def test_a_period_under_the_headline_gives_way_to_the_pages_own_date() -> None:
    # a Japanese blog: the report covers a race weekend, the post is of its second day
    article = (
        "<h1>JRA競走に勝ったセール出身馬紹介(2020/7/11-12、ダノンスプレンダーなど18頭)</h1>\n"
        "<p>2020年07月12日</p>\n" + PARAGRAPHS
    )
    record = ok(read_html(page("<title>JRA</title>", article)))
    assert (record.date, record.date_evidence) == (
        "2020-07-12",
        "date under the headline '2020年07月12日'",
    )


def test_a_date_inside_a_chinese_sentence_under_the_headline_is_not_the_pages() -> None:
    # "born on 28 January 1975 in Singapore": an event, however close to the headline
    article = "<h1>蔡健雅</h1>\n<p>蔡健雅1975年1月28日出生于新加坡。</p>\n" + PARAGRAPHS
    record = ok(read_html(page("<title>蔡健雅</title>", article)))
    assert record.date_evidence is None or "1975" not in record.date_evidence


CHANGED_HEAD = (
    '<title>Royal interview</title><script type="application/ld+json">'
    '{"@type": "NewsArticle", "datePublished": "2021-03-08T14:00:00Z", '
    '"dateModified": "2021-03-14T03:02:00Z"}</script>'
)


def test_a_page_that_shows_only_its_last_change_is_dated_by_it() -> None:
    # The readers see "Updated ... March 14, 2021" and no 8 March anywhere: the page
    # presents itself as of the 14th, and is cited by that day.
    article = "<p>Updated 0302 GMT (1102 HKT) March 14, 2021</p>\n" + PARAGRAPHS
    record = ok(read_html(page(CHANGED_HEAD, article)))
    assert record.date == "2021-03-14"
    assert record.date_evidence == (
        "page metadata (JSON-LD datePublished; its last change, the only day it shows)"
    )


@pytest.mark.parametrize(
    "shown",
    [
        "<p>Published March 8, 2021 · Updated March 14, 2021</p>",  # both days shown
        "<p>Published 08.03.2021</p>",  # the publication alone
        "",  # neither
    ],
)
def test_a_page_that_shows_its_publication_keeps_it(shown: str) -> None:
    record = ok(read_html(page(CHANGED_HEAD, f"{shown}\n" + PARAGRAPHS)))
    assert record.date == "2021-03-08"
