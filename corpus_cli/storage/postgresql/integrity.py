"""``corpus check`` and ``corpus repair`` on PostgreSQL: the tables against each other.

Damaged pages and lost writes are the server's business (its WAL, checksums and
``amcheck``). What the corpus itself can get wrong is how its tables agree: the
running totals the ranking reads, copies kept on an article that is gone, and
dumps whose ingest was interrupted (their first articles stored, the rest not).
"""

from __future__ import annotations

from typing import Any

from corpus_cli.results import CheckReport, LostFile

#: The digest prefix of the articles of a dump not yet ingested to its end
#: (services/ingest.PARTIAL; the store may not import the services).
PARTIAL = "partial:"

# Copies are stored beside their article (owner_key is its file_key): the test is
# one per shard under Citus.
_DANGLING = (
    "FROM corpus_copies c WHERE NOT EXISTS (SELECT 1 FROM corpus_articles a "
    "WHERE a.file_key = c.owner_key AND a.id = c.owner_id)"
)


def survey(cursor: Any, location: str) -> tuple[CheckReport, list[LostFile]]:
    """What is wrong, and the files whose articles must be read again to put it right."""
    # The articles, their copies and the totals.
    report = CheckReport(location, parts=3, part="table")
    articles, titles, words, languages = _counted(cursor)
    report.articles = articles
    cursor.execute("SELECT articles, title_words, text_words FROM corpus_totals")
    row = cursor.fetchone()
    if row is None or tuple(map(int, row)) != (articles, titles, words):
        shown = "none" if row is None else f"{row[0]} articles and {row[1] + row[2]} words"
        report.problems.append(
            f"The totals the ranking reads ({shown}) disagree with the articles "
            f"table ({articles} articles, {titles + words} words)."
        )
    elif _kept_languages(cursor) != languages:  # set right with the totals
        report.problems.append(
            "The languages a query is analysed in disagree with the articles table."
        )
    cursor.execute(f"SELECT DISTINCT c.file_key, c.path, coalesce(c.source_name, '') {_DANGLING}")
    dangling = [LostFile(k, p, s) for k, p, s in cursor.fetchall()]
    if dangling:
        report.problems.append(
            f"Copies from {len(dangling)} files are kept on articles that are not in "
            "the articles table."
        )
    # A dump's articles but its last carry the partial state: one is unfinished
    # when none of its records carries the real one. Its articles are asked first
    # (one file is one shard under Citus), then whether copies from those files
    # carry the real state (copies are stored beside their articles, elsewhere).
    cursor.execute(
        "SELECT DISTINCT file_key, path, coalesce(source_name, '') FROM corpus_articles a "
        "WHERE file_digest LIKE %(p)s AND NOT EXISTS (SELECT 1 FROM corpus_articles b "
        "WHERE b.file_key = a.file_key AND b.file_digest NOT LIKE %(p)s)",
        {"p": PARTIAL + "%"},
    )
    candidates = cursor.fetchall()
    finished: set[str] = set()
    if candidates:
        cursor.execute(
            "SELECT DISTINCT file_key FROM corpus_copies "
            "WHERE file_key = ANY(%(keys)s) AND file_digest NOT LIKE %(p)s",
            {"keys": sorted({row[0] for row in candidates}), "p": PARTIAL + "%"},
        )
        finished = {str(row[0]) for row in cursor.fetchall()}
    partial = [LostFile(k, p, s) for k, p, s in candidates if k not in finished]
    if partial:
        report.notes.append(
            f"{len(partial)} dumps were ingested only in part (an ingest was interrupted); "
            "'corpus repair' or the same ingest again reads them whole."
        )
    return report, dangling + partial


def _counted(cursor: Any) -> tuple[int, int, int, dict[str, int]]:
    """(articles, words of title, words of text, articles of each language) of the
    articles table."""
    cursor.execute(
        "SELECT language, count(*), coalesce(sum(title_length), 0), "
        "coalesce(sum(text_length), 0) FROM corpus_articles GROUP BY language"
    )
    rows = cursor.fetchall()
    languages = {str(code): int(n) for code, n, _, _ in rows}
    titles = sum(int(w) for _, _, w, _ in rows)
    return sum(languages.values()), titles, sum(int(w) for _, _, _, w in rows), languages


def _kept_languages(cursor: Any) -> dict[str, int]:
    cursor.execute("SELECT language, articles FROM corpus_languages WHERE articles <> 0")
    return {str(code): int(n) for code, n in cursor.fetchall()}


def fix_totals(cursor: Any) -> bool:
    """Set the totals and the languages from the articles table; True when they were
    wrong. Counted first and written apart: under Citus the counts come from the
    shards and the totals are a table copied to every worker."""
    articles, titles, words, languages = _counted(cursor)
    cursor.execute(
        "UPDATE corpus_totals SET articles = %s, title_words = %s, text_words = %s "
        "WHERE (articles, title_words, text_words) IS DISTINCT FROM (%s, %s, %s)",
        (articles, titles, words, articles, titles, words),
    )
    fixed = bool(cursor.rowcount)
    if _kept_languages(cursor) != languages:
        cursor.execute("DELETE FROM corpus_languages")
        cursor.executemany(
            "INSERT INTO corpus_languages (language, articles) VALUES (%s, %s)",
            sorted(languages.items()),
        )
        fixed = True
    return fixed


def drop_dangling(cursor: Any) -> int:
    cursor.execute(f"DELETE {_DANGLING}")
    return int(cursor.rowcount)
