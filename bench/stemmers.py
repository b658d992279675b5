"""Which stemmer for Italian: Snowball (today), Savoy's light stemmer, light+, or none.

    python bench/stemmers.py                      # the table (a few seconds)
    python bench/stemmers.py --details            # ... and every group and pair that fails
    python bench/stemmers.py --json               # the same numbers as one JSON object
    python bench/stemmers.py --kwic spaccio       # context of the articles matched only
                                                  # through the stem (to judge them)
    python bench/stemmers.py --top-stems 40 --stemmer snowball
                                                  # the stems with the most distinct words
    python bench/stemmers.py --sample-merges      # the sampled merges, with their verdicts

The stemmers: ``none`` (folded words), ``snowball`` (PyStemmer's, what the index used
until schema 7), ``light`` (Savoy's rules, ``stemmers.light_stem``) and ``light+`` (the same
with short masculine endings removed, ``stemmers.light_plus_stem``).

Measured on ``../shared/corpora/dice-modena`` (1,092 articles of the Gazzetta di Modena),
tokenised by the product's own analysis (``analysis.folded_words``: lower case, accents
folded, elided articles dropped); each stemmer then maps the folded words to index terms.

* **merge recall**: the share of the inflection groups below (words that are one word
  and must give one stem) whose words all get the same stem;
* **separation**: the share of the pairs below (different words) that get different
  stems;
* **sampled merges**: for each stemmer, 100 pairs of different corpus words it merges,
  drawn by article frequency (``--sample-merges``) and judged as words: the share that
  are forms of one word (strict) or of one family (lenient), i.e. how often a merge is
  right where the lists above only show known cases;
* **vocabulary**: the distinct index terms of the corpus;
* **query counts**: the articles a one-word query matches (any word with the query's stem);
* **stem-only precision**: of the articles a query matches only through the stem (no
  word of the article is the typed form), the share judged relevant by reading them, from
  ``bench/stemmer_judgements.json``. ``same``: the article has an inflection of the query
  word in its sense; ``family``: a word of the same family meaning the same thing
  (rapina for rapinatori); ``other``: a different word or sense. *Strict* counts ``same``
  as relevant, *lenient* ``same`` and ``family``;
* **speed**: µs per word, each distinct word of the corpus stemmed afresh (no cache),
  and per token through the cache the product keeps (every word of every article).
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

from corpus_cli.text import analysis, stemmers  # noqa: E402

DICE_MODENA = REPO.parent / "shared" / "corpora" / "dice-modena"
JUDGEMENTS = BENCH / "stemmer_judgements.json"
#: The merges judged for each stemmer: MERGE_SAMPLE_SIZE pairs drawn with this seed (plus
#: the stemmer's name), unless the judgements file says otherwise.
MERGE_SAMPLE_SEED = "stemmers-14"
MERGE_SAMPLE_SIZE = 100

Stem = Callable[[str], str]


def no_stem(folded: str) -> str:
    return folded


def _snowball() -> Any:
    """PyStemmer's Snowball Italian, its own cache off, as the product used it until
    schema 7 (``pip install -e '.[bench]'``)."""
    try:
        import Stemmer
    except ImportError:
        sys.exit("bench/stemmers.py compares with Snowball: pip install -e '.[bench]' first.")
    return Stemmer.Stemmer("italian", 0)


_SNOWBALL = _snowball()
snowball_stem = stemmers.Memo(_SNOWBALL.stemWord)


#: name -> stem function (cached, as the product would call it).
STEMMERS: dict[str, Stem] = {
    "none": no_stem,
    "snowball": snowball_stem.__getitem__,
    "light": stemmers.light_stem,
    "light+": stemmers.light_plus_stem,
}

# -- what must merge -----------------------------------------------------------------------

#: (kind, words): each group is one word, inflected; its words should share one stem.
#: Kinds: "noun" (number), "gender" (number and gender), "participle", "short" (a form of
#: five letters or fewer, which the light stemmer leaves alone), "verb" (forms of one verb
#: beyond its participle: Snowball's strength, which the light stemmer does not attempt).
MERGE_GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("noun", ("esercitazione", "esercitazioni")),
    ("noun", ("carabiniere", "carabinieri")),
    ("noun", ("incidente", "incidenti")),
    ("noun", ("indagine", "indagini")),
    ("noun", ("abitazione", "abitazioni")),
    ("noun", ("segnalazione", "segnalazioni")),
    ("noun", ("operazione", "operazioni")),
    ("noun", ("persona", "persone")),
    ("noun", ("strada", "strade")),
    ("noun", ("residente", "residenti")),
    ("noun", ("complice", "complici")),
    ("noun", ("denuncia", "denunce")),
    ("noun", ("negozio", "negozi")),
    ("noun", ("truffa", "truffe")),
    ("noun", ("sequestro", "sequestri")),
    ("noun", ("pattuglia", "pattuglie")),
    ("noun", ("farmacia", "farmacie")),
    ("noun", ("veicolo", "veicoli")),
    ("noun", ("vittima", "vittime")),
    ("noun", ("agente", "agenti")),
    ("noun", ("poliziotto", "poliziotti")),
    ("noun", ("telefono", "telefoni")),
    ("noun", ("gioiello", "gioielli")),
    ("noun", ("sostanza", "sostanze")),
    ("noun", ("stupefacente", "stupefacenti")),
    ("noun", ("spacciatore", "spacciatori")),
    ("noun", ("giovane", "giovani")),
    ("noun", ("albanese", "albanesi")),
    ("gender", ("rapinatore", "rapinatori", "rapinatrice")),
    ("gender", ("cittadino", "cittadini", "cittadina", "cittadine")),
    ("gender", ("proprietario", "proprietari", "proprietaria")),
    ("gender", ("anziano", "anziani", "anziana", "anziane")),
    ("gender", ("straniero", "stranieri", "straniera", "straniere")),
    ("gender", ("marocchino", "marocchini", "marocchina")),
    ("gender", ("tunisino", "tunisini")),
    ("participle", ("arrestato", "arrestata", "arrestati", "arrestate")),
    ("participle", ("denunciato", "denunciata", "denunciati", "denunciate")),
    ("participle", ("rubato", "rubata", "rubati", "rubate")),
    ("participle", ("trovato", "trovata", "trovati", "trovate")),
    ("participle", ("aggravato", "aggravata", "aggravati")),
    ("participle", ("coinvolto", "coinvolti", "coinvolta", "coinvolte")),
    ("participle", ("nascosto", "nascosti", "nascosta", "nascoste")),
    ("participle", ("bloccato", "bloccata", "bloccati")),
    ("participle", ("ferito", "feriti", "ferita", "ferite")),
    ("short", ("furto", "furti")),
    ("short", ("ladro", "ladri")),
    ("short", ("colpo", "colpi")),
    ("short", ("donna", "donne")),
    ("short", ("borsa", "borse")),
    ("short", ("banca", "banche")),
    ("short", ("amico", "amici")),
    ("short", ("luogo", "luoghi")),
    ("verb", ("rubare", "rubato", "ruba", "rubano", "rubando")),
    ("verb", ("arrestare", "arrestato", "arrestano", "arrestando")),
    ("verb", ("spacciare", "spacciava", "spacciavano")),
    ("verb", ("rapinare", "rapinato", "rapinano")),
    ("verb", ("sequestrare", "sequestrato")),
    ("verb", ("denunciare", "denunciato", "denunciando")),
]

# -- what must stay apart ------------------------------------------------------------------

#: (where the pair comes from, word, word, what they mean). "issue": issue #14's examples;
#: "snowball": read among the Snowball stems with the most distinct words of dice-modena
#: (``--top-stems 150 --stemmer snowball``); "light", "light+": the same for those
#: stemmers (for light+, among the groups it makes and light does not). Pairs whose words
#: are mostly one word in this corpus were left out after reading them in context:
#: fermata (mostly "stopped", not "bus stop"), partita ("left"), giunta ("arrived"),
#: posta ("placed"), sorpresa (a third "caught"). Each stemmer's
#: own confusions are in the list, so "separation" compares stemmers on known confusions;
#: the sampled merges (``--sample-merges``) estimate how often each stemmer's merges
#: are wrong.
APART_PAIRS: list[tuple[str, str, str, str]] = [
    ("issue", "spaccio", "spaccata", "drug dealing / smashed"),
    ("issue", "incidente", "incidenza", "accident / incidence rate"),
    ("issue", "colpo", "colpa", "blow, heist / fault"),
    ("issue", "porto", "porta", "harbour, carrying (of arms) / door"),
    ("issue", "banda", "bando", "gang / public call"),
    ("snowball", "fino", "fine", "until / end"),
    ("snowball", "volo", "voluto", "flight / wanted"),
    ("snowball", "capo", "capito", "head, boss / understood"),
    ("snowball", "parte", "partito", "part / party, left"),
    ("snowball", "credito", "credere", "credit / believe"),
    ("snowball", "dove", "dovuto", "where / had to"),
    ("snowball", "tema", "temo", "theme / I fear"),
    ("snowball", "sala", "salute", "hall / health"),
    ("snowball", "forno", "fornito", "oven / supplied"),
    ("snowball", "gesto", "gestito", "gesture / managed"),
    ("snowball", "manciata", "mancata", "handful / missed"),
    ("snowball", "razzia", "razzo", "raid / rocket"),
    ("snowball", "tir", "tiro", "lorry / shot"),
    ("snowball", "compito", "compare", "task / appears"),
    ("snowball", "collega", "collegio", "colleague / board"),
    ("snowball", "genero", "generazione", "son-in-law / generation"),
    ("snowball", "complice", "complicata", "accomplice / complicated"),
    ("snowball", "guardia", "guardare", "guard / to look"),
    ("snowball", "rilevante", "rilevato", "relevant / detected"),
    ("snowball", "circolo", "circolazione", "club / traffic"),
    ("snowball", "punto", "puntato", "point / aimed"),
    ("snowball", "sparito", "sparato", "vanished / shot"),
    ("snowball", "cerchio", "cercato", "circle / looked for"),
    ("snowball", "aspetto", "aspettare", "appearance / to wait"),
    ("snowball", "abiti", "abitazione", "clothes / dwelling"),
    ("snowball", "opera", "operatori", "work, opera / operators"),
    ("snowball", "noto", "notato", "known / noticed"),
    ("snowball", "caso", "casa", "case / house"),
    ("snowball", "modo", "moda", "way / fashion"),
    ("snowball", "corso", "corsa", "course, avenue / race"),
    ("snowball", "banco", "banca", "counter, desk / bank"),
    ("snowball", "conto", "conte", "bill, account / count, Conte"),
    ("light", "tratta", "tratto", "trafficking, it is about / stretch"),
    ("light", "compagnia", "compagno", "company / companion"),
    ("light", "guardia", "guarda", "guard / looks"),
    ("light", "francia", "franco", "France / frank, Franco"),
    ("light", "capita", "capito", "happens / understood"),
    ("light", "salute", "saluto", "health / greeting"),
    ("light", "trattore", "trattoria", "tractor / restaurant"),
    ("light", "faccia", "faccio", "face / I do"),
    ("light", "sport", "sporto", "sport / lodged (a complaint)"),
    ("light", "vigili", "vigilia", "wardens / eve"),
    ("light", "domenica", "domenico", "Sunday / Domenico"),
    ("light", "ferrari", "ferrara", "Ferrari / Ferrara"),
    ("light", "opera", "operaio", "work, opera / worker"),
    ("light", "trenta", "trento", "thirty / Trento"),
    ("light+", "corso", "corsia", "course, avenue / lane"),
    ("light+", "tempo", "tempio", "time / temple"),
    ("light+", "vento", "venti", "wind / twenty"),
    ("light+", "fiat", "fiato", "Fiat / breath"),
    ("light+", "marco", "marcia", "Marco / march, gear"),
]

#: Real one-word queries: the articles each matches with each stemmer.
QUERIES = [
    "spaccio",
    "incidente",
    "rapinatori",
    "esercitazioni",
    "colpo",
    "porto",
    "banda",
    "furto",
    "arrestato",
    "carabinieri",
    "truffa",
    "sequestro",
]

# -- the corpus ----------------------------------------------------------------------------


@dataclass
class Corpus:
    texts: dict[str, str]
    words: dict[str, frozenset[str]]  # article id -> its distinct folded words
    tokens: list[str]  # every folded word of every article, in order
    frequency: collections.Counter[str]  # word -> the articles holding it


def article_body(text: str) -> str:
    """The body of a corpus file: what follows the header lines (``date:``, ...)."""
    head, blank, body = text.partition("\n\n")
    if blank and all(":" in line for line in head.splitlines()):
        return body
    return text


def load_corpus(folder: Path) -> Corpus:
    texts: dict[str, str] = {}
    words: dict[str, frozenset[str]] = {}
    tokens: list[str] = []
    frequency: collections.Counter[str] = collections.Counter()
    for path in sorted(folder.glob("*.txt")):
        body = article_body(path.read_text(encoding="utf-8"))
        folded = analysis.folded_words(body)
        texts[path.stem] = body
        words[path.stem] = frozenset(folded)
        tokens.extend(folded)
        frequency.update(words[path.stem])
    if not texts:
        raise SystemExit(f"no .txt files in {folder}")
    return Corpus(texts, words, tokens, frequency)


# -- measures ------------------------------------------------------------------------------


def stem_index(corpus: Corpus, stem: Stem) -> dict[str, set[str]]:
    """stem -> the articles holding a word with that stem."""
    index: dict[str, set[str]] = collections.defaultdict(set)
    for article, words in corpus.words.items():
        for stemmed in {stem(word) for word in words}:
            index[stemmed].add(article)
    return index


def matches(index: dict[str, set[str]], stem: Stem, query: str) -> set[str]:
    return index.get(stem(analysis.fold(query)), set())


def stem_only(corpus: Corpus, index: dict[str, set[str]], stem: Stem, query: str) -> set[str]:
    """The articles ``query`` matches without holding the typed (folded) form."""
    typed = analysis.fold(query)
    return {a for a in matches(index, stem, query) if typed not in corpus.words[a]}


def merged(stem: Stem, words: Iterable[str]) -> bool:
    return len({stem(word) for word in words}) == 1


@dataclass
class Judgements:
    verdicts: dict[tuple[str, str], str]  # (query, article) -> same | family | other
    queries: list[str]
    pairs: dict[tuple[str, str], str] = field(default_factory=dict)  # word pair -> verdict
    sample_seed: str = MERGE_SAMPLE_SEED
    sample_size: int = MERGE_SAMPLE_SIZE


def load_judgements(path: Path) -> Judgements:
    if not path.exists():
        return Judgements({}, [])
    data = json.loads(path.read_text(encoding="utf-8"))
    verdicts = {(j["query"], j["article"]): j["verdict"] for j in data["articles"]}
    pairs = {pair_key(j["a"], j["b"]): j["verdict"] for j in data["word_pairs"]}
    sample = data["merge_sample"]
    return Judgements(
        verdicts, list(data["queries"]), pairs, str(sample["seed"]), int(sample["per_stemmer"])
    )


def time_stemmers(corpus: Corpus, repeats: int = 5) -> dict[str, dict[str, float]]:
    """µs per distinct word uncached, and per token through a warm cache (best of runs)."""
    snowball = _SNOWBALL
    snowball_memo = stemmers.Memo(snowball.stemWord)  # as analysis.py cached it
    uncached: dict[str, Stem] = {
        "none": no_stem,
        "snowball": snowball.stemWord,
        "light": stemmers.light_stem_uncached,
        "light+": stemmers.light_plus_stem_uncached,
    }
    cached: dict[str, Callable[[list[str]], list[str]]] = {
        "none": list,
        "snowball": lambda words: list(map(snowball_memo.__getitem__, words)),
        "light": stemmers.light_stems,
        "light+": stemmers.light_plus_stems,
    }
    vocabulary = sorted(corpus.frequency)
    out: dict[str, dict[str, float]] = {}
    for name in STEMMERS:
        fresh = []
        for _ in range(repeats):
            function = uncached[name]
            start = time.perf_counter()
            for word in vocabulary:
                function(word)
            fresh.append(time.perf_counter() - start)
        cached[name](corpus.tokens)  # warm the cache
        warm = []
        for _ in range(repeats):
            start = time.perf_counter()
            cached[name](corpus.tokens)
            warm.append(time.perf_counter() - start)
        out[name] = {
            "us_per_word": min(fresh) / len(vocabulary) * 1e6,
            "us_per_token_cached": min(warm) / len(corpus.tokens) * 1e6,
        }
    return out


def measure(corpus: Corpus, judgements: Judgements, timing: bool) -> dict[str, Any]:
    results: dict[str, Any] = {
        "corpus": {
            "articles": len(corpus.words),
            "tokens": len(corpus.tokens),
            "distinct_words": len(corpus.frequency),
        },
        "absent_words": sorted(
            {w for _, group in MERGE_GROUPS for w in group if w not in corpus.frequency}
            | {w for _, a, b, _ in APART_PAIRS for w in (a, b) if w not in corpus.frequency}
        ),
        "stemmers": {},
    }
    kinds = list(dict.fromkeys(kind for kind, _ in MERGE_GROUPS))
    sources = list(dict.fromkeys(source for source, *_ in APART_PAIRS))
    for name, stem in STEMMERS.items():
        index = stem_index(corpus, stem)
        merge_fail = [list(g) for _, g in MERGE_GROUPS if not merged(stem, g)]
        apart_fail = [[a, b] for _, a, b, _ in APART_PAIRS if merged(stem, (a, b))]
        row: dict[str, Any] = {
            "merge_recall": sum(merged(stem, g) for _, g in MERGE_GROUPS) / len(MERGE_GROUPS),
            "merge_by_kind": {
                kind: [
                    sum(merged(stem, g) for k, g in MERGE_GROUPS if k == kind),
                    sum(1 for k, _ in MERGE_GROUPS if k == kind),
                ]
                for kind in kinds
            },
            "separation": 1 - len(apart_fail) / len(APART_PAIRS),
            "separation_by_source": {
                source: [
                    sum(not merged(stem, (a, b)) for s, a, b, _ in APART_PAIRS if s == source),
                    sum(1 for s, *_ in APART_PAIRS if s == source),
                ]
                for source in sources
            },
            "merge_failures": merge_fail,
            "separation_failures": apart_fail,
            "vocabulary": len(index),
            "queries": {
                q: {
                    "articles": len(matches(index, stem, q)),
                    "stem_only": len(stem_only(corpus, index, stem, q)),
                }
                for q in QUERIES
            },
        }
        row["relevance"] = relevance(corpus, index, stem, judgements)
        if name != "none":
            row["merges"] = merge_precision(corpus, name, stem, judgements)
        results["stemmers"][name] = row
    results["exact_articles"] = {
        q: sum(analysis.fold(q) in words for words in corpus.words.values()) for q in QUERIES
    }
    if timing:
        for name, times in time_stemmers(corpus).items():
            results["stemmers"][name]["timing"] = times
    return results


def relevance(
    corpus: Corpus, index: dict[str, set[str]], stem: Stem, judgements: Judgements
) -> dict[str, Any]:
    """Stem-only matches of the judged queries, and how many are relevant."""
    per_query: dict[str, dict[str, int]] = {}
    unjudged: list[list[str]] = []
    for query in judgements.queries:
        counts = collections.Counter({"same": 0, "family": 0, "other": 0})
        for article in sorted(stem_only(corpus, index, stem, query)):
            verdict = judgements.verdicts.get((query, article))
            if verdict is None:
                unjudged.append([query, article])
            else:
                counts[verdict] += 1
        per_query[query] = dict(counts)
    total = collections.Counter[str]()
    for query_counts in per_query.values():
        total.update(query_counts)
    judged = sum(total.values())
    return {
        "per_query": per_query,
        "judged": judged,
        "same": total["same"],
        "family": total["family"],
        "other": total["other"],
        "strict": total["same"] / judged if judged else None,
        "lenient": (total["same"] + total["family"]) / judged if judged else None,
        "unjudged": unjudged,
    }


def merge_precision(
    corpus: Corpus, name: str, stem: Stem, judgements: Judgements
) -> dict[str, Any]:
    """The judged verdicts of the stemmer's sampled merges."""
    pairs = sample_merges(corpus, stem, judgements.sample_size, f"{judgements.sample_seed}-{name}")
    counts: collections.Counter[str] = collections.Counter(same=0, family=0, other=0)
    unjudged = []
    for pair in pairs:
        verdict = judgements.pairs.get(pair)
        if verdict is None:
            unjudged.append(list(pair))
        else:
            counts[verdict] += 1
    judged = sum(counts.values())
    return {
        "sampled": len(pairs),
        **counts,
        "strict": counts["same"] / judged if judged else None,
        "lenient": (counts["same"] + counts["family"]) / judged if judged else None,
        "unjudged": unjudged,
        "pairs": [list(p) for p in pairs],
    }


