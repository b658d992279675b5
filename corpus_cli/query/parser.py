"""The query language, read into the backend-neutral tree of :mod:`corpus_cli.query.tree`.

The language is the one Whoosh's query parser gave corpus (AND by default, ``OR``,
``NOT``, ``ANDNOT``, ``ANDMAYBE``, parentheses, ``"phrases"``, ``'quoted words'``,
``*``/``?`` wildcards, ``~`` fuzzy terms, ``^`` boosts, ``title:``/``text:``/``source:``
scopes), and every query must keep the meaning it had there: searches are scored by
what the tree compiles to, so a different reading would change ranks.

Whoosh does not read a query with a grammar but with passes over a flat list of
tokens, and its odd corners (where a boost lands, what ``NOT NOT a`` means) follow
from the order of those passes. This module makes the same passes, in the same
order, on its own small token classes:

1. tokens: at each position the first matching token kind wins (see :func:`_tokens`);
   characters no kind matches are runs of plain text, i.e. words;
2. parentheses nest the list into groups (unclosed ones are flattened back);
3. at the top level only, a ``^2`` that follows a space is the word ``2``;
4. ``word~`` becomes a fuzzy term;
5. ``*`` and ``?`` glue to the text beside them: a wildcard, or a prefix for ``ab*``;
6. ``field:`` scopes the token right after it (a group: everything in it);
7. spaces are dropped, then ``^2`` boosts the token before it;
8. operators, tightest first: ``NOT`` (the next token), ``AND``, ``OR``, ``ANDNOT``,
   ``ANDMAYBE``, ``REQUIRE``, each left to right; what is left side by side is ANDed.

Where Whoosh was plainly wrong this module is not (each place says so): ranges over
the words of the text, ``*:*``, phrases with a distance and wildcards on ``source:``
are refused; ANDNOT means what NOT means; a boost stays on what it follows.

It imports neither Whoosh nor any large table: a cold ``corpus search`` pays for it.
"""

from __future__ import annotations

import dataclasses
from typing import Final, TypeGuard

from corpus_cli.errors import QuerySyntaxError
from corpus_cli.query.tree import (
    And,
    AndMaybe,
    Fuzzy,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Query,
    Source,
    Term,
    TextField,
    Wildcard,
)
from corpus_cli.text.analysis import analyse, fold, terms

#: Fields a user may name in a query.
QUERY_FIELDS: Final = ("title", "text", "source")
#: Very long queries are almost always pasted text; refuse them rather than read
#: thousands of terms.
MAX_QUERY_CHARS: Final = 1000

_NO_WORDS = "The query has no words to search for (only operators or exclusions)."
#: Operator words that keep a list of words from being "plain" (and so from the
#: phrase bonus); TO is there because Whoosh read it in ranges.
_OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
_DIGITS = "0123456789"
_FIELD_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what the re module's \w matches


# -- checks on the raw text ----------------------------------------------------------


