"""Top hits without scoring every match (storage/whoosh/topk.py): the same hits, in the
same order, with the same scores as scoring every match, and totals that are exact or
a true lower bound.

The reference is Whoosh scoring every match of the same compiled query (its collector
with no limit), sorted as its top-N collector sorts: best score first, ties by the
earlier document. The threshold is lowered so that a corpus of a few thousand
articles has queries past it, where windows of postings are skipped.
"""

from __future__ import annotations

import datetime
import json
import random
from typing import Any

import pytest
from conftest import Run

from corpus_cli.model import Filters, SearchResult
from corpus_cli.query import parse
from corpus_cli.query.dates import narrowed
from corpus_cli.services.ingest import ingest
from corpus_cli.storage import open_store
from corpus_cli.storage.whoosh import topk
from corpus_cli.storage.whoosh.filtering import filter_query
from corpus_cli.storage.whoosh.store import WhooshStore

#: Lowered from 10,000: the common words below match ~1,000-2,000 articles.
THRESHOLD = 150

COMMON = ["carabinieri", "polizia", "comune", "strada", "città", "sindaco"]
RARE = ["rapina", "furto", "incendio", "esercitazione", "esercitazioni", "truffa"]
FILLER = [f"parola{n}" for n in range(300)]
SOURCES = ["Gazzetta", "Resto", "Prima"]

QUERIES = [
    "carabinieri",
    "polizia",
    "rapina",
    "carabinieri polizia",
    '"centro commerciale"',
    '"centro commerciale"~3',
    "carabinieri OR rapina",
    "carabinieri -polizia",
    "polizia NOT rapina",
    "esercitaz*",
    "rapinna~1",
    "title:carabinieri",
    "carabinieri date:2015",
    'carabinieri "centro commerciale"',
    "esercitazione",
    "sindaco^2 strada",
]
FILTERS = [
    Filters(),
    Filters(source="Resto"),
    Filters(date_from=datetime.date(2013, 1, 1), date_to=datetime.date(2016, 6, 30)),
]
WINDOWS = [(10, 0), (1, 0), (10, 30), (200, 0), (None, 0)]
#: A query made to be walked document by document (as a shape accumulate.py does not
#: read is): past the threshold its total is a bound.
PHRASE = '"centro commerciale"'


def _walked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(topk, "scores", lambda matcher: None)


def _text(rng: random.Random) -> str:
    words = []
    for _ in range(rng.randint(20, 90)):
        roll = rng.random()
        if roll < 0.12:
            words.append(rng.choice(COMMON))
        elif roll < 0.15:
            words.append(rng.choice(RARE))
        elif roll < 0.17:
            words.append("centro commerciale")
        else:
            words.append(rng.choice(FILLER))
    return " ".join(words) + "."


def _records(n: int, seed: int, prefix: str) -> str:
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        day = datetime.date(2011, 1, 1) + datetime.timedelta(days=rng.randint(0, 3650))
        record = {
            "id": f"{prefix}{i:05d}",
            "text": _text(rng),
            "date": day.isoformat(),
            "source": rng.choice(SOURCES),
        }
        if rng.random() < 0.3:
            record["title"] = " ".join(rng.choice(COMMON + RARE + FILLER) for _ in range(6))
        lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> WhooshStore:
    """2,600 generated articles in several segments, some of them with deleted documents."""
    root = tmp_path_factory.mktemp("topk")
    folder = root / "corpus"
    folder.mkdir()
    (folder / "big.jsonl").write_text(_records(2400, 1, "a"), encoding="utf-8")
    (folder / "small.jsonl").write_text(_records(200, 2, "b"), encoding="utf-8")
    index = open_store(root / "index", create=True)
    ingest(index, [folder])
    # Read again: its first version's documents stay in their segment, deleted.
    (folder / "small.jsonl").write_text(_records(200, 3, "b"), encoding="utf-8")
    ingest(index, [folder])
    assert isinstance(index, WhooshStore)
    return index


def _reference(store: WhooshStore, text: str, filters: Filters) -> list[tuple[str, float]]:
    """Every match scored, best first, ties by the earlier document."""
    query = parse(text)
    with store._ix.searcher() as searcher:
        compiled = store._compiled(searcher, query, ranked=True)[0]
        narrowing = filter_query(narrowed(filters, query))
        results = searcher.search(compiled, limit=None, filter=narrowing)
        ranked = sorted((-hit.score, hit.docnum) for hit in results)
        return [(searcher.stored_fields(n)["id"], -negated) for negated, n in ranked]


def _shown(result: SearchResult) -> list[tuple[str, float | None]]:
    return [(hit.article.id, hit.score) for hit in result.hits]


