"""The web-search forms of the query language (issue #14), in the parser and around it.

``-word`` and ``-"phrase"`` exclude, ``+word`` requires, ``|`` is OR, ``date:`` is lifted
out of the tree into the filters; lower-case or/and/not stay words, with a note when
the operators would have found much more (or less). Behaviour through the command line,
on every backend, is in ``contract/test_web_queries.py``.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import article, build

from corpus_cli.errors import QuerySyntaxError
from corpus_cli.model import Filters, QueryTerms, SearchResult
from corpus_cli.query.dates import narrowed
from corpus_cli.query.parser import as_operators, parse
from corpus_cli.query.tree import And, Not, Or, Phrase, Prefix, Query, Term, TextField
from corpus_cli.services.search import operator_hint, search_pages
from corpus_cli.storage.whoosh.compile import compile_query
from corpus_cli.text.analysis import analyse, terms

D = datetime.date


def word(text: str, field: TextField | None = None) -> Term:
    """A typed word with the stems the analysis gives it (whatever the stemmer)."""
    return Term(text, tuple(terms(text)), field)


def phrase(text: str) -> Phrase:
    words = analyse(text)
    return Phrase(
        tuple(text[start:end] for start, end, _f, _s in words),
        tuple(stem for _start, _end, _f, stem in words),
    )


A, B, C = word("a"), word("b"), word("c")
FURTO, AUTO = word("furto"), word("auto")
MAR_CINESE = phrase("mar cinese")


def compiled(text: str) -> str:
    return repr(compile_query(parse(text).root).normalize())


# -- the tree ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("furto -auto", And((FURTO, Not(AUTO)))),
        ("-auto furto", And((Not(AUTO), FURTO))),
        ("a -b -c", And((A, Not(B), Not(C)))),
        ('a -"mar cinese"', And((A, Not(MAR_CINESE)))),
        ("a -(b OR c)", And((A, Not(Or((B, C)))))),
        ("a (-b)", And((A, Not(B)))),
        ("a -title:b", And((A, Not(word("b", field="title"))))),
        ("a -Title:b", And((A, Not(word("b", field="title"))))),
        ("a -b*", And((A, Not(Prefix("b"))))),
        ("a OR -b", Or((A, Not(B)))),
        # A plus requires: every word does already.
        ("+a OR b", Or((A, B))),
        # | is OR, spaced or not, once or doubled; at an edge it joins nothing.
        ("a | b", Or((A, B))),
        ("a|b", Or((A, B))),
        ("a || b", Or((A, B))),
        ("a|b c", And((Or((A, B)), C))),
        ("a |", A),
        ("| a", A),
        # Everything at once.
        (
            'putin xi -trump "mar cinese"',
            And(
                (
                    word("putin"),
                    word("xi"),
                    Not(word("trump")),
                    MAR_CINESE,
                )
            ),
        ),
        # NOT -x was NOT x and stays so (no double negation).
        ("a NOT -b", And((A, Not(B)))),
        ("NOT -b a", And((Not(B), A))),
        # A hyphen inside a word, between spaces or doubled is text, as it always was.
        # (both its words, side by side)
        ("Emilia-Romagna", phrase("Emilia-Romagna")),
        ("anti-mafia", phrase("anti-mafia")),
        ("a - b", And((A, B))),
        ("a --b", And((A, B))),
        ("a - -b", And((A, Not(B)))),
        ("a -", A),
        ("title:-b a", And((word("b", field="title"), A))),
    ],
)
def test_tree(text: str, tree: object) -> None:
    assert parse(text).root == tree


def test_a_hyphenated_word_needs_both_its_parts_side_by_side() -> None:
    for text in ("Emilia-Romagna", "anti-mafia"):
        root = parse(text).root
        assert isinstance(root, Phrase) and len(root.stems) == 2


@pytest.mark.parametrize(
    ("web", "boolean"),
    [
        ("furto -auto", "furto NOT auto"),
        ('-"stato di" emergenza', 'NOT "stato di" emergenza'),
        ("a | b", "a OR b"),
        ("(a | b) -c", "(a OR b) NOT c"),
        ("+a b", "a b"),
        ("a date:2020", "a"),
    ],
)
def test_web_forms_compile_as_their_boolean_forms(web: str, boolean: str) -> None:
    assert compiled(web) == compiled(boolean)


def test_a_minus_keeps_words_out_of_the_phrase_bonus() -> None:
    # "furto auto" also ranks the phrase "furto auto" first; with an exclusion the
    # words are no plain list (and the excluded word no part of a phrase).
    assert parse("furto -auto").root == And((FURTO, Not(AUTO)))
    assert parse("+furto +auto") == Query("+furto +auto", parse("furto auto").root)
    assert parse("+furto auto").root == parse("furto auto").root
    assert parse("+a") == Query("+a", A)


@pytest.mark.parametrize(
    "text", ["-auto", "-a -b", '-"mar cinese"', "-(a OR b)", "(-a)", "-a date:2020"]
)
def test_only_exclusions_are_refused(text: str) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse(text)
    assert str(raised.value) == (
        "The query only excludes words; add a word to search for, as in 'furto -auto'."
    )


def test_not_alone_keeps_its_message() -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse("NOT derby")
    assert (
        str(raised.value) == "The query has no words to search for (only operators or exclusions)."
    )


# -- date: ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("a date:2020", D(2020, 1, 1), D(2020, 12, 31)),
        ("date:2020-02 a", D(2020, 2, 1), D(2020, 2, 29)),
        ("a date:2020-03-15", D(2020, 3, 15), D(2020, 3, 15)),
        ("a date:2020-03..2020-05", D(2020, 3, 1), D(2020, 5, 31)),
        ("a date:2020..", D(2020, 1, 1), None),
        ("a date:..2020-05", None, D(2020, 5, 31)),
        ('a date:"2020"', D(2020, 1, 1), D(2020, 12, 31)),
        ("a Date:2020", D(2020, 1, 1), D(2020, 12, 31)),
        ("+date:2020 a", D(2020, 1, 1), D(2020, 12, 31)),
        # Side by side, dates are ANDed: the days both allow.
        ("a date:2020 date:2020-06..2021", D(2020, 6, 1), D(2020, 12, 31)),
        # Inside parentheses that are ANDed with the rest, still the whole query's.
        ("(a date:2020) b", D(2020, 1, 1), D(2020, 12, 31)),
        ("title:(a date:2020)", D(2020, 1, 1), D(2020, 12, 31)),
    ],
)
def test_dates_are_lifted_out_of_the_tree(
    text: str, first: datetime.date | None, last: datetime.date | None
) -> None:
    query = parse(text)
    assert (query.date_from, query.date_to) == (first, last)
    assert "date" not in repr(query.root)
    assert query.text == text  # the header and the suggestion show it as typed


def test_a_query_without_dates_has_none() -> None:
    assert parse("a b") == Query("a b", parse("a b").root)
    assert parse("a b").dates == ()
    assert parse("a date:2020 date:2020-05").dates == ("date:2020", "date:2020-05")


NOT_HERE = (
    "'date:{}' cannot stand inside OR, NOT, - or ANDMAYBE: a date narrows the whole "
    "query, as in 'rapina date:2020'."
)
NOT_A_DATE = (
    "'date:{}' is not a date: use date:YYYY, date:YYYY-MM, date:YYYY-MM-DD or a range "
    "such as date:2020-03..2020-05."
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a OR date:2020", NOT_HERE.format("2020")),
        ("a | date:2020", NOT_HERE.format("2020")),
        ("a NOT date:2020", NOT_HERE.format("2020")),
        ("a -date:2020", NOT_HERE.format("2020")),
        ("a ANDMAYBE date:2020", NOT_HERE.format("2020")),
        ("date:(2020 OR 2021) a", NOT_HERE.format("2020")),
        ("a date:2020-13", NOT_A_DATE.format("2020-13")),
        ("a date:2020-02-30", NOT_A_DATE.format("2020-02-30")),
        ("a date:20", NOT_A_DATE.format("20")),
        ("a date:..", NOT_A_DATE.format("..")),
        ("a date:2020*", NOT_A_DATE.format("2020*")),
        ("a date:2020~", NOT_A_DATE.format("2020~")),
        ("a date:[2020 TO", NOT_A_DATE.format("[2020")),
        ("a date:2021..2020", "'date:2021..2020' ends before it starts: nothing can match."),
        (
            "a date:2020 date:2021",
            "date:2020 and date:2021 have no day in common: nothing can match.",
        ),
        (
            "date:2020",
            "The query has only dates (date:2020), no words to search for; "
            "'corpus list --from D --to D' lists the articles of a period.",
        ),
        ("foo:bar", "Unknown field 'foo:' in the query; use one of title:, text:, source:."),
        ("a -foo:bar", "Unknown field 'foo:' in the query; use one of title:, text:, source:."),
    ],
)
def test_dates_that_cannot_be_read(text: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse(text)
    assert str(raised.value) == message


def test_a_date_followed_by_a_space_is_words_as_before() -> None:
    assert parse("date: 2020").root == And((word("date"), word("2020")))


def test_narrowed_ands_the_query_dates_with_the_options() -> None:
    query = parse("a date:2020")
    assert narrowed(Filters(), query) == Filters(D(2020, 1, 1), D(2020, 12, 31))
    assert narrowed(Filters(D(2020, 5, 1), None, "ANSA", "Tass"), query) == Filters(
        D(2020, 5, 1), D(2020, 12, 31), "ANSA", "Tass"
    )
    assert narrowed(Filters(None, D(2020, 3, 31)), query) == Filters(D(2020, 1, 1), D(2020, 3, 31))
    assert narrowed(Filters(source="x"), parse("a")) == Filters(source="x")
    with pytest.raises(QuerySyntaxError) as raised:
        narrowed(Filters(D(2021, 1, 1), D(2021, 6, 30)), query)
    assert str(raised.value) == (
        "date:2020 and --from 2021-01-01 --to 2021-06-30 have no day in common: nothing can match."
    )


# -- lower-case operator words ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rewritten"),
    [
        ("furto or rapina", ("furto OR rapina", ["or"])),
        ("furto Or rapina not auto", ("furto OR rapina NOT auto", ["or", "not"])),
        ("a and b and c", ("a AND b AND c", ["and"])),
        ('"a or b" c or d', ('"a or b" c OR d', ["or"])),
        ('"a" or "b c"', ('"a" OR "b c"', ["or"])),
        ("furto OR rapina", None),
        ("furto oro", None),
        ("(or)", None),
    ],
)
def test_as_operators(text: str, rewritten: tuple[str, list[str]] | None) -> None:
    assert as_operators(text) == rewritten


class _Counts:
    """A store that answers every count with one number (all operator_hint asks)."""

    def __init__(self, count: int) -> None:
        self._count = count

    def count(self, query: object, filters: object = None) -> int:
        return self._count


@pytest.mark.parametrize(
    ("as_words", "as_operators_", "noted"),
    [
        (0, 5, True),  # none as words, some as operators
        (5, 0, True),
        (10, 30, True),  # three times as many
        (10, 29, False),
        (30, 10, True),
        (0, 0, False),
        (7, 7, False),
    ],
)
def test_operator_hint_ratio(as_words: int, as_operators_: int, noted: bool) -> None:
    store = _Counts(as_operators_)
    note = operator_hint(store, parse("furto or rapina"), None, as_words)  # type: ignore[arg-type]
    assert (note is not None) == noted
    if noted:
        assert note == (
            "'or' was searched as a word; use OR for either word "
            f"({as_operators_} {'article matches' if as_operators_ == 1 else 'articles match'} "
            "furto OR rapina)."
        )


def test_no_hint_without_lower_case_operators_or_when_they_make_no_query() -> None:
    store = _Counts(100)
    assert operator_hint(store, parse("furto rapina"), None, 0) is None  # type: ignore[arg-type]
    assert operator_hint(store, parse("not furto"), None, 0) is None  # type: ignore[arg-type]


# -- exports a page at a time ------------------------------------------------------------------


def test_search_pages_give_the_hits_of_one_search(tmp_path: Path) -> None:
    files = {
        f"n{n:02d}.txt": article(f"n{n:02d}", f"Notizia {n} da Modena." + " Modena" * n)
        for n in range(1, 12)
    }
    store = build(tmp_path, files)
    query = parse("modena")
    whole = store.search(query, limit=None)
    assert len(whole.hits) == 11
    for sort in ("relevance", "date", "-date"):
        expected = [hit.article.id for hit in store.search(query, sort=sort, limit=None).hits]
        for page in (1, 3, 11, 20):
            pages = list(search_pages(store, query, sort=sort, page=page))
            assert [h.article.id for p in pages for h in p.hits] == expected
            assert all(p.total == 11 for p in pages)
            assert len(pages) == max(1, -(-11 // page))
        windowed = search_pages(store, query, sort=sort, limit=5, offset=4, page=2)
        assert [h.article.id for p in windowed for h in p.hits] == expected[4:9]
    nothing = list(search_pages(store, parse("nulla"), page=3))
    assert nothing == [SearchResult([], 0, nothing[0].terms)]
    assert isinstance(nothing[0].terms, QueryTerms)


# -- malformed web queries ------------------------------------------------------------------------

MALFORMED_WEB = [
    "-",
    "+",
    "|",
    "||",
    "- -",
    "-(",
    "-)",
    "-'",
    '-"',
    '-""',
    "+-+",
    "a -",
    "a +",
    "-|a",
    "a|",
    "|a|",
    "date:",
    "date:..",
    "-date:",
    "a date:",
    "date:2020-",
    "a -date:2020..",
    "NOT -",
    "- NOT a",
    "-NOT a",
    "a -ANDNOT b",
    "-^2 a",
    "-~ a",
    "(-a OR -b) c",
    "-" * 300,
    "-a " * 300,
]


@pytest.mark.parametrize("text", MALFORMED_WEB, ids=lambda text: repr(text[:24]))
def test_malformed_web_queries_give_a_query_or_one_sentence(text: str) -> None:
    try:
        query = parse(text)
    except QuerySyntaxError as error:
        message = str(error)
        assert message.endswith(".") and "\n" not in message
    else:
        assert isinstance(query, Query)
        compile_query(query.root).normalize()
