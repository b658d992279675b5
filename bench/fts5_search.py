"""SQLite FTS5 baseline for bench.py: build a database from .txt articles, search it.

Usage (search, as bench.py runs it, one whole process per query):

    python bench/fts5_search.py DB QUERY [--from D] [--to D] [--sort relevance|date|-date]

It does what ``corpus search`` does on the same articles, in the plainest way SQLite
allows: count the matches, take the top hits, print each one's lead, date, source and a
highlighted snippet through Rich. Rich is imported as the CLI imports it, so both pay a
comparable start-up cost and the timing compares the search engines, not the renderers.

Differences to keep in mind when reading the numbers: FTS5 here does no stemming
(``carabinieri`` does not find ``carabiniere``), and its snippet() is one window, where
``corpus`` re-analyses the text for up to two windows.
"""

from __future__ import annotations

import argparse
import calendar
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

    from rich.text import Text

#: Same folding as a search engine for Italian needs: case and accents ignored.
TOKENIZE = "unicode61 remove_diacritics 2"

SCHEMA = f"""
CREATE TABLE docs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    date TEXT,
    source TEXT,
    url TEXT,
    lead TEXT
);
-- The date range and date sort work on this plain column, as a WHERE and an ORDER BY.
CREATE INDEX docs_date ON docs(date);
CREATE VIRTUAL TABLE fts USING fts5(body, tokenize='{TOKENIZE}');
"""

_HEADER = re.compile(r"^([A-Za-z_]+):\s*(.*)$")
_HIT_START, _HIT_END = "\x02", "\x03"


def parse_article(text: str) -> tuple[dict[str, str], str]:
    """Split ``key: value`` header lines (up to the first blank line) from the body."""
    headers: dict[str, str] = {}
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            return headers, "\n".join(lines[i + 1 :]).strip()
        match = _HEADER.match(line)
        if match is None:
            break
        headers[match.group(1).lower()] = match.group(2).strip()
    return {}, text.strip()


def lead(body: str, width: int = 70) -> str:
    """The first words of the body: what ``corpus`` shows for an article with no title."""
    flat = " ".join(body.split())
    if len(flat) <= width:
        return flat
    cut = flat.rfind(" ", 0, width)
    return flat[: cut if cut > 20 else width] + "…"


def build(db_path: Path, files: Iterable[Path]) -> int:
    """Create the database at ``db_path`` from ``files``; return the number of articles.

    Reading and parsing the files is part of the work (as it is for ``corpus ingest``);
    all inserts go in one transaction, the fastest way SQLite offers.
    """
    import sqlite3

    db_path.unlink(missing_ok=True)
    con = sqlite3.connect(db_path)
    try:
        con.executescript(SCHEMA)
        n = 0
        with con:
            for file in files:
                headers, body = parse_article(file.read_text(encoding="utf-8"))
                cur = con.execute(
                    "INSERT INTO docs (name, date, source, url, lead) VALUES (?, ?, ?, ?, ?)",
                    (
                        file.stem,
                        headers.get("date"),
                        headers.get("source"),
                        headers.get("url"),
                        lead(body),
                    ),
                )
                con.execute("INSERT INTO fts (rowid, body) VALUES (?, ?)", (cur.lastrowid, body))
                n += 1
        return n
    finally:
        con.close()


