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
from typing import TypeGuard

from corpus_cli.errors import QuerySyntaxError
from corpus_cli.query.checks import (
    KNOWN_FIELDS,
    NO_WORDS,
    OPERATOR_WORDS,
    check_query_text,
    lower_field_names,
)
from corpus_cli.query.dates import NOT_A_DATE, NOT_HERE, ONLY_DATES, Span, intersection, read_span
from corpus_cli.query.tokens import (
    BoostToken,
    CloseToken,
    FieldToken,
    FuzzyToken,
    Group,
    OpenToken,
    OperatorToken,
    PhraseToken,
    PrefixToken,
    SpaceToken,
    TextToken,
    TildeToken,
    Token,
    WildToken,
    WordToken,
    takes_boost,
    tokens,
)
from corpus_cli.query.tree import (
    MAX_PHRASE_ARRANGEMENTS,
    MAX_PHRASE_GAP,
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
    Surface,
    Term,
    TextField,
    Wildcard,
)
from corpus_cli.text.analysis import analyse, fold, is_word_char, terms

# -- the passes over the tokens -------------------------------------------------------


def _nest(tokens: list[Token]) -> Group:
    """Parentheses into groups; a stray ``)`` is ignored, an unclosed ``(`` flattened."""
    stack = [Group("and")]
    for token in tokens:
        if isinstance(token, OpenToken):
            stack.append(Group("and"))
        elif isinstance(token, CloseToken):
            if len(stack) > 1:
                inner = stack.pop()
                stack[-1].tokens.append(inner)
        else:
            stack[-1].tokens.append(token)
    top = stack[0]
    for unclosed in stack[1:]:
        top.tokens.extend(unclosed.tokens)
    if len(top.tokens) == 1 and isinstance(top.tokens[0], Group):
        top = top.tokens[0]
    return top


def _words_for_loose_boosts(top: Group) -> None:
    """At the top level a boost must touch what it boosts: ``a ^2`` is ``a`` and ``2``.

    Inside parentheses Whoosh checked only after dropping spaces, so there ``(a ^2)``
    is ``a^2``; both readings are kept.
    """
    tokens = top.tokens
    for i, token in enumerate(tokens):
        if isinstance(token, BoostToken) and (i == 0 or not takes_boost(tokens[i - 1])):
            tokens[i] = WordToken(token.original)


def _fuzzy_terms(group: Group) -> None:
    """``word~2``: a word with a tilde right after it; any other tilde is text."""
    tokens = group.tokens
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if type(token) is WordToken and i + 1 < len(tokens):
            tilde = tokens[i + 1]
            if isinstance(tilde, TildeToken):
                token = FuzzyToken(token, tilde)
                i += 1
        if isinstance(token, TildeToken):
            token = WordToken(token.original)
        elif isinstance(token, Group):
            _fuzzy_terms(token)
        out.append(token)
        i += 1
    group.tokens = out


def _wildcards(group: Group) -> None:
    """``*`` and ``?`` absorb the text touching them; ``ab*`` alone is a prefix."""
    tokens = group.tokens
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if isinstance(token, WildToken):
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if isinstance(after, TextToken):
                token.text += after.text
                del tokens[i + 1]
            before = tokens[i - 1] if i > 0 else None
            if isinstance(before, TextToken):
                token.text = before.text + token.text
                del tokens[i - 1]
            else:
                i += 1
        else:
            if isinstance(token, Group):
                _wildcards(token)
            i += 1
    for i, token in enumerate(tokens):
        if isinstance(token, WildToken):
            text = token.text
            if len(text) > 1 and "?" not in text and text.find("*") == len(text) - 1:
                tokens[i] = PrefixToken(text[:-1])


def _fields(group: Group) -> None:
    """``field:`` scopes the token right after it; an unknown name is plain text."""
    tokens: list[Token] = []
    held: FieldToken | None = None
    for token in group.tokens:
        if isinstance(token, FieldToken) and token.name not in KNOWN_FIELDS:
            held = token  # a name before another unknown one is lost, as in Whoosh
            continue
        if held is not None:
            if isinstance(token, TextToken):
                token.text = held.original + token.text
            else:
                tokens.append(WordToken(held.original))
            held = None
        tokens.append(token)
    if held is not None:
        tokens.append(WordToken(held.original))

    out: list[Token] = []
    i = len(tokens)
    while i > 0:
        i -= 1
        token = tokens[i]
        if isinstance(token, FieldToken):
            token = WordToken(token.original)  # it scoped nothing
        elif isinstance(token, Group):
            _fields(token)
        scope = tokens[i - 1] if i > 0 else None
        if isinstance(scope, FieldToken) and not isinstance(token, SpaceToken):
            _scope(token, scope.name)
            i -= 1
        out.append(token)
    out.reverse()
    group.tokens = out


