"""``check`` and ``repair`` on a whole corpus, the same on both backends."""

from __future__ import annotations

from pathlib import Path

from .conftest import Backend, article, write


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "notizie"
    write(folder, "uno.txt", article("La rapina in centro.", date="2023-04-01"))
    write(folder, "due.txt", article("Il sindaco in piazza.", date="2023-04-02"))
    write(folder, "copia.txt", article("La rapina in centro.", source="ANSA"))
    return folder


def test_a_whole_corpus_checks_clean_and_needs_no_repair(backend: Backend, tmp_path: Path) -> None:
    backend.ingest(corpus(tmp_path))
    checked = backend.run("check")
    assert checked.exit_code == 0, checked.output
    assert "2 articles" in checked.output and "No damage found." in checked.output
    before = backend.rows("list", "--json")
    repaired = backend.run("repair")
    assert repaired.exit_code == 0, repaired.output
    assert "nothing to repair" in repaired.output
    assert backend.rows("list", "--json") == before


def test_check_where_there_is_no_index(backend: Backend) -> None:
    for command in ("check", "repair"):
        result = backend.at(backend.new_location()).run(command)
        assert result.exit_code == 1
        assert "No " in result.output and "Traceback" not in result.output
