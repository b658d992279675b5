"""The bulk segment writer must write exactly the files Whoosh's own writer writes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import SEEDS, article, write
from whoosh.writing import SegmentWriter

import corpus_cli.services.ingest
import corpus_cli.storage.whoosh.blocks
import corpus_cli.storage.whoosh.segments
from corpus_cli.query import parse
from corpus_cli.services.ingest import ingest
from corpus_cli.storage import open_store
from corpus_cli.storage.base import Store
from corpus_cli.storage.whoosh.store import WhooshStore


def _corpus(folder: Path) -> None:
    """Seeds, plus articles that reach every branch of the block writer."""
    sentences = [
        sentence.strip()
        for seed in sorted(SEEDS.glob("*.txt"))
        for sentence in seed.read_text(encoding="utf-8").split(".")
        if sentence.strip()
    ]
    rng = random.Random(7)
    for seed in sorted(SEEDS.glob("*.txt")):
        write(folder, seed.name, seed.read_text(encoding="utf-8"))
    # 300 articles: common words end up in several 128-posting blocks.
    for n in range(300):
        body = ". ".join(rng.choice(sentences) for _ in range(rng.randint(3, 12)))
        title = rng.choice(sentences)[:60] if n % 3 else ""
        date = f"20{10 + n % 12}-{1 + n % 12:02d}-{1 + n % 28:02d}" if n % 5 else ""
        write(folder, f"gen/{n:03d}.txt", article(f"g{n}", body, title=title, date=date))
    # A word 300 times (a frequency past one byte), accents, elisions, ANSA and Reuters.
    write(
        folder,
        "long.txt",
        article("long", "l'esercitazione " * 300 + "perché città (ANSA) Reuters", title="Già"),
    )


def _segment_files(index: Store) -> list[dict[str, bytes]]:
    """Per segment, in index order: file suffix -> bytes (segment ids are random)."""
    ix = index._ix.refresh()
    out = []
    for segment in ix._segments():
        prefix = segment.segment_id()
        out.append(
            {
                name[len(prefix) :]: ix.storage.open_file(name).read()
                for name in ix.storage.list()
                if name.startswith(prefix)
            }
        )
    return out


def _ingest(tmp_path: Path, name: str, corpus: Path) -> Store:
    index = open_store(tmp_path / name, create=True)
    report = ingest(index, [corpus])
    assert report.added == 306 and not report.skipped
    return index


@pytest.mark.parametrize("spill", [False, True], ids=["in memory", "spilled to disk"])
def test_bulk_writer_writes_the_same_segments_as_whoosh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spill: bool
) -> None:
    corpus = tmp_path / "corpus"
    _corpus(corpus)
    runs: list[int] = []
    if spill:
        # Several runs per batch of 100 articles, and many more for the merge.
        monkeypatch.setattr(corpus_cli.storage.whoosh.segments, "SPILL_POSTINGS", 3000)
        spill_run = corpus_cli.storage.whoosh.segments.TermPool._spill

        def counted(pool: corpus_cli.storage.whoosh.segments.TermPool) -> None:
            runs.append(pool.size)
            spill_run(pool)

        monkeypatch.setattr(corpus_cli.storage.whoosh.segments.TermPool, "_spill", counted)
    # Several segments per index, so later segments start at document numbers above 0.
    monkeypatch.setattr(corpus_cli.services.ingest, "BATCH_ARTICLES", 100)
    monkeypatch.setattr(corpus_cli.services.ingest, "MAX_BATCH_ARTICLES", 100)
    # Whoosh compresses every block, however small, and pickles blocks with protocol
    # 2; so must we, to compare bytes.
    monkeypatch.setattr(corpus_cli.storage.whoosh.blocks, "COMPRESS_FROM", 0)
    monkeypatch.setattr(corpus_cli.storage.whoosh.blocks, "BLOCK_PROTOCOL", 2)
    bulk = _ingest(tmp_path, "bulk", corpus)
    with monkeypatch.context() as patched:
        patched.setattr(corpus_cli.storage.whoosh.segments, "BulkSegmentWriter", SegmentWriter)
        stock = _ingest(tmp_path, "stock", corpus)

    bulk_files, stock_files = _segment_files(bulk), _segment_files(stock)
    assert len(bulk_files) == len(stock_files) == 4
    for ours, theirs in zip(bulk_files, stock_files, strict=True):
        assert sorted(ours) == sorted(theirs)
        assert {".pst", ".trm", "._stored.col", "._text_len.col"} <= set(ours)
        for suffix in ours:
            assert ours[suffix] == theirs[suffix], suffix

    # One article changed and one deleted: the merge below must leave out both
    # old versions, as Whoosh's does.
    write(corpus, "gen/010.txt", article("g10", "Una nuova versione, con la parola zanzibarite."))
    (corpus / "gen/011.txt").unlink()
    report = ingest(bulk, [corpus], prune=True)
    assert (report.updated, report.removed) == (1, 1)
    with monkeypatch.context() as patched:
        patched.setattr(corpus_cli.storage.whoosh.segments, "BulkSegmentWriter", SegmentWriter)
        report = ingest(stock, [corpus], prune=True)
        assert (report.updated, report.removed) == (1, 1)

    # Merging reads the written segments back a block at a time.
    assert bulk.optimize() == "5 segments merged into 1."
    with monkeypatch.context() as patched:
        patched.setattr(corpus_cli.storage.whoosh.segments, "BulkSegmentWriter", SegmentWriter)
        assert stock.optimize() == "5 segments merged into 1."
    [ours], [theirs] = _segment_files(bulk), _segment_files(stock)
    assert ours == theirs
    assert [h.article.id for h in bulk.search(parse("zanzibarite"), limit=None).hits] == ["g10"]
    assert len(runs) > 20 if spill else not runs


def _postings(index: Store) -> list[tuple[object, ...]]:
    """Every term's statistics and postings, as a reader sees them."""
    out: list[tuple[object, ...]] = []
    with index._ix.refresh().reader() as reader:
        for fieldname, btext in reader.all_terms():
            info = reader.term_info(fieldname, btext)
            matcher = reader.postings(fieldname, btext)
            # Weights as scoring reads them, and the values' very bytes (the
            # surface fields keep none: formats.Counts).
            items, values = [], []
            while matcher.is_active():
                items.append((matcher.id(), matcher.weight()))
                values.append(matcher.value())
                matcher.next()
            out.append(
                (
                    fieldname,
                    btext,
                    info.weight(),
                    info.doc_frequency(),
                    info.min_length(),
                    info.max_length(),
                    info.max_weight(),
                    items,
                    values,
                )
            )
    return out


