"""The renderer against the old one: JSON rows, CSV text and Rich views, byte for byte.

Every expected value below was printed by the render.py of before the restructure
(one ``Output`` class), from the same objects built with the old classes by the same
:func:`build`, writing to an ``io.StringIO`` at width 80 without colour.
"""

# ruff: noqa: E501 - expected output keeps one printed line to a source line.

from __future__ import annotations

import ast
import datetime
import io
import json
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import corpus_cli.model as model
import corpus_cli.results as results
from corpus_cli.render import Output, Terminal, rows

RENDER = Path(__file__).resolve().parent.parent / "corpus_cli" / "render"


#: The model's and the results' classes under one name, as build() reads them.
BOTH = types.SimpleNamespace(**{**vars(model), **vars(results)})


def build(m: Any = BOTH) -> dict[str, Any]:
    """The same objects from the old classes or the new model (``m`` holds the classes)."""
    long_text = (
        "Le esercitazioni militari nel Baltico sono iniziate all'alba. "
        "Secondo fonti della marina, l'esercitazione durerà tre settimane e coinvolgerà "
        "navi di sei paesi. [bold]Non è markup[/bold]\x1b[31m e nemmeno questo.\n\n"
        "Un secondo paragrafo, lontano, parla di esercitazioni militari ancora, "
        "con la parola Baltico ripetuta per il frammento migliore."
    )
    a1 = m.StoredArticle(
        id="000_3aa3d3d712357d35",
        path="seeds/000_3aa3d3d712357d35.txt",
        title="Esercitazioni militari nel Baltico",
        date="2022-12",
        date_precision="month",
        date_inferred=False,
        date_evidence=" date 2022-12",
        source="seeds",
        url=None,
        text=long_text,
    )
    a2 = m.StoredArticle(
        id="gazzetta-7",
        path="in/gazzetta.jsonl",
        title=None,
        date="2023-04-05",
        date_precision="day",
        date_inferred=True,
        date_evidence="giovedì 5 aprile",
        source="Gazzetta di Parma, edizione serale",
        url="https://example.org/a?b=1",
        text="Senza titolo: una breve notizia\tsulle esercitazioni, con \x07 un campanello "
        "e parole abbastanza numerose da superare la misura della riga di testa.",
        extra={"author": "Rossi", "tags": ["a", "b"]},
    )
    a3 = m.StoredArticle(
        id="x",
        path="notes/x.md",
        title="[red]Allarme[/red] \x07 \u202e rovescio",
        date=None,
        date_precision=None,
        date_inferred=False,
        date_evidence=None,
        source=None,
        url=None,
        text="Testo breve.",
    )
    terms = m.QueryTerms(
        stems=frozenset({"esercit"}),
        folded=frozenset({"esercitazioni"}),
        phrases=(("militar", "baltic"),),
    )
    hits = [m.Hit(a1, 3.2141592653), m.Hit(a2, None), m.Hit(a3, 0.00004)]
    result = m.SearchResult(hits=hits, total=12, terms=terms)
    f = m.Filters(
        date_from=datetime.date(2022, 1, 1),
        date_to=datetime.date(2023, 12, 31),
        source="seeds",
        cites="Tass",
    )
    w1 = m.Watch(
        name="baltico",
        query="esercitazioni",
        filters=f,
        created="2024-01-02T10:00:00+01:00",
        last_run="2024-02-03T11:12:13+01:00",
        seen=["a", "b"],
    )
    w2 = m.Watch(name="vuota", query='"nato est"', created="2024-01-02T10:00:00+01:00")
    return {
        "articles": [a1, a2, a3],
        "terms": terms,
        "hits": hits,
        "result": result,
        "clusters": [
            m.Cluster(
                ids=["000_3aa3d3d712357d35", "gazzetta-7"], similarity=0.8333333, articles=[a1, a2]
            )
        ],
        "citations": [m.Citation("Tass", 3), m.Citation("ANSA [x]", 1)],
        "watches": [w1, w2],
        "watch_results": [
            m.WatchResult(watch=w1, new=[m.Hit(a1, 1.23456789)], total=5, terms=terms),
            m.WatchResult(watch=w2, new=[], total=0),
        ],
        "sources": [
            m.SourceSummary("seeds", 10, "2022-01", "2023-05"),
            m.SourceSummary("Gazzetta", 2, None, None),
        ],
        "narrowed": [
            m.SourceSummary("seeds", 4, "2022-01", "2023-05", total=30),
            m.SourceSummary("Gazzetta", 0, None, None, total=0),
        ],
        "timeline": [
            m.PeriodCount("2023-01", 3, 10),
            m.PeriodCount("2023-02", 0, 0),
            m.PeriodCount("2023-03", 1, 3),
            m.PeriodCount("2023", 2, 5, coarser=True),
        ],
        "term_scores": [
            m.TermScore("esercitazioni", "esercit", 12.3456789, 4),
            m.TermScore("baltico", "baltic", 0.5, 1),
        ],
        "kwic": [
            m.KwicLine(
                "000_3aa3d3d712357d35",
                "2022-12",
                False,
                "seeds",
                "Le ",
                "esercitazioni",
                " militari nel Baltico sono iniziate",
            ),
            m.KwicLine(
                "gazzetta-7",
                "2023-04-05",
                True,
                None,
                "una breve notizia sulle ",
                "esercitazioni",
                ", con",
            ),
            m.KwicLine("x", None, False, 'a, "quoted" source', "sinistra", "match", "destra"),
        ],
        "explanation": m.Explanation(
            query="esercitazioni militar*",
            parsed="(text:esercit OR title:esercit) AND militar*",
            fields=["title", "text"],
            words=[("Esercitazioni", "esercitazioni", "esercit")],
            expansions=["militare", "militari"],
            phrases=[["militar", "baltic"]],
            total=7,
            suggestion="esercitazioni",
            forms={"esercit": [("esercitazioni", 4), ("esercitazione", 2)]},
        ),
        "stats": m.IndexStats(
            10, 1, 7, 2, "2022-01", "2023-05", {"seeds": 8, "Gazzetta": 2}, {"it": 9, "en": 1}
        ),
        "ingest": m.IngestReport(
            added=2,
            updated=1,
            unchanged=3,
            removed=0,
            duplicates=[m.Duplicate("in/b.txt", "in/a.txt")],
            skipped=[m.Skipped("in/c.bin", "not text (binary)")],
            ignored=["in/x.png"],
            files=7,
        ),
    }


