"""The analysis every backend indexes: its fast path agrees with the full one."""

from __future__ import annotations

import random

import pytest

from corpus_cli.text.analysis import analyse, index_terms

#: Characters that exercise elisions, apostrophes, spaces, digits and accents.
ALPHABET = "al'’ `ʼ dex²1Èàç-\u00a0\n"
TRICKY = [
    "l'auto e l' auto, dell' amico; l'8 dicembre e l' 8 dicembre",
    "qualcos'altro, un'  altra, all'  alba, l'",
    "it's L’Aquila D'Alema l'²",
]


def _random_texts(count: int) -> list[str]:
    rng = random.Random(14)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30))) for _ in range(count)]


@pytest.mark.parametrize("text", TRICKY + _random_texts(3000))
def test_index_terms_are_what_analyse_gives(text: str) -> None:
    # PostgreSQL's vectors come from index_terms, Whoosh's postings and the
    # highlighter from analyse: a word on one side only would be found by one and
    # highlighted by neither.
    analysed = analyse(text)
    assert index_terms(text) == ([w[2] for w in analysed], [w[3] for w in analysed])


def test_an_apostrophe_and_one_space_still_elide() -> None:
    assert [w[2] for w in analyse("l' auto dell' amico un'  altra l' 8")] == [
        "auto",
        "amico",
        "un",
        "altra",
        "l",
        "8",
    ]
