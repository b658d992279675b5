"""A light Italian stemmer: number and gender endings only, after Jacques Savoy.

Snowball Italian removes derivational and verbal suffixes as well as inflections, so
different words end up as one stem: ``spaccio`` (drug dealing) and ``spaccata``
(smashed) are both ``spacc``, ``incidente`` and ``incidenza`` both ``incident``. The
light stemmer Savoy proposed for Italian (J. Savoy, *Report on CLEF-2001 experiments*,
the algorithm behind the Italian analyzers of Lucene and Elasticsearch) removes only
the final vowel that marks number and gender, so ``spaccio`` is ``spacc`` and
``spaccata`` is ``spaccat``. It was written here from the rules below, not from any
implementation.

The rules, applied to an already folded (lower-case) word:

1. Accented vowels become plain ones (``à á â ä`` -> ``a``, and so for ``e i o u``);
   a word folded by :func:`corpus_cli.text.analysis.fold` has none left.
2. A word of five characters or fewer is kept as it is: ``colpo``, ``colpa``,
   ``porto``, ``porta``, ``banda``, ``bando`` stay six different words (and ``furto``
   and ``furti`` two: the price of the rule).
3. A longer word loses its last letter when that letter is a vowel marking number or
   gender, and the letter before it too in the cases where that letter belongs to
   the ending rather than to the stem:

   ====================  ===============================  ======================
   the word ends in      removed                          examples
   ====================  ===============================  ======================
   ``-ie``, ``-he``      both letters                     camicie, banche
   ``-e``                the ``e``                        carabiniere, incidente
   ``-ii``, ``-hi``      both letters                     omicidii, banchi
   ``-i``                the ``i``                        carabinieri, rapinatori
   ``-ia``               both letters                     camicia, polizia
   ``-a``                the ``a``                        strada, arrestata
   ``-io``               both letters                     spaccio, negozio
   ``-o``                the ``o``                        veicolo, arrestato
   anything else         nothing                          ``-u``, consonants, digits
   ====================  ===============================  ======================

   So the ``h`` that keeps ``c`` and ``g`` hard before ``e`` and ``i`` goes with the
   ending (``bianco``/``bianca``/``bianchi``/``bianche`` -> ``bianc``, ``albergo``/
   ``alberghi`` -> ``alberg``), and so does the ``i`` that softens them
   (``camicia``/``camicie``/``camice`` -> ``camic``, ``spaccio``/``spacci``/``spaccia``
   -> ``spacc``, ``valigia``/``valigie`` -> ``valig``); a plural in ``-ci``/``-gi``
   simply loses its ``i`` (``medico``/``medica``/``medici``/``mediche`` -> ``medic``).

Nothing else is removed: verb endings (``-are``, ``-ando``, ``-ava``), derivational
suffixes (``-zione``, ``-mente``, ``-tore``) and, in Savoy's rules, the ``-trice`` of
feminine agent nouns stay, so ``rapinatrice`` (``rapinatric``) is not ``rapinatore``
(``rapinator``) (light+ groups them: rule 4+), and ``arrestare`` (``arrestar``) is not
``arrestato`` (``arrestat``).

:func:`light_plus_stem` is a variant measured beside it (not Savoy's), with one more
rule for the short words rule 2 leaves alone:

2+. A word of exactly five characters ending in ``-o`` or ``-i`` loses that ending by
    rule 3: ``furto``/``furti`` -> ``furt``, ``colpo``/``colpi`` -> ``colp``,
    ``luogo`` -> ``luog`` (as ``luoghi``), ``premi`` -> ``prem`` (as ``premio``). A
    short word ending in ``-a`` or ``-e`` is still kept, so ``colpa``, ``porta``,
    ``banda`` stay apart from ``colp``, ``port``, ``band``: among short words ``-a``/
    ``-e`` tell nouns apart (casa/caso, moda/modo) and ``-e`` is also a singular
    (come, sole, fine), so a short feminine plural (``donne``) keeps its own term.
    Four-letter words are left alone: most are function words (``per``/``pero``,
    ``con``/``cono``, ``non``/``nono`` would merge).

4+. A feminine agent noun is its masculine: a stem ending in ``-tric`` (``-trice``,
    ``-trici``) after at least four letters ends in ``-tor``, as ``-tore``/``-tori``
    do: ``rapinatrice`` -> ``rapinator`` (as ``rapinatore``), ``lavoratrici`` ->
    ``lavorator``, ``direttrice`` -> ``direttor``. Gender is an inflection the issue
    asks to group; ``matrice`` (ma- is too short) keeps ``matric``.

``bench/stemmers.py`` measures both against Snowball on dice-modena, which the index
used until schema 7: of the articles a query matched only through the stem, Snowball's
were right 29.9% of the time, light+'s 97.5%; inflections grouped, 93.1% against 82.8%
(light+ gives up verb forms and four-letter plurals such as ``nave``/``navi``, which a
``nav*`` prefix still finds). The analysis, :mod:`corpus_cli.text.analysis`, stems with
:func:`light_plus_stem`. Both are cached: ``map(light_plus_stem_memo.__getitem__,
words)`` stays in C for every word seen before.
"""

