"""The query language over Italian text, on a small corpus whose answers are known."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run, ids, json_lines, write


@pytest.fixture
def corpus(run: Run, tmp_path: Path) -> Run:
    folder = tmp_path / "giornale"
    write(folder, "a.txt", "Perché la città\n\nL’esercito ha dichiarato lo stato di emergenza.\n")
    write(
        folder,
        "b.txt",
        "Esercitazioni navali russe\n\nNuove esercitazioni congiunte nel Mar Baltico.\n",
    )
    write(folder, "c.txt", "Cronaca locale\n\nLo stato ha chiesto di fermare l'emergenza idrica.\n")
    write(folder, "d.txt", "Sport e citta\n\nPerche il derby è finito in parità.\n")
    assert run("ingest", str(folder)).exit_code == 0
    return run


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Accents folded both ways.
        ("perche", ["a", "d"]),
        ("perché", ["a", "d"]),
        ("citta", ["a", "d"]),
        # Elided articles: l’esercito (curly) and l'esercito (straight) are "esercito".
        ("esercito", ["a"]),
        ("l'esercito", ["a"]),
        # Stems: the singular finds the plural.
        ("esercitazione", ["b"]),
        # Common words alone are searchable, and phrases keep their prepositions.
        ('"stato di emergenza"', ["a"]),
        ("stato emergenza", ["a", "c"]),
        # Wildcards and fuzzy terms match surface words, not stems.
        ("esercitaz*", ["b"]),
        ("esercitazone~1", ["b"]),
        ("esercitazioni~", ["b"]),
        ("baltcio~", ["b"]),
        ("ci?ta", ["a", "d"]),
        # Operators and fields.
        ("derby OR baltico", ["b", "d"]),
        ("stato NOT idrica", ["a"]),
        ("title:citta", ["a", "d"]),
        ("text:citta", []),
        ("Title:esercitazioni", ["b"]),
        # A field prefix scopes wildcards too: "citta" is only in d's title.
        ("title:cit*", ["a", "d"]),
        ("text:cit*", []),
        ("source:giornale derby", ["d"]),
    ],
)
def test_query(corpus: Run, query: str, expected: list[str]) -> None:
    result = corpus("search", query, "--json")
    assert result.exit_code == 0, result.output
    assert sorted(ids(result)) == expected


def test_title_match_outranks_text_match(corpus: Run) -> None:
    assert ids(corpus("search", "esercitazioni OR esercito", "--json"))[0] == "b"


def test_words_side_by_side_rank_first(seeded: Run) -> None:
    # 000 has "esercitazioni navali congiunte"; 002 and 003 have the two words together.
    found = ids(seeded("search", "esercitazioni congiunte", "--json"))
    assert sorted(found[:2]) == ["002_9be9ee8e938c10f9", "003_569862a446dd5049"]
    assert len(found) == 4


def test_snippet_of_phrase_query_marks_only_the_phrase(corpus: Run) -> None:
    row = json_lines(corpus("search", '"stato di emergenza"', "--json"))[0]
    assert row["snippet"] == "L’esercito ha dichiarato lo stato di emergenza."


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "foo:bar",
            "corpus: Unknown field 'foo:' in the query; use one of title:, text:, source:.",
        ),
        (
            "NOT derby",
            "corpus: The query has no words to search for (only operators or exclusions).",
        ),
        ("x" * 1001, "corpus: The query is 1001 characters long; the limit is 1000."),
    ],
)
def test_bad_queries_are_one_sentence_and_exit_2(corpus: Run, query: str, message: str) -> None:
    result = corpus("search", query)
    assert result.exit_code == 2
    assert result.stderr.strip() == message


def test_sort_by_date_puts_undated_last_both_ways(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "f"
    write(folder, "old.txt", "date: 2001-01-01\n\nPioggia a Modena.\n")
    write(folder, "new.txt", "date: 2021-01-01\n\nPioggia a Carpi.\n")
    write(folder, "none.txt", "Pioggia a Sassuolo, senza data.\n")
    run("ingest", str(folder))
    assert ids(run("search", "pioggia", "--sort", "date", "--json")) == ["old", "new", "none"]
    assert ids(run("search", "pioggia", "--sort", "-date", "--json")) == ["new", "old", "none"]
    assert ids(run("list", "--sort", "-date", "--json")) == ["new", "old", "none"]


def test_fuzzy_terms_allow_at_most_two_edits(corpus: Run) -> None:
    result = corpus("search", "esercitazioni~3")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "corpus: 'esercitazioni~3' allows too many edits; use ~1 or ~2."
    )
