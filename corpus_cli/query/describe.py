"""A query tree written back as text, the way ``search --explain`` shows what was understood."""

from __future__ import annotations

from corpus_cli.query.tree import (
    And,
    AndMaybe,
    Fuzzy,
    Node,
    Not,
    Nothing,
    Or,
    Phrase,
    Prefix,
    Source,
    Surface,
    Term,
    TextField,
    Wildcard,
    leaves,
)


def describe(node: Node) -> str:
    """``(esercit AND title:"centr commercial")``: stems for words, operators in capitals."""
    if isinstance(node, Term):
        inner = node.stems[0] if len(node.stems) == 1 else "(" + " AND ".join(node.stems) + ")"
        return _scoped(node.field, inner, node.boost)
    if isinstance(node, Phrase):
        near = f"~{node.gap}" if node.gap else ""
        return _scoped(node.field, '"' + " ".join(node.stems) + '"' + near, node.boost)
    if isinstance(node, Prefix):
        return _scoped(node.field, node.prefix + "*", node.boost)
    if isinstance(node, Wildcard):
        return _scoped(node.field, node.pattern, node.boost)
    if isinstance(node, Fuzzy):
        prefix = f"/{node.prefix_length}" if node.prefix_length else ""
        return _scoped(node.field, f"{node.word}~{node.max_edits}{prefix}", node.boost)
    if isinstance(node, Surface):
        # One word as written is how a quoted word reads ("spaccio": that form only).
        inner = (
            f'"{node.words[0]}"' if len(node.words) == 1 else "(" + " OR ".join(node.words) + ")"
        )
        return _scoped(node.field, inner, node.boost)
    if isinstance(node, Source):
        return f'source:"{node.folded}"'
    if isinstance(node, Nothing):
        return "(nothing)"
    if isinstance(node, Not):
        return "NOT " + describe(node.child)
    if isinstance(node, AndMaybe):
        return f"({describe(node.required)} ANDMAYBE {describe(node.optional)})"
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(describe(child) for child in node.children) + ")"


def _scoped(field: TextField | None, inner: str, boost: float) -> str:
    text = inner if field is None else f"{field}:{inner}"
    return text if boost == 1.0 else f"{text}^{boost:g}"


def excluded_parts(node: Node) -> list[str]:
    """What each NOT (or ``-``) under ``node`` leaves out, described, left to right."""
    if isinstance(node, Not):
        return [describe(node.child)]
    if isinstance(node, And | Or):
        return [part for child in node.children for part in excluded_parts(child)]
    if isinstance(node, AndMaybe):
        return excluded_parts(node.required) + excluded_parts(node.optional)
    return []


def fields_of(node: Node) -> list[str]:
    """The fields a query searches: title and text always, source when it names one."""
    named = any(isinstance(leaf, Source) for leaf in leaves(node))
    return ["source", "text", "title"] if named else ["text", "title"]


def plain_words(node: Node, *, excluded: bool = True) -> list[str]:
    """The ordinary words of a query as typed: no operators, sources, wildcards or fuzzy terms.

    Words scoped to a field are left out; words of phrases are kept; each word once
    (a list of words also ranks the phrase of the same words higher). With
    ``excluded=False``, none of the words a NOT or ``-`` leaves out.
    """
    found: list[str] = []
    for leaf in leaves(node, excluded=excluded):
        if isinstance(leaf, Term) and leaf.field is None:
            found.append(leaf.word)
        elif isinstance(leaf, Phrase):
            found.extend(leaf.words)
    return [word for word in dict.fromkeys(found) if word[:1].isalpha()]
