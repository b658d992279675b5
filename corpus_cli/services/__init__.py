"""Services: the work commands ask for, written against the storage interface.

``ingest.py`` (with ``discovery.py``) brings a store in line with files;
``search.py`` highlights, suggests and explains; ``analytics.py`` counts over time,
finds characteristic words, builds concordances and counts cited outlets;
``relations.py`` finds similar articles and near-duplicates; ``watch.py`` keeps
saved queries.
"""
