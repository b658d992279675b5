"""Dates and sources end to end: every format in one folder, ranges, source filters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Run, ids, json_lines, write

# What each seed gets, and why (checked against the articles' own words).
SEED_DATES = {
    # Metadata marker " date 2022-12" at the top: read as given, month precision.
    "000_3aa3d3d712357d35": ("2022-12", "month", False, " date 2022-12"),
    # Metadata marker " date 2024-01".
    "001_45b8b365ec0a4f9a": ("2024-01", "month", False, " date 2024-01"),
    # No metadata; the Victory Day parade "il 9 maggio" in "Il 2025 segna l'80° anniversario".
    "002_9be9ee8e938c10f9": ("2025-05-09", "day", True, "9 maggio … 2025"),
    # No metadata; Li Shangfu's visit "fino al 19 aprile", years up to 2023 in the text.
    "003_569862a446dd5049": ("2023-04-19", "day", True, "19 aprile … 2023"),
    # "ieri, giovedì 29 dicembre": 29 Dec was a Thursday in 2022; written the day after.
    "004_007f43612da33d40": ("2022-12-30", "day", True, "ieri, giovedì 29 dicembre"),
}


def test_seed_dates_precisions_and_evidence(seeded: Run) -> None:
    rows = {r["id"]: r for r in json_lines(seeded("list", "--json"))}
    got = {
        i: (r["date"], r["date_precision"], r["date_inferred"], r["date_evidence"])
        for i, r in rows.items()
    }
    assert got == SEED_DATES


def test_list_marks_inferred_dates(seeded: Run) -> None:
    out = seeded("list").stdout
    assert "≈2022-12-30" in out
    assert "≈2022-12 " not in out and "2022-12 " in out


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        # A month-precision article overlaps a range that starts mid-month.
        ("2022-12-15", "2022-12-31", ["000_3aa3d3d712357d35", "004_007f43612da33d40"]),
        ("2023", "2023", ["003_569862a446dd5049"]),
        ("2023-04-19", "2023-04-19", ["003_569862a446dd5049"]),
        ("2023-04-20", "2023-12", []),
        ("2024-01-31", "2025-05", ["001_45b8b365ec0a4f9a", "002_9be9ee8e938c10f9"]),
    ],
)
def test_ranges_overlap_periods(
    seeded: Run, date_from: str, date_to: str, expected: list[str]
) -> None:
    result = seeded("list", "--from", date_from, "--to", date_to, "--json")
    assert ids(result) == expected


def test_from_after_to_is_a_usage_error(seeded: Run) -> None:
    result = seeded("list", "--from", "2024", "--to", "2023")
    assert result.exit_code == 2
    assert "after" in result.stderr


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """One folder holding every input format, with and without metadata."""
    folder = tmp_path / "mixed"
    write(
        folder,
        "headers.txt",
        "Date: 3 marzo 2021\nSource: ANSA\nTitle: Titolo con intestazioni\n"
        "URL: https://www.ansa.it/x\n\nIl governo ha approvato il decreto.\n",
    )
    write(
        folder,
        "bom-crlf.txt",
        "\ufeffdate: 2020-06-02\r\nsource: Il Resto del Carlino\r\n\r\n"
        "Festa della Repubblica a Bologna.\r\n",
    )
    write(
        folder,
        "front.md",
        "---\ntitle: Un articolo in Markdown\ndate: 2019-05-12\nauthor: Rossi\n"
        "url: https://www.ilpost.it/2019/05/12/x\n---\n\nIl testo parla di elezioni europee.\n",
    )
    write(
        folder,
        "feed.jsonl",
        json.dumps(
            {
                "id": "j1",
                "headline": "Primo",
                "pubDate": "12/05/2019",
                "body": "Alluvione in Emilia",
                "outlet": "Gazzetta",
            }
        )
        + "\n"
        + "{broken json\n"
        + json.dumps({"id": "j2", "title": "Secondo", "content": "Sciopero dei treni"})
        + "\n",
    )
    write(
        folder,
        "array.json",
        json.dumps(
            [
                {
                    "id": "a1",
                    "title": "Array",
                    "date": "2024-02-10T10:30:00+01:00",
                    "text": "Nevicata sulle Alpi",
                    "link": "https://www.corriere.it/a1",
                }
            ]
        ),
    )
    write(
        folder,
        "table.csv",
        "id,title,published,source,text\n"
        'c1,Da CSV,3 MAR 2021,Il Foglio,"Vertice a Roma,\nsu due righe"\n',
    )
    write(
        folder,
        "page.html",
        "<html><head><title>Pagina</title>"
        '<meta property="og:site_name" content="La Stampa">'
        '<meta property="article:published_time" content="2023-09-01T08:00:00Z">'
        "</head><body><nav>Home | Sport | Meteo</nav><article><h1>Pagina</h1>"
        "<p>Il consiglio comunale di Torino ha discusso a lungo del bilancio della città "
        "e dei trasporti pubblici, con un voto finale atteso nelle prossime settimane.</p>"
        "<p>La seduta è durata fino a tarda sera tra interventi e repliche dei consiglieri.</p>"
        "</article><footer>Copyright La Stampa</footer></body></html>",
    )
    write(folder, "nodate.txt", "Un articolo senza alcuna data né fonte.\n")
    write(folder, "sub/inferred.txt", "MILANO, 5 GIU 2020 - La Borsa chiude in rialzo.\n")
    return folder


def test_mixed_folder_ingests_in_one_command(run: Run, mixed: Path) -> None:
    report = json_lines(run("ingest", "--json", str(mixed)))[0]
    assert report["added"] == 10
    [skipped] = report["skipped"]
    assert skipped["path"] == str(mixed / "feed.jsonl")
    assert skipped["reason"].startswith("line 2: not valid JSON")
    rows = {r["id"]: r for r in json_lines(run("list", "--json"))}
    summary = {
        i: (r["date"], r["date_precision"], r["date_inferred"], r["source"], r["title"])
        for i, r in rows.items()
    }
    assert summary == {
        "headers": ("2021-03-03", "day", False, "ANSA", "Titolo con intestazioni"),
        "bom-crlf": ("2020-06-02", "day", False, "Il Resto del Carlino", None),
        "front": ("2019-05-12", "day", False, "ilpost.it", "Un articolo in Markdown"),
        "j1": ("2019-05-12", "day", False, "Gazzetta", "Primo"),
        "j2": (None, None, False, "mixed", "Secondo"),
        "a1": ("2024-02-10", "day", False, "corriere.it", "Array"),
        "c1": ("2021-03-03", "day", False, "Il Foglio", "Da CSV"),
        "page": ("2023-09-01", "day", False, "La Stampa", "Pagina"),
        "nodate": (None, None, False, "mixed", None),
        "inferred": ("2020-06-05", "day", True, "mixed", None),
    }
    assert rows["c1"]["date_evidence"] == "3 MAR 2021"
    assert rows["inferred"]["date_evidence"] == "MILANO, 5 GIU 2020"
    assert "\r" not in run("show", "bom-crlf", "--json").stdout
    page = json_lines(run("show", "page", "--json"))[0]["text"]
    assert "Home | Sport" not in page and "Copyright" not in page
    # Undated articles come last and are left out of ranges.
    assert list(rows)[-2:] == ["j2", "nodate"]
    assert "nodate" not in ids(run("list", "--from", "1900", "--json"))


def test_source_flag_fills_in_only_missing_sources(run: Run, mixed: Path) -> None:
    run("ingest", "--source", "Archivio", str(mixed))
    rows = {r["id"]: r["source"] for r in json_lines(run("list", "--json"))}
    assert rows["nodate"] == "Archivio"
    assert rows["headers"] == "ANSA"
    assert rows["a1"] == "corriere.it"


def test_source_filter_is_exact_and_case_insensitive(run: Run, mixed: Path) -> None:
    run("ingest", str(mixed))
    assert ids(run("list", "--source", "il resto del carlino", "--json")) == ["bom-crlf"]
    assert ids(run("list", "--source", "il resto", "--json")) == []
    assert ids(run("search", "repubblica", "--source", "IL RESTO DEL CARLINO", "--json")) == [
        "bom-crlf"
    ]
    assert ids(run("search", 'source:"il foglio" vertice', "--json")) == ["c1"]


def test_sources_command_counts_and_spans(run: Run, mixed: Path) -> None:
    run("ingest", str(mixed))
    rows = json_lines(run("sources", "--json"))
    assert rows[0] == {
        "source": "mixed",
        "count": 3,
        "first_date": "2020-06-05",
        "last_date": "2020-06-05",
    }
    assert {
        "source": "ANSA",
        "count": 1,
        "first_date": "2021-03-03",
        "last_date": "2021-03-03",
    } in rows
    human = run("sources").stdout
    assert "Il Resto del Carlino" in human


def test_stats_counts_how_articles_are_dated(run: Run, mixed: Path) -> None:
    run("ingest", str(mixed))
    stats = json_lines(run("stats", "--json"))[0]
    assert (stats["dated_by_metadata"], stats["dated_by_inference"], stats["undated"]) == (7, 1, 2)


def test_every_range_matches_exactly_the_overlapping_periods(run: Run, tmp_path: Path) -> None:
    """The term-based range filter agrees with plain interval overlap on random ranges."""
    import datetime
    import random

    from corpus_cli.model import DateInfo
    from corpus_cli.text.dates import parse_cli_date

    folder = tmp_path / "periodi"
    dates = ["2019", "2020-02", "2020-02-29", "2020-12-31", "2021-01-01", "2021-06", "2022"]
    for n, value in enumerate(dates):
        write(folder, f"d{n}.txt", f"date: {value}\n\nNotizia numero {n}.\n")
    write(folder, "none.txt", "Notizia senza data.\n")
    run("ingest", str(folder))
    periods = {
        f"d{n}": DateInfo(v, {4: "year", 7: "month", 10: "day"}[len(v)], False, v)
        for n, v in enumerate(dates)
    }
    rng = random.Random(7)
    day = datetime.date(2018, 11, 1)
    for _ in range(40):
        a = day + datetime.timedelta(days=rng.randrange(0, 1700))
        b = a + datetime.timedelta(days=rng.randrange(0, 700))
        lo, hi = (
            rng.choice([a.isoformat(), a.isoformat()[:7], a.isoformat()[:4]]),
            rng.choice([b.isoformat(), b.isoformat()[:7], b.isoformat()[:4]]),
        )
        start, end = parse_cli_date(lo), parse_cli_date(hi, end=True)
        if start > end:
            continue
        expected = sorted(i for i, p in periods.items() if p.start <= end and p.end >= start)
        got = sorted(ids(run("list", "--from", lo, "--to", hi, "--json")))
        assert got == expected, (lo, hi)


def test_a_title_header_leaves_the_first_line_in_the_text(run: Run, tmp_path: Path) -> None:
    write(
        tmp_path / "t",
        "t.txt",
        "title: Il titolo vero\n\nRoma breaking news today here\nE poi il resto del testo.\n",
    )
    run("ingest", str(tmp_path / "t"))
    row = json_lines(run("show", "t", "--json"))[0]
    assert row["title"] == "Il titolo vero"
    assert row["text"].startswith("Roma breaking news today here\n")
