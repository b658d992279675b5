"""Ingest's side of dumps that a user sees outside the summary: the progress bar."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from corpus_cli.services import ingest as ingest_service
from corpus_cli.services import reading
from corpus_cli.storage import open_store


def test_progress_counts_the_records_of_a_dump(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "PIECE_RECORDS", 10)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Titolo\nUn articolo solo, parola unica.\n", encoding="utf-8")
    lines = "".join(
        json.dumps({"id": f"r{n}", "text": f"Record {n}, parola{n}."}) + "\n" for n in range(35)
    )
    (folder / "b.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    calls: list[tuple[int, int, str, int]] = []

    def progress(done: int, total: int, path: str, records: int) -> None:
        calls.append((done, total, Path(path).name, records))

    store = open_store(tmp_path / "index", create=True)
    report = ingest_service.ingest(store, [folder], progress=progress, workers=0)
    assert report.added == 36
    # The text file is one step; the dump moves by pieces, and is done at its last.
    assert calls == [
        (1, 2, "a.txt", 0),
        (1, 2, "b.jsonl.gz", 10),
        (1, 2, "b.jsonl.gz", 20),
        (1, 2, "b.jsonl.gz", 30),
        (2, 2, "b.jsonl.gz", 35),
    ]
