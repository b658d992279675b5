"""The Whoosh backend: everything that imports Whoosh lives in this package.

``store.py`` (the Store), ``writer.py`` (ledger and batches), ``schema.py`` (the
index format), ``compile.py`` (query trees to Whoosh queries), ``filtering.py``
(filters and sorts), ``vocabulary.py`` (indexed words), ``analyzer.py`` (the
analysis as Whoosh tokens), ``segments.py`` (bulk segment writing) and
``lean_import.py`` (importing Whoosh without what it never needs here).
"""