#: JSON rows, parsed from what the old render.Output printed under --json.
ROWS: dict[str, list[dict[str, Any]]] = {
    "search": [
        {
            "id": "000_3aa3d3d712357d35",
            "path": "seeds/000_3aa3d3d712357d35.txt",
            "title": "Esercitazioni militari nel Baltico",
            "derived_title": None,
            "date": "2022-12",
            "date_precision": "month",
            "date_inferred": False,
            "date_evidence": " date 2022-12",
            "source": "seeds",
            "url": None,
            "language": "it",
            "copies": [],
            "score": 3.2142,
            "snippet": "Le esercitazioni militari nel Baltico sono iniziate all'alba. Secondo "
            "fonti della marina, l'esercitazione durerà tre settimane e coinvolgerà "
            "navi di sei paesi. [bold]Non è markup[/bold]\x1b[31m e nemmeno questo. Un "
            "secondo paragrafo, lontano, parla …",
        },
        {
            "id": "gazzetta-7",
            "path": "in/gazzetta.jsonl",
            "title": None,
            "derived_title": "Senza titolo: una breve notizia sulle esercitazioni, con \x07 un…",
            "date": "2023-04-05",
            "date_precision": "day",
            "date_inferred": True,
            "date_evidence": "giovedì 5 aprile",
            "source": "Gazzetta di Parma, edizione serale",
            "url": "https://example.org/a?b=1",
            "language": "it",
            "copies": [],
            "score": None,
            "snippet": "Senza titolo: una breve notizia sulle esercitazioni, con \x07 un "
            "campanello e parole abbastanza numerose da superare la misura della riga "
            "di testa.",
        },
        {
            "id": "x",
            "path": "notes/x.md",
            "title": "[red]Allarme[/red] \x07 \u202e rovescio",
            "derived_title": None,
            "date": None,
            "date_precision": None,
            "date_inferred": False,
            "date_evidence": None,
            "source": None,
            "url": None,
            "language": "it",
            "copies": [],
            "score": 0.0,
            "snippet": "Testo breve.",
        },
    ],
    "similar": [
        {
            "id": "gazzetta-7",
            "path": "in/gazzetta.jsonl",
            "title": None,
            "derived_title": "Senza titolo: una breve notizia sulle esercitazioni, con \x07 un…",
            "date": "2023-04-05",
            "date_precision": "day",
            "date_inferred": True,
            "date_evidence": "giovedì 5 aprile",
            "source": "Gazzetta di Parma, edizione serale",
            "url": "https://example.org/a?b=1",
            "language": "it",
            "copies": [],
            "score": None,
            "snippet": "Senza titolo: una breve notizia sulle esercitazioni, con \x07 un "
            "campanello e parole abbastanza numerose da superare la misura della riga "
            "di testa.",
        },
        {
            "id": "x",
            "path": "notes/x.md",
            "title": "[red]Allarme[/red] \x07 \u202e rovescio",
            "derived_title": None,
            "date": None,
            "date_precision": None,
            "date_inferred": False,
            "date_evidence": None,
            "source": None,
            "url": None,
            "language": "it",
            "copies": [],
            "score": 0.0,
            "snippet": "Testo breve.",
        },
    ],
    "watch_results": [
        {
            "id": "000_3aa3d3d712357d35",
            "path": "seeds/000_3aa3d3d712357d35.txt",
            "title": "Esercitazioni militari nel Baltico",
            "derived_title": None,
            "date": "2022-12",
            "date_precision": "month",
            "date_inferred": False,
            "date_evidence": " date 2022-12",
            "source": "seeds",
            "url": None,
            "language": "it",
            "copies": [],
            "score": 1.2346,
            "snippet": "Le esercitazioni militari nel Baltico sono iniziate all'alba. Secondo "
            "fonti della marina, l'esercitazione durerà tre settimane e coinvolgerà "
            "navi di sei paesi. [bold]Non è markup[/bold]\x1b[31m e nemmeno questo. Un "
            "secondo paragrafo, lontano, parla …",
            "watch": "baltico",
        }
    ],
    "listing": [
        {
            "id": "000_3aa3d3d712357d35",
            "path": "seeds/000_3aa3d3d712357d35.txt",
            "title": "Esercitazioni militari nel Baltico",
            "derived_title": None,
            "date": "2022-12",
            "date_precision": "month",
            "date_inferred": False,
            "date_evidence": " date 2022-12",
            "source": "seeds",
            "url": None,
            "language": "it",
            "copies": [],
        },
        {
            "id": "gazzetta-7",
            "path": "in/gazzetta.jsonl",
            "title": None,
            "derived_title": "Senza titolo: una breve notizia sulle esercitazioni, con \x07 un…",
            "date": "2023-04-05",
            "date_precision": "day",
            "date_inferred": True,
            "date_evidence": "giovedì 5 aprile",
            "source": "Gazzetta di Parma, edizione serale",
            "url": "https://example.org/a?b=1",
            "language": "it",
            "copies": [],
        },
        {
            "id": "x",
            "path": "notes/x.md",
            "title": "[red]Allarme[/red] \x07 \u202e rovescio",
            "derived_title": None,
            "date": None,
            "date_precision": None,
            "date_inferred": False,
            "date_evidence": None,
            "source": None,
            "url": None,
            "language": "it",
            "copies": [],
        },
    ],
    "show": [
        {
            "id": "000_3aa3d3d712357d35",
            "path": "seeds/000_3aa3d3d712357d35.txt",
            "title": "Esercitazioni militari nel Baltico",
            "derived_title": None,
            "date": "2022-12",
            "date_precision": "month",
            "date_inferred": False,
            "date_evidence": " date 2022-12",
            "source": "seeds",
            "url": None,
            "language": "it",
            "copies": [],
            "text": "Le esercitazioni militari nel Baltico sono iniziate all'alba. Secondo fonti "
            "della marina, l'esercitazione durerà tre settimane e coinvolgerà navi di sei "
            "paesi. [bold]Non è markup[/bold]\x1b[31m e nemmeno questo.\n"
            "\n"
            "Un secondo paragrafo, lontano, parla di esercitazioni militari ancora, con la "
            "parola Baltico ripetuta per il frammento migliore.",
            "extra": {},
        }
    ],
    "show_plain": [
        {
            "id": "gazzetta-7",
            "path": "in/gazzetta.jsonl",
            "title": None,
            "derived_title": "Senza titolo: una breve notizia sulle esercitazioni, con \x07 un…",
            "date": "2023-04-05",
            "date_precision": "day",
            "date_inferred": True,
            "date_evidence": "giovedì 5 aprile",
            "source": "Gazzetta di Parma, edizione serale",
            "url": "https://example.org/a?b=1",
            "language": "it",
            "copies": [],
            "text": "Senza titolo: una breve notizia\tsulle esercitazioni, con \x07 un campanello "
            "e parole abbastanza numerose da superare la misura della riga di testa.",
            "extra": {"author": "Rossi", "tags": ["a", "b"]},
        }
    ],
    "kwic": [
        {
            "id": "000_3aa3d3d712357d35",
            "date": "2022-12",
            "source": "seeds",
            "left": "Le ",
            "match": "esercitazioni",
            "right": " militari nel Baltico sono iniziate",
        },
        {
            "id": "gazzetta-7",
            "date": "2023-04-05",
            "source": None,
            "left": "una breve notizia sulle ",
            "match": "esercitazioni",
            "right": ", con",
        },
        {
            "id": "x",
            "date": None,
            "source": 'a, "quoted" source',
            "left": "sinistra",
            "match": "match",
            "right": "destra",
        },
    ],
    "clusters": [
        {
            "cluster": 1,
            "ids": ["000_3aa3d3d712357d35", "gazzetta-7"],
            "similarity": 0.8333,
            "copies": [],
        }
    ],
    "citations": [{"cited": "Tass", "count": 3}, {"cited": "ANSA [x]", "count": 1}],
    "watches": [
        {
            "name": "baltico",
            "query": "esercitazioni",
            "from": "2022-01-01",
            "to": "2023-12-31",
            "source": "seeds",
            "created": "2024-01-02T10:00:00+01:00",
            "last_run": "2024-02-03T11:12:13+01:00",
            "seen": 2,
        },
        {
            "name": "vuota",
            "query": '"nato est"',
            "from": None,
            "to": None,
            "source": None,
            "created": "2024-01-02T10:00:00+01:00",
            "last_run": None,
            "seen": 0,
        },
    ],
    "sources": [
        {"source": "seeds", "count": 10, "first_date": "2022-01", "last_date": "2023-05"},
        {"source": "Gazzetta", "count": 2, "first_date": None, "last_date": None},
    ],
    "sources_narrowed": [
        {
            "source": "seeds",
            "count": 4,
            "first_date": "2022-01",
            "last_date": "2023-05",
            "total": 30,
            "share": 0.1333,
        },
        {
            "source": "Gazzetta",
            "count": 0,
            "first_date": None,
            "last_date": None,
            "total": 0,
            "share": None,
        },
    ],
    "timeline": [
        {"period": "2023-01", "count": 3, "total": 10, "share": 0.3},
        {"period": "2023-02", "count": 0, "total": 0, "share": None},
        {"period": "2023-03", "count": 1, "total": 3, "share": 0.3333},
        {"period": "2023", "count": 2, "total": 5, "share": 0.4, "coarser": True},
    ],
    "terms": [
        {"term": "esercitazioni", "stem": "esercit", "score": 12.3456789, "count": 4},
        {"term": "baltico", "stem": "baltic", "score": 0.5, "count": 1},
    ],
    "explain": [
        {
            "query": "esercitazioni militar*",
            "parsed": "(text:esercit OR title:esercit) AND militar*",
            "fields": ["title", "text"],
            "words": [
                {
                    "word": "Esercitazioni",
                    "folded": "esercitazioni",
                    "stem": "esercit",
                    "forms": [
                        {"word": "esercitazioni", "articles": 4},
                        {"word": "esercitazione", "articles": 2},
                    ],
                }
            ],
            "expansions": ["militare", "militari"],
            "phrases": [["militar", "baltic"]],
            "total": 7,
            "suggestion": "esercitazioni",
        }
    ],
    "stats": [
        {
            "articles": 10,
            "undated": 1,
            "dated_by_metadata": 7,
            "dated_by_inference": 2,
            "first_date": "2022-01",
            "last_date": "2023-05",
            "sources": {"seeds": 8, "Gazzetta": 2},
            "languages": {"it": 9, "en": 1},
        }
    ],
    "ingest": [
        {
            "added": 2,
            "updated": 1,
            "unchanged": 3,
            "removed": 0,
            "duplicates": [{"path": "in/b.txt", "duplicate_of": "in/a.txt"}],
            "skipped": [{"path": "in/c.bin", "reason": "not text (binary)"}],
            "relabelled": 0,
        }
    ],
}

