"""The JSON and CSV rows of every command: the contract with scripts.

These functions are the command-line contract (``cli-contract.md``, see the README):
scripts rely on each row's keys, their order, their rounding and on ``null`` for an
unknown value, so change them only together with the contract. They are pure
functions of :mod:`corpus_cli.model` objects: no Rich, no I/O; the terminal writes
what they return (:meth:`corpus_cli.render.Terminal.emit_json` and ``emit_csv``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corpus_cli.model import (
        Copy,
        Explanation,
        Hit,
        IndexStats,
        QueryTerms,
        SourceSummary,
        StoredArticle,
    )
    from corpus_cli.results import (
        Citation,
        Cluster,
        IngestReport,
        KwicLine,
        PeriodCount,
        TermScore,
        Watch,
    )

Row = dict[str, Any]

#: The JSON keys and CSV columns of one article (list, show).
ARTICLE_COLUMNS = [
    "id",
    "path",
    "title",
    "derived_title",
    "date",
    "date_precision",
    "date_inferred",
    "date_evidence",
    "source",
    "url",
    "language",
    "copies",
]

#: One ranked article (search, similar, watch run): the article, its score and snippet.
HIT_COLUMNS = [*ARTICLE_COLUMNS, "score", "snippet"]

#: The JSON and CSV columns of one concordance line (KwicLine's own field names).
KWIC_COLUMNS = ["id", "date", "source", "left", "match", "right"]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def article_row(
    article: StoredArticle,
    *,
    hit: Hit | None = None,
    snippet: str | None = None,
    text: bool = False,
) -> Row:
    """One article; with ``hit`` its score and ``snippet``, with ``text`` its whole text."""
    from corpus_cli.text.snippets import derived_title  # not at import: --help pays nothing

    row: Row = {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        # What the screen shows for a missing title, apart: "title" stays the input's.
        "derived_title": None if article.title else derived_title(article.text),
        "date": article.date,
        "date_precision": article.date_precision,
        "date_inferred": article.date_inferred,
        "date_evidence": article.date_evidence,
        "source": article.source,
        "url": article.url,
        # ISO 639-1: stated by the input, else detected, else the corpus default.
        "language": article.language,
        # Exact copies of the text kept with it (another source, file or headline).
        "copies": [copy_row(c) for c in article.copies],
    }
    if hit is not None:
        row["score"] = _rounded(hit.score)
        row["snippet"] = snippet
    if text:
        row["text"] = article.text
        row["extra"] = article.extra
    return row


def copy_row(copy: Copy) -> Row:
    """Another publication of an article's text, as JSON rows list it under ``copies``."""
    return {
        "source": copy.source,
        "date": copy.date,
        "title": copy.title,
        "path": copy.path,
        "url": copy.url,
        "id": copy.id,
    }


def hit_row(hit: Hit, terms: QueryTerms, extra: dict[str, Any] | None = None) -> Row:
    """A ranked article with the plain text of its best fragment, then ``extra``'s keys."""
    from corpus_cli.text.snippets import make_snippet

    snippet = make_snippet(hit.article.text, terms, language=hit.article.language).text
    return {**article_row(hit.article, hit=hit, snippet=snippet), **(extra or {})}


def cluster_row(number: int, cluster: Cluster) -> Row:
    """One cluster of near-duplicates, numbered from 1, its ids earliest first; ``copies``
    are its articles' exact copies, each with ``of``, the id of the article it copies."""
    return {
        "cluster": number,
        "ids": list(cluster.ids),
        "similarity": round(cluster.similarity, 4),
        "copies": [{"of": a.id, **copy_row(c)} for a in cluster.articles for c in a.copies],
    }


def citation_row(citation: Citation) -> Row:
    return {"cited": citation.cited, "count": citation.count}


def watch_row(watch: Watch) -> Row:
    """A saved watch; ``seen`` is how many articles it has shown so far."""
    filters = watch.filters.to_dict()
    return {
        "name": watch.name,
        "query": watch.query,
        "from": filters["from"],
        "to": filters["to"],
        "source": filters["source"],
        "created": watch.created,
        "last_run": watch.last_run,
        "seen": len(watch.seen),
    }


def source_row(summary: SourceSummary, *, narrowed: bool = False) -> Row:
    """One source; ``narrowed`` (a query or filter counted only matches) adds total and share.

    Pass the same ``narrowed`` for every row of a listing, so that all rows have the same
    keys: ``any(s.total is not None for s in sources)``.
    """
    row: Row = {
        "source": summary.source,
        "count": summary.count,
        "first_date": summary.first_date,
        "last_date": summary.last_date,
    }
    if narrowed:
        row["total"] = summary.total
        row["share"] = _rounded(summary.share)
    return row


def period_row(period: PeriodCount) -> Row:
    row: Row = {
        "period": period.period,
        "count": period.count,
        "total": period.total,
        "share": _rounded(period.share),
    }
    if period.coarser:
        row["coarser"] = True
    return row


def term_row(term: TermScore) -> Row:
    # The score is not rounded: these rows were always the dataclass's own fields.
    return {"term": term.term, "stem": term.stem, "score": term.score, "count": term.count}


def kwic_row(line: KwicLine) -> Row:
    return {column: getattr(line, column) for column in KWIC_COLUMNS}


def explanation_row(explanation: Explanation) -> Row:
    """``excluded`` and ``filters`` only when the query has exclusions or filters apply:
    the row of a plain query is the one scripts have always read."""
    e = explanation
    row: Row = {
        "query": e.query,
        "parsed": e.parsed,
        "fields": list(e.fields),
        "words": [
            {
                "word": w,
                "folded": f,
                "stem": st,
                "forms": [{"word": form, "articles": n} for form, n in e.forms.get(st, [])],
                # In an index of other languages than Italian: the word's terms in each.
                **(
                    {
                        "languages": [
                            {"language": code, "analysis": how, "terms": terms}
                            for code, how, terms in e.languages[w]
                        ]
                    }
                    if e.languages.get(w)
                    else {}
                ),
            }
            for w, f, st in e.words
        ],
        "expansions": list(e.expansions),
        "phrases": [list(phrase) for phrase in e.phrases],
        "total": e.total,
        "suggestion": e.suggestion,
    }
    if e.excluded:
        row["excluded"] = list(e.excluded)
    if not e.filters.is_empty:
        row["filters"] = e.filters.to_dict()
    return row


def count_row(count: int) -> Row:
    """``search --count --json``: the number of matching articles alone."""
    return {"count": count}


def stats_row(stats: IndexStats) -> Row:
    return {
        "articles": stats.articles,
        "undated": stats.undated,
        "dated_by_metadata": stats.dated_by_metadata,
        "dated_by_inference": stats.dated_by_inference,
        "first_date": stats.first_date,
        "last_date": stats.last_date,
        "sources": dict(stats.sources),
        "languages": dict(stats.languages),
    }


def ingest_row(report: IngestReport) -> Row:
    """The ingest summary (the ignored files are not part of it)."""
    return {
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "removed": report.removed,
        "duplicates": [{"path": d.path, "duplicate_of": d.duplicate_of} for d in report.duplicates],
        "skipped": [{"path": s.path, "reason": s.reason} for s in report.skipped],
        "relabelled": report.relabelled,
    }


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell."""
    # As JSON writes them, so a column reads the same in both exports.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        # An article's copies: empty when none, else their JSON, one cell for them all.
        import json

        return json.dumps(value, ensure_ascii=False) if value else ""
    return value
