"""Dumps: files of many records, compressed or not, streamed in pieces over batches.

Small dumps stand in for big ones: the piece and batch sizes, and the size from which
a plain file is a dump, are lowered so that a few hundred records cross every
boundary a dump of millions would.
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
from pathlib import Path

import pytest
import zstandard

from corpus_cli.readers import streams
from corpus_cli.services import ingest as ingest_service
from corpus_cli.services import reading

from .conftest import Backend, write

COMPRESS = {
    ".gz": gzip.compress,
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
    ".zst": lambda data: zstandard.ZstdCompressor().compress(data),
}


def body(n: int) -> str:
    # Distinct words per record: no two records are duplicates of each other.
    return f"Cronaca numero {n}: il consiglio di Modena discute la delibera parola{n}."


def jsonl(records: range, bad_at: int | None = None) -> str:
    lines = [
        json.dumps({"id": f"r{n}", "date": "2021-03-04", "source": "Dump", "text": body(n)})
        for n in records
    ]
    if bad_at is not None:
        lines[bad_at - 1] = '{"id": "broken", "text": '  # line bad_at
    return "\n".join(lines) + "\n"


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces of 7 records and commits every 20 articles: a 300-record dump spans
    dozens of pieces and batches; every plain JSON Lines file over 1 KB is a dump."""
    monkeypatch.setattr(reading, "PIECE_RECORDS", 7)
    monkeypatch.setattr(reading, "DUMP_BYTES", 1024)
    monkeypatch.setattr(ingest_service, "BATCH_ARTICLES", 20)
    monkeypatch.setattr(ingest_service, "MAX_BATCH_ARTICLES", 20)


@pytest.mark.parametrize("compression", sorted(COMPRESS))
def test_every_format_is_read_inside_every_compression(
    backend: Backend, tmp_path: Path, compression: str
) -> None:
    pack = COMPRESS[compression]
    folder = tmp_path / "dumps"
    write(folder, f"a.jsonl{compression}", pack(jsonl(range(1, 4)).encode()))
    write(folder, f"b.ndjson{compression}", pack(jsonl(range(4, 6)).encode()))
    csv_text = "id,title,date,text\n" + "".join(
        f'c{n},Titolo {n},2020-01-0{n},"{body(10 + n)}"\n' for n in range(1, 4)
    )
    write(folder, f"c.csv{compression}", pack(csv_text.encode()))
    write(folder, f"d.tsv{compression}", pack(f"id\ttext\nd1\t{body(20)}\n".encode()))
    array = [{"id": f"e{n}", "text": body(30 + n)} for n in range(1, 3)]
    write(folder, f"e.json{compression}", pack(json.dumps(array).encode()))
    # A one-article format inside: its name without either suffix is its id.
    write(folder, f"f.txt{compression}", pack(f"Titolo di f\n\n{body(40)}\n".encode("cp1252")))

    summary = backend.ingest(folder)
    assert (summary["added"], summary["skipped"]) == (12, [])
    ids = sorted(backend.ids("list", "--json"))
    assert ids == sorted(["r1", "r2", "r3", "r4", "r5", "c1", "c2", "c3", "d1", "e1", "e2", "f"])
    assert backend.ids("search", "parola32", "--json") == ["e2"]
    assert backend.rows("show", "f", "--json")[0]["title"] == "Titolo di f"
    # Unchanged compressed files are not read again.
    again = backend.ingest(folder)
    assert (again["added"], again["unchanged"]) == (0, 12)


def test_a_dump_over_many_batches_skips_only_its_bad_record(
    backend: Backend, tmp_path: Path, small_pieces: None
) -> None:
    folder = tmp_path / "feed"
    write(folder, "dump.jsonl.gz", gzip.compress(jsonl(range(1, 301), bad_at=150).encode()))
    summary = backend.ingest(folder)
    assert summary["added"] == 299
    assert summary["skipped"] == [
        {
            "path": str(folder / "dump.jsonl.gz"),
            "reason": "line 150: not valid JSON (Expecting value)",
        }
    ]
    ids = backend.ids("list", "--json")
    assert sorted(ids) == sorted(f"r{n}" for n in range(1, 301) if n != 150)
    assert backend.ids("search", "parola300", "--json") == ["r300"]
    again = backend.ingest(folder)
    assert (again["added"], again["unchanged"]) == (0, 299)


def test_a_plain_dump_past_the_old_file_cap_is_streamed(
    backend: Backend, tmp_path: Path, small_pieces: None
) -> None:
    # DUMP_BYTES (lowered to 1 KB) stands for the 64 MB that was the cap for a feed:
    # this file is far past it and is read in pieces, every record of it.
    folder = tmp_path / "feed"
    path = write(folder, "big.jsonl", jsonl(range(1, 101)))
    assert path.stat().st_size > 10 * reading.DUMP_BYTES
    assert backend.ingest(folder)["added"] == 100


