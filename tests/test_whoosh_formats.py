"""The compact postings of new Whoosh indexes, and the older indexes that keep Whoosh's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import SEEDS, article, write
from whoosh import formats

import corpus_cli.storage.whoosh.blocks
import corpus_cli.storage.whoosh.segments
import corpus_cli.storage.whoosh.store
from corpus_cli.query import parse
from corpus_cli.services.ingest import ingest
from corpus_cli.storage import open_store
from corpus_cli.storage.base import Store
from corpus_cli.storage.whoosh.formats import Counts, PositionArrays
from corpus_cli.storage.whoosh.postings import (
    POSITION_ARRAYS,
    field_postings,
    pack_positions,
    positions_count,
    unpack_positions,
)
from corpus_cli.storage.whoosh.schema import schema


@pytest.mark.parametrize(
    "positions",
    [[0], [7, 9, 255], [3, 300, 301], [12, 70_000, 70_001, 400_000]],
    ids=["one", "one byte", "two bytes", "four bytes"],
)
def test_positions_come_back_as_they_went_in(positions: list[int]) -> None:
    value = PositionArrays().encode(positions)
    assert unpack_positions(value) == positions
    assert positions_count(value) == len(positions)
    assert PositionArrays(field_boost=2.0).decode_weight(value) == 2.0 * len(positions)


def test_a_word_seen_once_takes_three_bytes_at_most() -> None:
    # Whoosh's pickle took 17 for it.
    assert len(pack_positions([40])) == 2
    assert len(pack_positions([600])) == 3


def test_a_text_s_positions_are_packed_alike_for_words_seen_once_and_more() -> None:
    # Words seen once near the start and far in (past one byte, past the table of
    # ready values), and words seen several times.
    words = ["parola"] + [f"w{n}" for n in range(1, 1500)] + ["parola", "fine", "fine"]
    text = " ".join(words)
    _, terms, counts, values = field_postings(text, "it", False, POSITION_ARRAYS)
    positions: dict[str, list[int]] = {}
    for n, word in enumerate(words):
        positions.setdefault(word, []).append(n)
    expected = {word.encode(): PositionArrays().encode(found) for word, found in positions.items()}
    assert dict(zip(terms, values, strict=True)) == expected
    assert counts == [len(positions[term.decode()]) for term in terms]


def _legacy_schema() -> Any:
    """The schema indexes were written with before formats.py: Whoosh's own formats."""
    old = schema()
    for name in ("title", "text"):
        old[name].format = formats.Positions(field_boost=old[name].format.field_boost)
    for name in ("exact", "title_exact"):
        old[name].format = formats.Frequency(field_boost=1.0)
    return old


def _seeds_and(folder: Path, *extra: tuple[str, str]) -> Path:
    for seed in sorted(SEEDS.glob("*.txt")):
        write(folder, seed.name, seed.read_text(encoding="utf-8"))
    for name, content in extra:
        write(folder, name, content)
    return folder


def _found(index: Store, query: str) -> list[tuple[str, float | None]]:
    """The hits in rank order, with their scores (the weights the formats keep)."""
    hits = index.search(parse(query), limit=None).hits
    return [(hit.article.id, hit.score and round(hit.score, 9)) for hit in hits]


def _postings_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.glob("*.pst"))


def test_an_index_written_with_whooshs_formats_keeps_them_and_answers_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _seeds_and(tmp_path / "corpus")
    # What the formats save, apart from what pickling blocks with protocol 3 saves
    # both (test_segments.py): the blocks as Whoosh pickles them.
    monkeypatch.setattr(corpus_cli.storage.whoosh.blocks, "BLOCK_PROTOCOL", 2)
    with monkeypatch.context() as patched:
        patched.setattr(corpus_cli.storage.whoosh.store, "schema", _legacy_schema)
        old = open_store(tmp_path / "old", create=True)
        assert ingest(old, [corpus]).added == 5
    new = open_store(tmp_path / "new", create=True)
    assert ingest(new, [corpus]).added == 5
    assert _postings_size(tmp_path / "new") < 0.8 * _postings_size(tmp_path / "old")

    # An article added to the old index later is written in the old index's formats.
    added = ("later.txt", article("later", "Le esercitazioni congiunte di ottobre.", title="Tardi"))
    for index, folder in ((old, tmp_path / "old"), (new, tmp_path / "new")):
        write(corpus, *added)
        assert ingest(index, [corpus]).added == 1
        reopened = open_store(folder)
        text = reopened._ix.schema["text"].format  # type: ignore[attr-defined]
        exact = reopened._ix.schema["exact"].format  # type: ignore[attr-defined]
        if index is old:
            assert (type(text), type(exact)) == (formats.Positions, formats.Frequency)
        else:
            assert (type(text), type(exact)) == (PositionArrays, Counts)
        (corpus / added[0]).unlink()

    for query in (
        '"esercitazioni congiunte"',
        '"cooperazione militare"~3',
        "esercitazione",
        "esercit*",
        "title:cina",
    ):
        assert _found(old, query) == _found(new, query), query
    assert "later" in dict(_found(new, '"esercitazioni congiunte"'))

    # Blocks pickled as we pickle them now, beside the old ones, in either formats; then
    # every segment merged into one (merging.py reads both kinds of block and format).
    monkeypatch.setattr(corpus_cli.storage.whoosh.blocks, "BLOCK_PROTOCOL", 3)
    write(corpus, "newer.txt", article("newer", "Esercitazioni congiunte a dicembre.", title="Poi"))
    queries = ('"esercitazioni congiunte"', "esercitazione", "esercit*", "title:cina")
    for index in (old, new):
        assert ingest(index, [corpus]).added == 1
        before = _postings_by_article(index), [_matched(index, query) for query in queries]
        assert index.optimize().endswith("merged into 1.")
        # (Scores move a little: a merge sums the documents' lengths as bytes keep them.)
        assert (_postings_by_article(index), [_matched(index, q) for q in queries]) == before
    assert {"later", "newer"} <= set(dict(_found(old, '"esercitazioni congiunte"')))


def _matched(index: Store, query: str) -> set[str]:
    return {hit.article.id for hit in index.search(parse(query), limit=None).hits}


def _postings_by_article(index: Store) -> dict[tuple[str, bytes], list[tuple[str, float, bytes]]]:
    """Every live posting, named by its article's id rather than its document number."""
    out: dict[tuple[str, bytes], list[tuple[str, float, bytes]]] = {}
    with index._ix.refresh().reader() as reader:  # type: ignore[attr-defined]
        for segment, _ in reader.leaf_readers():
            for fieldname, btext in segment.all_terms():
                matcher = segment.postings(fieldname, btext)
                while matcher.is_active():
                    article_id = segment.stored_fields(matcher.id())["id"]
                    posting = (article_id, matcher.weight(), matcher.value() or b"")
                    out.setdefault((fieldname, btext), []).append(posting)
                    matcher.next()
    return {key: sorted(found) for key, found in out.items()}
