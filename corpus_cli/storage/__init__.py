"""Storage: the interface (``base.py``) and one subpackage per backend.

:func:`open_store` picks the backend from what ``--index`` names: a folder is a
Whoosh index (``whoosh/``), a ``postgresql://`` or ``postgres://`` URI a database
(``postgresql/``). A new backend adds its subpackage and one branch here;
nothing above this package changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corpus_cli.storage.base import Store


def open_store(location: str | Path, *, create: bool = False, damaged: bool = False) -> Store:
    """Open the store at ``location``; with ``create``, make an empty one if there is none.

    With ``damaged``, a store whose damage would stop other commands opens all the
    same, for ``corpus check`` and ``corpus repair``.

    Raises IndexNotFound when there is no store and ``create`` is false, and
    IndexUnreadable when one is there but cannot be opened.
    """
    # Backends are imported here, not at the top: each pulls in its engine, and a
    # command pays only for the one it uses.
    if isinstance(location, str) and location.startswith(("postgresql://", "postgres://")):
        from corpus_cli.storage.postgresql.store import PostgresStore

        return PostgresStore.open_or_create(location) if create else PostgresStore.open(location)

    from corpus_cli.storage.whoosh.store import WhooshStore

    path = Path(location)
    if damaged:
        return WhooshStore.open_damaged(path)
    return WhooshStore.open_or_create(path) if create else WhooshStore.open(path)


def close_connections() -> None:
    """Close every connection to a database server this process holds open.

    ``corpus serve`` calls it before it forks: each command's fork opens its own,
    and one inherited from the server would be one socket shared by every child. A
    backend never loaded holds none, and is not loaded for the question.
    """
    import sys

    connection = sys.modules.get("corpus_cli.storage.postgresql.connection")
    if connection is not None:
        connection.close_all()
