"""Every article in its own language (issue #16), on every backend: the language stated
or detected, each analysed by its own stemmer, found through its word forms, filtered
with --lang, counted in stats, and no word of one script matching another by accident.

The articles are short real-looking news items about one story in seven languages.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Backend, article, write

NEWS = {
    "ru.txt": article(
        "Российские и китайские военные моряки провели совместные учения в "
        "Восточно-Китайском море. В учениях приняли участие корабли и самолёты обеих стран.",
        title="Россия и Китай провели совместные учения",
    ),
    "zh.txt": article(
        "新华社北京电 中国和俄罗斯海军在东海举行联合军事演习，两国舰艇和飞机参加了这次演练。",
        title="中俄海军举行联合军事演习",
    ),
    "de.txt": article(
        "Die Marine beider Länder hat im Ostchinesischen Meer gemeinsame Übungen begonnen, "
        "an denen Schiffe und Flugzeuge teilnehmen.",
        title="Russland und China beginnen gemeinsame Übungen",
    ),
    "fr.txt": article(
        "Les marines russe et chinoise ont entamé des manœuvres conjointes en mer de Chine "
        "orientale, l'exercice réunissant navires et avions des deux pays.",
        title="La Russie et la Chine mènent des manoeuvres navales",
    ),
    "en.txt": article(
        "The navies of Russia and China began joint exercises in the East China Sea on "
        "Wednesday, with ships and aircraft from both countries taking part.",
        title="Russia and China hold joint naval exercises",
    ),
    "it.txt": article(
        "Le marine di Russia e Cina hanno avviato esercitazioni congiunte nel Mar Cinese "
        "Orientale, con navi e aerei dei due paesi.",
        title="Russia e Cina, esercitazioni navali congiunte",
    ),
    "es.json": json.dumps(
        {
            "id": "es",
            "title": "Rusia y China realizan ejercicios navales",
            "text": "Las armadas de Rusia y China iniciaron ejercicios conjuntos en el mar de "
            "China Oriental con buques y aviones de ambos países.",
            "language": "es",
        }
    ),
    # English words, but the record says French: metadata beats detection.
    "stated.json": json.dumps(
        {
            "id": "stated",
            "text": "The navies of both countries held further joint drills near Japan.",
            "inLanguage": "fr-FR",
        }
    ),
}


@pytest.fixture
def news(backend: Backend, tmp_path: Path) -> Backend:
    folder = tmp_path / "news"
    for name, content in NEWS.items():
        write(folder, name, content)
    assert backend.ingest(folder)["added"] == len(NEWS)
    return backend


def found(backend: Backend, *args: str) -> list[str]:
    return sorted(backend.ids("search", *args, "--json"))


def test_each_article_has_its_language(news: Backend) -> None:
    rows = {row["id"]: row["language"] for row in news.rows("list", "--json")}
    assert rows == {
        "ru": "ru",
        "zh": "zh",
        "de": "de",
        "fr": "fr",
        "en": "en",
        "it": "it",
        "es": "es",
        "stated": "fr",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Russian: the singular finds the plural and the other cases.
        ("учение", ["ru"]),
        ("учениях", ["ru"]),
        # German: umlauts folded and the plural stemmed.
        ("Übung", ["de"]),
        ("Ubungen", ["de"]),
        # French: with or without the ligature, singular or plural; elided l' dropped.
        ("manoeuvre", ["fr"]),
        ("manœuvre", ["fr"]),
        ("exercice", ["fr"]),
        # English.
        ("exercise", ["en"]),
        # Italian, as always.
        ("esercitazione", ["it"]),
        # Spanish.
        ("ejercicio", ["es"]),
        # Chinese: a two-character word inside a longer run of characters.
        ("演习", ["zh"]),
        ("军事演习", ["zh"]),
        ("海军", ["zh"]),
    ],
)
def test_words_found_through_their_forms(news: Backend, query: str, expected: list[str]) -> None:
    assert found(news, query) == expected


def test_a_word_of_one_script_matches_no_other(news: Backend) -> None:
    # Latin "China" is in the European articles, not in the Chinese or Russian ones.
    assert set(found(news, "China")) == {"de", "en", "fr", "es"}
    assert found(news, "Китай") == ["ru"]
    # A phrase of bigrams does not match characters that are apart.
    assert found(news, "演习海军") == []


def test_lang_filters_every_command(news: Backend) -> None:
    assert found(news, "exercises", "--lang", "en") == ["en"]
    # Metadata said French: the English words are analysed as French and found there.
    assert found(news, "drills", "--lang", "fr") == ["stated"]
    assert found(news, "drills", "--lang", "en") == []
    assert news.ids("list", "--lang", "ru", "--json") == ["ru"]
    [source] = news.rows("sources", "--lang", "de", "--json")
    assert source["count"] == 1
    assert news.run("search", "china", "--lang", "english").exit_code == 2


def test_stats_count_languages(news: Backend) -> None:
    [stats] = news.rows("stats", "--json")
    assert stats["languages"] == {
        "de": 1,
        "en": 1,
        "es": 1,
        "fr": 2,
        "it": 1,
        "ru": 1,
        "zh": 1,
    }


def test_snippets_mark_the_forms_of_each_language(news: Backend) -> None:
    result = news.run("search", "учение")
    assert result.exit_code == 0, result.output
    assert "учения" in result.output
    [row] = news.rows("search", "演习", "--json")
    assert "演习" in row["snippet"]


def test_unsure_texts_get_the_corpus_default(backend: Backend, tmp_path: Path) -> None:
    folder = tmp_path / "short"
    write(folder, "tiny.txt", "Ok, grazie.\n")
    write(folder, "long.txt", NEWS["en.txt"])
    assert backend.ingest(folder, "--lang", "de")["added"] == 2
    rows = {row["id"]: row["language"] for row in backend.rows("list", "--json")}
    assert rows == {"tiny": "de", "long": "en"}


def _page(lang: str, title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><article><h1>{title}</h1>{body}"
        "</article></body></html>"
    )


def test_a_page_language_gives_way_to_a_text_clearly_in_another(
    backend: Backend, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    german = [
        "Der Norweger Marius Lindvik hat den abschließenden Wettkampf des Wochenendes in "
        "Willingen gewonnen und damit seinen ersten Weltcupsieg gefeiert.",
        "Die deutschen Springer zeigten sich nach dem Wettkampf zufrieden mit ihren Leistungen "
        "und blicken nun auf die nächsten Wettbewerbe der Saison.",
    ]
    # A site whose template says English on a German article.
    write(folder, "template.html", _page("en", "Lindvik gewinnt in Willingen", german))
    # A page too short to tell keeps what it says.
    write(folder, "short.html", _page("fr-FR", "Brève", ["Marine, navires, avions : accord."]))
    assert backend.ingest(folder)["added"] == 2
    rows = {row["id"]: row["language"] for row in backend.rows("list", "--json")}
    assert rows == {"template": "de", "short": "fr"}


def test_explain_shows_each_language(news: Backend) -> None:
    [row] = news.rows("search", "exercises", "--explain", "--json")
    [word] = row["words"]
    analyses = {item["language"]: item["terms"] for item in word["languages"]}
    assert analyses["en"] == ["en:exercis"]
    assert analyses["zh"] == ["zh:exercises"]
    assert "it" not in analyses  # Italian: the word's own stem, shown as always
    assert word["stem"] == "exercises"  # (light stems remove final vowels only)
    [only] = news.rows("search", "exercises", "--explain", "--lang", "de", "--json")
    assert [item["language"] for item in only["words"][0]["languages"]] == ["de"]