#: CSV as the old render.Output printed it under --format csv.
CSV: dict[str, str] = {
    "search": (
        "id,path,title,derived_title,date,date_precision,date_inferred,date_evidence,source,url,language,copies,score,snippet\n"
        "000_3aa3d3d712357d35,seeds/000_3aa3d3d712357d35.txt,Esercitazioni militari nel Baltico,,2022-12,month,false, date 2022-12,seeds,,it,,3.2142,\"Le esercitazioni militari nel Baltico sono iniziate all'alba. Secondo fonti della marina, l'esercitazione durerà tre settimane e coinvolgerà navi di sei paesi. [bold]Non è markup[/bold]\x1b[31m e nemmeno questo. Un secondo paragrafo, lontano, parla …\"\n"
        'gazzetta-7,in/gazzetta.jsonl,,"Senza titolo: una breve notizia sulle esercitazioni, con \x07 un…",2023-04-05,day,true,giovedì 5 aprile,"Gazzetta di Parma, edizione serale",https://example.org/a?b=1,it,,,"Senza titolo: una breve notizia sulle esercitazioni, con \x07 un campanello e parole abbastanza numerose da superare la misura della riga di testa."\n'
        "x,notes/x.md,[red]Allarme[/red] \x07 \u202e rovescio,,,,false,,,,it,,0.0,Testo breve.\n"
    ),
    "similar": (
        "id,path,title,derived_title,date,date_precision,date_inferred,date_evidence,source,url,language,copies,score,snippet\n"
        'gazzetta-7,in/gazzetta.jsonl,,"Senza titolo: una breve notizia sulle esercitazioni, con \x07 un…",2023-04-05,day,true,giovedì 5 aprile,"Gazzetta di Parma, edizione serale",https://example.org/a?b=1,it,,,"Senza titolo: una breve notizia sulle esercitazioni, con \x07 un campanello e parole abbastanza numerose da superare la misura della riga di testa."\n'
        "x,notes/x.md,[red]Allarme[/red] \x07 \u202e rovescio,,,,false,,,,it,,0.0,Testo breve.\n"
    ),
    "watch_results": (
        "id,path,title,derived_title,date,date_precision,date_inferred,date_evidence,source,url,language,copies,score,snippet,watch\n"
        "000_3aa3d3d712357d35,seeds/000_3aa3d3d712357d35.txt,Esercitazioni militari nel Baltico,,2022-12,month,false, date 2022-12,seeds,,it,,1.2346,\"Le esercitazioni militari nel Baltico sono iniziate all'alba. Secondo fonti della marina, l'esercitazione durerà tre settimane e coinvolgerà navi di sei paesi. [bold]Non è markup[/bold]\x1b[31m e nemmeno questo. Un secondo paragrafo, lontano, parla …\",baltico\n"
        "id,path,title,derived_title,date,date_precision,date_inferred,date_evidence,source,url,language,copies,score,snippet,watch\n"
    ),
    "listing": (
        "id,path,title,derived_title,date,date_precision,date_inferred,date_evidence,source,url,language,copies\n"
        "000_3aa3d3d712357d35,seeds/000_3aa3d3d712357d35.txt,Esercitazioni militari nel Baltico,,2022-12,month,false, date 2022-12,seeds,,it,\n"
        'gazzetta-7,in/gazzetta.jsonl,,"Senza titolo: una breve notizia sulle esercitazioni, con \x07 un…",2023-04-05,day,true,giovedì 5 aprile,"Gazzetta di Parma, edizione serale",https://example.org/a?b=1,it,\n'
        "x,notes/x.md,[red]Allarme[/red] \x07 \u202e rovescio,,,,false,,,,it,\n"
    ),
    "kwic": (
        "id,date,source,left,match,right\n"
        "000_3aa3d3d712357d35,2022-12,seeds,Le ,esercitazioni, militari nel Baltico sono iniziate\n"
        'gazzetta-7,2023-04-05,,una breve notizia sulle ,esercitazioni,", con"\n'
        'x,,"a, ""quoted"" source",sinistra,match,destra\n'
    ),
    "search_empty": "id,path,title,derived_title,date,date_precision,date_inferred,date_evidence,source,url,language,copies,score,snippet\n",
    "listing_empty": "id,path,title,derived_title,date,date_precision,date_inferred,date_evidence,source,url,language,copies\n",
}

