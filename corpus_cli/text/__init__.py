"""Text: what every layer needs to know about words and dates, and no engine.

``analysis.py`` (fold, stem, words: the same at ingest, query and highlight time;
Italian), ``languages.py`` (the analysis of every other language), ``detect.py`` (the
language of a text),
``dates.py`` (dates from metadata, from the command line and from an article's own
words), ``citations.py`` (the outlets an article names, from ``agencies.txt``),
``snippets.py`` (the best fragments with their matches), ``stopwords.py``.
"""
