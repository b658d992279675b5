"""An analyzer per language, the same at index, query and highlight time.

Italian keeps :mod:`corpus_cli.text.analysis` exactly (light stems, unprefixed), so
Italian indexes and their search quality do not change. Every other language is
analysed here and its stems carry the language as a prefix (``en:exercis``,
``zh:演习``): a query word is analysed once per language the index holds and the
forms are OR'ed, and the prefix keeps a stem of one language from matching an article
of another by accident (the French stem ``pain`` is not the English word ``pain``).
Surface words (what wildcards and fuzzy terms match) stay unprefixed.

- Languages Snowball knows (PyStemmer: English, French, German, Spanish, Portuguese,
  Russian and ~25 more): lower-case; ligatures and ``ß`` spelt out, ``ё`` as ``е``;
  the language's elided articles dropped (French ``l'``, ``d'``, ``qu'``...); the
  Snowball stem; then, in Latin scripts, diacritics removed from the stem, so that
  ``Übung`` and ``Ubungen`` meet. Cyrillic and other scripts keep their marks
  (removing them would make ``й`` an ``и``).
- Chinese, Japanese and Korean: runs of their characters become overlapping bigrams,
  as Lucene's CJK analyzer makes them (a lone character stays a unigram), so that
  ``演习`` finds ``军事演习``; a query of several bigrams is a phrase of them.
- Any other language: neutral, folded words and no stemming.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from corpus_cli.text import analysis
from corpus_cli.text.analysis import APOSTROPHES, WORD_RUN

if TYPE_CHECKING:
    from collections.abc import Iterable

#: The corpus default when nothing says otherwise: the first corpora were Italian.
DEFAULT_LANGUAGE = "it"
#: A code no language has: the neutral analysis (folded words, no stemming).
NEUTRAL = "und"
#: The language whose stems carry no prefix (indexes built before languages stay valid).
UNPREFIXED = "it"

#: ISO 639-1 code -> PyStemmer's algorithm name.
SNOWBALL = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "eo": "esperanto",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
#: Languages written in CJK characters, analysed as bigrams.
BIGRAMS = frozenset(["zh", "ja", "ko"])
#: Scripts whose marks are letters: diacritics stay on their stems.
KEEP_MARKS = frozenset(
    ["ru", "uk", "be", "bg", "mk", "sr", "el", "ar", "fa", "he", "hi", "ne", "ta", "hy", "yi"]
)
#: Elided words dropped before an apostrophe, by language (Italian's are in analysis.py).
ELISIONS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        [
            *("l", "d", "j", "m", "n", "s", "t", "c", "qu"),
            *("jusqu", "lorsqu", "puisqu", "quoiqu", "presqu", "quelqu"),
        ]
    ),
    "ca": frozenset(["l", "d", "m", "n", "s", "t"]),
}
_LIGATURES = str.maketrans({"ß": "ss", "œ": "oe", "æ": "ae", "ё": "е", "ﬁ": "fi", "ﬂ": "fl"})
#: A run of CJK characters (Han, kana, Hangul), which no space divides into words.
CJK_RUN = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002ffff]+"
)

Token = tuple[int, int, str, str]
_CACHE_LIMIT = 200_000


def normal_code(value: str | None) -> str | None:
    """An ISO 639-1 code from what metadata says (``en-US``, ``pt_BR``, ``FR``), or None."""
    if not value:
        return None
    code = re.split(r"[-_\s,;]", value.strip().lower(), maxsplit=1)[0]
    return code if len(code) == 2 and code.isascii() and code.isalpha() else None


def prefix(language: str) -> str:
    """What a language's stems start with in the index ('' for Italian)."""
    return "" if language == UNPREFIXED else language + ":"


