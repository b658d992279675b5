"""Exact copies kept as copies of the first article, and ``ingest --source`` relabelling."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from .conftest import Backend, article, write


def summary(**counts: object) -> dict[str, object]:
    """An ``ingest --json`` summary: zeros and empty lists but for ``counts``."""
    base: dict[str, object] = {
        "added": 0,
        "updated": 0,
        "unchanged": 0,
        "removed": 0,
        "duplicates": [],
        "skipped": [],
        "relabelled": 0,
    }
    return {**base, **counts}


# -- ingest --source on files already indexed -----------------------------------------


def misto(tmp_path: Path) -> Path:
    folder = tmp_path / "misto"
    write(folder, "con.txt", article("Il sindaco ha parlato in piazza.", source="ANSA"))
    write(folder, "senza.txt", "Il sindaco ha parlato in consiglio.\n")
    return folder


def test_source_option_relabels_unchanged_files(backend: Backend, tmp_path: Path) -> None:
    folder = misto(tmp_path)
    backend.ingest(folder)
    assert {r["id"]: r["source"] for r in backend.rows("list", "--json")} == {
        "con": "ANSA",
        "senza": "misto",
    }
    # con.txt names its own source: --source does not apply to it, and it stays unchanged.
    assert backend.ingest("--source", "Archivio", folder) == summary(unchanged=1, relabelled=1)
    assert {r["id"]: r["source"] for r in backend.rows("list", "--json")} == {
        "con": "ANSA",
        "senza": "Archivio",
    }
    assert backend.ids("list", "--source", "Archivio", "--json") == ["senza"]
    assert backend.ids("search", "consiglio", "--source", "misto", "--json") == []
    assert backend.ids("search", "consiglio", "--json") == ["senza"]
    sources = [(r["source"], r["count"]) for r in backend.rows("sources", "--json")]
    assert sources == [("ANSA", 1), ("Archivio", 1)]
    # The same option again: nothing left to relabel.
    assert backend.ingest("--source", "Archivio", folder) == summary(unchanged=2)
    # Without the option the stored sources stay: it is not a change of the files.
    assert backend.ingest(folder) == summary(unchanged=2)
    assert backend.ids("list", "--source", "Archivio", "--json") == ["senza"]


def test_relabelling_is_said_in_the_human_summary(backend: Backend, tmp_path: Path) -> None:
    folder = misto(tmp_path)
    backend.ingest(folder)
    result = backend.run("ingest", "--source", "Archivio", str(folder))
    assert result.exit_code == 0, result.output
    assert " ".join(result.stdout.split()) == (
        "0 added, 0 updated, 1 unchanged, 1 relabelled, 0 removed, 0 duplicates, 0 skipped "
        f"→ {backend.location}"
    )


# -- exact copies ----------------------------------------------------------------------

RAPINA = "Due uomini armati hanno rapinato la banca di via Emilia a Modena."
#: The same text in other case and punctuation.
RAPINA_COPY = "DUE uomini armati hanno rapinato la banca di via Emilia, a Modena!"


def rapina(tmp_path: Path) -> Path:
    """a.txt, and b.txt: its text republished by another paper under another headline."""
    folder = tmp_path / "news"
    write(
        folder,
        "a.txt",
        article(RAPINA, source="Gazzetta", date="2023-04-19", title="Rapina in centro"),
    )
    write(
        folder,
        "b.txt",
        article(
            RAPINA_COPY,
            source="Altro Giornale",
            date="2023-04-20",
            title="Colpo in banca",
            url="https://altro.example/colpo",
        ),
    )
    return folder


def copy_of_a(folder: Path) -> dict[str, object]:
    return {
        "source": "Altro Giornale",
        "date": "2023-04-20",
        "title": "Colpo in banca",
        "path": str(folder / "b.txt"),
        "url": "https://altro.example/colpo",
        "id": "b",
    }


def copies(backend: Backend) -> dict[str, list[dict[str, object]]]:
    """Each article's id with its copies, as ``list --json`` gives them."""
    return {row["id"]: row["copies"] for row in backend.rows("list", "--json")}


def sources(backend: Backend, *args: str) -> list[tuple[str, int, str, str]]:
    rows = backend.rows("sources", "--json", *args)
    return [(r["source"], r["count"], r["first_date"], r["last_date"]) for r in rows]


