"""corpus: full-text search for news corpora on disk."""