# -- output --------------------------------------------------------------------------------


def percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def print_table(results: dict[str, Any], details: bool) -> None:
    names = list(results["stemmers"])
    rows = results["stemmers"]
    width = 30

    def line(label: str, cells: Iterable[str]) -> None:
        print(f"{label:<{width}}" + "".join(f"{cell:>14}" for cell in cells))

    corpus = results["corpus"]
    print(
        f"dice-modena: {corpus['articles']:,} articles, {corpus['tokens']:,} words, "
        f"{corpus['distinct_words']:,} distinct folded words"
    )
    if results["absent_words"]:
        print("words of the lists absent from the corpus: " + ", ".join(results["absent_words"]))
    print()
    line("", names)
    line(
        f"merge recall ({len(MERGE_GROUPS)} groups)",
        (percent(rows[n]["merge_recall"]) for n in names),
    )
    for kind in rows[names[0]]["merge_by_kind"]:
        line(f"  {kind}", (fraction(rows[n]["merge_by_kind"][kind]) for n in names))
    line(f"separation ({len(APART_PAIRS)} pairs)", (percent(rows[n]["separation"]) for n in names))
    for source in rows[names[0]]["separation_by_source"]:
        line(
            f"  from {source}",
            (fraction(rows[n]["separation_by_source"][source]) for n in names),
        )
    line("vocabulary (index terms)", (f"{rows[n]['vocabulary']:,}" for n in names))
    merges = {n: rows[n]["merges"] for n in names if "merges" in rows[n]}
    if any(m["same"] + m["family"] + m["other"] for m in merges.values()):
        sampled = next(iter(merges.values()))["sampled"]
        print(f"sampled merges ({sampled} a stemmer, by use): same/family/other")

        def each(text: Callable[[dict[str, Any]], str]) -> list[str]:
            return [text(merges[n]) if n in merges else "-" for n in names]

        line("", each(lambda m: "/".join(str(m[v]) for v in VERDICTS)))
        line("  right, strict", each(lambda m: percent(m["strict"])))
        line("  right, lenient", each(lambda m: percent(m["lenient"])))
        for n, m in merges.items():
            if m["unjudged"]:
                print(f"  {n}: {len(m['unjudged'])} sampled merges not judged yet")
    print()
    line("articles matched by", ["exact form", *names])
    for q in QUERIES:
        line(
            f"  {q}",
            [str(results["exact_articles"][q])]
            + [
                f"{rows[n]['queries'][q]['articles']} ({rows[n]['queries'][q]['stem_only']})"
                for n in names
            ],
        )
    print("  (n) = matched only through the stem, without the typed form")
    print()
    judged_queries = list(rows[names[0]]["relevance"]["per_query"])
    if judged_queries:
        print(f"stem-only matches judged, {len(judged_queries)} queries: same/family/other")
        for q in judged_queries:
            line(
                f"  {q}",
                (
                    "/".join(str(rows[n]["relevance"]["per_query"][q][v]) for v in VERDICTS)
                    for n in names
                ),
            )
        line("  stem-only matches", (str(rows[n]["relevance"]["judged"]) for n in names))
        line("  relevant (strict: same)", (str(rows[n]["relevance"]["same"]) for n in names))
        line(
            "  relevant (lenient: +family)",
            (str(rows[n]["relevance"]["same"] + rows[n]["relevance"]["family"]) for n in names),
        )
        line("  precision, strict", (percent(rows[n]["relevance"]["strict"]) for n in names))
        line("  precision, lenient", (percent(rows[n]["relevance"]["lenient"]) for n in names))
        for n in names:
            if rows[n]["relevance"]["unjudged"]:
                print(f"  {n}: {len(rows[n]['relevance']['unjudged'])} matches not judged yet")
        print()
    if "timing" in rows[names[0]]:
        line("µs per word, uncached", (f"{rows[n]['timing']['us_per_word']:.3f}" for n in names))
        line(
            "µs per token, cached",
            (f"{rows[n]['timing']['us_per_token_cached']:.3f}" for n in names),
        )
        print()
    if details:
        for n in names:
            print(
                f"{n}: groups not merged: "
                + "; ".join("/".join(g) for g in rows[n]["merge_failures"])
            )
            print(
                f"{n}: pairs merged: "
                + "; ".join("/".join(p) for p in rows[n]["separation_failures"])
            )