@pytest.mark.parametrize("path", ["accumulated", "walked"])
def test_the_same_hits_as_scoring_every_match(
    store: WhooshStore, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    """Both ways of ranking a segment: its posting lists read whole into scores
    (accumulate.py), and the walk document by document that skips what cannot place
    (what a phrase still takes)."""
    monkeypatch.setattr(topk, "EXACT_UP_TO", THRESHOLD)
    if path == "walked":
        _walked(monkeypatch)
    bounded = exact_past_threshold = 0
    for text in QUERIES:
        for filters in FILTERS:
            every = _reference(store, text, filters)
            for limit, offset in WINDOWS:
                result = store.search(parse(text), filters, limit=limit, offset=offset)
                end = None if limit is None else offset + limit
                where = (text, filters, limit, offset)
                assert _shown(result) == every[offset:end], where
                if result.total_exact:
                    assert result.total == len(every), where
                    exact_past_threshold += result.total > THRESHOLD
                else:
                    # A lower bound, and only once more than the threshold matched.
                    assert result.total == THRESHOLD < len(every), where
                    bounded += 1
    if path == "walked":
        # The skipping was exercised, not only the counting.
        assert bounded > 20
    else:
        # Read whole, every match is counted: no total is a bound.
        assert exact_past_threshold > 100
        assert bounded == 0


def test_ties_keep_the_earlier_article(store: WhooshStore) -> None:
    """Equal scores are common here (short texts, lengths stored to a byte): the page
    must break them by the order of the documents, as scoring every match does."""
    every = _reference(store, "esercitazione", Filters())
    scores = [score for _id, score in every]
    assert len(set(scores)) < len(scores)  # there are ties to break
    result = store.search(parse("esercitazione"), limit=len(every) // 2)
    assert _shown(result) == every[: len(every) // 2]


def test_an_exact_count_past_the_threshold(store: WhooshStore) -> None:
    """Store.count (and so search --count) counts every match whatever the threshold."""
    every = _reference(store, "carabinieri", Filters())
    assert store.count(parse("carabinieri")) == len(every)


@pytest.fixture
def on_store(store: WhooshStore, monkeypatch: pytest.MonkeyPatch) -> Run:
    from click.testing import CliRunner

    from corpus_cli.cli import cli

    monkeypatch.setattr(topk, "EXACT_UP_TO", THRESHOLD)
    monkeypatch.delenv("CORPUS_INDEX", raising=False)

    def invoke(*args: str, env: dict[str, str] | None = None) -> Any:
        return CliRunner().invoke(cli, ["--index", str(store.path), *args], env=env)

    return invoke


def test_the_screen_says_more_than_the_threshold(
    on_store: Run, store: WhooshStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _walked(monkeypatch)
    every = len(_reference(store, PHRASE, Filters()))
    shown = on_store("search", PHRASE, "--no-pager")
    assert shown.exit_code == 0, shown.output
    head = shown.output.splitlines()[0]
    assert head.startswith(f"more than {THRESHOLD} articles match")
    assert f"showing 10 of more than {THRESHOLD}; --limit all for every one" in head
    page = on_store("search", PHRASE, "--limit", "5", "--offset", "5", "--no-pager")
    assert f"hits 6-10 of more than {THRESHOLD}; --offset 10 for more" in page.output
    # --count stays exact; so do the totals of a query under the threshold.
    assert on_store("search", PHRASE, "--count").output.strip() == str(every)
    rare = on_store("search", "title:truffa", "--no-pager").output.splitlines()[0]
    assert "more than" not in rare


def test_the_screen_counts_a_words_matches_past_the_threshold(
    on_store: Run, store: WhooshStore
) -> None:
    every = len(_reference(store, "carabinieri", Filters()))
    assert every > THRESHOLD
    head = on_store("search", "carabinieri", "--no-pager").output.splitlines()[0]
    assert head.startswith(f"{every} articles match carabinieri (showing 10 of {every};")


def test_pages_of_an_export_past_the_threshold(
    store: WhooshStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages of an export (search --json) stop at the last match asked for, not where
    a total that is only a bound (here 5) would put the end."""
    from corpus_cli.services.search import search_pages

    monkeypatch.setattr(topk, "EXACT_UP_TO", 5)
    _walked(monkeypatch)
    every = _reference(store, PHRASE, Filters())
    pages = list(search_pages(store, parse(PHRASE), limit=60, page=10))
    assert (pages[0].total, pages[0].total_exact) == (5, False)
    found = [(hit.article.id, hit.score) for page in pages for hit in page.hits]
    assert found == every[:60]


def test_lengths_read_at_once_are_whooshs(store: WhooshStore) -> None:
    """The field lengths the scorers are given are those Whoosh's reader returns."""
    with store._ix.searcher() as searcher:
        for subsearcher, _offset in searcher.leaf_searchers():
            reader = subsearcher.reader()
            for field in ("title", "text", "title_exact", "exact"):
                lengths = topk._lengths(subsearcher, field)
                assert lengths is not None
                documents = range(subsearcher.doc_count_all())
                assert [lengths[n] for n in documents] == [
                    reader.doc_field_length(n, field, 1) for n in documents
                ]
