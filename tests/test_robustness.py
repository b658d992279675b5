"""The index behaves like a database: incremental, idempotent, and unbothered by bad input.

Every test builds its own files in ``tmp_path`` and checks what a user would check: the
JSON summary of ``ingest --json``, counts from ``stats``/``list``, visible text.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import Run, ids, json_lines, write

from corpus_cli.cli import cli
from corpus_cli.storage import open_store

ARTICLE = "Vertice tra Roma e Berlino\nI ministri hanno discusso di energia e di gas oggi.\n"


def summary(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    rows = json_lines(result)
    assert len(rows) == 1
    return rows[0]


def articles(run: Run) -> int:
    result = run("stats", "--json")
    assert result.exit_code == 0, result.output
    return int(json_lines(result)[0]["articles"])


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file of the index folder: content hash and mtime."""
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


# -- 1. incremental and idempotent ---------------------------------------------------


@pytest.fixture
def three(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    write(folder, "a.txt", "Primo articolo sul vertice\nLe navi sono arrivate nel porto.\n")
    write(folder, "b.txt", "Secondo articolo sul gas\nIl prezzo del gas è sceso ancora.\n")
    write(folder, "c.txt", "Terzo articolo sul grano\nIl raccolto di grano è stato scarso.\n")
    return folder


def test_rerun_on_unchanged_files_does_no_index_work(
    run: Run, three: Path, index_dir: Path
) -> None:
    assert summary(run("ingest", "--json", str(three)))["added"] == 3
    before = snapshot(index_dir)
    folder_mtime = index_dir.stat().st_mtime_ns
    again = summary(run("ingest", "--json", str(three)))
    assert again == {
        "added": 0,
        "updated": 0,
        "unchanged": 3,
        "removed": 0,
        "duplicates": [],
        "skipped": [],
        "relabelled": 0,
    }
    assert snapshot(index_dir) == before
    assert index_dir.stat().st_mtime_ns == folder_mtime


def test_touched_file_is_unchanged_by_its_content(run: Run, three: Path, index_dir: Path) -> None:
    run("ingest", str(three))
    before = snapshot(index_dir)
    later = (three / "a.txt").stat().st_mtime + 3600
    os.utime(three / "a.txt", (later, later))
    again = summary(run("ingest", "--json", str(three)))
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert snapshot(index_dir) == before


def test_changed_file_updates_its_article_in_place(run: Run, three: Path) -> None:
    run("ingest", str(three))
    write(three, "b.txt", "Secondo articolo sul petrolio\nIl prezzo del petrolio è salito.\n")
    again = summary(run("ingest", "--json", str(three)))
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 1, 2)
    assert sorted(ids(run("list", "--json"))) == ["a", "b", "c"]
    assert ids(run("search", "petrolio", "--json")) == ["b"]
    assert ids(run("search", "sceso", "--json")) == []
    # And once more: the update itself is now unchanged.
    assert summary(run("ingest", "--json", str(three)))["unchanged"] == 3


def test_prune_removes_the_articles_of_deleted_files(run: Run, three: Path) -> None:
    run("ingest", str(three))
    (three / "c.txt").unlink()
    kept = summary(run("ingest", "--json", str(three)))
    assert (kept["unchanged"], kept["removed"]) == (2, 0)
    assert articles(run) == 3  # without --prune the index keeps them
    pruned = summary(run("ingest", "--json", "--prune", str(three)))
    assert (pruned["unchanged"], pruned["removed"]) == (2, 1)
    assert articles(run) == 2
    assert ids(run("search", "grano", "--json")) == []


