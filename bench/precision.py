"""Strict precision@10 and recall of ``corpus search`` on judged Italian queries.

    python bench/precision.py                                  # held-out queries, `corpus`
    python bench/precision.py --corpus-cmd corpus \\
        --corpus-cmd /work/main/.venv/bin/corpus               # two versions, one run
    python bench/precision.py --index /tmp/idx                 # an index already built
    python bench/precision.py --judgements bench/stemmer_judgements.json
                                                               # the 10 stemmer queries
    python bench/precision.py --kwic 'rapina banca'            # contexts, to judge
    python bench/precision.py --todo                           # what is not judged yet
    python bench/precision.py --counts                         # the verdicts per stemmer

Each query of the judgements file (``bench/heldout_judgements.json`` by default) is run
through the real CLI, ``CMD --index DIR search QUERY --json --limit all``, on an index of
``../shared/corpora/dice-modena`` built by that same command in a temporary folder unless
``--index`` is given (one ``--index`` a ``--corpus-cmd``, in order). Then, a query:

* **relevant** articles: for every part of the query (a word, or a quoted phrase) the
  article holds the typed form, folded as the product folds it (``analysis.folded_words``:
  case, accents, elided articles), or a form judged ``same`` for that article: an
  inflection of the word in its sense. ``family`` (a word of the same family, rapina for
  rapinatori) and ``other`` (a different word) are not relevant: the measure is strict;
* **P@10**: the share of relevant articles among the first ten hits (all of them when
  fewer match); the total row is the mean over the queries with hits;
* **recall**: relevant articles returned among the relevant articles known (those holding
  every typed form, and those judged ``same``); the total row is micro (summed), and the
  mean over queries follows it (one query with many relevant articles, carabiniere with
  the 423 of carabinieri, weighs on the micro figure);
* **unjudged**: returned articles that hold neither the typed form of some part nor a
  judgement for it (say, matched by a stemmer that was not judged): counted as not
  relevant, and shown so that a change of stemmer is not scored on guesses.

Judgements: for each query, every article that Snowball (PyStemmer's, the index's stemmer
until schema 7) or light+ (``stemmers.light_plus_stem``) matches with some part only
through the stem (the article lacks the typed form of that part), with the verdict and
the forms that matched.
``--kwic`` prints those articles in context and ``--todo`` the ones not judged yet.
The file format of ``bench/stemmer_judgements.json`` is read as well (one word a query).
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

# bench/stemmers.py (this folder is sys.path[0]): its Snowball, as the index had it.
from stemmers import snowball_stem  # noqa: E402

from corpus_cli.text import analysis, stemmers  # noqa: E402

DICE_MODENA = REPO.parent / "shared" / "corpora" / "dice-modena"
HELDOUT = BENCH / "heldout_judgements.json"
VERDICTS = ("same", "family", "other")
TOP = 10

Stem = Callable[[str], str]


#: The stemmers whose stem-only matches are judged.
JUDGED: dict[str, Stem] = {
    "snowball": snowball_stem.__getitem__,
    "light+": stemmers.light_plus_stem,
}

# -- queries and the corpus -----------------------------------------------------------------

PHRASE = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Part:
    """A word or a quoted phrase of a query: as typed, and its folded words."""

    typed: str
    folded: tuple[str, ...]

    @property
    def key(self) -> str:
        return " ".join(self.folded)


def part_key(typed: str) -> str:
    return " ".join(analysis.folded_words(typed))


def query_parts(query: str) -> list[Part]:
    """The parts of a query: quoted phrases, then the other words (all ANDed)."""
    parts = [Part(p, tuple(analysis.folded_words(p))) for p in PHRASE.findall(query)]
    rest = PHRASE.sub(" ", query)
    parts += [Part(w, tuple(analysis.folded_words(w))) for w in rest.split()]
    return [p for p in parts if p.folded]


def article_body(text: str) -> str:
    """The body of a corpus file: what follows the header lines (``date:``, ...)."""
    head, blank, body = text.partition("\n\n")
    if blank and all(":" in line for line in head.splitlines()):
        return body
    return text


@dataclass
class Corpus:
    texts: dict[str, str]
    tokens: dict[str, list[str]]  # article -> its folded words, in order
    words: dict[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.words = {a: frozenset(t) for a, t in self.tokens.items()}


def load_corpus(folder: Path) -> Corpus:
    texts = {}
    for path in sorted(folder.glob("*.txt")):
        texts[path.stem] = article_body(path.read_text(encoding="utf-8"))
    if not texts:
        raise SystemExit(f"no .txt files in {folder}")
    return Corpus(texts, {a: analysis.folded_words(t) for a, t in texts.items()})


def occurrences(tokens: Sequence[str], wanted: Sequence[str], map_: Stem | None) -> Iterator[int]:
    """Positions where ``wanted`` occurs in ``tokens`` (each word mapped by ``map_``)."""
    n = len(wanted)
    if map_ is None:
        mapped: Sequence[str] = tokens
    else:
        mapped = [map_(t) for t in tokens]
    first = wanted[0]
    for i, token in enumerate(mapped):
        if token == first and list(mapped[i : i + n]) == list(wanted):
            yield i


def has_exact(corpus: Corpus, article: str, part: Part) -> bool:
    if len(part.folded) == 1:
        return part.folded[0] in corpus.words[article]
    return next(occurrences(corpus.tokens[article], part.folded, None), None) is not None


def stem_forms(corpus: Corpus, article: str, part: Part, stem: Stem) -> set[str]:
    """The forms of ``article`` that match ``part`` through ``stem`` (phrases: word runs)."""
    wanted = [stem(w) for w in part.folded]
    if len(wanted) == 1:
        return {w for w in corpus.words[article] if stem(w) == wanted[0]}
    tokens = corpus.tokens[article]
    n = len(wanted)
    return {" ".join(tokens[i : i + n]) for i in occurrences(tokens, wanted, stem)}


@dataclass
class Candidate:
    """An article a judged stemmer matches with some part only through the stem."""

    article: str
    stemmers: list[str]
    #: part key -> the forms that matched it (the parts lacking the typed form)
    forms: dict[str, set[str]]


def candidates(corpus: Corpus, query: str) -> list[Candidate]:
    """Every article that a judged stemmer matches (all parts) without some typed form."""
    parts = query_parts(query)
    found: dict[str, Candidate] = {}
    for name, stem in JUDGED.items():
        for article in corpus.texts:
            forms = {}
            for part in parts:
                matched = stem_forms(corpus, article, part, stem)
                if not matched:
                    break
                if not has_exact(corpus, article, part):
                    forms[part.key] = matched
            else:
                if forms:
                    candidate = found.setdefault(article, Candidate(article, [], {}))
                    candidate.stemmers.append(name)
                    for key, matched in forms.items():
                        candidate.forms.setdefault(key, set()).update(matched)
    return sorted(found.values(), key=lambda c: article_order(c.article))


def article_order(article: str) -> tuple[int, str]:
    digits = "".join(c for c in article if c.isdigit())
    return (int(digits) if digits else 0, article)


# -- judgements -----------------------------------------------------------------------------


@dataclass
class Judgements:
    queries: list[str]
    verdicts: dict[tuple[str, str], str]  # (part key, article) -> same | family | other


def load_judgements(path: Path) -> Judgements:
    """This bench's file, or bench/stemmer_judgements.json (whose queries are one word)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    verdicts: dict[tuple[str, str], str] = {}
    for entry in data["articles"]:
        key = part_key(entry.get("word", entry["query"]))
        verdicts[(key, entry["article"])] = entry["verdict"]
    return Judgements(list(data["queries"]), verdicts)


