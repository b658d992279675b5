"""Everything the user sees: Rich views for people, JSON Lines and CSV for programs.

Three parts, and a façade over them:

- :mod:`~corpus_cli.render.terminal`: :class:`Terminal`, the one owner of the consoles
  and of stdout and stderr (colour, width, pager, progress bar, error lines);
- :mod:`~corpus_cli.render.rows`: the JSON and CSV contract, pure functions of the model;
- :mod:`~corpus_cli.render.views`: the Rich view of each command, drawn on a Terminal
  (with the small shared pieces in :mod:`~corpus_cli.render.display`);
- :class:`Output` (:mod:`~corpus_cli.render.output`): what the CLI calls, one method per
  command, writing rows or drawing the view as the chosen format says.

This package imports only the model, :mod:`corpus_cli.text` and Rich; importing it
loads no Rich table (only the commands that draw tables pay for them). The façade is
lazy (PEP 562), so that a part such as :mod:`~corpus_cli.render.display`, which the
browser uses before its first frame, comes without the views of every command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corpus_cli.render.output import Output
    from corpus_cli.render.terminal import Terminal

__all__ = ["Output", "Terminal"]


def __getattr__(name: str) -> Any:
    if name == "Output":
        from corpus_cli.render.output import Output

        return Output
    if name == "Terminal":
        from corpus_cli.render.terminal import Terminal

        return Terminal
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
