"""ingest: what it reports, and what the index holds afterwards."""

from __future__ import annotations

from pathlib import Path

from .conftest import SEED_IDS, Backend, article, write

SUMMARY_KEYS = [
    "added",
    "updated",
    "unchanged",
    "removed",
    "duplicates",
    "skipped",
    "relabelled",
]


def three(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    write(folder, "a.txt", "Primo articolo sul vertice\nLe navi sono arrivate nel porto.\n")
    write(folder, "b.txt", "Secondo articolo sul gas\nIl prezzo del gas è sceso ancora.\n")
    write(folder, "c.txt", "Terzo articolo sul grano\nIl raccolto di grano è stato scarso.\n")
    return folder


def test_summary_counts_every_new_article(backend: Backend, seeds: Path) -> None:
    summary = backend.ingest(seeds)
    assert list(summary) == SUMMARY_KEYS
    assert summary == {
        "added": 5,
        "updated": 0,
        "unchanged": 0,
        "removed": 0,
        "duplicates": [],
        "skipped": [],
        "relabelled": 0,
    }
    assert sorted(backend.ids("list", "--json")) == SEED_IDS


def test_human_summary_names_the_index(backend: Backend, seeds: Path) -> None:
    result = backend.run("ingest", str(seeds))
    assert result.exit_code == 0, result.output
    # Whitespace aside: a long location wraps onto a second line.
    assert " ".join(result.stdout.split()) == (
        f"5 added, 0 updated, 0 unchanged, 0 removed, 0 duplicates, 0 skipped → {backend.location}"
    )


def test_second_run_on_unchanged_files_changes_nothing(backend: Backend, seeds: Path) -> None:
    backend.ingest(seeds)
    before = backend.rows("list", "--json")
    assert backend.ingest(seeds) == {
        "added": 0,
        "updated": 0,
        "unchanged": 5,
        "removed": 0,
        "duplicates": [],
        "skipped": [],
        "relabelled": 0,
    }
    assert backend.rows("list", "--json") == before
    assert backend.rows("stats", "--json")[0]["articles"] == 5


def test_changed_file_is_updated_in_place(backend: Backend, tmp_path: Path) -> None:
    folder = three(tmp_path)
    backend.ingest(folder)
    write(folder, "b.txt", "Secondo articolo sul petrolio\nIl prezzo del petrolio è salito.\n")
    again = backend.ingest(folder)
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 1, 2)
    assert sorted(backend.ids("list", "--json")) == ["a", "b", "c"]
    assert backend.ids("search", "petrolio", "--json") == ["b"]
    assert backend.ids("search", "sceso", "--json") == []
    assert backend.ingest(folder)["unchanged"] == 3


def test_prune_removes_the_articles_of_deleted_files(backend: Backend, tmp_path: Path) -> None:
    folder = three(tmp_path)
    backend.ingest(folder)
    (folder / "c.txt").unlink()
    kept = backend.ingest(folder)
    assert (kept["unchanged"], kept["removed"]) == (2, 0)
    assert sorted(backend.ids("list", "--json")) == ["a", "b", "c"]  # without --prune
    pruned = backend.ingest("--prune", folder)
    assert (pruned["added"], pruned["unchanged"], pruned["removed"]) == (0, 2, 1)
    assert sorted(backend.ids("list", "--json")) == ["a", "b"]
    assert backend.ids("search", "grano", "--json") == []


def test_prune_keeps_the_articles_of_other_paths(backend: Backend, tmp_path: Path) -> None:
    folder = three(tmp_path)
    other = write(tmp_path / "other", "d.txt", "Quarto articolo sul treno\nIl treno è partito.\n")
    backend.ingest(folder, other.parent)
    (folder / "a.txt").unlink()
    assert backend.ingest("--prune", folder)["removed"] == 1
    assert sorted(backend.ids("list", "--json")) == ["b", "c", "d"]


def test_exact_duplicates_are_reported_and_indexed_once(backend: Backend, tmp_path: Path) -> None:
    folder = tmp_path / "dups"
    a = write(folder, "a.txt", "Vertice a Roma\nI ministri hanno discusso di energia e di gas.\n")
    # The same text in other case, spacing and punctuation.
    b = write(
        folder, "b.txt", "VERTICE a Roma\nI ministri   hanno discusso di energia, e di gas!\n"
    )
    summary = backend.ingest(folder)
    assert summary["added"] == 1
    assert summary["duplicates"] == [{"path": str(b), "duplicate_of": str(a)}]
    assert backend.ids("list", "--json") == ["a"]
    assert backend.ids("search", "ministri", "--json") == ["a"]
    assert backend.rows("stats", "--json")[0]["articles"] == 1


