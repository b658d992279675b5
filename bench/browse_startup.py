"""How long ``corpus browse QUERY`` takes to open, against a cold ``corpus search``.

    python bench/browse_startup.py INDEX QUERY [--runs N]

Runs ``corpus browse`` in a tmux pane of 100x30 (a real terminal), with a probe
that notes, counted from the process's own start (``/proc/self/stat``): the first
frame on the screen (search box usable), and the first hits on it; the app then
quits. The same is timed for ``corpus search QUERY`` (its whole run), the two
alternating so that both see the same machine. Both run with bench.py's environment
(bytecode cached under a prefix in /tmp, whatever PYTHONDONTWRITEBYTECODE says), and a
first unmeasured round of each fills that cache. Needs tmux.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# bench.py (this folder is sys.path[0]): the measured processes' environment.
from bench import CHILD_ENV

PROBE = r"""
import json, os, sys, time
def since_start():
    ticks = int(open("/proc/self/stat").read().rsplit(")", 1)[1].split()[19])
    uptime = float(open("/proc/uptime").read().split()[0])
    return uptime - ticks / os.sysconf("SC_CLK_TCK")
base = time.monotonic() - since_start()  # the monotonic clock at the process's start
marks = {}
from corpus_cli.browse import app as appmod
App = appmod.BrowseApp
original_mount, original_show = App.on_mount, App._show
def on_mount(self):
    original_mount(self)
    self.call_after_refresh(lambda: marks.setdefault("first_frame", time.monotonic() - base))
def _show(self, *args):
    original_show(self, *args)
    def done():
        marks.setdefault("first_hits", time.monotonic() - base)
        self.exit(0)
    self.call_after_refresh(done)
App.on_mount, App._show = on_mount, _show
from corpus_cli.cli import cli
try:
    cli(["--index", sys.argv[1], "browse", sys.argv[2]])
except SystemExit:
    pass
json.dump(marks, open(sys.argv[3], "w"))
"""


def browse_once(index: str, query: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        probe, out = Path(folder) / "probe.py", Path(folder) / "marks.json"
        probe.write_text(PROBE)
        # A tmux pane has the tmux server's environment, not this process's: say it.
        cache = CHILD_ENV["PYTHONPYCACHEPREFIX"]
        settings = ["-u", "PYTHONDONTWRITEBYTECODE", f"PYTHONPYCACHEPREFIX={cache}"]
        argv = ["env", *settings, sys.executable, str(probe), index, query]
        command = " ".join(shlex.quote(a) for a in argv)
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                "browse-startup",
                "-x",
                "100",
                "-y",
                "30",
                f"{command} {shlex.quote(str(out))}",
            ],
            check=True,
        )
        deadline = time.monotonic() + 30
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.1)
        subprocess.run(["tmux", "kill-session", "-t", "browse-startup"], capture_output=True)
        return {k: v * 1000 for k, v in json.loads(out.read_text()).items()}


def search_once(index: str, query: str) -> float:
    corpus = Path(sys.executable).with_name("corpus")
    started = time.perf_counter()
    subprocess.run(
        [str(corpus), "--index", index, "search", query], capture_output=True, env=CHILD_ENV
    )
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("index")
    parser.add_argument("query")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.pop("NO_COLOR", None)
    frames, hits, searches = [], [], []
    browse_once(args.index, args.query)
    search_once(args.index, args.query)
    for _ in range(args.runs):
        marks = browse_once(args.index, args.query)
        frames.append(marks["first_frame"])
        hits.append(marks["first_hits"])
        searches.append(search_once(args.index, args.query))
    print(f"browse, first frame:  median {statistics.median(frames):.0f} ms")
    print(f"browse, first hits:   median {statistics.median(hits):.0f} ms")
    print(f"search (cold, whole): median {statistics.median(searches):.0f} ms")
    ratio = statistics.median(f / s for f, s in zip(frames, searches, strict=True))
    print(f"first frame / search: median of the paired ratios {ratio:.2f}")


if __name__ == "__main__":
    main()
