"""A query's final ORDER BY done in Python for the Oxigraph store (tf_graph.engines.ordering): the
clause found without regular expressions, the same rows in the same order as Oxigraph's own
ORDER BY, and Oxigraph sorting whatever the Python side does not order."""

from __future__ import annotations

import pytest
from conftest import shipped_graph
from rdflib import BNode, Literal, URIRef
from rdflib.term import Variable

from tf_graph.engines import ordering, solving
from tf_graph.questions.catalogue import list_queries
from tf_graph.questions.run import run_query

EX = "https://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"  # (rdflib's XSD namespace upsets pytest's collection)


@pytest.fixture(scope="module")
def oxigraph(_private_store):
    return shipped_graph("oxigraph")


# --- which ORDER BY is taken over ---------------------------------------------------------


def test_a_final_order_by_of_variables_is_split_off():
    query = 'SELECT ?a ?b WHERE { ?a ?p "}" . # }\n} ORDER BY ?a DESC(?b) asc( $c ) # done\n'
    assert ordering.split_order_by(query) == (
        'SELECT ?a ?b WHERE { ?a ?p "}" . # }\n}\n',
        [("a", False), ("b", True), ("c", False)],
    )


@pytest.mark.parametrize(
    "tail",
    [
        "ORDER BY ?a LIMIT 10",  # the order decides which rows come back
        "ORDER BY ?a OFFSET 1",
        "ORDER BY STR(?a)",  # an expression
        "ORDER BY DESC(?a + 1)",
        "GROUP BY ?a ORDER BY ?a",
        "ORDER BY ?a VALUES ?a { <https://example.org/x> }",
        "",
    ],
)
def test_anything_else_is_left_to_oxigraph(tail):
    assert ordering.split_order_by(f"SELECT ?a WHERE {{ ?a ?p ?o }} {tail}") is None


def test_the_scanner_skips_strings_iris_comments_and_comparisons():
    query = (
        "PREFIX ex: <https://example.org/a#}>\n"
        'SELECT ?a ?b WHERE { ?a ex:p """}\nORDER BY ?z""" ; ex:q ?b . '
        "FILTER(?b < 3 && ?b > 1) FILTER(?a != '}') }\n"
        "ORDER BY ?b # ORDER BY ?c }\n"
    )
    head = query[: query.index("}\nORDER BY ?b") + 1]
    assert ordering.split_order_by(query) == (head + "\n", [("b", False)])


# --- the order ----------------------------------------------------------------------------


def test_unbound_then_iris_then_literals_each_in_their_order():
    values = [Literal("b"), URIRef(EX + "b"), None, Literal("a"), URIRef(EX + "a")]
    rows = [{Variable("x"): v} for v in values]
    got = ordering.sort_rows(rows, [("x", False)], [Variable("x")])
    assert [row[Variable("x")] for row in got] == [
        None, URIRef(EX + "a"), URIRef(EX + "b"), Literal("a"), Literal("b"),
    ]  # fmt: skip


def test_numbers_sort_by_value_and_desc_reverses_one_condition_only():
    rows = [
        {Variable("n"): Literal(n), Variable("s"): Literal(s)}
        for n, s in [(9, "b"), (10, "a"), (9, "a"), (2.5, "z")]
    ]
    got = ordering.sort_rows(rows, [("n", True), ("s", False)], [Variable("n"), Variable("s")])
    assert [(r[Variable("n")].value, str(r[Variable("s")])) for r in got] == [
        (10, "a"), (9, "a"), (9, "b"), (2.5, "z"),
    ]  # fmt: skip


def test_runs_of_ascending_and_descending_conditions_order_as_oxigraph_orders():
    """Conditions in one direction are sorted together; the runs still nest correctly."""
    import random

    import pyoxigraph as ox

    pick = random.Random(7)
    table = [
        (pick.choice("abc"), pick.randint(1, 3), pick.choice("xyz"), pick.randint(1, 4))
        for _ in range(80)
    ]
    values = " ".join(f'("{a}" {b} "{c}" {d})' for a, b, c, d in table)
    names = ["a", "b", "c", "d"]
    query = (
        f"SELECT ?a ?b ?c ?d WHERE {{ VALUES (?a ?b ?c ?d) {{ {values} }} }} "
        "ORDER BY ?a DESC(?b) DESC(?c) ?d"
    )
    oxigraph = [tuple(term.value for term in row) for row in ox.Store().query(query)]
    rows = [{Variable(n): Literal(v) for n, v in zip(names, row, strict=True)} for row in table]
    conditions = [("a", False), ("b", True), ("c", True), ("d", False)]
    got = ordering.sort_rows(rows, conditions, [Variable(n) for n in names])
    assert [tuple(str(row[Variable(n)]) for n in names) for row in got] == oxigraph
    assert len(set(oxigraph)) > 40  # enough distinct rows for the order to tell