def test_a_copy_is_kept_on_the_first_article(backend: Backend, tmp_path: Path) -> None:
    folder = rapina(tmp_path)
    a, b = folder / "a.txt", folder / "b.txt"
    # Still reported as a duplicate, and not added as an article of its own.
    assert backend.ingest(folder) == summary(
        added=1, duplicates=[{"path": str(b), "duplicate_of": str(a)}]
    )
    assert copies(backend) == {"a": [copy_of_a(folder)]}
    assert backend.rows("stats", "--json")[0]["articles"] == 1
    # Found by the copy's source, as an option and in the query.
    assert backend.ids("list", "--source", "Altro Giornale", "--json") == ["a"]
    assert backend.ids("search", "banca", "--source", "altro giornale", "--json") == ["a"]
    assert backend.ids("search", 'banca source:"Altro Giornale"', "--json") == ["a"]
    assert backend.ids("search", 'banca -source:"Altro Giornale"', "--json") == []
    assert backend.ids("search", "banca", "--source", "Gazzetta", "--json") == ["a"]
    # Counted for both sources, each with its own date.
    assert sources(backend) == [
        ("Altro Giornale", 1, "2023-04-20", "2023-04-20"),
        ("Gazzetta", 1, "2023-04-19", "2023-04-19"),
    ]
    assert sources(backend, "--source", "Altro Giornale") == [
        ("Altro Giornale", 1, "2023-04-20", "2023-04-20")
    ]
    assert backend.rows("stats", "--json")[0]["sources"] == {"Altro Giornale": 1, "Gazzetta": 1}
    [shown] = backend.rows("show", "a", "--json")
    assert (shown["source"], shown["copies"]) == ("Gazzetta", [copy_of_a(folder)])
    [hit] = backend.rows("search", "rapinato", "--json")
    assert hit["copies"] == [copy_of_a(folder)]


def test_show_says_who_else_published_it(backend: Backend, tmp_path: Path) -> None:
    folder = rapina(tmp_path)
    backend.ingest(folder)
    result = backend.run("show", "a")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:5] == [
        "Rapina in centro",
        "2023-04-19 · Gazzetta · a",
        "date from: “2023-04-19”",
        f"file: {folder / 'a.txt'}",
        "also published by Altro Giornale, 2023-04-20, as “Colpo in banca” "
        f"(file: {folder / 'b.txt'}, url: https://altro.example/colpo)",
    ]


def test_articles_without_copies_have_an_empty_list(backend: Backend, tmp_path: Path) -> None:
    folder = misto(tmp_path)
    backend.ingest(folder)
    assert copies(backend) == {"con": [], "senza": []}
    assert backend.rows("show", "con", "--json")[0]["copies"] == []


def test_unchanged_copies_change_nothing(backend: Backend, tmp_path: Path) -> None:
    folder = rapina(tmp_path)
    backend.ingest(folder)
    # The copy's file is stored too: not read again, so not reported again.
    assert backend.ingest(folder) == summary(unchanged=2)
    assert copies(backend) == {"a": [copy_of_a(folder)]}


