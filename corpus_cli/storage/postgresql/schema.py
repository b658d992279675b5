"""The corpus tables, their version, and making them in an empty database.

Tables live in the connection's current schema (the first of ``search_path``), so
one database can hold several corpora, one per schema
(``postgresql:///db?options=-csearch_path%3Dteam``).

- ``corpus_articles``: one row per article, its stored fields, its file state, its
  date period as two ``date`` columns, and ``terms``: one ``tsvector`` written by
  :mod:`.vectors` with the stems at their positions (title weighted A, text D,
  text positions after the title's so that no phrase spans the two) and the folded
  surface words, marked by a leading ``.``, at the same positions; and, without
  positions, the impact tiers a search reads to skip the matches it need not rank
  (``#`` lexemes, :mod:`.tiers`). ``source_keys`` holds its folded source and its
  copies' (``--source`` and ``source:`` match either); ``copies`` the copies as
  JSON, for display.
- ``corpus_copies``: exact copies of articles (same text, from another record): the
  file each came from (``file_key``: ingest's questions about that file find it
  here) and what is shown of it; ``owner_key`` and ``owner_id`` are the file and
  the id of the article it is kept on.
- ``corpus_words``: every folded surface word with the articles whose title and
  whose text have it and its occurrences in the texts: fuzzy terms, wildcards and
  did-you-mean read it instead of the articles.
- ``corpus_stems``: the titles and the texts that hold each stem, and its occurrences
  in the texts (BM25's inverse document frequencies, ``terms`` scores, the key terms
  of ``similar``); ``corpus_totals``: articles, words of title and words of text.
- ``corpus_documents``: small named texts (the saved watches).
- ``corpus_meta``: the schema version, and the impact tiers (:mod:`.tiers`) that the
  vectors hold.
- ``corpus_languages``: the articles of each language (the languages a query is
  analysed in), kept by ingest as the totals are.

Ready for Citus (ARCHITECTURE.md, "PostgreSQL past one server"): every unique
index of the two large tables holds the column they would be distributed by,
``corpus_articles.file_key`` and ``corpus_copies.owner_key`` (a copy lives beside
the article it is kept on, so that every join of the two is on it). The article
``id`` is unique because ingest checks every id under the writer's lock, not by an
index: no index over all shards can say so. :data:`DISTRIBUTED` and
:data:`REFERENCE` name the tables for the README's ``create_distributed_table``.
"""

from __future__ import annotations

from typing import Any

from corpus_cli.storage.postgresql.tiers import Tiers

#: Bumped when the tables change in a way an older corpus cannot serve, or when the
#: analysis changes what is indexed (2: light stems instead of Snowball's; 3: the
#: article's language, and the stems of languages other than Italian prefixed;
#: 4: keys that hold the distribution column, and corpus_languages; 5: the titles'
#: statistics that BM25 reads, ``corpus_stems.title_docs`` and ``corpus_totals.title_words``;
#: 6: the impact tiers in the vectors, their scheme in corpus_meta).
SCHEMA_VERSION = 6
#: The version before the tiers: read and written as it is, ranked without them.
WITHOUT_TIERS = 5
#: The last version whose words were analysed as today's are (an older corpus's
#: message says so).
SAME_ANALYSIS = 3
#: The key every writer's advisory lock is taken on (``corpus`` in ASCII).
WRITER_LOCK = 0x636F72707573

ARTICLES = "corpus_articles"
#: The tables Citus would spread over its workers, each with its distribution column.
DISTRIBUTED = {"corpus_articles": "file_key", "corpus_copies": "owner_key"}
#: The small tables every query reads, copied whole to every worker under Citus.
REFERENCE = (
    "corpus_meta",
    "corpus_words",
    "corpus_stems",
    "corpus_totals",
    "corpus_languages",
    "corpus_documents",
)

