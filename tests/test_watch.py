"""Saved queries: each run shows only what that watch has not shown before."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from conftest import SEEDS, write

from corpus_cli.errors import (
    CorpusError,
    IndexNotFound,
    QuerySyntaxError,
    UsageError,
    WatchesUnreadable,
    WatchNotFound,
)
from corpus_cli.model import Filters
from corpus_cli.results import Watch
from corpus_cli.services.ingest import ingest
from corpus_cli.services.watch import add_watch, list_watches, remove_watch, run_watch
from corpus_cli.storage import open_store


def watches_path(index_path: Path) -> Path:
    """Where a Whoosh index keeps its watches."""
    return index_path / "watches.json"


EXERCISES = ["000_3aa3d3d712357d35", "001_45b8b365ec0a4f9a", "002_9be9ee8e938c10f9"]
NEW_ARTICLE = (
    "id: nuova\ndate: 2025-06-01\nsource: agenzia\n\n"
    "Nuove esercitazioni navali congiunte di Cina e Russia nel Mar del Giappone.\n"
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in SEEDS.glob("*.txt"):
        write(folder, path.name, path.read_text(encoding="utf-8"))
    return folder


@pytest.fixture
def index_path(tmp_path: Path, corpus: Path) -> Path:
    path = tmp_path / "index"
    ingest(open_store(path, create=True), [corpus])
    return path


def ids(result_hits: list[object]) -> list[str]:
    return [hit.article.id for hit in result_hits]  # type: ignore[attr-defined]


def test_second_run_shows_only_the_article_ingested_in_between(
    index_path: Path, corpus: Path
) -> None:
    add_watch(open_store(index_path), "esercitazioni", "esercitazioni congiunte")
    index = open_store(index_path)
    (first,) = run_watch(index, "esercitazioni")
    assert first.watch.name == "esercitazioni"
    assert len(first.new) == first.total >= 2
    old = set(ids(first.new))

    write(corpus, "nuova.txt", NEW_ARTICLE)
    ingest(open_store(index_path), [corpus])
    (second,) = run_watch(open_store(index_path), "esercitazioni")
    assert ids(second.new) == ["nuova"]
    assert second.total == first.total + 1

    (third,) = run_watch(open_store(index_path), "esercitazioni")
    assert third.new == []
    assert third.total == second.total
    (saved,) = list_watches(open_store(index_path))
    assert set(saved.seen) == old | {"nuova"}
    assert saved.last_run is not None


def test_a_reingested_article_is_not_new_again(index_path: Path, corpus: Path) -> None:
    add_watch(open_store(index_path), "w", "esercitazioni")
    (first,) = run_watch(open_store(index_path), None)
    assert first.new
    # The same articles edited (same ids, new text) and ingested again.
    for path in corpus.glob("*.txt"):
        path.write_text(path.read_text(encoding="utf-8") + "\nAggiornamento.\n", encoding="utf-8")
    report = ingest(open_store(index_path), [corpus])
    assert report.updated == 5
    (second,) = run_watch(open_store(index_path), None)
    assert second.new == []
    assert second.total == first.total


def test_new_hits_come_oldest_first_with_scores(index_path: Path) -> None:
    add_watch(open_store(index_path), "w", "Putin")
    (result,) = run_watch(open_store(index_path), "w")
    dates = [hit.article.date for hit in result.new]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated)
    assert dates[len(dated) :] == [None] * (len(dates) - len(dated))
    assert all(hit.score is not None for hit in result.new)


def test_filters_are_saved_and_applied(index_path: Path) -> None:
    since = Filters(date_from=datetime.date(2024, 1, 1))
    add_watch(open_store(index_path), "recenti", "esercitazioni", since)
    (saved,) = list_watches(open_store(index_path))
    assert saved.filters == since
    (result,) = run_watch(open_store(index_path), "recenti")
    assert all((hit.article.date or "") >= "2024" for hit in result.new)
    assert "000_3aa3d3d712357d35" not in ids(result.new)
    stored = json.loads(watches_path(index_path).read_text(encoding="utf-8"))
    assert stored["watches"][0]["filters"] == {
        "from": "2024-01-01",
        "to": None,
        "source": None,
        "cites": None,
    }


def test_cites_filter_is_saved_with_the_watch(index_path: Path) -> None:
    add_watch(open_store(index_path), "tass", "esercitazioni", Filters(cites="Tass"))
    (saved,) = list_watches(open_store(index_path))
    assert saved.filters == Filters(cites="Tass")


def test_watches_saved_by_the_first_format_still_load(index_path: Path) -> None:
    old = {
        "version": 1,
        "watches": [
            {
                "name": "w",
                "query": "esercitazioni",
                "filters": {"date_from": "2024-01-01", "date_to": None, "source": "seeds"},
                "created": "2026-11-01T10:00:00+00:00",
                "last_run": None,
                "seen": ["001_45b8b365ec0a4f9a"],
            }
        ],
    }
    watches_path(index_path).write_text(json.dumps(old), encoding="utf-8")
    (saved,) = list_watches(open_store(index_path))
    assert saved.filters == Filters(date_from=datetime.date(2024, 1, 1), source="seeds")
    assert saved.seen == ["001_45b8b365ec0a4f9a"]


def test_run_all_watches(index_path: Path) -> None:
    add_watch(open_store(index_path), "a", "esercitazioni")
    add_watch(open_store(index_path), "b", "Shoigu")
    results = run_watch(open_store(index_path), None)
    assert [r.watch.name for r in results] == ["a", "b"]
    # Oldest first: 003 is from 19 April 2023 (inferred), 001 from January 2024.
    assert [(h.article.id, h.article.date) for h in results[1].new] == [
        ("003_569862a446dd5049", "2023-04-19"),
        ("001_45b8b365ec0a4f9a", "2024-01"),
    ]


def test_add_list_remove(index_path: Path) -> None:
    assert list_watches(open_store(index_path)) == []
    made = add_watch(open_store(index_path), "nato_Cina-2", "  NATO   Cina ")
    assert made.query == "NATO Cina"
    assert made.created and made.last_run is None and made.seen == []
    add_watch(open_store(index_path), "x", "Xi")
    assert [w.name for w in list_watches(open_store(index_path))] == ["nato_Cina-2", "x"]
    assert isinstance(list_watches(open_store(index_path))[0], Watch)
    removed = remove_watch(open_store(index_path), "nato_Cina-2")
    assert removed.name == "nato_Cina-2"
    assert [w.name for w in list_watches(open_store(index_path))] == ["x"]
    with pytest.raises(WatchNotFound, match="nato_Cina-2") as error:
        remove_watch(open_store(index_path), "nato_Cina-2")
    assert error.value.exit_code == 1
    with pytest.raises(WatchNotFound):
        run_watch(open_store(index_path), "nato_Cina-2")


@pytest.mark.parametrize("name", ["", "a b", "-flag", "x" * 41, "città", "a/b", "a.b"])
def test_bad_names_are_usage_errors(index_path: Path, name: str) -> None:
    with pytest.raises(UsageError, match="cannot name a watch") as error:
        add_watch(open_store(index_path), name, "Putin")
    assert error.value.exit_code == 2
    assert not watches_path(index_path).exists()


def test_taken_name_and_bad_query(index_path: Path) -> None:
    add_watch(open_store(index_path), "w", "Putin")
    with pytest.raises(UsageError, match="already a watch named 'w'"):
        add_watch(open_store(index_path), "w", "Xi")
    with pytest.raises(QuerySyntaxError):
        add_watch(open_store(index_path), "v", "autore:Rossi")
    with pytest.raises(QuerySyntaxError):
        add_watch(open_store(index_path), "v", "NOT Putin")
    with pytest.raises(QuerySyntaxError):
        add_watch(open_store(index_path), "v", "   ")
    assert [w.name for w in list_watches(open_store(index_path))] == ["w"]


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"watches": {}}',
        '{"watches": [{"name": "w"}]}',
        '{"watches": [{"name": "w", "query": "Xi", "seen": "abc"}]}',
        '{"watches": [{"name": "w", "query": "Xi", "filters": {"date_from": "ieri"}}]}',
        '{"version": 99, "watches": []}',
        '{"watches": [{"name": "w", "query": "Xi"}, {"name": "w", "query": "Xi"}]}',
    ],
)
def test_corrupt_state_file(index_path: Path, content: str) -> None:
    watches_path(index_path).write_text(content, encoding="utf-8")
    with pytest.raises(WatchesUnreadable, match="damaged") as error:
        list_watches(open_store(index_path))
    assert isinstance(error.value, CorpusError) and error.value.exit_code == 1
    assert str(error.value).count(".") >= 1 and "\n" not in str(error.value)
    with pytest.raises(WatchesUnreadable):
        run_watch(open_store(index_path), None)
    with pytest.raises(WatchesUnreadable):
        add_watch(open_store(index_path), "v", "Xi")
    assert watches_path(index_path).read_text(encoding="utf-8") == content


def test_undecodable_state_file(index_path: Path) -> None:
    watches_path(index_path).write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(WatchesUnreadable):
        list_watches(open_store(index_path))


def test_state_survives_ingest_and_leaves_no_temporary_files(
    index_path: Path, corpus: Path
) -> None:
    add_watch(open_store(index_path), "w", "Putin")
    run_watch(open_store(index_path), "w")
    before = list_watches(open_store(index_path))
    write(corpus, "nuova.txt", NEW_ARTICLE)
    ingest(open_store(index_path), [corpus], prune=True)
    assert list_watches(open_store(index_path)) == before
    assert not [p for p in index_path.iterdir() if p.name.startswith(".watches-")]


def test_a_watch_needs_an_index_folder(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFound):
        add_watch(open_store(tmp_path / "missing"), "w", "Putin")
    assert not (tmp_path / "missing").exists()