def test_a_copy_in_the_same_file_is_kept_too(backend: Backend, tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    feed = write(
        folder,
        "feed.jsonl",
        '{"id": "n1", "source": "Ansa", "date": "2021-03-03", "text": "Sciopero dei treni."}\n'
        '{"id": "n2", "source": "Agi", "date": "2021-03-04", "text": "SCIOPERO dei treni!"}\n',
    )
    assert backend.ingest(folder) == summary(
        added=1, duplicates=[{"path": str(feed), "duplicate_of": str(feed)}]
    )
    assert copies(backend) == {
        "n1": [
            {
                "source": "Agi",
                "date": "2021-03-04",
                "title": None,
                "path": str(feed),
                "url": None,
                "id": "n2",
            }
        ]
    }
    assert backend.ingest(folder) == summary(unchanged=2)
    assert backend.ids("list", "--source", "Agi", "--json") == ["n1"]


def test_pruning_the_copys_file_removes_the_copy(backend: Backend, tmp_path: Path) -> None:
    folder = rapina(tmp_path)
    backend.ingest(folder)
    (folder / "b.txt").unlink()
    # Without --prune nothing is removed, the copy included.
    assert backend.ingest(folder) == summary(unchanged=1)
    assert copies(backend) == {"a": [copy_of_a(folder)]}
    assert backend.ingest("--prune", folder) == summary(unchanged=1, removed=1)
    assert copies(backend) == {"a": []}
    assert backend.ids("list", "--source", "Altro Giornale", "--json") == []
    assert sources(backend) == [("Gazzetta", 1, "2023-04-19", "2023-04-19")]


def test_a_copy_whose_original_is_pruned_becomes_an_article(
    backend: Backend, tmp_path: Path
) -> None:
    folder = rapina(tmp_path)
    backend.ingest(folder)
    (folder / "a.txt").unlink()
    assert backend.ingest("--prune", folder) == summary(added=1, removed=1)
    assert copies(backend) == {"b": []}
    [row] = backend.rows("list", "--json")
    assert (row["source"], row["title"], row["date"]) == (
        "Altro Giornale",
        "Colpo in banca",
        "2023-04-20",
    )
    assert backend.ingest(folder) == summary(unchanged=1)


def test_a_copy_whose_original_changed_text_becomes_an_article(
    backend: Backend, tmp_path: Path
) -> None:
    folder = rapina(tmp_path)
    backend.ingest(folder)
    write(
        folder,
        "a.txt",
        article(
            "Due uomini armati hanno rapinato la banca di via Emilia a Modena ieri sera.",
            source="Gazzetta",
            date="2023-04-19",
            title="Rapina in centro",
        ),
    )
    # The copy is no longer one: in the same run it is read again, as a new article.
    assert backend.ingest(folder) == summary(added=1, updated=1)
    assert copies(backend) == {"a": [], "b": []}
    assert backend.ids("list", "--source", "Altro Giornale", "--json") == ["b"]
    assert sorted(backend.ids("search", "rapinato", "--json")) == ["a", "b"]
    assert backend.ingest(folder) == summary(unchanged=2)


def test_a_copy_stays_a_copy_when_the_original_changes_elsewhere(
    backend: Backend, tmp_path: Path
) -> None:
    folder = rapina(tmp_path)
    backend.ingest(folder)
    a, b = folder / "a.txt", folder / "b.txt"
    write(folder, "a.txt", article(RAPINA, source="Gazzetta", date="2023-04-19", title="Rapina"))
    assert backend.ingest(folder) == summary(
        updated=1, duplicates=[{"path": str(b), "duplicate_of": str(a)}]
    )
    assert copies(backend) == {"a": [copy_of_a(folder)]}
    assert backend.ingest(folder) == summary(unchanged=2)


def test_a_copy_met_before_its_changed_original_is_read_again(
    backend: Backend, tmp_path: Path
) -> None:
    # The copy's file comes first in the folder: it was added after the original.
    folder = tmp_path / "news"
    z = write(folder, "z.txt", article(RAPINA, source="Gazzetta", title="Rapina in centro"))
    backend.ingest(folder)
    a = write(folder, "a.txt", article(RAPINA_COPY, source="Altro Giornale", title="Colpo"))
    assert backend.ingest(folder) == summary(
        unchanged=1, duplicates=[{"path": str(a), "duplicate_of": str(z)}]
    )
    assert [c["id"] for c in copies(backend)["z"]] == ["a"]
    write(folder, "z.txt", article("Un altro testo.", source="Gazzetta", title="Altro"))
    # a.txt is looked at first (unchanged, a copy), then z.txt takes its copy away.
    assert backend.ingest(folder) == summary(added=1, updated=1)
    assert copies(backend) == {"a": [], "z": []}
    assert backend.ingest(folder) == summary(unchanged=2)


def test_a_changed_copy_is_replaced(backend: Backend, tmp_path: Path) -> None:
    folder = rapina(tmp_path)
    backend.ingest(folder)
    a, b = folder / "a.txt", folder / "b.txt"
    write(folder, "b.txt", article(RAPINA, source="Terzo Foglio", date="2023-04-21"))
    assert backend.ingest(folder) == summary(
        updated=1, unchanged=1, duplicates=[{"path": str(b), "duplicate_of": str(a)}]
    )
    assert [(c["source"], c["date"], c["title"]) for c in copies(backend)["a"]] == [
        ("Terzo Foglio", "2023-04-21", None)
    ]
    assert backend.ids("list", "--source", "Altro Giornale", "--json") == []
    assert backend.ids("list", "--source", "Terzo Foglio", "--json") == ["a"]


def test_source_option_relabels_a_copy(backend: Backend, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    write(folder, "a.txt", article(RAPINA, source="Gazzetta"))
    write(folder, "b.txt", f"{RAPINA_COPY}\n")
    backend.ingest(folder)
    assert [c["source"] for c in copies(backend)["a"]] == ["news"]
    assert backend.ingest("--source", "Archivio", folder) == summary(unchanged=1, relabelled=1)
    assert [c["source"] for c in copies(backend)["a"]] == ["Archivio"]
    assert backend.ids("list", "--source", "Archivio", "--json") == ["a"]


def test_dups_lists_exact_copies_beside_near_duplicates(backend: Backend, tmp_path: Path) -> None:
    folder = rapina(tmp_path)
    backend.ingest(folder)
    assert backend.rows("dups", "--json") == [
        {
            "cluster": 1,
            "ids": ["a"],
            "similarity": 1.0,
            "copies": [{"of": "a", **copy_of_a(folder)}],
        }
    ]
    result = backend.run("dups")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "1 cluster of near-duplicates or exact copies",
        "",
        " 1. 1 article and 1 exact copy",
        "    2023-04-19 · Gazzetta · a  Rapina in centro",
        f"      = exact copy: 2023-04-20 · Altro Giornale · {folder / 'b.txt'}  Colpo in banca",
    ]


def test_csv_gives_the_copies_as_json_in_one_cell(backend: Backend, tmp_path: Path) -> None:
    folder = rapina(tmp_path)
    backend.ingest(folder)
    result = backend.run("list", "--format", "csv")
    assert result.exit_code == 0, result.output
    [row] = list(csv.DictReader(result.stdout.splitlines()))
    assert json.loads(row["copies"]) == [copy_of_a(folder)]


def test_an_article_that_gains_a_copy_later_is_found_as_before(
    backend: Backend, tmp_path: Path
) -> None:
    folder = tmp_path / "news"
    text = "Secondo la Tass, due uomini armati hanno rapinato la banca di via Emilia."
    write(folder, "a.txt", article(text, source="Gazzetta", date="2023-04-19", title="Rapina"))
    backend.ingest(folder)
    before = backend.rows("show", "a", "--json")
    write(folder, "b.txt", article(text.upper(), source="Altro Giornale", date="2023-04-20"))
    assert backend.ingest(folder)["duplicates"] == [
        {"path": str(folder / "b.txt"), "duplicate_of": str(folder / "a.txt")}
    ]
    [after] = backend.rows("show", "a", "--json")
    assert {**after, "copies": []} == before[0]
    # Everything indexed of the article still finds it: words, title, dates, cited outlets.
    assert backend.ids("search", "rapinato", "--json") == ["a"]
    assert backend.ids("search", "title:rapina", "--json") == ["a"]
    assert backend.ids("search", "rapin*", "--json") == ["a"]
    assert backend.ids("list", "--from", "2023-04", "--to", "2023-04", "--json") == ["a"]
    assert backend.ids("search", "banca", "--cites", "Tass", "--json") == ["a"]
    assert backend.ids("list", "--source", "Gazzetta", "--json") == ["a"]
    assert backend.ids("list", "--source", "Altro Giornale", "--json") == ["a"]
    assert backend.rows("stats", "--json")[0]["articles"] == 1


def test_pruning_an_article_and_its_copy_removes_both(backend: Backend, tmp_path: Path) -> None:
    folder = rapina(tmp_path)
    write(folder, "c.txt", article("Il consiglio comunale approva il bilancio.", source="Gazzetta"))
    backend.ingest(folder)
    (folder / "a.txt").unlink()
    (folder / "b.txt").unlink()
    # Two records removed: the article and the copy kept on it.
    assert backend.ingest("--prune", folder) == summary(unchanged=1, removed=2)
    assert copies(backend) == {"c": []}
    assert [s[0] for s in sources(backend)] == ["Gazzetta"]


def test_a_copy_outside_the_run_is_read_by_the_next_ingest_of_it(
    backend: Backend, tmp_path: Path
) -> None:
    folder = rapina(tmp_path)
    backend.ingest(folder)
    changed = "Due uomini armati hanno rapinato la banca di via Emilia a Modena ieri sera."
    write(folder, "a.txt", article(changed, source="Gazzetta", date="2023-04-19", title="Rapina"))
    assert backend.ingest(folder / "a.txt") == summary(updated=1)
    # The copy went with the article it copied; its file is no longer stored.
    assert copies(backend) == {"a": []}
    assert backend.ingest(folder) == summary(added=1, unchanged=1)
    assert sorted(copies(backend)) == ["a", "b"]
    assert backend.ids("list", "--source", "Altro Giornale", "--json") == ["b"]
