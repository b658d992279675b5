"""Every article in its own language (issue #16), the rest of it, on every backend: the
words ``terms`` lists leave out each language's function words; wildcards and fuzzy
terms fold the words as the article's language folds them; Japanese and Korean are
detected and found through their character bigrams.

The texts are short real-looking news items; each answer can be read off them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Backend, article, write

#: The same story (a glacier on Mont Blanc) in English, French and German, and two
#: Italian articles on other things: the story's function words are as
#: over-represented in its articles as its content words.
GLACIER = {
    "en1.txt": article(
        "The glacier on the Italian side of Mont Blanc is melting faster than expected, "
        "and the mountain guides of the valley say that the ice has retreated by forty "
        "metres this summer. The authorities closed the road and the hut while the glacier "
        "is watched by radar.",
        title="The glacier on Mont Blanc is melting faster",
    ),
    "en2.txt": article(
        "The rescue service of the region warned climbers that the glacier below the summit "
        "of Mont Blanc is unstable, and that the ice could collapse on the path. The mayor "
        "asked the climbers to wait until the temperatures fall and the glacier is safe again.",
        title="Climbers warned about Mont Blanc",
    ),
    "fr1.txt": article(
        "Le glacier du versant italien du Mont Blanc fond plus vite que prévu, et les guides "
        "de la vallée disent que la glace a reculé de quarante mètres cet été. Les autorités "
        "ont fermé la route et le refuge pendant que le glacier est surveillé par radar.",
        title="Le glacier du Mont Blanc fond plus vite",
    ),
    "fr2.txt": article(
        "Le service de secours de la région a averti les alpinistes que le glacier sous le "
        "sommet du Mont Blanc est instable, et que la glace pourrait s'effondrer sur le "
        "sentier. Le maire a demandé aux alpinistes d'attendre que les températures baissent "
        "et que le glacier soit de nouveau sûr.",
        title="Les alpinistes avertis au Mont Blanc",
    ),
    "de1.txt": article(
        "Der Gletscher auf der italienischen Seite des Mont Blanc schmilzt schneller als "
        "erwartet, und die Bergführer des Tals sagen, dass das Eis in diesem Sommer um "
        "vierzig Meter zurückgegangen ist. Die Behörden haben die Straße und die Hütte "
        "gesperrt, während der Gletscher mit Radar überwacht wird.",
        title="Der Gletscher am Mont Blanc schmilzt schneller",
    ),
    "de2.txt": article(
        "Der Rettungsdienst der Region hat die Bergsteiger gewarnt, dass der Gletscher unter "
        "dem Gipfel des Mont Blanc instabil ist und das Eis auf den Weg stürzen könnte. Der "
        "Bürgermeister bat die Bergsteiger zu warten, bis die Temperaturen sinken und der "
        "Gletscher wieder sicher ist.",
        title="Bergsteiger am Mont Blanc gewarnt",
    ),
    "it1.txt": article(
        "Due uomini hanno rapinato una farmacia del centro di Modena nel pomeriggio di ieri, "
        "minacciando la commessa con un coltello. I carabinieri hanno avviato le indagini e "
        "cercano i due rapinatori, fuggiti a piedi verso la stazione.",
        title="Rapina in centro a Modena",
    ),
    "it2.txt": article(
        "Un incidente sulla via Emilia ha bloccato il traffico per due ore nella mattina di "
        "oggi: un camion si è ribaltato dopo uno scontro con un'auto. Il conducente dell'auto "
        "è stato portato in ospedale, non è in pericolo di vita.",
        title="Incidente sulla via Emilia",
    ),
}


def test_terms_leave_out_each_languages_function_words(backend: Backend, tmp_path: Path) -> None:
    folder = tmp_path / "glacier"
    for name, content in GLACIER.items():
        write(folder, name, content)
    assert backend.ingest(folder)["added"] == len(GLACIER)
    languages = {row["id"]: row["language"] for row in backend.rows("list", "--json")}
    assert sorted(languages.values()) == ["de", "de", "en", "en", "fr", "fr", "it", "it"]
    listed = [row["term"] for row in backend.rows("terms", "Blanc", "--limit", "50", "--json")]
    function_words = {"the", "and", "that", "le", "les", "que", "est", "der", "die", "und"}
    assert not function_words & set(listed), listed
    assert {"glacier", "gletscher", "ice", "glace", "eis", "climbers"} <= set(listed)
    # The index keeps them: a phrase of function words still finds its articles.
    assert sorted(backend.ids("search", '"that the ice"', "--json")) == ["en1", "en2"]
    assert sorted(backend.ids("search", '"der Gletscher"', "--json")) == ["de1", "de2"]


NEWS = {
    "de.txt": article(
        "Die Bundeswehr hat ihre Übungen in Niedersachsen beendet. Wegen der Straßensperren "
        "mussten Pendler Umwege fahren, und die Anwohner beschwerten sich über den Lärm.",
        title="Bundeswehr beendet Übungen",
    ),
    "ru1.txt": article(
        "Военные учения на Балтике завершились в пятницу. В них участвовали корабли и "
        "самолёты, сообщили в министерстве обороны.",
        title="Учения на Балтике завершились",
    ),
    "ru2.txt": article(
        "Министерство обороны сообщило, что учение было посвящено урокам войны и "
        "отражению ракетных ударов по объектам на побережье.",
        title="Учение посвятили отражению ударов",
    ),
    "fr1.txt": article(
        "Les manœuvres de la marine se sont achevées vendredi au large de Brest, après deux "
        "semaines d'exercices réunissant frégates et sous-marins.",
        title="Fin des manœuvres navales",
    ),
    "fr2.txt": article(
        "Les manoeuvres aériennes prévues en Bretagne ont été reportées à cause du mauvais "
        "temps, a annoncé la préfecture maritime de l'Atlantique.",
        title="Manoeuvres reportées en Bretagne",
    ),
    # Greek keeps its accents (they are letters), so metadata states it.
    "el.json": json.dumps(
        {
            "id": "el",
            "title": "Ολοκληρώθηκαν οι ασκήσεις του ναυτικού",
            "text": "Οι ναυτικές ασκήσεις στο Αιγαίο ολοκληρώθηκαν την Παρασκευή.",
            "language": "el",
        }
    ),
    "zh.txt": article(
        "新华社北京电 中国和俄罗斯海军在东海举行联合军事演习，两国舰艇和飞机参加了这次演练。",
        title="中俄海军举行联合军事演习",
    ),
    "it.txt": article(
        "Le esercitazioni della marina si sono concluse venerdì al largo di Taranto, dopo due "
        "settimane di manovre con fregate e sottomarini.",
        title="Esercitazioni concluse a Taranto",
    ),
}


@pytest.fixture
def news(backend: Backend, tmp_path: Path) -> Backend:
    folder = tmp_path / "news"
    for name, content in NEWS.items():
        write(folder, name, content)
    assert backend.ingest(folder)["added"] == len(NEWS)
    languages = {row["id"]: row["language"] for row in backend.rows("list", "--json")}
    assert languages == {
        "de": "de",
        "ru1": "ru",
        "ru2": "ru",
        "fr1": "fr",
        "fr2": "fr",
        "el": "el",
        "zh": "zh",
        "it": "it",
    }
    return backend


def found(backend: Backend, *args: str) -> list[str]:
    return sorted(backend.ids("search", *args, "--json"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # German: umlauts folded, ß spelt out, as German articles are indexed.
        ("Übung*", ["de"]),
        ("ubung*", ["de"]),
        ("Straß*", ["de"]),
        ("strass*", ["de"]),
        ("Straßensperre?", ["de"]),
        ("strassensperre?", ["de"]),
        # Russian: ё is е, й stays й (removing its mark would make it и).
        ("учени*", ["ru1", "ru2"]),
        ("Учени*", ["ru1", "ru2"]),
        ("войн*", ["ru2"]),
        ("самолё*", ["ru1"]),
        ("самоле*", ["ru1"]),
        # French: the ligature or its two letters, in the query or in the text.
        ("manœuvr*", ["fr1", "fr2"]),
        ("manoeuvr*", ["fr1", "fr2"]),
        ("MANŒUVRES", ["fr1", "fr2"]),
        ("*œuvres", ["fr1", "fr2"]),
        # Greek: its accents are letters.
        ("ασκήσ*", ["el"]),
        # Italian, as always.
        ("esercitaz*", ["it"]),
        ("manovr*", ["it"]),
    ],
)
def test_wildcards_fold_as_the_articles_language(
    news: Backend, query: str, expected: list[str]
) -> None:
    assert found(news, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # One edit from the words as German, Russian and French fold them (the Italian
        # folding of ß, й and œ would put them two or three edits away).
        ("Straßensperrn~1", ["de"]),
        ("вайны~1", ["ru2"]),
        ("manœuvrs~1", ["fr1", "fr2"]),
        ("ασκήσης~1", ["el"]),
        # Italian, as always: the final vowel forgiven.
        ("esercitazone~1", ["it"]),
    ],
)
def test_fuzzy_terms_fold_as_the_articles_language(
    news: Backend, query: str, expected: list[str]
) -> None:
    assert found(news, query) == expected


def test_wildcards_on_chinese_characters(news: Backend) -> None:
    # A word already matches inside longer runs of characters: a * at either end adds
    # nothing, and a lone character is that character anywhere.
    assert found(news, "演习*") == ["zh"]
    assert found(news, "*演习") == ["zh"]
    assert found(news, "军事演*") == ["zh"]
    assert found(news, "演*") == ["zh"]
    assert found(news, "演练*") == ["zh"]
    assert found(news, "演讲*") == []
    # Inside a word there are no word boundaries to select from: one sentence, exit 2.
    result = news.run("search", "演?习")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "corpus: '演?习': wildcards inside Chinese, Japanese or Korean words are not "
        "supported; type the word alone, which also finds it inside longer ones."
    ]


#: Short news items in Japanese, Korean and Chinese on the same story (a government's
#: plan against rising prices), and one in English; no language stated.
ASIA = {
    "ja.txt": article(
        "政府は十五日の臨時閣議で、物価高騰に対応する新たな経済対策を決定した。対策には"
        "低所得世帯への給付金や電気料金の負担軽減策が盛り込まれ、首相は記者団に「国民の"
        "暮らしを守る」と述べた。",
        title="政府、新たな経済対策を決定",
    ),
    "ko.txt": article(
        "정부는 15일 국무회의에서 물가 상승에 대응하기 위한 새로운 경제대책을 확정했다. "
        "대책에는 저소득 가구에 대한 지원금과 전기요금 부담 완화 방안이 포함됐으며, 총리는 "
        "기자들에게 국민의 생활을 지키겠다고 말했다.",
        title="정부, 새 경제대책 발표",
    ),
    "zh.txt": article(
        "国务院十五日召开常务会议，决定出台应对物价上涨的新一轮经济措施，包括向低收入家庭"
        "发放补贴和减轻电费负担，总理表示要保障人民生活。",
        title="政府出台新的经济措施",
    ),
    "en.txt": article(
        "The government approved a new package of measures against rising prices on "
        "Friday, with payments to low-income households and lower electricity bills.",
        title="Government approves measures against rising prices",
    ),
}


@pytest.fixture
def asia(backend: Backend, tmp_path: Path) -> Backend:
    folder = tmp_path / "asia"
    for name, content in ASIA.items():
        write(folder, name, content)
    assert backend.ingest(folder)["added"] == len(ASIA)
    return backend


def test_japanese_and_korean_are_detected(asia: Backend) -> None:
    languages = {row["id"]: row["language"] for row in asia.rows("list", "--json")}
    assert languages == {"ja": "ja", "ko": "ko", "zh": "zh", "en": "en"}
    [stats] = asia.rows("stats", "--json")
    assert stats["languages"] == {"en": 1, "ja": 1, "ko": 1, "zh": 1}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Japanese: a two-character word inside a longer run (経済対策, 臨時閣議で).
        ("対策", ["ja"]),
        ("閣議", ["ja"]),
        ("経済対策", ["ja"]),
        ("盛り込", ["ja"]),  # kanji and kana together
        ("策経", []),  # two characters that are not side by side
        ("対策経済", []),  # a phrase of bigrams: its characters in this order
        # Korean: a word with its particle attached (정부는), inside a compound (국무회의에서).
        ("정부", ["ko"]),
        ("회의", ["ko"]),
        ("경제대책", ["ko"]),
        ("대책", ["ko"]),
        ("대회", []),
        # The same characters are the same word in Japanese and Chinese (政府); the
        # simplified 经济 and the Japanese 経済 are different characters.
        ("政府", ["ja", "zh"]),
        ("経済", ["ja"]),
        ("经济", ["zh"]),
        # No word of one script matches another: Latin, Hangul, kana.
        ("government", ["en"]),
        ("국민", ["ko"]),
        ("国民", ["ja"]),
        ("暮らし", ["ja"]),
        # Wildcards: a * at the end adds nothing to a word already found inside runs.
        ("経済*", ["ja"]),
        ("대책*", ["ko"]),
    ],
)
def test_japanese_and_korean_words(asia: Backend, query: str, expected: list[str]) -> None:
    assert found(asia, query) == expected


def test_japanese_and_korean_snippets_mark_the_word(asia: Backend) -> None:
    [ja] = asia.rows("search", "対策", "--json")
    assert "対策" in ja["snippet"]
    [ko] = asia.rows("search", "회의", "--json")
    assert "국무회의에서" in ko["snippet"]


def test_fuzzy_forgives_a_final_vowel_only_where_the_language_inflects_there(
    backend: Backend, tmp_path: Path
) -> None:
    # Italian's rule (esercitazone~1 finds esercitazioni) would make an English
    # reference~1 find "referenda", two edits away and another word.
    folder = tmp_path / "english"
    write(
        folder,
        "ref.txt",
        article(
            "The committee published a reference guide for the new procurement rules "
            "and asked the ministries to follow it from next month.",
            title="A reference guide for procurement",
        ),
    )
    write(
        folder,
        "vote.txt",
        article(
            "Two regional referenda on autonomy were held on Sunday, and turnout was "
            "higher than in any vote of the past decade.",
            title="Regional referenda on autonomy",
        ),
    )
    assert backend.ingest(folder)["added"] == 2
    assert {row["language"] for row in backend.rows("list", "--json")} == {"en"}
    assert found(backend, "reference~1") == ["ref"]
    assert found(backend, "referenze~1") == ["ref"]