#: (stdout, stderr) of the old render.Output's Rich views at width 80, no colour.
TABLE: dict[str, tuple[str, str]] = {
    # Off a terminal the count goes to stderr (as list's), and stdout holds the hits.
    "search": (
        (
            " 1. Esercitazioni militari nel Baltico\n"
            "    2022-12 · seeds · 000_3aa3d3d712357d35\n"
            "    Le esercitazioni militari nel Baltico sono iniziate all'alba. Secondo fonti\n"
            "    della marina, l'esercitazione durerà tre settimane e coinvolgerà navi di sei\n"
            "    paesi. [bold]Non è markup[/bold]␛[31m e nemmeno questo. Un secondo\n"
            "    paragrafo, lontano, parla …\n"
            "\n"
            " 2. ≈ Senza titolo: una breve notizia sulle esercitazioni, con ␇ un…\n"
            "    ≈2023-04-05 · Gazzetta di Parma, edizione serale · gazzetta-7\n"
            "    Senza titolo: una breve notizia sulle esercitazioni, con ␇ un campanello e\n"
            "    parole abbastanza numerose da superare la misura della riga di testa.\n"
            "\n"
            " 3. [red]Allarme[/red] ␇ � rovescio\n"
            "    undated · unknown source · x\n"
            "    Testo breve.\n"
        ),
        "12 articles match esercitazioni [bold] (showing 3; --limit for more)\n\n",
    ),
    "search_empty": (
        "",
        "0 articles match nulla\n",
    ),
    "listing": (
        (
            "date         source               title                     id                  \n"
            "2022-12      seeds                Esercitazioni militari …  000_3aa3d3d712357d35\n"
            "≈2023-04-05  Gazzetta di Parma,…  ≈ Senza titolo: una bre…  gazzetta-7          \n"
            "undated                           [red]Allarme[/red] ␇ � …  x                   \n"
        ),
        "3 articles\n",
    ),
    # No bare header over nothing: the count alone says it.
    "listing_empty": (
        "",
        "0 articles\n",
    ),
    "similar": (
        (
            "2 articles like Esercitazioni militari nel Baltico\n"
            "\n"
            " 1. ≈ Senza titolo: una breve notizia sulle esercitazioni, con ␇ un…\n"
            "    ≈2023-04-05 · Gazzetta di Parma, edizione serale · gazzetta-7\n"
            "    Senza titolo: una breve notizia sulle esercitazioni, con ␇ un campanello e\n"
            "    parole abbastanza numerose da superare la misura della riga di testa.\n"
            "\n"
            " 2. [red]Allarme[/red] ␇ � rovescio\n"
            "    undated · unknown source · x\n"
            "    Testo breve.\n"
        ),
        "",
    ),
    "watch_results": (
        (
            "watch baltico: 1 new of 5 matching esercitazioni\n"
            "\n"
            " 1. Esercitazioni militari nel Baltico\n"
            "    2022-12 · seeds · 000_3aa3d3d712357d35\n"
            "    Le esercitazioni militari nel Baltico sono iniziate all'alba. Secondo fonti\n"
            "    della marina, l'esercitazione durerà tre settimane e coinvolgerà navi di sei\n"
            "    paesi. [bold]Non è markup[/bold]␛[31m e nemmeno questo. Un secondo\n"
            "    paragrafo, lontano, parla …\n"
            "\n"
            'watch vuota: 0 new of 0 matching "nato est"\n'
            "\n"
        ),
        "",
    ),
    "show": (
        (
            "Esercitazioni militari nel Baltico\n"
            "2022-12 · seeds · 000_3aa3d3d712357d35\n"
            "date from: “ date 2022-12”\n"
            "file: seeds/000_3aa3d3d712357d35.txt\n"
            "\n"
            # Off a terminal a paragraph is one line, whatever the width.
            "Le esercitazioni militari nel Baltico sono iniziate all'alba. Secondo fonti "
            "della marina, l'esercitazione durerà tre settimane e coinvolgerà navi di sei "
            "paesi. [bold]Non è markup[/bold]␛[31m e nemmeno questo.\n"
            "\n"
            "Un secondo paragrafo, lontano, parla di esercitazioni militari ancora, con la "
            "parola Baltico ripetuta per il frammento migliore.\n"
        ),
        "",
    ),
    "show_plain": (
        (
            # No title in the input: its first words stand in, marked as derived.
            "≈ Senza titolo: una breve notizia sulle esercitazioni, con ␇ un…\n"
            "≈2023-04-05 · Gazzetta di Parma, edizione serale · gazzetta-7\n"
            "date inferred from: “giovedì 5 aprile”\n"
            "url: https://example.org/a?b=1\n"
            "file: in/gazzetta.jsonl\n"
            "\n"
            "Senza titolo: una breve notizia sulle esercitazioni, con ␇ un campanello e "
            "parole abbastanza numerose da superare la misura della riga di testa.\n"
        ),
        "",
    ),
    "kwic": (
        (
            # Two spaces after the source, and "…" where the context was cut.
            "2022-12     seeds                             Le esercitazioni militari nel Bal…\n"
            "≈2023-04-05                     …e notizia sulle esercitazioni, con\n"
            'undated     a, "quoted" source           sinistramatchdestra\n'
        ),
        "",
    ),
    "clusters": (
        (
            "1 cluster of near-duplicates\n"
            "\n"
            " 1. 2 articles, similarity ≥ 0.83\n"
            "    2022-12 · seeds · 000_3aa3d3d712357d35  Esercitazioni militari nel Baltico\n"
            "    ≈2023-04-05 · Gazzetta di Parma, edizione serale · gazzetta-7  ≈ Senza tito…\n"
        ),
        "",
    ),
    "citations": (
        ("cited     articles\nTass             3\nANSA [x]         1\n"),
        "",
    ),
    "watches": (
        (
            "name     query          filters                           last run          seen\n"
            "baltico  esercitazioni  --from 2022-01-01 --to            2024-02-03 11:12     2\n"
            "                        2023-12-31 --source seeds                               \n"
            "                        --cites Tass                                            \n"
            'vuota    "nato est"                                       never                0\n'
        ),
        "",
    ),
    "sources": (
        (
            "source    articles  first    last   \n"
            "seeds           10  2022-01  2023-05\n"
            "Gazzetta         2                  \n"
        ),
        "",
    ),
    "sources_narrowed": (
        (
            "source    matches  of all  share  first    last   \n"
            "seeds           4      30  13.3%  2022-01  2023-05\n"
            "Gazzetta        0       0   0.0%                  \n"
        ),
        "",
    ),
    "timeline": (
        (
            "6 matching articles for esercitazioni, by month\n"
            "2023-01 █▁▃ 2023-03\n"
            "2023-01 █████████████████████████████████████████████████ 3/10  30.0%\n"
            "2023-02  0/0\n"
            "2023-03 ████████████████ 1/3  33.3%\n"
            "2023    ████████████████████████████████▌ 2/5  40.0%  (dated only to this period)\n"
        ),
        "",
    ),
    "timeline_norm": (
        (
            "6 matching articles for esercitazioni, by month (share of all articles)\n"
            "2023-01 ▆▁▇ 2023-03\n"
            "2023-01 ████████████████████████████████████▌ 3/10  30.0%\n"
            "2023-02  0/0\n"
            "2023-03 ████████████████████████████████████████▌ 1/3  33.3%\n"
            "2023    █████████████████████████████████████████████████ 2/5  40.0%  (dated only to this period)\n"
        ),
        "",
    ),
    "timeline_empty": (
        "0 matching articles for x, by year\n",
        "",
    ),
    "terms": (
        (
            "term           score  occurrences  stem   \n"
            "esercitazioni   12.3            4  esercit\n"
            "baltico          0.5            1  baltic \n"
        ),
        "",
    ),
    "explain": (
        (
            "query     esercitazioni militar*\n"
            "parsed    (text:esercit OR title:esercit) AND militar*\n"
            "fields    title, text\n"
            "word      Esercitazioni  → folded esercitazioni, stem esercit\n"
            "forms     esercitazioni (4), esercitazione (2)\n"
            "phrase    militar baltic  (stems, side by side)\n"
            "expands   militare, militari\n"
            "matches   7\n"
        ),
        # The hints, did-you-mean among them, are the command's to print (Output.hint).
        "",
    ),
    "stats": (
        (
            "10 articles\n"
            "  dated from metadata  7\n"
            "  dated by inference   2\n"
            "  undated              1\n"
            "  from 2022-01 to 2023-05\n"
            "2 sources\n"
            "        8  seeds\n"
            "        2  Gazzetta\n"
            "2 languages\n"
            "        9  it\n"
            "        1  en\n"
        ),
        "",
    ),
    "ingest": (
        (
            "2 added, 1 updated, 3 unchanged, 0 removed, 1 duplicates, 1 skipped  → /tmp/idx\n"
            "  duplicate  in/b.txt  (same text as in/a.txt)\n"
            "  skipped    in/c.bin  not text (binary)\n"
            "  1 other file ignored (--verbose lists them)\n"
        ),
        "",
    ),
    "ingest_verbose": (
        (
            "2 added, 1 updated, 3 unchanged, 0 removed, 1 duplicates, 1 skipped  → /tmp/idx\n"
            "  duplicate  in/b.txt  (same text as in/a.txt)\n"
            "  skipped    in/c.bin  not text (binary)\n"
            "  ignored    in/x.png  (not an article format)\n"
        ),
        "",
    ),
}