def check_query_text(text: str) -> str:
    """Reject what cannot be a query, with one sentence; return the cleaned text."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise QuerySyntaxError("The query is empty: give at least one word to search for.")
    if len(cleaned) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(
            f"The query is {len(cleaned)} characters long; the limit is {MAX_QUERY_CHARS}."
        )
    # A colon inside a phrase is just text, not a field.
    for _start, _end, name in _field_prefixes(_without_phrases(cleaned)):
        if name.lower() not in QUERY_FIELDS:
            known = ", ".join(f"{f}:" for f in QUERY_FIELDS)
            raise QuerySyntaxError(f"Unknown field '{name}:' in the query; use one of {known}.")
    return cleaned


def _without_phrases(text: str) -> str:
    """``text`` with each complete ``"..."`` replaced by a space."""
    parts: list[str] = []
    done = 0
    while True:
        start = text.find('"', done)
        end = text.find('"', start + 1) if start >= 0 else -1
        if end < 0:
            break
        parts.append(text[done:start])
        parts.append(" ")
        done = end + 1
    parts.append(text[done:])
    return "".join(parts)


def _field_prefixes(text: str) -> list[tuple[int, int, str]]:
    """(start, end of the name, name) of each ``name:`` that scopes what follows it.

    A name starts the text or follows a space or ``(``, and the colon is followed by
    something other than a space or a slash (``title: x`` and ``http://`` are text).
    """
    found: list[tuple[int, int, str]] = []
    length = len(text)
    for start, char in enumerate(text):
        if char not in _FIELD_START or (start and text[start - 1] not in " ("):
            continue
        end = start + 1
        while end < length and (_is_word_char(text[end]) or text[end] == "-"):
            end += 1
        if end + 1 < length and text[end] == ":" and text[end + 1] not in " /":
            found.append((start, end, text[start:end]))
    return found


def _lower_field_names(text: str) -> str:
    """``Title:cina`` means ``title:cina``: field names are matched in lower case."""
    prefixes = _field_prefixes(text)
    if not any(name != name.lower() for _s, _e, name in prefixes):
        return text
    chars = list(text)
    for start, end, name in prefixes:
        chars[start:end] = name.lower()
    return "".join(chars)


# -- tokens --------------------------------------------------------------------------


class _Token:
    __slots__ = ()


class _Text(_Token):
    """A token that searches for text: it can take a field and a boost."""

    __slots__ = ("boost", "field", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.field: str | None = None
        self.boost = 1.0


class _Word(_Text):
    __slots__ = ()


class _Wild(_Text):
    __slots__ = ()


class _Prefix(_Text):
    __slots__ = ()


class _Phrase(_Text):
    __slots__ = ("slop",)

    def __init__(self, text: str, slop: int) -> None:
        super().__init__(text)
        self.slop = slop


class _Fuzzy(_Text):
    __slots__ = ("max_edits", "prefix_length")

    def __init__(self, word: _Word, tilde: _Tilde) -> None:
        super().__init__(word.text)
        self.max_edits = tilde.max_edits
        self.prefix_length = tilde.prefix_length


class _Space(_Token):
    __slots__ = ()


class _Mark(_Token):
    """A token that turns back into a word, ``original``, where it cannot apply."""

    __slots__ = ("original",)

    def __init__(self, original: str) -> None:
        self.original = original


class _FieldName(_Mark):
    __slots__ = ("name",)

    def __init__(self, name: str, original: str) -> None:
        super().__init__(original)
        self.name = name


class _Boost(_Mark):
    __slots__ = ("boost",)

    def __init__(self, boost: float, original: str) -> None:
        super().__init__(original)
        self.boost = boost


class _Tilde(_Mark):
    __slots__ = ("max_edits", "prefix_length")

    def __init__(self, max_edits: int, prefix_length: int, original: str) -> None:
        super().__init__(original)
        self.max_edits = max_edits
        self.prefix_length = prefix_length


class _Open(_Token):
    __slots__ = ()


class _Close(_Token):
    __slots__ = ()


class _Operator(_Token):
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class _Group(_Token):
    """Parentheses ("and"), or what an operator made: and, or, not, andnot, andmaybe, require."""

    __slots__ = ("boost", "kind", "owner", "tokens")

    def __init__(self, kind: str, tokens: list[_Token] | None = None) -> None:
        self.kind = kind
        self.tokens: list[_Token] = tokens if tokens is not None else []
        self.boost = 1.0
        #: For an OR whose left operand was an unscoped word: that word. Whoosh had
        #: made the word an OR over title and text and extended that very OR (so a
        #: boost on the word covered the whole OR; here it stays the word's).
        self.owner: _Text | None = None


def _takes_boost(token: _Token) -> bool:
    return isinstance(token, _Text) or (
        isinstance(token, _Group) and token.kind in ("and", "or", "not")
    )


def _spaced(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` has a space on both sides."""
    return start > 0 and text[start - 1] == " " and end < len(text) and text[end] == " "


def _tokens(text: str, with_require: bool) -> list[_Token]:
    """Split ``text`` (cleaned: single spaces) into tokens, as Whoosh's taggers did.

    At each position the token kinds are tried in Whoosh's order (ANDNOT, ANDMAYBE,
    ``*:*``, 'quoted', ``field:``, wildcard, "phrase", parentheses, NOT, AND, OR,
    REQUIRE, boost, tilde, range, spaces); the first that matches is taken, and the
    characters between matches are words. Kinds are tried at every position, inside
    words too: ``a~2b:c`` is a fuzzy ``a`` and the field ``b:``.
    """
    found: list[_Token] = []
    length = len(text)
    pos = done = 0
    run_start = run_end = -1  # the run of word characters around pos, once measured
    while pos < length:
        char = text[pos]
        before = text[pos - 1] if pos else " "
        token: _Token | None = None
        end = pos + 1
        if char == "A" and pos and before == " " and text.startswith(("ANDNOT ", "ANDMAYBE "), pos):
            token = _Operator("ANDNOT" if text[pos + 3] == "N" else "ANDMAYBE")
            end = pos + len(token.name)
        elif char == "*" and text.startswith("*:*", pos):
            raise QuerySyntaxError(
                "'*:*' cannot be searched; leave the query out to see every article."
            )
        elif char == "'" and (pos == 0 or not _is_word_char(before)):
            close = _closing_quote(text, pos)
            if close >= 0:
                token, end = _Word(text[pos + 1 : close]), close + 1
        if token is None and (char == "*" or _is_word_char(char)):
            if char == "*":
                word_end = pos + 1
            else:
                if not run_start <= pos < run_end:
                    run_start = run_end = pos
                    while run_end < length and _is_word_char(text[run_end]):
                        run_end += 1
                word_end = run_end
            if word_end < length and text[word_end] == ":":
                token = _FieldName(text[pos:word_end], text[pos : word_end + 1])
                end = word_end + 1
        if token is None:
            token, end = _other_token(text, pos, with_require)
        if token is None:
            pos += 1
            continue
        if done < pos:
            found.append(_Word(text[done:pos]))
        found.append(token)
        pos = done = end
    if done < length:
        found.append(_Word(text[done:]))
    return found


def _other_token(text: str, pos: int, with_require: bool) -> tuple[_Token | None, int]:
    """The token at ``pos`` from wildcards on, in Whoosh's order; None if none."""
    char = text[pos]
    before = text[pos - 1] if pos else " "
    if char in "*?":
        return _Wild(char), pos + 1
    if char == '"':
        close = text.find('"', pos + 1)
        return _phrase(text, pos, close) if close >= 0 else (None, pos)
    if char == "(":
        return _Open(), pos + 1
    if char == ")":
        return _Close(), pos + 1
    if char == "N" and before in " ()" and text.startswith("NOT ", pos):
        return _Operator("NOT"), pos + 3
    if char == "A" and _spaced(text, pos, pos + 3) and text.startswith("AND", pos):
        return _Operator("AND"), pos + 3
    if char == "O" and _spaced(text, pos, pos + 2) and text.startswith("OR", pos):
        return _Operator("OR"), pos + 2
    if char == "R" and with_require and before == " " and text.startswith("REQUIRE ", pos):
        return _Operator("REQUIRE"), pos + 7
    if char == "^":
        return _boost(text, pos)
    if char == "~" and before != " ":
        return _tilde(text, pos)
    if char in "[{":
        _refuse_range(text, pos)
    elif char == " ":
        return _Space(), pos + 1
    return None, pos


def _closing_quote(text: str, start: int) -> int:
    """The quote that closes the one at ``start``: the first followed by an edge."""
    close = text.find("'", start + 1)
    while close >= 0:
        if close + 1 == len(text) or text[close + 1] in " ])}":
            return close
        close = text.find("'", close + 1)
    return -1


def _phrase(text: str, start: int, close: int) -> tuple[_Token, int]:
    end = close + 1
    slop = 1
    if end + 1 < len(text) and text[end] == "~" and text[end + 1] in "123456789":
        digits = end + 2
        while digits < len(text) and text[digits] in _DIGITS:
            digits += 1
        slop = int(text[end + 1 : digits])
        end = digits
    return _Phrase(text[start + 1 : close], slop), end


def _boost(text: str, start: int) -> tuple[_Token | None, int]:
    """``^2``, ``^1.5``: a boost when a space, ``)`` or the end follows it."""
    end = start + 1
    while end < len(text) and text[end] in _DIGITS:
        end += 1
    if end + 1 < len(text) and text[end] == "." and text[end + 1] in _DIGITS:
        end += 1
        while end < len(text) and text[end] in _DIGITS:
            end += 1
    if end < len(text) and text[end] not in " )":
        return None, start + 1
    number = text[start + 1 : end]
    if not number:
        return _Word(text[start:end]), end  # a bare ^ is a (wordless) word
    return _Boost(float(number), text[start:end]), end


def _tilde(text: str, start: int) -> tuple[_Token, int]:
    """``~``, ``~2``, ``~2/3``, ``~/3``: edits (one digit) and prefix length."""
    end = start + 1
    max_edits, prefix_length = 1, 0
    if end < len(text) and text[end] in _DIGITS:
        max_edits = int(text[end])
        end += 1
    if end + 1 < len(text) and text[end] == "/" and text[end + 1] in "123456789":
        digits = end + 2
        while digits < len(text) and text[digits] in _DIGITS:
            digits += 1
        prefix_length = int(text[end + 1 : digits])
        end = digits
    return _Tilde(max_edits, prefix_length, text[start:end]), end


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


# -- the passes over the tokens -------------------------------------------------------


def _nest(tokens: list[_Token]) -> _Group:
    """Parentheses into groups; a stray ``)`` is ignored, an unclosed ``(`` flattened."""
    stack = [_Group("and")]
    for token in tokens:
        if isinstance(token, _Open):
            stack.append(_Group("and"))
        elif isinstance(token, _Close):
            if len(stack) > 1:
                inner = stack.pop()
                stack[-1].tokens.append(inner)
        else:
            stack[-1].tokens.append(token)
    top = stack[0]
    for unclosed in stack[1:]:
        top.tokens.extend(unclosed.tokens)
    if len(top.tokens) == 1 and isinstance(top.tokens[0], _Group):
        top = top.tokens[0]
    return top


def _words_for_loose_boosts(top: _Group) -> None:
    """At the top level a boost must touch what it boosts: ``a ^2`` is ``a`` and ``2``.

    Inside parentheses Whoosh checked only after dropping spaces, so there ``(a ^2)``
    is ``a^2``; both readings are kept.
    """
    tokens = top.tokens
    for i, token in enumerate(tokens):
        if isinstance(token, _Boost) and (i == 0 or not _takes_boost(tokens[i - 1])):
            tokens[i] = _Word(token.original)


def _fuzzy_terms(group: _Group) -> None:
    """``word~2``: a word with a tilde right after it; any other tilde is text."""
    tokens = group.tokens
    out: list[_Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if type(token) is _Word and i + 1 < len(tokens):
            tilde = tokens[i + 1]
            if isinstance(tilde, _Tilde):
                token = _Fuzzy(token, tilde)
                i += 1
        if isinstance(token, _Tilde):
            token = _Word(token.original)
        elif isinstance(token, _Group):
            _fuzzy_terms(token)
        out.append(token)
        i += 1
    group.tokens = out


def _wildcards(group: _Group) -> None:
    """``*`` and ``?`` absorb the text touching them; ``ab*`` alone is a prefix."""
    tokens = group.tokens
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if isinstance(token, _Wild):
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if isinstance(after, _Text):
                token.text += after.text
                del tokens[i + 1]
            before = tokens[i - 1] if i > 0 else None
            if isinstance(before, _Text):
                token.text = before.text + token.text
                del tokens[i - 1]
            else:
                i += 1
        else:
            if isinstance(token, _Group):
                _wildcards(token)
            i += 1
    for i, token in enumerate(tokens):
        if isinstance(token, _Wild):
            text = token.text
            if len(text) > 1 and "?" not in text and text.find("*") == len(text) - 1:
                tokens[i] = _Prefix(text[:-1])


def _fields(group: _Group) -> None:
    """``field:`` scopes the token right after it; an unknown name is plain text."""
    tokens: list[_Token] = []
    held: _FieldName | None = None
    for token in group.tokens:
        if isinstance(token, _FieldName) and token.name not in QUERY_FIELDS:
            held = token  # a name before another unknown one is lost, as in Whoosh
            continue
        if held is not None:
            if isinstance(token, _Text):
                token.text = held.original + token.text
            else:
                tokens.append(_Word(held.original))
            held = None
        tokens.append(token)
    if held is not None:
        tokens.append(_Word(held.original))

    out: list[_Token] = []
    i = len(tokens)
    while i > 0:
        i -= 1
        token = tokens[i]
        if isinstance(token, _FieldName):
            token = _Word(token.original)  # it scoped nothing
        elif isinstance(token, _Group):
            _fields(token)
        scope = tokens[i - 1] if i > 0 else None
        if isinstance(scope, _FieldName) and not isinstance(token, _Space):
            _scope(token, scope.name)
            i -= 1
        out.append(token)
    out.reverse()
    group.tokens = out


def _scope(token: _Token, field: str) -> None:
    if isinstance(token, _Text):
        if token.field is None:
            token.field = field
    elif isinstance(token, _Group):
        for inner in token.tokens:
            _scope(inner, field)


def _without_spaces(group: _Group) -> None:
    group.tokens = [token for token in group.tokens if not isinstance(token, _Space)]
    for token in group.tokens:
        if isinstance(token, _Group):
            _without_spaces(token)


def _boosts(group: _Group) -> None:
    """``^2`` boosts the token before it, spaces or not (see _words_for_loose_boosts)."""
    out: list[_Token] = []
    for token in group.tokens:
        if isinstance(token, _Group):
            _boosts(token)
        elif isinstance(token, _Boost):
            last = out[-1] if out else None
            if isinstance(last, _Text | _Group) and _takes_boost(last):
                last.boost = token.boost  # a second boost replaces the first
                continue
            # Nothing to boost (``(^2 a)``): the word "2", as at the top level.
            token = _Word(token.original)
        out.append(token)
    group.tokens = out


def _operators(group: _Group) -> None:
    """Apply the operators of ``group``, tightest first, each left to right."""
    tokens = group.tokens
    for name in ("NOT", "AND", "OR", "ANDNOT", "ANDMAYBE", "REQUIRE"):
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if not (isinstance(token, _Operator) and token.name == name):
                i += 1
            elif name == "NOT":
                # NOT takes the next token whatever it is, even another operator.
                del tokens[i]
                if i < len(tokens):
                    tokens[i] = _Group("not", [tokens[i]])
                i += 1
            elif 0 < i < len(tokens) - 1:
                kind = name.lower()
                left, right = tokens[i - 1], tokens[i + 1]
                # Whoosh extended a group of the same kind, parentheses included
                # (``(a b) AND c``); not a boosted one here, whose boost would then
                # cover the newcomer too (Whoosh boosted c in ``(a b)^2 AND c``).
                if (
                    kind in ("and", "or")
                    and isinstance(left, _Group)
                    and left.kind == kind
                    and left.boost == 1.0
                ):
                    left.tokens.append(right)
                    del tokens[i : i + 2]
                else:
                    joined = _Group(kind, [left, right])
                    if kind == "or" and isinstance(left, _Text) and left.field is None:
                        joined.owner = left
                    tokens[i - 1 : i + 2] = [joined]
            else:
                del tokens[i]  # an infix operator at an edge has nothing to join
    for token in tokens:
        if isinstance(token, _Group):
            _operators(token)


# -- tokens into the tree -------------------------------------------------------------


class _Void:
    """A clause that matches nothing; Whoosh's normalising removes it from its parent.

    Two kinds, because Whoosh told them apart: an empty group (``()``, a word that is
    only punctuation) was false, so ``NOT`` dropped it, while other empty clauses
    (``""``) were true and left a ``NOT`` that matched nothing.
    """

    __slots__ = ("falsy",)

    def __init__(self, falsy: bool) -> None:
        self.falsy = falsy


_EMPTY = _Void(falsy=True)
_NULL = _Void(falsy=False)
#: What a token reads as: a node, a void clause, or None for no clause at all.
_Clause = Node | _Void | None


def _clause(token: _Token) -> _Clause:
    """What ``token`` searches for; one call per level of nesting (deep queries fit)."""
    if isinstance(token, _Text):
        return _text_clause(token)
    if not isinstance(token, _Group):
        return None  # nothing else is left once the passes are done
    kind = group_kind = token.kind
    if kind == "not":
        if not token.tokens:
            raise QuerySyntaxError(
                "The query could not be understood (NOT must be followed by a word, "
                "a phrase or a group)."
            )
        child = _clause(token.tokens[0])
        if isinstance(child, _Void):
            return None if child.falsy else _NULL
        return None if child is None else Not(child)
    if kind in ("andnot", "andmaybe", "require"):
        if len(token.tokens) != 2:
            # Its other side was an operator too (``a ANDNOT ANDNOT b``).
            raise QuerySyntaxError(
                f"The query could not be understood ({kind.upper()} needs a word, "
                "a phrase or a group on each side)."
            )
        left = _clause(token.tokens[0])
        right = _clause(token.tokens[1])
        if left is None and right is None:
            return _NULL
        if left is None:
            return right
        if right is None:
            return left
        if isinstance(left, _Void) or (kind == "require" and isinstance(right, _Void)):
            return _NULL
        if isinstance(right, _Void):
            return left
        if kind == "andnot":
            # As ``a NOT b``. Whoosh's own ANDNOT kept articles that have b whenever
            # b's first article came before a's; its scores lacked the 1.0 an
            # exclusion adds in an AND.
            return And((left, Not(right)))
        if kind == "require":
            # The tree has no REQUIRE (both must match, only the left scores): the
            # same articles, scored by both sides.
            return And((left, right))
        return AndMaybe(left, right)
    present = from_owner = False
    nodes: list[Node] = []
    for inner in token.tokens:
        clause = _clause(inner)
        if clause is not None:
            present = True
            if not isinstance(clause, _Void):
                from_owner = inner is token.owner
                nodes.append(clause)
    if not nodes:
        return _NULL if present else _EMPTY
    if token.boost != 1.0:
        nodes = [_boosted(node, token.boost) for node in nodes]
    if group_kind == "and":
        return _joined(And, nodes)
    joined = _joined(Or, nodes)
    if _is_leaf(joined) and joined.field is None and joined.boost != 1.0 and not from_owner:
        # Whoosh put the two-field OR of a boosted word (``, OR gas^2``) inside this
        # OR, where normalising gave each field's term the boost. (When the word was
        # the left operand, this OR was the word's own, boost and all.)
        return Or((joined,))
    return joined


def _joined(cls: type[And] | type[Or], nodes: list[Node]) -> Node:
    children: list[Node] = []
    for node in nodes:
        if isinstance(node, cls):
            children.extend(node.children)
        else:
            children.append(node)
    return children[0] if len(children) == 1 else cls(tuple(children))


def _is_leaf(node: Node) -> TypeGuard[Term | Phrase | Prefix | Wildcard | Fuzzy]:
    """A leaf with a field and a boost (Surface never comes out of the parser)."""
    return isinstance(node, Term | Phrase | Prefix | Wildcard | Fuzzy)


def _boosted(node: Node, factor: float) -> Node:
    """``node`` with a group's boost given to every clause in it (scores add up)."""
    if _is_leaf(node):
        return dataclasses.replace(node, boost=node.boost * factor)
    if isinstance(node, And | Or):
        children = []
        for child in node.children:
            children.append(_boosted(child, factor))
        return type(node)(tuple(children))
    if isinstance(node, AndMaybe):
        return AndMaybe(_boosted(node.required, factor), _boosted(node.optional, factor))
    return node  # an exclusion scores nothing; a source has no boost


def _text_clause(token: _Text) -> _Clause:
    field = token.field
    if field == "source":
        return _source_clause(token)
    scope: TextField | None = "title" if field == "title" else "text" if field == "text" else None
    boost = token.boost
    if isinstance(token, _Prefix | _Wild | _Fuzzy):
        # Whoosh folded the text once to query the stemmed field and again to move
        # the query to the surface field; folding twice differs for a few symbols.
        text = fold(fold(token.text))
        if isinstance(token, _Prefix):
            return Prefix(text, scope, boost)
        if isinstance(token, _Wild):
            return Wildcard(text, scope, boost)
        return Fuzzy(text, token.max_edits, token.prefix_length, scope, boost)
    if isinstance(token, _Phrase):
        words = analyse(token.text)
        surface = tuple(token.text[start:end] for start, end, _f, _s in words)
        stems = tuple(stem for _start, _end, _folded, stem in words)
        if not stems:
            return _NULL
        if len(stems) == 1:
            # A one-word phrase is the word; scoped, Whoosh lost its boost.
            return Term(surface[0], stems, scope, boost if scope is None else 1.0)
        if token.slop != 1:
            raise QuerySyntaxError(
                f"Phrases with a distance ('\"{token.text}\"~{token.slop}') cannot be "
                "searched; drop the ~ to search for the exact phrase."
            )
        return Phrase(surface, stems, scope, boost)
    stems = tuple(terms(token.text))
    if not stems:
        # Unscoped, Whoosh made an empty OR of the two fields; scoped, nothing.
        return _EMPTY if scope is None else None
    return Term(_trimmed(token.text), stems, scope, boost)


def _trimmed(text: str) -> str:
    """The word as typed without the punctuation around it: ``«Putin»,`` is ``Putin``."""
    start, end = 0, len(text)
    while start < end and not _is_word_char(text[start]):
        start += 1
    while end > start and not _is_word_char(text[end - 1]):
        end -= 1
    return text[start:end] or text


def _source_clause(token: _Text) -> Node:
    if isinstance(token, _Prefix | _Wild | _Fuzzy):
        raise QuerySyntaxError(
            "source: takes a source's whole name, without wildcards or ~, "
            'as in source:"Gazzetta di Modena".'
        )
    name = token.text
    return Source(name, fold(" ".join(name.split())))


def _has_positive_terms(node: Node) -> bool:
    if isinstance(node, Not):
        return False
    if isinstance(node, AndMaybe):
        return _has_positive_terms(node.required) or _has_positive_terms(node.optional)
    if isinstance(node, And | Or):
        return any(map(_has_positive_terms, node.children))
    return True


# -- the phrase bonus -----------------------------------------------------------------


def _is_plain(cleaned: str) -> bool:
    """Words of word characters only, no operator, one stem each: ``esercitazioni congiunte``.

    corpus read such queries without Whoosh's parser, which made REQUIRE a word there
    (``a REQUIRE b`` searched for three words) and an operator anywhere else.
    """
    words = cleaned.split(" ")
    for word in words:
        first = word[0]
        if not first.isalnum() or first.isdecimal():
            return False
        if not all(map(_is_word_char, word)) or len(terms(word)) != 1:
            return False
    return not _OPERATOR_WORDS.intersection(words)


def _is_plain_word(word: str) -> bool:
    """A letter, then letters, digits, underscores and apostrophes (l'esercito)."""
    first = word[0]
    if not first.isalnum() or first.isdecimal():
        return False
    return all(_is_word_char(char) or char in "'’" for char in word[1:])


def _with_phrase_bonus(cleaned: str, root: Node) -> Node:
    """For a plain list of words, rank articles where they stand together first.

    BM25 ignores proximity, so "esercitazioni congiunte" would rank an article with
    the two words far apart as high as one with the very phrase; an optional phrase
    clause only adds to the score, never removes a hit.
    """
    words = cleaned.split(" ")
    if len(words) < 2 or not all(map(_is_plain_word, words)):
        return root
    if _OPERATOR_WORDS.intersection(words):
        return root
    analysed = analyse(cleaned)
    if len(analysed) < 2:
        return root
    surface = tuple(cleaned[start:end] for start, end, _folded, _stem in analysed)
    stems = tuple(stem for _start, _end, _folded, stem in analysed)
    return AndMaybe(root, Phrase(surface, stems, None, 2.0))


# -- the entry point -----------------------------------------------------------------


def parse(text: str) -> Query:
    """Read a query string into its tree; raise QuerySyntaxError with one sentence."""
    cleaned = check_query_text(text)
    try:
        root = _read(cleaned)
    except RecursionError:
        # A thousand characters nest at most 500 deep, which fits; this is a guard.
        raise QuerySyntaxError(
            "The query could not be understood (too many nested parentheses)."
        ) from None
    if root is None or isinstance(root, _Void) or not _has_positive_terms(root):
        raise QuerySyntaxError(_NO_WORDS)
    return Query(cleaned, _with_phrase_bonus(cleaned, root))


def _read(cleaned: str) -> _Clause:
    top = _nest(_tokens(_lower_field_names(cleaned), with_require=not _is_plain(cleaned)))
    _words_for_loose_boosts(top)
    _fuzzy_terms(top)
    _wildcards(top)
    _fields(top)
    _without_spaces(top)
    _boosts(top)
    _operators(top)
    return _clause(top)
