"""Fuzzed file contents: random bytes and broken-but-structured content in every
supported format and encoding never raise out of a reader, and never cost a good file.

In-process (many examples, fast): ``read_records`` on a file of any supported suffix
yields records or record errors, or raises ``UnreadableFile`` with a reason, and
``resolve`` makes an article of every record; well-formed records are all read whatever
their encoding, line endings or neighbours. Through ``corpus ingest`` (fewer examples,
each a new index): a folder of such files beside one good file exits 0, the good file is
searchable, and every other file is either stored or listed as skipped with its reason.

Budgets and seed come from ``tests/fuzzing.py``: derandomized with a modest number of
examples in the gate; ``HYPOTHESIS_PROFILE=long pytest tests/test_fuzz_*.py`` runs 20x
as many, with a fresh seed.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fuzzing import examples
from hypothesis import given
from hypothesis import strategies as st

from corpus_cli.cli import cli
from corpus_cli.readers import RawRecord, RecordError, UnreadableFile, read_records, resolve
from corpus_cli.readers.dispatch import READERS_BY_SUFFIX

TODAY = datetime.date(2024, 3, 15)
SUFFIXES = sorted(READERS_BY_SUFFIX)

# -- contents ---------------------------------------------------------------------------

#: Text of every kind: any code point but surrogates (no file holds one), and words.
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=200)
words = st.lists(
    st.sampled_from(["Modena", "città", "furto", "Москва", "北京", "🚀", "l’esercito", "2023"]),
    min_size=1,
    max_size=10,
).map(" ".join)


def _line_endings(text: str, ending: str) -> str:
    return text.replace("\n", ending)


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    """``text`` as a file may hold it: an encoding, perhaps cut, other line endings."""
    ending = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    if ending == "mixed":
        text = "".join(
            line + draw(st.sampled_from(["\n", "\r\n", "\r"])) for line in text.split("\n")
        )
    else:
        text = _line_endings(text, ending)
    codec = draw(
        st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
    )
    data = text.encode(codec, errors="replace")
    if draw(st.booleans()):
        # Truncated: a multi-byte character or a UTF-16 pair cut in half.
        data = data[: draw(st.integers(0, len(data)))]
    if draw(st.integers(0, 9)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" + data[at:]
    return data


def _jsonl(records: list[object]) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records)


#: Strings a JSON file can hold but a UTF-8 one cannot: lone surrogates, as \ud800 escapes.
json_text = st.lists(st.one_of(any_text, st.integers(0xD800, 0xDFFF).map(chr)), max_size=3).map(
    "".join
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | json_text,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["text", "title", "date", "source", "id", "x"]), children)
    ),
    max_leaves=10,
)
article_objects = st.fixed_dictionaries(
    {"text": words},
    optional={
        "title": json_text,
        "date": st.one_of(any_text, st.sampled_from(["2023-02-30", "00/00/0000", "9999-12"])),
        "source": json_text,
        "id": st.one_of(json_text, st.integers()),
        "url": st.one_of(any_text, st.just("http://[::1")),
    },
)
structured = st.one_of(
    # JSON Lines: objects, other values and broken lines.
    st.lists(
        st.one_of(article_objects, json_values, any_text, st.just('{"text": "a'), st.just("[")),
        max_size=6,
    ).map(_jsonl),
    # JSON: the same whole, cut anywhere.
    st.tuples(
        st.lists(st.one_of(article_objects, json_values), max_size=4), st.integers(0, 500)
    ).map(lambda p: json.dumps(p[0])[: p[1]]),
    # CSV and TSV: a header, rows of the wrong width, quotes left open.
    st.lists(
        st.lists(st.one_of(any_text, words, st.just('"')), min_size=1, max_size=4).map(",".join),
        max_size=6,
    ).map(lambda rows: "\n".join(["title,text,date", *rows])),
    # HTML: tags left open, scripts, entities, metadata with bad dates.
    st.lists(
        st.one_of(
            any_text,
            words,
            st.sampled_from(
                [
                    "<html><head><title>",
                    '<meta property="article:published_time" content="2023-02-30">',
                    "<script>",
                    "<p>",
                    "</div></div>",
                    "<![CDATA[",
                    "&#0;&#xD800;&bogus;",
                    '<time datetime="9999-99-99">',
                    "<!--",
                ]
            ),
        ),
        max_size=10,
    ).map("".join),
    # Headers and front matter, some broken.
    st.lists(
        st.one_of(
            any_text,
            words,
            st.sampled_from(
                [
                    "---",
                    "title: [",
                    "date: 2023-02-30",
                    "date 2022-13",
                    "id:",
                    ": x",
                    'title: "\\ud800"',
                ]
            ),
        ),
        max_size=10,
    ).map("\n".join),
    # An enormous line.
    st.integers(1, 300_000).map(lambda n: "Modena " + "x" * n),
)
contents = st.one_of(
    st.binary(max_size=600),
    structured.flatmap(encoded),
    any_text.flatmap(encoded),
)


def read_all(path: Path) -> list[RawRecord | RecordError] | str:
    """The records of ``path``, each resolved to an article; or the reason it is unreadable."""
    try:
        records = list(read_records(path))
    except UnreadableFile as error:
        assert str(error), "a file is skipped with a reason"
        return str(error)
    for n, record in enumerate(records, 1):
        if isinstance(record, RecordError):
            assert record.reason
            continue
        assert isinstance(record, RawRecord)
        # Valid Unicode, which the index can store and the terminal print: a lone
        # surrogate failed the whole ingest at the writer.
        json.dumps(vars(record), ensure_ascii=False, default=str).encode("utf-8")
        resolve(record, id=f"id-{n}", path=str(path), fallback_source="fuzz", today=TODAY)
    return records


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-files")


@examples(1200)
@given(suffix=st.sampled_from(SUFFIXES), data=contents)
def test_readers_raise_only_unreadable_file(scratch: Path, suffix: str, data: bytes) -> None:
    path = scratch / f"file{suffix}"
    path.write_bytes(data)
    read_all(path)


@examples(200)
@given(
    records=st.lists(article_objects, min_size=1, max_size=5),
    broken=st.lists(st.sampled_from(['{"text": "a', "[", "1", "null", "{}"]), max_size=3),
    blank_lines=st.integers(0, 3),
    data=st.data(),
)
def test_every_good_json_lines_record_is_read(
    scratch: Path,
    records: list[dict[str, object]],
    broken: list[str],
    blank_lines: int,
    data: st.DataObject,
) -> None:
    # Good records and broken lines interleaved, in any encoding with a BOM or UTF-8,
    # any line endings: every good record is read, every broken line is an error.
    lines: list[object] = [*records, *broken]
    lines = data.draw(st.permutations(lines))
    text = "\n" * blank_lines + _jsonl(lines) + "\n"
    codec = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
    ending = data.draw(st.sampled_from(["\n", "\r\n", "\r"]))
    path = scratch / "feed.jsonl"
    path.write_bytes(_line_endings(text, ending).encode(codec))
    read = read_all(path)
    assert not isinstance(read, str), read
    assert sum(isinstance(r, RawRecord) for r in read) == len(records)
    assert sum(isinstance(r, RecordError) for r in read) == len(broken)


#: Titles a plain reading keeps: no NUL, control bytes or U+FFFD, which mark a binary file.
printable = st.text(
    st.characters(exclude_categories=["Cs", "Cc"], exclude_characters="\ufffd"), max_size=40
)


@examples(100)
@given(
    records=st.lists(article_objects, min_size=1, max_size=5),
    others=st.lists(
        st.one_of(st.none(), st.integers(), any_text, st.lists(st.integers())), max_size=3
    ),
    wrapper=st.sampled_from(["{}", '{{"articles": {}}}', '{{"items": {}, "n": 1}}']),
    data=st.data(),
)
def test_every_good_json_record_is_read(
    scratch: Path,
    records: list[dict[str, object]],
    others: list[object],
    wrapper: str,
    data: st.DataObject,
) -> None:
    # An array (bare or wrapped) of good objects and other values: each object is read,
    # each other value is an error of its own, whatever the encoding.
    items = data.draw(st.permutations([*records, *others]))
    codec = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
    path = scratch / "feed.json"
    path.write_bytes(
        wrapper.format(json.dumps(items, indent=data.draw(st.sampled_from([None, 2])))).encode(
            codec
        )
    )
    read = read_all(path)
    assert not isinstance(read, str), read
    assert sum(isinstance(r, RawRecord) for r in read) == len(records)
    assert sum(isinstance(r, RecordError) for r in read) == len(others)


@examples(200)
@given(
    rows=st.lists(st.tuples(printable, words), min_size=1, max_size=5),
    blank_lines=st.integers(0, 3),
    delimiter=st.sampled_from([",", ";", "\t"]),
    ending=st.sampled_from(["\n", "\r\n"]),
    codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_every_good_csv_row_is_read(
    scratch: Path,
    rows: list[tuple[str, str]],
    blank_lines: int,
    delimiter: str,
    ending: str,
    codec: str,
) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=ending)
    writer.writerow(["title", "text"])
    writer.writerows(rows)
    path = scratch / ("feed.tsv" if delimiter == "\t" else "feed.csv")
    path.write_bytes((ending * blank_lines + buffer.getvalue()).encode(codec))
    read = read_all(path)
    assert not isinstance(read, str), read
    assert [r.text for r in read if isinstance(r, RawRecord)] == [text for _t, text in rows]


@examples(200)
@given(
    body=words,
    # UTF-16 without a BOM is not read (README: "UTF-16/32 with a BOM"); the other tests
    # check that such a file is skipped with its reason, not that it is read.
    codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252"]),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
    suffix=st.sampled_from([".txt", ".md"]),
    padding=st.sampled_from(["", "\n\n", "   \n", "\t"]),
)
def test_a_plain_article_is_read_whatever_its_encoding(
    scratch: Path, body: str, codec: str, ending: str, suffix: str, padding: str
) -> None:
    # A text a plain reading keeps: words in a known encoding. cp1252 cannot hold
    # Cyrillic or emoji: those are replaced, which is still text.
    data = _line_endings(padding + body + "\n", ending).encode(codec, errors="replace")
    path = scratch / f"article{suffix}"
    path.write_bytes(data)
    read = read_all(path)
    assert not isinstance(read, str), (read, data)
    assert len(read) == 1 and isinstance(read[0], RawRecord)


# -- through corpus ingest --------------------------------------------------------------

#: How services/reading.py reports an exception a reader should not have raised.
UNEXPECTED = re.compile(r"could not be read \(\w+: ")

GOOD = "title: Buono\nsource: Gazzetta\n\nIl testimone zanzibarico resta sempre.\n"


@examples(100)
@given(files=st.lists(st.tuples(st.sampled_from(SUFFIXES), contents), min_size=1, max_size=5))
def test_ingest_keeps_the_good_file_and_names_every_bad_one(
    tmp_path_factory: pytest.TempPathFactory, files: list[tuple[str, bytes]]
) -> None:
    root = tmp_path_factory.mktemp("fuzz-ingest")
    folder = root / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    for n, (suffix, data) in enumerate(files):
        (folder / f"bad{n}{suffix}").write_bytes(data)
    env: dict[str, str | None] = {"CORPUS_INDEX": None, "COLUMNS": "80"}
    index = ["--index", str(root / "index")]
    runner = CliRunner()
    result = runner.invoke(cli, [*index, "ingest", "--json", str(folder)], env=env)
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    [summary] = [json.loads(line) for line in result.stdout.splitlines()]
    listed = runner.invoke(cli, [*index, "list", "--json", "--limit", "all"], env=env)
    stored = {json.loads(line)["path"] for line in listed.stdout.splitlines()}
    skipped = {row["path"]: row["reason"] for row in summary["skipped"]}
    duplicates = {row["path"] for row in summary["duplicates"]}
    for path in folder.iterdir():
        shown = str(path)
        # Each file went in, or was a copy of one that did, or is named with a reason.
        assert shown in stored or shown in duplicates or skipped.get(shown), (shown, summary)
        # A reader that raised anything but UnreadableFile is reported by
        # services/reading.py as "could not be read (KeyError: ...)": a bug to fix.
        assert not UNEXPECTED.search(skipped.get(shown, "")), skipped[shown]
    found = runner.invoke(cli, [*index, "search", "--json", "zanzibarico"], env=env)
    assert found.exit_code == 0 and "good" in found.stdout, found.output


# -- regressions found by the fuzzing above -------------------------------------------


def test_a_csv_that_starts_with_a_blank_line_keeps_its_rows(tmp_path: Path) -> None:
    # The first line was taken as the header; blank, it ended the file: every row lost.
    path = tmp_path / "feed.csv"
    path.write_text("\ntitle,text\n,Modena\n", encoding="utf-8")
    assert [r.text for r in read_records(path) if isinstance(r, RawRecord)] == ["Modena"]


@pytest.mark.parametrize(
    ("name", "content"),
    [("empty.json", "[]"), ("wrapped.json", '{"articles": []}'), ("header.csv", "title,text\n")],
)
def test_a_feed_of_no_records_is_skipped_with_a_reason(
    tmp_path: Path, name: str, content: str
) -> None:
    # It was neither stored nor listed as skipped: gone from the report without a word.
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / name).write_text(content, encoding="utf-8")
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--index", str(tmp_path / "index"), "ingest", "--json", str(folder)]
    )
    assert result.exit_code == 0, result.output
    [summary] = [json.loads(line) for line in result.stdout.splitlines()]
    assert summary["added"] == 1
    assert [row["path"] for row in summary["skipped"]] == [str(folder / name)]
    assert summary["skipped"][0]["reason"].startswith("no records")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "feed.jsonl",
            '{"text": "porto \\ud800 navi", "title": "t\\udfffx", "source": "s\\ud83d"}',
        ),
        ("front.md", '---\ntitle: "a\\ud800b"\n---\n\nporto navi\n'),
    ],
)
def test_a_lone_surrogate_is_stored_as_a_replacement_character(
    tmp_path: Path, name: str, content: str
) -> None:
    # JSON and YAML escapes can write a lone surrogate: the Whoosh writer failed the
    # whole run on it ("surrogates not allowed", exit 1, the good file lost too), and
    # one stored through front matter failed every later 'list'.
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / name).write_text(content, encoding="utf-8")
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    index = ["--index", str(tmp_path / "index")]
    result = CliRunner().invoke(cli, [*index, "ingest", "--json", str(folder)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["added"] == 2
    listed = CliRunner().invoke(cli, [*index, "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert "\ufffd" in listed.stdout