def _scope(token: Token, field: str) -> None:
    if isinstance(token, TextToken):
        if token.field is None:
            token.field = field
    elif isinstance(token, Group):
        for inner in token.tokens:
            _scope(inner, field)


def _without_spaces(group: Group) -> None:
    group.tokens = [token for token in group.tokens if not isinstance(token, SpaceToken)]
    for token in group.tokens:
        if isinstance(token, Group):
            _without_spaces(token)


def _boosts(group: Group) -> None:
    """``^2`` boosts the token before it, spaces or not (see _words_for_loose_boosts)."""
    out: list[Token] = []
    for token in group.tokens:
        if isinstance(token, Group):
            _boosts(token)
        elif isinstance(token, BoostToken):
            last = out[-1] if out else None
            if isinstance(last, TextToken | Group) and takes_boost(last):
                last.boost = token.boost  # a second boost replaces the first
                continue
            # Nothing to boost (``(^2 a)``): the word "2", as at the top level.
            token = WordToken(token.original)
        out.append(token)
    group.tokens = out


def _signs(tokens: list[Token]) -> None:
    """``-x`` excludes x, as ``NOT x`` does; ``+x`` is x (every word is required already).

    Signs bind tightest, to the token they touch, so ``NOT -x`` is read as the
    ``NOT x`` it always was (the sign is dropped), not as a double negation.
    """
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if isinstance(token, OperatorToken) and token.name in ("MINUS", "PLUS"):
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            before = tokens[i - 1] if i > 0 else None
            redundant = isinstance(before, OperatorToken) and before.name == "NOT"
            if token.name == "PLUS" or after is None or redundant:
                del tokens[i]
                continue
            if isinstance(after, OperatorToken):
                del tokens[i]  # nothing a sign can apply to (the tokens rule it out)
                continue
            tokens[i : i + 2] = [Group("not", [after])]
        i += 1


def _operators(group: Group) -> None:
    """Apply the operators of ``group``, tightest first, each left to right."""
    tokens = group.tokens
    _signs(tokens)
    present = {token.name for token in tokens if isinstance(token, OperatorToken)}
    for name in ("NOT", "AND", "OR", "ANDNOT", "ANDMAYBE", "REQUIRE"):
        if name not in present:
            continue
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if not (isinstance(token, OperatorToken) and token.name == name):
                i += 1
            elif name == "NOT":
                # NOT takes the next token whatever it is, even another operator.
                del tokens[i]
                if i < len(tokens):
                    tokens[i] = Group("not", [tokens[i]])
                i += 1
            elif 0 < i < len(tokens) - 1:
                kind = name.lower()
                left, right = tokens[i - 1], tokens[i + 1]
                # Whoosh extended a group of the same kind, parentheses included
                # (``(a b) AND c``); not a boosted one here, whose boost would then
                # cover the newcomer too (Whoosh boosted c in ``(a b)^2 AND c``).
                if (
                    kind in ("and", "or")
                    and isinstance(left, Group)
                    and left.kind == kind
                    and left.boost == 1.0
                ):
                    left.tokens.append(right)
                    del tokens[i : i + 2]
                else:
                    joined = Group(kind, [left, right])
                    if kind == "or" and isinstance(left, TextToken) and left.field is None:
                        joined.owner = left
                    tokens[i - 1 : i + 2] = [joined]
            else:
                del tokens[i]  # an infix operator at an edge has nothing to join
    for token in tokens:
        if isinstance(token, Group):
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


