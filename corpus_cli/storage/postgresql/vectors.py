"""An article as its row: the ``tsvector`` literal of its terms and its word counts.

The analysis is :func:`corpus_cli.text.languages.index_terms` in the article's language
(for Italian, :func:`corpus_cli.text.analysis.index_terms`), once per title and text:
the same stems (``terms(text)``) and folded surface words
(``terms(text, stemmed=False)``) the Whoosh backend indexes. One vector holds both:

- each stem at its positions, weighted A in the title and D in the text (D is the
  default weight, written as nothing: the literal stays short), the text's positions
  starting ``TITLE_TEXT_GAP`` after the title's last, so that no phrase, exact or
  proximity, joins the last words of a title to the first of its text;
- each surface word, marked by a leading ``.`` (no analysed word has one), at its
  positions in the title (A) and in the text: prefixes, wildcards and fuzzy terms
  match these, a field scope reads their weights, and BM25 counts them (the ranking
  of the exact forms typed). Most words of a text occur once, so their positions
  cost ~5% of a vector.

PostgreSQL's limits, and what is done at them: a position above 16,383 is stored as
16,383 (a phrase past that word of a very long article is not found); a lexeme
keeps its first 256 positions (only the rank sees the rest missing); a lexeme of
more than 2,046 bytes cannot be stored, and one of more than 2,043 (its tier lexeme
would not fit) is left out; a vector is at most 1 MB, tier lexemes included, so the
words of an enormous text beyond what fits are left out of its vector.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from corpus_cli.model import Article
from corpus_cli.query.tree import MAX_PHRASE_GAP
from corpus_cli.storage.postgresql.tiers import Tiers, titled
from corpus_cli.text.languages import DEFAULT_LANGUAGE, index_terms

SURFACE = "."
#: Positions between a title's last word and its text's first: more than the widest
#: proximity phrase reaches, so that no phrase joins the end of a title to its text.
TITLE_TEXT_GAP = MAX_PHRASE_GAP + 2
#: PostgreSQL's limit on the lexemes of one vector, in bytes (positions are apart).
MAX_LEXEME_TOTAL = 1_048_575
#: PostgreSQL stores a lexeme of at most 2,046 bytes; 3 fewer, for its tier lexeme.
MAX_LEXEME_BYTES = 2043
#: Characters below which no lexeme can pass MAX_LEXEME_BYTES (UTF-8: 4 bytes at most).
_SAFE_CHARS = MAX_LEXEME_BYTES // 4
#: Position strings, computed once: most of a vector's literal is positions.
_POSITIONS = [str(n) for n in range(16384)]
_LAST = _POSITIONS[-1]


@dataclass
class Terms:
    """What one article adds to the index besides its stored fields."""

    vector: str
    title_length: int
    text_length: int
    #: The folded words of the title; the folded words and the stems of the text; the
    #: stems of the title.
    title_words: list[str] = field(default_factory=list)
    text_words: list[str] = field(default_factory=list)
    text_stems: list[str] = field(default_factory=list)
    title_stems: list[str] = field(default_factory=list)


def quote(lexeme: str) -> str:
    """A lexeme as a quoted ``tsvector``/``tsquery`` literal: any text at all is safe."""
    if "'" in lexeme or "\\" in lexeme:
        lexeme = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{lexeme}'"


def article_terms(
    title: str | None,
    text: str,
    with_vector: bool = True,
    language: str = DEFAULT_LANGUAGE,
    tiers: Tiers | None = None,
) -> Terms:
    """The words of an article and, ``with_vector``, its vector's literal; with the
    corpus's impact ``tiers``, its tier lexemes in it too
    (:mod:`.tiers`)."""
    title_words, title_stems = index_terms(title, language) if title else ([], [])
    text_words, text_stems = index_terms(text, language)
    terms = Terms(
        "", len(title_words), len(text_words), title_words, text_words, text_stems, title_stems
    )
    if not with_vector:
        return terms
    text_stems, text_words = terms.text_stems, terms.text_words
    kept = len(text_stems)
    while True:
        vector, size = _literal(title_stems, title_words, text_stems[:kept], text_words[:kept])
        marks = _tier_lexemes(terms, kept, tiers) if tiers is not None else []
        if marks:
            size += sum(map(len, marks))
        if size <= MAX_LEXEME_TOTAL or kept == 0:
            break
        kept //= 2  # an enormous text: what fits of it
    if marks:
        plain = "".join(marks)
        if "'" in plain or "\\" in plain:
            vector += " " + " ".join(map(quote, marks))
        else:
            vector += " '" + "' '".join(marks) + "'"
    terms.vector = vector
    return terms


def _tier_lexemes(terms: Terms, kept: int, tiers: Tiers) -> list[str]:
    """The tier lexemes of the vector's stems and surface words (those it kept), against
    the text's length that BM25 reads (the whole text's), and those of the title."""
    stems, words = Counter(terms.text_stems[:kept]), Counter(terms.text_words[:kept])
    titles = {*terms.title_stems, *(SURFACE + word for word in terms.title_words)}
    if max(map(len, [*stems, *words, *titles]), default=0) > _SAFE_CHARS:
        # Words the vector leaves out (too long to store) get no tier lexemes either.
        stems = Counter({x: n for x, n in stems.items() if _storable(x)})
        words = Counter({x: n for x, n in words.items() if _storable(SURFACE + x)})
        titles = {x for x in titles if _storable(x)}
    marks = tiers.entries([(stems, ""), (words, SURFACE)], terms.text_length)
    marks += map(titled, titles)
    return marks


def _storable(lexeme: str) -> bool:
    """Whether a lexeme is short enough to store, with room for its tier lexeme."""
    return len(lexeme.encode("utf-8")) <= MAX_LEXEME_BYTES


def prepare(article: Article, tiers: Tiers | None = None) -> Terms:
    """An article's :class:`Terms`: :meth:`PostgresStore.preparer`'s function."""
    return article_terms(article.title, article.text, language=article.language, tiers=tiers)


def _positions(lexemes: list[str], first: int) -> defaultdict[str, list[str]]:
    """Lexeme -> its positions from ``first``, as strings (PostgreSQL clamps those past
    16,383 and keeps the first 256 of a lexeme)."""
    end = first + len(lexemes)
    places = _POSITIONS[first:end]
    if end > len(_POSITIONS):
        places += [_LAST] * (end - max(first, len(_POSITIONS)))
    found: defaultdict[str, list[str]] = defaultdict(list)
    for lexeme, place in zip(lexemes, places, strict=True):
        found[lexeme].append(place)
    return found


def _literal(
    title_stems: list[str], title_words: list[str], text_stems: list[str], text_words: list[str]
) -> tuple[str, int]:
    """The vector's literal, and the characters of its lexemes (about their bytes)."""
    start = len(title_stems) + TITLE_TEXT_GAP
    stems = _positions(text_stems, start)
    words = _positions(text_words, start)
    # Title positions, weighted A (PostgreSQL sorts a lexeme's positions itself).
    for place, stem in enumerate(title_stems, 1):
        stems[stem].append(f"{place}A")
    for place, word in enumerate(title_words, 1):
        words[word].append(f"{place}A")
    surface = {SURFACE + word: ",".join(places) for word, places in words.items()}
    lexemes = "".join(stems) + "".join(surface)
    size = len(lexemes)
    longest = max(max(map(len, stems), default=0), max(map(len, surface), default=0))
    if "'" in lexemes or "\\" in lexemes or size > MAX_LEXEME_TOTAL // 4 or longest > _SAFE_CHARS:
        return _careful(stems, surface)
    parts = [" ".join(map(_ENTRY.format, stems, map(",".join, stems.values())))]
    parts.append(" ".join(map(_ENTRY.format, surface, surface.values())))
    return " ".join(parts), size


_ENTRY = "'{}':{}"


def _careful(stems: dict[str, list[str]], surface: dict[str, str]) -> tuple[str, int]:
    """The literal of a vector with lexemes to escape, or too long to keep whole."""
    parts: list[str] = []
    size = 0
    for lexeme, places in [*((s, ",".join(p)) for s, p in stems.items()), *surface.items()]:
        if not _storable(lexeme):
            continue  # PostgreSQL cannot store it, or not with its tier lexeme
        size += len(lexeme.encode("utf-8"))
        parts.append(f"{quote(lexeme)}:{places}")
    return " ".join(parts), size