_TABLES = [
    """CREATE TABLE corpus_meta (
        key text PRIMARY KEY,
        value text NOT NULL
    )""",
    """CREATE TABLE corpus_articles (
        -- Insertion order: ties in rank and date keep it, as Whoosh's document numbers do.
        seq bigint GENERATED ALWAYS AS IDENTITY,
        -- Unique, but kept so by ingest (see above).
        id text NOT NULL,
        file_key text NOT NULL,
        file_size bigint NOT NULL,
        file_mtime_ns bigint NOT NULL,
        file_digest text NOT NULL,
        content_hash text NOT NULL,
        path text NOT NULL,
        title text,
        body text {compression} NOT NULL,
        source_name text,
        source_key text NOT NULL,
        source_keys text[] NOT NULL,
        copies text NOT NULL DEFAULT '[]',
        url text,
        extra text NOT NULL,
        date_value text COLLATE "C",
        date_precision text,
        date_inferred boolean NOT NULL,
        date_evidence text,
        date_start date,
        date_end date,
        cites text[] NOT NULL,
        language text NOT NULL,
        title_length integer NOT NULL,
        text_length integer NOT NULL,
        terms tsvector {compression} NOT NULL,
        -- Its first column serves the questions about a file.
        PRIMARY KEY (file_key, seq)
    )""",
    "CREATE INDEX corpus_articles_terms ON corpus_articles USING gin (terms)",
    "CREATE INDEX corpus_articles_id ON corpus_articles (id)",
    "CREATE INDEX corpus_articles_content ON corpus_articles (content_hash)",
    "CREATE INDEX corpus_articles_source ON corpus_articles USING gin (source_keys)",
    """CREATE TABLE corpus_copies (
        seq bigint GENERATED ALWAYS AS IDENTITY,
        owner_key text NOT NULL,
        owner_id text NOT NULL,
        id text NOT NULL,
        file_key text NOT NULL,
        file_size bigint NOT NULL,
        file_mtime_ns bigint NOT NULL,
        file_digest text NOT NULL,
        content_hash text NOT NULL,
        path text NOT NULL,
        title text,
        source_name text,
        source_key text NOT NULL,
        url text,
        date_value text COLLATE "C",
        PRIMARY KEY (owner_key, seq)
    )""",
    "CREATE INDEX corpus_copies_owner ON corpus_copies (owner_key, owner_id)",
    "CREATE INDEX corpus_copies_file ON corpus_copies (file_key)",
    "CREATE INDEX corpus_articles_start ON corpus_articles (date_start, seq)",
    "CREATE INDEX corpus_articles_end ON corpus_articles (date_end)",
    "CREATE INDEX corpus_articles_cites ON corpus_articles USING gin (cites)",
    # --lang.
    "CREATE INDEX corpus_articles_language ON corpus_articles (language)",
    """CREATE TABLE corpus_words (
        word text COLLATE "C" PRIMARY KEY,
        title_docs integer NOT NULL,
        text_docs integer NOT NULL,
        text_count bigint NOT NULL
    )""",
    """CREATE TABLE corpus_stems (
        stem text COLLATE "C" PRIMARY KEY,
        title_docs integer NOT NULL,
        text_docs integer NOT NULL,
        text_count bigint NOT NULL
    )""",
    """CREATE TABLE corpus_totals (
        one boolean PRIMARY KEY DEFAULT true CHECK (one),
        articles bigint NOT NULL,
        title_words bigint NOT NULL,
        text_words bigint NOT NULL
    )""",
    "INSERT INTO corpus_totals (articles, title_words, text_words) VALUES (0, 0, 0)",
    """CREATE TABLE corpus_languages (
        language text COLLATE "C" PRIMARY KEY,
        articles bigint NOT NULL
    )""",
    """CREATE TABLE corpus_documents (
        name text PRIMARY KEY,
        body text NOT NULL,
        updated timestamptz NOT NULL DEFAULT now()
    )""",
]

#: Optional extensions and what each one adds (both are "trusted" since
#: PostgreSQL 13: a database owner may create them without being a superuser).
EXTENSIONS = {
    "fuzzystrmatch": [],
    "pg_trgm": [
        # Wildcards with a leading * (``*zione``) find their words without a scan.
        "CREATE INDEX corpus_words_trigrams ON corpus_words USING gin (word gin_trgm_ops)"
    ],
}


def tables_exist(cursor: Any) -> bool:
    """Whether the current schema has the corpus tables.

    Read from pg_class with the statement's snapshot, not with to_regclass(): its
    cached catalog lookups do not see tables that another ingest created while this
    transaction waited for the writer's lock.
    """
    cursor.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relname = 'corpus_meta')"
    )
    return bool(cursor.fetchone()[0])


def stored_version(cursor: Any) -> int | None:
    cursor.execute("SELECT value FROM corpus_meta WHERE key = 'schema_version'")
    row = cursor.fetchone()
    try:
        return int(row[0]) if row else None
    except ValueError:
        return None


def stored_tiers(cursor: Any) -> Tiers | None:
    """The corpus's impact tiers (None: a corpus made before them)."""
    cursor.execute("SELECT value FROM corpus_meta WHERE key = 'tiers'")
    row = cursor.fetchone()
    return Tiers.parse(row[0] if row else None)


def extensions(cursor: Any) -> set[str]:
    """The optional extensions installed in this database."""
    cursor.execute(
        "SELECT extname::text FROM pg_extension WHERE extname = ANY(%s)", (list(EXTENSIONS),)
    )
    return {row[0] for row in cursor.fetchall()}


def create(cursor: Any) -> list[str]:
    """Make the tables in the current transaction; returns the extensions it could not add.

    The caller holds the writer's lock, so two ingests into one empty database do
    not both create them.
    """
    cursor.execute(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
    )
    row = cursor.fetchone()
    # lz4 decompresses several times faster than pglz (ranking reads every match's
    # terms, snippets the hits' texts) and compresses several times faster: with pglz,
    # compressing the texts was ~3% of the server's CPU during an ingest (perf).
    compression = "COMPRESSION lz4" if row and row[0] else ""
    for statement in _TABLES:
        cursor.execute(statement.replace("{compression}", compression))
    cursor.execute(
        "INSERT INTO corpus_meta (key, value) VALUES ('schema_version', %s), ('tiers', %s)",
        (str(SCHEMA_VERSION), Tiers().stored()),
    )
    missing: list[str] = []
    for name, statements in EXTENSIONS.items():
        cursor.execute("SAVEPOINT extension")
        try:
            cursor.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")
            for statement in statements:
                cursor.execute(statement)
        except Exception:
            cursor.execute("ROLLBACK TO SAVEPOINT extension")
            missing.append(name)
        cursor.execute("RELEASE SAVEPOINT extension")
    return missing
