"""What a search process loads: start-up is most of a cold search."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import Run

SEARCH = """
import sys
from corpus_cli.cli import cli
try:
    cli(["--index", sys.argv[1], "search", "esercitazioni"])
except SystemExit as exit:
    assert exit.code == 0, exit.code
heavy = [
    "urllib.request", "asyncio", "whoosh.lang.morph_en", "whoosh.qparser", "trafilatura",
    "textual",  # corpus browse alone needs it
]
print(" ".join(name for name in heavy if name in sys.modules) or "none")
"""


def test_search_loads_none_of_the_modules_it_never_uses(seeded: Run, index_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SEARCH, str(index_dir)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "none"


def test_help_lists_browse_without_loading_textual() -> None:
    code = (
        "import sys\n"
        "from corpus_cli.cli import cli\n"
        "try:\n"
        "    cli(['--help'])\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "  browse " in result.stdout
    assert result.stdout.splitlines()[-1] == "False"


def test_whoosh_still_reaches_what_was_left_out() -> None:
    code = (
        "import corpus_cli.storage.whoosh.analyzer, urllib.request, whoosh.compat,"
        " whoosh.query.terms;"
        "print(urllib.request.Request.__name__, sorted(whoosh.query.terms.variations('run'))[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["Request", "ran"]