Call = Callable[[Output, dict[str, Any]], None]

CALLS: dict[str, Call] = {
    "search": lambda out, o: out.search(o["result"], "esercitazioni [bold]"),
    "search_empty": lambda out, o: out.search(
        model.SearchResult([], 0, model.QueryTerms()), "nulla"
    ),
    "similar": lambda out, o: out.similar(o["articles"][0], o["hits"][1:]),
    "watch_results": lambda out, o: out.watch_results(o["watch_results"]),
    "listing": lambda out, o: out.listing(o["articles"]),
    "listing_empty": lambda out, o: out.listing([]),
    "show": lambda out, o: out.show(o["articles"][0], o["terms"]),
    "show_plain": lambda out, o: out.show(o["articles"][1], None),
    "kwic": lambda out, o: out.kwic(o["kwic"]),
    "clusters": lambda out, o: out.clusters(o["clusters"]),
    "citations": lambda out, o: out.citations(o["citations"]),
    "watches": lambda out, o: out.watches(o["watches"]),
    "sources": lambda out, o: out.sources(o["sources"]),
    "sources_narrowed": lambda out, o: out.sources(o["narrowed"]),
    "timeline": lambda out, o: out.timeline(o["timeline"], "esercitazioni", "month", False),
    "timeline_norm": lambda out, o: out.timeline(o["timeline"], "esercitazioni", "month", True),
    "timeline_empty": lambda out, o: out.timeline([], "x", "year", False),
    "terms": lambda out, o: out.terms(o["term_scores"]),
    "explain": lambda out, o: out.explain(o["explanation"]),
    "stats": lambda out, o: out.stats(o["stats"]),
    "ingest": lambda out, o: out.ingest(o["ingest"], "/tmp/idx"),
    "ingest_verbose": lambda out, o: out.ingest(o["ingest"], "/tmp/idx", verbose=True),
}


