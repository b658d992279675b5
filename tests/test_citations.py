"""Citations of agencies and outlets, on small corpora with known answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import article, build

from corpus_cli.errors import UsageError
from corpus_cli.model import Filters
from corpus_cli.query import parse
from corpus_cli.results import Citation
from corpus_cli.services.analytics import cites
from corpus_cli.storage.base import Store
from corpus_cli.text.citations import (
    find_outlet,
    outlet_names,
    outlets_named,
    parse_outlets,
)


@pytest.fixture
def cited(tmp_path: Path) -> Store:
    return build(
        tmp_path,
        {
            "twice.txt": article(
                "twice",
                "Lo riferisce la Tass. Secondo la Tass, il ministro ha parlato a lungo.",
                source="uno",
            ),
            "taxes.txt": article(
                "taxes",
                "Tassa sui rifiuti: la tassazione sale. La tassa nuova e le TASSE locali.",
                source="uno",
            ),
            "agencies.txt": article(
                "agencies",
                "L'agenzia russa TASS e l'agenzia cinese Xinhua; lo conferma l'AP.",
                source="due",
            ),
            "lowercase.txt": article(
                "lowercase",
                "Una mappa, il cap e la parola ap minuscola; Apple e APPLE, CAP e MAPPA.",
                source="due",
            ),
            "title.txt": article(
                "title", "Nessuna agenzia nel testo.", title="Global Times: nuove esercitazioni"
            ),
            "states.txt": article(
                "states",
                "La Repubblica Popolare Cinese e la Repubblica Ceca; il vaccino Sputnik V. "
                "Lo scrive la Repubblica, citando Sputnik.",
            ),
        },
    )


def test_cites_counts_articles_not_mentions(cited: Store) -> None:
    assert cites(cited) == [
        Citation("Tass", 2),
        Citation("AP", 1),
        Citation("Global Times", 1),
        Citation("la Repubblica", 1),
        Citation("Sputnik", 1),
        Citation("Xinhua", 1),
    ]


def test_cites_with_a_query_counts_only_its_articles(cited: Store) -> None:
    assert cites(cited, parse("agenzia")) == [
        Citation("AP", 1),
        Citation("Global Times", 1),
        Citation("Tass", 1),
        Citation("Xinhua", 1),
    ]
    assert cites(cited, parse("rifiuti")) == []
    assert cites(cited, filters=Filters(source="uno")) == [Citation("Tass", 1)]
    assert cites(cited, parse("ministro"), Filters(source="due")) == []


def citing(index: Store, name: str, query: str = "il OR la OR lo", **filters: str) -> set[str]:
    """Ids of the articles ``query`` finds that name the outlet ``name`` (--cites)."""
    outlet = find_outlet(name).name
    found = index.search(parse(query), Filters(cites=outlet, **filters), limit=None)
    return {hit.article.id for hit in found.hits}


def test_search_filters_on_cited_outlets(cited: Store) -> None:
    assert citing(cited, "tass") == {"twice", "agencies"}
    assert citing(cited, "Itar-Tass") == {"twice", "agencies"}
    assert citing(cited, "associated  press") == {"agencies"}
    assert citing(cited, "Tass", query="ministro") == {"twice"}
    assert citing(cited, "Tass", source="due") == {"agencies"}
    with pytest.raises(UsageError, match="Pravda"):
        find_outlet("Pravda del Nord")


def test_outlet_spelling_rules() -> None:
    assert outlets_named("secondo l’Agenzia Ansa e l'ANSA") == {"ANSA"}
    assert outlets_named("l'ansa del fiume") == set()
    assert outlets_named("gli agi della vita; Agi riferisce") == {"AGI"}
    assert outlets_named("REUTERS e reuters") == {"Reuters"}
    assert outlets_named("il People’s Daily e la Nuova Cina") == {"People's Daily", "Xinhua"}
    assert outlets_named("la nuova Cina di Xi") == set()
    assert outlets_named("la stampa cinese") == set()
    assert outlets_named("scrive La Stampa.") == {"La Stampa"}
    assert outlets_named("la Repubblica di Corea, la Repubblica dell'Azerbaigian") == set()
    assert outlets_named("il Presidente della Repubblica e la Repubblica italiana") == set()
    assert outlets_named("New\nYork   Times") == {"New York Times"}
    assert outlets_named("Ria, una ragazza") == set()
    assert outlets_named("RIA Novosti e Ria Novosti") == {"Ria Novosti"}


def test_outlet_file_format() -> None:
    foo, ab, quux = parse_outlets("# comment\n\nFoo Bar | FB | =Foo | ! Baz\nab\n=Quux Corp\n")
    assert [foo.name, ab.name, quux.name] == ["Foo Bar", "ab", "Quux Corp"]
    assert foo.spellings == ("Foo Bar", "FB", "Foo")
    assert foo.named_in("FOO   BAR")
    assert not foo.named_in("foo")
    assert foo.named_in("(Foo) e")
    assert not foo.named_in("Foo Baz")
    assert not foo.named_in("Foo baz.")
    assert foo.named_in("Foo Bazar")
    assert not foo.named_in("fb, xFB, FBx")
    assert not ab.named_in("AB")
    assert ab.named_in("ab")
    assert not quux.named_in("quux corp")


def test_the_shipped_list() -> None:
    names = outlet_names()
    assert 40 <= len(names) <= 80
    assert len(set(names)) == len(names)
    for name in ("Tass", "Xinhua", "Global Times", "Reuters", "ANSA", "AP", "Ria Novosti"):
        assert name in names
        assert find_outlet(name.upper() if len(name) > 4 else name).name == name