def test_prune_keeps_articles_outside_the_given_paths(
    run: Run, three: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    write(other, "d.txt", "Quarto articolo sul treno\nIl treno è partito in ritardo.\n")
    run("ingest", str(three), str(other))
    (three / "a.txt").unlink()
    assert summary(run("ingest", "--json", "--prune", str(three)))["removed"] == 1
    assert sorted(ids(run("list", "--json"))) == ["b", "c", "d"]


def test_exact_duplicates_are_indexed_once(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "dups"
    write(folder, "a.txt", ARTICLE)
    write(folder, "b.txt", ARTICLE)
    first = summary(run("ingest", "--json", str(folder)))
    assert first["added"] == 1
    assert first["duplicates"] == [
        {"path": str(folder / "b.txt"), "duplicate_of": str(folder / "a.txt")}
    ]
    # The copy is kept with the first article, so its file is unchanged too.
    second = summary(run("ingest", "--json", str(folder)))
    assert (second["added"], second["unchanged"], second["duplicates"]) == (0, 2, [])
    assert articles(run) == 1
    assert ids(run("list", "--json")) == ["a"]


def test_moved_file_with_prune_is_moved_not_a_duplicate(run: Run, three: Path) -> None:
    run("ingest", str(three))
    (three / "a.txt").rename(three / "z.txt")
    moved = summary(run("ingest", "--json", "--prune", str(three)))
    assert (moved["added"], moved["removed"], moved["duplicates"]) == (1, 1, [])
    assert sorted(ids(run("list", "--json"))) == ["b", "c", "z"]


def test_same_ids_in_one_file_are_made_unique(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "jl"
    write(
        folder,
        "feed.jsonl",
        '{"id": "x", "text": "Il primo testo parla di navi."}\n'
        '{"id": "x", "text": "Il secondo testo parla di aerei."}\n',
    )
    assert summary(run("ingest", "--json", str(folder)))["added"] == 2
    assert sorted(ids(run("list", "--json"))) == ["x", "x-2"]


def test_a_file_reached_twice_through_a_link_is_indexed_once(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "linked"
    write(folder, "a.txt", ARTICLE)
    (folder / "b.txt").symlink_to("a.txt")
    report = summary(run("ingest", "--json", str(folder)))
    assert report["added"] == 1
    assert report["duplicates"] == [
        {"path": str(folder / "b.txt"), "duplicate_of": str(folder / "a.txt")}
    ]


# -- 2. bad input next to good input ---------------------------------------------------

CP1252_TITLE = "Perché la città aspetta"
CP1252_BODY = "perché città € costa di più."
LATIN1_TITLE = "Notizie dalla città vecchia"
LATIN1_BODY = "La città è più bella d'estate."
UTF16_BODY = "Un testo scritto in UTF-16 con la parola perché."


class Messy:
    """A folder of good and bad files ingested once; the results, for many tests."""

    def __init__(self, folder: Path, index: Path, result: Result, verbose: Result) -> None:
        self.folder = folder
        self.index = index
        self.result = result
        self.verbose = verbose
        self.report = summary(result)
        self.skipped = {Path(s["path"]).name: s["reason"] for s in self.report["skipped"]}

    def run(self, *args: str) -> Result:
        return CliRunner().invoke(cli, ["--index", str(self.index), *args])


def _build_messy(folder: Path) -> None:
    rng = random.Random(7)
    write(folder, "good.txt", "date: 2023-04-19\n\n" + ARTICLE)
    write(folder, "sub/good2.md", "# Un altro titolo buono\n\nTesto del secondo articolo buono.\n")
    write(folder, "random.txt", bytes(rng.randrange(256) for _ in range(8192)))
    write(folder, "random_no_nul.txt", bytes(rng.randrange(1, 256) for _ in range(8192)))
    write(folder, "nul.txt", b"Titolo con un byte nullo\nTesto\x00 con un NUL in mezzo.\n")
    write(folder, "cp1252.txt", f"{CP1252_TITLE}\n{CP1252_BODY}\n".encode("cp1252"))
    write(folder, "latin1.txt", f"{LATIN1_TITLE}\n{LATIN1_BODY}\n".encode("latin-1"))
    write(folder, "utf16.txt", f"Titolo in sedici bit\n{UTF16_BODY}\n".encode("utf-16"))
    write(
        folder,
        "bom_crlf.txt",
        b"\xef\xbb\xbfdate: 2022-12-01\r\nsource: Ansa\r\n\r\n"
        b"Titolo con BOM e CRLF\r\nRiga uno.\r\nRiga due.\r\n",
    )
    write(folder, "empty.txt", b"")
    write(folder, "blank.txt", "  \n\t\n   \n")
    with (folder / "huge.txt").open("wb") as handle:  # sparse: quick to write
        handle.truncate(60 * 1024 * 1024)
    write(folder, "locked.txt", "Un articolo che non si può leggere\nTesto segreto qui.\n")
    write(
        folder,
        "feed.jsonl",
        '{"id": "j1", "text": "Il primo record del feed."}\n'
        '{"id": "j2", "text": "rotto\n'
        '{"id": "j3", "text": "Il terzo record del feed."}\n',
    )
    write(folder, "doc.pdf", b"%PDF-1.4 not an article")
    write(folder, "photo.png", b"\x89PNG\r\n\x1a\n")
    (folder / "sub" / "up").symlink_to("..")


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Messy]:
    root = tmp_path_factory.mktemp("messy")
    folder, index = root / "inbox", root / "index"
    _build_messy(folder)
    locked = folder / "locked.txt"
    huge = folder / "huge.txt"
    real_open = Path.open

    def spy_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        assert self.name != huge.name, "the oversized file was opened"
        if self.name == locked.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("CORPUS_INDEX", raising=False)
        # Permissions do not stop root: simulate the refusal there, use it elsewhere.
        if os.geteuid() == 0:
            mp.setattr(Path, "open", spy_open)
        else:
            locked.chmod(0)
        invoke = CliRunner().invoke
        result = invoke(cli, ["--index", str(index), "ingest", "--json", str(folder)])
        verbose = invoke(cli, ["--index", str(index), "ingest", "--verbose", str(folder)])
    yield Messy(folder, index, result, verbose)
    locked.chmod(0o644)


def test_good_files_are_ingested_beside_bad_ones(messy: Messy) -> None:
    assert messy.result.exit_code == 0
    assert sorted(ids(messy.run("list", "--json"))) == [
        "bom_crlf",
        "cp1252",
        "good",
        "good2",
        "j1",
        "j3",
        "latin1",
        "utf16",
    ]
    assert messy.report["added"] == 8


def test_each_bad_file_is_skipped_with_its_reason(messy: Messy) -> None:
    reasons = messy.skipped
    assert reasons["random.txt"] == "binary file (contains NUL bytes)"
    assert reasons["random_no_nul.txt"] == "binary file (not text in any known encoding)"
    assert reasons["nul.txt"] == "binary file (contains NUL bytes)"
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.txt"] == "no text (only blank space)"
    assert reasons["huge.txt"] == "too large (60 MB; the limit for this kind of file is 16 MB)"
    assert reasons["locked.txt"] == "cannot be read (permission denied)"
    assert reasons["feed.jsonl"].startswith("line 2: not valid JSON")
    assert reasons["up"] == "symbolic link loop (links to a folder above it)"
    assert sorted(reasons) == sorted(
        [
            "random.txt",
            "random_no_nul.txt",
            "nul.txt",
            "empty.txt",
            "blank.txt",
            "huge.txt",
            "locked.txt",
            "feed.jsonl",
            "up",
        ]
    )


def test_other_formats_are_ignored_quietly_and_listed_with_verbose(messy: Messy) -> None:
    assert "doc.pdf" not in messy.skipped and "photo.png" not in messy.skipped
    assert messy.verbose.exit_code == 0
    lines = messy.verbose.stdout.splitlines()
    assert any(
        line.split()
        == ["ignored", str(messy.folder / "doc.pdf"), "(not", "an", "article", "format)"]
        for line in lines
    )
    assert any(str(messy.folder / "photo.png") in line for line in lines)


def test_legacy_encodings_are_decoded(messy: Messy) -> None:
    cp1252 = json_lines(messy.run("show", "cp1252", "--json"))[0]
    assert (cp1252["title"], cp1252["text"]) == (CP1252_TITLE, CP1252_BODY)
    latin1 = json_lines(messy.run("show", "latin1", "--json"))[0]
    assert (latin1["title"], latin1["text"]) == (LATIN1_TITLE, LATIN1_BODY)
    assert sorted(ids(messy.run("search", "città", "--json"))) == ["cp1252", "latin1"]


def test_utf16_with_bom_is_decoded(messy: Messy) -> None:
    row = json_lines(messy.run("show", "utf16", "--json"))[0]
    assert row["text"] == UTF16_BODY
    assert ids(messy.run("search", "sedici", "--json")) == ["utf16"]


def test_utf8_bom_and_crlf_headers_are_parsed(messy: Messy) -> None:
    row = json_lines(messy.run("show", "bom_crlf", "--json"))[0]
    assert (row["date"], row["source"], row["title"]) == (
        "2022-12-01",
        "Ansa",
        "Titolo con BOM e CRLF",
    )
    assert row["text"] == "Riga uno.\nRiga due."
    assert "\r" not in json.dumps(row)


def test_a_second_run_over_the_messy_folder_adds_nothing(messy: Messy) -> None:
    # The verbose run was the second one.
    assert messy.verbose.stdout.startswith("0 added, 0 updated, 8 unchanged, 0 removed")


def test_stats_of_an_index_with_no_article_yet(run: Run, tmp_path: Path) -> None:
    # What an ingest leaves when it is killed before its first commit, or when it
    # could read nothing: an index folder with no article in it.
    write(tmp_path / "bad", "empty.txt", b"")
    assert run("ingest", str(tmp_path / "bad")).exit_code == 1
    result = run("stats", "--json")
    assert result.exit_code == 0, result.output
    assert json_lines(result)[0]["articles"] == 0
    assert run("list", "--json").stdout == ""
    assert run("search", "gas", "--json").exit_code == 0


def test_stats_of_undated_articles_over_several_commits(run: Run, three: Path) -> None:
    run("ingest", str(three))
    write(three, "d.txt", "Quarto articolo senza data\nNessuna data qui dentro.\n")
    run("ingest", str(three))
    result = run("stats", "--json")
    assert result.exit_code == 0, result.output
    assert json_lines(result)[0]["articles"] == 4


def test_oversized_file_is_skipped_without_reading_it(run: Run, tmp_path: Path) -> None:
    # An article over its cap is skipped unread; a feed has no cap, and 65 MB of
    # zeros is found binary from its first megabyte, never read whole.
    folder = tmp_path / "big"
    folder.mkdir()
    with (folder / "huge.txt").open("wb") as handle:
        handle.truncate(60 * 1024 * 1024)
    write(folder, "huge.jsonl", b"")
    with (folder / "huge.jsonl").open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)
    tracemalloc.start()
    try:
        result = run("ingest", "--json", str(folder))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.exit_code == 1  # nothing could be read
    reasons = {Path(s["path"]).name: s["reason"] for s in json_lines(result)[0]["skipped"]}
    assert reasons == {
        "huge.txt": "too large (60 MB; the limit for this kind of file is 16 MB)",
        "huge.jsonl": "binary file (contains NUL bytes)",
    }
    assert peak < 16 * 1024 * 1024


def test_exit_code_is_1_only_when_nothing_could_be_read(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "locked"
    write(folder, "a.txt", ARTICLE)
    write(folder, "b.txt", "Un altro articolo chiuso\nAnche questo testo è chiuso.\n")
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.parent == folder:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    if os.geteuid() == 0:
        monkeypatch.setattr(Path, "open", refuse)
    else:
        for file in folder.iterdir():
            file.chmod(0)
    result = run("ingest", "--json", str(folder))
    assert result.exit_code == 1
    assert [s["reason"] for s in json_lines(result)[0]["skipped"]] == [
        "cannot be read (permission denied)"
    ] * 2
    assert result.stderr.strip() == "corpus: no file could be read."


def test_a_partly_broken_feed_alone_is_a_success(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    write(folder, "feed.jsonl", '{"id": "ok", "text": "Un record buono."}\n{nope\n')
    result = run("ingest", "--json", str(folder))
    assert result.exit_code == 0, result.output
    report = json_lines(result)[0]
    assert report["added"] == 1
    assert report["skipped"] == [
        {
            "path": str(folder / "feed.jsonl"),
            "reason": "line 2: not valid JSON (Expecting property name enclosed in double quotes)",
        }
    ]


def test_missing_path_is_reported_and_fails(run: Run, tmp_path: Path) -> None:
    result = run("ingest", "--json", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert json_lines(result)[0]["skipped"] == [
        {"path": str(tmp_path / "nowhere"), "reason": "no such file or folder"}
    ]


def test_folder_of_other_formats_only_is_not_an_error(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "pics"
    write(folder, "a.png", b"\x89PNG")
    result = run("ingest", str(folder))
    assert result.exit_code == 0
    assert "1 other file ignored (--verbose lists them)" in result.stdout


# -- 4. a second writer ---------------------------------------------------------------


def test_a_second_ingest_while_one_writes_is_refused_plainly(
    run: Run, three: Path, index_dir: Path, tmp_path: Path
) -> None:
    run("ingest", str(three))
    new = tmp_path / "new"
    write(new, "n.txt", "Un articolo nuovo di zecca\nArriva mentre un altro scrive.\n")
    batch = open_store(index_dir).begin()
    try:
        refused = run("ingest", str(new))
        # Reading needs no lock, and neither does a run that finds nothing to do.
        searched = run("search", "gas", "--json")
        idle = run("ingest", "--json", str(three))
    finally:
        batch.abort()
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"corpus: Another 'corpus ingest' is writing to {index_dir}")
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "Traceback" not in refused.output
    assert ids(searched) == ["b"]
    assert summary(idle)["unchanged"] == 3
    # The lock is gone with the writer: the same ingest now works.
    assert summary(run("ingest", "--json", str(new)))["added"] == 1


# -- 5. hostile text and queries -----------------------------------------------------

HOSTILE_TITLE = "Titolo \x1b]0;pwned\x07 [bold red]rosso[/] \x9b31m fine"
HOSTILE_BODY = (
    "Testo ostile \x1b[2J\x1b[31m rosso [link=http://x]clic[/link] e \x07 campanello "
    "e \x9b1;1H e \x1bP1$qm\x1b\\ fine esercitazioni."
)
_SGR = re.compile(r"\x1b\[[0-9;]*m")


def test_control_bytes_and_markup_in_articles_never_reach_the_terminal(
    run: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "hostile"
    write(folder, "evil.txt", f"{HOSTILE_TITLE}\n{HOSTILE_BODY}\n")
    assert summary(run("ingest", "--json", str(folder)))["added"] == 1
    row = json_lines(run("show", "evil", "--json"))[0]
    assert row["title"] == HOSTILE_TITLE  # stored as it came: it is the output that is safe
    for args in (
        ["search", "esercitazioni"],
        ["list"],
        ["show", "evil"],
        ["show", "evil", "-q", "rosso"],
    ):
        result = run(*args, env={"FORCE_COLOR": "1"})
        assert result.exit_code == 0, result.output
        assert "\x1b[" in result.stdout  # colour is on: the check below means something
        plain = _SGR.sub("", result.stdout)
        assert not {"\x1b", "\x07", "\x9b"} & set(plain), (args, plain)
        assert "[bold red]rosso[/]" in plain
        if args[0] != "list":
            assert "[link=http://x]clic[/link]" in plain


def test_control_bytes_in_an_error_message_never_reach_the_terminal(run: Run, three: Path) -> None:
    run("ingest", str(three))
    result = run("show", "\x1b]0;pwned\x07\x9b2J", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 1
    plain = _SGR.sub("", result.stderr)
    assert plain.startswith("corpus: No article with id ")
    assert not {"\x1b", "\x07", "\x9b"} & set(plain), repr(plain)


MALFORMED_QUERIES = [
    '"esercitazioni',
    "(navi OR gas",
    "AND",
    "NOT",
    "OR",
    "NOT gas",
    "foo:bar",
    "x" * 5000,
    "gas " * 1250,
    "[a TO",
    "date:[2020 TO",
    "*",
    "~",
    '""',
    "gas~99",
    "title:",
    ")",
    "\x1b]0;x\x07",
    "gas\x00navi",
]


@pytest.mark.parametrize("query", MALFORMED_QUERIES, ids=lambda q: repr(q[:20]))
def test_malformed_queries_never_crash(run: Run, three: Path, query: str) -> None:
    run("ingest", str(three))
    result = run("search", query)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("corpus: "), result.stderr
        assert not {"\x1b", "\x07"} & set(result.stderr)


def _refusal(index_dir: Path) -> str:
    return (
        f"corpus: The index at {index_dir} is writable by other users; "
        f"run 'chmod 700 {index_dir}' if you trust its contents.\n"
    )


@pytest.mark.parametrize("command", ["search", "list", "show", "stats"])
def test_an_index_others_can_write_is_refused(
    run: Run, three: Path, index_dir: Path, command: str
) -> None:
    run("ingest", str(three))
    index_dir.chmod(0o777)
    args = {"search": ["search", "gas"], "show": ["show", "a"]}.get(command, [command])
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr == _refusal(index_dir)


def test_ingest_into_an_index_others_can_write_says_why(
    run: Run, three: Path, index_dir: Path
) -> None:
    run("ingest", str(three))
    index_dir.chmod(0o777)
    result = run("ingest", str(three))
    assert result.exit_code == 1
    assert result.stderr == _refusal(index_dir)


# -- found in review -----------------------------------------------------------------


def test_a_file_reverted_to_an_earlier_version_is_indexed_again(run: Run, three: Path) -> None:
    path = three / "a.txt"
    first = path.read_text(encoding="utf-8")
    run("ingest", str(three))
    path.write_text("Primo articolo cambiato\nOra si parla di treni.\n", encoding="utf-8")
    assert summary(run("ingest", "--json", str(three)))["updated"] == 1
    path.write_text(first, encoding="utf-8")
    assert summary(run("ingest", "--json", str(three)))["updated"] == 1
    assert ids(run("search", "navi", "--json")) == ["a"]
    assert ids(run("search", "treni", "--json")) == []


def test_prune_twice_changes_nothing_the_second_time(
    run: Run, three: Path, index_dir: Path
) -> None:
    run("ingest", str(three))
    (three / "c.txt").unlink()
    assert summary(run("ingest", "--json", "--prune", str(three)))["removed"] == 1
    before = snapshot(index_dir)
    again = summary(run("ingest", "--json", "--prune", str(three)))
    assert (again["removed"], again["unchanged"]) == (0, 2)
    assert snapshot(index_dir) == before


def test_malformed_urls_cost_nothing_but_the_site_name(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "urls"
    write(folder, "bad.txt", "url: http://[bad\n\nUn articolo con un indirizzo rotto.\n")
    write(
        folder,
        "page.html",
        '<html><head><link rel="canonical" href="http://[x"><title>Pagina</title></head>'
        "<body><article><p>Il consiglio comunale ha approvato il bilancio dopo una lunga "
        "discussione sulle tariffe dei trasporti pubblici e sulle scuole.</p></article>"
        "</body></html>",
    )
    report = summary(run("ingest", "--json", str(folder)))
    assert (report["added"], report["skipped"]) == (2, [])
    assert json_lines(run("show", "bad", "--json"))[0]["source"] == "urls"


def test_an_index_is_never_made_in_a_folder_of_other_files(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    write(folder, "letter.txt", "Caro amico, ti scrivo.\n")
    mode = folder.stat().st_mode
    result = CliRunner().invoke(cli, ["--index", str(folder), "ingest", str(folder)])
    assert result.exit_code == 2
    assert "holds other files" in result.stderr
    assert folder.stat().st_mode == mode
    assert sorted(p.name for p in folder.iterdir()) == ["letter.txt"]


def test_an_index_of_the_older_analysis_says_to_ingest_again(
    run: Run, three: Path, index_dir: Path
) -> None:
    # Schema 6 indexed Snowball stems: searching it with light stems would miss words.
    assert run("ingest", str(three)).exit_code == 0
    (index_dir / "corpus-schema").write_text("6\n", encoding="ascii")
    for command in (["search", "modena"], ["ingest", str(three)], ["stats"]):
        result = run(*command)
        assert result.exit_code == 1
        assert result.stderr == (
            f"corpus: The index at {index_dir} was built by an older version of corpus, with "
            "another analysis of the words; delete the folder and run 'corpus ingest' on your "
            "files again to rebuild it.\n"
        )
