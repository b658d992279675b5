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
loads no Rich table (only the commands that draw tables pay for them).
"""

from corpus_cli.render.output import Output
from corpus_cli.render.terminal import Terminal

__all__ = ["Output", "Terminal"]
