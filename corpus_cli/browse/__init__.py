"""``corpus browse``: the full-screen browser, on Textual.

A layer of its own beside the renderer: it may use Textual, Rich, the services,
the query language and the model, and the renderer's pieces (safe text, the rows of
the contract); nothing below it imports it, and the command line imports it only
when ``browse`` runs, so no other command pays for Textual.

``session.py`` asks the corpus (no Textual), ``views.py`` draws text (Rich alone),
``app.py`` is the Textual app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corpus_cli.model import Filters, SortOrder


def run(
    location: str,
    query: str = "",
    filters: Filters | None = None,
    sort: SortOrder = "relevance",
    *,
    no_color: bool = False,
) -> int:
    """Run the browser on the terminal until the user quits; the exit status."""
    import os

    if no_color:
        # Textual reads NO_COLOR when the app is made, and shows the screen in greys.
        os.environ["NO_COLOR"] = "1"
    from corpus_cli.browse.app import BrowseApp

    app = BrowseApp(location, query, filters, sort)
    status = app.run()
    return 1 if status is None else status