def run(key: str, fmt: str) -> tuple[str, str]:
    """What one command prints under ``fmt``: (stdout, stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    terminal = Terminal(no_color=True, stdout=stdout, stderr=stderr, width=80)
    CALLS[key](Output(terminal, fmt), build())
    return stdout.getvalue(), stderr.getvalue()


def jsonl(found: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in found)


# -- the contract as pure functions ------------------------------------------------------


def test_article_rows() -> None:
    o = build()
    assert [rows.article_row(a) for a in o["articles"]] == ROWS["listing"]
    assert [rows.article_row(o["articles"][0], text=True)] == ROWS["show"]
    assert [rows.article_row(o["articles"][1], text=True)] == ROWS["show_plain"]
    assert list(ROWS["listing"][0]) == rows.ARTICLE_COLUMNS


def test_hit_rows_carry_score_snippet_and_extra_keys_in_order() -> None:
    o = build()
    assert [rows.hit_row(hit, o["terms"]) for hit in o["hits"]] == ROWS["search"]
    assert [rows.hit_row(hit, model.QueryTerms()) for hit in o["hits"][1:]] == ROWS["similar"]
    new = o["watch_results"][0].new
    assert [rows.hit_row(h, o["terms"], {"watch": "baltico"}) for h in new] == ROWS["watch_results"]
    assert list(ROWS["search"][0]) == rows.HIT_COLUMNS
    hit = model.Hit(o["articles"][0], 2.0 / 3.0)
    row = rows.article_row(hit.article, hit=hit, snippet="s")
    assert (list(row), row["score"], row["snippet"]) == (rows.HIT_COLUMNS, 0.6667, "s")


def test_analysis_rows() -> None:
    o = build()
    assert [rows.cluster_row(n, c) for n, c in enumerate(o["clusters"], 1)] == ROWS["clusters"]
    assert [rows.citation_row(c) for c in o["citations"]] == ROWS["citations"]
    assert [rows.source_row(s) for s in o["sources"]] == ROWS["sources"]
    narrowed = [rows.source_row(s, narrowed=True) for s in o["narrowed"]]
    assert narrowed == ROWS["sources_narrowed"]
    assert [rows.period_row(p) for p in o["timeline"]] == ROWS["timeline"]
    assert [rows.term_row(t) for t in o["term_scores"]] == ROWS["terms"]
    assert [rows.kwic_row(k) for k in o["kwic"]] == ROWS["kwic"]
    assert list(ROWS["kwic"][0]) == rows.KWIC_COLUMNS
    assert [rows.explanation_row(o["explanation"])] == ROWS["explain"]
    assert [rows.stats_row(o["stats"])] == ROWS["stats"]
    assert [rows.ingest_row(o["ingest"])] == ROWS["ingest"]


def test_watch_row_has_exactly_the_listed_keys() -> None:
    o = build()
    found = [rows.watch_row(w) for w in o["watches"]]
    assert found == ROWS["watches"]
    keys = ["name", "query", "from", "to", "source", "created", "last_run", "seen"]
    assert [list(row) for row in found] == [keys, keys]


def test_csv_cells_read_as_json_writes_them() -> None:
    assert [rows.csv_cell(v) for v in (None, True, False, 0, 1.5, "x")] == [
        "",
        "true",
        "false",
        0,
        1.5,
        "x",
    ]


# -- through Output and Terminal ---------------------------------------------------------


@pytest.mark.parametrize("key", list(ROWS))
def test_json_lines(key: str) -> None:
    assert run(key, "jsonl") == (jsonl(ROWS[key]), "")


def test_json_lines_text() -> None:
    stdout, _ = run("stats", "jsonl")
    assert stdout == (
        '{"articles": 10, "undated": 1, "dated_by_metadata": 7, "dated_by_inference": 2, '
        '"first_date": "2022-01", "last_date": "2023-05", "sources": {"seeds": 8, "Gazzetta": 2}, "languages": {"it": 9, "en": 1}}\n'
    )
    stdout, _ = run("listing", "jsonl")
    assert '"title": "[red]Allarme[/red] \\u0007 \u202e rovescio"' in stdout


@pytest.mark.parametrize("key", list(CSV))
def test_csv(key: str) -> None:
    assert run(key, "csv") == (CSV[key], "")


@pytest.mark.parametrize("key", list(TABLE))
def test_table(key: str) -> None:
    assert run(key, "table") == TABLE[key]


@pytest.mark.parametrize("key", ["show", "clusters", "watches", "sources", "stats", "explain"])
def test_commands_without_csv_draw_their_view_under_csv(key: str) -> None:
    assert run(key, "csv") == TABLE[key]


def test_terminal_lines() -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    out = Output(Terminal(no_color=True, stdout=stdout, stderr=stderr, width=80), "jsonl")
    out.message("Saved watch 'a\x1b[1m'.")
    out.error("index not found \x1b[2J")
    out.hint(model.Suggestion("esercito\x1b[1m", 3))
    assert stdout.getvalue() == "Saved watch 'a␛[1m'.\n"
    assert stderr.getvalue() == (
        "corpus: index not found ␛[2J\nDid you mean: esercito␛[1m? (3 articles)\n"
    )


def _hint_lines(*hints: model.Hint) -> str:
    """What ``Output.hint`` prints for each hint (JSON output: hints go to stderr alone)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    out = Output(Terminal(no_color=True, stdout=stdout, stderr=stderr, width=80), "jsonl")
    for hint in hints:
        out.hint(hint)
    assert stdout.getvalue() == ""
    return stderr.getvalue()


