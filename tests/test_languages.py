"""The analyzer of each language (text/languages.py): what a user's word and an
article's word become, so that one finds the other, and nothing of Italian changes."""

from __future__ import annotations

import pytest

from corpus_cli.text import analysis
from corpus_cli.text.languages import analyse, describe, normal_code, surface_form, terms
from corpus_cli.text.stopwords import ITALIAN, stop_words


@pytest.mark.parametrize(
    "text",
    [
        "L'esercito e l' aviazione: esercitazioni congiunte dell’Alleanza, perché sì.",
        "Cina-Russia, 12 navi; qualcos'altro è successo a Città di Castello.",
    ],
)
def test_italian_is_the_analysis_it_always_was(text: str) -> None:
    assert analyse(text, "it") == analysis.analyse(text)
    assert terms(text, "it") == analysis.terms(text)
    assert terms(text, "it", stemmed=False) == analysis.terms(text, stemmed=False)


@pytest.mark.parametrize(
    ("language", "one", "other"),
    [
        ("ru", "учение", "учения"),
        ("ru", "ёлка", "елки"),
        ("de", "Übung", "Übungen"),
        ("de", "Ubung", "Übungen"),
        ("de", "Straße", "Strasse"),
        ("fr", "manœuvre", "manoeuvres"),
        ("fr", "exercice", "l'exercice"),
        ("fr", "armée", "d’armées"),
        ("en", "exercise", "exercises"),
        ("es", "ejercicio", "ejercicios"),
        ("pt", "exercício", "exercícios"),
    ],
)
def test_word_forms_meet(language: str, one: str, other: str) -> None:
    assert terms(one, language) == terms(other, language)


def test_stems_carry_their_language() -> None:
    assert terms("exercises", "en") == ["en:exercis"]
    assert terms("exercises", "fr") == ["fr:exercis"]
    # Italian stems stay unprefixed: indexes built before languages keep working.
    assert terms("esercitazioni", "it") == ["esercitazion"]


def test_chinese_is_bigrams_with_their_offsets() -> None:
    text = "中俄举行联合军事演习"
    tokens = analyse(text, "zh")
    assert [t[3] for t in tokens] == [
        "zh:中俄",
        "zh:俄举",
        "zh:举行",
        "zh:行联",
        "zh:联合",
        "zh:合军",
        "zh:军事",
        "zh:事演",
        "zh:演习",
    ]
    assert all(text[start:end] == folded for start, end, folded, _ in tokens)
    # A lone character is itself; Latin words and numbers beside are words.
    assert terms("军 NATO 2023年", "zh") == ["zh:军", "zh:nato", "zh:2023", "zh:年"]


def test_unknown_languages_are_folded_not_stemmed() -> None:
    assert terms("Ćwiczenia wojskowe", "xx") == ["xx:cwiczenia", "xx:wojskowe"]
    assert describe("xx") == "folded words, no stemming"
    assert describe("de") == "Snowball german"


def test_cyrillic_keeps_its_letters() -> None:
    # Folding marks away would make й an и; only ё is written as е.
    assert terms("Йошкар-Ола", "ru", stemmed=False) == ["йошкар", "ола"]


@pytest.mark.parametrize(
    ("value", "code"),
    [("en-US", "en"), ("pt_BR", "pt"), ("FR", "fr"), (" de ", "de"), ("english", None), ("", None)],
)
def test_language_codes_from_metadata(value: str, code: str | None) -> None:
    assert normal_code(value) == code


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Die Straßensperren an der Übungsstrecke"),
        ("ru", "Учения на Балтике, после войны, самолёты"),
        ("fr", "Les manœuvres des Œuvres"),
        ("el", "Οι ναυτικές ασκήσεις"),
        ("ja", "政府は経済対策を決定した"),
        ("ko", "정부는 국무회의에서 대책을"),
        ("zh", "中国和俄罗斯海军 NATO Übung"),
    ],
)
def test_a_pattern_folds_as_the_language_indexes_its_words(language: str, text: str) -> None:
    # What a wildcard is matched against: each word as the language indexes it.
    indexed = terms(text, language, stemmed=False)
    for word in text.split():
        if language in ("ja", "ko", "zh"):
            continue  # bigrams: a word is not one indexed term
        assert surface_form(word.strip(","), language) in indexed
    for token in indexed:
        assert surface_form(token, language) == token
    assert surface_form("Straß*", "de") == "strass*"
    assert surface_form("войн?", "ru") == "войн?"
    assert surface_form("Straß*", "it") == analysis.fold("Straß*")


def test_stop_words_of_each_language() -> None:
    assert stop_words("it") is ITALIAN  # Italian's list as it always was
    assert {"the", "and", "of"} <= stop_words("en")
    assert {"le", "la", "les", "est", "ete", "etait"} <= stop_words("fr")  # folded as French is
    assert {"der", "und", "uber"} <= stop_words("de")  # über, folded as German is
    assert {"и", "мой", "все"} <= stop_words("ru")  # й kept, ё as е
    assert stop_words("nb") == stop_words("no")
    assert stop_words("zh") == frozenset()
    # Content words are no stop words.
    assert not {"glacier", "gletscher", "ice"} & (stop_words("en") | stop_words("de"))
