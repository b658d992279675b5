"""Exact copies kept as copies of the first article, and ``ingest --source`` relabelling."""

from __future__ import annotations

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
