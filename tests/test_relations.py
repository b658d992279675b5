"""Similar articles and near-duplicates, on small corpora with known answers."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import SEEDS, article, build

from corpus_cli.errors import ArticleNotFound, UsageError
from corpus_cli.model import Filters
from corpus_cli.services.relations import NUM_PERM, _Sketcher, near_duplicates, similar
from corpus_cli.storage import open_store
from corpus_cli.storage.base import Store
from corpus_cli.text.analysis import folded_words, terms

#: A ~300-word agency story (the first seed), the one the copies below are made from.
STORY = (SEEDS / "000_3aa3d3d712357d35.txt").read_text(encoding="utf-8").split(None, 2)[2]
OTHERS = sorted(p for p in SEEDS.glob("*.txt") if not p.name.startswith("000_"))


def edited(text: str, changes: dict[int, str]) -> str:
    """``text`` with the words at these positions (counted on whitespace) replaced."""
    words = text.split()
    for position, word in changes.items():
        assert words[position] != word
        words[position] = word
    return " ".join(words)


@pytest.fixture
def copies(tmp_path: Path) -> Store:
    """Three outlets' copies of one story (two lightly edited) and four unrelated articles."""
    files = {
        "a-original.txt": article("original", STORY, date="2022-12-21"),
        "b-edited.txt": article(
            "edited", edited(STORY, {40: "alleata", 120: "ufficialmente"}), date="2022-12-19"
        ),
        # Without its one year ("nel 2022") the copy has no date, not even an inferred one.
        "c-undated.txt": article(
            "undated", edited(STORY.replace("nel 2022", "ultimamente"), {200: "spesso"})
        ),
    }
    for n, path in enumerate(OTHERS):
        files[f"other-{n}.txt"] = path.read_text(encoding="utf-8")
    return build(tmp_path, files)


# -- near-duplicates -----------------------------------------------------------------


def test_edited_copies_form_one_cluster_earliest_first(copies: Store) -> None:
    clusters = near_duplicates(copies)
    assert len(clusters) == 1
    # By date: 2022-12-19, then 2022-12-21, then the undated copy.
    assert clusters[0].ids == ["edited", "original", "undated"]
    assert 0.8 <= clusters[0].similarity < 1.0


def test_unrelated_articles_on_the_same_topic_join_no_cluster(copies: Store) -> None:
    clustered = {i for cluster in near_duplicates(copies, threshold=0.5) for i in cluster.ids}
    assert clustered == {"edited", "original", "undated"}


def test_threshold_above_the_copies_similarity_finds_nothing(copies: Store) -> None:
    assert near_duplicates(copies, threshold=1.0) == []


def test_cluster_similarity_is_the_least_similar_pair(tmp_path: Path) -> None:
    near = edited(STORY, {30: "presto"})
    far = edited(STORY, {30: "presto", 90: "ieri", 150: "oggi", 210: "domani", 270: "sempre"})
    index = build(
        tmp_path,
        {"a.txt": article("a", STORY), "b.txt": article("b", near), "c.txt": article("c", far)},
    )
    (cluster,) = near_duplicates(index)
    assert cluster.ids == ["a", "b", "c"]  # undated all: by id
    sketcher = _Sketcher()
    signatures = {k: sketcher.signature(t) for k, t in {"a": STORY, "b": near, "c": far}.items()}
    pairs = [("a", "b"), ("a", "c"), ("b", "c")]
    lowest = min(
        int((signatures[x] == signatures[y]).sum())  # type: ignore[operator]
        for x, y in pairs
    )
    assert cluster.similarity == lowest / NUM_PERM


def test_bad_threshold_is_a_usage_error(copies: Store) -> None:
    for threshold in (0.0, -0.5, 1.5):
        with pytest.raises(UsageError):
            near_duplicates(copies, threshold=threshold)


def test_empty_index_has_no_duplicates(tmp_path: Path) -> None:
    assert near_duplicates(open_store(tmp_path / "index", create=True)) == []


def test_signature_is_datasketchs_minhash_of_the_shingles() -> None:
    from datasketch import MinHash  # type: ignore[import-untyped]

    sketcher = _Sketcher()
    shingles = sketcher.shingle_hashes(STORY)
    assert len(shingles) == len(terms(STORY)) - 4  # word 5-grams
    reference = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=lambda h: h)
    reference.update_batch(shingles.tolist())
    assert (reference.hashvalues == sketcher.signature(STORY)).all()


def test_short_and_empty_texts() -> None:
    sketcher = _Sketcher()
    assert len(sketcher.shingle_hashes("due parole")) == 1  # the whole text is one shingle
    assert sketcher.signature(" ... ") is None


def test_folded_words_are_the_analysers() -> None:
    texts = [p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")]
    texts.append("L'esercito dell’Italia, it's l'ANSA d'2 nell'età Quell' uomo anch'io C'è")
    for text in texts:
        assert folded_words(text) == terms(text, stemmed=False)


# -- similar -------------------------------------------------------------------------


def test_similar_ranks_a_lightly_edited_copy_first(tmp_path: Path) -> None:
    files = {f"{p.stem}.txt": p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    original = files["001_45b8b365ec0a4f9a.txt"]
    files["copy.txt"] = article("copy", edited(original, {50: "chiaramente", 300: "ancora"}))
    index = build(tmp_path, files)
    hits = similar(index, "001_45b8b365ec0a4f9a")
    ranked = [hit.article.id for hit in hits]
    assert ranked[0] == "copy"
    assert "001_45b8b365ec0a4f9a" not in ranked
    assert len(ranked) == 5  # every other article shares some key term
    scores = [hit.score for hit in hits]
    assert all(s is not None and s > 0 for s in scores)
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]
    assert [hit.article.id for hit in similar(index, "copy", limit=1)] == ["001_45b8b365ec0a4f9a"]


def test_similar_unknown_id(copies: Store) -> None:
    with pytest.raises(ArticleNotFound):
        similar(copies, "nope")


def test_similar_with_filters(copies: Store) -> None:
    dated = Filters(date_from=datetime.date(2022, 12, 1), date_to=datetime.date(2022, 12, 31))
    ranked = [hit.article.id for hit in similar(copies, "undated", filters=dated)]
    assert sorted(ranked[:2]) == ["edited", "original"]
    assert "undated" not in ranked
