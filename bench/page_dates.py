"""How often `corpus` dates a real saved web page right, wrong, or not at all.

    python bench/page_dates.py [--pages DIR] [--truth FILE] [--wrong] [--none] [--json]

Reads ``pages.tar.xz`` and ``truth.json`` from ``../shared/corpora/pages-dev/`` (or
``--pages``), extracts the pages to a temporary folder and runs the product's own reading
in-process (``read_records`` then ``resolve``, what ``corpus ingest`` does for each file),
then compares each article's date with the known publication day. ``--pages`` may also be
a plain folder of saved pages, with ``--truth`` naming their expected days (a JSON object
``{"file name": {"date": "YYYY-MM-DD", "url": ...}}``, default ``DIR/truth.json``): pages
gathered elsewhere are measured the same way. The pages' URLs in
``truth.json`` are *not* given to the product: a saved page only has what is inside it.

A page is "right" when its date has day precision and is the known day, "wrong" when its
date (of any precision) does not contain the known day, and "none" when it is undated or
dated only to a month or year that contains the known day (coarser than a day). Rows per
language come from ``<html lang>`` (``?`` when absent). The split "held-out" is every 4th
page in sorted file-name order (files 3, 7, 11, ...), which no rule was tuned on; "tuned"
is the rest.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import shutil
import sys
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from corpus_cli.readers import RawRecord, read_records, resolve
from corpus_cli.readers.page_guess import changed_days, days_written

BENCH = Path(__file__).resolve().parent
PAGES_DEV = BENCH.parent.parent / "shared" / "corpora" / "pages-dev"
# Pages were saved in 2019-2020: any later "today" is the same for them, but a fixed one
# keeps the figures from moving with the calendar.
TODAY = datetime.date(2026, 12, 1)
_LANG = re.compile(rb"<html[^>]*?\slang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


@dataclass
class Outcome:
    name: str
    lang: str
    truth: str
    found: str | None
    precision: str | None
    evidence: str | None
    verdict: str  # "right", "wrong" or "none"
    heldout: bool
    #: For a wrong date, whether the expected day is one the page itself gives as its last
    #: change, or one it does not write anywhere (see :func:`_disputed`); else "".
    disputed: str = ""


def _verdict(truth: str, value: str | None, precision: str | None) -> str:
    if value is None:
        return "none"
    if precision == "day":
        return "right" if value == truth else "wrong"
    # a month or year date is not wrong when its period holds the day
    return "none" if truth.startswith(value) else "wrong"


CHANGE = "the page's last change"
NOWHERE = "nowhere on the page"
CLOCK = "the page's moment in UTC"
_MOMENT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})"
)


def _in_utc(text: str, found: str, truth: str) -> bool:
    """Whether the page states a moment (a time with its zone) on our day whose day in UTC
    is the expected day: a label kept in UTC (as aggregators keep dates), where the page's
    own calendar gives our day."""
    for match in _MOMENT.finditer(text):
        year, month, day, hour, minute, zone = match.groups()
        if f"{year}-{month}-{day}" != found:
            continue
        offset = 0 if zone == "Z" else int(zone[0] + "1") * (int(zone[1:3]) * 60 + int(zone[-2:]))
        local = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute))
        if (local - datetime.timedelta(minutes=offset)).date().isoformat() == truth:
            return True
    return False


def _disputed(path: Path, truth: str, found: str | None, evidence: str | None) -> str:
    """Why a wrong date may be the label's rather than the reader's: the expected day is
    one the page gives as its last change, or a day the page does not write anywhere (in
    its markup or its words), so that nothing in the saved page could give it."""
    import html as html_entities

    from trafilatura import load_html

    if found is None or (evidence or "").endswith("(htmldate)"):
        return ""  # a guess from the page's words: nothing the page states is ours
    data = path.read_bytes()
    tree = load_html(data)
    text = html_entities.unescape(data.decode("utf-8", "replace"))
    if truth in changed_days(tree):
        return CHANGE
    if truth not in days_written(text):
        return NOWHERE
    if _in_utc(text, found, truth):
        return CLOCK
    return ""


def measure(folder: Path, truth: dict[str, dict[str, str]]) -> list[Outcome]:
    outcomes = []
    for index, name in enumerate(sorted(truth)):
        path = folder / name
        if path.suffix not in (".html", ".htm"):
            # one saved page has no extension: ingest would skip it, a user would rename it
            path = path.rename(path.with_name(name + ".html"))
        head = path.read_bytes()[:4000]
        lang_match = _LANG.search(head)
        lang = lang_match[1].decode().lower() if lang_match else "?"
        value = precision = evidence = None
        for record in read_records(path):
            if isinstance(record, RawRecord):
                article = resolve(
                    record, id=name, path=str(path), fallback_source="pages", today=TODAY
                )
                if article.date is not None:
                    value = article.date.value
                    precision = article.date.precision
                    evidence = article.date.evidence
            break
        verdict = _verdict(truth[name]["date"], value, precision)
        expected = truth[name]["date"]
        disputed = _disputed(path, expected, value, evidence) if verdict == "wrong" else ""
        outcomes.append(
            Outcome(
                name=name,
                lang=lang,
                truth=truth[name]["date"],
                found=value,
                precision=precision,
                evidence=evidence,
                verdict=verdict,
                heldout=index % 4 == 3,
                disputed=disputed,
            )
        )
    return outcomes


def _row(label: str, items: list[Outcome]) -> str:
    counts = Counter(item.verdict for item in items)
    total = len(items) or 1
    cells = [f"{counts[v]:4d} {100 * counts[v] / total:5.1f}%" for v in ("right", "wrong", "none")]
    return f"{label:<10} {len(items):5d}   " + "   ".join(cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=PAGES_DEV)
    parser.add_argument("--truth", type=Path, help="expected days (default: DIR/truth.json)")
    parser.add_argument("--wrong", action="store_true", help="list the wrong dates")
    parser.add_argument("--none", action="store_true", help="list the pages left undated")
    parser.add_argument("--json", action="store_true", help="one JSON object per page")
    args = parser.parse_args(argv)

    truth_file = args.truth or args.pages / "truth.json"
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="page-dates-") as tmp:
        archive_path = args.pages / "pages.tar.xz"
        if archive_path.exists():
            with tarfile.open(archive_path) as archive:
                archive.extractall(tmp, filter="data")
        else:
            # measure() renames pages without an extension: work on copies
            shutil.copytree(args.pages, tmp, dirs_exist_ok=True)
        folder = next(Path(tmp).rglob(next(iter(truth)))).parent
        outcomes = measure(folder, truth)

    if args.json:
        for item in outcomes:
            print(json.dumps(item.__dict__, ensure_ascii=False))
        return 0
    print(f"{'pages':<10} {'n':>5}   {'right':>11}   {'wrong':>11}   {'none':>11}")
    print(_row("all", outcomes))
    print(_row("tuned", [o for o in outcomes if not o.heldout]))
    print(_row("held-out", [o for o in outcomes if o.heldout]))
    languages = Counter(o.lang for o in outcomes)
    for lang, _ in languages.most_common():
        print(_row(f"  {lang}", [o for o in outcomes if o.lang == lang]))
    wrong = [o for o in outcomes if o.verdict == "wrong"]
    reasons = Counter(o.disputed for o in wrong)
    changes, nowhere, clock, other = (reasons[k] for k in (CHANGE, NOWHERE, CLOCK, ""))
    share = 100 * other / (len(outcomes) or 1)
    print(
        f"\nof the {len(wrong)} wrong, the page states our day as its publication and the "
        f"expected day is its own last change on {changes}, written nowhere on it on "
        f"{nowhere}, its moment's day in UTC on {clock}; the other {other} "
        f"({share:.1f}% of the pages) contradict the page"
    )
    for verdict, wanted in (("wrong", args.wrong), ("none", args.none)):
        if wanted:
            print(f"\n{verdict}:")
            for o in outcomes:
                if o.verdict == verdict:
                    held = " (held-out)" if o.heldout else ""
                    held += f" [expected day: {o.disputed}]" if o.disputed else ""
                    print(
                        f"  {o.name} [{o.lang}] truth {o.truth} got {o.found} "
                        f"({o.precision}) from {o.evidence!r}{held}"
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
