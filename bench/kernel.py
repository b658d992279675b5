"""What a compiled kernel would buy ingest's two hot loops, measured before building one.

    pip install cython
    python bench/kernel.py [--articles 2000] [--runs 5]

The loops: ``postings.field_postings`` (an article's text field as terms, counts and
packed positions; the reading processes run it on every text) and
``segments._add_postings`` (the writer's main process gathering those postings into its
segment's term lists, a posting at a time). Their source, as it is in the package, is
compiled by Cython into a temporary folder (no type declarations added: what compiling
the Python code alone gives), and each is timed against the pure-Python function on
the same inputs: the text fields of N of bench.py's generated articles. The results
are asserted equal. Medians of the runs, each run over all N articles.

The analysis that ``field_postings`` calls (``text.languages.terms``: the word regex,
folding, the stem cache) stays Python in both: it is the same function object.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

import bench
from corpus_cli.readers import RawRecord, read_records
from corpus_cli.storage.whoosh import postings, segments

KERNEL = """
from __future__ import annotations

from pickle import dumps

from corpus_cli.storage.whoosh.postings import (
    COUNTS,
    FREQUENCY,
    PACKED,
    POSITION_ARRAYS,
    _ONCE,
    _ONCE_BELOW,
    pack_positions,
    pack_uint,
)
from corpus_cli.text.languages import terms

FieldPostings = tuple
_Postings = tuple

{field_postings}

{add_postings}
"""


def build(folder: Path) -> Any:
    """The two functions' source compiled by Cython, imported from ``folder``."""
    source = KERNEL.format(
        field_postings=inspect.getsource(postings.field_postings),
        add_postings=inspect.getsource(segments._add_postings),
    )
    (folder / "corpus_kernel.py").write_text(textwrap.dedent(source), encoding="utf-8")
    setup = (
        "from setuptools import setup; from Cython.Build import cythonize; "
        "setup(ext_modules=cythonize('corpus_kernel.py', language_level=3, quiet=True), "
        "script_args=['build_ext', '--inplace', '-q'])"
    )
    subprocess.run([sys.executable, "-c", setup], cwd=folder, check=True, capture_output=True)
    sys.path.insert(0, str(folder))
    module = importlib.import_module("corpus_kernel")
    if not str(module.__file__).endswith(".so"):
        raise SystemExit("Cython did not build an extension module")
    return module


def texts(articles: int) -> list[str]:
    folder, _, _ = bench.generated_corpus(articles)
    found = []
    for path in sorted(folder.rglob("*.txt"))[:articles]:
        for record in read_records(path):
            if isinstance(record, RawRecord):
                found.append(record.text)
    return found


def _each(corpus: list[str], function: Any, stemmed: bool, kind: str) -> None:
    for text in corpus:
        function(text, "it", stemmed, kind)


def timed(runs: int, run: Any, *arguments: Any) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run(*arguments)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    corpus = texts(args.articles)
    with tempfile.TemporaryDirectory(prefix="corpus-kernel-") as folder:
        compiled = build(Path(folder))
        rows = []
        for name, kind, stemmed in (
            ("field_postings (text, positions)", postings.POSITION_ARRAYS, True),
            ("field_postings (surface, counts)", postings.COUNTS, False),
        ):
            python = [postings.field_postings(t, "it", stemmed, kind) for t in corpus]
            made = [compiled.field_postings(t, "it", stemmed, kind) for t in corpus]
            assert made == python, name

            rows.append(
                (
                    name,
                    timed(args.runs, _each, corpus, postings.field_postings, stemmed, kind),
                    timed(args.runs, _each, corpus, compiled.field_postings, stemmed, kind),
                )
            )
        made_text = [
            postings.field_postings(t, "it", True, postings.POSITION_ARRAYS) for t in corpus
        ]

        def gather(function: Any) -> dict[bytes, Any]:
            found: dict[bytes, Any] = {}
            for docnum, made in enumerate(made_text):
                function(found, made, docnum, 1.0)
            return found

        assert gather(segments._add_postings) == gather(compiled._add_postings)
        rows.append(
            (
                "_add_postings (gathering, text field)",
                timed(args.runs, gather, segments._add_postings),
                timed(args.runs, gather, compiled._add_postings),
            )
        )
    n = len(corpus)
    print(f"{n:,} generated articles; medians of {args.runs} runs; ms per article")
    print("| loop | Python | Cython (the same source) | ratio |\n|---|---|---|---|")
    for name, python_s, cython_s in rows:
        print(
            f"| {name} | {python_s / n * 1000:.3f} | {cython_s / n * 1000:.3f} "
            f"| {cython_s / python_s:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