def test_small_blocks_left_uncompressed_read_back_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocks as we write them (tiny ones not compressed, protocol 3 pickles) read back
    by Whoosh's own readers as the blocks Whoosh writes, in a much smaller file."""
    corpus = tmp_path / "corpus"
    _corpus(corpus)
    bulk = _ingest(tmp_path, "bulk", corpus)
    with monkeypatch.context() as patched:
        patched.setattr(corpus_cli.storage.whoosh.segments, "BulkSegmentWriter", SegmentWriter)
        stock = _ingest(tmp_path, "stock", corpus)
    ours, theirs = _postings(bulk), _postings(stock)
    assert len(ours) > 4000
    assert ours == theirs
    [pst] = [name for name in bulk._ix.refresh().storage.list() if name.endswith(".pst")]
    [stock_pst] = [name for name in stock._ix.refresh().storage.list() if name.endswith(".pst")]
    ours_size = (tmp_path / "bulk" / pst).stat().st_size
    assert ours_size < 0.8 * (tmp_path / "stock" / stock_pst).stat().st_size


def test_bulk_written_index_answers_searches(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _corpus(corpus)
    index = _ingest(tmp_path, "bulk", corpus)
    found = {
        hit.article.id for hit in index.search(parse('"esercitazioni congiunte"'), limit=None).hits
    }
    assert {"002_9be9ee8e938c10f9", "003_569862a446dd5049"} <= found
    assert index.search(parse("esercitazione")).total >= 1
    assert [hit.article.id for hit in index.search(parse("già"), limit=None).hits] == ["long"]


def test_postings_made_by_the_reading_processes_write_the_same_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reading processes analyse (postings.Preparer); without it the writer does:
    the same bytes either way, in several languages."""
    corpus = tmp_path / "corpus"
    _corpus(corpus)
    write(corpus, "en.txt", article("en", "The carabinieri said the suspects were running. " * 9))
    write(corpus, "ja.txt", article("ja", "東京都の知事は記者会見で新しい計画を発表した。" * 5))
    monkeypatch.setattr(corpus_cli.services.ingest, "BATCH_ARTICLES", 100)
    monkeypatch.setattr(corpus_cli.services.ingest, "MAX_BATCH_ARTICLES", 100)
    analysed_here: list[str] = []
    add_text = corpus_cli.storage.whoosh.segments._add_text

    def counted(found: object, field: object, text: str, *args: object) -> tuple[int, int]:
        analysed_here.append(text)
        return add_text(found, field, text, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(corpus_cli.storage.whoosh.segments, "_add_text", counted)
    made = open_store(tmp_path / "prepared", create=True)
    assert ingest(made, [corpus], workers=2).added == 308
    assert not analysed_here
    with monkeypatch.context() as patched:
        patched.setattr(WhooshStore, "preparer", lambda store: None)
        here = open_store(tmp_path / "here", create=True)
        assert ingest(here, [corpus], workers=2).added == 308
    assert len(analysed_here) == 4 * 308
    assert _segment_files(made) == _segment_files(here)
    assert {h.article.id for h in made.search(parse("running")).hits} == {"en"}
