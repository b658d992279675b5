"""The Whoosh analyzer: the shared Italian analysis (text/analysis.py) as Whoosh tokens.

Whoosh pickles this class into every index's schema, so its import path and its
attributes are part of the index format. Indexes built before the package was laid
out in layers pickled it as ``corpus_cli.analysis.ItalianAnalyzer``;
:func:`corpus_cli.storage.whoosh.schema.register_legacy_paths` lets those open too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from corpus_cli.storage.whoosh.lean_import import import_whoosh

# Every process that touches a Whoosh index imports this module first (the schema's
# pickled analyzer lives here), so this is where Whoosh is first imported.
import_whoosh()

from whoosh.analysis import Analyzer, Token  # noqa: E402

from corpus_cli.text.analysis import analyse, fold  # noqa: E402


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
        for pos, word in enumerate(analyse(value), start_pos):
            token.text = word[3] if stemmed else word[2]
            if keeporiginal:
                token.original = value[word[0] : word[1]]
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + word[0]
                token.endchar = start_char + word[1]
            yield token
