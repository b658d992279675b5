"""Tests of the structured-record readers (JSON Lines, JSON, CSV, YAML front matter)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import yaml

from corpus_cli.readers import RawRecord, RecordError
from corpus_cli.readers.csvfile import read_csv
from corpus_cli.readers.jsondoc import read_json
from corpus_cli.readers.jsonl import read_jsonl
from corpus_cli.readers.mapping import record_from_mapping
from corpus_cli.readers.markdown import split_front_matter

NO_TEXT = (
    "no text field (looked for text, body, content, article, full_text, fulltext, "
    "article_body, testo, description, summary; --map text=NAME names another)"
)


def ok(result: RawRecord | RecordError) -> RawRecord:
    assert isinstance(result, RawRecord), result
    return result


# --------------------------------------------------------------------------- record_from_mapping


@pytest.mark.parametrize("key", ["id", "guid", "uuid", "article_id", "doc_id"])
def test_id_keys(key: str) -> None:
    record = ok(record_from_mapping({key: "a-17", "text": "Body."}))
    assert record.id == "a-17"
    assert record.extra == {}


@pytest.mark.parametrize("key", ["title", "headline", "heading"])
def test_title_keys(key: str) -> None:
    assert ok(record_from_mapping({key: "Floods", "text": "Body."})).title == "Floods"


@pytest.mark.parametrize(
    "key",
    [
        "date",
        "published",
        "publish_date",
        "published_at",
        "pubDate",
        "pubdate",
        "datePublished",
        "date_published",
        "created_at",
        "timestamp",
    ],
)
def test_date_keys(key: str) -> None:
    record = ok(record_from_mapping({key: "3 marzo 2021", "text": "Body."}))
    assert record.date == "3 marzo 2021"
    assert record.date_evidence is None
    assert record.extra == {}


@pytest.mark.parametrize(
    "key",
    ["source", "outlet", "publisher", "site_name", "sitename", "site", "publication", "newspaper"],
)
def test_source_keys(key: str) -> None:
    assert ok(record_from_mapping({key: "La Stampa", "text": "Body."})).source == "La Stampa"


@pytest.mark.parametrize("key", ["url", "link", "href", "permalink", "canonical_url"])
def test_url_keys(key: str) -> None:
    record = ok(record_from_mapping({key: "https://example.com/a", "text": "Body."}))
    assert record.url == "https://example.com/a"


@pytest.mark.parametrize(
    "key", ["text", "body", "content", "article", "full_text", "fulltext", "description", "summary"]
)
def test_text_keys(key: str) -> None:
    record = ok(record_from_mapping({key: "The river burst its banks."}))
    assert record.text == "The river burst its banks."
    assert record.extra == {}


def test_keys_are_case_insensitive_and_ignore_separators() -> None:
    record = ok(
        record_from_mapping(
            {
                "TEXT": "Body.",
                "Headline": "Floods",
                "publishedAt": "2024-02-10T10:00:00Z",
                "Site-Name": "The Daily Example",
                "Canonical URL": "https://example.com/a",
                "ArticleId": "x1",
            }
        )
    )
    assert record == RawRecord(
        text="Body.",
        title="Floods",
        date="2024-02-10T10:00:00Z",
        source="The Daily Example",
        url="https://example.com/a",
        id="x1",
    )


def test_description_and_summary_are_last_resort_text() -> None:
    record = ok(record_from_mapping({"description": "Short.", "body": "Long body."}))
    assert record.text == "Long body."
    assert record.extra == {"description": "Short."}

    record = ok(record_from_mapping({"summary": "Short.", "text": "  "}))
    assert record.text == "Short."
    assert record.extra == {}


def test_first_key_wins_and_the_others_go_to_extra() -> None:
    record = ok(
        record_from_mapping(
            {
                "text": "Body.",
                "published": "2024-02-09",
                "date": "2024-02-10",
                "link": "https://example.com/b",
                "url": "https://example.com/a",
                "author": "Jane Doe",
                "title": "",
            }
        )
    )
    assert record.date == "2024-02-10"
    assert record.url == "https://example.com/a"
    assert record.title is None
    assert record.extra == {
        "published": "2024-02-09",
        "link": "https://example.com/b",
        "author": "Jane Doe",
    }


def test_text_is_kept_as_written() -> None:
    record = ok(record_from_mapping({"text": "  Line one.\nLine two.\n", "title": "  Floods  "}))
    assert record.text == "  Line one.\nLine two.\n"
    assert record.title == "Floods"


def test_non_string_values() -> None:
    record = ok(
        record_from_mapping(
            {
                "id": 42,
                "title": 1984,
                "text": "Body.",
                "timestamp": 1707559200,
                "published": True,
                "score": 0.5,
            }
        )
    )
    assert record.id == "42"
    assert record.title == "1984"
    assert record.date is None  # a number under "timestamp" is not taken as a date
    assert record.extra == {"timestamp": 1707559200, "published": True, "score": 0.5}

    assert ok(record_from_mapping({"doc_id": 7.0, "text": "x"})).id == "7"
    assert ok(record_from_mapping({"id": True, "guid": "g-1", "text": "x"})).id == "g-1"


def test_timestamp_string_is_a_date() -> None:
    record = ok(record_from_mapping({"timestamp": "2024-02-10T10:00:00Z", "text": "x"}))
    assert record.date == "2024-02-10T10:00:00Z"


def test_nested_source() -> None:
    record = ok(
        record_from_mapping(
            {
                "source": {"id": None, "name": "Reuters"},
                "author": "Jane Doe",
                "title": "Floods",
                "description": "Heavy rain.",
                "url": "https://example.com/a",
                "urlToImage": "https://example.com/a.jpg",
                "publishedAt": "2024-02-10T10:00:00Z",
                "content": "Heavy rain caused floods [+123 chars]",
            }
        )
    )
    assert record == RawRecord(
        text="Heavy rain caused floods [+123 chars]",
        title="Floods",
        date="2024-02-10T10:00:00Z",
        source="Reuters",
        url="https://example.com/a",
        extra={
            "author": "Jane Doe",
            "description": "Heavy rain.",
            "urlToImage": "https://example.com/a.jpg",
        },
    )


def test_nested_source_without_a_name_falls_to_the_next_key() -> None:
    record = ok(record_from_mapping({"source": {"id": 3}, "outlet": "ANSA", "text": "x"}))
    assert record.source == "ANSA"
    assert record.extra == {"source": {"id": 3}}


def test_yaml_date_objects() -> None:
    data = yaml.safe_load(
        "date: 2024-02-10\n"
        "updated: 2024-02-11 08:30:00\n"
        "history: [2020-01-01, {at: 2021-05-06}]\n"
        "text: Body.\n"
    )
    assert isinstance(data["date"], dt.date)
    record = ok(record_from_mapping(data))
    assert record.date == "2024-02-10"
    assert record.extra == {
        "updated": "2024-02-11T08:30:00",
        "history": ["2020-01-01", {"at": "2021-05-06"}],
    }
    json.dumps(record.extra)  # serialisable

    record = ok(record_from_mapping(yaml.safe_load("published: 2024-02-10 10:00:00Z\ntext: x")))
    assert record.date == "2024-02-10T10:00:00+00:00"

    assert ok(record_from_mapping(yaml.safe_load("date: 2021\ntext: x"))).date == "2021"


def test_extra_holds_only_json_values() -> None:
    record = ok(
        record_from_mapping(
            {
                "text": "x",
                "raw": b"\x00\x01",
                "labels": {"a", "b"},
                "ratio": float("nan"),
                "pair": (1, 2),
                "nested": {1: "one", "when": dt.date(2020, 1, 2), "blob": b"x"},
            }
        )
    )
    assert record.extra == {"pair": [1, 2], "nested": {"1": "one", "when": "2020-01-02"}}
    json.dumps(record.extra, allow_nan=False)


def test_recursive_yaml_does_not_hang() -> None:
    data = yaml.safe_load("text: x\nloop: &a [1, *a]\n")
    record = ok(record_from_mapping(data))
    assert record.extra == {"loop": [1]}


@pytest.mark.parametrize(
    "data",
    [
        {"title": "Floods", "date": "2024-02-10"},
        {"title": "Floods", "text": "   \n"},
        {"body": None},
        {"text": ["not", "a", "string"]},
    ],
)
def test_no_text(data: dict[str, Any]) -> None:
    assert record_from_mapping(data) == RecordError(NO_TEXT)


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_broken_line_among_good_ones() -> None:
    text = (
        '{"id": 1, "title": "One", "text": "First."}\n'
        '{"id": 2, "title": "Two", "text": "Second.",}\n'
        "\n"
        '{"id": 3, "title": "Three", "text": "Third."}\n'
    )
    results = list(read_jsonl(text))
    assert results == [
        RawRecord(text="First.", title="One", id="1"),
        RecordError("line 2: not valid JSON (Expecting property name enclosed in double quotes)"),
        RawRecord(text="Third.", title="Three", id="3"),
    ]


def test_jsonl_other_errors_name_their_line() -> None:
    text = '\ufeff{"text": "ok"}\r\n[1, 2]\r\n\r\n{"title": "no body"}\r\n{"text": "ok too"\r\n'
    assert list(read_jsonl(text)) == [
        RawRecord(text="ok"),
        RecordError("line 2: not a JSON object"),
        RecordError(f"line 4: {NO_TEXT}"),
        RecordError("line 5: not valid JSON (Expecting ',' delimiter)"),
    ]


def test_jsonl_empty() -> None:
    assert list(read_jsonl("\n\n  \n")) == []


# --------------------------------------------------------------------------- JSON


def test_json_array() -> None:
    text = json.dumps(
        [
            {"headline": "One", "body": "First.", "pubDate": "Sat, 10 Feb 2024 10:00:00 GMT"},
            "not an object",
            {"title": "Three"},
        ]
    )
    assert list(read_json(text)) == [
        RawRecord(text="First.", title="One", date="Sat, 10 Feb 2024 10:00:00 GMT"),
        RecordError("record 2: not a JSON object"),
        RecordError(f"record 3: {NO_TEXT}"),
    ]


def test_json_single_object() -> None:
    text = '{"title": "One", "text": "First.", "items": [1, 2]}'
    assert list(read_json(text)) == [RawRecord(text="First.", title="One", extra={"items": [1, 2]})]


def test_json_single_object_without_text() -> None:
    assert list(read_json('{"title": "One"}')) == [RecordError(NO_TEXT)]


@pytest.mark.parametrize("wrapper", ["articles", "items", "data", "Articles"])
def test_json_wrapper_object(wrapper: str) -> None:
    text = json.dumps(
        {
            "status": "ok",
            "totalResults": 2,
            wrapper: [
                {"source": {"id": "bbc", "name": "BBC News"}, "content": "First."},
                {"source": "ANSA", "content": "Second.", "link": "https://ansa.it/x"},
            ],
        }
    )
    assert list(read_json(text)) == [
        RawRecord(text="First.", source="BBC News"),
        RawRecord(text="Second.", source="ANSA", url="https://ansa.it/x"),
    ]


def test_json_whole_file_error() -> None:
    assert list(read_json('[{"text": "a"},\n {"text": "b"')) == [
        RecordError("not valid JSON (Expecting ',' delimiter at line 2, column 14)")
    ]
    assert list(read_json("  ")) == [RecordError("not valid JSON (the file is empty)")]
    assert list(read_json("42")) == [
        RecordError("the JSON file holds neither an object nor an array")
    ]


def test_json_with_bom() -> None:
    assert list(read_json('\ufeff[{"text": "a"}]')) == [RawRecord(text="a")]


# --------------------------------------------------------------------------- CSV


def test_csv_semicolon_multiline_body_and_short_row() -> None:
    text = (
        "id;title;date;text\n"
        '1;Floods;2024-02-10;"First line; still the body.\n'
        "\n"
        'Second paragraph with ""quotes""."\n'
        "2;Short row\n"
        "3;Budget;2024-03-01;Council approves budget.\n"
    )
    assert list(read_csv(text)) == [
        RawRecord(
            text='First line; still the body.\n\nSecond paragraph with "quotes".',
            title="Floods",
            date="2024-02-10",
            id="1",
        ),
        RecordError("line 5: expected 4 fields as in the header, found 2"),
        RawRecord(text="Council approves budget.", title="Budget", date="2024-03-01", id="3"),
    ]


def test_csv_too_many_fields() -> None:
    text = "title,text\nA,Body,extra\nB,Body B\n"
    assert list(read_csv(text)) == [
        RecordError("line 2: expected 2 fields as in the header, found 3"),
        RawRecord(text="Body B", title="B"),
    ]


def test_csv_tab_delimiter_crlf_and_extra_columns() -> None:
    text = "\ufeffTitle\tBody\tSection\r\nFloods\tHeavy rain.\tWeather\r\n\r\n"
    assert list(read_csv(text)) == [
        RawRecord(text="Heavy rain.", title="Floods", extra={"Section": "Weather"})
    ]


def test_csv_comma_is_the_default() -> None:
    text = 'text\n"Body, with a comma"\n'
    assert list(read_csv(text)) == [RawRecord(text="Body, with a comma")]


def test_csv_row_without_text() -> None:
    text = "title,text\nA,\n"
    assert list(read_csv(text)) == [RecordError(f"line 2: {NO_TEXT}")]


def test_csv_long_field() -> None:
    body = "word " * 1_000_000  # 5 MB, far above the csv module's default 128 KB limit
    text = f'title,text\nLong,"{body}"\n'
    [record] = list(read_csv(text))
    assert ok(record).text == body


def test_csv_empty() -> None:
    assert list(read_csv("")) == []
    assert list(read_csv("title,text\n")) == []


# --------------------------------------------------------------------------- front matter


def test_front_matter_present() -> None:
    text = (
        "---\n"
        "title: Floods hit the valley\n"
        "date: 2024-02-10\n"
        "tags: [weather, floods]\n"
        "---\n"
        "# Floods\n"
        "\n"
        "Heavy rain.\n"
    )
    front, body = split_front_matter(text)
    assert front == {
        "title": "Floods hit the valley",
        "date": dt.date(2024, 2, 10),
        "tags": ["weather", "floods"],
    }
    assert body == "# Floods\n\nHeavy rain.\n"


def test_front_matter_closed_by_dots_with_bom_and_crlf() -> None:
    front, body = split_front_matter("\ufeff---\r\nsource: ANSA\r\n...\r\nBody.\r\n")
    assert front == {"source": "ANSA"}
    assert body == "Body.\r\n"


def test_front_matter_empty() -> None:
    assert split_front_matter("---\n---\nBody.") == ({}, "Body.")


@pytest.mark.parametrize(
    "text",
    [
        "# Floods\n\nHeavy rain.\n",
        "Heavy rain.\n---\ntitle: not front matter\n---\n",
        "---\nA thematic break, never closed.\n",
        "",
    ],
)
def test_front_matter_absent(text: str) -> None:
    assert split_front_matter(text) == (None, text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "---\ntitle: [unclosed\n---\nBody.",
            "the front matter is not valid YAML "
            "(expected ',' or ']', but got '<stream end>' on line 3)",
        ),
        (
            "---\ntitle: a\n  b: c\n---\nBody.",
            "the front matter is not valid YAML (mapping values are not allowed here on line 3)",
        ),
        (
            "---\n- a\n- b\n---\nBody.",
            "the front matter is not a mapping of keys to values (found a list)",
        ),
        (
            "---\njust words\n---\nBody.",
            "the front matter is not a mapping of keys to values (found a string)",
        ),
    ],
)
def test_front_matter_invalid(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        split_front_matter(text)
    assert str(raised.value) == message


def test_front_matter_is_never_executed() -> None:
    text = "---\nx: !!python/object/apply:os.system ['echo hacked']\n---\nBody."
    with pytest.raises(ValueError, match="not valid YAML"):
        split_front_matter(text)


def test_front_matter_to_record() -> None:
    front, body = split_front_matter(
        "---\ndate: 2024-02-10\noutlet: ANSA\nauthor: J. Doe\n---\nBody."
    )
    assert front is not None
    assert record_from_mapping({**front, "text": body}) == RawRecord(
        text="Body.", date="2024-02-10", source="ANSA", extra={"author": "J. Doe"}
    )


# --------------------------------------------------------------------------- headlines


@pytest.mark.parametrize(
    ("text", "title", "body"),
    [
        # A two-word first line is the headline, not words run into the first sentence.
        (
            "Sciopero generale\nOggi i treni si fermano.\n",
            "Sciopero generale",
            "Oggi i treni si fermano.",
        ),
        # One word is a section label: passed over, and no headline without another line.
        (
            "Russia\nPutin ha parlato ieri a Mosca.\n",
            None,
            "Russia\nPutin ha parlato ieri a Mosca.",
        ),
        # A two-word label before a longer headline stays a label.
        (
            "Cronaca locale\nIl Secchia esce dagli argini\nAllagata Navicello.\n",
            "Il Secchia esce dagli argini",
            "Cronaca locale\nAllagata Navicello.",
        ),
        # Two words ending a sentence are text.
        ("Piove ancora.\nDomani sole.\n", None, "Piove ancora.\nDomani sole."),
    ],
)
def test_plain_text_headline(text: str, title: str | None, body: str) -> None:
    from corpus_cli.readers.plaintext import read_text

    record = read_text(text)
    assert (record.title, record.text) == (title, body)


def test_markdown_emphasis_marks_are_dropped() -> None:
    from corpus_cli.readers.markdown import read_markdown

    record = read_markdown(
        "# **Furto** in banca\n\nI **ladri** sono *entrati* di __notte__.\n"
        "Restano: 5 * 3 * 2, snake_case_name, un * solo e **.\n"
    )
    assert record.title == "Furto in banca"
    assert record.text == (
        "I ladri sono entrati di notte.\nRestano: 5 * 3 * 2, snake_case_name, un * solo e **."
    )


@pytest.mark.parametrize(
    "byline",
    [
        "Pubblicato il 12/03/2021 alle 10:30",
        "Aggiornato il 12 marzo 2021 ore 10:30",
        "Publié le 12 mars 2021 à 10h30",
    ],
)
def test_a_byline_with_a_time_dates_the_article_and_is_not_its_title(byline: str) -> None:
    import datetime

    from corpus_cli.readers import resolve
    from corpus_cli.readers.plaintext import read_text

    text = f"{byline}\nRapina in centro, arrestati due giovani\nIl fatto è avvenuto in via Emilia."
    record = read_text(text)
    assert record.title == "Rapina in centro, arrestati due giovani"
    article = resolve(
        record, id="a", path="a.txt", fallback_source="x", today=datetime.date(2026, 11, 22)
    )
    assert article.date is not None
    assert (article.date.value, article.date.precision, article.date.evidence) == (
        "2021-03-12",
        "day",
        byline,
    )
