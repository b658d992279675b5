"""Italian text analysis, the same at index, query and highlight time.

Lower-case, fold accents, drop elided articles (``l'``, ``dell’``), then stem with
Snowball Italian. No stop words are removed: a query of common words (``perché``,
``stato di``) must still find its documents, and phrases keep their prepositions.

The Whoosh schema pickles :class:`ItalianAnalyzer` into the index, so this module's
import path and the class's attributes must not move.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any, NamedTuple

from corpus_cli.lean_whoosh import import_whoosh

# Every process that touches the index imports this module first (the schema's
# pickled analyzer lives here), so this is where Whoosh is first imported.
import_whoosh()

from whoosh.analysis import Analyzer, Token  # noqa: E402

_WORD = re.compile(r"\w+")
_APOSTROPHES = "'’`ʼ"

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
_stem_cache: dict[str, str] = {}
_CACHE_LIMIT = 500_000
_stemmer: Any = None


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
    """Snowball Italian stem of an already folded word (C stemmer, cached)."""
    stemmed = _stem_cache.get(folded)
    if stemmed is None:
        global _stemmer
        if _stemmer is None:
            import Stemmer  # PyStemmer: the C Snowball stemmers, ~20x the pure-Python one

            # Its own cache off (0): the cache here comes first, and PyStemmer's
            # doubled the cost of each word this one had not seen (6.2 -> 3.1 ms
            # for the 2,410 distinct words of ten articles).
            _stemmer = Stemmer.Stemmer("italian", 0)
        stemmed = _stemmer.stemWord(folded)
        if len(_stem_cache) > _CACHE_LIMIT:
            _stem_cache.clear()
        _stem_cache[folded] = stemmed
    return stemmed


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


def _analyse(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, folded, stem) of each word of ``text``; elided articles dropped."""
    global _last
    if _last[0] is text or (len(text) > 200 and _last[0] == text):
        return _last[1]
    out: list[tuple[int, int, str, str]] = []
    append = out.append
    cache_get = _surface_cache.get
    length = len(text)
    for match in _WORD.finditer(text):
        surface = match.group()
        entry = cache_get(surface) or _surface(surface)
        end = match.end()
        if entry[2] and end + 1 < length and text[end] in _APOSTROPHES and text[end + 1].isalpha():
            continue
        append((match.start(), end, entry[0], entry[1]))
    _last = (text, out)
    return out


def words(text: str) -> Iterator[Word]:
    """Split ``text`` into analysed words with positions and character offsets."""
    for pos, (start, end, folded, stemmed) in enumerate(_analyse(text)):
        yield Word(pos, start, end, folded, stemmed)


def terms(text: str, stemmed: bool = True) -> list[str]:
    """The index terms of ``text``, in order (stems, or folded surface words)."""
    if stemmed:
        return [word[3] for word in _analyse(text)]
    return [word[2] for word in _analyse(text)]


class ItalianAnalyzer(Analyzer):  # type: ignore[misc]
    """Whoosh analyzer over :func:`words`: stems when ``stemmed``, else folded words.

    The unstemmed variant serves wildcard and fuzzy queries, which must match the
    words people type (``esercitaz*``), not stems.
    """

    def __init__(self, stemmed: bool = True) -> None:
        self.stemmed = stemmed

    @property
    def is_morph(self) -> bool:
        return self.stemmed

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        if not tokenize:
            # Whoosh asks for an untokenized value when it already split the
            # query itself (wildcards, ranges): fold it, keep it whole.
            token.text = fold(value)
            if keeporiginal:
                token.original = value
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        stemmed = self.stemmed
        for pos, word in enumerate(_analyse(value), start_pos):
            token.text = word[3] if stemmed else word[2]
            if keeporiginal:
                token.original = value[word[0] : word[1]]
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + word[0]
                token.endchar = start_char + word[1]
            yield token
