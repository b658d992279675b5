"""Keystroke-to-results latency of ``corpus browse``, measured inside the app.

    python bench/browse_latency.py INDEX [--gap SECONDS] [--size 100x30] [QUERY ...]

The app runs headless (Textual's test harness) on INDEX, at a real terminal size.
Each query is typed one key at a time, ``--gap`` seconds apart (0.25 s: every
keystroke gets its own search, the worst case; a fast typist's 0.05 s lets the
debounce merge keys). For each search a keystroke started, the app records the
milliseconds from the key to its hits drawn on the screen (``BrowseApp.latencies``:
debounce, search, fragments and the redraw). Also prints how long the app took from
its start to the first search's hits.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from corpus_cli.browse.app import BrowseApp

QUERIES = ["carabinieri", "rapina", "centro commerciale", "incidente stradale", "modena"]


async def measure(index: str, queries: list[str], gap: float, size: tuple[int, int]) -> None:
    started = time.perf_counter()
    app = BrowseApp(index, queries[0])
    async with app.run_test(size=size) as pilot:
        while not app.latencies:
            await asyncio.sleep(0.005)
        opened = (time.perf_counter() - started) * 1000
        print(f"open to first hits ({queries[0]!r}): {opened:.0f} ms")
        app.latencies.clear()
        for query in queries:
            app.search_box.focus()
            app.search_box.value = ""
            await asyncio.sleep(gap)
            for key in query:
                await pilot.press("space" if key == " " else key)
                await asyncio.sleep(gap)
            while app.busy:
                await asyncio.sleep(0.01)
        found = sorted(app.latencies)
        print(
            f"{len(found)} searches, keystroke to results:"
            f" median {statistics.median(found):.0f} ms,"
            f" p90 {found[int(len(found) * 0.9)]:.0f} ms, max {found[-1]:.0f} ms"
        )
        await pilot.press("ctrl+q")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("index")
    parser.add_argument("queries", nargs="*", default=QUERIES)
    parser.add_argument("--gap", type=float, default=0.25)
    parser.add_argument("--size", default="100x30")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    asyncio.run(measure(args.index, args.queries, args.gap, (width, height)))


if __name__ == "__main__":
    main()
