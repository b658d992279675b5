"""The command line: a thin Click layer over the core.

``app.py`` holds the group, the global options and the one place errors become
messages and exit codes; ``options.py`` the options several commands share; each
other module one family of commands. A new command goes in the module of its
family (or a new one), and its name in ``app.COMMANDS``.
"""

from corpus_cli.cli.app import cli

__all__ = ["cli"]