def strip_marks(word: str) -> str:
    """``word`` without combining marks (NFKD), as :func:`analysis.fold` removes them."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _marks_folded(lowered: str, keep_marks: bool) -> str:
    return lowered if keep_marks else strip_marks(lowered)


def surface_form(text: str, language: str) -> str:
    """``text`` (a word, or a wildcard pattern: ``*``, ``?`` and ``[]`` are kept)
    folded as ``language`` folds the words it indexes as written, which prefixes,
    wildcards and fuzzy terms are matched against.

    Italian is :func:`analysis.fold` (twice, as the parser folds); German spells out
    ``ß`` (``straß`` is ``strass``), French ``œ``, Russian keeps ``й`` and makes
    ``ё`` an ``е``; in Chinese, Japanese and Korean the CJK characters stay as
    written, as their bigrams do, and other characters are folded neutrally.
    """
    if language == UNPREFIXED:
        return analysis.fold(analysis.fold(text))
    if language not in BIGRAMS:
        return _marks_folded(text.lower().translate(_LIGATURES), language in KEEP_MARKS)
    parts: list[str] = []
    done = 0
    for run in CJK_RUN.finditer(text):
        parts.append(surface_form(text[done : run.start()], NEUTRAL))
        parts.append(run.group())
        done = run.end()
    parts.append(surface_form(text[done:], NEUTRAL))
    return "".join(parts)


@cache
def _word_analyzer(language: str) -> Callable[[str], tuple[str, str, bool]]:
    """surface word -> (folded, prefixed stem, may be elided), cached, for one language."""
    tag = prefix(language)
    elisions = ELISIONS.get(language, frozenset())
    keep_marks = language in KEEP_MARKS
    algorithm = SNOWBALL.get(language)
    stem_word: Callable[[str], str] | None = None
    if algorithm is not None:
        import Stemmer  # PyStemmer: a C extension, loaded only for a language that needs it

        stem_word = Stemmer.Stemmer(algorithm).stemWord
    memo: dict[str, tuple[str, str, bool]] = {}

    def analyse_word(word: str) -> tuple[str, str, bool]:
        entry = memo.get(word)
        if entry is not None:
            return entry
        lowered = word.lower().translate(_LIGATURES)
        folded = _marks_folded(lowered, keep_marks)
        stemmed = stem_word(lowered) if stem_word is not None else lowered
        if not keep_marks:
            stemmed = strip_marks(stemmed)
        entry = (folded, tag + stemmed, folded in elisions)
        if len(memo) > _CACHE_LIMIT:
            memo.clear()
        memo[word] = entry
        return entry

    return analyse_word


def analyse(text: str, language: str) -> list[Token]:
    """(start, end, folded, stem) of each word of ``text`` analysed as ``language``.

    Italian is :func:`corpus_cli.text.analysis.analyse` itself; other languages' stems
    carry their prefix.
    """
    if language == UNPREFIXED:
        return analysis.analyse(text)
    if language in BIGRAMS:
        return _bigrams(text, language)
    analyse_word = _word_analyzer(language)
    out: list[Token] = []
    length = len(text)
    for match in WORD_RUN.finditer(text):
        folded, stemmed, elides = analyse_word(match.group())
        end = match.end()
        if elides and end + 1 < length and text[end] in APOSTROPHES:
            after = end + 2 if text[end + 1] == " " else end + 1
            if after < length and text[after].isalpha():
                continue
        out.append((match.start(), end, folded, stemmed))
    return out


def _bigrams(text: str, language: str) -> list[Token]:
    """CJK runs as overlapping bigrams (a lone character as itself); other words neutral."""
    tag = prefix(language)
    neutral = _word_analyzer(NEUTRAL)
    out: list[Token] = []
    for match in WORD_RUN.finditer(text):
        start, word = match.start(), match.group()
        done = 0
        for run in CJK_RUN.finditer(word):
            if run.start() > done:
                _neutral_words(word[done : run.start()], start + done, tag, neutral, out)
            chars, first = run.group(), start + run.start()
            if len(chars) == 1:
                out.append((first, first + 1, chars, tag + chars))
            for i in range(len(chars) - 1):
                pair = chars[i : i + 2]
                out.append((first + i, first + i + 2, pair, tag + pair))
            done = run.end()
        if done < len(word):
            _neutral_words(word[done:], start + done, tag, neutral, out)
    return out


def _neutral_words(
    part: str,
    offset: int,
    tag: str,
    analyse_word: Callable[[str], tuple[str, str, bool]],
    out: list[Token],
) -> None:
    """A non-CJK word of a CJK text (``NATO``, ``2023``): folded, under the text's tag."""
    folded, _, _ = analyse_word(part)
    out.append((offset, offset + len(part), folded, tag + folded))


def index_terms(text: str, language: str) -> tuple[list[str], list[str]]:
    """(folded words, stems) of ``text`` in ``language``, as :func:`analyse` gives them."""
    if language == UNPREFIXED:
        return analysis.index_terms(text)
    tokens = analyse(text, language)
    return [t[2] for t in tokens], [t[3] for t in tokens]


def terms(text: str, language: str, stemmed: bool = True) -> list[str]:
    """The index terms of ``text`` in ``language`` (stems, or folded surface words)."""
    if language == UNPREFIXED:
        return analysis.terms(text, stemmed)
    if stemmed:
        return [token[3] for token in analyse(text, language)]
    return [token[2] for token in analyse(text, language)]


def describe(language: str) -> str:
    """How a language is analysed, in a few words (for ``--explain`` and the README)."""
    if language == UNPREFIXED:
        return "Italian light stems"
    if language in BIGRAMS:
        return "CJK character bigrams"
    if language in SNOWBALL:
        return f"Snowball {SNOWBALL[language]}"
    return "folded words, no stemming"


def ordered(languages: Iterable[str]) -> list[str]:
    """Languages in a stable order, Italian (the unprefixed one) first."""
    return sorted(set(languages), key=lambda code: (code != UNPREFIXED, code))
