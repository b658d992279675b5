"""The resident search process: a warm ``corpus`` that read-only commands are handed to.

A cold ``corpus search`` spends most of its time importing Python, Click, Rich and
Whoosh. A server per index keeps those imports loaded and forks a child for each
command, so a search costs a fork instead of a start-up.

The command runs in the child exactly as it would in-process: the client passes its
own stdin, stdout and stderr (the file descriptors themselves, over a Unix socket),
its arguments, working folder and whole environment, so terminal width, colours,
pipes and closed pipes are the client's. Only the pager runs in the client, which
owns the terminal's keyboard (Mercurial's chg does the same).

``protocol.py`` is what both sides share; ``client.py`` is imported by every
``corpus`` start and so imports nothing heavy; ``daemon.py`` is the server. The
server never imports the command line: it is handed the function that runs a
command (layering: the command line sits above this package).
"""