def date_bound(value: str, end: bool) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD as the first (or last) day it covers, like the CLI."""
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else (12 if end else 1)
    last_day = calendar.monthrange(year, month)[1]
    day = parts[2] if len(parts) > 2 else (last_day if end else 1)
    return f"{year:04d}-{month:02d}-{day:02d}"


def search(
    con: sqlite3.Connection,
    query: str,
    date_from: str | None,
    date_to: str | None,
    sort: str,
    limit: int,
) -> tuple[int, list[tuple[str, str, str, str, str]]]:
    """(total matches, top hits as name/date/source/lead/snippet)."""
    where = ["fts MATCH ?"]
    params: list[object] = [query]
    if date_from is not None:
        where.append("d.date >= ?")
        params.append(date_bound(date_from, end=False))
    if date_to is not None:
        where.append("d.date <= ?")
        params.append(date_bound(date_to, end=True))
    condition = " AND ".join(where)
    order = {"relevance": "fts.rank", "date": "d.date ASC", "-date": "d.date DESC"}[sort]
    join = "FROM fts JOIN docs d ON d.id = fts.rowid"
    # The CLI prints how many articles match, so this counts them all too.
    (total,) = con.execute(f"SELECT count(*) {join} WHERE {condition}", params).fetchone()
    rows = con.execute(
        f"SELECT d.name, d.date, d.source, d.lead, "
        f"snippet(fts, 0, '{_HIT_START}', '{_HIT_END}', '…', 48) "
        f"{join} WHERE {condition} ORDER BY {order} LIMIT ?",
        [*params, limit],
    ).fetchall()
    return int(total), rows


def arguments(location: str, argv: list[str] | None) -> argparse.Namespace:
    """The command line of a baseline search program: LOCATION QUERY and the CLI's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(location, type=Path)
    parser.add_argument("query")
    parser.add_argument("--from", dest="date_from")
    parser.add_argument("--to", dest="date_to")
    parser.add_argument("--sort", choices=["relevance", "date", "-date"], default="relevance")
    parser.add_argument("--limit", type=int, default=10)
    argv = list(sys.argv[1:] if argv is None else argv)
    # argparse takes "-date" in "--sort -date" for an option; click (the CLI) does not.
    # Joining the pair keeps one command line valid for both programs.
    for i, arg in enumerate(argv[:-1]):
        if arg == "--sort":
            argv[i : i + 2] = [f"--sort={argv[i + 1]}"]
            break
    return parser.parse_args(argv)


def show(query: str, total: int, hits: list[tuple[str, str | None, str | None, str, Text]]) -> None:
    """The total, then each hit's lead, date, source and highlighted snippet, through Rich
    (imported here, as the CLI imports its renderer: the cost is paid by every search)."""
    from rich.console import Console
    from rich.padding import Padding
    from rich.text import Text

    out = Console()
    noun = "article" if total == 1 else "articles"
    head = Text(f"{total} {noun} match ")
    head.append(query, style="bold")
    if len(hits) < total:
        head.append(f" (showing {len(hits)}; --limit for more)", style="dim")
    out.print(head)
    for n, (name, date, source, title, snippet) in enumerate(hits, 1):
        out.print()
        out.print(Text(f"{n:>3}. ").append(title or name, style="bold italic"))
        meta = Text("     ")
        meta.append(date or "undated").append(" · ", style="dim")
        meta.append(source or "unknown source", style="cyan").append(" · ", style="dim")
        meta.append(name, style="dim")
        out.print(meta)
        out.print(Padding(snippet, (0, 0, 0, 4), expand=False))


def main(argv: list[str] | None = None) -> int:
    args = arguments("db", argv)
    # sqlite3 is imported here, so that tantivy_search.py can share the parsing above
    # without it.
    import sqlite3

    if not args.db.is_file():
        raise SystemExit(f"fts5_search.py: no database at {args.db}")
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    total, rows = search(con, args.query, args.date_from, args.date_to, args.sort, args.limit)
    con.close()
    show(args.query, total, [(*row[:4], _highlighted(row[4])) for row in rows])
    return 0


def _highlighted(snippet: str) -> Text:
    from rich.text import Text

    text = Text()
    for i, piece in enumerate(re.split(f"[{_HIT_START}{_HIT_END}]", snippet)):
        # Markers alternate start/end, so odd pieces are the matched words.
        text.append(" ".join(piece.split("\n")), style="bold yellow" if i % 2 else "")
    return text


if __name__ == "__main__":
    sys.exit(main())