VERDICTS = ("same", "family", "other")


def fraction(pair: Sequence[int]) -> str:
    return f"{pair[0]}/{pair[1]}"


# -- helpers for building the lists and the judgements --------------------------------------


def top_stems(corpus: Corpus, stem: Stem, count: int) -> None:
    """The stems with the most distinct words, each word with its article count."""
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for word in corpus.frequency:
        groups[stem(word)].append(word)
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))[:count]
    for stemmed, words in ranked:
        words.sort(key=lambda w: (-corpus.frequency[w], w))
        shown = " ".join(f"{w}:{corpus.frequency[w]}" for w in words[:20])
        print(f"{stemmed} ({len(words)}): {shown}")


def sample_merges(corpus: Corpus, stem: Stem, count: int, seed: str) -> list[tuple[str, str]]:
    """``count`` pairs of different corpus words that ``stem`` merges, drawn as a reader meets
    them: a word by its article frequency, then another word of its stem the same way.

    The pairs (with repeats) estimate the share of the stemmer's merges, weighted by use,
    that join forms of one word, words of one family, or different words.
    """
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for word in sorted(corpus.frequency):
        groups[stem(word)].append(word)
    merging = [w for w in sorted(corpus.frequency) if len(groups[stem(w)]) > 1]
    weights = [corpus.frequency[w] for w in merging]
    rng = random.Random(seed)
    pairs = []
    for word in rng.choices(merging, weights, k=count):
        others = [w for w in groups[stem(word)] if w != word]
        other = rng.choices(others, [corpus.frequency[w] for w in others])[0]
        pairs.append(pair_key(word, other))
    return pairs


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def kwic(corpus: Corpus, query: str, names: Sequence[str], width: int, most: int) -> None:
    """Key words in context for the articles ``query`` matches only through the stem.

    One block per article matched by any of the stemmers ``names`` without the typed form:
    which stemmers match it, then up to ``most`` lines with the matching words in
    brackets. What is needed to judge whether the match is relevant.
    """
    typed = analysis.fold(query)
    indexes = {n: stem_index(corpus, STEMMERS[n]) for n in names}
    found: dict[str, list[str]] = collections.defaultdict(list)
    for n in names:
        for article in stem_only(corpus, indexes[n], STEMMERS[n], query):
            found[article].append(n)
    targets = {n: STEMMERS[n](typed) for n in names}
    print(f"{query}: {len(found)} articles matched only through the stem ({', '.join(names)})")
    for article in sorted(found, key=article_order):
        text = corpus.texts[article]
        by = found[article]
        hits = []
        for match in re.finditer(r"\w+", text):
            folded = analysis.fold(match.group())
            if any(STEMMERS[n](folded) == targets[n] for n in by):
                hits.append(match)
        forms = sorted({analysis.fold(m.group()) for m in hits})
        print(f"\n== {article} [{' '.join(by)}] {' '.join(forms)}")
        for m in hits[:most]:
            left = " ".join(text[max(0, m.start() - width) : m.start()].split())
            right = " ".join(text[m.end() : m.end() + width].split())
            print(f"   {left[-width:]:>{width}} [{m.group()}] {right[:width]}")


