"""Input field names beyond English: Italian, schema.org's NewsArticle, and ``--map``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Run, json_lines, write

from corpus_cli.errors import UsageError
from corpus_cli.readers import RawRecord, RecordError, mapped_fields, parse_field_map
from corpus_cli.readers.csvfile import read_csv
from corpus_cli.readers.jsonl import read_jsonl
from corpus_cli.readers.mapping import record_from_mapping
from corpus_cli.readers.markdown import read_markdown


def ok(result: RawRecord | RecordError) -> RawRecord:
    assert isinstance(result, RawRecord), result
    return result


def test_italian_csv_columns() -> None:
    text = (
        "titolo,data,testata,testo,autore,url,lingua\n"
        "Rapina in centro,2021-03-04,Gazzetta di Modena,Un uomo ha rapinato la farmacia.,"
        "Mario Rossi,https://example.com/r,it\n"
    )
    [record] = list(read_csv(text))
    assert ok(record) == RawRecord(
        text="Un uomo ha rapinato la farmacia.",
        title="Rapina in centro",
        date="2021-03-04",
        source="Gazzetta di Modena",
        url="https://example.com/r",
        extra={"author": "Mario Rossi", "language": "it"},
    )


def test_fonte_is_a_source_too() -> None:
    assert ok(record_from_mapping({"fonte": "ANSA", "testo": "x"})).source == "ANSA"


def test_schema_org_news_article() -> None:
    line = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": "Furto in banca",
            "articleBody": "I ladri sono entrati di notte.",
            "datePublished": "2020-05-06T08:00:00+02:00",
            "dateModified": "2020-05-07",
            "publisher": {"@type": "Organization", "name": "La Stampa"},
            "author": [{"@type": "Person", "name": "Ada Neri"}, {"name": "Bo Gatti"}],
            "inLanguage": "it",
            "url": "https://example.com/a",
        }
    )
    [record] = list(read_jsonl(line))
    assert ok(record) == RawRecord(
        text="I ladri sono entrati di notte.",
        title="Furto in banca",
        date="2020-05-06T08:00:00+02:00",
        source="La Stampa",
        url="https://example.com/a",
        extra={
            "author": "Ada Neri, Bo Gatti",
            "language": "it",
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            # Kept, not used: when an article changed is not when it was published.
            "dateModified": "2020-05-07",
        },
    )


def test_date_modified_is_the_date_when_there_is_no_other() -> None:
    record = ok(record_from_mapping({"articleBody": "x", "dateModified": "2020-05-07"}))
    assert record.date == "2020-05-07"


def test_flattened_schema_org_columns() -> None:
    """A CSV exported from schema.org objects spells the nested names with a dot."""
    [record] = list(read_csv("headline,articleBody,publisher.name,author.name\nT,Body.,ANSA,Ada\n"))
    assert (ok(record).source, ok(record).extra) == ("ANSA", {"author": "Ada"})


def test_italian_front_matter() -> None:
    record = read_markdown("---\ntitolo: Alluvione\ndata: 2023-05-17\ntestata: ANSA\n---\nPiove.\n")
    assert (record.title, record.date, record.source, record.text) == (
        "Alluvione",
        "2023-05-17",
        "ANSA",
        "Piove.",
    )


def test_a_field_map_names_other_fields_first() -> None:
    data = {
        "corpo": "Testo del pezzo.",
        "pubblicazione": "2019-01-02",
        "date": "2018",
        "editore": {"nome": "Il Resto del Carlino"},
    }
    with mapped_fields({"text": "corpo", "date": "pubblicazione", "source": "editore.nome"}):
        record = ok(record_from_mapping(data))
    assert (record.text, record.date, record.source) == (
        "Testo del pezzo.",
        "2019-01-02",
        "Il Resto del Carlino",
    )
    assert record.extra == {"date": "2018"}
    # Outside the context the usual names alone are read again.
    assert record_from_mapping(data) == RecordError(
        "no text field (looked for text, body, content, article, full_text, fulltext, "
        "article_body, testo, description, summary; --map text=NAME names another)"
    )


def test_a_mapped_text_field_that_is_missing_is_named() -> None:
    with mapped_fields({"text": "corpo"}):
        assert record_from_mapping({"titolo": "x"}) == RecordError(
            "no text field 'corpo' (from --map text=corpo)"
        )


def test_parse_field_map() -> None:
    assert parse_field_map(["text=corpo", " Date = data pubblicazione "]) == {
        "text": "corpo",
        "date": "data pubblicazione",
    }


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("textcorpo", "--map takes FIELD=NAME, as in --map text=corpo; got 'textcorpo'."),
        ("text=", "--map takes FIELD=NAME, as in --map text=corpo; got 'text='."),
        (
            "body=corpo",
            "--map body=corpo: 'body' is no field; the fields are id, title, date, source, "
            "url, text, author, language.",
        ),
    ],
)
def test_parse_field_map_refuses(pair: str, message: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_field_map([pair])
    assert str(raised.value) == message


# -- through the command line ------------------------------------------------------------


def test_ingest_map(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    write(folder, "pezzi.csv", "corpo;pubblicazione;titolo\nPiove su Modena.;2019-01-02;Meteo\n")
    skipped = run("ingest", "--json", str(folder))
    assert json_lines(skipped)[0]["added"] == 0
    result = run(
        "ingest", "--json", "--map", "text=corpo", "--map", "date=pubblicazione", str(folder)
    )
    assert result.exit_code == 0, result.output
    assert json_lines(result)[0]["added"] == 1
    [row] = json_lines(run("list", "--json"))
    assert (row["title"], row["date"]) == ("Meteo", "2019-01-02")


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("text", "corpus: --map takes FIELD=NAME, as in --map text=corpo; got 'text'.\n"),
        (
            "corpo=text",
            "corpus: --map corpo=text: 'corpo' is no field; the fields are id, title, date, "
            "source, url, text, author, language.\n",
        ),
    ],
)
def test_ingest_bad_map_is_a_usage_error(run: Run, tmp_path: Path, pair: str, message: str) -> None:
    result = run("ingest", "--map", pair, str(tmp_path))
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)
