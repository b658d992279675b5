"""How often language detection (corpus_cli/text/detect.py) names an article's language.

    python bench/languages.py [--dice DIR] [--pages DIR] [--sentences DIR]

Data, none of it written for this test:

- ``--dice``: dice-modena, 1,092 Italian news articles (every one is Italian);
- ``--pages``: the saved web pages of pages-dev (a folder of .html, or its
  pages.tar.xz), labelled by their own ``<html lang>``; their text is what the HTML
  reader extracts, and the label is not shown to the detector (some labels are the
  site template's: of the 96 pages that say ``en``, 5 are German, 2 French and 1
  Bengali, as reading them shows, and are counted "wrong" here);
- ``--sentences``: a folder of ``<code>.txt`` files, one real sentence a line, such
  as the Leipzig-corpora sentences of lingua-py's ``language-testdata/sentences``
  (Apache-2.0; read from a local copy, not shipped here). They are measured one
  sentence at a time and as paragraphs of three consecutive sentences.

Prints, per language and data set: items, right, wrong (another language), unsure
(no answer: the corpus default would be used), accuracy, and the median time a
detection takes on dice-modena.
"""

from __future__ import annotations

import argparse
import statistics
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

from corpus_cli.readers.html import read_html
from corpus_cli.readers.record import RecordError
from corpus_cli.text.detect import detect
from corpus_cli.text.languages import normal_code

LANGUAGES = ("it", "en", "fr", "de", "es", "pt", "ru", "zh")
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def _row(name: str, language: str, found: list[str | None]) -> None:
    right = sum(code == language for code in found)
    unsure = sum(code is None for code in found)
    wrong = len(found) - right - unsure
    accuracy = right / len(found) if found else 0.0
    others = Counter(code for code in found if code not in (None, language)).most_common(3)
    confused = ", ".join(f"{code}:{n}" for code, n in others)
    print(
        f"| {name:<22} | {language} | {len(found):>5} | {right:>5} | {wrong:>5} | {unsure:>6} "
        f"| {accuracy:>7.1%} | {confused} |"
    )


def _pages(folder: Path) -> dict[str, list[str]]:
    if folder.is_file() or (folder / "pages.tar.xz").exists():
        archive = folder if folder.is_file() else folder / "pages.tar.xz"
        temp = Path(tempfile.mkdtemp(prefix="bench-languages-"))
        with tarfile.open(archive) as tar:
            tar.extractall(temp, filter="data")
        folder = temp
    texts: dict[str, list[str]] = {}
    for page in sorted(folder.rglob("*.htm*")):
        data = page.read_bytes()
        record = read_html(data)
        if isinstance(record, RecordError):
            continue
        label = normal_code(str(record.extra.get("page_language") or ""))
        if label is None:
            continue
        text = f"{record.title}\n{record.text}" if record.title else record.text
        texts.setdefault(label, []).append(text)
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dice", type=Path, default=SHARED / "dice-modena")
    parser.add_argument("--pages", type=Path, default=SHARED / "pages-dev")
    parser.add_argument("--sentences", type=Path, default=None)
    args = parser.parse_args()

    print("| data                   | ln | items | right | wrong | unsure | accuracy | taken for |")
    print("|---|---|---|---|---|---|---|---|")
    dice = [p.read_text(encoding="utf-8") for p in sorted(args.dice.glob("*.txt"))]
    detect(dice[0])  # the model loads once, outside the timing
    times: list[float] = []
    found: list[str | None] = []
    for text in dice:
        start = time.perf_counter()
        found.append(detect(text))
        times.append(time.perf_counter() - start)
    _row("dice-modena articles", "it", found)

    if args.pages.exists():
        for language, texts in sorted(_pages(args.pages).items()):
            if len(texts) >= 5:
                _row("pages-dev pages", language, [detect(t) for t in texts])

    if args.sentences is not None:
        for language in LANGUAGES:
            path = args.sentences / f"{language}.txt"
            if not path.exists():
                continue
            lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
            lines = [line for line in lines if line]
            paragraphs = [" ".join(lines[i : i + 3]) for i in range(0, len(lines) - 2, 3)]
            _row("3-sentence paragraphs", language, [detect(p) for p in paragraphs])
            _row("single sentences", language, [detect(s) for s in lines])

    print(f"\nmedian detection on a dice-modena article: {statistics.median(times) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