def test_bad_files_are_skipped_with_their_reason_and_the_rest_goes_in(
    backend: Backend, tmp_path: Path
) -> None:
    folder = tmp_path / "inbox"
    write(folder, "good.txt", article("Il consiglio comunale approva il bilancio.", date="2023"))
    write(folder, "empty.txt", b"")
    write(folder, "nul.txt", b"Titolo\nTesto\x00 con un byte nullo.\n")
    write(
        folder,
        "feed.jsonl",
        '{"id": "j1", "text": "Il primo record del feed."}\n'
        "{broken\n"
        '{"id": "j3", "text": "Il terzo record del feed."}\n',
    )
    summary = backend.ingest(folder)  # exit code 0: the run worked
    assert summary["added"] == 3
    assert summary["skipped"] == [
        {"path": str(folder / "empty.txt"), "reason": "empty file"},
        {
            "path": str(folder / "feed.jsonl"),
            "reason": "line 2: not valid JSON (Expecting property name enclosed in double quotes)",
        },
        {"path": str(folder / "nul.txt"), "reason": "binary file (contains NUL bytes)"},
    ]
    assert sorted(backend.ids("list", "--json")) == ["good", "j1", "j3"]


def test_nothing_readable_is_an_error(backend: Backend, tmp_path: Path) -> None:
    write(tmp_path / "bad", "empty.txt", b"")
    result = backend.run("ingest", str(tmp_path / "bad"))
    assert result.exit_code == 1
    assert result.stderr == "corpus: no file could be read.\n"


def test_json_lines_records_keep_their_own_ids(backend: Backend, tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    write(
        folder,
        "feed.jsonl",
        '{"id": "n-17", "title": "Treni", "date": "2021-03-03", "source": "Ansa", '
        '"text": "Sciopero dei treni in tutta la regione."}\n'
        '{"id": "n-18", "headline": "Navi", "published": "2021-03", '
        '"body": "Le navi restano in porto per il vento."}\n',
    )
    assert backend.ingest(folder)["added"] == 2
    rows = {r["id"]: r for r in backend.rows("list", "--json")}
    assert {i: (r["title"], r["date"], r["source"]) for i, r in rows.items()} == {
        "n-17": ("Treni", "2021-03-03", "Ansa"),
        "n-18": ("Navi", "2021-03", "feeds"),
    }
    assert rows["n-17"]["path"] == rows["n-18"]["path"] == str(folder / "feed.jsonl")
    assert backend.ids("search", "vento", "--json") == ["n-18"]


def test_csv_records_keep_their_own_ids(backend: Backend, tmp_path: Path) -> None:
    folder = tmp_path / "tabelle"
    write(
        folder,
        "table.csv",
        "id,title,date,source,text\n"
        'c1,Da CSV,2020-06-02,Il Foglio,"Vertice a Napoli,\nsu due righe"\n'
        "c2,Altro,2020-06,Il Foglio,Sciopero dei treni\n",
    )
    assert backend.ingest(folder)["added"] == 2
    rows = backend.rows("list", "--json")
    assert [(r["id"], r["title"], r["date"], r["source"]) for r in rows] == [
        ("c2", "Altro", "2020-06", "Il Foglio"),
        ("c1", "Da CSV", "2020-06-02", "Il Foglio"),
    ]
    assert backend.rows("show", "c1", "--json")[0]["text"] == "Vertice a Napoli,\nsu due righe"


def test_source_option_names_only_articles_without_one(backend: Backend, tmp_path: Path) -> None:
    folder = tmp_path / "misto"
    write(folder, "con.txt", article("Il sindaco ha parlato in piazza.", source="ANSA"))
    write(folder, "senza.txt", "Il sindaco ha parlato in consiglio.\n")
    assert backend.ingest("--source", "Archivio", folder)["added"] == 2
    sources = {r["id"]: r["source"] for r in backend.rows("list", "--json")}
    assert sources == {"con": "ANSA", "senza": "Archivio"}


def test_two_locations_are_two_indexes(backend: Backend, seeds: Path, tmp_path: Path) -> None:
    other = backend.at(backend.new_location())
    assert other.location != backend.location
    backend.ingest(seeds)
    other.ingest(three(tmp_path))
    assert sorted(backend.ids("list", "--json")) == SEED_IDS
    assert sorted(other.ids("list", "--json")) == ["a", "b", "c"]
    assert other.ids("search", "esercitazioni", "--json") == []