def test_a_record_over_the_cap_is_skipped_with_its_line(
    backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1 MB stands for the 16 MB a record may have; these records have 1.2 MB.
    monkeypatch.setattr(streams, "MAX_RECORD_CHARS", 1024 * 1024)
    folder = tmp_path / "feed"
    lines = jsonl(range(1, 6)).splitlines()
    lines[2] = json.dumps({"id": "huge", "text": "parola " * 180_000})
    write(folder, "feed.jsonl.xz", lzma.compress(("\n".join(lines) + "\n").encode()))
    csv_text = f'id,text\nc1,"{body(7)}"\nc2,"{"lunga " * 210_000}"\nc3,"{body(8)}"\n'
    write(folder, "sheet.csv.gz", gzip.compress(csv_text.encode()))
    summary = backend.ingest(folder)
    assert summary["added"] == 6
    assert summary["skipped"] == [
        {
            "path": str(folder / "feed.jsonl.xz"),
            "reason": "line 3: too large (the limit for one record is 1.0 MB)",
        },
        {
            "path": str(folder / "sheet.csv.gz"),
            "reason": "line 3: too large (the limit for one record is 1.0 MB)",
        },
    ]


def test_an_interrupted_dump_is_completed_by_the_next_run_without_duplicates(
    backend: Backend, tmp_path: Path, small_pieces: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "feed"
    write(folder, "dump.jsonl.bz2", bz2.compress(jsonl(range(1, 201)).encode()))
    real_flush = ingest_service._Run.flush
    commits = []

    def flush_then_stop(run: ingest_service._Run) -> None:
        # Ctrl-C as the fourth batch would commit: three batches are kept.
        if len(commits) == 3:
            raise KeyboardInterrupt
        commits.append(1)
        real_flush(run)

    monkeypatch.setattr(ingest_service._Run, "flush", flush_then_stop)
    result = backend.run("ingest", str(folder))
    assert result.exit_code == 130
    monkeypatch.setattr(ingest_service._Run, "flush", real_flush)
    partial = backend.rows("stats", "--json")[0]["articles"]
    assert 0 < partial < 200  # searchable meanwhile, and not taken for the whole dump

    summary = backend.ingest(folder)
    assert (summary["added"], summary["updated"], summary["unchanged"]) == (200, 0, 0)
    ids = backend.ids("list", "--json")
    assert sorted(ids) == sorted(f"r{n}" for n in range(1, 201))
    assert backend.ingest(folder)["unchanged"] == 200


def test_a_changed_dump_replaces_its_articles_across_batches(
    backend: Backend, tmp_path: Path, small_pieces: None
) -> None:
    folder = tmp_path / "feed"
    path = write(folder, "dump.jsonl.gz", gzip.compress(jsonl(range(1, 101)).encode()))
    assert backend.ingest(folder)["added"] == 100
    # The new version: 80 records, the same text twice 60 records apart (pieces and
    # batches apart), and one id twice.
    lines = jsonl(range(1, 81)).splitlines()
    lines[69] = lines[9].replace('"r10"', '"copy"')
    lines[74] = lines[74].replace('"r75"', '"r5"')
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    summary = backend.ingest(folder)
    # 79 articles and a copy: 80 records, as a file's are counted.
    assert (summary["added"], summary["updated"], summary["removed"]) == (0, 80, 20)
    assert summary["duplicates"] == [{"path": str(path), "duplicate_of": str(path)}]
    rows = backend.rows("list", "--json")
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == 79
    assert "r5-2" in ids and "copy" not in ids
    assert [c["id"] for r in rows if r["id"] == "r10" for c in r["copies"]] == ["copy"]


def test_copies_inside_one_dump_are_kept_as_copies(
    backend: Backend, tmp_path: Path, small_pieces: None
) -> None:
    # Pieces of 7: r7 ends the first piece (held back for the next one) and r14
    # the second; r8 and r16 copy them, r30 copies r3 from two pieces before.
    records = [
        {"id": f"r{n}", "date": "2021-03-04", "source": "Dump", "text": body(n)}
        for n in range(1, 41)
    ]
    for copy, of in ((8, 7), (16, 14), (30, 3)):
        records[copy - 1] = {**records[of - 1], "id": f"r{copy}", "source": f"Altro{copy}"}
    folder = tmp_path / "feed"
    dump = "\n".join(json.dumps(r) for r in records) + "\n"
    write(folder, "dump.jsonl.gz", gzip.compress(dump.encode()))
    summary = backend.ingest(folder)
    assert summary["added"] == 37 and len(summary["duplicates"]) == 3
    rows = {r["id"]: r for r in backend.rows("list", "--json")}
    assert len(rows) == 37
    for copy, of in ((8, 7), (16, 14), (30, 3)):
        assert [c["id"] for c in rows[f"r{of}"]["copies"]] == [f"r{copy}"]
        assert backend.ids("search", "*", "--source", f"Altro{copy}", "--json") == [f"r{of}"]
    again = backend.ingest(folder)
    assert (again["added"], again["unchanged"], again["duplicates"]) == (0, 40, [])


def test_an_unchanged_dump_with_another_source_is_relabelled(
    backend: Backend, tmp_path: Path, small_pieces: None
) -> None:
    records = [{"id": f"r{n}", "text": body(n)} for n in range(1, 31)]
    records[4]["source"] = "Propria"  # its own source stays
    folder = tmp_path / "feed"
    write(
        folder,
        "dump.jsonl.gz",
        gzip.compress(("\n".join(json.dumps(r) for r in records) + "\n").encode()),
    )
    backend.ingest(folder)
    relabelled = backend.ingest(folder, "--source", "Altro")
    assert (relabelled["relabelled"], relabelled["unchanged"], relabelled["added"]) == (29, 1, 0)
    sources = {r["id"]: r["source"] for r in backend.rows("list", "--json")}
    assert sources["r5"] == "Propria"
    assert {s for i, s in sources.items() if i != "r5"} == {"Altro"}
    again = backend.ingest(folder, "--source", "Altro")
    assert (again["relabelled"], again["unchanged"]) == (0, 30)