def test_hint_lines_name_the_filter_that_emptied_a_search() -> None:
    day = datetime.date
    dates = model.Filters(day(2020, 1, 1), day(2020, 1, 31))
    assert _hint_lines(
        model.FilterHint(dates, (("dates", 96),)),
        model.FilterHint(model.Filters(date_from=day(2020, 1, 1)), (("dates", 1),)),
        model.FilterHint(model.Filters(date_to=day(2019, 12, 31)), (("dates", 2),)),
        model.FilterHint(
            model.Filters(source="Carlino", cites="Tass"), (("source", 3), ("cites", 1))
        ),
        model.FilterHint(model.Filters(day(2020, 1, 1), None, "Carlino"), (("filters", 4),)),
    ) == (
        "none between 2020-01-01 and 2020-01-31; without the dates: 96 articles\n"
        "none from 2020-01-01 on; without the dates: 1 article\n"
        "none up to 2019-12-31; without the dates: 2 articles\n"
        'none in "Carlino" citing Tass; without --source: 3 articles, without --cites: 1 article\n'
        'none in "Carlino" from 2020-01-01 on; without the filters: 4 articles\n'
    )


def test_hint_lines_for_sources_and_rare_words() -> None:
    assert _hint_lines(
        model.SourceHint(
            "Gazzetta", True, (("Gazzetta di Modena", 1092), ("Gazzetta di Parma", 1))
        ),
        model.SourceHint("Gazeta", False, ()),
        model.Suggestion("carabinieri modena", 130, (("carabineri", 1),)),
    ) == (
        '--source "Gazzetta" names no source; closest: "Gazzetta di Modena" (1092 articles), '
        '"Gazzetta di Parma" (1 article)\n'
        "source:\"Gazeta\" names no source ('corpus sources' lists them)\n"
        "Did you mean: carabinieri modena? (130 articles; 'carabineri' is in 1)\n"
    )


