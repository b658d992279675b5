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

#: Textual draws what changed at its next frame, at most this many a second (its
#: TEXTUAL_FPS, 60 unless set). At 60 the first frame waited ~16 ms after the screen
#: was ready, idle, and so did every keystroke's hits; at 120 the wait is half that.
#: A value in the environment wins.
FRAMES_PER_SECOND = 120


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
    # Read by Textual when it is first imported, which is below.
    os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))
    from corpus_cli.browse.app import BrowseApp

    app = BrowseApp(location, query, filters, sort)
    status = app.run()
    return 1 if status is None else status
