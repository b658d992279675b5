"""A query's text as a flat list of tokens, the way Whoosh's parser first splits it.

At each position the first matching token kind wins; characters no kind matches
are runs of plain text, i.e. words. :mod:`corpus_cli.query.parser` then makes its
passes over this list.

Beside Whoosh's kinds there are the web-search ones: ``-`` and ``+`` at the start
of a word, phrase or group (``-auto``, ``-"mar cinese"``, ``+furto``) and ``|``
(an OR, spaced or not). Whoosh read those characters as part of the word, where
analysis dropped them (``furto -auto`` searched for both words).
"""

from __future__ import annotations

from corpus_cli.errors import QuerySyntaxError
from corpus_cli.query.checks import DIGITS
from corpus_cli.text.analysis import WORD_RUN, is_word_char

# -- tokens --------------------------------------------------------------------------


class Token:
    __slots__ = ()


class TextToken(Token):
    """A token that searches for text: it can take a field and a boost."""

    __slots__ = ("boost", "field", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.field: str | None = None
        self.boost = 1.0


class WordToken(TextToken):
    __slots__ = ()


class WildToken(TextToken):
    __slots__ = ()


class PrefixToken(TextToken):
    __slots__ = ()


class PhraseToken(TextToken):
    """``"a b"``, or ``"a b"~N``: ``distance`` is N, the words allowed between each two
    (None: no ``~`` typed)."""

    __slots__ = ("distance",)

    def __init__(self, text: str, distance: int | None) -> None:
        super().__init__(text)
        self.distance = distance


class FuzzyToken(TextToken):
    __slots__ = ("max_edits", "prefix_length")

    def __init__(self, word: WordToken, tilde: TildeToken) -> None:
        super().__init__(word.text)
        self.max_edits = tilde.max_edits
        self.prefix_length = tilde.prefix_length


class SpaceToken(Token):
    __slots__ = ()


class MarkToken(Token):
    """A token that turns back into a word, ``original``, where it cannot apply."""

    __slots__ = ("original",)

    def __init__(self, original: str) -> None:
        self.original = original


class FieldToken(MarkToken):
    __slots__ = ("name",)

    def __init__(self, name: str, original: str) -> None:
        super().__init__(original)
        self.name = name


class BoostToken(MarkToken):
    __slots__ = ("boost",)

    def __init__(self, boost: float, original: str) -> None:
        super().__init__(original)
        self.boost = boost


class TildeToken(MarkToken):
    __slots__ = ("max_edits", "prefix_length")

    def __init__(self, max_edits: int, prefix_length: int, original: str) -> None:
        super().__init__(original)
        self.max_edits = max_edits
        self.prefix_length = prefix_length


class OpenToken(Token):
    __slots__ = ()


class CloseToken(Token):
    __slots__ = ()


class OperatorToken(Token):
    """NOT, AND, OR, ANDNOT, ANDMAYBE, REQUIRE; MINUS and PLUS for ``-`` and ``+``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class Group(Token):
    """Parentheses ("and"), or what an operator made: and, or, not, andnot, andmaybe, require."""

    __slots__ = ("boost", "kind", "owner", "tokens")

    def __init__(self, kind: str, tokens: list[Token] | None = None) -> None:
        self.kind = kind
        self.tokens: list[Token] = tokens if tokens is not None else []
        self.boost = 1.0
        #: For an OR whose left operand was an unscoped word: that word. Whoosh had
        #: made the word an OR over title and text and extended that very OR (so a
        #: boost on the word covered the whole OR; here it stays the word's).
        self.owner: TextToken | None = None


def takes_boost(token: Token) -> bool:
    return isinstance(token, TextToken) or (
        isinstance(token, Group) and token.kind in ("and", "or", "not")
    )


def _spaced(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` has a space on both sides."""
    return start > 0 and text[start - 1] == " " and end < len(text) and text[end] == " "


def tokens(text: str, with_require: bool) -> list[Token]:
    """Split ``text`` (cleaned: single spaces) into tokens, as Whoosh's taggers did.

    At each position the token kinds are tried in Whoosh's order (ANDNOT, ANDMAYBE,
    ``*:*``, 'quoted', ``field:``, wildcard, "phrase", parentheses, NOT, AND, OR,
    REQUIRE, boost, tilde, range, spaces); the first that matches is taken, and the
    characters between matches are words. Kinds are tried at every position, inside
    words too: ``a~2b:c`` is a fuzzy ``a`` and the field ``b:``.
    """
    found: list[Token] = []
    length = len(text)
    pos = done = 0
    run_start = run_end = -1  # the run of word characters around pos, once measured
    while pos < length:
        char = text[pos]
        before = text[pos - 1] if pos else " "
        token: Token | None = None
        end = pos + 1
        if char == "A" and pos and before == " " and text.startswith(("ANDNOT ", "ANDMAYBE "), pos):
            token = OperatorToken("ANDNOT" if text[pos + 3] == "N" else "ANDMAYBE")
            end = pos + len(token.name)
        elif char == "*" and text.startswith("*:*", pos):
            raise QuerySyntaxError(
                "'*:*' cannot be searched; leave the query out to see every article."
            )
        elif char == "'" and (pos == 0 or not is_word_char(before)):
            close = _closing_quote(text, pos)
            if close >= 0:
                token, end = WordToken(text[pos + 1 : close]), close + 1
        if token is None and (char == "*" or is_word_char(char)):
            if char == "*":
                word_end = pos + 1
            else:
                if not run_start <= pos < run_end:
                    run = WORD_RUN.match(text, pos)
                    run_start, run_end = pos, run.end() if run else pos + 1
                word_end = run_end
            if word_end < length and text[word_end] == ":":
                token = FieldToken(text[pos:word_end], text[pos : word_end + 1])
                end = word_end + 1
        if token is None:
            token, end = _other_token(text, pos, with_require)
        if token is None:
            # Inside a run of word characters nothing can match but a field name,
            # and that was ruled out for the whole run: skip to its end.
            pos = run_end if run_start <= pos < run_end else pos + 1
            continue
        if done < pos:
            found.append(WordToken(text[done:pos]))
        found.append(token)
        pos = done = end
    if done < length:
        found.append(WordToken(text[done:]))
    return found


def _other_token(text: str, pos: int, with_require: bool) -> tuple[Token | None, int]:
    """The token at ``pos`` from wildcards on, in Whoosh's order; None if none."""
    char = text[pos]
    before = text[pos - 1] if pos else " "
    if char in "-+" and before in " (" and _starts_clause(text, pos + 1):
        return OperatorToken("MINUS" if char == "-" else "PLUS"), pos + 1
    if char == "|":
        # ``a | b``, ``a|b`` and ``a || b`` are one OR each, as web search engines read them.
        end = pos + 1
        while end < len(text) and text[end] == "|":
            end += 1
        return OperatorToken("OR"), end
    if char in "*?":
        return WildToken(char), pos + 1
    if char == '"':
        close = text.find('"', pos + 1)
        return _phrase(text, pos, close) if close >= 0 else (None, pos)
    if char == "(":
        return OpenToken(), pos + 1
    if char == ")":
        return CloseToken(), pos + 1
    if char == "N" and before in " ()" and text.startswith("NOT ", pos):
        return OperatorToken("NOT"), pos + 3
    if char == "A" and _spaced(text, pos, pos + 3) and text.startswith("AND", pos):
        return OperatorToken("AND"), pos + 3
    if char == "O" and _spaced(text, pos, pos + 2) and text.startswith("OR", pos):
        return OperatorToken("OR"), pos + 2
    if char == "R" and with_require and before == " " and text.startswith("REQUIRE ", pos):
        return OperatorToken("REQUIRE"), pos + 7
    if char == "^":
        return _boost(text, pos)
    if char == "~" and before != " ":
        return _tilde(text, pos)
    if char in "[{":
        _refuse_range(text, pos)
    elif char == " ":
        return SpaceToken(), pos + 1
    return None, pos


def _starts_clause(text: str, pos: int) -> bool:
    """Whether a ``-`` or ``+`` just before ``pos`` prefixes something it can apply to.

    Only at the start of a word: inside one (``Emilia-Romagna``, ``anti-mafia``) the
    hyphen stays part of the word, and a hyphen between spaces (``Roma - Milano``) or
    doubled (``--x``) stays text, which analysis drops, as it always did.
    """
    return pos < len(text) and text[pos] not in " -+)|"


def _closing_quote(text: str, start: int) -> int:
    """The quote that closes the one at ``start``: the first followed by an edge."""
    close = text.find("'", start + 1)
    while close >= 0:
        if close + 1 == len(text) or text[close + 1] in " ])}":
            return close
        close = text.find("'", close + 1)
    return -1


def _phrase(text: str, start: int, close: int) -> tuple[Token, int]:
    end = close + 1
    distance = None
    if end + 1 < len(text) and text[end] == "~" and text[end + 1] in DIGITS:
        digits = end + 2
        while digits < len(text) and text[digits] in DIGITS:
            digits += 1
        distance = int(text[end + 1 : digits])
        end = digits
    return PhraseToken(text[start + 1 : close], distance), end


def _boost(text: str, start: int) -> tuple[Token | None, int]:
    """``^2``, ``^1.5``: a boost when a space, ``)`` or the end follows it."""
    end = start + 1
    while end < len(text) and text[end] in DIGITS:
        end += 1
    if end + 1 < len(text) and text[end] == "." and text[end + 1] in DIGITS:
        end += 1
        while end < len(text) and text[end] in DIGITS:
            end += 1
    if end < len(text) and text[end] not in " )":
        return None, start + 1
    number = text[start + 1 : end]
    if not number:
        return WordToken(text[start:end]), end  # a bare ^ is a (wordless) word
    return BoostToken(float(number), text[start:end]), end


def _tilde(text: str, start: int) -> tuple[Token, int]:
    """``~``, ``~2``, ``~2/3``, ``~/3``: edits (one digit) and prefix length."""
    end = start + 1
    max_edits, prefix_length = 1, 0
    if end < len(text) and text[end] in DIGITS:
        max_edits = int(text[end])
        end += 1
    if end + 1 < len(text) and text[end] == "/" and text[end + 1] in "123456789":
        digits = end + 2
        while digits < len(text) and text[digits] in DIGITS:
            digits += 1
        prefix_length = int(text[end + 1 : digits])
        end = digits
    return TildeToken(max_edits, prefix_length, text[start:end]), end


def _refuse_range(text: str, start: int) -> None:
    """Refuse ``[a TO b]``; other brackets are punctuation, which analysis drops.

    Whoosh read any bracket holding "to" as a range over the words of the text
    (``[Foto]`` was every word from "fo" on): only an explicit TO is taken as one.
    """
    close = min((i for i in (text.find("]", start), text.find("}", start)) if i >= 0), default=-1)
    if close < 0:
        return
    inner = text[start + 1 : close].replace("'", " ").split()
    if any(word.lower() == "to" for word in inner):
        raise QuerySyntaxError(
            "Ranges like '[a TO b]' cannot be searched; use --from and --to to filter by date."
        )
