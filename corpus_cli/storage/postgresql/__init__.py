"""The PostgreSQL backend: one corpus in a database that a whole team can reach.

``corpus --index postgresql://user@host/dbname`` (or ``postgres://``) opens it. The
analysis is the shared one of :mod:`corpus_cli.text.analysis`, done in Python: the
stems and folded words an article is indexed under are written as ``tsvector``
literals, and queries are compiled from the tree into ``tsquery`` literals, so
PostgreSQL's own text search configurations never analyse anything.

Modules: ``connection`` (connecting, and driver errors as one plain sentence),
``schema`` (the tables and their version), ``vectors`` (an article as its row),
``compile`` (the query tree as SQL), ``filtering`` (filters and sort orders),
``vocabulary`` (the indexed words), ``writer`` (ledger and batches), ``store``.
The driver, psycopg2, is imported by these modules only.
"""