def test_an_error_builds_no_stdout_console() -> None:
    stderr = io.StringIO()
    terminal = Terminal(stderr=stderr)
    terminal.error("x")
    assert stderr.getvalue() == "corpus: x\n"
    assert "out" not in vars(terminal)


def test_off_a_terminal_neither_pager_nor_progress() -> None:
    stdout = io.StringIO()
    out = Output(Terminal(stdout=stdout, stderr=io.StringIO()), "table")
    with out.paged():
        out.message("fits")
    with out.progress() as update:
        assert update is None
    assert stdout.getvalue() == "fits\n"


def test_page_needed_compares_with_the_screen() -> None:
    out = Output(Terminal(stdout=io.StringIO()), "table")
    height = out.terminal.height
    assert (out.page_needed(height), out.page_needed(height + 1)) == (False, True)


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="xml"):
        Output(Terminal(), "xml")


# -- the layer's boundaries --------------------------------------------------------------


def test_importing_render_loads_no_table_no_snippets_no_other_layer() -> None:
    code = (
        "import sys, corpus_cli.render\n"
        "heavy = ('rich.table', 'rich.progress', 'click', 'corpus_cli.text', "
        "'corpus_cli.storage', 'corpus_cli.services', 'corpus_cli.query', 'corpus_cli.cli')\n"
        "print(' '.join(m for m in sys.modules if m.startswith(heavy)) or 'none')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["none"]


def test_render_imports_only_the_model_text_and_rich() -> None:
    allowed = (
        "corpus_cli.model",
        "corpus_cli.results",
        "corpus_cli.text",
        "corpus_cli.render",
        "rich",
    )
    for path in sorted(RENDER.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                ok = top in sys.stdlib_module_names or top == "__future__"
                ok = ok or any(name == a or name.startswith(a + ".") for a in allowed)
                assert ok, f"{path.name} imports {name}"