from __future__ import annotations

from collections.abc import Callable

#: Rule 4+: a stem in -tric of at least this many letters (four before -tric) is -tor.
AGENT_MIN_LENGTH = 8
#: Words of fewer characters than this are left alone (rule 2).
MIN_LENGTH = 6
#: Rule 2+: words of this many characters (and fewer than MIN_LENGTH) lose a final
#: -o or -i as longer words do.
SHORT_MIN_LENGTH = 5

_PLAIN_VOWELS = str.maketrans(
    "àáâäãåèéêëìíîïòóôöõùúûü",
    "aaaaaaeeeeiiiiooooouuuu",
)
_CACHE_LIMIT = 500_000


def _strip_ending(word: str) -> str:
    """Rule 3: the number and gender ending of ``word`` removed."""
    last = word[-1]
    if last == "e" or last == "i":
        return word[:-2] if word[-2] in "hi" else word[:-1]
    if last == "a" or last == "o":
        return word[:-2] if word[-2] == "i" else word[:-1]
    return word


def light_stem_uncached(word: str) -> str:
    """Savoy's light stem of ``word`` (lower-case, folded or not), computed afresh."""
    if not word.isascii():
        word = word.translate(_PLAIN_VOWELS)
    if len(word) < MIN_LENGTH:
        return word
    return _strip_ending(word)


def light_plus_stem_uncached(word: str) -> str:
    """The light stem with rules 2+ (short masculine endings removed) and 4+ (feminine
    agent nouns), computed afresh."""
    if not word.isascii():
        word = word.translate(_PLAIN_VOWELS)
    length = len(word)
    if length >= MIN_LENGTH:
        stem = _strip_ending(word)
        if stem.endswith("tric") and len(stem) >= AGENT_MIN_LENGTH:
            return stem[:-4] + "tor"
        return stem
    if length >= SHORT_MIN_LENGTH and (word[-1] == "o" or word[-1] == "i"):
        return _strip_ending(word)
    return word


class Memo(dict[str, str]):
    """A cache that computes what it lacks (``__missing__``), bounded in size."""

    __slots__ = ("_compute",)

    def __init__(self, compute: Callable[[str], str]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key: str) -> str:
        if len(self) > _CACHE_LIMIT:
            self.clear()
        value = self[key] = self._compute(key)
        return value


#: folded word -> light stem; ``light_stem_memo.__getitem__`` is the fast path.
light_stem_memo = Memo(light_stem_uncached)


def light_stem(folded: str) -> str:
    """The light stem of an already folded word (cached)."""
    return light_stem_memo[folded]


def light_stems(folded: list[str]) -> list[str]:
    """The light stems of a list of folded words, in order."""
    return list(map(light_stem_memo.__getitem__, folded))


#: folded word -> light stem with rule 2+.
light_plus_stem_memo = Memo(light_plus_stem_uncached)


def light_plus_stem(folded: str) -> str:
    """The light stem of an already folded word, with rule 2+ (cached)."""
    return light_plus_stem_memo[folded]


def light_plus_stems(folded: list[str]) -> list[str]:
    """The light stems (rule 2+) of a list of folded words, in order."""
    return list(map(light_plus_stem_memo.__getitem__, folded))
