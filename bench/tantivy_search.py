"""tantivy-py peer for bench.py: build a tantivy index from .txt articles, search it.

Usage (search, as bench.py runs it, one whole process per query):

    python bench/tantivy_search.py INDEX_DIR QUERY [--from D] [--to D] [--sort relevance|date|-date]

The same program as ``fts5_search.py``, on tantivy (Rust, through tantivy-py): count the
matches, take the top hits (BM25, or by date), print each one's lead, date, source and a
highlighted snippet through Rich, imported as the CLI imports it, so that the timing
compares the search engines, not the renderers. Articles are parsed by
``fts5_search.parse_article`` and ``fts5_search.lead``, the FTS5 baseline's own.

The index:

- ``body``: tokenized by tantivy's simple tokenizer (runs of letters and digits), then
  ``remove_long(40)``, ``lowercase``, the Snowball Italian stemmer
  (``Filter.stemmer("italian")``) and ``ascii_fold`` (accents off the stems, so that a
  query typed without them matches), registered as ``it_stem`` on the index when it is
  built and again each time it is opened (tantivy does not store analyzers). Positions
  are indexed, for phrases; the text is stored, for the snippet.
- ``date``: a date field, indexed and fast: the ``--from``/``--to`` range is a range
  query on it, ``--sort date|-date`` orders by its fast-field column.
- ``name``, ``source``, ``url``, ``lead``: stored for display (tantivy-py indexes every
  text field, so these are one ``raw`` term each; no query looks at them).

Ingest (``build``): one writer, every document added, one commit, then
``wait_merging_threads`` so that the index on disk is the final one. The writer gets a
heap of ``HEAP_BYTES`` (256 MB) and ``num_threads=0``, tantivy's own choice: one indexing
thread per CPU up to 8 (``Index::writer``), so 2 on a 2-core machine, with the heap split
between them; the calling Python thread reads and parses the files and hands documents
over to them.

Differences from ``corpus`` to keep in mind when reading the numbers: the stemmer is
Snowball's, not the CLI's light one (``carabinieri`` is ``carabinier``, ``carabiniere``
``carabin``: the term query does not find the singular, where ``corpus`` does; Snowball
also strips derivational suffixes that ``corpus`` keeps, so other words merge). There are
no stop words. Words are conjoined (``conjunction_by_default``), as in ``corpus``. The
snippet is tantivy's ``SnippetGenerator``: one fragment of at most ``SNIPPET_CHARS``
characters where ``corpus`` shows up to two windows, and it marks every word of a phrase
wherever it stands in the fragment, where ``corpus`` marks only the phrase.
"""

from __future__ import annotations

import datetime
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import tantivy

if TYPE_CHECKING:
    from rich.text import Text

#: The name the body's analyzer is registered under, on the index and in its schema.
ANALYZER = "it_stem"
#: The writer's memory budget, split among its threads; a thread writes a segment when
#: its part is full. At 10,000 articles no thread fills its part (the build peaks at ~120 MB
#: of RSS here): the commit writes one segment a thread.
HEAP_BYTES = 256 * 1024 * 1024
#: tantivy's own choice: one thread per CPU, at most 8 (fewer if the heap is small).
WRITER_THREADS = 0
#: One fragment, about one of corpus's two windows (240) and FTS5's 48 tokens.
SNIPPET_CHARS = 240

Hit = tuple[str, str | None, str | None, str, "Text"]