def article_order(article: str) -> tuple[int, str]:
    digits = "".join(c for c in article if c.isdigit())
    return (int(digits) if digits else 0, article)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DICE_MODENA, help="folder of .txt files")
    parser.add_argument("--judgements", type=Path, default=JUDGEMENTS)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--details", action="store_true", help="list the failing groups, pairs")
    parser.add_argument("--no-timing", action="store_true", help="skip the timing")
    parser.add_argument("--kwic", metavar="QUERY", help="context of the stem-only matches")
    parser.add_argument("--top-stems", type=int, metavar="N", help="the N largest stems")
    parser.add_argument(
        "--sample-merges", action="store_true", help="the sampled merges, to judge them"
    )
    parser.add_argument(
        "--stemmer",
        action="append",
        choices=[n for n in STEMMERS if n != "none"],
        help="for --kwic and --top-stems (repeatable; default: all)",
    )
    parser.add_argument("--width", type=int, default=70, help="--kwic: characters each side")
    parser.add_argument("--lines", type=int, default=3, help="--kwic: lines per article")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    corpus = load_corpus(args.corpus)
    names = args.stemmer or [n for n in STEMMERS if n != "none"]
    if args.top_stems:
        for n in names:
            print(f"-- {n}")
            top_stems(corpus, STEMMERS[n], args.top_stems)
        return 0
    if args.kwic:
        kwic(corpus, args.kwic, names, args.width, args.lines)
        return 0
    if args.sample_merges:
        judgements = load_judgements(args.judgements)
        seen: set[tuple[str, str]] = set()
        for n in names:
            seed = f"{judgements.sample_seed}-{n}"
            for a, b in sample_merges(corpus, STEMMERS[n], judgements.sample_size, seed):
                if (a, b) not in seen:
                    seen.add((a, b))
                    verdict = judgements.pairs.get((a, b), "?")
                    print(f"{n:9} {a}:{corpus.frequency[a]} {b}:{corpus.frequency[b]} {verdict}")
        return 0
    results = measure(corpus, load_judgements(args.judgements), timing=not args.no_timing)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        print_table(results, args.details)
    return 0


if __name__ == "__main__":
    sys.exit(main())
