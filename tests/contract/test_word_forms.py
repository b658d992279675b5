"""Word forms (issue #14), on every backend: light stems that keep different words apart,
quoted words as their exact form, exact forms ranked first, fuzzy terms that widen,
apostrophes with or without a space after them, phrases with a distance.

Each article of ``forme`` is one short sentence, so that every answer below can be read
off its text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Backend, article, write

FORME = {
    "s1": "Arrestato per spaccio di droga in centro.",
    "s2": "Vetrina spaccata, ladri in fuga.",
    "s3": "Due spacciatori fermati dalla polizia.",
    "s4": "Controlli contro lo spaccio e gli spacci di quartiere.",
    "r1": "Il rapinatore è stato fermato.",
    "r2": "I rapinatori sono fuggiti in auto.",
    "r3": "Una rapinatrice arrestata a Carpi.",
    "r4": "Il rapinattore, scrive il cronista, ha colpito ancora.",
    "i1": "Un incidente stradale sulla via Emilia.",
    "i2": "L'incidenza dei contagi cresce ancora.",
    "i3": "Due incidenti in autostrada.",
    "x1": "Tre furti in una notte a Sassuolo.",
    "x2": "Un furto in una notte a Sassuolo.",
    "c1": "Aperto il centro commerciale nuovo.",
    "c2": "Aperti i centri commerciali nuovi.",
    "a1": "Ha preso l'auto del vicino.",
    "a2": "Ha preso l' auto del vicino, dell' amico.",
    "a3": "Qualcos'altro è successo.",
    "a4": "Qualcosa di altro genere.",
    "p1": "Il ponte sul fiume Secchia è chiuso.",
    "p2": "Il ponte vecchio sul fiume è chiuso.",
    "p3": "Sul fiume, a valle, il ponte nuovo.",
    "p4": "Il ponte, scrive il sindaco in una lunga nota ai cittadini, sul fiume.",
}


@pytest.fixture
def forme(backend: Backend, tmp_path: Path) -> Backend:
    folder = tmp_path / "forme"
    for name, text in FORME.items():
        write(folder, f"{name}.txt", article(text, title=name, date="2021-05-04"))
    assert backend.ingest(folder)["added"] == len(FORME)
    return backend


def found(backend: Backend, query: str) -> list[str]:
    return sorted(backend.ids("search", query, "--json"))


def ranked(backend: Backend, query: str) -> list[str]:
    return backend.ids("search", query, "--json")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Inflections of one word are one term...
        ("spaccio", ["s1", "s4"]),
        ("spacci", ["s1", "s4"]),
        # (gender too: the feminine agent noun is the masculine's)
        ("rapinatori", ["r1", "r2", "r3"]),
        ("rapinatore", ["r1", "r2", "r3"]),
        ("rapinatrice", ["r1", "r2", "r3"]),
        ("incidenti", ["i1", "i3"]),
        ("furto", ["x1", "x2"]),
        # ...and different words stay apart (Snowball made spacc of spaccata and
        # spacciatori, incident of incidenza).
        ("spaccata", ["s2"]),
        ("spacciatori", ["s3"]),
        ("incidenza", ["i2"]),
        # A prefix still reaches across them.
        ("spacc*", ["s1", "s2", "s3", "s4"]),
        # A phrase matches its inflected variants.
        ('"centro commerciale"', ["c1", "c2"]),
    ],
)
def test_stems_keep_different_words_apart(forme: Backend, query: str, expected: list[str]) -> None:
    assert found(forme, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"spaccio"', ["s1", "s4"]),
        ('"spacci"', ["s4"]),
        ('"furti"', ["x1"]),
        ('"furto"', ["x2"]),
        ('"rapinatori" OR "rapinatrice"', ["r2", "r3"]),
        ('"rapinatore"', ["r1"]),
        ('title:"x1"', ["x1"]),
        ('"furto" -sassuolo', []),
    ],
)
def test_a_quoted_word_is_that_form_only(forme: Backend, query: str, expected: list[str]) -> None:
    assert found(forme, query) == expected


@pytest.mark.parametrize(
    ("query", "first"),
    [
        # x1 and x2 differ only in furti/furto: the form typed decides the order.
        ("furti", "x1"),
        ("furto", "x2"),
        ("furti sassuolo", "x1"),
        ("furto sassuolo", "x2"),
        # A phrase typed exactly ranks above its inflected variant.
        ('"centri commerciali"', "c2"),
        ('"centro commerciale"', "c1"),
    ],
)
def test_exact_forms_rank_first(forme: Backend, query: str, first: str) -> None:
    hits = ranked(forme, query)
    assert len(hits) == 2
    assert hits[0] == first


def test_exact_forms_change_no_count(forme: Backend) -> None:
    # The exact-form clause only ranks: what matches, and how many, stay the same.
    for query in ("furti", "furto", '"centri commerciali"'):
        assert forme.run("search", query, "--count").stdout == "2\n"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # The word itself by its stem, and its near spellings: never fewer than the word.
        ("rapinatori~1", ["r1", "r2", "r3", "r4"]),
        ("rapinatori~", ["r1", "r2", "r3", "r4"]),
        ("rapinattore~1", ["r1", "r2", "r4"]),
        # A fuzzy word with no near spelling is still the word.
        ("contagi~1", ["i2"]),
        # One that is nowhere matches nothing, and so does the AND it is in.
        ("zzzzzz~1 furto", []),
    ],
)
def test_fuzzy_terms_widen(forme: Backend, query: str, expected: list[str]) -> None:
    assert found(forme, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # An elided article is dropped whether or not a space follows its apostrophe.
        ('"l\' auto"', ["a1", "a2", "r2"]),
        ("l'auto", ["a1", "a2", "r2"]),
        ('"preso l\' auto"', ["a1", "a2"]),
        ('"preso l\'auto"', ["a1", "a2"]),
        ("dell'amico", ["a2"]),
        # A word split at an apostrophe that elides nothing is its two words side by side.
        ("qualcos'altro", ["a3"]),
    ],
)
def test_apostrophes_with_or_without_a_space(
    forme: Backend, query: str, expected: list[str]
) -> None:
    assert found(forme, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"ponte fiume"', []),
        ('"ponte sul fiume"', ["p1"]),
        # "a b"~N: in order, at most N other words between each two.
        ('"ponte fiume"~1', ["p1"]),
        ('"ponte fiume"~2', ["p1", "p2"]),
        ('"ponte fiume"~12', ["p1", "p2", "p4"]),
        ('"ponte sul fiume"~1', ["p1", "p2"]),
        ('"ponte fiume"~0', []),
        # Words in the other order are not the phrase.
        ('"fiume ponte"~5', ["p3"]),
        ('"fiume ponte"~2', []),
        # A distance never joins the end of a title to the start of its text.
        ('"p3 sul"~20', []),
        ('title:"ponte fiume"~3', []),
        ('-"ponte fiume"~2 ponte', ["p3", "p4"]),
    ],
)
def test_phrases_with_a_distance(forme: Backend, query: str, expected: list[str]) -> None:
    assert found(forme, query) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            '"ponte fiume"~21',
            "'\"ponte fiume\"~21' asks for words too far apart; use a distance of 20 or less.",
        ),
        (
            '"a b c d e"~5',
            "'\"a b c d e\"~5' has too many words for that distance; use fewer words or a "
            "smaller ~.",
        ),
    ],
)
def test_too_wide_a_distance_is_one_sentence(forme: Backend, query: str, message: str) -> None:
    result = forme.run("search", query)
    assert result.exit_code == 2
    assert result.stderr == f"corpus: {message}\n"