def analyzer() -> tantivy.TextAnalyzer:
    """Words, lower case, Snowball's Italian stems, accents folded."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stemmer("italian"))
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=True, tokenizer_name=ANALYZER, index_option="position")
    builder.add_date_field("date", stored=True, indexed=True, fast=True)
    for name in ("name", "source", "url", "lead"):
        builder.add_text_field(name, stored=True, tokenizer_name="raw", index_option="basic")
    return builder.build()


def parse_date(value: str | None) -> datetime.datetime | None:
    """An ISO day (the header's ``date:``) as midnight UTC, tantivy's date; else None."""
    if not value:
        return None
    try:
        day = datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)


def build(index_dir: Path, files: Iterable[Path]) -> int:
    """Create the index in ``index_dir`` from ``files``; return the number of articles.

    Reading and parsing the files is part of the work (as it is for ``corpus ingest``
    and ``fts5_search.build``); one writer, one commit, merges waited for.
    """
    from fts5_search import lead, parse_article

    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.mkdir(parents=True)
    index = tantivy.Index(schema(), path=str(index_dir), reuse=False)
    index.register_tokenizer(ANALYZER, analyzer())
    writer = index.writer(heap_size=HEAP_BYTES, num_threads=WRITER_THREADS)
    n = 0
    for file in files:
        headers, body = parse_article(file.read_text(encoding="utf-8"))
        doc = tantivy.Document()
        doc.add_text("name", file.stem)
        doc.add_text("body", body)
        doc.add_text("lead", lead(body))
        for key in ("source", "url"):
            if headers.get(key):
                doc.add_text(key, headers[key])
        date = parse_date(headers.get("date"))
        if date is not None:
            doc.add_date("date", date)
        writer.add_document(doc)
        n += 1
    writer.commit()
    # Consumes the writer: the merges the commit started are finished, its lock released.
    writer.wait_merging_threads()
    return n


def date_bound(value: str, end: bool) -> datetime.datetime:
    """``--from``/``--to`` as the first (or last) day it covers, as the CLI reads it."""
    from fts5_search import date_bound as iso_bound

    bound = parse_date(iso_bound(value, end))
    assert bound is not None
    return bound


def search(
    index: tantivy.Index,
    query_text: str,
    date_from: str | None,
    date_to: str | None,
    sort: str,
    limit: int,
) -> tuple[int, list[Hit]]:
    """(total matches, top hits as name/date/source/lead/highlighted snippet)."""
    searcher = index.searcher()
    query = index.parse_query(query_text, ["body"], conjunction_by_default=True)
    # The snippet is made from the words of the query alone, not from the date range.
    snippets = tantivy.SnippetGenerator.create(searcher, query, index.schema, "body")
    snippets.set_max_num_chars(SNIPPET_CHARS)
    if date_from is not None or date_to is not None:
        dates = tantivy.Query.range_query(
            index.schema,
            "date",
            tantivy.FieldType.Date,
            date_bound(date_from, end=False) if date_from is not None else tantivy.MIN_DATETIME,
            date_bound(date_to, end=True) if date_to is not None else tantivy.MAX_DATETIME,
        )
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, query), (tantivy.Occur.Must, dates)]
        )
    # The CLI prints how many articles match, so this counts them all too.
    if sort == "relevance":
        result = searcher.search(query, limit, count=True)
    else:
        order = tantivy.Order.Asc if sort == "date" else tantivy.Order.Desc
        result = searcher.search(query, limit, count=True, order_by_field="date", order=order)
    hits: list[Hit] = []
    for _score, address in result.hits:
        doc = searcher.doc(address)
        day = doc.get_first("date")
        hits.append(
            (
                doc.get_first("name") or "",
                day.date().isoformat() if day is not None else None,
                doc.get_first("source"),
                doc.get_first("lead") or "",
                _highlighted(snippets.snippet_from_doc(doc)),
            )
        )
    # The stub (tantivy.pyi, 0.27) leaves out SearchResult.count, which is there at run time.
    return int(result.count), hits  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    from fts5_search import arguments, show

    args = arguments("index", argv)
    if not (args.index / "meta.json").is_file():
        raise SystemExit(f"tantivy_search.py: no tantivy index in {args.index}")
    index = tantivy.Index.open(str(args.index))
    index.register_tokenizer(ANALYZER, analyzer())
    total, hits = search(index, args.query, args.date_from, args.date_to, args.sort, args.limit)
    show(args.query, total, hits)
    return 0


def _highlighted(snippet: tantivy.Snippet) -> Text:
    """The fragment with its matched words in bold yellow, on one line.

    tantivy's highlighted ranges are byte offsets into the UTF-8 fragment.
    """
    from rich.text import Text

    fragment = snippet.fragment().encode("utf-8")
    text = Text()
    done = 0
    for span in sorted(snippet.highlighted(), key=lambda r: r.start):
        if span.start < done:
            continue
        text.append(_one_line(fragment[done : span.start]))
        text.append(_one_line(fragment[span.start : span.end]), style="bold yellow")
        done = span.end
    text.append(_one_line(fragment[done:]))
    return text


def _one_line(piece: bytes) -> str:
    return " ".join(piece.decode("utf-8", "replace").split("\n"))


if __name__ == "__main__":
    sys.exit(main())
