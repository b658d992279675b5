"""Queries: the user's text parsed once into a backend-neutral tree.

``parser.py`` reads the query language into the tree of ``tree.py``; ``expand.py``
resolves fuzzy terms and wildcards against a store's vocabulary and lists the words
to highlight; ``describe.py`` writes a tree back as text. Backends compile the
tree (``storage/<backend>/compile.py``); nothing here knows an engine.
"""

from corpus_cli.query.parser import parse
from corpus_cli.query.tree import Query

__all__ = ["Query", "parse"]