@pytest.mark.parametrize(
    "values",
    [
        [Literal("a"), Literal(1)],  # strings beside numbers
        [Literal("NaN", datatype=URIRef(XSD + "double")), Literal(1.0)],
        [Literal("not a date", datatype=URIRef(XSD + "date"))],  # ill-typed
        [BNode()],
    ],
)
def test_columns_whose_order_is_not_plain_are_not_sorted_here(values):
    rows = [{Variable("x"): v} for v in values]
    assert ordering.sort_rows(rows, [("x", False)], [Variable("x")]) is None


def test_literals_of_different_kinds_sort_as_rdflib_sorts_them():
    """SPARQL leaves their order to the engine; rdflib's is kept so both backends agree."""
    from rdflib import Graph

    query = """SELECT ?x WHERE { VALUES ?x {
        "b"@fr "b" "a"@en "2022-01-25"^^<http://www.w3.org/2001/XMLSchema#date> "a"
        "2021-12-01"^^<http://www.w3.org/2001/XMLSchema#date> "c"@en <https://example.org/z>
    } } ORDER BY ?x"""
    rdflib_order = [row[0] for row in Graph().query(query)]
    rows = [{Variable("x"): term} for term in reversed(rdflib_order)]
    got = ordering.sort_rows(rows, [("x", False)], [Variable("x")])
    assert [row[Variable("x")] for row in got] == rdflib_order
    assert rdflib_order[0] == URIRef("https://example.org/z")


def test_a_variable_the_select_does_not_project_is_not_sorted_here():
    rows = [{Variable("x"): Literal("a")}]
    assert ordering.sort_rows(rows, [("y", False)], [Variable("x")]) is None


# --- the same answers as Oxigraph's own ORDER BY --------------------------------------------


def named_cases() -> list[tuple[str, dict[str, str]]]:
    from test_backends import EXTRA_CASES

    plain = [(s.name, {}) for s in list_queries() if not any(p.required for p in s.params)]
    return plain + EXTRA_CASES


@pytest.mark.parametrize(("name", "params"), named_cases(), ids=str)
def test_every_named_query_in_the_order_oxigraph_gives(oxigraph, monkeypatch, name, params):
    ours = run_query(oxigraph, name, params)
    with monkeypatch.context() as patch:
        patch.setattr(solving, "split_order_by", lambda query: None)
        theirs = run_query(oxigraph, name, params)
    assert ours.rows == theirs.rows


def test_the_named_queries_are_sorted_in_python(oxigraph, monkeypatch):
    """agencies-by-topic ends in a plain ORDER BY of variables: it is taken over (else the
    speed-up would silently be lost)."""
    split = {}
    real = ordering.split_order_by

    def spy(query):
        split[query] = found = real(query)
        return found

    monkeypatch.setattr(solving, "split_order_by", spy)
    run_query(oxigraph, "agencies-by-topic", {})
    [conditions] = [found[1] for query, found in split.items() if "?agencyLabel" in query]
    assert conditions == [
        ("agencyLabel", False), ("evidenceLabel", False), ("role", False),
        ("viaLabel", False), ("evidence", False), ("via", False),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "query",
    [
        # a column of strings and numbers
        'SELECT ?x WHERE { VALUES ?x { "b" 2 "a" 10 <https://example.org/a> } } ORDER BY ?x',
        # sorted by a variable the SELECT leaves out
        "SELECT ?x WHERE { VALUES (?x ?y) { (1 3) (2 1) (3 2) } } ORDER BY ?y",
    ],
)
def test_what_python_does_not_order_is_sorted_by_oxigraph(oxigraph, monkeypatch, query):
    ours = [row[0] for row in oxigraph.query(query)]
    with monkeypatch.context() as patch:
        patch.setattr(solving, "split_order_by", lambda query: None)
        theirs = [row[0] for row in oxigraph.query(query)]
    assert ours == theirs
    assert ours != [row[0] for row in oxigraph.query(query.rsplit("ORDER BY", 1)[0])]
