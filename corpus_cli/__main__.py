"""The ``corpus`` process: the console script and ``python -m corpus_cli`` start here."""

import gc


def main() -> None:
    import sys

    from corpus_cli.server.client import run

    # A read-only command goes to the index's warm server when there is one.
    served = run(sys.argv)
    if served is not None:
        sys.exit(served)
    # A command runs for well under a second and allocates about a million objects,
    # most of them importing Click, Rich and Whoosh. With Python's default
    # thresholds the collector walks all of them again every 70,000 allocations,
    # and once more at exit. On a cold search of 10,000 articles the two settings
    # below took ~50-80 ms off ~400. Ingest still collects: every 20,000
    # allocations, and fully every 2 million.
    gc.set_threshold(20_000, 10, 10)
    from corpus_cli.cli import cli

    try:
        cli()
    finally:
        # What is left at exit is freed with the process; no need to walk it.
        gc.freeze()


if __name__ == "__main__":
    main()