# -- measuring ------------------------------------------------------------------------------


@dataclass
class Row:
    query: str
    hits: int
    top: int  # hits looked at for P@10
    relevant_top: int
    unjudged_top: int
    unjudged: int
    relevant: int  # relevant articles known
    relevant_found: int

    @property
    def precision(self) -> float | None:
        return self.relevant_top / self.top if self.top else None

    @property
    def recall(self) -> float | None:
        return self.relevant_found / self.relevant if self.relevant else None


def judge(corpus: Corpus, judgements: Judgements, parts: list[Part], article: str) -> bool | None:
    """True if relevant, False if not, None if some part is neither typed nor judged."""
    if article not in corpus.words:
        return None
    relevant = True
    for part in parts:
        if has_exact(corpus, article, part):
            continue
        verdict = judgements.verdicts.get((part.key, article))
        if verdict is None:
            return None
        relevant = relevant and verdict == "same"
    return relevant


def relevant_known(corpus: Corpus, judgements: Judgements, parts: list[Part]) -> set[str]:
    return {a for a in corpus.texts if judge(corpus, judgements, parts, a)}


def score(corpus: Corpus, judgements: Judgements, query: str, hits: list[str]) -> Row:
    parts = query_parts(query)
    verdicts = [judge(corpus, judgements, parts, a) for a in hits]
    top = verdicts[:TOP]
    relevant = relevant_known(corpus, judgements, parts)
    return Row(
        query=query,
        hits=len(hits),
        top=len(top),
        relevant_top=sum(v is True for v in top),
        unjudged_top=sum(v is None for v in top),
        unjudged=sum(v is None for v in verdicts),
        relevant=len(relevant),
        relevant_found=len(relevant & set(hits)),
    )


