"""Readers of dumps: streamed, decompressed and decoded a block at a time."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import tracemalloc
from pathlib import Path

import pytest

from corpus_cli.readers import RawRecord, RecordError, UnreadableFile, read_records, streams


def ids(path: Path) -> list[str]:
    return [r.id or "?" if isinstance(r, RawRecord) else r.reason for r in read_records(path)]


def array(n: int, size: int = 100) -> str:
    return json.dumps([{"id": f"a{i}", "text": "x" * size} for i in range(1, n + 1)])


def test_a_truncated_archive_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": f"r{i}", "text": f"testo {i}"}) + "\n" for i in range(500))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(gzip.compress(lines.encode())[:-30])
    got = ids(path)
    # What deflate gave before the cut is kept, in order; the end is one error.
    kept = got[:-1]
    assert len(kept) > 400 and kept == [f"r{i}" for i in range(len(kept))]
    assert got[-1] == (
        f"the compressed file ends early after record {len(kept)}; nothing after that could be read"
    )


def test_a_byte_past_the_first_megabyte_in_another_encoding_is_kept(tmp_path: Path) -> None:
    # Dumps are often concatenations: UTF-8 for a megabyte, then a cp1252 "è".
    first = json.dumps({"id": "utf8", "text": "città " * 200_000}) + "\n"
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(first.encode() + b'{"id": "legacy", "text": "perch\xe8"}\n')
    records = list(read_records(path))
    assert [r.id for r in records if isinstance(r, RawRecord)] == ["utf8", "legacy"]
    assert isinstance(records[1], RawRecord) and records[1].text == "perchè"


def test_a_large_json_array_is_streamed_and_a_bad_item_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Over the record cap (lowered to 100 KB), an array is no longer parsed whole.
    monkeypatch.setattr(streams, "MAX_RECORD_CHARS", 100_000)
    text = array(2000)
    path = tmp_path / "big.json"
    path.write_text(text[:-1] + ', 7, {"title": "no text"}]')
    got = ids(path)
    assert got[:2] == ["a1", "a2"] and got[1999] == "a2000"
    assert got[2000:] == [
        "record 2001: not a JSON object",
        "record 2002: no text field (looked for text, body, content, article, full_text, "
        "fulltext, article_body, testo, description, summary; --map text=NAME names another)",
    ]


def test_a_large_wrapper_object_streams_its_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(streams, "MAX_RECORD_CHARS", 100_000)
    path = tmp_path / "wrapped.json.gz"
    items = json.loads(array(2000))
    path.write_bytes(gzip.compress(json.dumps({"meta": {"n": 2000}, "articles": items}).encode()))
    got = ids(path)
    assert len(got) == 2000 and got[-1] == "a2000"


def test_an_item_over_the_cap_ends_the_array_with_one_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(streams, "MAX_RECORD_CHARS", 100_000)
    items = json.loads(array(1000))
    items[500]["text"] = "y" * 400_000
    path = tmp_path / "huge-item.json"
    path.write_text(json.dumps(items))
    got = ids(path)
    assert got[-1] == (
        "record 501: too large (the limit for one record is 0.1 MB); "
        "the records after it could not be read"
    )
    assert got[:-1] == [f"a{i}" for i in range(1, 501)]


def test_a_broken_array_keeps_what_came_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(streams, "MAX_RECORD_CHARS", 100_000)
    path = tmp_path / "broken.json"
    path.write_text(array(2000)[:-5000])
    got = ids(path)
    assert got[-1].startswith("record ") and "not valid JSON" in got[-1]
    assert len(got) > 1900


def test_empty_and_binary_dumps_are_unreadable_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv.gz"
    empty.write_bytes(gzip.compress(b""))
    binary = tmp_path / "zeros.jsonl.bz2"

    binary.write_bytes(bz2.compress(b"\x00" * 5000))
    with pytest.raises(UnreadableFile, match="empty file"):
        list(read_records(empty))
    with pytest.raises(UnreadableFile, match="binary file"):
        list(read_records(binary))


def test_a_dump_is_read_in_constant_memory(tmp_path: Path) -> None:
    # 40 MB of JSON Lines, gzipped: reading every record must not hold the file.
    path = tmp_path / "forty.jsonl.gz"
    line = json.dumps({"text": "parola " * 1400}) + "\n"  # ~10 KB
    with gzip.open(path, "wt", compresslevel=1) as out:
        for _ in range(4000):
            out.write(line)
    tracemalloc.start()
    try:
        count = sum(1 for r in read_records(path) if isinstance(r, RawRecord))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 4000
    assert peak < 8 * 1024 * 1024


def test_errors_are_records_not_exceptions_in_a_stream(tmp_path: Path) -> None:
    path = tmp_path / "rows.tsv.xz"

    path.write_bytes(lzma.compress(b"id\ttext\nt1\tuno\nt2\n"))
    got = list(read_records(path))
    assert got == [
        RawRecord(text="uno", id="t1"),
        RecordError("line 3: expected 2 fields as in the header, found 1"),
    ]
