"""A/B of a ranked search's query work: the top hits from block-max windows with a
bounded count (storage/whoosh/topk.py) against Whoosh's collector scoring every
match (what WhooshStore.search ran before), in one process, on one index.

    python bench/topk_ab.py INDEX [--runs 9] [--limit 10] [QUERY ...]

Both sides get the same compiled query and filter (as WhooshStore.search builds
them); runs alternate A, B, A, B... so that load on a shared machine falls on both.
Each row: the median time of each side, new / old, the total each reports (the new
one's "+" marks a lower bound) and whether both returned the same hits and scores.
Imports, opening the index and reading the hits' stored fields are outside both.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from corpus_cli.model import Filters
from corpus_cli.query import parse
from corpus_cli.query.dates import narrowed
from corpus_cli.storage.whoosh import topk
from corpus_cli.storage.whoosh.filtering import filter_query
from corpus_cli.storage.whoosh.store import WhooshStore

#: bench.py's queries (the range as a date: clause), and two more shapes.
QUERIES = [
    "carabinieri",
    '"centro commerciale"',
    "carabinieri date:2015..2016",
    "carabinieri polizia",
    "rapina OR furto",
]


def every_match(searcher: Any, compiled: Any, limit: int, narrowing: Any) -> tuple[list, int]:
    """The old path: Whoosh's top-N collector scoring and counting every match."""
    from whoosh.collectors import ScoredCollector

    collector = searcher.collector(limit=limit, optimize=False, filter=narrowing)
    child = collector
    while child is not None:  # as store.py's _count_every_match did
        if isinstance(child, ScoredCollector):
            child.replace = 0
        child = getattr(child, "child", None)
    searcher.search_with_collector(compiled, collector)
    results = collector.results()
    return [(hit.score, hit.docnum) for hit in results], len(results)


def windows(searcher: Any, compiled: Any, limit: int, narrowing: Any) -> tuple[list, int, bool]:
    allowed = None if narrowing is None else set(searcher.docs_for_query(narrowing))
    found = topk.top_hits(searcher, compiled, limit, allowed)
    return found.hits, found.total, found.exact


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("queries", nargs="*", default=QUERIES)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--limit", type=int, default=10)
    args = parser.parse_args(argv)
    store = WhooshStore.open(args.index)
    rows = []
    with store._ix.searcher() as searcher:
        articles = searcher.doc_count()
        for text in args.queries:
            query = parse(text)
            compiled = store._compiled(searcher, query, ranked=True)[0]
            narrowing = filter_query(narrowed(Filters(), query))
            old_hits, old_total = every_match(searcher, compiled, args.limit, narrowing)
            new_hits, new_total, exact = windows(searcher, compiled, args.limit, narrowing)
            a: list[float] = []
            b: list[float] = []
            for _ in range(args.runs):
                start = time.perf_counter()
                every_match(searcher, compiled, args.limit, narrowing)
                a.append(time.perf_counter() - start)
                start = time.perf_counter()
                windows(searcher, compiled, args.limit, narrowing)
                b.append(time.perf_counter() - start)
            old_ms, new_ms = statistics.median(a) * 1000, statistics.median(b) * 1000
            shown = f"{new_total:,}" + ("" if exact else "+")
            rows.append(
                (
                    text,
                    old_ms,
                    new_ms,
                    new_ms / old_ms,
                    f"{old_total:,}",
                    shown,
                    new_hits == old_hits,
                )
            )
    print(f"{articles:,} articles, top {args.limit}, {args.runs} paired runs, medians")
    print("| query | every match scored | windows | ratio | total | new total | same hits |")
    print("|---|---|---|---|---|---|---|")
    for text, old_ms, new_ms, ratio, old_total, new_total, same in rows:
        print(
            f"| `{text}` | {old_ms:.1f} ms | {new_ms:.1f} ms | {ratio:.2f} | {old_total} "
            f"| {new_total} | {'yes' if same else 'NO'} |"
        )
    return 0 if all(row[-1] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