def _clause(token: Token, dates: list[Span] | None) -> _Clause:
    """What ``token`` searches for; one call per level of nesting (deep queries fit).

    ``dates`` collects the ``date:`` clauses ANDed with the whole query, which are
    lifted out of the tree; it is None below an OR, a NOT or the like, where a date
    cannot be lifted.
    """
    if isinstance(token, TextToken):
        if token.field == "date":
            _lift_date(token, dates)
            return None  # no clause: the date narrows the filters instead
        return _text_clause(token)
    if not isinstance(token, Group):
        return None  # nothing else is left once the passes are done
    kind = group_kind = token.kind
    if kind == "not":
        if not token.tokens:
            raise QuerySyntaxError(
                "The query could not be understood (NOT must be followed by a word, "
                "a phrase or a group)."
            )
        child = _clause(token.tokens[0], None)
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
        left = _clause(token.tokens[0], None)
        right = _clause(token.tokens[1], None)
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
    inner_dates = dates if group_kind == "and" else None
    for inner in token.tokens:
        clause = _clause(inner, inner_dates)
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


def _lift_date(token: TextToken, dates: list[Span] | None) -> None:
    """Lift ``date:2020`` (or a range) into ``dates``; it adds no clause to the tree."""
    value = token.text
    if isinstance(token, PrefixToken | WildToken | FuzzyToken):
        raise QuerySyntaxError(NOT_A_DATE.format(value=_typed(token)))
    if dates is None:
        raise QuerySyntaxError(NOT_HERE.format(value=value))
    dates.append(read_span(value.strip()))


def _typed(token: TextToken) -> str:
    """A wildcard, prefix or fuzzy token's text roughly as typed, for messages."""
    if isinstance(token, PrefixToken):
        return token.text + "*"
    if isinstance(token, FuzzyToken):
        return token.text + "~"
    return token.text


def _text_clause(token: TextToken) -> _Clause:
    field = token.field
    if field == "source":
        return _source_clause(token)
    scope: TextField | None = "title" if field == "title" else "text" if field == "text" else None
    boost = token.boost
    if isinstance(token, PrefixToken | WildToken | FuzzyToken):
        # Whoosh folded the text once to query the stemmed field and again to move
        # the query to the surface field; folding twice differs for a few symbols.
        text = fold(fold(token.text))
        # Other languages fold their own way (Straß* is strass* in German): keep what
        # was typed when it differs.
        written = "" if text == token.text else token.text
        if isinstance(token, PrefixToken):
            return Prefix(text, scope, boost, written)
        if isinstance(token, WildToken):
            return Wildcard(text, scope, boost, written)
        return Fuzzy(text, token.max_edits, token.prefix_length, scope, boost, written)
    if isinstance(token, PhraseToken):
        words = analyse(token.text)
        surface = tuple(token.text[start:end] for start, end, _f, _s in words)
        stems = tuple(stem for _start, _end, _folded, stem in words)
        if not stems:
            return _NULL
        if len(stems) == 1:
            # A quoted word is that very form, not its inflections ("spaccio" is not
            # spacci): the convention of web engines and of Elasticsearch's
            # quote_field_suffix, and the way to count one form exactly.
            return Surface((words[0][2],), scope, boost)
        return Phrase(surface, stems, scope, boost, _gap(token, len(stems)))
    analysed = analyse(token.text)
    if not analysed:
        # Unscoped, Whoosh made an empty OR of the two fields; scoped, nothing.
        return _EMPTY if scope is None else None
    if len(analysed) > 1:
        # A word the analyser splits (Cina-Russia, qualcos'altro) is its words side by
        # side, as typed: not each of them anywhere in the article.
        surface = tuple(token.text[start:end] for start, end, _folded, _stem in analysed)
        return Phrase(surface, tuple(word[3] for word in analysed), scope, boost)
    return Term(_trimmed(token.text), (analysed[0][3],), scope, boost)


def _gap(token: PhraseToken, words: int) -> int:
    """The words ``"a b"~N`` lets stand between two of its words, checked against the bounds."""
    gap = token.distance or 0
    typed = f"'\"{token.text}\"~{token.distance}'"
    if gap > MAX_PHRASE_GAP:
        raise QuerySyntaxError(
            f"{typed} asks for words too far apart; use a distance of {MAX_PHRASE_GAP} or less."
        )
    if (gap + 1) ** (words - 1) > MAX_PHRASE_ARRANGEMENTS:
        raise QuerySyntaxError(
            f"{typed} has too many words for that distance; use fewer words or a smaller ~."
        )
    return gap


def _trimmed(text: str) -> str:
    """The word as typed without the punctuation around it: ``«Putin»,`` is ``Putin``."""
    start, end = 0, len(text)
    while start < end and not is_word_char(text[start]):
        start += 1
    while end > start and not is_word_char(text[end - 1]):
        end -= 1
    return text[start:end] or text


