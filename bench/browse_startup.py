"""How long ``corpus browse QUERY`` takes to open, against a cold ``corpus search QUERY``,
both as a user sees them: from the command's launch in a terminal to the screen showing it.

    python bench/browse_startup.py INDEX QUERY [--runs N]

Each command runs in a new tmux pane of 100x30 (a real terminal) while this script
reads the pane every few milliseconds, and notes when the screen first shows:

- browse, first frame: the app's narrowing line (``dates any · source any``), drawn
  with the search box in the app's first frame;
- browse, first hits: the count line of the query's hits (``… articles match …``);
- search: its count line, at the head of its output (in the pager when the output is
  longer than the screen, as it is for a common word: what a user sees first), cold
  (``CORPUS_SERVER=off``: a whole new process, as the target is stated) and, for
  comparison, served by a warm resident process (corpus_cli/server/).

The two commands alternate, so both see the same machine, and the paired ratio of
each round is reported beside the medians. Both run with bench.py's environment
(bytecode cached under a prefix in /tmp, whatever PYTHONDONTWRITEBYTECODE says), after
one unmeasured round that fills that cache. Reading the pane costs both the same
(a tmux client every ~3 ms). Needs tmux.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

# bench.py (this folder is sys.path[0]): the measured processes' environment.
from bench import CHILD_ENV

SESSION = "browse-startup"
FIRST_FRAME = "dates any · source any"
COUNT_LINE = "articles match"


def on_screen(argv: Sequence[str], markers: Sequence[str], server: str = "off") -> dict[str, float]:
    """Milliseconds from launching ``argv`` in a new pane to each marker's first sight."""
    # A tmux pane has the tmux server's environment, not this process's: say it.
    cache = CHILD_ENV["PYTHONPYCACHEPREFIX"]
    settings = [
        *("-u", "PYTHONDONTWRITEBYTECODE", "-u", "NO_COLOR"),
        f"PYTHONPYCACHEPREFIX={cache}",
        f"CORPUS_SERVER={server}",
    ]
    command = " ".join(shlex.quote(a) for a in ["env", *settings, *argv])
    seen: dict[str, float] = {}
    started = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", SESSION, "-x", "100", "-y", "30", command],
        check=True,
    )
    try:
        while len(seen) < len(markers) and time.perf_counter() - started < 30:
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", SESSION], capture_output=True, text=True
            ).stdout
            now = (time.perf_counter() - started) * 1000
            for marker in markers:
                if marker in screen:
                    seen.setdefault(marker, now)
            time.sleep(0.003)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
        time.sleep(0.3)  # the killed processes' exit, off the next measurement
    missing = [m for m in markers if m not in seen]
    if missing:
        sys.exit(f"never shown: {missing} (is the index there, does the query match?)")
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("index")
    parser.add_argument("query")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    corpus = str(Path(sys.executable).with_name("corpus"))
    browse = [corpus, "--index", args.index, "browse", args.query]
    search = [corpus, "--index", args.index, "search", args.query]
    os.environ.pop("NO_COLOR", None)
    frames, hits, searches, served = [], [], [], []
    for round_ in range(args.runs + 1):
        opened = on_screen(browse, [FIRST_FRAME, COUNT_LINE])
        answered = on_screen(search, [COUNT_LINE])[COUNT_LINE]
        # The first round's served search starts the server (and runs in-process).
        warm = on_screen(search, [COUNT_LINE], server="on")[COUNT_LINE]
        if round_:  # the first round only fills the bytecode cache
            frames.append(opened[FIRST_FRAME])
            hits.append(opened[COUNT_LINE])
            searches.append(answered)
            served.append(warm)
    subprocess.run([corpus, "--index", args.index, "server", "stop"], capture_output=True)
    ratio = statistics.median(f / s for f, s in zip(frames, searches, strict=True))
    print(f"{'':30} {'median':>8} {'min':>6} {'max':>6}   ({args.runs} runs)")
    for label, values in [
        ("browse, first frame", frames),
        ("browse, first hits", hits),
        ("search, hits on screen", searches),
        ("search served, hits on screen", served),
    ]:
        print(
            f"{label:30} {statistics.median(values):6.0f} ms {min(values):4.0f} {max(values):6.0f}"
        )
    print(f"first frame / cold search: median of the paired ratios {ratio:.2f}")


if __name__ == "__main__":
    main()
