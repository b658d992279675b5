"""Italian text analysis, the same at index, query and highlight time.

Lower-case, fold accents, drop elided articles (``l'``, ``dell’``), then stem with a
light Italian stemmer that removes number and gender endings only
(:func:`corpus_cli.text.stemmers.light_plus_stem`): ``rapinatore``/``rapinatori`` are
one term, ``spaccio``/``spaccata`` and ``incidente``/``incidenza`` stay apart, where
Snowball merged them (``bench/stemmers.py`` has the measurements that chose it). No
stop words are removed: a query of common words (``perché``, ``stato di``) must still
find its documents, and phrases keep their prepositions.

Every backend indexes what :func:`analyse` gives, and queries and highlights are
analysed by the same functions, so a word means the same thing at every step.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

from corpus_cli.text.stemmers import Memo, light_plus_stem_memo

#: A run of word characters, as the re module sees them, but for the modifier letter
#: apostrophe (ʼ, U+02BC): \w takes it for a letter, and texts use it as an apostrophe.
WORD_RUN = re.compile(r"[^\Wʼ]+")
APOSTROPHES = "'’`ʼ"

# Italian words that elide before a vowel; "l'esercito" indexes as "esercito" alone.
# A closed list (rather than "any short word before an apostrophe") keeps English
# contractions like "it's" from losing their first half.
ELISIONS = frozenset(
    [
        "l",
        "un",
        "d",
        "c",
        "s",
        "m",
        "t",
        "v",
        "n",
        "ci",
        "gl",
        "dell",
        "dall",
        "nell",
        "sull",
        "all",
        "coll",
        "pell",
        "tutt",
        "quell",
        "quest",
        "bell",
        "sant",
        "anch",
        "com",
        "dov",
        "cos",
        "qual",
        "nessun",
        "ciascun",
        "buon",
        "grand",
        "mezz",
        "senz",
    ]
)


class Word(NamedTuple):
    """One analysed word: where it is and the forms it is indexed under."""

    pos: int
    start: int
    end: int
    folded: str
    stem: str


_fold_cache: dict[str, str] = {}
_CACHE_LIMIT = 500_000


def fold(word: str) -> str:
    """Lower-case and strip diacritics, so ``Città`` and ``citta`` are one word."""
    folded = _fold_cache.get(word)
    if folded is None:
        lowered = word.lower()
        if lowered.isascii():
            folded = lowered
        else:
            decomposed = unicodedata.normalize("NFKD", lowered)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c))
        if len(_fold_cache) > _CACHE_LIMIT:
            _fold_cache.clear()
        _fold_cache[word] = folded
    return folded


def stem(folded: str) -> str:
    """The index term of an already folded word: its light Italian stem (cached)."""
    return light_plus_stem_memo[folded]


#: surface word -> (folded, stem, may elide): one lookup per token on the hot path.
_surface_cache: dict[str, tuple[str, str, bool]] = {}
#: The last text analysed and its words: Whoosh analyses an article's text once
#: for the stemmed field and again for the surface field; the second pass is free.
_last: tuple[str, list[tuple[int, int, str, str]]] = ("", [])


def _surface(word: str) -> tuple[str, str, bool]:
    folded = fold(word)
    entry = (folded, stem(folded), folded in ELISIONS)
    if len(_surface_cache) > _CACHE_LIMIT:
        _surface_cache.clear()
    _surface_cache[word] = entry
    return entry


def analyse(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, folded, stem) of each word of ``text``; elided articles dropped."""
    global _last
    if _last[0] is text or (len(text) > 200 and _last[0] == text):
        return _last[1]
    out: list[tuple[int, int, str, str]] = []
    append = out.append
    cache_get = _surface_cache.get
    length = len(text)
    for match in WORD_RUN.finditer(text):
        surface = match.group()
        entry = cache_get(surface) or _surface(surface)
        end = match.end()
        if entry[2] and end + 1 < length and text[end] in APOSTROPHES:
            # ``l'auto``, and ``l' auto`` as news wires often space it: one space may follow.
            after = end + 2 if text[end + 1] == " " else end + 1
            if after < length and text[after].isalpha():
                continue
        append((match.start(), end, entry[0], entry[1]))
    _last = (text, out)
    return out


def words(text: str) -> Iterator[Word]:
    """Split ``text`` into analysed words with positions and character offsets."""
    for pos, (start, end, folded, stemmed) in enumerate(analyse(text)):
        yield Word(pos, start, end, folded, stemmed)


def terms(text: str, stemmed: bool = True) -> list[str]:
    """The index terms of ``text``, in order (stems, or folded surface words)."""
    if stemmed:
        return [word[3] for word in analyse(text)]
    return [word[2] for word in analyse(text)]


#: An apostrophe before a letter, or before one space and a letter (the letter checked
#: with isalpha below, as :func:`analyse` does: ``[^\W\d_]`` also takes numerals
#: such as ``²``).
_ELISION_MARK = re.compile(rf"[{APOSTROPHES}](?= ?[^\W\d_])")
_LONGEST_ELISION = max(map(len, ELISIONS))


def is_word_char(char: str) -> bool:
    r"""What :data:`WORD_RUN` matches (the re module's ``\w``, less ``ʼ``)."""
    return (char.isalnum() or char == "_") and char != "ʼ"


def surface_words(text: str) -> list[str]:
    """The words the analyser indexes, as written: elided articles (l', dell') left out.

    Elisions are found from their apostrophes (a few per article) and cut out of the
    text, then every run of word characters is taken: two passes in C, no per-word
    Python code.
    """
    kept: list[str] = []
    done = 0
    for mark in _ELISION_MARK.finditer(text):
        end = start = mark.start()
        if not text[end + 2 if text[end + 1] == " " else end + 1].isalpha():
            continue
        while start > 0 and end - start <= _LONGEST_ELISION and is_word_char(text[start - 1]):
            start -= 1
        if start == end or (start > 0 and is_word_char(text[start - 1])):
            continue  # no word before the apostrophe, or one too long to be elided
        if fold(text[start:end]) in ELISIONS:
            kept.append(text[done:start])
            done = end
    if kept:
        kept.append(text[done:])
        text = "".join(kept)
    return WORD_RUN.findall(text)


def folded_words(text: str) -> list[str]:
    """The analyser's folded words of ``text`` (``analysis.terms(text, stemmed=False)``),
    several times faster."""
    return list(map(_folded.__getitem__, surface_words(text)))


def index_terms(text: str) -> tuple[list[str], list[str]]:
    """(folded words, stems) of ``text``: what :func:`analyse` gives, without offsets.

    For an index that needs no character offsets (the PostgreSQL backend's
    vectors): two regular-expression passes and two dictionary lookups a word,
    all in C, where :func:`analyse` runs Python code for every word (~1.8 ms for
    an article of 600 words, against ~0.15 ms here).
    """
    folded = list(map(_folded.__getitem__, surface_words(text)))
    return folded, list(map(_stemmed.__getitem__, folded))


#: Caches whose ``__getitem__`` computes what they lack, so that
#: ``map(memo.__getitem__, words)`` stays in C for every word seen before.
_folded = Memo(fold)
_stemmed = light_plus_stem_memo


def source_key(name: str | None) -> str:
    """A source's name folded for matching: case, accents and spacing ignored."""
    return fold(" ".join((name or "").split()))