class Cli:
    """One installed ``corpus`` command and the index it searches."""

    def __init__(self, command: str, index: str | None, corpus_folder: Path) -> None:
        self.argv = shlex.split(command)
        self.command = command
        self._temp: tempfile.TemporaryDirectory[str] | None = None
        if index is None:
            self._temp = tempfile.TemporaryDirectory(prefix="precision-")
            index = str(Path(self._temp.name) / "index")
            self.run("--index", index, "ingest", str(corpus_folder))
        self.index = index
        help_text = self.run("search", "--help")
        self.limit = "all" if re.search(r"--limit\s+N\|all", help_text) else "1000000"

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [*self.argv, *args], capture_output=True, text=True, encoding="utf-8", check=False
        )
        if done.returncode != 0:
            raise SystemExit(f"{self.command} {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def search(self, query: str) -> list[str]:
        out = self.run("--index", self.index, "search", query, "--json", "--limit", self.limit)
        ids = []
        for line in out.splitlines():
            if line.strip():
                hit = json.loads(line)
                ids.append(hit.get("id") or Path(hit["path"]).stem)
        return ids

    def close(self) -> None:
        if self._temp is not None:
            self._temp.cleanup()


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def totals(rows: list[Row]) -> dict[str, Any]:
    precisions = [r.precision for r in rows if r.precision is not None]
    relevant = sum(r.relevant for r in rows)
    recalls = [r.recall for r in rows if r.recall is not None]
    return {
        "queries": len(rows),
        "mean_p_at_10": sum(precisions) / len(precisions) if precisions else None,
        "micro_recall": sum(r.relevant_found for r in rows) / relevant if relevant else None,
        "mean_recall": sum(recalls) / len(recalls) if recalls else None,
        "hits": sum(r.hits for r in rows),
        "relevant": relevant,
        "relevant_found": sum(r.relevant_found for r in rows),
        "unjudged_top": sum(r.unjudged_top for r in rows),
        "unjudged": sum(r.unjudged for r in rows),
    }


def print_table(command: str, rows: list[Row]) -> None:
    width = max(24, *(len(r.query) + 2 for r in rows))
    head = ("hits", "P@10", "rel@10", "recall", "found/rel", "unjudged@10", "unjudged")
    print(f"== {command}")
    print(f"{'query':<{width}}" + "".join(f"{h:>12}" for h in head))
    for r in rows:
        cells = (
            str(r.hits),
            percent(r.precision),
            f"{r.relevant_top}/{r.top}",
            percent(r.recall),
            f"{r.relevant_found}/{r.relevant}",
            str(r.unjudged_top),
            str(r.unjudged),
        )
        print(f"{r.query:<{width}}" + "".join(f"{c:>12}" for c in cells))
    t = totals(rows)
    cells = (
        str(t["hits"]),
        percent(t["mean_p_at_10"]),
        "",
        percent(t["micro_recall"]),
        f"{t['relevant_found']}/{t['relevant']}",
        str(t["unjudged_top"]),
        str(t["unjudged"]),
    )
    print(f"{'TOTAL (mean P@10, micro)':<{width}}" + "".join(f"{c:>12}" for c in cells))
    print(f"{'mean recall (macro)':<{width}}" + f"{percent(t['mean_recall']):>48}")
    print()


# -- helpers for judging --------------------------------------------------------------------


def kwic(corpus: Corpus, query: str, width: int, most: int) -> None:
    """The candidates of ``query`` in context: the parts lacking the typed form, bracketed."""
    found = candidates(corpus, query)
    parts = {p.key: p for p in query_parts(query)}
    print(f"{query}: {len(found)} articles matched with some part only through the stem")
    for c in found:
        text = corpus.texts[c.article]
        words = list(analysis.words(text))
        folded = [w.folded for w in words]
        print(f"\n== {c.article} [{' '.join(c.stemmers)}]")
        for key, forms in c.forms.items():
            size = len(parts[key].folded)
            print(f"   {key}: {' | '.join(sorted(forms))}")
            shown = 0
            for i in range(len(words) - size + 1):
                if " ".join(folded[i : i + size]) in forms and shown < most:
                    start, end = words[i].start, words[i + size - 1].end
                    left = " ".join(text[max(0, start - width) : start].split())
                    right = " ".join(text[end : end + width].split())
                    print(f"   {left[-width:]:>{width}} [{text[start:end]}] {right[:width]}")
                    shown += 1


def todo(corpus: Corpus, judgements: Judgements) -> list[dict[str, Any]]:
    """The (query, part, article) triples still to judge, with the forms that matched."""
    out = []
    for query in judgements.queries:
        for c in candidates(corpus, query):
            for key, forms in c.forms.items():
                if (key, c.article) not in judgements.verdicts:
                    out.append(
                        {
                            "query": query,
                            "word": key,
                            "article": c.article,
                            "stemmers": c.stemmers,
                            "forms": sorted(forms),
                        }
                    )
    return out


def verdict_counts(corpus: Corpus, judgements: Judgements) -> dict[str, dict[str, list[int]]]:
    """query -> stemmer -> [same, family, other, unjudged]: its stem-only (part, article)s."""
    out: dict[str, dict[str, list[int]]] = {}
    for query in judgements.queries:
        counts = {name: [0, 0, 0, 0] for name in JUDGED}
        for c in candidates(corpus, query):
            for key in c.forms:
                verdict = judgements.verdicts.get((key, c.article))
                slot = VERDICTS.index(verdict) if verdict in VERDICTS else 3
                for name in c.stemmers:
                    counts[name][slot] += 1
        out[query] = counts
    return out


def print_counts(counts: dict[str, dict[str, list[int]]]) -> None:
    width = max(24, *(len(q) + 2 for q in counts))
    print("stem-only matches judged (part, article): same/family/other (+unjudged)")
    print(f"{'query':<{width}}" + "".join(f"{name:>20}" for name in JUDGED))
    total = {name: [0, 0, 0, 0] for name in JUDGED}
    for query, row in [*counts.items(), ("TOTAL", total)]:
        if query != "TOTAL":
            for name in JUDGED:
                total[name] = [a + b for a, b in zip(total[name], row[name], strict=True)]
        cells = [
            "/".join(map(str, row[n][:3])) + (f" +{row[n][3]}" if row[n][3] else "") for n in JUDGED
        ]
        print(f"{query:<{width}}" + "".join(f"{c:>20}" for c in cells))


# -- main -----------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DICE_MODENA, help="folder of .txt files")
    parser.add_argument("--judgements", type=Path, default=HELDOUT)
    parser.add_argument(
        "--corpus-cmd",
        action="append",
        metavar="CMD",
        help="the corpus command to measure (repeatable; default: corpus)",
    )
    parser.add_argument(
        "--index",
        action="append",
        metavar="PATH",
        help="its index (repeatable, one per --corpus-cmd in order; default: built afresh)",
    )
    parser.add_argument("--query", action="append", help="only these queries (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--kwic", metavar="QUERY", help="context of the stem-only matches")
    parser.add_argument("--todo", action="store_true", help="the matches not judged yet (JSON)")
    parser.add_argument(
        "--counts", action="store_true", help="the judged stem-only matches, per stemmer"
    )
    parser.add_argument("--width", type=int, default=70, help="--kwic: characters each side")
    parser.add_argument("--lines", type=int, default=3, help="--kwic: lines per part")
    return parser.parse_args(argv)


def measure(
    corpus: Corpus, judgements: Judgements, commands: Iterable[Cli], queries: list[str]
) -> dict[str, list[Row]]:
    return {
        cli.command: [score(corpus, judgements, q, cli.search(q)) for q in queries]
        for cli in commands
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    corpus = load_corpus(args.corpus)
    if args.kwic:
        kwic(corpus, args.kwic, args.width, args.lines)
        return 0
    judgements = load_judgements(args.judgements)
    if args.todo:
        print(json.dumps(todo(corpus, judgements), ensure_ascii=False, indent=1))
        return 0
    if args.counts:
        print_counts(verdict_counts(corpus, judgements))
        return 0
    queries = args.query or judgements.queries
    commands = args.corpus_cmd or ["corpus"]
    indexes = args.index or []
    if len(indexes) > len(commands):
        raise SystemExit("more --index than --corpus-cmd")
    clis = [
        Cli(cmd, indexes[i] if i < len(indexes) else None, args.corpus)
        for i, cmd in enumerate(commands)
    ]
    try:
        results = measure(corpus, judgements, clis, queries)
    finally:
        for cli in clis:
            cli.close()
    if args.json:
        out = {
            cmd: {
                "queries": [{**vars(r), "p_at_10": r.precision, "recall": r.recall} for r in rows],
                "total": totals(rows),
            }
            for cmd, rows in results.items()
        }
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    print(f"{args.judgements.name}: {len(queries)} queries, strict (relevant: typed or 'same')")
    print()
    for cmd, rows in results.items():
        print_table(cmd, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
