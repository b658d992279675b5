"""Ingest with reading processes gives exactly what a serial ingest gives, on each backend.

A large ingest reads its files in worker processes (services/reading.py) while the
main process asks the store its questions and writes; results come back in file
order, so ids, duplicates, skips and the stored articles must not depend on it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pg_server
import pytest

from corpus_cli.query.parser import parse
from corpus_cli.results import IngestReport
from corpus_cli.services.ingest import ingest
from corpus_cli.storage import open_store
from corpus_cli.storage.base import Store

WORDS = ["esercitazione", "navale", "russia", "cina", "pattugliamento", "porto", "mare", "flotta"]


def write_corpus(root: Path) -> Path:
    folder = root / "in"
    folder.mkdir()
    for n in range(40):
        words = " ".join(WORDS[(n + k) % len(WORDS)] for k in range(6))
        day = 1 + n % 28
        (folder / f"a{n:02}.txt").write_text(
            f"date: 2023-03-{day:02}\nsource: Fonte {n % 3}\n\n"
            f"Articolo {n}: {words}, l'esercito.\n",
            encoding="utf-8",
        )
    # Copies: of a text file by another, and of records inside a dump.
    (folder / "b-copy.txt").write_text((folder / "a03.txt").read_text("utf-8"), encoding="utf-8")
    records = [
        {"id": "rec-1", "title": "Primo", "text": "Una flotta a Tartus.", "date": "2022-05"},
        {"id": "rec-2", "title": "Secondo", "text": "Una flotta a Tartus."},
        {"title": "Terzo", "text": "Il pattugliamento congiunto nel mare del Giappone."},
        {"title": "Senza testo"},
    ]
    (folder / "c-dump.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n{broken\n", encoding="utf-8"
    )
    (folder / "d-bad.json").write_text("{not json", encoding="utf-8")
    (folder / "e-two.csv").write_text(
        "id,title,text\nrec-1,Stesso id,Un altro testo sulla marina.\n,Due,Esercitazioni.\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture(params=["whoosh", "postgresql"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], Store]]:
    opened: list[Store] = []
    if request.param == "postgresql":
        server = pg_server.shared(request)

        def make(name: str) -> Store:
            store = open_store(server.uri(server.create_database()), create=True)
            opened.append(store)
            return store
    else:

        def make(name: str) -> Store:
            store = open_store(str(tmp_path / name), create=True)
            opened.append(store)
            return store

    yield make
    for store in opened:
        store.close()


def summary(report: IngestReport) -> tuple[object, ...]:
    return (
        report.added,
        report.updated,
        report.unchanged,
        report.removed,
        report.failed,
        [(d.path, d.duplicate_of) for d in report.duplicates],
        [(s.path, s.reason) for s in report.skipped],
    )


def articles(store: Store) -> list[tuple[object, ...]]:
    return sorted(
        (a.id, a.path, a.title, a.source, a.date, a.date_precision, a.date_evidence, a.text)
        for a in store.iter_articles()
    )


def test_workers_store_and_report_what_a_serial_run_does(
    stores: Callable[[str], Store], tmp_path: Path
) -> None:
    folder = write_corpus(tmp_path)
    serial, parallel = stores("serial"), stores("parallel")
    one = ingest(serial, [folder], workers=0)
    two = ingest(parallel, [folder], workers=2)
    assert summary(two) == summary(one)
    # The text files, the dump's two good records (one is a copy), the csv's two.
    assert (one.added, one.failed, len(one.skipped)) == (40 + 2 + 2, 1, 3)
    assert [(d.path.split("/")[-1], d.duplicate_of.split("/")[-1]) for d in one.duplicates] == [
        ("b-copy.txt", "a03.txt"),
        ("c-dump.jsonl", "c-dump.jsonl"),
    ]
    assert articles(parallel) == articles(serial)
    ids = {a[0] for a in articles(parallel)}
    assert {"rec-1", "rec-1-2", "c-dump-3", "e-two-2"} <= ids
    query = parse("flotta")
    assert [h.article.id for h in parallel.search(query, limit=None).hits] == [
        h.article.id for h in serial.search(query, limit=None).hits
    ]


def test_workers_see_unchanged_and_changed_files(
    stores: Callable[[str], Store], tmp_path: Path
) -> None:
    folder = write_corpus(tmp_path)
    store = stores("index")
    ingest(store, [folder], workers=2)
    again = ingest(store, [folder], workers=2)
    # 44 articles and the 2 copies kept on them (b-copy.txt, a record of c-dump.jsonl).
    assert (again.added, again.updated, again.unchanged) == (0, 0, 46)
    (folder / "a07.txt").write_text("date: 2024-01-02\n\nTutto nuovo: sommergibile.\n", "utf-8")
    (folder / "a08.txt").unlink()
    changed = ingest(store, [folder], workers=2, prune=True)
    assert (changed.added, changed.updated, changed.removed) == (0, 1, 1)
    found = store.search(parse("sommergibile")).hits
    assert [h.article.id for h in found] == ["a07"]
