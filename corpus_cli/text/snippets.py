"""Snippets: the best fragments of an article with every match marked.

Matches are found by re-analysing the text with the index's own analyser, so stemmed
variants (``esercitazione`` for ``esercitazioni``) are marked, and a phrase marks only
its consecutive occurrences, not each of its words wherever they stand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus_cli.model import FrozenRecord, QueryTerms
from corpus_cli.text.analysis import Word
from corpus_cli.text.dates import is_dateline
from corpus_cli.text.languages import DEFAULT_LANGUAGE, analyse

_SPACE = re.compile(r"\s+")


def collapse_spaces(text: str) -> str:
    """Every run of white space as one space, so offsets index a one-line text."""
    return _SPACE.sub(" ", text)


Span = tuple[int, int]


@dataclass(eq=False, repr=False)
class Snippet(FrozenRecord):
    """Plain text plus the character spans to highlight in it."""

    text: str
    spans: list[Span] = field(default_factory=list)


def find_matches(text: str, query: QueryTerms, language: str = DEFAULT_LANGUAGE) -> list[Span]:
    """Character spans of ``text`` (in ``language``) that ``query`` matched, sorted, not
    overlapping."""
    if query.is_empty:
        return []
    analysed = [Word(pos, *token) for pos, token in enumerate(analyse(text, language))]
    return _merge(_match_spans(analysed, query))


def _match_spans(analysed: list[Word], query: QueryTerms) -> list[Span]:
    spans = [
        (w.start, w.end) for w in analysed if w.stem in query.stems or w.folded in query.folded
    ]
    if query.phrases:
        stems = [w.stem for w in analysed]
        for phrase in query.phrases:
            n = len(phrase)
            first = phrase[0]
            for i, s in enumerate(stems):
                if s == first and tuple(stems[i : i + n]) == phrase:
                    spans.append((analysed[i].start, analysed[i + n - 1].end))
    return spans


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def make_snippet(
    text: str,
    query: QueryTerms,
    width: int = 240,
    fragments: int = 2,
    language: str = DEFAULT_LANGUAGE,
) -> Snippet:
    """Up to ``fragments`` windows of about ``width`` characters around the densest matches.

    Whitespace is collapsed so a fragment reads as one line; cut edges get an ellipsis.
    """
    flat = collapse_spaces(text).strip()
    spans = find_matches(flat, query, language)
    if not spans:
        return _lead(flat, width)
    windows = _best_windows(flat, spans, width, fragments)
    pieces: list[str] = []
    out_spans: list[Span] = []
    offset = 0
    for n, (start, end) in enumerate(windows):
        prefix = "… " if start > 0 else ""
        if n:
            prefix = " " + prefix if prefix else " … "
        suffix = " …" if end < len(flat) and n == len(windows) - 1 else ""
        piece = flat[start:end]
        offset += len(prefix)
        for s, e in spans:
            if s >= start and e <= end:
                out_spans.append((offset + s - start, offset + e - start))
        pieces.append(prefix + piece)
        offset += len(piece)
        if suffix:
            pieces.append(suffix)
            offset += len(suffix)
    return Snippet("".join(pieces), out_spans)


def _lead(flat: str, width: int) -> Snippet:
    if len(flat) <= width:
        return Snippet(flat)
    return Snippet(cut_at_word(flat, width, width // 2) + " …")


#: How long a derived title may be before it is cut at a word (with "…").
DERIVED_TITLE_WIDTH = 70


def derived_title(text: str) -> str:
    """What stands in for a missing title, in every output: the text's first words.

    On one line, cut at a word after at most ``DERIVED_TITLE_WIDTH`` characters. A first
    line that is a byline or dateline ("Опубликовано 21 декабря 2022 года, 14:05") dates the
    article and is no title: the words after it stand in.
    """
    first, _, rest = text.strip().partition("\n")
    if rest.strip() and is_dateline(first):
        text = rest
    flat = " ".join(text.split())
    if len(flat) <= DERIVED_TITLE_WIDTH:
        return flat
    return cut_at_word(flat, DERIVED_TITLE_WIDTH, 20) + "…"


def cut_at_word(flat: str, width: int, shortest: int) -> str:
    """At most ``width`` characters of ``flat``, ending at a space after ``shortest`` if any."""
    cut = flat.rfind(" ", 0, width)
    return flat[: cut if cut > shortest else width]


def _best_windows(flat: str, spans: list[Span], width: int, fragments: int) -> list[Span]:
    """Pick windows that cover the most distinct matched words, then the most matches."""
    candidates: list[tuple[int, int, int, int]] = []
    for i, (anchor, _) in enumerate(spans):
        start = max(0, anchor - width // 4)
        end = start + width
        inside = [(s, e) for s, e in spans[i:] if e <= end]
        # Start a bit before the first match so it reads in context.
        distinct = len({flat[s:e].lower() for s, e in inside})
        candidates.append((distinct, len(inside), -start, start))
    candidates.sort(reverse=True)
    chosen: list[Span] = []
    for _distinct, _count, _neg, start in candidates:
        end = min(len(flat), start + width)
        if any(start < c_end and end > c_start for c_start, c_end in chosen):
            continue
        chosen.append(_to_word_bounds(flat, start, end))
        if len(chosen) == fragments:
            break
    return sorted(chosen)


def _to_word_bounds(flat: str, start: int, end: int) -> Span:
    if start > 0:
        space = flat.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 30 else start
    if end < len(flat):
        space = flat.find(" ", end)
        end = space if space != -1 and space - end < 30 else end
    return start, end
