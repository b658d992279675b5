"""A damaged Whoosh index: found by check, named by every command, rebuilt by repair.

Files of a three-segment index are damaged at offsets drawn from a seeded random
(truncated, a byte flipped, deleted, the table of contents overwritten). Whatever
the damage, no command shows a traceback; ``check`` finds it; ``repair`` brings
back exactly the articles a clean ingest of the surviving files makes.

``CORPUS_DAMAGE_SEEDS=50 pytest tests/test_damage.py`` tries 50 offsets of each kind
instead of 3.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from corpus_cli.cli import cli

WORDS = ["rapina", "Modena", "carabinieri", "furto", "sindaco", "scuola", "neve", "treno"]


def corpus(root: Path) -> list[Path]:
    """Three folders, ingested one at a time: one segment each."""
    rng = random.Random(15)
    folders = []
    for f in range(3):
        folder = root / f"part{f}"
        folder.mkdir(parents=True)
        for i in range(12):
            body = " ".join(rng.choice(WORDS) for _ in range(40))
            (folder / f"a{f}_{i:02d}.txt").write_text(
                f"date: 2023-0{f + 1}-{i + 1:02d}\n\nTitolo {f} {i}\n{body} parola{f}x{i}.\n",
                encoding="utf-8",
            )
        folders.append(folder)
    # The same text in two files: one is kept as a copy of the other.
    (folders[2] / "copy.txt").write_text(
        (folders[0] / "a0_00.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return folders


def run(index: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--index", str(index), *args])


def build(index: Path, folders: list[Path]) -> None:
    for folder in folders:
        assert run(index, "ingest", str(folder)).exit_code == 0


def state(index: Path) -> tuple[list[tuple[str, str]], list[str], int]:
    """(id, title) of every article, the ids a search finds, the copies listed."""
    listed = run(index, "list", "--json")
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(line) for line in listed.output.splitlines()]
    found = run(index, "search", "rapina OR neve", "--json", "--limit", "all")
    assert found.exit_code == 0, found.output
    hits = sorted(json.loads(line)["id"] for line in found.output.splitlines())
    copies = sum(len(r.get("copies") or []) for r in rows)
    return sorted((r["id"], r["title"]) for r in rows), hits, copies


def one_sentence(result: Result) -> None:
    assert "Traceback" not in result.output and "unexpected error" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def segment_files(index: Path) -> list[Path]:
    return sorted(p for p in index.iterdir() if re.match(r"corpus_[0-9a-z]+\.", p.name))


def damage(index: Path, kind: str, rng: random.Random) -> str:
    if kind == "toc":
        toc = next(index.glob("_corpus_*.toc"))
        toc.write_bytes(rng.randbytes(toc.stat().st_size))
        return toc.name
    if kind == "toc-flip":
        toc = next(index.glob("_corpus_*.toc"))
        data = toc.read_bytes()
        at = rng.randrange(len(data))
        toc.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :])
        return toc.name
    if kind == "record":
        # The record of a segment's files, altered so that it still parses.
        target = rng.choice(sorted(index.glob("sources-*.json")))
        data = target.read_bytes()
        at = data.index(b"a", rng.randrange(len(data) // 2))
        target.write_bytes(data[:at] + b"b" + data[at + 1 :])
        return target.name
    target = rng.choice(segment_files(index))
    data = target.read_bytes()
    if kind == "truncate":
        target.write_bytes(data[: rng.randrange(len(data))])
    elif kind == "flip":
        at = rng.randrange(len(data))
        target.write_bytes(data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :])
    else:
        target.unlink()
    return target.name


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], tuple[object, ...]]:
    root = tmp_path_factory.mktemp("damage")
    folders = corpus(root / "files")
    build(root / "clean", folders)
    return folders, state(root / "clean")


@pytest.mark.parametrize("seed", range(int(os.environ.get("CORPUS_DAMAGE_SEEDS", "3"))))
@pytest.mark.parametrize("kind", ["truncate", "flip", "delete", "toc", "toc-flip", "record"])
def test_damage_is_found_named_and_repaired(
    tmp_path: Path, clean: tuple[list[Path], tuple[object, ...]], kind: str, seed: int
) -> None:
    folders, expected = clean
    index = tmp_path / "index"
    build(index, folders)
    assert run(index, "check").exit_code == 0
    name = damage(index, kind, random.Random(f"{kind}{seed}"))

    commands = [["search", "rapina"], ["stats"], ["list"], ["sources"], ["show", "a1_03"]]
    for command in [*commands, ["ingest", str(folders[1])]]:
        result = run(index, *command)
        one_sentence(result)
        if result.exit_code != 0:
            # One sentence (the terminal may wrap it), naming the command that mends it.
            message = " ".join(result.output.split())
            assert message.count(". ") == 0 and "corpus repair" in message, message

    checked = run(index, "check")
    one_sentence(checked)
    assert checked.exit_code == 1, (name, checked.output)
    assert "damaged:" in checked.output

    repaired = run(index, "repair")
    one_sentence(repaired)
    assert repaired.exit_code == 0, repaired.output
    assert state(index) == expected
    assert run(index, "check").exit_code == 0


def test_files_gone_are_reported_and_the_rest_restored(tmp_path: Path) -> None:
    folders = corpus(tmp_path / "files")
    index = tmp_path / "index"
    build(index, folders)
    # The segment of the first folder is damaged, and that folder's files are gone.
    # (The third folder's segment names a0_00 too: the article was written again
    # there when copy.txt became its copy.)
    first = next(
        record
        for record in sorted(index.glob("sources-*.json"))
        if str(folders[0]) in (text := record.read_text(encoding="utf-8"))
        and str(folders[2]) not in text
    )
    segment = first.name.removeprefix("sources-").removesuffix(".json")
    (index / f"{segment}.pst").unlink()
    for path in folders[0].iterdir():
        path.unlink()
    repaired = run(index, "repair")
    one_sentence(repaired)
    assert repaired.exit_code == 1
    assert repaired.output.count("lost:") == 12
    expected = tmp_path / "expected"
    build(expected, folders[1:])
    assert state(index) == state(expected)
    assert run(index, "check").exit_code == 0


def test_an_index_without_checksums_still_opens_and_checks(tmp_path: Path) -> None:
    folders = corpus(tmp_path / "files")
    index = tmp_path / "index"
    build(index, folders[:1])
    for record in index.glob("checksums-*.json"):
        record.unlink()
    assert run(index, "search", "rapina").exit_code == 0
    checked = run(index, "check")
    assert checked.exit_code == 0 and "predates checksums" in checked.output
    # The next commit records them.
    build(index, folders[1:2])
    assert list(index.glob("checksums-*.json"))
    assert "predates" not in run(index, "check").output


def test_an_index_older_than_the_records_is_repaired_from_its_stored_fields(
    tmp_path: Path, clean: tuple[list[Path], tuple[object, ...]]
) -> None:
    folders, expected = clean
    index = tmp_path / "index"
    build(index, folders)
    for record in [*index.glob("checksums-*.json"), *index.glob("sources-*.json")]:
        record.unlink()
    postings = sorted(index.glob("*.pst"))[1]
    postings.write_bytes(postings.read_bytes()[: postings.stat().st_size // 2])
    searched = run(index, "search", "rapina")
    one_sentence(searched)
    checked = run(index, "check")
    assert checked.exit_code == 1 and "predates checksums" in checked.output
    repaired = run(index, "repair")
    assert repaired.exit_code == 0, repaired.output
    assert state(index) == expected


def test_a_lost_table_of_contents_with_no_records_is_left_alone(tmp_path: Path) -> None:
    folders = corpus(tmp_path / "files")
    index = tmp_path / "index"
    build(index, folders[:1])
    for record in [*index.glob("checksums-*.json"), *index.glob("sources-*.json")]:
        record.unlink()
    toc = next(index.glob("_corpus_*.toc"))
    toc.write_bytes(b"\x00" * 64)
    before = sorted(p.name for p in index.iterdir())
    repaired = run(index, "repair")
    one_sentence(repaired)
    assert repaired.exit_code == 1
    assert "delete the folder and run 'corpus ingest'" in " ".join(repaired.output.split())
    assert sorted(p.name for p in index.iterdir()) == before


def test_a_commit_landing_while_the_index_opens_is_no_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search that lists the last commit while an ingest makes the next one finds
    that commit's table of contents gone when it reads it: it opens the new commit.

    The ingest runs in its own process, between the moment the search lists the
    commits and the moment it reads one, as it did in a test that killed ingests.
    """
    import subprocess
    import sys

    from whoosh.index import TOC

    from corpus_cli.query import parse
    from corpus_cli.storage import open_store

    index = tmp_path / "index"
    folders = corpus(tmp_path / "news")
    build(index, folders[:2])
    listed = TOC._latest_generation.__func__
    landed: list[int] = []

    def stale_listing(toc: type[TOC], storage: object, indexname: str) -> int:
        generation: int = listed(toc, storage, indexname)
        if not landed:
            env = {**os.environ, "CORPUS_SERVER": "off"}
            argv = [sys.executable, "-m", "corpus_cli", "--index", str(index), "ingest"]
            done = subprocess.run([*argv, str(folders[2])], env=env, capture_output=True)
            assert done.returncode == 0, done.stderr
            landed.append(generation)
        return generation

    monkeypatch.setattr(TOC, "_latest_generation", classmethod(stale_listing))
    store = open_store(index)
    assert landed  # the commit did land in the middle
    # The new commit's articles are there: the third folder's word finds its article.
    assert [hit.article.id for hit in store.search(parse("parola2x3")).hits] != []
