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

_DANGLING = (
    "FROM corpus_copies c WHERE NOT EXISTS "
    "(SELECT 1 FROM corpus_articles a WHERE a.id = c.owner_id)"
)


def survey(cursor: Any, location: str) -> tuple[CheckReport, list[LostFile]]:
    """What is wrong, and the files whose articles must be read again to put it right."""
    # The articles, their copies and the totals.
    report = CheckReport(location, parts=3, part="table")
    cursor.execute("SELECT count(*), coalesce(sum(text_length), 0) FROM corpus_articles")
    articles, words = cursor.fetchone()
    report.articles = int(articles)
    cursor.execute("SELECT articles, text_words FROM corpus_totals")
    row = cursor.fetchone()
    if row is None or (int(row[0]), int(row[1])) != (int(articles), int(words)):
        shown = "none" if row is None else f"{row[0]} articles and {row[1]} words"
        report.problems.append(
            f"The totals the ranking reads ({shown}) disagree with the articles "
            f"table ({articles} articles, {words} words)."
        )
    cursor.execute(f"SELECT DISTINCT c.file_key, c.path, coalesce(c.source_name, '') {_DANGLING}")
    dangling = [LostFile(k, p, s) for k, p, s in cursor.fetchall()]
    if dangling:
        report.problems.append(
            f"Copies from {len(dangling)} files are kept on articles that are not in "
            "the articles table."
        )
    # A dump's articles but its last carry the partial state: one is unfinished
    # when none of its records carries the real one.
    cursor.execute(
        "SELECT DISTINCT file_key, path, coalesce(source_name, '') FROM corpus_articles a "
        "WHERE file_digest LIKE %(p)s AND NOT EXISTS (SELECT 1 FROM corpus_articles b "
        "WHERE b.file_key = a.file_key AND b.file_digest NOT LIKE %(p)s) "
        "AND NOT EXISTS (SELECT 1 FROM corpus_copies c "
        "WHERE c.file_key = a.file_key AND c.file_digest NOT LIKE %(p)s)",
        {"p": PARTIAL + "%"},
    )
    partial = [LostFile(k, p, s) for k, p, s in cursor.fetchall()]
    if partial:
        report.notes.append(
            f"{len(partial)} dumps were ingested only in part (an ingest was interrupted); "
            "'corpus repair' or the same ingest again reads them whole."
        )
    return report, dangling + partial


def fix_totals(cursor: Any) -> bool:
    """Set the totals from the articles table; True when they were wrong."""
    cursor.execute(
        "UPDATE corpus_totals t SET articles = s.n, text_words = s.w FROM "
        "(SELECT count(*) AS n, coalesce(sum(text_length), 0) AS w FROM corpus_articles) s "
        "WHERE (t.articles, t.text_words) IS DISTINCT FROM (s.n, s.w)"
    )
    return bool(cursor.rowcount)


def drop_dangling(cursor: Any) -> int:
    cursor.execute(f"DELETE {_DANGLING}")
    return int(cursor.rowcount)