def _source_clause(token: TextToken) -> Node:
    if isinstance(token, PrefixToken | WildToken | FuzzyToken):
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
        if not word.replace("_", "a").isalnum() or len(terms(word)) != 1:
            return False
    return not OPERATOR_WORDS.intersection(words)


def _is_plain_word(word: str) -> bool:
    """A letter, then letters, digits, underscores and apostrophes (l'esercito)."""
    first = word[0]
    if not first.isalnum() or first.isdecimal():
        return False
    return word.replace("_", "a").replace("'", "a").replace("’", "a").isalnum()


def _with_phrase_bonus(cleaned: str, root: Node) -> Node:
    """For a plain list of words, rank articles where they stand together first.

    BM25 ignores proximity, so "esercitazioni congiunte" would rank an article with
    the two words far apart as high as one with the very phrase; an optional phrase
    clause only adds to the score, never removes a hit.
    """
    words = cleaned.split(" ")
    if len(words) < 2 or not all(map(_is_plain_word, words)):
        return root
    if OPERATOR_WORDS.intersection(words):
        return root
    analysed = analyse(cleaned)
    if len(analysed) < 2:
        return root
    surface = tuple(cleaned[start:end] for start, end, _folded, _stem in analysed)
    stems = tuple(stem for _start, _end, _folded, stem in analysed)
    return AndMaybe(root, Phrase(surface, stems, None, 2.0))


# -- lower-case operator words -------------------------------------------------------

_OPERATOR_WORDS = {"or": "OR", "and": "AND", "not": "NOT"}


def as_operators(cleaned: str) -> tuple[str, list[str]] | None:
    """``cleaned`` with its lower-case ``or``, ``and``, ``not`` as OR, AND, NOT.

    Only words standing alone between spaces, outside phrases, are operators (as the
    capitals are); also the words changed, lower-cased, each once. None when there
    is no such word.
    """
    words = cleaned.split(" ")
    changed: list[str] = []
    in_phrase = False
    for n, word in enumerate(words):
        operator = _OPERATOR_WORDS.get(word.lower())
        if not in_phrase and operator is not None and word != operator:
            words[n] = operator
            changed.append(word.lower())
        in_phrase ^= word.count('"') % 2 == 1
    if not changed:
        return None
    return " ".join(words), list(dict.fromkeys(changed))


# -- the entry point -----------------------------------------------------------------


def parse(text: str) -> Query:
    """Read a query string into its tree; raise QuerySyntaxError with one sentence."""
    cleaned = check_query_text(text)
    dates: list[Span] = []
    try:
        root = _read(cleaned, dates)
    except RecursionError:
        # A thousand characters nest at most 500 deep, which fits; this is a guard.
        raise QuerySyntaxError(
            "The query could not be understood (too many nested parentheses)."
        ) from None
    date_from, date_to = intersection(dates)
    typed = tuple(clause for clause, _first, _last in dates)
    if root is None or isinstance(root, _Void):
        raise QuerySyntaxError(ONLY_DATES.format(clauses=" ".join(typed)) if dates else NO_WORDS)
    if not _has_positive_terms(root):
        # Only exclusions (-auto, NOT derby): a web engine returns nothing for them,
        # and everything-but would be most of the corpus; say what is missing.
        raise QuerySyntaxError(ONLY_EXCLUSIONS if _signed(cleaned) else NO_WORDS)
    # +word is the word: a list of them ranks its phrase first as well.
    plain = " ".join(w[1:] if w[:1] == "+" and len(w) > 1 else w for w in cleaned.split(" "))
    return Query(cleaned, _with_phrase_bonus(plain, root), date_from, date_to, typed)


#: For a query of only ``-word`` exclusions.
ONLY_EXCLUSIONS = "The query only excludes words; add a word to search for, as in 'furto -auto'."


def _signed(cleaned: str) -> bool:
    """Whether the query starts a word with ``-`` (the web-search exclusion)."""
    return cleaned.startswith("-") or " -" in cleaned or "(-" in cleaned


def _read(cleaned: str, dates: list[Span]) -> _Clause:
    top = _nest(tokens(lower_field_names(cleaned), with_require=not _is_plain(cleaned)))
    _words_for_loose_boosts(top)
    _fuzzy_terms(top)
    _wildcards(top)
    _fields(top)
    _without_spaces(top)
    _boosts(top)
    _operators(top)
    return _clause(top, dates)
